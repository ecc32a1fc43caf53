#!/usr/bin/env python3
"""The peer of `civic concerns summary`: the same figures from the dataset's files, computed
independently with shapely and pyproj (docs/concerns.md), then compared with civic's output.

    peer_concerns.py DATASET [--radius 500] [--since 2026-01-01] [--out peer.json]
    peer_concerns.py DATASET --compare civic.json     # civic's `--format json --include-private`

Per district and theme with concerns: concerns, open, per_1000, median_days_to_resolve,
theme_covered_share (each active entity with the theme buffered by the radius, 16 segments per
quarter circle, in the UTM zone of the district's bounding-box centre; union; ∩ district; area
share) and priority (need = demand × (1 − share); high from 1 with 5 or more concerns, medium
from 0.5, low below). The comparison wants counts, medians and priorities equal, per_1000 within
0.001 and the covered share within 0.002 (0.2 percentage points, as for coverage). Exit 0 when
they agree, 1 when not.
"""
import argparse
import datetime
import json
import math
import statistics
import sys

import pyproj
import shapely
from shapely.geometry import shape


def utm_epsg(lon, lat):
    zone = int(math.floor((lon + 180) / 6)) + 1
    return (32600 if lat >= 0 else 32700) + zone


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["features"]


def summary(folder, radius, since):
    info = json.load(open(f"{folder}/dataset.json", encoding="utf-8"))
    themes = [t["id"] for t in info["vocabulary"]["themes"]]
    districts = load(f"{folder}/districts.geojson")
    entities = load(f"{folder}/entities.geojson")
    concerns = load(f"{folder}/concerns.geojson")
    if since:
        concerns = [c for c in concerns if c["properties"]["received"] >= since]

    by = {}
    for c in concerns:
        p = c["properties"]
        by.setdefault(p["theme"], {}).setdefault(p["district"], []).append(p)

    rows = []
    for theme in themes:
        if theme not in by:
            continue
        chosen = [e for e in entities
                  if e["properties"].get("status", "active") == "active" and theme in e["properties"].get("themes", [])]
        known = residents = total = 0
        for d in districts:
            n = len(by[theme].get(d["id"], []))
            total += n
            pop = d["properties"].get("population")
            if pop:
                known += n
                residents += pop
        for d in districts:
            items = by[theme].get(d["id"], [])
            if not items:
                continue
            geom = shape(d["geometry"])
            minx, miny, maxx, maxy = geom.bounds
            epsg = utm_epsg((minx + maxx) / 2, (miny + maxy) / 2)
            to_utm = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform

            def reproject(g):
                return shapely.transform(g, lambda x, y: to_utm(x, y), interleaved=False)

            district = reproject(geom)
            reaches = [reproject(shape(e["geometry"])).buffer(radius, quad_segs=16) for e in chosen]
            covered = shapely.union_all(reaches).intersection(district).area if reaches else 0.0
            share = covered / district.area if district.area > 0 else 0.0

            pop = d["properties"].get("population")
            per_1000 = None
            if pop:
                rate = len(items) / pop
                per_1000 = rate * 1000
                demand = rate / (known / residents) if known else 0.0
            else:
                demand = len(items) / (total / len(districts))
            days = [(datetime.date.fromisoformat(p["resolved"]) - datetime.date.fromisoformat(p["received"])).days
                    for p in items if p["status"] == "resolved" and p.get("resolved")]
            need = demand * (1 - share)
            priority = "high" if need >= 1 and len(items) >= 5 else "medium" if need >= 0.5 else "low"
            row = {"district_id": d["id"], "theme": theme, "concerns": len(items),
                   "open": sum(1 for p in items if p["status"] == "open"),
                   "theme_covered_share": share, "priority": priority}
            if per_1000 is not None:
                row["per_1000"] = per_1000
            if days:
                row["median_days_to_resolve"] = statistics.median(days)
            rows.append(row)
    return rows


def compare(peer, civic):
    failures = []
    worst_share = worst_rate = 0.0
    civic_rows = {(r["district_id"], r["theme"]): r for r in civic}
    peer_rows = {(r["district_id"], r["theme"]): r for r in peer}
    if set(civic_rows) != set(peer_rows):
        failures.append(f"rows differ: only civic {sorted(set(civic_rows) - set(peer_rows))}, "
                        f"only peer {sorted(set(peer_rows) - set(civic_rows))}")
    for key in sorted(set(civic_rows) & set(peer_rows)):
        a, b = civic_rows[key], peer_rows[key]
        for field in ("concerns", "open", "priority", "median_days_to_resolve"):
            if a.get(field) != b.get(field):
                failures.append(f"{key}: {field}: civic {a.get(field)}, peer {b.get(field)}")
        if ("per_1000" in a) != ("per_1000" in b):
            failures.append(f"{key}: per_1000 in one only")
        elif "per_1000" in a:
            worst_rate = max(worst_rate, abs(a["per_1000"] - b["per_1000"]))
        worst_share = max(worst_share, abs(a["theme_covered_share"] - b["theme_covered_share"]))
    if worst_rate > 0.001:
        failures.append(f"per_1000 differs by {worst_rate}")
    if worst_share > 0.002:
        failures.append(f"theme_covered_share differs by {worst_share}")
    print(f"{len(peer_rows)} rows; worst per_1000 difference {worst_rate:.6f}, "
          f"worst theme_covered_share difference {worst_share:.6f}")
    for f in failures[:20]:
        print("DIFFERS:", f)
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--radius", type=float, default=500)
    parser.add_argument("--since")
    parser.add_argument("--out")
    parser.add_argument("--compare", help="civic's `concerns summary --format json --include-private`")
    args = parser.parse_args()
    rows = summary(args.dataset, args.radius, args.since)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({"rows": rows}, f, ensure_ascii=False, indent=1)
    if args.compare:
        with open(args.compare, encoding="utf-8") as f:
            civic = json.load(f)["rows"]
        sys.exit(0 if compare(rows, civic) else 1)


if __name__ == "__main__":
    main()
