#!/usr/bin/env python3
"""Check the bundled street network and draw it: geodata/oskemen/network.geojson.

    python3 geodata/check_streets.py                 # prints the figures; exits 1 on a failed check
    python3 geodata/check_streets.py --svg map.svg   # also draws districts, streets, bridges, entities

Reads the files as civic does (vertices meet by identical coordinates at 7 decimals) and checks,
independently of how make_streets.py drew them:

- every way lies on land (inside a district) except the bridges, and every way that leaves the land
  is named as a bridge: so the rivers are crossed only on bridges;
- a bridge shares a vertex with the streets at its two ends only, and its ends are on different
  banks; without the bridges, no connected piece of the network spans two banks;
- one connected piece holds nearly all the length;
- most entities are within 100 m of a street; every district has streets.

Standard library only. Lengths in the local metric frame of make_streets.py (true to about 0.2 %).
"""

import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_streets as drawing  # noqa: E402  (the frame, the districts reader, point-in-polygon)

ENTITIES = os.path.join(drawing.DATASET, "entities.geojson")
NEAR_M = 100.0
SAMPLE_M = 5.0


def read_ways(path):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    ways = []
    for feature in collection["features"]:
        p = feature["properties"]
        keys = [(round(lon * 1e7), round(lat * 1e7)) for lon, lat in feature["geometry"]["coordinates"]]
        ways.append({"source": p["source"], "highway": p.get("highway"), "name": p.get("name"), "keys": keys,
                     "xy": [drawing.to_xy(k[0] / 1e7, k[1] / 1e7) for k in keys]})
    return ways


def read_entities(path=ENTITIES):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    entities = []
    for feature in collection["features"]:
        g = feature["geometry"]
        if g["type"] == "Point":
            entities.append((feature["id"], "point", [drawing.to_xy(*g["coordinates"])]))
        else:
            rings = [[drawing.to_xy(*p) for p in ring] for ring in g["coordinates"]]
            entities.append((feature["id"], "polygon", rings))
    return entities


def district_of(point, districts):
    for district_id, rings in districts.items():
        if drawing.inside(point, rings):
            return district_id
    return None


def segment_distance(p, a, b):
    q, _ = drawing.project(p, a, b)
    return drawing.distance(p, q)


