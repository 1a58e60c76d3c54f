#!/usr/bin/env bash
# editor.sh - the editor row of `make bench` (issue 20): the language server
# in a git repository of N migrations (bench/git_repo.sh), 10 edits of the
# newest migration over the LSP protocol (bench/editor.py); prints the
# median and worst time from didChange to publishDiagnostics, the first
# open (which replays everything once), and the server's peak RSS.
#
#   bench/editor.sh [N]      N defaults to BENCH_N or 3000; BENCH_RUNS runs,
#                            the run with the best median is shown
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
N=${1:-${BENCH_N:-3000}}
RUNS=${BENCH_RUNS:-3}
B=build/bench
repo=$root/$B/editor-repo
key="$N $(sha256sum bench/git_repo.sh | cut -d' ' -f1)"
mkdir -p "$B"
if ! [ -f "$B/editor-repo.key" ] || [ "$(cat "$B/editor-repo.key")" != "$key" ]; then
    echo "bench: generating the editor's git repository: $N migrations, 5000 commits"
    bash bench/git_repo.sh "$repo" "$N" 5000
    echo "$key" >"$B/editor-repo.key"
fi
newest=$(ls "$repo"/migrations/*.up.sql | LC_ALL=C sort | tail -1)
best=
for ((r = 1; r <= RUNS; r++)); do
    line=$(python3 bench/editor.py "$root/build/migralint" "$repo" "$newest" 10)
    med=$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$line")
    if [ -z "$best" ] || awk -v a="$med" -v b="$best_med" 'BEGIN { exit !(a < b) }'; then
        best=$line best_med=$med
    fi
done
get() { sed -E "s/.*$1=([0-9.]+).*/\\1/" <<<"$best"; }
echo
printf '%-44s %10s %8s  %s\n' "editor (lsp), $N migrations" "$(get median_ms) ms" "20 ms" \
    "$(awk -v v="$(get median_ms)" 'BEGIN { print (v <= 20 ? "met" : "not met") }')"
echo "  median $(get median_ms) ms, worst $(get worst_ms) ms over 10 edits (didChange to" \
    "publishDiagnostics); the server's CPU per edit $(get cpu_median_ms) ms (median); first open" \
    "$(get open_ms) ms; peak RSS $(($(get peak_rss_kib) / 1024)) MiB; best median of $RUNS runs"
