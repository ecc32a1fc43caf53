#!/usr/bin/env bash
# Residents' concerns at scale (issue 14): N concerns imported into the bundled city and summarised,
# each timed as a whole process, and the summary checked against the Python peer.
#
#   benchmarks/concerns.sh                 # 100,000 concerns, 3 runs each
#   benchmarks/concerns.sh --count 20000 --repeat 5
#   CIVIC=/path/to/civic benchmarks/concerns.sh
#
# Prints wall seconds, CPU seconds (user + system) and peak memory of each run, the medians, and
# the peer's verdict. Needs benchmarks/.venv (made from requirements.txt when missing) and GNU time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
count=100000
repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "usage: $0 [--count N] [--repeat R]" >&2; exit 64 ;;
  esac
done

civic="${CIVIC:-}"
if [ -z "$civic" ]; then
  (cd "$root" && swift build -c release --product civic >/dev/null)
  civic="$root/.build/release/civic"
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
fi

data="$here/data/concerns-$count"
mkdir -p "$data"
# The bundled city without its illustrative concerns, and a register of N more.
rm -rf "$data/city"
cp -r "$root/geodata/oskemen" "$data/city"
rm -f "$data/city/concerns.geojson" "$data/city/private/concerns.json"
python3 "$here/make_concerns.py" "$data/city" --count "$count" --seed 1 -o "$data/register.csv"

echo "load before measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
measure() {  # label, then the command; prints "wall cpu peakMB"
  /usr/bin/time -f "%e %U %S %M" -o "$data/time.txt" "$@" >/dev/null 2>"$data/stderr.txt" || { cat "$data/stderr.txt" >&2; exit 1; }
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$data/time.txt"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

: > "$data/import.txt"; : > "$data/summary.txt"
for run in $(seq "$repeat"); do
  rm -rf "$data/run"; cp -r "$data/city" "$data/run"
  measure "$civic" import concerns "$data/register.csv" --dataset "$data/run" | tee -a "$data/import.txt" | sed "s/^/import  run $run: /"
  measure "$civic" concerns summary --dataset "$data/run" --format json -o "$data/summary-$run.json" \
    | tee -a "$data/summary.txt" | sed "s/^/summary run $run: /"
done
for what in import summary; do
  echo "$what median: wall $(cut -d' ' -f1 "$data/$what.txt" | median) s, CPU $(cut -d' ' -f2 "$data/$what.txt" | median) s, peak $(cut -d' ' -f3 "$data/$what.txt" | sort -n | tail -1) MB"
done
"$civic" concerns summary --dataset "$data/run" --format json --include-private -o "$data/civic-private.json"
/usr/bin/time -f "peer: %e s wall" "$here/.venv/bin/python" "$here/peer_concerns.py" "$data/run" --compare "$data/civic-private.json"