class Pieces:
    """Union-find over vertex keys."""

    def __init__(self):
        self.parent = {}

    def find(self, k):
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def check(network_path, svg_path=None):
    districts = drawing.read_districts()
    bank_of_district = {d: bank for bank, ids in drawing.BANKS.items() for d in ids}
    ways = read_ways(network_path)
    entities = read_entities()
    problems = []

    # 1. Which ways leave the land: sample every way every SAMPLE_M metres (sample points strictly
    # inside segments, so that ends clipped exactly onto the shore do not count).
    for way in ways:
        wet = 0.0
        for a, b in zip(way["xy"], way["xy"][1:]):
            n = max(1, int(drawing.distance(a, b) // SAMPLE_M))
            for k in range(n):
                if district_of(drawing.lerp(a, b, (k + 0.5) / n), districts) is None:
                    wet += drawing.distance(a, b) / n
        way["wet_m"] = wet
    bridges = [w for w in ways if w["wet_m"] > 0]
    for w in bridges:
        if not (w["name"] or "").lower().count("мост"):
            problems.append(f"{w['source']} ({w['name']}) runs {w['wet_m']:.0f} m outside the districts "
                            "but is not a bridge")
    bridge_sources = {w["source"] for w in bridges}
    named_bridges = [w for w in ways if "мост" in (w["name"] or "").lower()]
    for w in named_bridges:
        if w["source"] not in bridge_sources:
            problems.append(f"{w['source']} ({w['name']}) is called a bridge but crosses no water")

    # 2. Bridges meet the streets only at their ends; the ends are on different banks.
    street_vertices = {}
    for w in ways:
        if w["source"] in bridge_sources:
            continue
        for k in w["keys"]:
            street_vertices.setdefault(k, set()).add(w["source"])
    bridge_rows = []
    for w in bridges:
        ends = [w["keys"][0], w["keys"][-1]]
        for k in ends:
            if k not in street_vertices:
                problems.append(f"{w['source']} ({w['name']}): the end {k} meets no street")
        for k in w["keys"][1:-1]:
            if k in street_vertices:
                problems.append(f"{w['source']} ({w['name']}) shares an inner vertex with a street")
        # The streets it passes over (embankments, streets under its approaches): crossed, not met.
        over = set()
        for v in ways:
            if v["source"] in bridge_sources:
                continue
            for a, b in zip(v["xy"], v["xy"][1:]):
                for c, d in zip(w["xy"], w["xy"][1:]):
                    hit = drawing.intersect(a, b, c, d)
                    if hit and 1e-6 < hit[1] < 1 - 1e-6:
                        over.add(v["source"])
        sides = [district_of(w["xy"][i], districts) for i in (0, -1)]
        banks = [bank_of_district.get(side) for side in sides]
        if banks[0] is None or banks[1] is None or banks[0] == banks[1]:
            problems.append(f"{w['source']} ({w['name']}) does not join two banks: {banks}")
        bridge_rows.append((w["name"], w["highway"], drawing.length(w["xy"]), w["wet_m"], sides, len(over)))

    # 3. Connected pieces, with and without the bridges.
    def pieces(include_bridges):
        uf = Pieces()
        for w in ways:
            if not include_bridges and w["source"] in bridge_sources:
                continue
            for a, b in zip(w["keys"], w["keys"][1:]):
                uf.join(a, b)
        return uf

    total_m = sum(drawing.length(w["xy"]) for w in ways)
    uf = pieces(True)
    length_by_piece = {}
    for w in ways:
        r = uf.find(w["keys"][0])
        length_by_piece[r] = length_by_piece.get(r, 0.0) + drawing.length(w["xy"])
    largest_share = max(length_by_piece.values()) / total_m
    if largest_share < 0.97:
        problems.append(f"the largest connected piece holds only {largest_share:.1%} of the length")

    uf_dry = pieces(False)
    banks_by_piece = {}
    for w in ways:
        if w["source"] in bridge_sources:
            continue
        for k, xy in zip(w["keys"], w["xy"]):
            district = district_of(xy, districts)
            if district is not None:
                banks_by_piece.setdefault(uf_dry.find(k), set()).add(bank_of_district[district])
    spanning = [b for b in banks_by_piece.values() if len(b) > 1]
    if spanning:
        problems.append(f"without the bridges, {len(spanning)} pieces still span two banks: {spanning}")

    # 4. Entities near a street; streets in every district.
    segments = [(a, b) for w in ways for a, b in zip(w["xy"], w["xy"][1:])]
    near, far = 0, []
    for entity_id, kind, geometry in entities:
        if kind == "point":
            d = min(segment_distance(geometry[0], a, b) for a, b in segments)
        else:
            rings = geometry
            if any(drawing.inside(p, rings) for w in ways for p in w["xy"]) or any(
                    drawing.crossings(a, b, rings) for a, b in segments):
                d = 0.0
            else:
                d = min(min(segment_distance(p, a, b) for a, b in segments) for ring in rings for p in ring)
        if d <= NEAR_M:
            near += 1
        else:
            far.append((entity_id, round(d)))
    near_share = near / len(entities)
    if near_share < 0.9:
        problems.append(f"only {near_share:.0%} of the entities are within {NEAR_M:.0f} m of a street")

    km_by_district = {d: 0.0 for d in districts}
    for a, b in segments:
        d = district_of(drawing.lerp(a, b, 0.5), districts)
        if d is not None:
            km_by_district[d] += drawing.distance(a, b) / 1000
    for d, km in km_by_district.items():
        if km < 5:
            problems.append(f"district {d} has only {km:.1f} km of streets")

    # The report.
    print(f"ways: {len(ways)}, length: {total_m / 1000:.1f} km, vertices: {len(uf.parent)}")
    by_highway = {}
    for w in ways:
        by_highway[w["highway"]] = by_highway.get(w["highway"], 0.0) + drawing.length(w["xy"]) / 1000
    print("by highway (km): " + ", ".join(f"{h} {km:.1f}" for h, km in sorted(by_highway.items())))
    print(f"connected pieces: {len(length_by_piece)}; the largest holds {largest_share:.2%} of the length")
    print(f"without the bridges: {len(banks_by_piece)} pieces, none spanning two banks: {not spanning}")
    print(f"entities within {NEAR_M:.0f} m of a street: {near} of {len(entities)} ({near_share:.0%});"
          f" farther: {far}")
    print("bridges:")
    for name, highway, metres, wet, sides, over in bridge_rows:
        print(f"  {name} ({highway}): {metres:.0f} m, {wet:.0f} m over water, {sides[0]} – {sides[1]},"
              f" passes over {over} ways without meeting them")
    print("street km per district: " + ", ".join(f"{d} {km:.0f}" for d, km in km_by_district.items()))
    if svg_path:
        write_svg(svg_path, districts, ways, bridge_sources, entities)
    for p in problems:
        print(f"check_streets.py: {p}", file=sys.stderr)
    return 1 if problems else 0


COLOURS = {"primary": ("#b03a2e", 2.2), "secondary": ("#d35400", 1.6), "tertiary": ("#7d6608", 1.2),
           "residential": ("#555555", 0.6), "service": ("#8e8e8e", 0.5), "footway": ("#1e8449", 0.9)}


def write_svg(path, districts, ways, bridge_sources, entities):
    """Districts (shaded), streets by class, bridges in blue, entities as red dots; 1 px = 10 m."""
    xs = [x for rings in districts.values() for ring in rings for x, _ in ring]
    ys = [y for rings in districts.values() for ring in rings for _, y in ring]
    x0, y1 = min(xs) - 200, max(ys) + 200
    width, height = (max(xs) + 200 - x0) / 10, (y1 - min(ys) + 200) / 10

    def pt(p):
        return f"{(p[0] - x0) / 10:.1f},{(y1 - p[1]) / 10:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}">',
           f'<rect width="100%" height="100%" fill="#cfe8f7"/>']
    palette = ["#f5eedc", "#eef5dc", "#dcf0f5", "#f5dce9", "#e4dcf5", "#dcf5e2", "#f5e3dc"]
    for i, (district_id, rings) in enumerate(districts.items()):
        d = " ".join("M" + " L".join(pt(p) for p in ring) + " Z" for ring in rings)
        out.append(f'<path d="{d}" fill="{palette[i % len(palette)]}" stroke="#999" stroke-width="0.6"/>')
        cx = sum(p[0] for p in rings[0]) / len(rings[0])
        cy = sum(p[1] for p in rings[0]) / len(rings[0])
        out.append(f'<text x="{pt((cx, cy)).split(",")[0]}" y="{pt((cx, cy)).split(",")[1]}" '
                   f'font-size="14" fill="#444">{district_id}</text>')
    for w in sorted(ways, key=lambda w: w["source"] in bridge_sources):
        colour, stroke = COLOURS.get(w["highway"], ("#000", 0.5))
        if w["source"] in bridge_sources:
            colour, stroke = "#1f3fff", 3.0
        out.append(f'<polyline points="{" ".join(pt(p) for p in w["xy"])}" fill="none" '
                   f'stroke="{colour}" stroke-width="{stroke}"/>')
    for entity_id, kind, geometry in entities:
        if kind == "point":
            x, y = pt(geometry[0]).split(",")
            out.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#e00"/>')
            out.append(f'<circle cx="{x}" cy="{y}" r="10" fill="none" stroke="#e00" stroke-width="0.4"/>')
        else:
            for ring in geometry:
                out.append(f'<polygon points="{" ".join(pt(p) for p in ring)}" fill="#e00" fill-opacity="0.4"/>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", nargs="?", default=drawing.NETWORK)
    parser.add_argument("--svg", help="also draw the districts, streets, bridges and entities here")
    arguments = parser.parse_args()
    return check(arguments.network, arguments.svg)


if __name__ == "__main__":
    sys.exit(main())
