#!/usr/bin/env python3
"""Check that two coverage results (civic's JSON, DESIGN §5) agree within the issue's tolerances.

    compare.py A.json B.json

Per district (matched by id; both files must have the same districts) and for the city totals:
  area_m2              within 0.01 % (relative)
  covered_share        within 0.2 percentage points (absolute, shares being fractions 0..1)
  entities             exact
  population,
  covered_population   within 0.5 % (relative to the larger; both must have them or neither)
covered_m2 is reported but not checked on its own (area and share bound it).
crs, radius_m and, for walking coverage (DESIGN §5b), mode and off_street_m must be equal.

Prints the worst differences per figure; exits 0 when all pass, 1 when any fails, 2 on bad input.
Standard library only, so it runs anywhere.
"""

import json
import sys

AREA_REL = 1e-4          # 0.01 %
SHARE_ABS = 0.002        # 0.2 percentage points
POP_REL = 5e-3           # 0.5 %


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(print(f"compare: error: {path}: {e}", file=sys.stderr) or 2)
    if not isinstance(r, dict) or not isinstance(r.get("districts"), list):
        print(f"compare: error: {path}: no \"districts\" array", file=sys.stderr)
        sys.exit(2)
    return r


def rel(a, b):
    m = max(abs(a), abs(b))
    return 0.0 if m == 0 else abs(a - b) / m


def main():
    if len(sys.argv) != 3:
        print("usage: compare.py A.json B.json", file=sys.stderr)
        sys.exit(2)
    pa, pb = sys.argv[1], sys.argv[2]
    a, b = load(pa), load(pb)
    failures = []

    for key in ("crs", "radius_m", "mode", "off_street_m"):
        if a.get(key) != b.get(key):
            failures.append(f"{key}: {a.get(key)!r} vs {b.get(key)!r}")

    da = {d["id"]: d for d in a["districts"]}
    db = {d["id"]: d for d in b["districts"]}
    only_a, only_b = sorted(set(da) - set(db)), sorted(set(db) - set(da))
    if only_a:
        failures.append(f"{len(only_a)} districts only in A: {', '.join(only_a[:10])}")
    if only_b:
        failures.append(f"{len(only_b)} districts only in B: {', '.join(only_b[:10])}")
    pairs = [(i, da[i], db[i]) for i in da if i in db]
    if "city" in a and "city" in b:
        pairs.append(("city", a["city"], b["city"]))
    elif "city" in a or "city" in b:
        failures.append("city totals in only one of the files")

    # figure -> (kind, tolerance, unit for printing)
    checks = [("area_m2", "rel", AREA_REL), ("covered_share", "abs", SHARE_ABS),
              ("entities", "exact", 0), ("population", "rel", POP_REL),
              ("covered_population", "rel", POP_REL), ("covered_m2", "info", None)]
    worst = {}
    for name, kind, tol in checks:
        diffs = []
        for did, x, y in pairs:
            hx, hy = name in x, name in y
            if not hx and not hy:
                continue
            if hx != hy:
                failures.append(f"{did}: {name} in only {'A' if hx else 'B'}")
                continue
            vx, vy = x[name], y[name]
            if not isinstance(vx, (int, float)) or not isinstance(vy, (int, float)):
                failures.append(f"{did}: {name} is not a number: {vx!r} vs {vy!r}")
                continue
            d = abs(vx - vy) if kind in ("abs", "exact") else rel(vx, vy)
            diffs.append((d, did, vx, vy))
            bad = (d > tol) if kind in ("rel", "abs") else (d != 0 if kind == "exact" else False)
            if bad:
                shown = f"{d * 100:.4f} %" if kind == "rel" else (
                    f"{d * 100:.4f} pp" if kind == "abs" else f"{d:g}")
                failures.append(f"{did}: {name} {vx} vs {vy} (differ by {shown})")
        diffs.sort(key=lambda t: t[0], reverse=True)
        worst[name] = (kind, tol, diffs)

    ndist = sum(1 for p in pairs if p[0] != "city" or p[1] is not a.get("city"))
    print(f"compare: A = {pa}\ncompare: B = {pb}")
    print(f"compare: {ndist} districts" + (" and the city totals" if ndist < len(pairs) else ""))
    for name, (kind, tol, diffs) in worst.items():
        if not diffs:
            print(f"  {name:<19} absent in both")
            continue
        d, did, vx, vy = diffs[0]
        if kind == "rel" or kind == "info":
            what = f"worst {d * 100:.5f} %"
            lim = f"(limit {tol * 100:g} %)" if tol is not None else "(not checked)"
        elif kind == "abs":
            what = f"worst {d * 100:.5f} pp"
            lim = f"(limit {tol * 100:g} pp)"
        else:
            what = f"worst {d:g}"
            lim = "(must be exact)"
        print(f"  {name:<19} {what:<22} {lim:<16} at {did}: A {vx} / B {vy}")
    if failures:
        print(f"compare: FAIL: {len(failures)} problem(s)")
        for f in failures[:40]:
            print(f"  {f}")
        if len(failures) > 40:
            print(f"  ... and {len(failures) - 40} more")
        sys.exit(1)
    print("compare: OK: within tolerances")


if __name__ == "__main__":
    main()
