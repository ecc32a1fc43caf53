#!/usr/bin/env python3
"""The walking peer (peer_walk.py) against areas computed by hand (DESIGN §5b).

    test_peer_walk.py        # exit 0 when every case agrees, 1 otherwise

Each case is a small network in metres with R = 500 and A = 100 unless said. Disks are 64-gons, so
the hand figures use the 64-gon's area, P(r) = 32 r² sin(π/32), and a stadium of length l (a
segment swept by a disk of radius r along an axis) has area 2 r l + P(r). A circular cap of a disk
of radius r cut by a chord at distance h from its centre has area r² acos(h/r) - h √(r² - h²)
(of the true circle: the 64-gon differs by well under 0.1 % of these totals).

The last case goes through the command itself: files in WGS84 near Oskemen, read, projected,
measured per district.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import shapely
from pyproj import Transformer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_walk  # noqa: E402

R, A = 500.0, 100.0
P100 = 32 * 100 ** 2 * math.sin(math.pi / 32)   # 64-gon of radius 100: 31,365.5 m²
failures = []


def cap(r, h):
    return r * r * math.acos(h / r) - h * math.sqrt(r * r - h * h)


def network(lines, ids=None):
    """Vertices and edges from lines of (x, y) in metres; `ids` gives each line's node ids (else
    positions join by identical coordinates)."""
    index, xy, u, v = {}, [], [], []
    for k, line in enumerate(lines):
        prev = None
        for j, p in enumerate(line):
            key = ("n", ids[k][j]) if ids else ("c", p)
            if key not in index:
                index[key] = len(xy)
                xy.append(p)
            i = index[key]
            if prev is not None:
                u.append(prev)
                v.append(i)
            prev = i
    return np.asarray(xy, float), np.asarray(u), np.asarray(v)


def covered(lines, entities, ids=None, r=R, a=A, within=None):
    xy, u, v = network(lines, ids)
    shapes, _ = peer_walk.walk_shapes(xy, u, v, np.asarray(entities, dtype=object), r, a)
    region = shapely.union_all(shapes)
    if within is not None:
        region = shapely.intersection(region, within)
    return shapely.area(region)


def check(name, got, want, rel=1e-3):
    ok = abs(got - want) <= rel * max(abs(want), 1.0)
    print(f"test_peer_walk: {'ok  ' if ok else 'FAIL'} {name}: {got:,.1f} m² (by hand {want:,.1f})")
    if not ok:
        failures.append(name)


def main():
    pt = shapely.Point
    # A straight street, the entity 50 m off it at its middle: it joins at (1000, 0) at cost 50,
    # so r = A for |x - 1000| <= 350 and the disks shrink inside each other beyond: a stadium of
    # length 700, plus the cap of the entity's own 100 m disk above y = 100 (chord at 50).
    street = [[(0.0, 0.0), (2000.0, 0.0)]]
    check("straight street", covered(street, [pt(1000, 50)]), 2 * 100 * 700 + P100 + cap(100, 50))
    # The street in 20 pieces (vertices every 100 m) changes nothing.
    pieces = [[(100.0 * k, 0.0) for k in range(21)]]
    check("straight street in pieces", covered(pieces, [pt(1000, 50)]), 2 * 100 * 700 + P100 + cap(100, 50))
    # Two entities on it: the reaches meet (d peaks half-way between them, 300 + 20 <= 400).
    check("straight street, two entities", covered(street, [pt(700, 0), pt(1300, 20)]),
          2 * 100 * (1300 + 380 - (700 - 400)) + P100 + cap(100, 80))

    # A T junction: the entity 30 m below the junction; the bar is reached for |x - 1000| <= 370,
    # the stem up to y = 370; plus the cap of the entity's disk below y = -100 (chord at 70).
    t = [[(0.0, 0.0), (1000.0, 0.0), (2000.0, 0.0)], [(1000.0, 0.0), (1000.0, 1000.0)]]
    want_t = 2 * 100 * 740 + P100 + 200 * 270 + P100 / 2 + cap(100, 70)
    check("T junction", covered(t, [pt(1000, -30)]), want_t)

    # A dead end: a 200 m spur; walking covers only its 200 m (and the 100 m around its end).
    spur = [[(0.0, 0.0), (200.0, 0.0)]]
    check("dead end", covered(spur, [pt(0, 0)]), 2 * 100 * 200 + P100)

    # Two parallel streets 300 m apart joined only at their ends; the entity 10 m from the middle
    # of the lower one. The upper street is 810 m away along the streets: not reached, although
    # it is within 500 m in a straight line.
    frame = [[(0.0, 0.0), (1000.0, 0.0)], [(0.0, 300.0), (1000.0, 300.0)],
             [(0.0, 0.0), (0.0, 300.0)], [(1000.0, 0.0), (1000.0, 300.0)]]
    e = [pt(500, 10)]
    check("parallel streets", covered(frame, e), 2 * 100 * 780 + P100 + cap(100, 90))
    upper = shapely.box(0, 200, 1000, 400)
    check("parallel streets: nothing near the upper one", covered(frame, e, within=upper), 0.0)
    # With R = 1000: the lower street whole (d <= 510), the connectors whole (d <= 810), the upper
    # street 90 m in from each end (d <= 900), everything beyond nested in those disks. Which parts
    # are reached is by hand; the area of those lines' 100 m buffer is shapely's buffer (round
    # joins, 16 segments per quarter circle), a different construction from the peer's hulls; plus
    # the entity's cap above y = 100 again.
    reached = shapely.multilinestrings([[(0, 0), (1000, 0)], [(0, 0), (0, 300)], [(1000, 0), (1000, 300)],
                                        [(0, 300), (90, 300)], [(910, 300), (1000, 300)]])
    check("parallel streets, R = 1000", covered(frame, e, r=1000),
          shapely.area(shapely.buffer(reached, 100, quad_segs=16)) + cap(100, 90))

    # A bridge over a street without a shared node (its vertex at the crossing has another id):
    # the entity on the bridge's street B is not connected to the street A below.
    a_line = [(0.0, 0.0), (1000.0, 0.0), (2000.0, 0.0)]
    b_line = [(1000.0, -1000.0), (1000.0, 0.0), (1000.0, 1000.0)]
    e = [pt(1010, -150)]
    alone = 2 * 100 * 780 + P100 + cap(100, 90)
    check("bridge over a street", covered([a_line, b_line], e, ids=[["a1", "a2", "a3"], ["b1", "b2", "b3"]]),
          alone)
    # The same crossing as a junction (the same node id): A is reached for |x - 1000| <= 240.
    check("street crossing at a node",
          covered([a_line, b_line], e, ids=[["a1", "x", "a3"], ["b1", "x", "b3"]]),
          alone + 2 * 140 * 200 + P100)
    # Without node ids, identical coordinates meet.
    check("crossing by coordinates", covered([a_line, b_line], e), alone + 2 * 140 * 200 + P100)

    # A river with one bridge: the entity on the south bank 200 m west of the bridge's foot. The
    # bank street y = 0 from x = 0 to 2000; the bridge x = 1200 from y = 0 to y = 300 (the river
    # between y = 50 and y = 250); the north bank street y = 300. North bank reached from the
    # bridge's end at d = 500 - ... : d(1200, 300) = 200 + 300 = 500 -> r = 0 there, r = A up to
    # y = 200 on the bridge.
    south = [(0.0, 0.0), (1200.0, 0.0), (2000.0, 0.0)]
    bridge = [(1200.0, 0.0), (1200.0, 300.0)]
    north = [(0.0, 300.0), (1200.0, 300.0), (2000.0, 300.0)]
    e = [pt(1000, 0)]
    north_bank = shapely.box(0, 250, 2000, 600)
    # South: |x - 1000| <= 400 at r = A -> [600, 1400]; bridge: y <= 200 at r = A; north: nothing
    # beyond the nested tapering disks, so north of y = 250 only the bridge's disk at y = 200
    # reaches: a cap of 100 - 50 = 50 m high.
    check("river with a bridge: south bank", covered([south, bridge, north], e),
          2 * 100 * 800 + P100 + 200 * 100 + P100 / 2)
    check("river with a bridge: north bank", covered([south, bridge, north], e, within=north_bank),
          cap(100, 50), rel=5e-3)

    # A polygon entity with a street through it: the square [900, 1100] x [-50, 50] on the straight
    # street joins at cost 0 from x = 900 to 1100; reached for x in [500, 1500] at r = A; its own
    # buffer by 100 adds the rounded square's parts beyond |y| = 100.
    square = shapely.box(900, -50, 1100, 50)
    # Beyond |y| = 100 the square's own buffer adds two 200 x 50 bands and, at each corner, the
    # part of a quarter disk (centred 50 m from the street) above y = 100: half a cap at 50.
    want_sq = 2 * 100 * 1000 + P100 + 2 * 200 * 50 + 4 * cap(100, 50) / 2
    check("polygon entity on a street", covered(street, [square]), want_sq, rel=2e-3)

    hulls_against_shapely()

    # The command end to end: the straight street and the parallel streets as WGS84 files near
    # Oskemen, two districts.
    end_to_end()

    if failures:
        print(f"test_peer_walk: FAIL: {len(failures)} case(s): {', '.join(failures)}")
        sys.exit(1)
    print("test_peer_walk: OK: every case agrees with the hand computation")


def hulls_against_shapely():
    """The peer's vertex-by-vertex hull of two 64-gons against shapely.convex_hull of their union,
    on 3,000 random pieces: one disk inside the other, a radius 0, both centres equal."""
    rng = np.random.default_rng(12)
    n = 3000
    x0, y0 = rng.uniform(0, 1e4, n), rng.uniform(0, 1e4, n)
    x1, y1 = x0 + rng.uniform(-150, 150, n), y0 + rng.uniform(-150, 150, n)
    r0, r1 = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    r0[:100] = 0
    r1[100:200] = 0
    x1[200:300], y1[200:300] = x0[200:300], y0[200:300]
    got = peer_walk.hulls(x0, y0, r0, x1, y1, r1)

    def disks(x, y, r):
        pts = shapely.points(x, y)
        g = shapely.buffer(pts, r, quad_segs=16)
        g[shapely.is_empty(g)] = pts[shapely.is_empty(g)]
        return g
    want = shapely.convex_hull(shapely.union(disks(x0, y0, r0), disks(x1, y1, r1)))
    worst = float(np.max(shapely.area(shapely.symmetric_difference(got, want))))
    ok = worst < 1e-6 and bool(np.all(shapely.is_valid(got)))
    print(f"test_peer_walk: {'ok  ' if ok else 'FAIL'} hulls of two 64-gons: largest symmetric "
          f"difference from shapely.convex_hull {worst:.2e} m² over {n} pieces")
    if not ok:
        failures.append("hulls")


def end_to_end():
    """Parallel streets through files: the lower district (y in [-200, 150]) is covered by the
    stadium, the upper (y in [150, 500]) only by the entity's disk... which does not reach it."""
    inv = Transformer.from_crs("EPSG:32644", "EPSG:4326", always_xy=True)
    ox, oy = 500_000.0, 5_530_000.0

    def ll(x, y):
        lon, lat = inv.transform(ox + x, oy + y)
        return [round(lon, 7), round(lat, 7)]

    def box(x0, y0, x1, y1):
        return [[ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]]

    frame = [[(0, 0), (1000, 0)], [(0, 300), (1000, 300)], [(0, 0), (0, 300)], [(1000, 0), (1000, 300)]]
    net = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"source": f"osm:way/{k + 1}", "highway": "residential",
                                           "nodes": [f"{x},{y}" for x, y in line]},
         "geometry": {"type": "LineString", "coordinates": [ll(x, y) for x, y in line]}}
        for k, line in enumerate(frame)]}
    districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "low", "properties": {"name": "Нижний"},
         "geometry": {"type": "Polygon", "coordinates": box(-200, -200, 1200, 150)}},
        {"type": "Feature", "id": "up", "properties": {"name": "Верхний"},
         "geometry": {"type": "Polygon", "coordinates": box(-200, 150, 1200, 500)}}]}
    entities = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 1, "properties": {"kind": "venue", "name": "Библиотека № 1",
                                                    "status": "active"},
         "geometry": {"type": "Point", "coordinates": ll(500, 10)}},
        {"type": "Feature", "id": 2, "properties": {"kind": "venue", "name": "Клуб «Рассвет»",
                                                    "status": "inactive"},
         "geometry": {"type": "Point", "coordinates": ll(500, 290)}}]}
    with tempfile.TemporaryDirectory() as d:
        for name, doc in (("network", net), ("districts", districts), ("entities", entities)):
            with open(os.path.join(d, f"{name}.geojson"), "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
        out = os.path.join(d, "out.json")
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_walk.py"),
                        d, "--radius", "500", "--off-street", "100", "--out", out],
                       check=True, stderr=subprocess.DEVNULL)
        with open(out, encoding="utf-8") as f:
            r = json.load(f)
    rows = {row["id"]: row for row in r["districts"]}
    # Lower district: the stadium of length 780 minus nothing (it lies inside y <= 150 except the
    # entity's cap above y = 100, chord at 90, all below 150).
    check("files: lower district", rows["low"]["covered_m2"], 2 * 100 * 780 + P100 + cap(100, 90), rel=2e-3)
    check("files: upper district", rows["up"]["covered_m2"], 0.0)
    ok = (r["mode"] == "walk" and r["off_street_m"] == 100 and r["radius_m"] == 500
          and r["crs"] == "EPSG:32644" and rows["low"]["entities"] == 1 and rows["up"]["entities"] == 0
          and r["city"]["entities"] == 1)
    print(f"test_peer_walk: {'ok  ' if ok else 'FAIL'} files: mode, off_street_m, crs, entity counts")
    if not ok:
        failures.append("files: fields")


if __name__ == "__main__":
    main()
