#!/usr/bin/env bash
# civic's district areas against geodesic areas (pyproj.Geod) on a country-sized synthetic file:
# every district within 0.2 % (issue 10). One command, from anywhere.
#
#   benchmarks/areas.sh [--columns 29] [--rows 6] [--seed 174] [--tolerance 0.2]
#
# Sets up benchmarks/.venv (benchmarks/requirements.txt) if missing, builds civic in release
# (CIVIC=/path/to/civic uses that binary instead; SWIFT_SCRATCH as in run.sh), writes the country
# to benchmarks/data/country/ and runs geodesic_areas.py. Exit 0 when every district agrees.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
say() { echo "areas.sh: $*" >&2; }
case "${1:-}" in -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;; esac

py="$here/.venv/bin/python"
stamp="$here/.venv/requirements.stamp"
if [ ! -x "$py" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
    say "setting up benchmarks/.venv from requirements.txt"
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi

if [ -n "${CIVIC:-}" ]; then
    civic="$CIVIC"
else
    mkdir -p "$here/data"
    scratch=()
    [ -z "${SWIFT_SCRATCH:-}" ] || scratch=(--scratch-path "$SWIFT_SCRATCH")
    say "building civic (swift build -c release --product civic; log in benchmarks/data/build.log)"
    if ! (cd "$repo" && swift build -c release "${scratch[@]}" --product civic) >"$here/data/build.log" 2>&1; then
        say "civic does not build in release:"
        { grep -m 3 'error:' "$here/data/build.log" || tail -n 3 "$here/data/build.log"; } | sed 's/^/areas.sh:     /' >&2
        exit 2
    fi
    civic="$(cd "$repo" && swift build -c release "${scratch[@]}" --show-bin-path)/civic"
fi
exec "$py" "$here/geodesic_areas.py" --civic "$civic" --out "$here/data/country" "$@"
