#!/usr/bin/env python3
"""Draw the schematic street network of the bundled city: geodata/oskemen/network.geojson.

    python3 geodata/make_streets.py            # writes geodata/oskemen/network.geojson
    python3 geodata/make_streets.py --check    # exits 1 when the file on disk differs

No street data of Oskemen could be fetched, so the streets are drawn here from public knowledge, as
the districts were (geodata/README.md says what that means). The drawing is deterministic and needs
only the Python standard library: the same districts give the same bytes.

What is drawn:

- every bridge across the Irtysh and the Ulba that public reports name (BRIDGES below). A bridge is
  one way from a point on a street inland on one bank to a point on a street inland on the other;
  it shares a vertex with the streets only at those two ends, so it passes over the embankments and
  the streets under its approaches, as a real bridge does;
- the main streets (MAIN_STREETS), named where public reports name them, placed approximately;
- embankment footways along both rivers through the built-up centre (EMBANKMENTS);
- a schematic grid of residential streets in every district (GRIDS): straight lines at a spacing that
  follows the district's built form (denser in the Soviet-era blocks, sparser in private-house
  settlements, service roads in the industrial zone), along and across the river nearby.

Every way except a bridge is clipped to the land (the union of the districts), so streets stop at the
water and walking crosses a river only on a bridge. Streets that cross share a vertex at the crossing
(ways meet by identical coordinates at 7 decimals, DESIGN §5b), and a street that ends within 2 m of
another is joined to it. Each way's `source` is `sketch:way/N`: N numbers the drawn ways in the order
below and means nothing outside this file.
"""

import argparse
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATASET = os.path.join(HERE, "oskemen")
DISTRICTS = os.path.join(DATASET, "districts.geojson")
NETWORK = os.path.join(DATASET, "network.geojson")

# --- a local metric frame ---------------------------------------------------------------------------
# Equirectangular about the city's middle with the WGS84 radii of curvature there: within the city
# (±0.06° of latitude) lengths are true to about 0.2 %, plenty for a schematic drawing. The checks in
# check_streets.py use the same frame.
LON0, LAT0 = 82.63, 49.965
_A, _E2 = 6378137.0, 0.00669437999014
_S = math.sin(math.radians(LAT0))
M_PER_DEG_LON = math.pi / 180 * _A * math.cos(math.radians(LAT0)) / math.sqrt(1 - _E2 * _S * _S)
M_PER_DEG_LAT = math.pi / 180 * _A * (1 - _E2) / (1 - _E2 * _S * _S) ** 1.5


def to_xy(lon, lat):
    return ((lon - LON0) * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT)


def to_lonlat(x, y):
    return (LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT)


def fixed7(value):
    """The integer number of 1e-7 degrees, rounded half away from zero as civic's writer does."""
    scaled = value * 1e7
    return int(math.floor(scaled + 0.5)) if scaled >= 0 else -int(math.floor(-scaled + 0.5))


