#!/usr/bin/env bash
# civic coverage --walk against its peer (issue 12): one command, from anywhere.
#
#   benchmarks/run_walk.sh [--sizes 4000,40000,400000] [--repeat 3] [--seed 1] [--radius 500]
#                          [--off-street 100] [--peer-method district|city] [--no-civic]
#
# Sets up benchmarks/.venv (requirements.txt), checks the peer on hand-computed networks
# (test_peer_walk.py), builds civic in release (CIVIC=/path/to/civic uses that binary instead;
# SWIFT_SCRATCH as in run.sh), makes the synthetic cities with their street network once (cached in
# benchmarks/data/walk-N-sS), then for each size runs the peer (peer_walk.py), civic's walking
# coverage and civic's straight-line coverage of the same city in turn, --repeat times each (the
# order rotating), timing each whole process with /usr/bin/time (wall seconds, peak RSS), checks that
# civic and the peer agree (compare.py: per-district covered_share within 0.2 percentage points,
# entity counts exact) and prints a Markdown table (also saved to benchmarks/data/results-walk.md).
# Exit 0 when every size agrees (or civic was skipped), 1 when civic failed or disagreed or the
# peer's own check failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="$here/data"
sizes="4000,40000,400000"
repeat=3
seed=1
radius=500
off_street=100
peer_method=district
want_civic=1

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit "${1:-64}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="${2:?}"; shift 2 ;;
        --repeat) repeat="${2:?}"; shift 2 ;;
        --seed) seed="${2:?}"; shift 2 ;;
        --radius) radius="${2:?}"; shift 2 ;;
        --off-street) off_street="${2:?}"; shift 2 ;;
        --peer-method) peer_method="${2:?}"; shift 2 ;;
        --no-civic) want_civic=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run_walk.sh: error: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "run_walk.sh: error: --repeat must be a positive integer" >&2; exit 64; }
[[ "$sizes" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "run_walk.sh: error: --sizes must be like 4000,40000" >&2; exit 64; }
[[ "$peer_method" =~ ^(district|city)$ ]] || { echo "run_walk.sh: error: --peer-method is district or city" >&2; exit 64; }

say() { echo "run_walk.sh: $*" >&2; }

# --- tools and the peer's own check ---------------------------------------------------------------
me=run_walk.sh
source "$here/common.sh"
ensure_gnu_time
ensure_venv
mkdir -p "$data"
say "checking the peer on hand-computed networks (test_peer_walk.py)"
if ! "$py" "$here/test_peer_walk.py" >"$data/test_peer_walk.log" 2>&1; then
    grep FAIL "$data/test_peer_walk.log" | sed 's/^/run_walk.sh:     /' >&2
    say "the peer disagrees with the hand computations: see ${data#"$repo/"}/test_peer_walk.log"
    exit 1
fi
ensure_civic
# The help is read whole before it is searched: `civic … | grep -q` under pipefail fails whenever grep
# stops reading first and civic dies of SIGPIPE, which depends on timing.
coverage_help=""
[ -n "$civic" ] && coverage_help=$("$civic" coverage --help 2>/dev/null || true)
if [ -n "$civic" ] && [[ "$coverage_help" != *--walk* ]]; then
    say "this civic has no 'coverage --walk' ($civic): it cannot be compared"
    civic_missing_walk=1
else
    civic_missing_walk=0
fi

# --- cities -------------------------------------------------------------------------------------
gen_sum="$(cat "$here/make_city.py" "$here/make_walk_city.py" | sha256sum | cut -c1-16)"
city_dir() { echo "$data/walk-$1-s$seed"; }
make_cities "$sizes" "$gen_sum" " and its streets" "$here/make_walk_city.py"
IFS=',' read -r -a size_list <<<"$sizes"

busy="$(cpu_busy)"
load="CPU ${busy} % busy"
say "before measuring: CPUs ${busy} % busy over 2 s$([ "$busy" -lt 10 ] || echo ' -- other work is running; the figures will be skewed')"

# --- runs ----------------------------------------------------------------------------------------
out="$data/out"
mkdir -p "$out"
rows="$data/runs-walk.tsv"
: >"$rows"

# run_one TOOL SIZE REP: time one whole process (TOOL: peer, walk = civic --walk, line = civic's
# straight line); append "tool size rep seconds kb status cpu-seconds" to $rows.
run_one() {
    local tool="$1" n="$2" rep="$3" d t log res status
    d="$(city_dir "$n")"
    res="$out/walk-$tool-$n.json"
    t="$out/walk-$tool-$n-$rep.time"
    log="$out/walk-$tool-$n-$rep.log"
    rm -f "$res"
    local files=(--districts "$d/districts.geojson" --entities "$d/entities.geojson"
                 --population "$d/population.geojson" --radius "$radius" --format json -o "$res")
    set +e
    case "$tool" in
        peer) /usr/bin/time -f "%e %M %U %S" -o "$t" "$py" "$here/peer_walk.py" "$d" --radius "$radius" \
                  --off-street "$off_street" --method "$peer_method" --out "$res" 2>"$log" ;;
        walk) /usr/bin/time -f "%e %M %U %S" -o "$t" "$civic" coverage --walk --network "$d/network.geojson" \
                  --off-street "$off_street" "${files[@]}" 2>"$log" ;;
        line) /usr/bin/time -f "%e %M %U %S" -o "$t" "$civic" coverage "${files[@]}" 2>"$log" ;;
    esac
    status=$?
    set -e
    # GNU time writes "Command exited with non-zero status N" before the figures on failure.
    read -r secs kb usr sys < <(tail -n 1 "$t")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$rep" "$secs" "$kb" "$status" \
        "$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" >>"$rows"
    say "  $tool  $n entities  run $rep: ${secs} s wall ($(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') s CPU), $((kb / 1024)) MB peak$([ "$status" = 0 ] || echo ", FAILED (exit $status, see ${log#"$repo/"})")"
    return "$status"
}

declare -A compared
for n in "${size_list[@]}"; do
    say "$n entities: peer ($peer_method)${civic:+, civic --walk and civic straight-line}, $repeat run(s) each"
    civic_ok=1
    civic_failed=0
    [ -n "$civic" ] && [ "$civic_missing_walk" = 0 ] || civic_ok=0
    [ "$civic_missing_walk" = 0 ] || civic_failed=1
    for ((r = 1; r <= repeat; r++)); do
        case $((r % 3)) in 1) order="peer walk line" ;; 2) order="walk line peer" ;; *) order="line peer walk" ;; esac
        for tool in $order; do
            if [ "$tool" = peer ]; then
                run_one peer "$n" "$r" || { say "the peer failed: see $out/walk-peer-$n-$r.log"; exit 1; }
            else
                [ "$civic_ok" = 1 ] || continue
                run_one "$tool" "$n" "$r" || { civic_ok=0; civic_failed=1; tail -n 5 "$out/walk-$tool-$n-$r.log" | sed 's/^/run_walk.sh:     /' >&2; }
            fi
        done
    done
    if [ "$civic_ok" = 1 ]; then
        if "$py" "$here/compare.py" "$out/walk-peer-$n.json" "$out/walk-walk-$n.json" | tee "$out/compare-walk-$n.txt" >&2; then
            compared[$n]=same
        else
            compared[$n]=DIFFERENT
        fi
    elif [ "$civic_failed" = 1 ]; then
        compared[$n]="civic failed"
    else
        compared[$n]="-"
    fi
