# Shared by run.sh and run_walk.sh (sourced, not run): the tools, the venv, civic's release build
# and the machine's load, so that both benchmarks set up and measure the same way.
# Expects: $here (benchmarks/), $repo, $data, $want_civic, $me (the script's name) and say().

# GNU time for peak memory (/usr/bin/time -f "%e %M %U %S").
ensure_gnu_time() {
    if [ ! -x /usr/bin/time ]; then
        say "installing GNU time (/usr/bin/time) for peak memory"
        apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    fi
}

# benchmarks/.venv from requirements.txt, remade when the file changed; sets $py.
ensure_venv() {
    py="$here/.venv/bin/python"
    local stamp="$here/.venv/requirements.stamp"
    if [ ! -x "$py" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
        say "setting up benchmarks/.venv from requirements.txt"
        python3 -m venv "$here/.venv"
        "$here/.venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
        cp "$here/requirements.txt" "$stamp"
    fi
}

# Sets $civic: $CIVIC when given, else a release build of the package (empty, with the first errors
# shown, when it does not build or $want_civic is 0).
# SWIFT_SCRATCH=.build-x builds with --scratch-path .build-x.
ensure_civic() {
    civic=""
    [ "$want_civic" = 1 ] || return 0
    if [ -n "${CIVIC:-}" ]; then
        civic="$CIVIC"
        [ -x "$civic" ] || { say "CIVIC=$civic is not an executable: skipping civic"; civic=""; }
        return 0
    fi
    say "building civic (swift build -c release --product civic; log in benchmarks/data/build.log)"
    mkdir -p "$data"
    local scratch=()
    [ -z "${SWIFT_SCRATCH:-}" ] || scratch=(--scratch-path "$SWIFT_SCRATCH")
    if (cd "$repo" && swift build -c release "${scratch[@]}" --product civic) >"$data/build.log" 2>&1; then
        civic="$(cd "$repo" && swift build -c release "${scratch[@]}" --show-bin-path)/civic"
    else
        say "civic does not build in release today: measuring the peer alone"
        { grep -m 3 'error:' "$data/build.log" || tail -n 3 "$data/build.log"; } | sed "s/^/$me:     /" >&2
    fi
}

# How busy the CPUs are over 2 s just before measuring (the load average lags by a minute):
# other work on this 2-core machine skews every figure.
cpu_busy() {
    local a b
    read -r _ a1 a2 a3 a4 a5 a6 a7 _ </proc/stat
    sleep 2
    read -r _ b1 b2 b3 b4 b5 b6 b7 _ </proc/stat
    a=$((a1 + a2 + a3 + a4 + a5 + a6 + a7)); b=$((b1 + b2 + b3 + b4 + b5 + b6 + b7))
    echo $(( (100 * ((b - a) - (b4 + b5 - a4 - a5))) / (b - a > 0 ? b - a : 1) ))
}

# "N cores, CPU model, M GiB" for the table's heading.
machine_line() {
    echo "$(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(free -g | awk '/^Mem:/ {print $2}') GiB"
}

# Makes each synthetic city of a comma-separated list of sizes once, remaking it when its generator
# changed: make_cities SIZES STAMP WHAT GENERATOR. City N lives at $(city_dir N); STAMP is the
# generators' checksum, kept in the city's .made-by; WHAT words the message ("" or " and its streets").
# Needs $py, $seed, city_dir and say from the calling script.
make_cities() {
    local sizes="$1" stamp="$2" what="$3" generator="$4" n d
    local size_list
    IFS=',' read -r -a size_list <<<"$sizes"
    for n in "${size_list[@]}"; do
        d="$(city_dir "$n")"
        if [ ! -f "$d/.made-by" ] || [ "$(cat "$d/.made-by")" != "$stamp" ]; then
            say "making the synthetic city with $n entities$what in ${d#"$repo/"}"
            rm -rf "$d"
            "$py" "$generator" --entities "$n" --seed "$seed" --out "$d"
            echo "$stamp" >"$d/.made-by"
        fi
    done
}
