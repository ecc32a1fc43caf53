#!/usr/bin/env bash
# civic coverage against its peer (issue 4): one command, from anywhere.
#
#   benchmarks/run.sh [--sizes 4000,40000,400000] [--repeat 3] [--seed 1] [--radius 500]
#                     [--peer-method district|city] [--no-civic]
#
# Sets up benchmarks/.venv (benchmarks/requirements.txt) if missing, builds civic in release
# (skipped with a message when the build fails; CIVIC=/path/to/civic uses that binary instead),
# makes the synthetic cities once (cached in benchmarks/data/city-N), then for each size runs the
# peer and civic in turn, --repeat times each (alternating which goes first), timing each whole
# process with /usr/bin/time (wall seconds, peak RSS; CPU seconds in the log lines), checks that the two agree (compare.py) and
# prints a Markdown table (also saved to benchmarks/data/results.md).
# SWIFT_SCRATCH=.build-x builds civic with --scratch-path .build-x (default: the package's .build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="$here/data"
sizes="4000,40000,400000"
repeat=3
seed=1
radius=500
peer_method=district
want_civic=1

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit "${1:-64}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="${2:?}"; shift 2 ;;
        --repeat) repeat="${2:?}"; shift 2 ;;
        --seed) seed="${2:?}"; shift 2 ;;
        --radius) radius="${2:?}"; shift 2 ;;
        --peer-method) peer_method="${2:?}"; shift 2 ;;
        --no-civic) want_civic=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: error: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: error: --repeat must be a positive integer" >&2; exit 64; }
[[ "$sizes" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "run.sh: error: --sizes must be like 4000,40000" >&2; exit 64; }

say() { echo "run.sh: $*" >&2; }

# --- tools ------------------------------------------------------------------------------------
me=run.sh
source "$here/common.sh"
ensure_gnu_time
ensure_venv
ensure_civic

# --- cities -------------------------------------------------------------------------------------
gen_sum="$(sha256sum "$here/make_city.py" | cut -c1-16)"
city_dir() { echo "$data/city-$1-s$seed"; }
make_cities "$sizes" "$gen_sum" "" "$here/make_city.py"
IFS=',' read -r -a size_list <<<"$sizes"

busy="$(cpu_busy)"
load="CPU ${busy} % busy"
say "before measuring: CPUs ${busy} % busy over 2 s$([ "$busy" -lt 10 ] || echo ' -- other work is running; the figures will be skewed')"

# --- runs ----------------------------------------------------------------------------------------
out="$data/out"
mkdir -p "$out"
rows="$data/runs.tsv"
: >"$rows"

# run_one TOOL SIZE REP: time one whole process; append "tool size rep seconds kb status" to $rows.
run_one() {
    local tool="$1" n="$2" rep="$3" d t log res status
    d="$(city_dir "$n")"
    res="$out/$tool-$n.json"
    t="$out/$tool-$n-$rep.time"
    log="$out/$tool-$n-$rep.log"
    rm -f "$res"
    if [ "$tool" = peer ]; then
        set +e
        /usr/bin/time -f "%e %M %U %S" -o "$t" "$py" "$here/peer_coverage.py" "$d" --radius "$radius" \
            --method "$peer_method" --out "$res" 2>"$log"
        status=$?
        set -e
    else
        set +e
        /usr/bin/time -f "%e %M %U %S" -o "$t" "$civic" coverage --districts "$d/districts.geojson" \
            --entities "$d/entities.geojson" --population "$d/population.geojson" \
            --radius "$radius" --format json -o "$res" 2>"$log"
        status=$?
        set -e
    fi
    # GNU time writes "Command exited with non-zero status N" before the figures on failure.
    read -r secs kb usr sys < <(tail -n 1 "$t")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$rep" "$secs" "$kb" "$status" >>"$rows"
    say "  $tool  $n entities  run $rep: ${secs} s wall ($(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') s CPU), $((kb / 1024)) MB peak$([ "$status" = 0 ] || echo ", FAILED (exit $status, see ${log#"$repo/"})")"
    return "$status"
}

declare -A compared
for n in "${size_list[@]}"; do
    say "$n entities: peer ($peer_method)${civic:+ and civic}, $repeat run(s) each"
    civic_ok=1
    civic_failed=0
    [ -n "$civic" ] || civic_ok=0
    for ((r = 1; r <= repeat; r++)); do
        if ((r % 2 == 1)); then order="peer civic"; else order="civic peer"; fi
        for tool in $order; do
            if [ "$tool" = civic ]; then
                [ "$civic_ok" = 1 ] || continue
                run_one civic "$n" "$r" || { civic_ok=0; civic_failed=1; tail -n 5 "$out/civic-$n-$r.log" | sed 's/^/run.sh:     /' >&2; }
            else
                run_one peer "$n" "$r" || { say "the peer failed: see $out/peer-$n-$r.log"; exit 1; }
            fi
        done
    done
    if [ "$civic_ok" = 1 ]; then
        if "$py" "$here/compare.py" "$out/peer-$n.json" "$out/civic-$n.json" | tee "$out/compare-$n.txt" >&2; then
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
machine="$(machine_line)"
"$py" - "$rows" "$verdicts" "$machine" "$peer_method" "$repeat" "$load" <<'PY' | tee "$data/results.md"
import statistics, sys
rows_path, verdicts, machine, method, repeat, load = sys.argv[1:]
verdict = dict(v.split("=", 1) for v in verdicts.split(";") if v)
runs = {}
for line in open(rows_path):
    tool, n, rep, secs, kb, status = line.rstrip("\n").split("\t")
    if status == "0":
        runs.setdefault((tool, int(n)), []).append((float(secs), int(kb)))
print(f"\nMachine: {machine}; before: {load}; peer method: {method}; "
      f"median of {repeat} run(s), peak RSS = the largest of the runs.\n")
print("| entities | peer median s | civic median s | ratio civic/peer | peer peak MB | civic peak MB | memory ratio | same answer |")
print("|---:|---:|---:|---:|---:|---:|---:|:---:|")
for n in sorted({n for (_, n) in runs} | {int(k) for k in verdict}):
    p, c = runs.get(("peer", n)), runs.get(("civic", n))
    pm = statistics.median(s for s, _ in p) if p else None
    cm = statistics.median(s for s, _ in c) if c else None
    pk = max(k for _, k in p) / 1024 if p else None
    ck = max(k for _, k in c) / 1024 if c else None
    f = lambda v, d=2: "-" if v is None else f"{v:.{d}f}"
    ratio = cm / pm if pm and cm is not None else None
    mratio = ck / pk if pk and ck is not None else None
    print(f"| {n:,} | {f(pm)} | {f(cm)} | {f(ratio, 3)} | {f(pk, 0)} | {f(ck, 0)} | {f(mratio, 2)} | {verdict.get(str(n), '-')} |")
PY
status=0
for n in "${size_list[@]}"; do
    case "${compared[$n]}" in DIFFERENT|"civic failed") status=1 ;; esac
done
exit "$status"