done

# --- the table -----------------------------------------------------------------------------------
verdicts=""
for n in "${size_list[@]}"; do verdicts+="$n=${compared[$n]};"; done
"$py" - "$rows" "$verdicts" "$(machine_line)" "$peer_method" "$repeat" "$load" "$radius" "$off_street" <<'PY' | tee "$data/results-walk.md"
import statistics, sys
rows_path, verdicts, machine, method, repeat, load, radius, off_street = sys.argv[1:]
verdict = dict(v.split("=", 1) for v in verdicts.split(";") if v)
runs = {}
for line in open(rows_path):
    tool, n, rep, secs, kb, status, cpu = line.rstrip("\n").split("\t")
    if status == "0":
        runs.setdefault((tool, int(n)), []).append((float(secs), int(kb), float(cpu)))
print(f"\nMachine: {machine}; before: {load}; radius {radius} m, off-street {off_street} m; peer method: "
      f"{method}; median of {repeat} run(s), peak RSS = the largest of the runs.\n")
print("| entities | peer s | civic --walk s | walk/peer | civic straight s | walk/straight "
      "| CPU s peer / walk / straight | peer MB | civic --walk MB | memory walk/peer | same answer |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
f = lambda v, d=2: "-" if v is None else f"{v:.{d}f}"
for n in sorted({n for (_, n) in runs} | {int(k) for k in verdict}):
    med = {t: (statistics.median(s for s, _, _ in runs[(t, n)]) if (t, n) in runs else None) for t in ("peer", "walk", "line")}
    cpu = {t: (statistics.median(c for _, _, c in runs[(t, n)]) if (t, n) in runs else None) for t in ("peer", "walk", "line")}
    peak = {t: (max(k for _, k, _ in runs[(t, n)]) / 1024 if (t, n) in runs else None) for t in ("peer", "walk", "line")}
    ratio = lambda a, b: a / b if a is not None and b else None
    print(f"| {n:,} | {f(med['peer'])} | {f(med['walk'])} | {f(ratio(med['walk'], med['peer']), 3)} "
          f"| {f(med['line'])} | {f(ratio(med['walk'], med['line']))} "
          f"| {f(cpu['peer'], 1)} / {f(cpu['walk'], 1)} / {f(cpu['line'], 1)} | {f(peak['peer'], 0)} "
          f"| {f(peak['walk'], 0)} | {f(ratio(peak['walk'], peak['peer']))} | {verdict.get(str(n), '-')} |")
PY
status=0
for n in "${size_list[@]}"; do
    case "${compared[$n]}" in DIFFERENT|"civic failed") status=1 ;; esac
done
exit "$status"