def text7(units):
    """A coordinate in 1e-7 degrees as civic writes it: 7 decimals at most, trailing zeros dropped."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    whole, fraction = divmod(units, 10_000_000)
    if fraction == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction:07d}".rstrip("0")


# --- the rivers ---------------------------------------------------------------------------------------
# Centre lines of the water between the districts (the gaps in districts.geojson), downstream last,
# with the half-width of the gap. Used to place the bridges across the water and the embankments
# beside it; the land itself always comes from the districts.
IRTYSH = [(82.7530, 49.9205), (82.7450, 49.9220), (82.7200, 49.9280), (82.7000, 49.9330),
          (82.6800, 49.9370), (82.6600, 49.9400), (82.6405, 49.9430), (82.6280, 49.9465),
          (82.6155, 49.9525), (82.6070, 49.9568), (82.5915, 49.9640), (82.5625, 49.9775),
          (82.5470, 49.9840), (82.5270, 49.9935), (82.5110, 50.0020), (82.4960, 50.0076)]
IRTYSH_HALF_WIDTH = 140.0
ULBA = [(82.7380, 50.0175), (82.7340, 50.0150), (82.7235, 50.0101), (82.7150, 50.0060),
        (82.7073, 50.0025), (82.6950, 49.9970), (82.6865, 49.9934), (82.6705, 49.9869),
        (82.6585, 49.9810), (82.6535, 49.9782), (82.6455, 49.9732), (82.6390, 49.9693),
        (82.6320, 49.9650), (82.6220, 49.9585), (82.6162, 49.9535)]
ULBA_HALF_WIDTH = 45.0
RIVERS = {"irtysh": (IRTYSH, IRTYSH_HALF_WIDTH), "ulba": (ULBA, ULBA_HALF_WIDTH)}

# The districts on each side of the water, so that the checks can tell which bank a street is on.
BANKS = {
    "left": ["levoberezhye", "chechek", "akhmirovo"],
    "between": ["center", "vostochny", "staraya-sogra", "novaya-sogra", "ablaketka"],
    "north": ["ulbinsky", "pristan", "zashchita", "menovnoe", "ksht", "kombinat"],
}

# --- bridges ------------------------------------------------------------------------------------------
# (key, name, highway, river, longitude where it crosses, metres inland at each end). Each end is
# the first point of the street that leads to the bridge; the embankment passes under it.
# Every crossing that public reports of 2015-2026 name: two road crossings of the Irtysh in the city
# (the Irtysh bridge of 1970 from ул. Казахстан to пр. Сатпаева, rebuilt to eight lanes; the old
# pontoon bridge between ул. Пограничная and ул. Тогас) and the bridges of the Ulba (the large Ulba
# bridge by the sports palace, the bridges at ул. Крылова and ул. Мызы, the footbridge at
# ул. Севастопольская to the Самал park, and the Шнайдеровский bridge of the Малая объездная, whose
# span fell in September 2025 and which is being rebuilt). The dam of the Ust-Kamenogorsk power
# station upstream is not a public crossing and is not drawn. Where each crosses is approximate.
BRIDGES = [
    ("irtysh_main", "Иртышский мост", "primary", "irtysh", 82.6340, 70.0),
    ("irtysh_pontoon", "Понтонный мост", "secondary", "irtysh", 82.5850, 60.0),
    ("ulba_krylova", "Мост по ул. Крылова", "secondary", "ulba", 82.6255, 70.0),
    ("ulba_main", "Ульбинский мост", "primary", "ulba", 82.6355, 80.0),
    ("ulba_myzy", "Мост по ул. Мызы", "secondary", "ulba", 82.6495, 70.0),
    ("ulba_samal", "Подвесной мост к парку «Самал»", "footway", "ulba", 82.6640, 50.0),
    ("ulba_shnaider", "Шнайдеровский мост", "secondary", "ulba", 82.6900, 70.0),
]

# --- main streets -------------------------------------------------------------------------------------
# (name or None, highway, points). A point is (lon, lat), or "bridge_key:L"/"bridge_key:R" for the end
# of a bridge on the left or right side of the river looking downstream (L is south or west of the
# Irtysh in the city, R is the centre's side; for the Ulba, L is the centre's side).
MAIN_STREETS = [
    # The centre, between the Irtysh and the Ulba.
    ("ул. Казахстан", "primary", ["irtysh_main:R", (82.6352, 49.9560), "ulba_main:L"]),
    ("ул. Горького", "secondary", [(82.6190, 49.9555), (82.6300, 49.9508), (82.6450, 49.9468),
                                   (82.6560, 49.9452), (82.6700, 49.9430), (82.6990, 49.9375),
                                   (82.7200, 49.9325), (82.7440, 49.9265)]),
    ("ул. Ушанова", "secondary", [(82.6225, 49.9600), (82.6380, 49.9545), (82.6520, 49.9515),
                                  (82.6650, 49.9500), (82.6850, 49.9470), (82.7100, 49.9420),
                                  (82.7350, 49.9370)]),
    ("ул. Астана", "secondary", ["ulba_krylova:L", (82.6300, 49.9565), (82.6340, 49.9490)]),
    (None, "secondary", [(82.6465, 49.9445), (82.6500, 49.9560), (82.6480, 49.9700),
                         (82.6510, 49.9740)]),
    ("ул. Мызы", "secondary", ["ulba_myzy:L", (82.6600, 49.9700), (82.6620, 49.9560),
                                (82.6650, 49.9420)]),
    ("ул. Севастопольская", "residential", ["ulba_samal:L", (82.6700, 49.9760), (82.6780, 49.9600)]),
    (None, "secondary", ["ulba_shnaider:L", (82.6950, 49.9850), (82.7000, 49.9700),
                         (82.7050, 49.9500), (82.7150, 49.9400)]),
    (None, "tertiary", [(82.6560, 49.9720), (82.6800, 49.9800), (82.7100, 49.9930),
                        (82.7300, 50.0050)]),
    # Across the Ulba: Ульбинский, КШТ, Промзона ТМК, Меновное, Пристань, Защита.
    ("ул. Протозанова", "secondary", ["ulba_krylova:R", (82.6300, 49.9680), (82.6420, 49.9760),
                                      (82.6540, 49.9835), (82.6640, 49.9890), (82.6800, 49.9970)]),
    ("пр. Ауэзова", "secondary", ["ulba_main:R", (82.6330, 49.9800), (82.6350, 49.9950),
                                  (82.6380, 50.0150)]),
    ("ул. Бажова", "tertiary", [(82.6150, 49.9820), (82.6300, 49.9840), (82.6450, 49.9830),
                                "ulba_myzy:R"]),
    (None, "footway", ["ulba_samal:R", (82.6600, 49.9890), (82.6560, 49.9930)]),
    ("Малая объездная", "secondary", ["ulba_shnaider:R", (82.6850, 50.0020), (82.6650, 50.0090),
                                      (82.6350, 50.0150), (82.6000, 50.0120), (82.5700, 50.0080),
                                      (82.5400, 50.0060)]),
    ("ул. Пограничная", "secondary", ["irtysh_pontoon:R", (82.5960, 49.9760), (82.6090, 49.9780),
                                      (82.6200, 49.9700), (82.6260, 49.9650)]),
    (None, "secondary", [(82.6110, 49.9620), (82.5950, 49.9700), (82.5700, 49.9820),
                         (82.5450, 49.9930), (82.5200, 50.0050), (82.5050, 50.0120)]),
    ("ул. Грейдерная", "tertiary", [(82.5700, 49.9820), (82.5650, 50.0000), (82.5600, 50.0150)]),
    (None, "tertiary", [(82.6090, 49.9780), (82.6050, 49.9950), (82.6000, 50.0200)]),
    (None, "tertiary", [(82.6350, 49.9950), (82.6700, 49.9960), (82.7000, 50.0100)]),
    # The left bank of the Irtysh: Левобережье, 18–28 микрорайоны, Ахмирово.
    ("пр. Сатпаева", "primary", ["irtysh_main:L", (82.6250, 49.9380), (82.6150, 49.9280),
                                 (82.6050, 49.9180)]),
    ("ул. Тогас", "secondary", ["irtysh_pontoon:L", (82.5800, 49.9600), (82.5750, 49.9500)]),
    (None, "secondary", [(82.5400, 49.9840), (82.5600, 49.9700), (82.5850, 49.9560),
                         (82.6050, 49.9470), (82.6250, 49.9410), (82.6500, 49.9350),
                         (82.6800, 49.9300), (82.7100, 49.9230), (82.7400, 49.9160)]),
    (None, "secondary", [(82.5300, 49.9660), (82.5600, 49.9500), (82.5900, 49.9380),
                         (82.6200, 49.9300), (82.6600, 49.9230), (82.7000, 49.9170)]),
    (None, "tertiary", [(82.5150, 49.9500), (82.5400, 49.9620), (82.5600, 49.9700)]),
]

# --- embankments --------------------------------------------------------------------------------------
# (name, river, side, from lon, to lon): a footway this far from the water's edge along that stretch.
EMBANKMENT_INLAND = 35.0
EMBANKMENTS = [
    ("набережная Иртыша им. Е. Славского", "irtysh", "R", 82.6150, 82.6750),
    (None, "irtysh", "L", 82.5900, 82.6700),
    (None, "irtysh", "R", 82.5800, 82.6150),
    ("набережная Ульбы", "ulba", "R", 82.6160, 82.6650),
    (None, "ulba", "L", 82.6160, 82.6600),
]

# --- schematic grids ----------------------------------------------------------------------------------
# (districts, direction of the streets in degrees from east, spacing in metres, highway). Each grid
# runs along the river nearby and across it; spacing follows the built form.
GRIDS = [
    (["center"], -34.0, 190.0, "residential"),
    (["ulbinsky"], 44.0, 240.0, "residential"),
    (["pristan"], -34.0, 300.0, "residential"),
    (["zashchita"], -38.0, 320.0, "residential"),
    (["menovnoe"], 0.0, 380.0, "residential"),
    (["ksht"], 8.0, 260.0, "residential"),
    (["kombinat"], 34.0, 480.0, "service"),
    (["vostochny"], 44.0, 240.0, "residential"),
    (["staraya-sogra"], -8.0, 280.0, "residential"),
    (["novaya-sogra"], -8.0, 380.0, "residential"),
    (["ablaketka"], -19.0, 380.0, "residential"),
    (["levoberezhye"], -34.0, 240.0, "residential"),
    (["chechek"], -10.0, 300.0, "residential"),
    (["akhmirovo"], -40.0, 380.0, "residential"),
]
MIN_PIECE_M = 60.0  # shorter clipped pieces (corners of a district) are dropped
JOIN_M = 2.0  # a street ending this close to another is joined to it
MIN_PIECE_KEPT_M = 300.0  # a connected piece of grid shorter than this is a stray bit and dropped


# --- geometry in the metric frame --------------------------------------------------------------------
def read_districts(path=DISTRICTS):
    """{id: [ring, ...]} in metres; each ring a closed list of (x, y)."""
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    districts = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = [[to_xy(lon, lat) for lon, lat in ring] for polygon in polygons for ring in polygon]
        districts[feature["id"]] = rings
    return districts


def inside(point, rings):
    """Even-odd rule over all rings (outer rings and holes alike)."""
    x, y = point
    result = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


def crossings(a, b, rings):
    """Parameters t in (0, 1) where the segment a-b crosses an edge of the rings."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    found = []
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            ex, ey = x2 - x1, y2 - y1
            denominator = dx * ey - dy * ex
            if denominator == 0:
                continue
            t = ((x1 - ax) * ey - (y1 - ay) * ex) / denominator
            u = ((x1 - ax) * dy - (y1 - ay) * dx) / denominator
            if 0 < t < 1 and 0 <= u <= 1:
                found.append(t)
    return found


