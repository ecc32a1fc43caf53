#!/usr/bin/env python3
"""An independent count of a dataset's street network, checked against what `civic validate` says.

`civic validate` notes `network.geojson: W ways, N nodes, L km, in P connected pieces` and warns
when the largest piece holds less than 90 % of the length. This script reads network.geojson with
the standard library alone and counts the same things by the walking graph's vertex rule
(DESIGN §5b, StreetNetworkFile): a position with an OSM node id (`nodes`) is the vertex of that
id; one without is the vertex of its coordinates at 7 decimals, and meets a node-id vertex at the
same coordinates. Lengths are haversine on the mean Earth radius (6,371,008.8 m).

    network_check.py DATASET [--civic PATH]    # exit 0 when civic agrees, 1 when it does not
"""
import argparse
import json
import math
import re
import subprocess
import sys

RADIUS = 6_371_008.8


def haversine(a, b):
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * RADIUS * math.asin(min(1.0, math.sqrt(h)))


def summary(path):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    parent = {}

    def find(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    def key(position):
        return (round(position[0] * 1e7), round(position[1] * 1e7))

    node_at = {}       # coordinates -> the node-id vertex there
    drawn = set()      # coordinates of positions without node ids
    ways = []          # (first vertex, length)
    for feature in collection["features"]:
        geometry = feature["geometry"]
        parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        ids = (feature.get("properties") or {}).get("nodes")
        for part in parts:
            vertices = []
            for i, position in enumerate(part):
                if ids is not None:
                    v = ("n", str(ids[i]))
                    node_at.setdefault(key(position), v)
                else:
                    v = ("c", key(position))
                    drawn.add(key(position))
                parent.setdefault(v, v)
                vertices.append(v)
            for a, b in zip(vertices, vertices[1:]):
                union(a, b)
            length = sum(haversine(a, b) for a, b in zip(part, part[1:]))
            ways.append((vertices[0], length))
    merged = 0
    for coordinates in drawn:
        if coordinates in node_at:
            union(node_at[coordinates], ("c", coordinates))
            merged += 1
    pieces = {}
    for v in parent:
        pieces.setdefault(find(v), 0.0)
    for first, length in ways:
        pieces[find(first)] += length
    total = sum(length for _, length in ways)
    return {
        "ways": len(ways),
        "nodes": len(parent) - merged,
        "km": round(total / 1000, 1),
        "pieces": len(pieces),
        "largest_share": max(pieces.values()) / total if total > 0 else 1.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--civic", default=".build/debug/civic")
    args = parser.parse_args()

    peer = summary(args.dataset + "/network.geojson")
    run = subprocess.run([args.civic, "validate", "--dataset", args.dataset], capture_output=True, text=True)
    note = re.search(r"network\.geojson: ([\d,]+) ways?, ([\d,]+) nodes?, ([\d.]+) km, in ([\d,]+) connected piece", run.stderr)
    if not note:
        print(f"network_check: civic validate said no network size:\n{run.stderr}", file=sys.stderr)
        return 1
    civic = {
        "ways": int(note.group(1).replace(",", "")),
        "nodes": int(note.group(2).replace(",", "")),
        "km": float(note.group(3)),
        "pieces": int(note.group(4).replace(",", "")),
    }
    warned = "probably a partial export" in run.stderr
    expected_warning = peer["largest_share"] < 0.9
    agree = all(civic[k] == peer[k] for k in civic) and warned == expected_warning
    print(f"{args.dataset}: civic {civic}, partial-export warning {warned}; "
          f"peer {peer}; {'agree' if agree else 'DISAGREE'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
