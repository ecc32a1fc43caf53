#!/usr/bin/env python3
"""A synthetic OSM extract of a city's streets, for timing `civic import osm` on PBF (issue 12).

A square grid of untagged nodes around Oskemen (82.61 E, 49.95 N), about 10 m apart, joined into
ways of 50 nodes along every row and column (residential streets, footways every fifth line,
a motorway every 97th), with a tagged civic node (a library or a school, with a name) every 997th
node. Written as OSM XML sorted by type and id, as osmium writes it, so that
`osmium cat city.osm -o city.osm.pbf` makes the PBF the benchmark reads. Standard library only.

    make_osm_city.py --nodes 2000000 --out benchmarks/data/osm/city.osm
"""
import argparse
import math


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=2_000_000, help="about how many nodes (a square grid)")
    parser.add_argument("--out", required=True, help="the OSM XML file to write")
    args = parser.parse_args()

    side = max(2, int(math.isqrt(args.nodes)))
    step_lat = 10 / 111_195  # 10 m
    step_lon = step_lat / math.cos(math.radians(49.95))
    south = 49.95 - side / 2 * step_lat
    west = 82.61 - side / 2 * step_lon

    def node_id(row, col):
        return 1_000_000_000 + row * side + col

    with open(args.out, "w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"make_osm_city.py\">\n")
        for row in range(side):
            lat = south + row * step_lat
            for col in range(side):
                n = node_id(row, col)
                lon = west + col * step_lon
                if n % 997 == 0:
                    amenity, name = ("library", "Библиотека") if n % 2 else ("school", "Школа")
                    out.write(f'  <node id="{n}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">\n'
                              f'    <tag k="amenity" v="{amenity}"/>\n'
                              f'    <tag k="name" v="{name} №{n % 100_000}"/>\n  </node>\n')
                else:
                    out.write(f'  <node id="{n}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>\n')
        way = 1
        for direction in ("row", "col"):
            for line in range(side):
                highway = "motorway" if line % 97 == 0 else "footway" if line % 5 == 0 else "residential"
                for start in range(0, side - 1, 49):
                    cells = range(start, min(start + 50, side))
                    if len(cells) < 2:
                        continue
                    out.write(f'  <way id="{way}" version="1">\n')
                    for cell in cells:
                        ref = node_id(line, cell) if direction == "row" else node_id(cell, line)
                        out.write(f'    <nd ref="{ref}"/>\n')
                    out.write(f'    <tag k="highway" v="{highway}"/>\n')
                    if highway == "residential":
                        out.write(f'    <tag k="name" v="улица {direction} {line}"/>\n')
                    out.write("  </way>\n")
                    way += 1
        out.write("</osm>\n")
    print(f"{args.out}: {side * side} nodes, {way - 1} ways")


if __name__ == "__main__":
    main()
