#!/usr/bin/env bash
# civic suggest against the exact optimum (issue 13): one command, from anywhere.
#
#   benchmarks/suggest.sh [--set full|ci] [--repeat 5] [--only NAME-PREFIX] [--reuse-peer]
#
# Sets up benchmarks/.venv (benchmarks/requirements.txt) if missing, builds civic in release
# (CIVIC=/path/to/civic uses that binary instead), writes the instances once with make_suggest.py
# (benchmarks/data/suggest-SET, remade when make_suggest.py changes), then runs civic and the
# PuLP/CBC peer on each (compare_suggest.py): a Markdown table on stdout, also saved to
# benchmarks/data/suggest-SET.md. Exit 0 when civic reaches at least 97 % of the optimum on every
# instance and 99 % on average and its bound is never below the optimum; 1 otherwise.
# `--set ci` is three small instances for CI (a debug build is fine there). --reuse-peer takes the
# optimum from an earlier run's peer.json (the instances are deterministic), to re-time civic alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
set_name=full
repeat=5
only=()
reuse=()
while [ $# -gt 0 ]; do
    case "$1" in
        --set) set_name="${2:?}"; shift 2 ;;
        --repeat) repeat="${2:?}"; shift 2 ;;
        --only) only=(--only "${2:?}"); shift 2 ;;
        --reuse-peer) reuse=(--reuse-peer); shift ;;
        -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "suggest.sh: error: unknown argument '$1'" >&2; exit 64 ;;
    esac
done
say() { echo "suggest.sh: $*" >&2; }

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
    say "building civic (swift build -c release --product civic)"
    (cd "$repo" && swift build -c release --product civic >/dev/null)
    civic="$(cd "$repo" && swift build -c release --show-bin-path)/civic"
fi
[ -x "$civic" ] || { say "no civic at $civic"; exit 1; }

data="$here/data"
instances="$data/suggest-$set_name"
sum="$(sha256sum "$here/make_suggest.py" | cut -c1-16)"
if [ ! -f "$instances/.made-$sum" ]; then
    rm -rf "$instances"
    "$py" "$here/make_suggest.py" "$instances" --set "$set_name"
    touch "$instances/.made-$sum"
fi
"$py" "$here/compare_suggest.py" "$instances" --civic "$civic" --repo "$repo" --repeat "$repeat" "${only[@]}" "${reuse[@]}" ${SUGGEST_TIME_LIMIT:+--time-limit "$SUGGEST_TIME_LIMIT"} \
    --out "$data/suggest-$set_name${only:+-${only[1]}}.md"
