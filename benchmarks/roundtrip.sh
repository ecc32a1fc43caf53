#!/usr/bin/env bash
# Export → import round trip on a synthetic city (issue 11): one command, from anywhere.
#
#   benchmarks/roundtrip.sh [--entities 40000] [--seed 1]
#
# Makes the city with make_city.py (cached in benchmarks/data/city-N-sS, as run.sh does), records
# the same-name pairs within 100 m that the generator scatters as kept on purpose (what
# `civic edit N --allow-duplicate` would record; civic refuses to import a pair nobody allowed),
# then times `civic export entities -o x.csv`, `civic init` of a fresh dataset from the same
# districts and `civic import csv x.csv` into it, and checks with Python's csv and json modules (not
# civic's reader) that the fresh dataset's entities.geojson holds the same features as the city's
# and exports the same rows, but for id, times and the ids in allow_duplicate_of; and that importing the export into its own dataset leaves every file byte for
# byte. CIVIC=/path/to/civic picks the binary (default .build/release/civic, else .build/debug/civic).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
entities=40000
seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --entities) entities="${2:?}"; shift 2 ;;
        --seed) seed="${2:?}"; shift 2 ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
        *) echo "roundtrip.sh: error: unknown argument '$1'" >&2; exit 64 ;;
    esac
done
say() { echo "roundtrip.sh: $*" >&2; }

py="$here/.venv/bin/python"
if [ ! -x "$py" ]; then
    say "setting up benchmarks/.venv from requirements.txt"
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
fi
civic="${CIVIC:-}"
if [ -z "$civic" ]; then
    for candidate in "$repo/.build/release/civic" "$repo/.build/debug/civic"; do
        if [ -x "$candidate" ]; then civic="$candidate"; break; fi
    done
fi
[ -n "$civic" ] || { say "error: no civic binary; run swift build (or set CIVIC)"; exit 1; }

city="$here/data/city-$entities-s$seed"
if [ ! -f "$city/entities.geojson" ]; then
    say "making $city"
    "$py" "$here/make_city.py" --entities "$entities" --seed "$seed" --out "$city" >&2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$city" "$work/city"
"$civic" validate --dataset "$work/city" 2> "$work/validate.txt" || true
"$py" "$here/roundtrip_check.py" allow "$work/validate.txt" "$work/city/entities.geojson"
"$civic" validate --dataset "$work/city" --quiet || { say "error: the city does not validate after recording the pairs"; exit 1; }

timed() {  # label, command…: wall seconds and peak RSS of one run on stderr
    local label="$1"; shift
    /usr/bin/time -f "$label %e s %M KB" "$@" 2>&1 >/dev/null | grep -E "^$label " >&2
}
timed export "$civic" export entities --dataset "$work/city" -o "$work/entities.csv" --quiet
"$civic" init "$work/fresh" --name "Копия" --districts "$work/city/districts.geojson" >/dev/null 2>&1
timed import "$civic" import csv "$work/entities.csv" --dataset "$work/fresh" --quiet
"$civic" export entities --dataset "$work/fresh" -o "$work/again.csv" --quiet
"$py" "$here/roundtrip_check.py" compare "$work/entities.csv" "$work/again.csv"
"$py" "$here/roundtrip_check.py" features "$work/city/entities.geojson" "$work/fresh/entities.geojson"
"$civic" validate --dataset "$work/fresh" --quiet || { say "error: the imported dataset does not validate"; exit 1; }

before="$(cd "$work/city" && find . -type f | sort | xargs sha256sum | sha256sum)"
timed reimport "$civic" import csv "$work/entities.csv" --dataset "$work/city" --quiet
after="$(cd "$work/city" && find . -type f | sort | xargs sha256sum | sha256sum)"
[ "$before" = "$after" ] || { say "error: re-importing the export changed its own dataset"; exit 1; }
say "ok: $entities entities came back whole; the export's own dataset is byte for byte as it was ($(du -h "$work/entities.csv" | cut -f1) CSV)"
