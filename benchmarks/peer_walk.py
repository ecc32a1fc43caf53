#!/usr/bin/env python3
"""The peer of `civic coverage --walk`: walking coverage with networkx and shapely 2 (DESIGN §5b).

    peer_walk.py DIR --radius 500 --off-street 100 [--network FILE] [--out result.json]
                 [--kind K]... [--theme T]... [--method district|city]

DIR holds districts.geojson, entities.geojson, network.geojson (or --network FILE) and, optionally,
population.geojson. Written from DESIGN §5b alone, sharing no code with civic:

- Zones: each district is measured in the UTM zone of the centre of its own bounding box; the
  districts of one zone are measured together, with the network and entities projected into it.
- Graph: a vertex per OSM node id (positions of features with `nodes`); a position of a feature
  without `nodes` is the vertex of the same coordinates at 7 decimals (a node's, when one is there).
  An edge joins consecutive positions of a line; its weight is its straight length in metres.
- Starts: a Point joins the nearest point of the nearest edge at the straight distance; a Polygon at
  every network point inside it or on its boundary at 0 (the ends of each piece of an edge inside
  it), or, touching no edge, at the nearest network point at the distance.
- d: one networkx multi-source Dijkstra from a super-source whose edges to the vertices carry each
  start's cost plus its distance along the edge to that vertex, cut off at R. Along an edge, between
  consecutive breakpoints (its ends and the starts on it), d(x) = min(D0 + x, D1 + l - x): two
  linear pieces meeting at the peak.
- Covered region: r = min(A, R - d) where d <= R; each piece along which r is linear (pieces are cut
  where d = R - A and where d = R) covers the convex hull of its two end disks, the disks being
  shapely's 64-gons (quad_segs=16); plus every selected entity buffered by min(A, R).
- Figures as the straight-line peer (peer_coverage.py): area, covered area and share per district,
  entities intersecting it; a population point counts for every district that covers it and is
  covered when it lies in the covered region.

Writes civic's JSON (with "mode": "walk" and "off_street_m") to --out or stdout; phase timings go to
stderr.
"""

import argparse
import json
import math
import os
import sys
import time

import networkx as nx
import numpy as np
import pyogrio
import shapely
from pyproj import Transformer

T0 = time.perf_counter()
_last = T0
QUAD_SEGS = 16
HULL_CHUNK = 50_000


def phase(name, detail=""):
    global _last
    now = time.perf_counter()
    print(f"peer_walk: {name:<22} {now - _last:8.3f} s  {detail}", file=sys.stderr)
    _last = now


def utm_epsg(lon, lat):
    zone = min(max(int(math.floor((lon + 180) / 6)) + 1, 1), 60)
    return (32600 if lat >= 0 else 32700) + zone


# ----------------------------------------------------------------------------------------------
# The network file

class Network:
    """Vertices (WGS84 lon/lat, first position seen for each) and edges (vertex index pairs)."""

    def __init__(self, lonlat, u, v, ways):
        self.lonlat = lonlat
        self.u = u
        self.v = v
        self.ways = ways