def clip(line, areas):
    """The pieces of a polyline inside the union of `areas` (each a list of rings), in order.

    Each segment is cut where it crosses any ring edge; a part is kept when its middle lies in one of
    the areas. Parts that meet end to end (across a shared district edge) stay one piece.
    """
    pieces, current = [], []
    for a, b in zip(line, line[1:]):
        cuts = sorted({0.0, 1.0, *[t for rings in areas for t in crossings(a, b, rings)]})
        for t0, t1 in zip(cuts, cuts[1:]):
            if t1 - t0 < 1e-12:
                continue
            middle = lerp(a, b, (t0 + t1) / 2)
            p0, p1 = lerp(a, b, t0), lerp(a, b, t1)
            if any(inside(middle, rings) for rings in areas):
                if current and close(current[-1], p0):
                    current.append(p1)
                else:
                    if len(current) >= 2:
                        pieces.append(current)
                    current = [p0, p1]
            elif len(current) >= 2:
                pieces.append(current)
                current = []
            else:
                current = []
    if len(current) >= 2:
        pieces.append(current)
    return [simplify_collinear(piece) for piece in pieces if length(piece) >= MIN_PIECE_M]


def simplify_collinear(line):
    """Drops the vertices that clip() left in the middle of a straight run (cuts along shared edges)."""
    kept = [line[0]]
    for here, after in zip(line[1:], line[2:]):
        before = kept[-1]
        cross = (here[0] - before[0]) * (after[1] - before[1]) - (here[1] - before[1]) * (after[0] - before[0])
        if abs(cross) > 1e-6 * max(1.0, distance(before, after)):
            kept.append(here)
    kept.append(line[-1])
    return kept


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def close(a, b, tolerance=1e-6):
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def distance(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def length(line):
    return sum(distance(a, b) for a, b in zip(line, line[1:]))


def point_on_line(line_lonlat, lon):
    """The point of a river centre line at a longitude, and the unit direction there (downstream)."""
    points = [to_xy(*p) for p in line_lonlat]
    x = to_xy(lon, LAT0)[0]
    for a, b in zip(points, points[1:]):
        if min(a[0], b[0]) <= x <= max(a[0], b[0]) and a[0] != b[0]:
            t = (x - a[0]) / (b[0] - a[0])
            d = distance(a, b)
            return lerp(a, b, t), ((b[0] - a[0]) / d, (b[1] - a[1]) / d)
    raise SystemExit(f"make_streets.py: longitude {lon} is not along the river line")


def offset(line_lonlat, by):
    """A river line moved sideways by `by` metres (positive to the left looking downstream)."""
    points = [to_xy(*p) for p in line_lonlat]
    result = []
    for i, p in enumerate(points):
        normals = []
        for j in (i - 1, i):
            if 0 <= j and j + 1 < len(points):
                a, b = points[j], points[j + 1]
                d = distance(a, b)
                normals.append((-(b[1] - a[1]) / d, (b[0] - a[0]) / d))
        nx = sum(n[0] for n in normals)
        ny = sum(n[1] for n in normals)
        norm = math.hypot(nx, ny)
        nx, ny = nx / norm, ny / norm
        # A mitre: keep the distance from both neighbouring segments.
        cosine = max(0.5, nx * normals[0][0] + ny * normals[0][1])
        result.append((p[0] + nx * by / cosine, p[1] + ny * by / cosine))
    return result


# --- drawing ------------------------------------------------------------------------------------------
def bridge_ways():
    """{key: (name, highway, [left end, right end])} and {"key:L"/"key:R": end point}."""
    ways, ends = {}, {}
    for key, name, highway, river, lon, inland in BRIDGES:
        line, half_width = RIVERS[river]
        middle, (dx, dy) = point_on_line(line, lon)
        # Looking downstream, the left bank is at +90°.
        reach = half_width + inland
        left = (middle[0] - dy * reach, middle[1] + dx * reach)
        right = (middle[0] + dy * reach, middle[1] - dx * reach)
        ends[f"{key}:L"], ends[f"{key}:R"] = left, right
        ways[key] = (name, highway, [left, right])
    return ways, ends


def grid_lines(rings_of, direction, spacing):
    """Lines of the two families covering the areas' bounding box, spaced `spacing` apart."""
    xs = [x for rings in rings_of for ring in rings for x, _ in ring]
    ys = [y for rings in rings_of for ring in rings for _, y in ring]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = math.hypot(max(xs) - min(xs), max(ys) - min(ys)) / 2 + spacing
    lines = []
    for angle in (direction, direction + 90.0):
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        count = int(half // spacing) + 1
        for k in range(-count, count + 1):
            # Moved sideways (along the normal -uy, ux) by k + 1/2 spacings, so no line runs
            # through the box's centre and the grid does not hinge on it.
            shift = (k + 0.5) * spacing
            ox, oy = cx - uy * shift, cy + ux * shift
            lines.append([(ox - ux * half, oy - uy * half), (ox + ux * half, oy + uy * half)])
    return lines


def draw(districts):
    """The ways as [(name, highway, points in metres, is_bridge)], in numbering order."""
    land = list(districts.values())
    bridges, ends = bridge_ways()
    ways = [(name, highway, points, True) for name, highway, points in bridges.values()]
    for name, highway, points in MAIN_STREETS:
        line = [ends[p] if isinstance(p, str) else to_xy(*p) for p in points]
        ways += [(name, highway, piece, False) for piece in clip(line, land)]
    for name, river, side, lon_from, lon_to in EMBANKMENTS:
        line_lonlat, half_width = RIVERS[river]
        reach = half_width + EMBANKMENT_INLAND
        moved = offset(line_lonlat, reach if side == "L" else -reach)
        x_from, x_to = sorted((to_xy(lon_from, LAT0)[0], to_xy(lon_to, LAT0)[0]))
        for piece in clip(moved, land):
            for part in split_by_x(piece, x_from, x_to):
                ways.append((name, "footway", part, False))
    for ids, direction, spacing, highway in GRIDS:
        areas = [districts[i] for i in ids]
        for line in grid_lines(areas, direction, spacing):
            ways += [(None, highway, piece, False) for piece in clip(line, areas)]
    return ways


def split_by_x(line, x_from, x_to):
    """The parts of a polyline between two eastings (the stretch an embankment is drawn along)."""
    strip = [[(x_from, -1e7), (x_to, -1e7), (x_to, 1e7), (x_from, 1e7), (x_from, -1e7)]]
    return clip(line, [strip])


def node(ways):
    """Gives crossing streets a shared vertex; joins a street that ends within JOIN_M of another.

    Bridges take no part: they meet the streets only at their ends, which are already vertices of
    the streets that lead to them.
    """
    lines = [list(points) for _, _, points, _ in ways]
    active = [i for i, way in enumerate(ways) if not way[3]]
    cell = 300.0

    def index():
        buckets = {}
        for w in active:
            for s, (a, b) in enumerate(zip(lines[w], lines[w][1:])):
                for key in cells(a, b, cell):
                    buckets.setdefault(key, []).append((w, s))
        return buckets

    # Ends near another street: move the end onto it and insert it there.
    inserts = {}
    buckets = index()
    for w in active:
        for end in (0, -1):
            p = lines[w][end]
            best = None
            for key in cells(p, p, cell):
                for v, s in buckets.get(key, []):
                    if v == w:
                        continue
                    a, b = lines[v][s], lines[v][s + 1]
                    q, t = project(p, a, b)
                    d = distance(p, q)
                    if d <= JOIN_M and (best is None or d < best[0]):
                        best = (d, v, s, t, q)
            if best and best[0] > 0:
                _, v, s, t, q = best
                lines[w][end] = q
                inserts.setdefault((v, s), []).append((t, q))
    lines = apply(lines, inserts)

    # Crossings.
    inserts = {}
    buckets = index()
    seen = set()
    for members in buckets.values():
        for i, (w1, s1) in enumerate(members):
            for w2, s2 in members[i + 1:]:
                if w1 == w2 and abs(s1 - s2) <= 1:
                    continue
                pair = (min((w1, s1), (w2, s2)), max((w1, s1), (w2, s2)))
                if pair in seen:
                    continue
                seen.add(pair)
                hit = intersect(lines[w1][s1], lines[w1][s1 + 1], lines[w2][s2], lines[w2][s2 + 1])
                if hit:
                    t1, t2, q = hit
                    inserts.setdefault((w1, s1), []).append((t1, q))
                    inserts.setdefault((w2, s2), []).append((t2, q))
    lines = apply(lines, inserts)
    return [(name, highway, lines[i], bridge) for i, (name, highway, _, bridge) in enumerate(ways)]


def cells(a, b, size):
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return [(i, j) for i in range(int(math.floor((x0 - 3) / size)), int(math.floor((x1 + 3) / size)) + 1)
            for j in range(int(math.floor((y0 - 3) / size)), int(math.floor((y1 + 3) / size)) + 1)]


def project(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
    t = min(1.0, max(0.0, t))
    return lerp(a, b, t), t


def intersect(a, b, c, d):
    """(t on a-b, u on c-d, point) where two segments cross or touch; None when they do not."""
    rx, ry = b[0] - a[0], b[1] - a[1]
    sx, sy = d[0] - c[0], d[1] - c[1]
    denominator = rx * sy - ry * sx
    if denominator == 0:
        return None
    t = ((c[0] - a[0]) * sy - (c[1] - a[1]) * sx) / denominator
    u = ((c[0] - a[0]) * ry - (c[1] - a[1]) * rx) / denominator
    if -1e-9 <= t <= 1 + 1e-9 and -1e-9 <= u <= 1 + 1e-9:
        # An end that touches the other line is that end itself, so both ways hold the same point.
        for t_end, point in ((0.0, a), (1.0, b)):
            if abs(t - t_end) < 1e-9:
                return t_end, min(1.0, max(0.0, u)), point
        for u_end, point in ((0.0, c), (1.0, d)):
            if abs(u - u_end) < 1e-9:
                return min(1.0, max(0.0, t)), u_end, point
        return t, u, lerp(a, b, t)
    return None


def apply(lines, inserts):
    result = []
    for w, line in enumerate(lines):
        out = [line[0]]
        for s in range(len(line) - 1):
            for t, q in sorted(inserts.get((w, s), [])):
                out.append(q)
            out.append(line[s + 1])
        result.append(out)
    return result


# --- output -------------------------------------------------------------------------------------------
def features(ways):
    """[(number, name, highway, [(lon units, lat units), ...])] in 1e-7 degrees, repeated points dropped."""
    result = []
    for number, (name, highway, points, _) in enumerate(ways, start=1):
        units = []
        for x, y in points:
            lon, lat = to_lonlat(x, y)
            p = (fixed7(lon), fixed7(lat))
            if not units or units[-1] != p:
                units.append(p)
        if len(units) >= 2:
            result.append((number, name, highway, units))
    return result


def geojson(rows):
    """The text civic's StreetNetworkFile.text(of:) writes: one feature per line, sorted by source."""
    lines = []
    for number, name, highway, units in sorted(rows):
        properties = {"source": f"sketch:way/{number}", "highway": highway}
        if name is not None:
            properties["name"] = name
        coordinates = ",".join(f"[{text7(x)},{text7(y)}]" for x, y in units)
        lines.append('{"type":"Feature","properties":'
                     + json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
                     + ',"geometry":{"type":"LineString","coordinates":[' + coordinates + "]}}")
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def build():
    """The network's rows, from the districts on disk."""
    districts = read_districts()
    _, ends = bridge_ways()
    for key, point in ends.items():
        if not any(inside(point, rings) for rings in districts.values()):
            raise SystemExit(f"make_streets.py: the end {key} of a bridge is in the water; move it inland")
    return prune(features(node(draw(districts))))


def prune(rows):
    """Drops the stray bits of grid (a line across a district's corner that meets no other street):
    connected pieces shorter than MIN_PIECE_KEPT_M that hold no named way."""
    parent = {}

    def find(k):
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for _, _, _, units in rows:
        for a, b in zip(units, units[1:]):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    metres, named = {}, set()
    for _, name, _, units in rows:
        piece = find(units[0])
        line = [to_xy(x / 1e7, y / 1e7) for x, y in units]
        metres[piece] = metres.get(piece, 0.0) + length(line)
        if name is not None:
            named.add(piece)
    return [row for row in rows
            if find(row[3][0]) in named or metres[find(row[3][0])] >= MIN_PIECE_KEPT_M]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file on disk instead of writing")
    parser.add_argument("-o", "--out", default=NETWORK, help="where to write (default: the bundled dataset)")
    arguments = parser.parse_args()
    text = geojson(build())
    if arguments.check:
        with open(arguments.out, encoding="utf-8") as f:
            if f.read() != text:
                print(f"make_streets.py: {arguments.out} differs from the drawing; run make_streets.py", file=sys.stderr)
                return 1
        return 0
    with open(arguments.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
