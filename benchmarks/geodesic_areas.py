#!/usr/bin/env python3
"""civic's district areas against geodesic areas on the WGS84 ellipsoid, on a country-sized file.

    geodesic_areas.py --civic PATH [--out DIR] [--columns 29] [--rows 6] [--seed 174] [--tolerance 0.2]

Issue 10: one UTM zone for Kazakhstan's 174 districts (46-87 deg E) made district areas up to 5.9 %
too large; civic now measures each district in the UTM zone of its own centre, and every district's
area must be within 0.2 % of its geodesic area. This script checks that independently of civic:

1. writes a synthetic country shaped like Kazakhstan's district map to DIR/districts.geojson:
   COLUMNS x ROWS districts spanning 46-87 deg E and 41-55 deg N, corners jittered (seeded), neighbours
   sharing their vertices, edges densified every 0.05 deg as real boundaries are; and an empty
   DIR/entities.geojson;
2. runs `civic coverage --districts ... --entities ... --format json`;
3. measures each district with pyproj.Geod(ellps="WGS84").geometry_area_perimeter (Karney's
   geodesic polygon area; nothing of civic's), and compares area_m2 district by district.

For reference it also prints how far off one UTM zone for the whole country would be (pyproj and
shapely, projected to the zone of the country's centre). Exit 0 when every district is within the
tolerance, 1 when one is not, 2 when civic fails.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import pyproj
import shapely
from shapely.geometry import Polygon

WEST, EAST, SOUTH, NORTH = 46.0, 87.0, 41.0, 55.0


def country(columns, rows, seed):
    """The districts as (id, name, exterior ring of (lon, lat)), rings counter-clockwise and closed."""
    rng = np.random.default_rng(seed)
    dx, dy = (EAST - WEST) / columns, (NORTH - SOUTH) / rows
    nodes = {}
    for j in range(rows + 1):
        for i in range(columns + 1):
            x, y = WEST + i * dx, SOUTH + j * dy
            if 0 < i < columns:
                x += rng.uniform(-0.25, 0.25) * dx
            if 0 < j < rows:
                y += rng.uniform(-0.25, 0.25) * dy
            nodes[i, j] = (round(x, 7), round(y, 7))
    edges = {}

    def edge(a, b):
        # Each edge made once, from its lower node to its higher one, so neighbours share positions.
        key = (min(a, b), max(a, b))
        if key not in edges:
            (x0, y0), (x1, y1) = nodes[key[0]], nodes[key[1]]
            steps = max(1, int(np.ceil(max(abs(x1 - x0), abs(y1 - y0)) / 0.05)))
            edges[key] = [(round(x0 + (x1 - x0) * k / steps, 7), round(y0 + (y1 - y0) * k / steps, 7))
                          for k in range(steps + 1)]
        points = edges[key]
        return points if key[0] == a else points[::-1]

    districts = []
    for j in range(rows):
        for i in range(columns):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)]
            ring = []
            for k in range(4):
                ring += edge(corners[k], corners[k + 1])[:-1]
            ring.append(ring[0])
            n = j * columns + i + 1
            districts.append((f"kz{n:03d}", f"Аудан {n}", ring))
    return districts


def write(path, features):
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in features))
        f.write("\n]}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--civic", required=True, help="the civic binary")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "country"))
    ap.add_argument("--columns", type=int, default=29)
    ap.add_argument("--rows", type=int, default=6)
    ap.add_argument("--seed", type=int, default=174)
    ap.add_argument("--tolerance", type=float, default=0.2, help="per cent")
    a = ap.parse_args()

    os.makedirs(a.out, exist_ok=True)
    districts = country(a.columns, a.rows, a.seed)
    write(os.path.join(a.out, "districts.geojson"), [
        {"type": "Feature", "id": i, "properties": {"shapeName": name, "shapeISO": i},
         "geometry": {"type": "Polygon", "coordinates": [ring]}} for i, name, ring in districts])
    write(os.path.join(a.out, "entities.geojson"), [])
    out = os.path.join(a.out, "coverage.json")
    run = subprocess.run([a.civic, "coverage", "--districts", os.path.join(a.out, "districts.geojson"),
                          "--entities", os.path.join(a.out, "entities.geojson"), "--format", "json", "-o", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"geodesic_areas: civic failed (exit {run.returncode}):\n{run.stderr}", file=sys.stderr)
        return 2
    report = json.load(open(out, encoding="utf-8"))
    civic = {d["id"]: d for d in report["districts"]}

    geod = pyproj.Geod(ellps="WGS84")
    polygons = {i: Polygon(ring) for i, _, ring in districts}
    # One zone for everything, as civic did before: the zone of the country's centre.
    centre_zone = 32600 + int((((WEST + EAST) / 2) + 180) // 6) + 1
    one_zone = pyproj.Transformer.from_crs(4326, centre_zone, always_xy=True)
    worst, worst_one, failures, zones = (0.0, None), (0.0, None), [], set()
    for i, polygon in polygons.items():
        geodesic = abs(geod.geometry_area_perimeter(polygon)[0])
        row = civic.get(i)
        if row is None:
            failures.append(f"{i}: missing from civic's output")
            continue
        zones.add(row.get("crs", report["crs"]))
        error = (row["area_m2"] - geodesic) / geodesic * 100
        if abs(error) > abs(worst[0]):
            worst = (error, i)
        if abs(error) > a.tolerance:
            failures.append(f"{i}: civic {row['area_m2']:.2f} m², geodesic {geodesic:.2f} m² ({error:+.3f} %)")
        single = shapely.transform(polygon, lambda xy: np.column_stack(one_zone.transform(xy[:, 0], xy[:, 1]))).area
        off = (single - geodesic) / geodesic * 100
        if abs(off) > abs(worst_one[0]):
            worst_one = (off, i)

    print(f"geodesic_areas: {len(polygons)} districts, {WEST:g}-{EAST:g}° E, {SOUTH:g}-{NORTH:g}° N; "
          f"civic's crs: {report['crs']} ({len(zones)} zones: {', '.join(sorted(zones))})")
    print(f"geodesic_areas: civic's area_m2 against pyproj.Geod: worst {worst[0]:+.4f} % at {worst[1]} "
          f"(limit ±{a.tolerance:g} %)")
    print(f"geodesic_areas: for reference, one zone for all (EPSG:{centre_zone}): worst {worst_one[0]:+.2f} % at {worst_one[1]}")
    for line in failures:
        print("geodesic_areas: FAIL " + line)
    print("geodesic_areas: " + ("OK: every district within the tolerance" if not failures else f"{len(failures)} districts off"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