def read_network(path):
    """The vertices and edges of a GeoJSON of LineStrings / MultiLineStrings (DESIGN §5b graph).

    Positions of features with `nodes` are their node ids' vertices; positions of features without
    them join the vertex at the same coordinates to 7 decimals, a node's when one is there
    (a node-id vertex is registered at the coordinates where it was first seen)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    features = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
    with_ids, without_ids = [], []
    for k, feat in enumerate(features):
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        if geom.get("type") == "LineString":
            lines = [geom["coordinates"]]
        elif geom.get("type") == "MultiLineString":
            lines = geom["coordinates"]
        else:
            sys.exit(f"peer_walk: {path}: features[{k}]: not a line ({geom.get('type')})")
        nodes = props.get("nodes")
        if nodes is not None:
            if len(lines) != 1 or len(nodes) != len(lines[0]):
                sys.exit(f"peer_walk: {path}: features[{k}]: nodes do not match the positions")
            with_ids.append((lines[0], [str(n) for n in nodes]))
        else:
            without_ids.extend(lines)

    index, by_coord, lonlat = {}, {}, []

    def coord_key(p):
        return (round(p[0] * 1e7), round(p[1] * 1e7))

    def vertex(key, p):
        i = index.get(key)
        if i is None:
            i = len(lonlat)
            index[key] = i
            lonlat.append((p[0], p[1]))
        return i

    us, vs = [], []
    for coords, nodes in with_ids:
        ids = []
        for p, n in zip(coords, nodes):
            i = vertex(("n", n), p)
            by_coord.setdefault(coord_key(p), i)
            ids.append(i)
        us.extend(ids[:-1])
        vs.extend(ids[1:])
    for coords in without_ids:
        ids = []
        for p in coords:
            c = coord_key(p)
            i = by_coord.get(c)
            if i is None:
                i = vertex(("c",) + c, p)
                by_coord[c] = i
            ids.append(i)
        us.extend(ids[:-1])
        vs.extend(ids[1:])
    u, v = np.asarray(us, dtype=np.int64), np.asarray(vs, dtype=np.int64)
    keep = u != v
    return Network(np.asarray(lonlat, dtype=float).reshape(-1, 2), u[keep], v[keep],
                   len(with_ids) + len(without_ids))


# ----------------------------------------------------------------------------------------------
# The walk, in metres

def network_distances(xy, u, v, starts, R):
    """d at every vertex (inf beyond R) from one multi-source Dijkstra.

    starts: (edge, t, cost) arrays: a start on edge e at t metres from its first vertex, joining at
    `cost`. Returns (d per vertex, edge lengths)."""
    length = np.hypot(xy[v, 0] - xy[u, 0], xy[v, 1] - xy[u, 1])
    g = nx.Graph()
    g.add_nodes_from(range(len(xy)))
    # Duplicate edges (two ways over the same nodes) have the same length: one edge is enough.
    g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), length.tolist()))
    e, t, c = starts
    t = np.clip(t, 0.0, length[e])  # line_locate_point may overshoot an end by a rounding error
    seed = np.full(len(xy), np.inf)
    np.minimum.at(seed, u[e], c + t)
    np.minimum.at(seed, v[e], c + (length[e] - t))
    source = -1
    g.add_node(source)
    reach = np.nonzero(seed <= R)[0]
    g.add_weighted_edges_from((source, int(i), float(seed[i])) for i in reach)
    found = nx.single_source_dijkstra_path_length(g, source, cutoff=R, weight="weight")
    d = np.full(len(xy), np.inf)
    for node, dist in found.items():
        if node != source:
            d[node] = dist
    return d, length


def edge_intervals(u, v, length, d, starts, R):
    """Intervals (edge, x0, x1, D0, D1) between consecutive breakpoints of every edge that d <= R
    reaches: an edge's ends and the starts on it, D being d at the breakpoint."""
    e, t, c = starts
    has = np.zeros(len(u), dtype=bool)
    has[e] = True
    plain = np.nonzero(~has)[0]
    out_e = [plain]
    out_x0 = [np.zeros(len(plain))]
    out_x1 = [length[plain]]
    out_d0 = [d[u[plain]]]
    out_d1 = [d[v[plain]]]
    order = np.argsort(e, kind="stable")
    e_s, t_s, c_s = e[order].tolist(), t[order].tolist(), c[order].tolist()
    rows = []
    i = 0
    while i < len(e_s):
        j = i
        while j < len(e_s) and e_s[j] == e_s[i]:
            j += 1
        edge = e_s[i]
        L = float(length[edge])
        du, dv = float(d[u[edge]]), float(d[v[edge]])
        srcs = [(0.0, du), (L, dv)] + [(min(max(t_s[k], 0.0), L), c_s[k]) for k in range(i, j)]
        xs = sorted({at for at, _ in srcs})
        vals = [min(cost + abs(x - at) for at, cost in srcs) for x in xs]
        for k in range(len(xs) - 1):
            if xs[k + 1] > xs[k]:
                rows.append((edge, xs[k], xs[k + 1], vals[k], vals[k + 1]))
        i = j
    if rows:
        r = np.asarray(rows, dtype=float)
        out_e.append(r[:, 0].astype(np.int64))
        out_x0.append(r[:, 1])
        out_x1.append(r[:, 2])
        out_d0.append(r[:, 3])
        out_d1.append(r[:, 4])
    E = np.concatenate(out_e)
    X0, X1 = np.concatenate(out_x0), np.concatenate(out_x1)
    D0, D1 = np.concatenate(out_d0), np.concatenate(out_d1)
    keep = np.minimum(D0, D1) <= R
    return E[keep], X0[keep], X1[keep], D0[keep], D1[keep]


