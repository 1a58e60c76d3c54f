#!/usr/bin/env bash
# busy.sh - check on the bench corpus while every CPU is busy with other
# work: whether the second thread (src/core/cpus.h) costs anything when
# there is no idle CPU for it. `make bench` must have generated the corpus.
#
# SPIN processes (default: one per CPU) spin in sessions of their own, as
# other jobs on a shared machine would (each session its own scheduling
# group); then ROUNDS rounds (default 11) run, in turn (each round starting
# with the next one, so that none always runs first):
#   default   check as users run it (a second thread only if a CPU is idle)
#   one       MIGRALINT_THREADS=1
#   two       MIGRALINT_THREADS=2 (the worker forced on)
# and the medians (min-max) are printed with default/one and two/one.
#
#   bench/busy.sh [ROUNDS [SPIN]]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/build/bench/alone/migrations" 2>/dev/null || {
    echo "busy.sh: run make bench first (build/bench/alone/migrations)" >&2
    exit 1
}
ml=$root/build/migralint
rounds=${1:-11}
spin=${2:-$(nproc)}

pids=()
stop() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true; }
trap stop EXIT
for ((k = 0; k < spin; k++)); do
    setsid sh -c 'while :; do :; done' &
    pids+=($!)
done
sleep 1

declare -A ms
err=$(mktemp)
run() { # label env...
    local label=$1 s e
    shift
    s=$(date +%s%N)
    env "$@" "$ml" check --format gcc migrations >/dev/null 2>"$err" || true
    e=$(date +%s%N)
    ms[$label]+=" $(((e - s) / 1000000))"
}
# What the default runs chose (MIGRALINT_DEBUG_CPUS: one line per choice).
second=0 single=0
one_round() { # k: which runs first (the order turns, round by round)
    local k
    for k in 0 1 2; do
        case $(((k + $1) % 3)) in
        0)
            run default MIGRALINT_DEBUG_CPUS=1
            second=$((second + $(grep -c 'a second thread' "$err" || true)))
            single=$((single + $(grep -c ': one thread' "$err" || true)))
            ;;
        1) run one MIGRALINT_THREADS=1 ;;
        2) run two MIGRALINT_THREADS=2 ;;
        esac
    done
}
for ((r = 0; r < rounds; r++)); do one_round "$r"; done
rm -f "$err"
stop
pids=()

med() { tr ' ' '\n' <<<"${ms[$1]}" | sed '/^$/d' | sort -n | awk '{a[NR] = $1} END {printf "%d", a[int((NR + 1) / 2)]}'; }
spread() { tr ' ' '\n' <<<"${ms[$1]}" | sed '/^$/d' | sort -n | awk '{a[NR] = $1} END {printf "%d-%d", a[1], a[NR]}'; }
echo "busy: $spin spinning processes, $rounds rounds, check of the bench corpus (ms)"
for l in default one two; do
    printf '%-8s median %5s  (%s)\n' "$l" "$(med $l)" "$(spread $l)"
done
echo "default's choices: $single times one thread, $second times a second thread"
awk -v d="$(med default)" -v o="$(med one)" -v t="$(med two)" \
    'BEGIN { printf "default / one: %.2fx   two / one: %.2fx\n", d / o, t / o }'
