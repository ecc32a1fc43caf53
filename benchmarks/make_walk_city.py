#!/usr/bin/env python3
"""Make the synthetic city of make_city.py with a street network, for walking coverage (issue 12).

    make_walk_city.py --entities 40000 --seed 1 --out benchmarks/data/walk-40000-s1

Writes everything make_city.py writes (the same districts, entities and population for the same
--entities and --seed) and network.geojson in civic's layout (DESIGN §5b, Sources/CivicCore/
StreetNetwork.swift: one LineString per way and per line, sorted by source, properties source,
highway, name, nodes):

- a street grid of about 60,000 nodes 62 m apart, jittered by up to 14 m, on the land inside the
  city outline: streets stop where they would touch water (dead ends on both banks), 6 % of the
  links are missing (more dead ends), and four diagonal avenues cross the grid at shared nodes;
- exactly three bridges over the Irtysh and two over the Ulba (which would otherwise cut the
  north-east off): each a way from a street node about two blocks back from one bank to one two
  blocks back from the other, with vertices of its own (new node ids) where it passes over the
  bank streets, so it meets the streets only at its two ends.

Node ids are numbers as text (OSM's), way sources `osm:way/N`. The network depends on --seed only.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import shapely
from pyproj import Transformer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_city  # noqa: E402

SPACING = 62.0
JITTER = 14.0
MISSING = 0.06
BRIDGE_NODE_BASE = 90_000_000
STREET_WORDS = make_city.STREETS + ["Пушкина", "Лермонтова", "Шевченко", "Мира", "Садовая",
                                    "Школьная", "Набережная", "Речная", "Степная", "Алтайская"]


def water_and_land(seed):
    """The city outline and its land exactly as make_city.py draws them for this seed."""
    forward = Transformer.from_crs("EPSG:4326", make_city.UTM, always_xy=True)
    cx, cy = forward.transform(make_city.CENTRE_LON, make_city.CENTRE_LAT)
    rng = np.random.default_rng([seed, 1])
    outline, land = make_city.outline_and_water(rng, cx, cy)
    return cx, cy, outline, land


def irtysh_y(cx, cy, x):
    """make_city.py's Irtysh centre line (outline_and_water), as a function of x."""
    t = x - cx
    return cy - 1_200 + 900 * np.sin(t / 3_100 + 0.7) + 300 * np.sin(t / 900)


def ulba_point(cx, cy, s):
    """make_city.py's Ulba centre line at s in 0..1."""
    return cx + 1_500 + 7_000 * s + 500 * np.sin(9 * s), cy - 1_000 + 9_000 * s