def monotone_pieces(xy, u, v, length, E, X0, X1, D0, D1):
    """Each interval as its (at most) two pieces along which d grows linearly, from the low end:
    (ax, ay, da, bx, by, db) arrays."""
    ell = X1 - X0
    with np.errstate(invalid="ignore"):
        s = np.clip((D1 - D0 + ell) / 2, 0, ell)
    s = np.where(np.isinf(D0), 0.0, np.where(np.isinf(D1), ell, s))
    peak = np.minimum(D0 + s, D1 + ell - s)
    ux, uy = xy[u[E], 0], xy[u[E], 1]
    dx, dy = (xy[v[E], 0] - ux) / length[E], (xy[v[E], 1] - uy) / length[E]

    def at(x):
        return ux + dx * x, uy + dy * x

    x0, y0 = at(X0)
    x1, y1 = at(X1)
    xp, yp = at(X0 + s)
    first = s > 0           # from the X0 end up to the peak
    second = ell - s > 0    # from the X1 end up to the peak
    ax = np.concatenate([x0[first], x1[second]])
    ay = np.concatenate([y0[first], y1[second]])
    da = np.concatenate([D0[first], D1[second]])
    bx = np.concatenate([xp[first], xp[second]])
    by = np.concatenate([yp[first], yp[second]])
    db = np.concatenate([peak[first], peak[second]])
    return ax, ay, da, bx, by, db


def linear_reach_pieces(ax, ay, da, bx, by, db, R, A):
    """The monotone pieces cut where r = min(A, R - d) changes slope (d = R - A) and ends (d = R):
    (x0, y0, r0, x1, y1, r1) arrays, r linear along each."""
    keep = da <= R
    ax, ay, da, bx, by, db = ax[keep], ay[keep], da[keep], bx[keep], by[keep], db[keep]
    span = db - da
    with np.errstate(divide="ignore", invalid="ignore"):
        f_end = np.where(db > R, (R - da) / span, 1.0)
        f_knee = np.where((da < R - A) & (db > R - A), (R - A - da) / span, np.nan)
    ex, ey = ax + (bx - ax) * f_end, ay + (by - ay) * f_end
    d_end = np.minimum(db, R)
    knee = ~np.isnan(f_knee)
    kx, ky = ax + (bx - ax) * np.nan_to_num(f_knee), ay + (by - ay) * np.nan_to_num(f_knee)
    r_a = np.minimum(A, R - da)
    r_end = np.minimum(A, R - d_end)
    # Without a knee: one piece a -> end. With one: a -> knee (r = A throughout), knee -> end.
    x0 = np.concatenate([ax, kx[knee]])
    y0 = np.concatenate([ay, ky[knee]])
    r0 = np.concatenate([r_a, np.full(int(knee.sum()), float(A))])
    x1 = np.concatenate([np.where(knee, kx, ex), ex[knee]])
    y1 = np.concatenate([np.where(knee, ky, ey), ey[knee]])
    r1 = np.concatenate([np.where(knee, float(A), r_end), r_end[knee]])
    r0, r1 = np.maximum(r0, 0.0), np.maximum(r1, 0.0)
    # A piece whose ends both have r = 0 covers no area (it only starts where d reaches R).
    live = np.maximum(r0, r1) > 1e-9
    return x0[live], y0[live], r0[live], x1[live], y1[live], r1[live]


# The 64-gon of a disk as GEOS buffers a point with quad_segs=16: vertices at multiples of 5.625°
# from angle 0 (GEOS lists them clockwise; the set is what matters).
ANGLES = 2 * np.pi * np.arange(4 * QUAD_SEGS) / (4 * QUAD_SEGS)
UNIT = np.column_stack([np.cos(ANGLES), np.sin(ANGLES)])
# Outward normal of the edge after each vertex, and of the edge before it.
NORMAL_AFTER = np.column_stack([np.cos(ANGLES + np.pi / (4 * QUAD_SEGS)), np.sin(ANGLES + np.pi / (4 * QUAD_SEGS))])
NORMAL_BEFORE = np.roll(NORMAL_AFTER, 1, axis=0)


