#!/usr/bin/env python3
"""Make a deterministic synthetic city around Oskemen as a civic dataset folder.

    make_city.py --entities 40000 --seed 1 --out benchmarks/data/city-40000

Writes, in WGS84 and in civic's dataset layout (one feature per line, 7 decimals at most,
counter-clockwise outer rings):

- districts.geojson   ~300 Voronoi districts clipped to a city outline about 20 km x 15 km, cut by
                      two rivers (so some districts are MultiPolygons) and two ponds (holes);
                      properties name (Cyrillic, some Kazakh), names, population
- entities.geojson    N entities, ids 1..N: Gaussian clusters plus a uniform background, none in
                      "empty zones" (parks, industry: about a quarter of the land, so covered
                      shares stay below 1 at every size); ~8 % small polygons (squares and
                      hexagons 20-150 m across), 5 % inactive
- population.geojson  30,000 points with an integer `population` 1..200; a few sit exactly on
                      vertices shared by two or more districts (population 1), to exercise
                      "a point counts for every district that covers it"
- dataset.json, .gitignore

The same --entities and --seed give the same bytes. Districts and population points do not depend
on --entities, so cities of every size share them.
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

CENTRE_LON, CENTRE_LAT = 82.61, 49.95
UTM = "EPSG:32644"
N_DISTRICTS = 300
N_POPULATION = 30_000
N_BOUNDARY_POINTS = 12

KINDS = ["community", "initiative_group", "venue"]
THEMES = ["courtyards", "lighting", "transport", "healthcare", "education", "snow_removal",
          "heating", "roads", "air_quality", "youth", "elderly", "culture"]

# Copied from Sources/CivicCore/Model.swift (Vocabulary.standard).
VOCABULARY = {
    "kinds": [
        {"id": "community", "labels": {"en": "community", "kk": "қауымдастық", "ru": "сообщество"}},
        {"id": "initiative_group",
         "labels": {"en": "initiative group", "kk": "бастамашыл топ", "ru": "инициативная группа"}},
        {"id": "venue", "labels": {"en": "venue", "kk": "алаң", "ru": "площадка"}},
    ],
    "themes": [
        {"id": "courtyards", "labels": {"en": "courtyards", "kk": "аулалар", "ru": "дворы"}},
        {"id": "lighting", "labels": {"en": "street lighting", "kk": "жарықтандыру", "ru": "освещение"}},
        {"id": "transport", "labels": {"en": "public transport", "kk": "көлік", "ru": "транспорт"}},
        {"id": "healthcare",
         "labels": {"en": "healthcare", "kk": "денсаулық сақтау", "ru": "здравоохранение"}},
        {"id": "education", "labels": {"en": "education", "kk": "білім беру", "ru": "образование"}},
        {"id": "snow_removal", "labels": {"en": "snow removal", "kk": "қар тазалау", "ru": "уборка снега"}},
        {"id": "heating", "labels": {"en": "heating", "kk": "жылыту", "ru": "отопление"}},
        {"id": "roads", "labels": {"en": "roads and sidewalks", "kk": "жолдар мен тротуарлар",
                                   "ru": "дороги и тротуары"}},
        {"id": "air_quality", "labels": {"en": "air quality", "kk": "ауа сапасы", "ru": "качество воздуха"}},
        {"id": "youth", "labels": {"en": "youth", "kk": "жастар", "ru": "молодёжь"}},
        {"id": "elderly", "labels": {"en": "elderly people", "kk": "қарт адамдар", "ru": "пожилые люди"}},
        {"id": "culture", "labels": {"en": "culture", "kk": "мәдениет", "ru": "культура"}},
    ],
}

# Named districts (ru, kk); the rest are "Микрорайон N" / "N шағын аудан".
DISTRICT_NAMES = [
    ("Ахмирово", "Ахмер"), ("Защита", "Защита"), ("Согра", "Согра"), ("Новая Согра", "Жаңа Согра"),
    ("Старый город", "Ескі қала"), ("Левый берег", "Сол жағалау"), ("Правый берег", "Оң жағалау"),
    ("Восточный", "Шығыс"), ("Ульбинский", "Үлбі"), ("Аблакетка", "Аблакетка"),
    ("Меновное", "Меновное"), ("Самал", "Самал"), ("Нурлы жол", "Нұрлы жол"), ("Коктем", "Көктем"),
    ("Жастар", "Жастар"), ("Шығыс-2", "Шығыс-2"), ("Өндіріс", "Өндіріс"), ("Иртышский", "Ертіс"),
    ("Береке", "Береке"), ("Ақжайық", "Ақжайық"), ("Сосновый бор", "Қарағайлы"),
    ("Привокзальный", "Вокзал маңы"), ("Опытное поле", "Тәжірибе алаңы"), ("Титановый", "Титан"),
]

STREETS = ["Казахстан", "Ауэзова", "Абая", "Торайгырова", "Протозанова", "Ушанова", "Бажова",
           "Сатпаева", "Кабанбай батыра", "Тәуелсіздік", "Жангельдина", "Независимости", "Кайсенова",
           "Утепова", "Кирова", "Головкова", "Бурова", "Қазыбек би", "Гоголя", "Егорова"]
WORDS_RU = ["Соседи", "Светлый двор", "Наш двор", "Зелёный квартал", "Уютный дом", "Тёплый дом",
            "Чистый берег", "Ульба", "Иртыш", "Алтай", "Родник", "Рассвет", "Надежда", "Дружба"]
WORDS_KK = ["Көршілер", "Жарық аула", "Біздің аула", "Жасыл мекен", "Жайлы үй", "Ертіс", "Үлбі",
            "Алтай", "Бұлақ", "Таң", "Үміт", "Достық", "Қамқор", "Шаңырақ"]
VENUES_RU = ["Библиотека № {n}", "Школа-лицей № {n}", "Дом культуры «{w}»", "Спортплощадка «{w}»",
             "Коворкинг «{w}»", "Клуб «{w}»", "Поликлиника № {n}", "Детский сад № {n}"]
VENUES_KK = ["№ {n} кітапхана", "№ {n} мектеп-лицей", "«{w}» мәдениет үйі", "«{w}» спорт алаңы",
             "«{w}» коворкингі", "«{w}» клубы", "№ {n} емхана", "№ {n} балабақша"]
STAMP = "2026-01-15T09:00:00Z"


# ----------------------------------------------------------------------------------------------
# Output in civic's layout

def fmt(v):
    """A coordinate with at most 7 decimals, trailing zeros dropped (civic's writer does the same)."""
    s = f"{v:.7f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def ring_text(coords):
    return "[" + ",".join(f"[{fmt(x)},{fmt(y)}]" for x, y in coords) + "]"


def polygon_text(poly):
    rings = [poly.exterior] + list(poly.interiors)
    return "[" + ",".join(ring_text(r.coords) for r in rings) + "]"


def geometry_text(g):
    if g.geom_type == "Point":
        return f'{{"type":"Point","coordinates":[{fmt(g.x)},{fmt(g.y)}]}}'
    if g.geom_type == "Polygon":
        return '{"type":"Polygon","coordinates":' + polygon_text(g) + "}"
    if g.geom_type == "MultiPolygon":
        return ('{"type":"MultiPolygon","coordinates":['
                + ",".join(polygon_text(p) for p in g.geoms) + "]}")
    raise ValueError(f"unexpected geometry {g.geom_type}")


def write_collection(path, lines):
    """lines: the features as JSON text, already in order."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(lines))
        f.write("\n]}\n")
    os.replace(tmp, path)


def feature_line(fid, props, geom):
    idtext = json.dumps(fid, ensure_ascii=False)
    ptext = json.dumps(props, ensure_ascii=False, separators=(",", ":"))
    return f'{{"type":"Feature","id":{idtext},"properties":{ptext},"geometry":{geometry_text(geom)}}}'


# ----------------------------------------------------------------------------------------------
# Geometry helpers (all construction in UTM metres, then to WGS84)

def to_wgs84(geoms, inverse):
    def f(c):
        x, y = inverse.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])
    return shapely.transform(geoms, f)


def snap(geoms):
    """WGS84 geometries on the 1e-7 degree grid civic writes, valid, outer rings CCW."""
    g = shapely.set_precision(geoms, 1e-7)
    g = shapely.orient_polygons(g, exterior_cw=False)
    return g


def outline_and_water(rng, cx, cy):
    """The city outline in UTM: a lobed ellipse about 20 km x 15 km, minus two rivers and two ponds."""
    theta = np.linspace(0, 2 * np.pi, 721)[:-1]
    r = np.ones_like(theta)
    for k, amp in ((2, 0.05), (3, 0.06), (5, 0.035), (7, 0.02), (11, 0.01)):
        r += amp * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
    xs = cx + 10_000 * r * np.cos(theta)
    ys = cy + 7_500 * r * np.sin(theta)
    outline = shapely.make_valid(shapely.Polygon(np.column_stack([xs, ys])))

    # The Irtysh, west to east, and the Ulba from the north-east into it.
    t = np.linspace(-13_000, 13_000, 400)
    irtysh = shapely.LineString(np.column_stack([cx + t, cy - 1_200 + 900 * np.sin(t / 3_100 + 0.7)
                                                 + 300 * np.sin(t / 900)]))
    s = np.linspace(0, 1, 200)
    ulba = shapely.LineString(np.column_stack([cx + 1_500 + 7_000 * s + 500 * np.sin(9 * s),
                                               cy - 1_000 + 9_000 * s]))
    water = shapely.union_all([
        shapely.buffer(irtysh, 170, quad_segs=8),
        shapely.buffer(ulba, 70, quad_segs=8),
        shapely.buffer(shapely.Point(cx - 4_300, cy + 2_600), 220, quad_segs=8),
        shapely.buffer(shapely.Point(cx + 3_700, cy - 4_100), 160, quad_segs=8),
    ])
    return outline, shapely.difference(outline, water)


def district_seeds(rng, land, n):
    """n seeds by dart throwing with a minimum spacing, a little denser towards the centre."""
    minx, miny, maxx, maxy = land.bounds
    c = land.centroid
    seeds = []
    spacing = 560.0
    tries = 0
    while len(seeds) < n:
        tries += 1
        if tries % 20_000 == 0:
            spacing *= 0.95
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not land.contains(shapely.Point(x, y)):
            continue
        d = math.hypot((x - c.x) / 10_000, (y - c.y) / 7_500)
        local = spacing * (0.75 + 0.5 * min(d, 1.0))
        if seeds:
            a = np.asarray(seeds)
            if np.min(np.hypot(a[:, 0] - x, a[:, 1] - y)) < local:
                continue
        seeds.append((x, y))
    return np.asarray(seeds)


def make_districts(rng, land, outline):
    seeds = district_seeds(rng, land, N_DISTRICTS)
    # North to south, then west to east, in 1 km bands: d001 is in the north-west.
    order = np.lexsort((seeds[:, 0], -np.floor(seeds[:, 1] / 1_000)))
    seeds = seeds[order]
    pts = shapely.points(seeds)
    cells = shapely.voronoi_polygons(shapely.multipoints(pts),
                                     extend_to=shapely.buffer(outline, 2_000))
    cells = np.asarray(cells.geoms)
    # voronoi_polygons does not keep the input order: match each cell to its seed.
    tree = shapely.STRtree(cells)
    seed_idx, cell_idx = tree.query(pts, predicate="within")
    by_seed = np.empty(len(pts), dtype=object)
    by_seed[seed_idx] = cells[cell_idx]
    districts = shapely.intersection(by_seed, land)
    # Drop crumbs (< 2,000 m2) that the rivers cut off, so no district has a sliver part.
    out = []
    for g in districts:
        parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area >= 2_000]
        out.append(parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts))
    return np.asarray(out, dtype=object), seeds


def district_properties(rng, n):
    named = rng.choice(n, size=len(DISTRICT_NAMES), replace=False)
    props = []
    k = 0
    for i in range(n):
        hit = np.nonzero(named == i)[0]
        if len(hit):
            ru, kk = DISTRICT_NAMES[hit[0]]
            props.append({"name": ru if rng.random() < 0.6 else kk, "names": {"kk": kk, "ru": ru}})
        else:
            k += 1
            if rng.random() < 0.8:
                props.append({"name": f"Микрорайон {k}", "names": {"kk": f"{k} шағын аудан",
                                                                     "ru": f"Микрорайон {k}"}})
            else:
                props.append({"name": f"{k} шағын аудан"})
    return props


def clustered_points(rng, n, land_bounds, n_clusters, sigma_range, background, keep):
    """n points: a share `background` uniform in the bounds, the rest in Gaussian clusters.
    keep(xs, ys) -> mask of points to keep (resampled until n are kept)."""
    minx, miny, maxx, maxy = land_bounds
    cx = rng.uniform(minx + 1_500, maxx - 1_500, n_clusters)
    cy = rng.uniform(miny + 1_500, maxy - 1_500, n_clusters)
    sig = rng.uniform(*sigma_range, n_clusters)
    weight = rng.pareto(1.5, n_clusters) + 1.0
    weight /= weight.sum()
    xs_all, ys_all = [], []
    have = 0
    while have < n:
        m = int((n - have) * 1.3) + 64
        nb = rng.binomial(m, background)
        bx = rng.uniform(minx, maxx, nb)
        by = rng.uniform(miny, maxy, nb)
        which = rng.choice(n_clusters, size=m - nb, p=weight)
        gx = cx[which] + rng.normal(0, 1, m - nb) * sig[which]
        gy = cy[which] + rng.normal(0, 1, m - nb) * sig[which]
        xs = np.concatenate([bx, gx])
        ys = np.concatenate([by, gy])
        perm = rng.permutation(len(xs))
        xs, ys = xs[perm], ys[perm]
        mask = keep(xs, ys)
        xs_all.append(xs[mask])
        ys_all.append(ys[mask])
        have += int(mask.sum())
    return np.concatenate(xs_all)[:n], np.concatenate(ys_all)[:n]


def small_polygon(rng, x, y):
    """A square or a hexagon 20-150 m across, randomly turned, in UTM."""
    across = rng.uniform(20, 150)
    turn = rng.uniform(0, 2 * np.pi)
    if rng.random() < 0.5:
        k, r = 4, across / math.sqrt(2)  # a square `across` wide has its corners at across/sqrt(2)
    else:
        k, r = 6, across / 2
    a = turn + np.arange(k) * 2 * np.pi / k
    ring = np.column_stack([x + r * np.cos(a), y + r * np.sin(a)])
    return shapely.Polygon(ring)


def entity_names(rng, kind, number):
    street = STREETS[rng.integers(len(STREETS))]
    n = int(rng.integers(1, 140))
    i = int(rng.integers(len(WORDS_RU)))
    if kind == "community":
        form = rng.integers(3)
        if form == 0:
            ru = f"ОСИ «{street} {n}»"
            return ru, {"kk": f"«{street} {n}» ПИБ", "ru": ru}
        if form == 1:
            return f"Соседи дома {n} по улице {street}", None
        return f"Сообщество «{WORDS_RU[i]}»", {"kk": f"«{WORDS_KK[i]}» қауымдастығы",
                                               "ru": f"Сообщество «{WORDS_RU[i]}»"}
    if kind == "initiative_group":
        if rng.random() < 0.4:
            return f"Бастамашыл топ «{WORDS_KK[i]}»", None
        return f"Инициативная группа «{WORDS_RU[i]}» №{number}", None
    v = int(rng.integers(len(VENUES_RU)))
    ru = VENUES_RU[v].format(n=n, w=WORDS_RU[i])
    kk = VENUES_KK[v].format(n=n, w=WORDS_KK[i])
    if rng.random() < 0.3:
        return kk, {"en": f"Venue {number}", "kk": kk, "ru": ru}
    return ru, {"kk": kk, "ru": ru}


def empty_zones(rng, land, share=0.25):
    """Parks, industrial land, floodplain: blobs with no entities, about `share` of the land, so that
    districts at every size have uncovered parts and the covered share is not 1 everywhere."""
    minx, miny, maxx, maxy = land.bounds
    blobs = []
    zones = shapely.Polygon()
    while shapely.area(shapely.intersection(zones, land)) < share * land.area:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not land.contains(shapely.Point(x, y)):
            continue
        a, b = rng.uniform(500, 1_700), rng.uniform(400, 1_200)
        turn = rng.uniform(0, np.pi)
        t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
        wobble = 1 + 0.15 * np.sin(3 * t + rng.uniform(0, 6.3))
        ex, ey = a * wobble * np.cos(t), b * wobble * np.sin(t)
        ring = np.column_stack([x + ex * np.cos(turn) - ey * np.sin(turn),
                                y + ex * np.sin(turn) + ey * np.cos(turn)])
        blobs.append(shapely.Polygon(ring))
        zones = shapely.union_all(blobs)
    return zones


def make_entities(rng, n, land, bounds, zones, inverse, seed):
    minx, miny, maxx, maxy = bounds
    ext = (minx - 1_000, miny - 1_000, maxx + 1_000, maxy + 1_000)
    area = shapely.difference(shapely.buffer(land, 800), zones)
    shapely.prepare(area)
    xs, ys = clustered_points(rng, n, ext, n_clusters=90, sigma_range=(200, 1_400), background=0.15,
                              keep=lambda x, y: shapely.contains_xy(area, x, y))
    is_poly = rng.random(n) < 0.08
    inactive = rng.random(n) < 0.05
    kind_idx = rng.choice(3, size=n, p=[0.45, 0.2, 0.35])
    geoms = np.empty(n, dtype=object)
    pts = shapely.points(xs, ys)
    geoms[:] = pts
    for i in np.nonzero(is_poly)[0]:
        geoms[i] = small_polygon(rng, xs[i], ys[i])
    wgs = snap(to_wgs84(geoms, inverse))
    lines = []
    for i in range(n):
        kind = KINDS[kind_idx[i]]
        name, names = entity_names(rng, kind, i + 1)
        k = 1 + int(rng.random() < 0.5) + int(rng.random() < 0.2)
        themes = [THEMES[t] for t in sorted(rng.choice(12, size=k, replace=False))]
        props = {"kind": kind, "name": name}
        if names:
            props["names"] = dict(sorted(names.items()))
        props["themes"] = themes
        props["status"] = "inactive" if inactive[i] else "active"
        if rng.random() < 0.6:
            props["address"] = f"ул. {STREETS[rng.integers(len(STREETS))]}, {int(rng.integers(1, 200))}"
        props["source"] = f"synthetic:seed{seed}#{i + 1}"
        props["created"] = STAMP
        props["updated"] = STAMP
        lines.append(feature_line(i + 1, props, wgs[i]))
    return lines, int(is_poly.sum()), int(inactive.sum())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    os.makedirs(a.out, exist_ok=True)

    forward = Transformer.from_crs("EPSG:4326", UTM, always_xy=True)
    inverse = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    cx, cy = forward.transform(CENTRE_LON, CENTRE_LAT)

    # Districts and population come from a generator seeded by --seed alone, entities from another.
    rng = np.random.default_rng([a.seed, 1])
    outline, land = outline_and_water(rng, cx, cy)
    districts_utm, _ = make_districts(rng, land, outline)
    dprops = district_properties(rng, len(districts_utm))
    districts_wgs = snap(to_wgs84(districts_utm, inverse))
    bad = np.nonzero(~shapely.is_valid(districts_wgs))[0]
    if len(bad):
        sys.exit(f"make_city: {len(bad)} districts invalid after snapping to 1e-7 degrees")
    # Everything that depends on the written coordinates is computed from them, re-projected.
    districts_back = shapely.transform(districts_wgs, lambda c: np.column_stack(
        forward.transform(c[:, 0], c[:, 1])))

    zones = empty_zones(rng, land)
    shapely.prepare(zones)
    # Population points: dense around a few residential centres, some everywhere on land, few in
    # the empty zones.
    shapely.prepare(land)

    def residential(x, y):
        sparse = shapely.contains_xy(zones, x, y) & (rng.random(len(x)) < 0.85)
        return shapely.contains_xy(land, x, y) & ~sparse

    px, py = clustered_points(rng, N_POPULATION - N_BOUNDARY_POINTS, land.bounds, n_clusters=25,
                              sigma_range=(600, 2_500), background=0.35, keep=residential)
    pop = (1 + np.floor(199 * rng.beta(1.3, 3.0, len(px)))).astype(int)
    pop_wgs = snap(to_wgs84(shapely.points(px, py), inverse))
    # A few points exactly on vertices shared by two or more districts, population 1.
    verts = shapely.get_coordinates(districts_wgs)
    uniq, counts = np.unique(verts, axis=0, return_counts=True)
    shared = uniq[counts >= 3]  # a vertex in 2+ districts shows up 3+ times (closing vertex once)
    pick = shared[rng.choice(len(shared), size=min(4 * N_BOUNDARY_POINTS, len(shared)), replace=False)]
    cand = shapely.points(pick)
    cand_back = shapely.points(np.column_stack(forward.transform(pick[:, 0], pick[:, 1])))
    dtree = shapely.STRtree(districts_back)
    cidx, _ = dtree.query(cand_back, predicate="covered_by")
    hits = np.bincount(cidx, minlength=len(pick)) if len(cidx) else np.zeros(len(pick), int)
    chosen = np.nonzero(hits >= 2)[0][:N_BOUNDARY_POINTS]
    pop_geoms = np.concatenate([pop_wgs, cand[chosen]])
    pop_values = np.concatenate([pop, np.ones(len(chosen), dtype=int)])

    # A district's `population` property: the sum of the points it covers (boundary included).
    pxy = shapely.get_coordinates(pop_geoms)
    pback = shapely.points(np.column_stack(forward.transform(pxy[:, 0], pxy[:, 1])))
    point_i, district_i = dtree.query(pback, predicate="covered_by")
    dpop = np.bincount(district_i, weights=pop_values[point_i], minlength=len(districts_back)).astype(int)

    lines = []
    for i, g in enumerate(districts_wgs):
        props = {"name": dprops[i]["name"]}
        if "names" in dprops[i]:
            props["names"] = dprops[i]["names"]
        props["population"] = int(dpop[i])
        lines.append(feature_line(f"d{i + 1:03d}", props, g))
    write_collection(os.path.join(a.out, "districts.geojson"), lines)
    write_collection(os.path.join(a.out, "population.geojson"),
                     [feature_line(i + 1, {"population": int(v)}, g)
                      for i, (v, g) in enumerate(zip(pop_values, pop_geoms))])

    erng = np.random.default_rng([a.seed, 2, a.entities])
    elines, npoly, ninactive = make_entities(erng, a.entities, land, outline.bounds, zones, inverse,
                                             a.seed)
    write_collection(os.path.join(a.out, "entities.geojson"), elines)

    info = {"format_version": 1, "name": f"synthetic-oskemen-{a.entities}", "city": "Өскемен",
            "language": "ru", "radius_m": 500, "vocabulary": VOCABULARY}
    with open(os.path.join(a.out, "dataset.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(info, ensure_ascii=False, indent=2) + "\n")
    with open(os.path.join(a.out, ".gitignore"), "w", encoding="utf-8") as f:
        f.write("private/\n.civic.lock\n")

    multi = int(sum(g.geom_type == "MultiPolygon" for g in districts_wgs))
    holes = int(sum(shapely.get_num_interior_rings(p) > 0 for g in districts_wgs
                    for p in shapely.get_parts(g)))
    print(f"make_city: {a.out}: {len(districts_wgs)} districts ({multi} multipolygons, {holes} with "
          f"holes), {a.entities} entities ({npoly} polygons, {ninactive} inactive), "
          f"{len(pop_values)} population points ({len(chosen)} on shared vertices), "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
