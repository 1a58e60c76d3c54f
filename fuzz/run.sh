#!/usr/bin/env bash
# run.sh - runs the libFuzzer targets (built by `make fuzz` into build/fuzz/),
# one at a time, each for FUZZ_SECONDS (default 600), niced.
#
#   fuzz/run.sh [NAME...]          fuzz (all targets of fuzz/targets.list by default)
#   fuzz/run.sh --replay [NAME...] run each target once over its seeds and its
#                                  regression inputs (fixtures/fuzz/NAME/), no fuzzing
#   fuzz/run.sh --short [NAME...]  `make test`'s run: FUZZ_SECONDS (default 5) each,
#                                  from the seeds only, leaving the corpus alone
#
# Each target keeps a growing corpus in build/fuzz/corpus/NAME/, seeded from
# the files targets.list names and fixtures/fuzz/NAME/. A crash stops the run
# and leaves its input in build/fuzz/crashes/NAME/; after the fix, copy it to
# fixtures/fuzz/NAME/ so tests/t_fuzz.sh replays it for good.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-600}
replay=0 short=0
if [ "${1:-}" = --replay ]; then
    replay=1
    shift
elif [ "${1:-}" = --short ]; then
    short=1
    seconds=${FUZZ_SECONDS:-5}
    shift
fi

targets=()
declare -A seeds
while read -r name args; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    targets+=("$name")
    seeds[$name]=$args
done <fuzz/targets.list
[ $# -gt 0 ] && targets=("$@")

# Seeds derived from the fixtures, written afresh so they never go stale.
gen=$root/build/fuzz/gen
python3 fuzz/seeds.py "$gen" || { echo "fuzz: fuzz/seeds.py failed" >&2; exit 2; }
if [ -x build/fuzz/fuzz_store ]; then
    rm -rf "$gen/store" && mkdir -p "$gen/store"
    MIGRALINT_STORE_SEEDS=$gen/store build/fuzz/fuzz_store >/dev/null 2>&1 ||
        { echo "fuzz: writing the store seeds failed" >&2; exit 2; }
fi

failed=0
for name in "${targets[@]}"; do
    bin=build/fuzz/fuzz_$name
    [ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz builds it)" >&2; exit 2; }
    # Absolute: the targets chdir into their scratch folder.
    seed_dir=$root/build/fuzz/seeds$([ "$short" = 1 ] && echo -short)/$name corpus=$root/build/fuzz/corpus/$name
    crashes=$root/build/fuzz/crashes/$name
    rm -rf "$seed_dir"
    mkdir -p "$seed_dir" "$corpus" "$crashes"
    # One cp for all: files of the same name from different folders are kept
    # apart by numbered backups rather than overwritten.
    { eval "find ${seeds[$name]} -type f -print0" 2>/dev/null
        [ -d "fixtures/fuzz/$name" ] && find "fixtures/fuzz/$name" -type f -print0; } |
        xargs -0 -r cp --backup=numbered -t "$seed_dir"
    common=(-close_fd_mask=3 -timeout=20 -rss_limit_mb=2048 -max_len=262144
        "-artifact_prefix=$crashes/")
    start=$(date +%s)
    if [ "$replay" = 1 ]; then
        # -runs=0 runs every input once (the corpus load) and stops.
        nice -n 19 "$bin" "${common[@]}" -runs=0 "$seed_dir" >"$crashes/replay.log" 2>&1
    elif [ "$short" = 1 ]; then
        # A scratch corpus: new inputs of a short run are not worth keeping.
        rm -rf "$corpus.short" && mkdir -p "$corpus.short"
        nice -n 19 "$bin" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 \
            "$corpus.short" "$seed_dir" >"$crashes/short.log" 2>&1
    else
        nice -n 19 "$bin" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 \
            "$corpus" "$seed_dir" >"$crashes/fuzz.log" 2>&1
    fi
    rc=$?
    log=$crashes/fuzz.log
    [ "$replay" = 1 ] && log=$crashes/replay.log
    [ "$short" = 1 ] && log=$crashes/short.log
    stats=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    printf 'fuzz: %-8s %s %4ss %s executions, %s, corpus %s files\n' "$name" \
        "$([ $rc -eq 0 ] && echo ok || echo FAILED)" "$(($(date +%s) - start))" "${stats:-?}" \
        "${cov:-cov: ?}" "$(ls "$corpus" | wc -l)"
    if [ $rc -ne 0 ]; then
        failed=1
        grep -E 'ERROR|SUMMARY|#[0-9]+ 0x|Test unit written|==[0-9]+==' "$log" | head -40 | sed 's/^/    /'
    fi
done
exit $failed
