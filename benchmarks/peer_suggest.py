#!/usr/bin/env python3
"""The exact peer of `civic suggest`: the same maximum-covering problem, solved to optimality by
an integer program (PuLP with its bundled CBC), built independently with shapely, pyproj and scipy.

    peer_suggest.py INSTANCE_DIR --repo REPO_ROOT --out RESULT.json [--time-limit S]

INSTANCE_DIR holds `instance.json` (make_suggest.py writes it). The problem (DESIGN §5c):

  demand      the residents inside the districts: the population file's points covered by a
              district (boundary included), or, for a dataset without one, each district's
              population spread over the cells of a grid of `cell` metres aligned on multiples
              of the cell in the UTM zone, each cell's part by area, at the part's centroid
  candidates  the file's points, or the centres of the grid's cells covered by a district
  existing    the selected entities (active; with the instance's theme): a resident within
              `radius` metres of one (0 inside a polygon) is reached already
  reach       a candidate reaches a resident when their distance is at most `radius`
  program     max Σ w_d y_d  s.t.  y_d ≤ Σ_{s reaches d} x_s,  Σ x_s ≤ K,  x binary, 0 ≤ y ≤ 1,
              over the residents not reached already

Writes {"covered_before", "optimum_after", "status", "solve_s", "build_s", "demand",
"candidates", "pairs"}; phase timings on stderr.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import pulp
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree


def read(path):
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f)["features"]


def utm_epsg(features):
    xs, ys = [], []
    for ft in features:
        for ring in (ft["geometry"]["coordinates"] if ft["geometry"]["type"] == "Polygon"
                     else [r for p in ft["geometry"]["coordinates"] for r in p]):
            for x, y in ring:
                xs.append(x)
                ys.append(y)
    lon, lat = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    zone = int(math.floor((lon + 180) / 6)) + 1
    return (32600 if lat >= 0 else 32700) + zone


def project_geometry(geom, transformer):
    return shapely.transform(geom, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))


def population_of(props):
    for key, value in props.items():
        if key.lower() == "population" and value is not None:
            return float(str(value).replace(" ", "").replace("\u00a0", ""))
    return None


def grid_demand(districts, pops, cell):
    """Each district's population over the grid's cells by area, at each part's centroid."""
    xs, ys, ws = [], [], []
    for district, pop in zip(districts, pops):
        if not pop:
            continue
        minx, miny, maxx, maxy = district.bounds
        c0, c1 = math.floor(minx / cell), math.floor(maxx / cell)
        r0, r1 = math.floor(miny / cell), math.floor(maxy / cell)
        cols, rows = np.meshgrid(np.arange(c0, c1 + 1), np.arange(r0, r1 + 1))
        cols, rows = cols.ravel(), rows.ravel()
        boxes = shapely.box(cols * cell, rows * cell, (cols + 1) * cell, (rows + 1) * cell)
        parts = shapely.intersection(boxes, district)
        areas = shapely.area(parts)
        keep = areas > 0
        centroids = shapely.centroid(parts[keep])
        total = district.area
        xs.append(shapely.get_x(centroids))
        ys.append(shapely.get_y(centroids))
        ws.append(pop * areas[keep] / total)
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)


