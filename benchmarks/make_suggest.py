#!/usr/bin/env python3
"""Write the maximum-covering instances that `civic suggest` and its exact peer both solve.

    make_suggest.py OUT_DIR [--set full|ci]

Each instance is a folder with `instance.json` (the question: radius, count, and either loose
files or a dataset with a theme) and, for synthetic ones, the loose files civic reads:

  districts.geojson    the districts (population per district, unused when residents are given)
  entities.geojson     the existing places (active venues with the theme `youth`), fixed
  population.geojson   residents as Points with a `population` of 1..200
  candidates.geojson   candidate sites as Points with ids `c1`, `c2`, …

Kinds of instance, all around Oskemen (82.61° E, 49.95° N, UTM zone 44N), deterministic by seed:
  random     residents and candidates uniform over a 10 km × 8 km city of four districts
  clustered  residents in Gaussian clusters (a clustered city is where plain greedy falls to
             95 % of the optimum), candidates half near the clusters, half anywhere
  city       the bundled dataset geodata/oskemen, theme youth, residents spread from the
             districts' populations over the grid (100 m, or 200 m for radii of 800 m and more)
             and the grid's centres as candidates
  speed      10,000 residents × 1,000 candidates, K = 10 (timed, not only compared)

`--set ci` writes a few small instances for the CI's fast comparison. Only numpy and pyproj.
"""

import argparse
import json
import os
import sys

import numpy as np
from pyproj import Transformer

EPSG = 32644
CENTRE = (500_000.0 + 42_000.0, 5_532_000.0)  # metres in zone 44N, near 82.61° E, 49.95° N
TO_WGS84 = Transformer.from_crs(f"EPSG:{EPSG}", "EPSG:4326", always_xy=True)


def lonlat(x, y):
    lon, lat = TO_WGS84.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.round(lon, 7), np.round(lat, 7)


