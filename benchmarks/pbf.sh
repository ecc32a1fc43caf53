#!/usr/bin/env bash
# OSM PBF read speed (issue 12): `civic import osm` of a synthetic city's PBF beside `osmium cat` of
# the same file, in nodes per second, with peak memory. See benchmarks/README.md ("Reading OSM PBF").
#
#   benchmarks/pbf.sh                    # 2,000,000 nodes, 3 runs each
#   benchmarks/pbf.sh --nodes 500000 --repeat 1
#   CIVIC=/path/to/civic benchmarks/pbf.sh
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=2000000
repeat=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --nodes) nodes="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        *) echo "usage: benchmarks/pbf.sh [--nodes N] [--repeat R]" >&2; exit 64 ;;
    esac
done

command -v osmium >/dev/null || { echo "pbf.sh: needs osmium (apt-get install osmium-tool)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null
if [[ -z "${CIVIC:-}" ]]; then
    swift build -c release --product civic >/dev/null
    CIVIC="$PWD/.build/release/civic"
fi

data=benchmarks/data/osm
mkdir -p "$data"
city="$data/city-$nodes.osm.pbf"
if [[ ! -s "$city" || benchmarks/make_osm_city.py -nt "$city" ]]; then
    python3 benchmarks/make_osm_city.py --nodes "$nodes" --out "$data/city-$nodes.osm"
    osmium cat "$data/city-$nodes.osm" -o "$city" -O
    rm -f "$data/city-$nodes.osm"
fi
count=$(osmium fileinfo -e -g data.count.nodes "$city")
ways=$(osmium fileinfo -e -g data.count.ways "$city")
echo "$city: $count nodes, $ways ways, $(du -h "$city" | cut -f1)"

# One timed run: prints "wall_seconds peak_kb".
timed() {
    local log="$data/time.log"
    /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$data/stderr.log" || {
        echo "pbf.sh: failed: $*" >&2; cat "$data/stderr.log" >&2; exit 1; }
    cat "$log"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A walls peaks
run() {
    local name="$1"; shift
    local w=() p=()
    for _ in $(seq "$repeat"); do
        read -r wall peak < <(timed "$@")
        w+=("$wall"); p+=("$peak")
    done
    walls[$name]=$(printf '%s\n' "${w[@]}" | median)
    peaks[$name]=$(printf '%s\n' "${p[@]}" | sort -n | tail -1)
}

dataset="$data/dataset"
fresh_dataset() { rm -rf "$dataset"; cp -r geodata/oskemen "$dataset"; }

fresh_dataset
run "osmium cat (PBF to PBF)" osmium cat "$city" -o "$data/copy.osm.pbf" -O
run "osmium cat (PBF to OPL)" osmium cat "$city" -f opl -o /dev/null -O
run "civic import osm --dry-run --no-network" "$CIVIC" import osm "$city" --dataset "$dataset" --dry-run --no-network
# The whole import: reading, the walkable ways, their place against the districts, one commit.
w=() p=()
for _ in $(seq "$repeat"); do
    fresh_dataset
    read -r wall peak < <(timed "$CIVIC" import osm "$city" --dataset "$dataset")
    w+=("$wall"); p+=("$peak")
done
walls["civic import osm (with the network)"]=$(printf '%s\n' "${w[@]}" | median)
peaks["civic import osm (with the network)"]=$(printf '%s\n' "${p[@]}" | sort -n | tail -1)
streets=$(grep -c '"source"' "$dataset/network.geojson" || true)

reference=${walls["osmium cat (PBF to PBF)"]}
{
    echo "| $count nodes, $ways ways ($(du -h "$city" | cut -f1)) | wall s | nodes/s | × osmium cat | peak MB |"
    echo "|---|---:|---:|---:|---:|"
    for name in "osmium cat (PBF to PBF)" "osmium cat (PBF to OPL)" "civic import osm --dry-run --no-network" \
                "civic import osm (with the network)"; do
        awk -v n="$name" -v w="${walls[$name]}" -v p="${peaks[$name]}" -v c="$count" -v r="$reference" \
            'BEGIN { printf "| %s | %.2f | %.0f | %.2f | %.0f |\n", n, w, c / w, w / r, p / 1024 }'
    done
    echo
    echo "The import kept $streets streets in network.geojson."
} | tee "$data/results.md"