def hulls(x0, y0, r0, x1, y1, r1):
    """The convex hull of the two end disks (64-gons) of every piece, counter-clockwise.

    Both disks are the same 64-gon scaled and moved, so the hull is found vertex by vertex: the
    vertex in direction u_i of disk k is on the hull when disk k's support is the larger for some
    outward normal n between the normals of the edges around u_i. Within that cone both supports are
    linear in n (c_k . n + r_k u_i . n), so the sign of their difference at the cone's two edge
    normals decides; where both disks' vertices are on the hull (the tangent edges), the disk that
    supports the earlier normal comes first. Checked against shapely.convex_hull in
    test_peer_walk.py. Computed in chunks to bound memory."""
    out = []
    for s in range(0, len(x0), HULL_CHUNK):
        sl = slice(s, s + HULL_CHUNK)
        c0 = np.column_stack([x0[sl], y0[sl]])[:, None, :]
        c1 = np.column_stack([x1[sl], y1[sl]])[:, None, :]
        a, b = r0[sl][:, None, None], r1[sl][:, None, None]
        p0 = c0 + a * UNIT[None]                           # (n, 64, 2)
        p1 = c1 + b * UNIT[None]
        w = (c1 - c0) + (b - a) * UNIT[None]               # support difference, disk 1 - disk 0
        f_before = np.einsum("nij,ij->ni", w, NORMAL_BEFORE)
        f_after = np.einsum("nij,ij->ni", w, NORMAL_AFTER)
        take1 = np.maximum(f_before, f_after) >= 0
        take0 = np.minimum(f_before, f_after) <= 0
        first0 = f_before < 0
        first = np.where(first0[..., None], p0, p1)
        second = np.where(first0[..., None], p1, p0)
        keep_first = np.where(first0, take0, take1)
        keep_second = np.where(first0, take1, take0)
        pts = np.stack([first, second], axis=2).reshape(-1, 2)
        keep = np.stack([keep_first, keep_second], axis=2).reshape(-1)
        idx = np.repeat(np.arange(p0.shape[0]), 2 * p0.shape[1])
        rings = shapely.linearrings(pts[keep], indices=idx[keep])
        out.append(shapely.polygons(rings))
    return np.concatenate(out) if out else np.empty(0, dtype=object)


def entity_starts(edges, points, areas):
    """(edge, t, cost) starts of point entities (nearest point of the nearest edge, at the straight
    distance) and area entities (every network point inside or on the boundary at 0, else the
    nearest network point at the distance). Ties in distance join at every tied edge."""
    tree = shapely.STRtree(edges)
    E, T, C = [], [], []
    if len(points):
        (pi, ei), dist = tree.query_nearest(points, all_matches=True, return_distance=True)
        E.append(ei)
        T.append(shapely.line_locate_point(edges[ei], points[pi]))
        C.append(dist)
    if len(areas):
        ai, ei = tree.query(areas, predicate="intersects")
        if len(ai):
            inside = shapely.intersection(edges[ei], areas[ai])
            coords, which = shapely.get_coordinates(inside, return_index=True)
            e_of = ei[which]
            E.append(e_of)
            T.append(shapely.line_locate_point(edges[e_of], shapely.points(coords)))
            C.append(np.zeros(len(coords)))
        touching = np.zeros(len(areas), dtype=bool)
        touching[ai] = True
        far = np.nonzero(~touching)[0]
        if len(far):
            (fi, ej), dist = tree.query_nearest(areas[far], all_matches=True, return_distance=True)
            lines = shapely.shortest_line(areas[far][fi], edges[ej])
            onto = shapely.get_point(lines, 1)
            E.append(ej)
            T.append(shapely.line_locate_point(edges[ej], onto))
            C.append(dist)
    if not E:
        return np.empty(0, np.int64), np.empty(0), np.empty(0)
    return np.concatenate(E).astype(np.int64), np.concatenate(T), np.concatenate(C)


def walk_shapes(xy, u, v, entities, R, A, log=None):
    """The covered region of DESIGN §5b as shapes whose union it is (in metres): the hull of every
    linear reach piece along the network, and each entity buffered by min(A, R).

    xy: vertex coordinates; u, v: edges; entities: projected Points, Polygons, MultiPolygons."""
    A = min(A, R)
    kinds = shapely.get_type_id(entities)
    points = entities[kinds == 0]
    areas = entities[kinds != 0]
    own = shapely.buffer(entities, A, quad_segs=QUAD_SEGS) if A > 0 else entities
    if len(u) == 0:
        return own, {"pieces": 0, "reached_vertices": 0, "starts": 0}
    edges = shapely.linestrings(np.stack([xy[u], xy[v]], axis=1))
    starts = entity_starts(edges, points, areas)
    d, length = network_distances(xy, u, v, starts, R)
    if log:
        log("dijkstra", f"{len(xy)} vertices, {len(u)} edges, {len(starts[0])} starts, "
                        f"{int(np.isfinite(d).sum())} vertices within {R:g} m")
    E, X0, X1, D0, D1 = edge_intervals(u, v, length, d, starts, R)
    pieces = linear_reach_pieces(*monotone_pieces(xy, u, v, length, E, X0, X1, D0, D1), R, A)
    shapes = hulls(*pieces)
    if log:
        log("reach pieces", f"{len(E)} intervals, {len(shapes)} hulls")
    stats = {"pieces": len(shapes), "reached_vertices": int(np.isfinite(d).sum()),
             "starts": len(starts[0]),
             "far_from_streets": int(np.sum(_join_costs(points, areas, edges) > A))}
    return np.concatenate([shapes, own]), stats