def grid_candidates(districts, cell):
    union_bounds = np.array([d.bounds for d in districts])
    minx, miny = union_bounds[:, 0].min(), union_bounds[:, 1].min()
    maxx, maxy = union_bounds[:, 2].max(), union_bounds[:, 3].max()
    cols, rows = np.meshgrid(np.arange(math.floor(minx / cell), math.floor(maxx / cell) + 1),
                             np.arange(math.floor(miny / cell), math.floor(maxy / cell) + 1))
    cx, cy = (cols.ravel() + 0.5) * cell, (rows.ravel() + 0.5) * cell
    centres = shapely.points(cx, cy)
    inside = np.zeros(len(cx), dtype=bool)
    for d in districts:
        inside |= shapely.covers(d, centres)
    return cx[inside], cy[inside]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("instance")
    parser.add_argument("--repo", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--time-limit", type=float, default=600)
    args = parser.parse_args()
    t0 = time.perf_counter()
    spec = json.load(open(os.path.join(args.instance, "instance.json")))
    radius, k = float(spec["radius"]), int(spec["count"])
    if spec["files"]:
        folder = args.instance
        district_features = read(os.path.join(folder, "districts.geojson"))
        entity_features = read(os.path.join(folder, "entities.geojson"))
    else:
        folder = os.path.join(args.repo, spec["dataset"])
        district_features = read(os.path.join(folder, "districts.geojson"))
        entity_features = read(os.path.join(folder, "entities.geojson"))
    epsg = utm_epsg(district_features)
    to_utm = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    districts = [project_geometry(shapely.geometry.shape(ft["geometry"]), to_utm) for ft in district_features]

    theme = spec.get("theme")
    places = []
    for ft in entity_features:
        p = ft["properties"]
        if (p.get("status") or "active") != "active":
            continue
        if theme and theme not in (p.get("themes") or []):
            continue
        places.append(project_geometry(shapely.geometry.shape(ft["geometry"]), to_utm))

    if spec["files"]:
        pop = read(os.path.join(folder, "population.geojson"))
        lon = np.array([ft["geometry"]["coordinates"][0] for ft in pop])
        lat = np.array([ft["geometry"]["coordinates"][1] for ft in pop])
        w = np.array([population_of(ft["properties"]) for ft in pop], dtype=float)
        dx, dy = to_utm.transform(lon, lat)
        pts = shapely.points(dx, dy)
        inside = np.zeros(len(dx), dtype=bool)
        for d in districts:
            inside |= shapely.covers(d, pts)
        dx, dy, w = dx[inside], dy[inside], w[inside]
        cands = read(os.path.join(folder, "candidates.geojson"))
        cx, cy = to_utm.transform(np.array([ft["geometry"]["coordinates"][0] for ft in cands]),
                                  np.array([ft["geometry"]["coordinates"][1] for ft in cands]))
    else:
        pops = [population_of(ft["properties"]) for ft in district_features]
        dx, dy, w = grid_demand(districts, pops, float(spec["cell"]))
        cx, cy = grid_candidates(districts, float(spec["cell"]))

    # Residents the existing places reach already.
    reached = np.zeros(len(dx), dtype=bool)
    if places:
        tree = shapely.STRtree(shapely.points(dx, dy))
        hits = tree.query(np.array(places, dtype=object), predicate="dwithin", distance=radius)
        reached[np.unique(hits[1])] = True
    covered_before = float(w[reached].sum())

    # The relation: candidates → residents within the radius.
    tree = cKDTree(np.column_stack([dx, dy]))
    lists = tree.query_ball_point(np.column_stack([cx, cy]), r=radius)
    pairs = sum(len(x) for x in lists)
    build_s = time.perf_counter() - t0
    print(f"peer_suggest: {len(dx)} residents, {len(cx)} candidates, {pairs} pairs, built in {build_s:.2f} s",
          file=sys.stderr)

    t1 = time.perf_counter()
    problem = pulp.LpProblem("maximum_covering", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{s}", cat="Binary") for s in range(len(cx))]
    reaching = {}
    for s, lst in enumerate(lists):
        for d in lst:
            if not reached[d] and w[d] > 0:
                reaching.setdefault(d, []).append(s)
    y = {d: pulp.LpVariable(f"y{d}", lowBound=0, upBound=1) for d in reaching}
    problem += pulp.lpSum(float(w[d]) * y[d] for d in reaching)
    for d, sites in reaching.items():
        problem += y[d] <= pulp.lpSum(x[s] for s in sites)
    problem += pulp.lpSum(x) <= k
    status = problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=args.time_limit))
    solve_s = time.perf_counter() - t1
    gain = pulp.value(problem.objective) or 0.0
    result = {"covered_before": covered_before, "optimum_after": covered_before + gain,
              "status": "optimal" if problem.sol_status == pulp.LpSolutionOptimal else pulp.LpSolution[problem.sol_status], "solve_s": solve_s, "build_s": build_s,
              "demand": int(len(dx)), "candidates": int(len(cx)), "pairs": int(pairs), "residents": float(w.sum())}
    print(f"peer_suggest: CBC {result['status']} in {solve_s:.2f} s, optimum {result['optimum_after']:.3f}", file=sys.stderr)
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
