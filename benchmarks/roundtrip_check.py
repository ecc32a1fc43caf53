#!/usr/bin/env python3
"""The independent side of benchmarks/roundtrip.sh: Python's csv module and json, not civic's code.

    roundtrip_check.py allow VALIDATE_STDERR ENTITIES_GEOJSON   record validate's same-name pairs as kept
    roundtrip_check.py compare FIRST.csv SECOND.csv             same rows but for id, times, allowance ids
    roundtrip_check.py features FIRST.geojson SECOND.geojson    the datasets' own files: same features but
                                                                for id, times and allowance ids
"""

import csv
import json
import re
import sys


def allow(validate_output, entities_path):
    """Adds `allow.duplicate_of` to every entity `civic validate` calls a likely duplicate, keeping
    the file's one-feature-per-line layout."""
    pairs = {}
    for line in open(validate_output, encoding="utf-8"):
        m = re.search(r"\(id (\d+)\): likely duplicate of entity (\d+)", line)
        if m:
            pairs.setdefault(int(m.group(1)), set()).add(int(m.group(2)))
    lines = open(entities_path, encoding="utf-8").readlines()
    for i, line in enumerate(lines):
        m = re.match(r'\{"type":"Feature","id":(\d+),', line)
        if m and int(m.group(1)) in pairs:
            comma = line.rstrip("\n").endswith(",")
            feature = json.loads(line.rstrip("\n").rstrip(","))
            feature["properties"]["allow"] = {"duplicate_of": sorted(pairs[int(m.group(1))])}
            lines[i] = json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + ("," if comma else "") + "\n"
    open(entities_path, "w", encoding="utf-8").writelines(lines)
    print(f"roundtrip_check: {len(pairs)} entities kept beside a same-name neighbour", file=sys.stderr)


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        header = f.readline()
        delimiter = ";" if header.count(";") > header.count(",") else ","
        f.seek(0)
        out = []
        for row in csv.DictReader(f, delimiter=delimiter):
            for key in ("id", "created", "updated", "allow_duplicate_of"):
                row.pop(key, None)
            out.append(row)
        return out


def compare(first, second):
    a, b = rows(first), rows(second)
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    if len(a) != len(b) or differing:
        print(f"roundtrip_check: {len(a)} and {len(b)} rows, {len(differing)} differ; first: {differing[:1]}", file=sys.stderr)
        sys.exit(1)
    kept = sum(1 for row in a if row.get("geometry_type") != "Point")
    print(f"roundtrip_check: {len(a)} rows the same ({kept} areas, every column but id, times and allowance ids)",
          file=sys.stderr)


def features(first, second):
    """The two datasets' entities.geojson, feature by feature in id order: every property and the
    geometry the same, but for the id, the times the importing dataset stamped and the ids of
    `allow.duplicate_of` (the pairs are numbered by each dataset)."""
    def load(path):
        out = []
        for feature in json.load(open(path, encoding="utf-8"))["features"]:
            props = dict(feature["properties"])
            for key in ("created", "updated"):
                props.pop(key, None)
            allow = props.pop("allow", {})
            props["allow.outside"] = allow.get("outside", False)
            out.append((json.dumps(props, ensure_ascii=False, sort_keys=True),
                        json.dumps(feature["geometry"], sort_keys=True)))
        return out
    a, b = load(first), load(second)
    differing = sum(1 for x, y in zip(a, b) if x != y)
    if len(a) != len(b) or differing:
        print(f"roundtrip_check: {len(a)} and {len(b)} features, {differing} differ", file=sys.stderr)
        sys.exit(1)
    print(f"roundtrip_check: {len(a)} features of entities.geojson the same, geometry and properties", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "allow":
        allow(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "features":
        features(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
