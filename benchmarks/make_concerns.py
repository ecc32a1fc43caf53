#!/usr/bin/env python3
"""Writes a deterministic register of residents' concerns for a civic dataset, as a CSV that
`civic import concerns` reads (the columns of a reception office's export, in Russian).

The concerns are illustrative, not real appeals: each district gets concerns in proportion to its
population, themes are drawn with city-wide weights, and most concerns of a theme gather around a
few spots per district (so that some 250 m cells hold 5 or more, as real complaints about one
broken street light or one unplowed yard do). Dates run from September to March; about 60 % are
resolved, after 1 to 60 days. No text, reporter or contact is written.

    python3 benchmarks/make_concerns.py geodata/oskemen --count 400 --seed 14 -o concerns.csv
    python3 benchmarks/make_concerns.py geodata/oskemen --count 100000 --seed 1 -o big.csv

Standard library only.
"""
import argparse
import datetime
import json
import random
import sys

THEMES = [  # (id, Russian label as a register writes it, weight)
    ("courtyards", "Дворы", 14), ("lighting", "Освещение", 12), ("transport", "Транспорт", 10),
    ("healthcare", "Здравоохранение", 7), ("education", "Образование", 5), ("snow_removal", "Уборка снега", 16),
    ("heating", "Отопление", 12), ("roads", "Дороги и тротуары", 15), ("air_quality", "Качество воздуха", 6),
    ("youth", "Молодёжь", 1), ("elderly", "Пожилые люди", 1), ("culture", "Культура", 1),
]
SOURCES = [("Приёмная акима", 5), ("Горячая линия 109", 4), ("Опрос жителей", 2)]


def rings_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def inside(point, polygons):
    """Even-odd ray casting over every ring of every polygon."""
    x, y = point
    hit = False
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    hit = not hit
    return hit


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", help="a civic dataset folder (its districts.geojson)")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with open(f"{args.dataset}/districts.geojson", encoding="utf-8") as f:
        districts = json.load(f)["features"]
    shapes = []
    for d in districts:
        polygons = rings_of(d["geometry"])
        xs = [p[0] for poly in polygons for ring in poly for p in ring]
        ys = [p[1] for poly in polygons for ring in poly for p in ring]
        shapes.append((d["id"], polygons, (min(xs), min(ys), max(xs), max(ys)),
                       max(1, d["properties"].get("population") or 1000)))

    def random_point(polygons, box):
        while True:
            p = (rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3]))
            if inside(p, polygons):
                return p

    # A few spots per district and theme where complaints gather.
    spots = {}
    for district_id, polygons, box, _ in shapes:
        for theme, _, _ in THEMES:
            spots[(district_id, theme)] = [random_point(polygons, box) for _ in range(rng.randint(1, 2))]

    weights = [s[3] for s in shapes]
    start = datetime.date(2025, 9, 1)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output != "-" else sys.stdout
    out.write("номер;дата обращения;тема;широта;долгота;статус;дата решения;источник\r\n")
    for n in range(1, args.count + 1):
        district_id, polygons, box, _ = rng.choices(shapes, weights=weights)[0]
        theme, label, _ = rng.choices(THEMES, weights=[t[2] for t in THEMES])[0]
        if rng.random() < 0.8:
            # Near a spot: most within about 80 m, kept inside the district.
            cx, cy = rng.choice(spots[(district_id, theme)])
            for _ in range(50):
                p = (cx + rng.gauss(0, 0.0008), cy + rng.gauss(0, 0.0005))
                if inside(p, polygons):
                    break
            else:
                p = (cx, cy)
        else:
            p = random_point(polygons, box)
        received = start + datetime.timedelta(days=rng.randint(0, 211))
        resolved = ""
        status = "открыто"
        if rng.random() < 0.6:
            status = "решено"
            resolved = (received + datetime.timedelta(days=rng.randint(1, 60))).strftime("%d.%m.%Y")
        source = rng.choices([s[0] for s in SOURCES], weights=[s[1] for s in SOURCES])[0]
        lat = f"{p[1]:.6f}".replace(".", ",")
        lon = f"{p[0]:.6f}".replace(".", ",")
        out.write(f"{2026000 + n};{received.strftime('%d.%m.%Y')};{label};{lat};{lon};{status};{resolved};{source}\r\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