def write_lines(path, features):
    """A FeatureCollection, one feature per line (as civic writes them)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False, separators=(",", ":")) for ft in features))
        f.write("\n]}\n")


def points(xs, ys, props):
    lon, lat = lonlat(xs, ys)
    return [{"type": "Feature", **({"id": p.pop("_id")} if "_id" in p else {}), "properties": p,
             "geometry": {"type": "Point", "coordinates": [float(a), float(b)]}}
            for a, b, p in zip(lon, lat, props)]


def districts(width, height):
    """Four rectangular districts of a width × height city centred on CENTRE, counter-clockwise."""
    x0, y0 = CENTRE[0] - width / 2, CENTRE[1] - height / 2
    names = [("sw", "Юго-запад"), ("se", "Юго-восток"), ("nw", "Северо-запад"), ("ne", "Северо-восток")]
    out = []
    for k, (ident, name) in enumerate(names):
        cx, cy = x0 + (k % 2) * width / 2, y0 + (k // 2) * height / 2
        xs = [cx, cx + width / 2, cx + width / 2, cx, cx]
        ys = [cy, cy, cy + height / 2, cy + height / 2, cy]
        lon, lat = lonlat(xs, ys)
        out.append({"type": "Feature", "id": ident, "properties": {"name": name, "population": 10000},
                    "geometry": {"type": "Polygon", "coordinates": [[[float(a), float(b)] for a, b in zip(lon, lat)]]}})
    return out


def synthetic(folder, kind, seed, residents, candidates, existing, radius, count, width=10_000, height=8_000):
    rng = np.random.default_rng(seed)
    x0, y0 = CENTRE[0] - width / 2, CENTRE[1] - height / 2

    def inside(xs, ys):
        return np.clip(xs, x0 + 1, x0 + width - 1), np.clip(ys, y0 + 1, y0 + height - 1)

    if kind == "random":
        rx, ry = x0 + rng.random(residents) * width, y0 + rng.random(residents) * height
        cx, cy = x0 + rng.random(candidates) * width, y0 + rng.random(candidates) * height
    else:
        clusters = int(rng.integers(6, 14))
        mx, my = x0 + rng.random(clusters) * width, y0 + rng.random(clusters) * height
        sigma = rng.uniform(200, 700, clusters)
        which = rng.integers(0, clusters, residents)
        rx, ry = inside(mx[which] + rng.normal(0, 1, residents) * sigma[which],
                        my[which] + rng.normal(0, 1, residents) * sigma[which])
        near = candidates // 2
        cw = rng.integers(0, clusters, near)
        nx, ny = inside(mx[cw] + rng.normal(0, 1, near) * 2 * sigma[cw], my[cw] + rng.normal(0, 1, near) * 2 * sigma[cw])
        cx = np.concatenate([nx, x0 + rng.random(candidates - near) * width])
        cy = np.concatenate([ny, y0 + rng.random(candidates - near) * height])
    weights = rng.integers(1, 201, residents)
    ex, ey = x0 + rng.random(existing) * width, y0 + rng.random(existing) * height

    os.makedirs(folder, exist_ok=True)
    write_lines(os.path.join(folder, "districts.geojson"), districts(width, height))
    write_lines(os.path.join(folder, "population.geojson"), points(rx, ry, [{"population": int(w)} for w in weights]))
    write_lines(os.path.join(folder, "candidates.geojson"), points(cx, cy, [{"_id": f"c{i + 1}"} for i in range(candidates)]))
    write_lines(os.path.join(folder, "entities.geojson"), points(ex, ey, [
        {"_id": i + 1, "kind": "venue", "name": f"Клуб {i + 1}", "themes": ["youth"], "status": "active"}
        for i in range(existing)]))
    with open(os.path.join(folder, "instance.json"), "w") as f:
        json.dump({"kind": kind, "radius": radius, "count": count, "files": True, "seed": seed,
                   "residents": residents, "candidates": candidates}, f)


def city(folder, radius, count, cell=100):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "instance.json"), "w") as f:
        json.dump({"kind": "city", "radius": radius, "count": count, "files": False, "dataset": "geodata/oskemen",
                   "theme": "youth", "cell": cell}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--set", choices=["full", "ci"], default="full")
    args = parser.parse_args()
    n = 0
    if args.set == "ci":
        synthetic(os.path.join(args.out, "ci-random"), "random", 11, 600, 80, 3, 600, 4)
        synthetic(os.path.join(args.out, "ci-clustered"), "clustered", 12, 600, 80, 3, 500, 5)
        city(os.path.join(args.out, "ci-city-500"), 500, 3, cell=250)
        n = 3
    else:
        # (kind, seed, residents, candidates, existing, radius, K)
        plan = [("random", 1, 2000, 200, 5, 500, 5), ("random", 2, 2000, 200, 5, 800, 10),
                ("random", 3, 3000, 300, 8, 400, 15), ("random", 4, 3000, 300, 0, 1000, 5),
                ("random", 5, 4000, 400, 10, 600, 20), ("random", 6, 5000, 500, 10, 500, 10),
                ("random", 7, 1500, 150, 3, 1200, 3), ("random", 8, 5000, 500, 12, 300, 25),
                ("clustered", 21, 2000, 200, 5, 500, 5), ("clustered", 22, 2000, 200, 5, 800, 8),
                ("clustered", 23, 3000, 300, 8, 400, 10), ("clustered", 24, 3000, 300, 0, 1000, 4),
                ("clustered", 25, 4000, 400, 10, 600, 12), ("clustered", 26, 5000, 500, 10, 500, 15),
                ("clustered", 27, 1500, 150, 3, 1200, 3), ("clustered", 28, 5000, 500, 12, 300, 20)]
        for kind, seed, r, c, e, radius, k in plan:
            synthetic(os.path.join(args.out, f"{kind}-{seed:02d}"), kind, seed, r, c, e, radius, k)
            n += 1
        # The 100 m grid for the short radii; 200 m for the long ones, where 100 m would give the
        # integer program millions of pairs (CBC then takes many minutes; civic does not mind).
        for radius, k, cell in [(300, 3, 100), (500, 3, 100), (500, 5, 100), (800, 3, 200), (800, 5, 200), (1200, 3, 200)]:
            city(os.path.join(args.out, f"city-r{radius}-k{k}"), radius, k, cell)
            n += 1
        synthetic(os.path.join(args.out, "speed-10000x1000"), "clustered", 99, 10_000, 1_000, 10, 500, 10,
                  width=16_000, height=12_000)
        n += 1
    print(f"make_suggest.py: {n} instances in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