def make_network(seed, out):
    cx, cy, outline, land = water_and_land(seed)
    water = shapely.difference(outline, land)
    shapely.prepare(land)
    shapely.prepare(water)
    rng = np.random.default_rng([seed, 3])
    minx, miny, maxx, maxy = outline.bounds
    cols = int(math.ceil((maxx - minx) / SPACING)) + 1
    rows = int(math.ceil((maxy - miny) / SPACING)) + 1
    ii, jj = np.meshgrid(np.arange(cols), np.arange(rows))
    ii, jj = ii.ravel(), jj.ravel()
    x = minx + ii * SPACING + rng.uniform(-JITTER, JITTER, ii.size)
    y = miny + jj * SPACING + rng.uniform(-JITTER, JITTER, ii.size)
    present = shapely.contains_xy(land, x, y)

    def node(i, j):
        return j * cols + i

    # --- links: grid, then diagonal avenues through shared nodes --------------------------------
    def links(di, dj):
        """Every lattice link from (i, j) to (i + di, j + dj) inside the lattice."""
        inside = (ii + di >= 0) & (ii + di < cols) & (jj + dj >= 0) & (jj + dj < rows)
        i0, j0 = ii[inside], jj[inside]
        a, b = node(i0, j0), node(i0 + di, j0 + dj)
        return a, b

    def keep_links(a, b, drop):
        ok = present[a] & present[b]
        a, b = a[ok], b[ok]
        segs = shapely.linestrings(np.stack([np.column_stack([x[a], y[a]]), np.column_stack([x[b], y[b]])], axis=1))
        dry = ~shapely.intersects(water, segs)
        a, b = a[dry], b[dry]
        if drop:
            kept = rng.random(len(a)) >= MISSING
            a, b = a[kept], b[kept]
        return a, b

    ways = []  # (highway, name, [node indices])

    def chains(a, b, key, highway_of, name_of):
        """Consecutive links along a line (same `key`) as ways of 6-24 links each."""
        order = np.lexsort((a, key))
        a, b, key = a[order], b[order], key[order]
        start = 0
        while start < len(a):
            run = [int(a[start]), int(b[start])]
            k = start + 1
            limit = int(rng.integers(6, 25))
            while (k < len(a) and key[k] == key[start] and int(a[k]) == run[-1]
                   and len(run) <= limit):
                run.append(int(b[k]))
                k += 1
            ways.append((highway_of(int(key[start])), name_of(int(key[start])), run))
            start = k

    def highway_for(line):
        """Every 12th line a secondary street, every 4th a tertiary; the rest mostly residential."""
        if line % 12 == 0:
            return "secondary"
        if line % 4 == 0:
            return "tertiary"
        r = rng.random()
        return "service" if r < 0.06 else ("footway" if r < 0.1 else ("living_street" if r < 0.13 else "residential"))

    # Rows west to east, columns south to north.
    a, b = keep_links(*links(1, 0), drop=True)
    chains(a, b, jj[a], highway_for,
           lambda j: f"улица {STREET_WORDS[j % len(STREET_WORDS)]}" + (f" {j // len(STREET_WORDS) + 1}-я"
                                                                       if j >= len(STREET_WORDS) else ""))
    a, b = keep_links(*links(0, 1), drop=True)
    chains(a, b, ii[a], lambda i: highway_for(i + 2),
           lambda i: f"переулок {i}" if i % 3 else f"проспект {STREET_WORDS[(i // 3) % len(STREET_WORDS)]}")
    # Four avenues: j - i = k (north-east) and i + j = k (south-east), every k even so that any two
    # of them cross at a node.
    avenues = []
    mid_i, mid_j = cols // 2, rows // 2
    for direction, k in ((1, (mid_j - mid_i) // 2 * 2), (1, (mid_j - mid_i + 60) // 2 * 2),
                         (-1, (mid_i + mid_j) // 2 * 2), (-1, (mid_i + mid_j - 90) // 2 * 2)):
        if direction == 1:
            i0 = np.arange(cols - 1)
            j0 = i0 + k
        else:
            i0 = np.arange(cols - 1)
            j0 = k - i0
        j1 = j0 + direction
        ok = (j0 >= 0) & (j0 < rows) & (j1 >= 0) & (j1 < rows)
        avenues.append((node(i0[ok], j0[ok]), node(i0[ok] + 1, j1[ok])))
    names = ["проспект Независимости", "проспект Абая", "проспект Сатпаева", "проспект Ауэзова"]
    for n, (a, b) in enumerate(avenues):
        a, b = keep_links(a, b, drop=False)
        chains(a, b, np.full(len(a), n), lambda _: "primary", lambda k: names[k])

    # --- bridges ---------------------------------------------------------------------------------
    used = np.zeros(x.size, dtype=bool)
    for _, _, run in ways:
        used[run] = True

    def first_dry(i, j, di, dj, back=2):
        """From (i, j) in the water, the street node `back` steps past the first dry used node."""
        found = None
        for k in range(1, 40):
            ci, cj = i + di * k, j + dj * k
            if not (0 <= ci < cols and 0 <= cj < rows):
                break
            if used[node(ci, cj)]:
                found = k
                break
        if found is None:
            return None
        for k in range(found + back, found - 1, -1):
            ci, cj = i + di * k, j + dj * k
            if 0 <= ci < cols and 0 <= cj < rows and used[node(ci, cj)]:
                return node(ci, cj)
        return None

    bridge_specs = []
    for bx in (cx - 5_200, cx - 400, cx + 5_600):          # three over the Irtysh, south to north
        by = float(irtysh_y(cx, cy, bx))
        i, j = int(round((bx - minx) / SPACING)), int(round((by - miny) / SPACING))
        bridge_specs.append(("Irtysh", first_dry(i, j, 0, -1), first_dry(i + 1, j, 0, 1)))
    for s in (0.3, 0.62):                                   # two over the Ulba, west to east
        ux, uy = ulba_point(cx, cy, s)
        i, j = int(round((ux - minx) / SPACING)), int(round((uy - miny) / SPACING))
        bridge_specs.append(("Ulba", first_dry(i, j, -1, 0), first_dry(i, j + 1, 1, 0)))
    bridges = []
    next_id = BRIDGE_NODE_BASE
    bridge_names = {"Irtysh": ["Коммунальный мост", "Пушкинский мост", "Ертіс көпірі"],
                    "Ulba": ["Ульбинский мост", "Защитинский мост"]}
    counters = {"Irtysh": 0, "Ulba": 0}
    for river, s_node, e_node in bridge_specs:
        if s_node is None or e_node is None:
            sys.exit(f"make_walk_city: no street on a bank for a bridge over the {river}")
        p, q = np.array([x[s_node], y[s_node]]), np.array([x[e_node], y[e_node]])
        line = shapely.LineString([p, q])
        if not shapely.intersects(line, water):
            sys.exit(f"make_walk_city: a bridge over the {river} misses the water")
        steps = max(2, int(math.ceil(float(np.hypot(*(q - p))) / 40.0)))
        inner = [p + (q - p) * k / steps for k in range(1, steps)]
        ids = []
        for pt in inner:
            ids.append(next_id)
            next_id += 1
        name = bridge_names[river][counters[river]]
        counters[river] += 1
        bridges.append(("secondary", name, s_node, e_node, inner, ids))

    # --- write -----------------------------------------------------------------------------------
    inverse = Transformer.from_crs(make_city.UTM, "EPSG:4326", always_xy=True)
    lon, lat = inverse.transform(x, y)
    features = []
    way_id = 1

    def feature(highway, name, ids, coords):
        props = {"source": f"osm:way/{way_id}", "highway": highway, "name": name,
                 "nodes": [str(n) for n in ids]}
        ptext = json.dumps(props, ensure_ascii=False, separators=(",", ":"))
        ctext = ",".join(f"[{make_city.fmt(a)},{make_city.fmt(b)}]" for a, b in coords)
        return f'{{"type":"Feature","properties":{ptext},"geometry":{{"type":"LineString","coordinates":[{ctext}]}}}}'

    for highway, name, run in ways:
        features.append(feature(highway, name, [n + 1 for n in run], [(lon[n], lat[n]) for n in run]))
        way_id += 1
    crossings = 0
    edges_geom = None
    for highway, name, s_node, e_node, inner, ids in bridges:
        ilon, ilat = inverse.transform([pt[0] for pt in inner], [pt[1] for pt in inner])
        coords = [(lon[s_node], lat[s_node])] + list(zip(ilon, ilat)) + [(lon[e_node], lat[e_node])]
        features.append(feature(highway, name, [s_node + 1] + ids + [e_node + 1], coords))
        way_id += 1
        if edges_geom is None:
            pairs = np.array([(r[k], r[k + 1]) for _, _, r in ways for k in range(len(r) - 1)])
            edges_geom = shapely.linestrings(np.stack([np.column_stack([x[pairs[:, 0]], y[pairs[:, 0]]]),
                                                       np.column_stack([x[pairs[:, 1]], y[pairs[:, 1]]])], axis=1))
            etree = shapely.STRtree(edges_geom)
        span = shapely.LineString([(x[s_node], y[s_node])] + inner + [(x[e_node], y[e_node])])
        hit = etree.query(span, predicate="crosses")
        crossings += len(hit)
    make_city.write_collection(os.path.join(out, "network.geojson"), features)
    nodes = int(used.sum()) + sum(len(b[5]) for b in bridges)
    return {"ways": len(features), "nodes": nodes, "links": sum(len(r) - 1 for _, _, r in ways),
            "bridges": len(bridges), "streets passed over": crossings}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    sys.argv = [sys.argv[0], "--entities", str(a.entities), "--seed", str(a.seed), "--out", a.out]
    make_city.main()
    info = make_network(a.seed, a.out)
    print(f"make_walk_city: {a.out}: network of {info['nodes']:,} nodes, {info['links']:,} street links, "
          f"{info['ways']:,} ways, {info['bridges']} bridges (3 Irtysh, 2 Ulba) passing over "
          f"{info['streets passed over']} street links without a shared node, "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