def _join_costs(points, areas, edges):
    """Each entity's distance to the network (0 for an area touching it)."""
    tree = shapely.STRtree(edges)
    both = np.concatenate([points, areas])
    if not len(both):
        return np.empty(0)
    (i, _), dist = tree.query_nearest(both, all_matches=False, return_distance=True)
    out = np.full(len(both), np.inf)
    out[i] = dist
    return out


# ----------------------------------------------------------------------------------------------
# The command

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--radius", type=float, default=500)
    ap.add_argument("--off-street", type=float, default=100)
    ap.add_argument("--network", default=None, help="default: DIR/network.geojson")
    ap.add_argument("--out", default="-")
    ap.add_argument("--kind", action="append", default=[])
    ap.add_argument("--theme", action="append", default=[])
    ap.add_argument("--method", choices=["district", "city"], default="district",
                    help="district: per district the union of the shapes that touch it; "
                         "city: one union per zone, then each district ∩ it")
    a = ap.parse_args()
    R = a.radius
    A = min(a.off_street, R)

    # --- read ----------------------------------------------------------------------------------
    pop_path = os.path.join(a.dir, "population.geojson")
    has_points = os.path.exists(pop_path)
    dpath = os.path.join(a.dir, "districts.geojson")
    dcols = ["id", "name"]
    if not has_points and "population" in pyogrio.read_info(dpath)["fields"]:
        dcols.append("population")
    districts = pyogrio.read_dataframe(dpath, columns=dcols)
    ecols = ["status"] + (["kind"] if a.kind else []) + (["themes"] if a.theme else [])
    entities = pyogrio.read_dataframe(os.path.join(a.dir, "entities.geojson"), columns=ecols)
    population = pyogrio.read_dataframe(pop_path, columns=["population"]) if has_points else None
    net = read_network(a.network or os.path.join(a.dir, "network.geojson"))
    phase("read", f"{len(districts)} districts, {len(entities)} entities, {net.ways} ways, "
                  f"{len(net.lonlat)} vertices, {len(net.u)} edges, "
                  f"{0 if population is None else len(population)} population features")

    status = entities["status"].fillna("active") if "status" in entities else None
    keep = np.ones(len(entities), dtype=bool) if status is None else (status == "active").to_numpy().copy()
    if a.kind:
        keep &= entities["kind"].isin(a.kind).to_numpy()
    if a.theme:
        wanted = set(a.theme)
        keep &= entities["themes"].map(lambda t: bool(wanted.intersection(
            json.loads(t) if isinstance(t, str) else (t if t is not None else [])))).to_numpy()
    selected_wgs = entities.geometry.to_numpy()[keep]

    # --- zones ---------------------------------------------------------------------------------
    dwgs = districts.geometry.to_numpy()
    b = shapely.bounds(dwgs)
    zone_of = np.array([utm_epsg((x0 + x1) / 2, (y0 + y1) / 2) for x0, y0, x1, y1 in b])
    zones = sorted(set(zone_of.tolist()))
    n = len(dwgs)
    area = np.zeros(n)
    covered = np.zeros(n)
    counts = np.zeros(n, dtype=np.int64)
    counted_entities = set()
    pval = None
    if population is not None:
        pgeom_wgs = population.geometry.to_numpy()
        if not np.all(shapely.get_type_id(pgeom_wgs) == 0):
            sys.exit("peer_walk: population polygons are not supported by the peer (points only)")
        pval = population["population"].to_numpy(dtype=float)
        dpop = np.zeros(n)
        dcov = np.zeros(n)
        in_some = np.zeros(len(pgeom_wgs), dtype=bool)
        covered_some = np.zeros(len(pgeom_wgs), dtype=bool)
    stats_all = []

    for epsg in zones:
        fwd = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)

        def project(g):
            return shapely.transform(g, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))

        mine = np.nonzero(zone_of == epsg)[0]
        dgeom = project(dwgs[mine])
        egeom = project(selected_wgs)
        if len(net.lonlat):
            xy = np.column_stack(fwd.transform(net.lonlat[:, 0], net.lonlat[:, 1]))
        else:
            xy = np.empty((0, 2))
        phase("project", f"EPSG:{epsg}: {len(mine)} districts, {len(egeom)} selected entities")

        shapes, stats = walk_shapes(xy, net.u, net.v, egeom, R, A, log=phase)
        stats_all.append(stats)

        if a.method == "district":
            stree = shapely.STRtree(shapes)
            di, si = stree.query(dgeom, predicate="intersects")
            order = np.argsort(di, kind="stable")
            di, si = di[order], si[order]
            bounds = np.searchsorted(di, np.arange(len(dgeom) + 1))
            unions = np.empty(len(dgeom), dtype=object)
            for i in range(len(dgeom)):
                unions[i] = shapely.union_all(shapes[si[bounds[i]:bounds[i + 1]]])
            phase("union per district", f"{len(di)} district-shape pairs")
        else:
            unions = shapely.union_all(shapes)
            phase("union of all shapes")
        cov = shapely.intersection(dgeom, unions)
        area[mine] = shapely.area(dgeom)
        covered[mine] = shapely.area(cov)

        etree = shapely.STRtree(egeom)
        cd, ce = etree.query(dgeom, predicate="intersects")
        counts[mine] = np.bincount(cd, minlength=len(dgeom))
        counted_entities.update(ce.tolist())
        phase("areas, entity counts")

        if pval is not None:
            pgeom = project(pgeom_wgs)
            ptree = shapely.STRtree(pgeom)
            dd, pp = ptree.query(dgeom, predicate="covers")
            inside = np.zeros(len(pgeom), dtype=bool)
            inside[pp] = True
            cand = np.nonzero(inside)[0]
            hit = np.zeros(len(pgeom), dtype=bool)
            qi, _ = shapely.STRtree(shapes).query(pgeom[cand], predicate="intersects")
            hit[cand[qi]] = True
            dpop[mine] += np.bincount(dd, weights=pval[pp], minlength=len(dgeom))
            dcov[mine] += np.bincount(dd, weights=(pval * hit)[pp], minlength=len(dgeom))
            in_some |= inside
            covered_some |= hit & inside
            phase("population", f"{int((hit & inside).sum())} of {int(inside.sum())} points covered")

    share = np.divide(covered, area, out=np.zeros_like(area), where=area > 0)
    out_pop = None
    if pval is not None:
        out_pop = (dpop, dcov, float(pval[in_some].sum()), float(pval[covered_some].sum()))
    elif "population" in districts.columns:
        dp = districts["population"].to_numpy(dtype=float, na_value=np.nan)
        dc = np.where(~np.isnan(dp), dp * share, np.nan)
        out_pop = (dp, dc, float(np.nansum(dp)), float(np.nansum(dc)))

    # --- write -----------------------------------------------------------------------------------
    rows = []
    for i in range(n):
        row = {"id": str(districts["id"].iat[i]), "name": districts["name"].iat[i],
               "area_m2": round(float(area[i]), 2), "covered_m2": round(float(covered[i]), 2),
               "covered_share": round(float(share[i]), 6), "entities": int(counts[i])}
        if out_pop is not None and not math.isnan(out_pop[0][i]):
            row["population"] = round(float(out_pop[0][i]), 3)
            row["covered_population"] = round(float(out_pop[1][i]), 3)
        if len(zones) > 1:
            row["crs"] = f"EPSG:{zone_of[i]}"
        rows.append(row)
    tarea, tcov = float(area.sum()), float(covered.sum())
    city = {"area_m2": round(tarea, 2), "covered_m2": round(tcov, 2),
            "covered_share": round(tcov / tarea, 6) if tarea > 0 else 0.0,
            "entities": len(counted_entities)}
    if out_pop is not None:
        city["population"] = round(out_pop[2], 3)
        city["covered_population"] = round(out_pop[3], 3)
    number = lambda x: int(x) if x == int(x) else x
    result = {"mode": "walk", "off_street_m": number(A), "radius_m": number(R),
              "crs": f"EPSG:{zones[0]}" if len(zones) == 1 else "UTM per district",
              "districts": rows, "city": city}
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    far = stats_all[0].get("far_from_streets", 0)  # every zone sees all the selected entities
    phase("write", f"{far} selected entities farther than {A:g} m from every street")
    print(f"peer_walk: {'total':<22} {time.perf_counter() - T0:8.3f} s  (after imports)", file=sys.stderr)


if __name__ == "__main__":
    main()
