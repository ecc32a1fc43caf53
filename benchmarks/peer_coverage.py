#!/usr/bin/env python3
"""The peer of `civic coverage`: the same job as a GIS engineer writes it with geopandas and shapely 2.

    peer_coverage.py DIR --radius 500 [--out result.json] [--kind K]... [--theme T]...

DIR holds districts.geojson, entities.geojson and (optionally) population.geojson. The figures follow
DESIGN §5: UTM zone of the centre of the districts' bounding box; selected entities are the active
ones (missing status counts as active), narrowed by --kind / --theme; a reach is the entity buffered
by the radius with 16 segments per quarter circle; covered_m2 = area(district ∩ union of the reaches
that touch it); entities = selected entities intersecting the district; a population point counts for
every district that covers it and is covered when its distance to the nearest selected entity is at
most the radius. Without population.geojson, a district's own `population` property is its
population and covered_population = population x covered_share.

City totals: area_m2 and covered_m2 are sums over districts (districts do not overlap);
entities is the number of distinct selected entities that intersect at least one district;
population / covered_population sum each distinct point covered by at least one district once.

Writes civic's JSON (to --out, or stdout); phase timings go to stderr.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import pyogrio
import shapely

T0 = time.perf_counter()
_last = T0


def phase(name, detail=""):
    global _last
    now = time.perf_counter()
    print(f"peer: {name:<22} {now - _last:8.3f} s  {detail}", file=sys.stderr)
    _last = now


def utm_epsg(lon, lat):
    zone = int(math.floor((lon + 180) / 6)) + 1
    return (32600 if lat >= 0 else 32700) + zone


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--radius", type=float, default=500)
    ap.add_argument("--out", default="-")
    ap.add_argument("--kind", action="append", default=[])
    ap.add_argument("--theme", action="append", default=[])
    ap.add_argument("--crs", default=None, help="EPSG:N; default: the UTM zone of DESIGN §5")
    ap.add_argument("--method", choices=["district", "city"], default="district",
                    help="district (the benchmark's peer, issue 4): per district, the union of the "
                         "reaches that touch it; city: one union of all reaches, then each "
                         "district ∩ it (same figures, about 3x faster here)")
    a = ap.parse_args()
    R = a.radius

    # --- read ------------------------------------------------------------------------------
    pop_path = os.path.join(a.dir, "population.geojson")
    has_points = os.path.exists(pop_path)
    dpath = os.path.join(a.dir, "districts.geojson")
    dcols = ["id", "name"]
    if not has_points and "population" in pyogrio.read_info(dpath)["fields"]:
        dcols.append("population")
    districts = pyogrio.read_dataframe(dpath, columns=dcols)
    ecols = ["status"] + (["kind"] if a.kind else []) + (["themes"] if a.theme else [])
    entities = pyogrio.read_dataframe(os.path.join(a.dir, "entities.geojson"), columns=ecols)
    population = pyogrio.read_dataframe(pop_path, columns=["population"]) if has_points else None
    phase("read", f"{len(districts)} districts, {len(entities)} entities, "
                  f"{0 if population is None else len(population)} population features")

    # --- project ---------------------------------------------------------------------------
    if a.crs:
        crs = a.crs
    else:
        minx, miny, maxx, maxy = districts.total_bounds
        crs = f"EPSG:{utm_epsg((minx + maxx) / 2, (miny + maxy) / 2)}"
    districts = districts.to_crs(crs)
    # Select before projecting: the inactive ones are never used.
    status = entities["status"].fillna("active")
    keep = (status == "active").to_numpy().copy()
    if a.kind:
        keep &= entities["kind"].isin(a.kind).to_numpy()
    if a.theme:
        wanted = set(a.theme)
        keep &= entities["themes"].map(lambda t: bool(wanted.intersection(
            json.loads(t) if isinstance(t, str) else (t if t is not None else [])))).to_numpy()
    selected = entities[keep].to_crs(crs)
    if population is not None:
        population = population.to_crs(crs)
    phase("select+project", f"{len(selected)} selected, {crs}")

    dgeom = districts.geometry.to_numpy()
    egeom = selected.geometry.to_numpy()

    # --- reaches ---------------------------------------------------------------------------
    reaches = shapely.buffer(egeom, R, quad_segs=16)
    phase("buffer")

    if a.method == "district":
        # --- reaches touching each district ------------------------------------------------
        rtree = shapely.STRtree(reaches)
        d_idx, r_idx = rtree.query(dgeom, predicate="intersects")
        phase("join reaches", f"{len(d_idx)} district-reach pairs")

        # --- per district: union of those reaches, then ∩ district -------------------------
        order = np.argsort(d_idx, kind="stable")
        d_idx, r_idx = d_idx[order], r_idx[order]
        bounds = np.searchsorted(d_idx, np.arange(len(dgeom) + 1))
        unions = np.empty(len(dgeom), dtype=object)
        for i in range(len(dgeom)):
            unions[i] = shapely.union_all(reaches[r_idx[bounds[i]:bounds[i + 1]]])
        phase("union per district")
    else:
        unions = shapely.union_all(reaches)
        phase("union of all reaches")
    covered_geom = shapely.intersection(dgeom, unions)
    phase("intersection")
    area = shapely.area(dgeom)
    covered = shapely.area(covered_geom)
    share = np.divide(covered, area, out=np.zeros_like(area), where=area > 0)
    phase("areas")

    # --- entity counts -------------------------------------------------------------------------
    etree = shapely.STRtree(egeom)
    cd, ce = etree.query(dgeom, predicate="intersects")
    counts = np.bincount(cd, minlength=len(dgeom))
    city_entities = len(np.unique(ce))
    phase("entity counts")

    # --- population ------------------------------------------------------------------------------
    out_pop = None
    if population is not None:
        pgeom = population.geometry.to_numpy()
        pval = population["population"].to_numpy(dtype=float)
        if not np.all(shapely.get_type_id(pgeom) == 0):
            sys.exit("peer: population polygons are not supported by the peer (points only)")
        # The nearest selected entity within R, if any (4-20x faster than predicate="dwithin",
        # which lists every entity within R of every point).
        near = np.zeros(len(pgeom), dtype=bool)
        pi, _ = etree.query_nearest(pgeom, max_distance=R, all_matches=False)
        near[pi] = True
        ptree = shapely.STRtree(pgeom)
        dd, pp = ptree.query(dgeom, predicate="covers")
        dpop = np.bincount(dd, weights=pval[pp], minlength=len(dgeom))
        dcov = np.bincount(dd, weights=(pval * near)[pp], minlength=len(dgeom))
        inside = np.unique(pp)
        out_pop = (dpop, dcov, float(pval[inside].sum()), float((pval * near)[inside].sum()))
        phase("population", f"{int(near.sum())} of {len(pgeom)} points within {R:g} m")
    elif "population" in districts.columns:
        # No population file: the districts' own figures, covered in proportion to the area.
        dpop = districts["population"].to_numpy(dtype=float, na_value=np.nan)
        known = ~np.isnan(dpop)
        dcov = np.where(known, dpop * share, np.nan)
        out_pop = (dpop, dcov, float(np.nansum(dpop)), float(np.nansum(dcov)))

    # --- write -----------------------------------------------------------------------------------
    rows = []
    for i in range(len(dgeom)):
        row = {"id": str(districts["id"].iat[i]), "name": districts["name"].iat[i],
               "area_m2": round(float(area[i]), 2), "covered_m2": round(float(covered[i]), 2),
               "covered_share": round(float(share[i]), 6), "entities": int(counts[i])}
        if out_pop is not None and not math.isnan(out_pop[0][i]):
            row["population"] = round(float(out_pop[0][i]), 3)
            row["covered_population"] = round(float(out_pop[1][i]), 3)
        rows.append(row)
    tarea, tcov = float(area.sum()), float(covered.sum())
    city = {"area_m2": round(tarea, 2), "covered_m2": round(tcov, 2),
            "covered_share": round(tcov / tarea, 6) if tarea > 0 else 0.0,
            "entities": city_entities}
    if out_pop is not None:
        city["population"] = round(out_pop[2], 3)
        city["covered_population"] = round(out_pop[3], 3)
    result = {"crs": crs, "radius_m": R if R != int(R) else int(R), "districts": rows, "city": city}
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    phase("write")
    print(f"peer: {'total':<22} {time.perf_counter() - T0:8.3f} s  (after imports)", file=sys.stderr)


if __name__ == "__main__":
    main()
