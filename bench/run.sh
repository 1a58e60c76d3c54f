#!/usr/bin/env bash
# run.sh - times migralint against two references on the same generated
# migrations, in one run (`make bench` builds build/migralint first):
#
#   bare parse  bench/bare_parse.c: pg_query_parse on every .up.sql file,
#               nothing else: the floor any libpg_query-based linter stands on
#   migralint   build/migralint check --format gcc on the whole folder
#   squawk      squawk-cli from the npm registry on every .up.sql file
#
# Each is run RUNS times (default 3) and the best wall-clock time is kept;
# the ratios are computed from these timings, never written down by hand.
# Peak RSS comes from /usr/bin/time when it is installed (Debian: time).
#
#   bench/run.sh            BENCH_N=3000 migrations, BENCH_RUNS=3
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

N=${BENCH_N:-3000}
RUNS=${BENCH_RUNS:-3}
SQUAWK_VERSION=2.66.0
B=build/bench
mkdir -p "$B"

say() { printf 'bench: %s\n' "$*"; }

# ------------------------------------------------------------- prepare
# Against the same libpg_query.a as migralint (setup.sh built it).
PGQ=build/deps/lib/libpg_query.a
if ! [ -x "$B/bare_parse" ] || [ bench/bare_parse.c -nt "$B/bare_parse" ] || [ "$PGQ" -nt "$B/bare_parse" ]; then
    say "building $B/bare_parse"
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -Ibuild/deps/include bench/bare_parse.c "$PGQ" -pthread \
        -o "$B/bare_parse"
fi

mig=$B/migrations
key="$N $(sha256sum bench/gen.sh | cut -d' ' -f1)"
if ! [ -f "$mig/.key" ] || [ "$(cat "$mig/.key")" != "$key" ]; then
    say "generating $N migrations in $mig"
    rm -rf "$mig"
    bash bench/gen.sh "$mig" "$N"
    echo "$key" >"$mig/.key"
fi

mapfile -t ups < <(cd "$B" && find migrations -name '*.up.sql' | LC_ALL=C sort)
nall=$(find "$mig" -name '*.sql' | wc -l)
bytes=$(cat "$mig"/*.up.sql | wc -c)

squawk=
if ! [ -x "$B/node_modules/.bin/squawk" ] ||
    [ "$(node -p "require('./$B/node_modules/squawk-cli/package.json').version" 2>/dev/null)" != "$SQUAWK_VERSION" ]; then
    say "installing squawk-cli@$SQUAWK_VERSION from npm"
    npm install --prefix "$B" --no-audit --no-fund --loglevel=error "squawk-cli@$SQUAWK_VERSION" >"$B/npm.log" 2>&1 ||
        { say "npm install squawk-cli@$SQUAWK_VERSION failed (see $B/npm.log): no squawk column"; }
fi
if [ -x "$B/node_modules/.bin/squawk" ]; then
    # Prefer the native binary the platform package ships over the node
    # wrapper script, so node's start-up is not counted against squawk.
    native=$(find "$B/node_modules/@squawk-cli" -maxdepth 2 -type f -name squawk -perm -u+x 2>/dev/null | head -1)
    if [ -n "$native" ] && "$native" --version >/dev/null 2>&1; then
        squawk=$(cd "$(dirname "$native")" && pwd)/squawk
    elif "$B/node_modules/.bin/squawk" --version >/dev/null 2>&1; then
        squawk=$root/$B/node_modules/.bin/squawk
    else
        say "squawk is installed but does not run: no squawk column"
    fi
fi

migralint=
if [ -x build/migralint ]; then
    migralint=$root/build/migralint
else
    say "build/migralint is missing (run make bench, which builds it): no migralint column"
fi

have_time=0
[ -x /usr/bin/time ] && have_time=1

# ---------------------------------------------------------------- time
# measure NAME CMD...: runs CMD RUNS times in $B, output to $B/NAME.out;
# sets BEST (seconds), RSS (kB, or empty) and RC (last exit code).
measure() {
    local name=$1
    shift
    local i t0 t1 ms best_ms='' rss_max=''
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        if [ "$have_time" -eq 1 ]; then
            (cd "$B" && /usr/bin/time -f %M -o "$name.rss" "$@" >"$name.out" 2>"$name.err") && RC=0 || RC=$?
        else
            (cd "$B" && "$@" >"$name.out" 2>"$name.err") && RC=0 || RC=$?
        fi
        t1=$(date +%s%N)
        ms=$(((t1 - t0) / 1000000))
        if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
        if [ "$have_time" -eq 1 ]; then
            local r
            r=$(tail -1 "$B/$name.rss")
            if [[ $r =~ ^[0-9]+$ ]] && { [ -z "$rss_max" ] || [ "$r" -gt "$rss_max" ]; }; then rss_max=$r; fi
        fi
    done
    BEST=$(awk -v ms="$best_ms" 'BEGIN { printf "%.3f", ms / 1000 }')
    RSS=$rss_max
}

names=() secs=() rsss=() notes=()
record() { names+=("$1"); secs+=("$BEST"); rsss+=("$RSS"); notes+=("$2"); }

say "timing, best of $RUNS: ${#ups[@]} .up.sql files ($((bytes / 1024)) KiB), $nall files in all"

measure bare "$root/$B/bare_parse" "${ups[@]}"
[ "$RC" -eq 0 ] || { cat "$B/bare.err" >&2; say "bare_parse failed (exit $RC)"; exit 1; }
record "bare libpg_query parse" "$(tail -1 "$B/bare.err" | sed 's/^bare_parse: //')"
bare_s=$BEST

# The same bare parse over every file migralint reads (up and down), so the
# check's overhead can be read against parsing the same input.
alls=("$B"/migrations/*.sql)
alls=("${alls[@]#"$B"/}")
measure bare_all "$root/$B/bare_parse" "${alls[@]}"
record "bare parse, up+down files" "$(tail -1 "$B/bare_all.err" | sed 's/^bare_parse: //')"

check_s= threads_s= warm_s= check_rss=
if [ -n "$migralint" ]; then
    # What every run pays before any work: exec, dynamic linking, exit.
    measure floor "$migralint" --version
    record "migralint --version" "process start and exit: the floor of any run"
    floor_s=$BEST
    measure migralint "$migralint" check --format gcc migrations
    if [ "$RC" -ge 2 ]; then
        say "migralint failed (exit $RC):"
        head -5 "$B/migralint.err" >&2
        record "migralint (failed, exit $RC)" ""
    else
        check_s=$BEST check_rss=$RSS
        record "migralint check" "exit $RC, $(grep -cE ':[0-9]+:[0-9]+: (error|warning|note):' "$B/migralint.out" || true) findings, up+down files"
    fi
    # The same with the parse-ahead thread (src/cli/prefetch.c), which is off
    # by default because it only pays when the second CPU is idle.
    measure threads env MIGRALINT_THREADS=2 "$migralint" check --format gcc migrations
    threads_s=$BEST
    record "migralint check, 2 threads" "exit $RC, MIGRALINT_THREADS=2"
    # Parse and replay the up steps into the catalog, no rules: the replay's cost.
    measure schema "$migralint" schema migrations
    record "migralint schema (replay)" "exit $RC, up files parsed and replayed, no rules"
    # The pre-commit case: --staged in a generated repository with N
    # migrations over 5,000 commits and one new migration staged
    # (bench/git_repo.sh, built with git fast-import).
    grepo=$root/$B/gitrepo
    gkey="$N $(sha256sum bench/git_repo.sh | cut -d' ' -f1)"
    if ! [ -f "$B/gitrepo.key" ] || [ "$(cat "$B/gitrepo.key")" != "$gkey" ]; then
        say "generating a git repository: $N migrations, 5000 commits"
        bash bench/git_repo.sh "$grepo" "$N" 5000
        echo "$gkey" >"$B/gitrepo.key"
    fi
    # The replay cache lives in a folder of the bench's own. Cold: the cache
    # is empty (the run fills it); warm: best of RUNS with it filled.
    cache=$root/$B/cache
    rm -rf "$cache"
    saved_runs=$RUNS RUNS=1
    measure staged_cold env XDG_CACHE_HOME="$cache" "$migralint" --repo "$grepo" --staged --format gcc
    RUNS=$saved_runs
    record "migralint --staged, cold" "exit $RC, 1 staged migration of $((N + 1)), 5000 commits, empty cache"
    measure staged env XDG_CACHE_HOME="$cache" "$migralint" --repo "$grepo" --staged --format gcc
    warm_s=$BEST
    record "migralint --staged, warm" "exit $RC, the replay cache filled by the cold run"
    measure staged_nc "$migralint" --repo "$grepo" --staged --format gcc --no-cache
    record "migralint --staged --no-cache" "exit $RC, every earlier migration parsed and replayed"
    # drift: a Drizzle schema of 300 tables against the migrations that build it.
    dkey="$(sha256sum bench/gen_drift.sh | cut -d' ' -f1)"
    if ! [ -f "$B/drift.key" ] || [ "$(cat "$B/drift.key")" != "$dkey" ]; then
        say "generating a Drizzle project with 300 tables"
        bash bench/gen_drift.sh "$B/drift" 300
        echo "$dkey" >"$B/drift.key"
    fi
    measure drift "$migralint" --repo "$root/$B/drift" drift --format gcc
    record "migralint drift, 300 tables" "exit $RC, $(grep -c ': error: ' "$B/drift.out" || true) findings (0 expected)"
fi

squawk_s=
if [ -n "$squawk" ]; then
    # squawk exits non-zero when it has findings: that is not a failure here.
    measure squawk "$squawk" --reporter gcc "${ups[@]}"
    if [ ! -s "$B/squawk.out" ] && [ "$RC" -ne 0 ]; then
        say "squawk failed (exit $RC):"
        head -5 "$B/squawk.err" >&2
        record "squawk $SQUAWK_VERSION (failed, exit $RC)" ""
    else
        squawk_s=$BEST
        record "squawk $SQUAWK_VERSION" "exit $RC, $(grep -cE ':[0-9]+:[0-9]+: (warning|error)' "$B/squawk.out" || true) findings"
    fi
fi

# --------------------------------------------------------------- table
ratio() { # a b
    if [ -z "$1" ] || [ -z "$2" ]; then echo "-"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else printf "%.2fx", a / b }'
}

echo
printf '%-30s %9s %14s %11s %10s  %s\n' tool seconds "vs bare parse" "vs squawk" "peak RSS" notes
for i in "${!names[@]}"; do
    s=${secs[$i]}
    case ${names[$i]} in *failed*) s= ;; esac
    rss=-
    [ -n "${rsss[$i]}" ] && rss="$((rsss[i] / 1024)) MiB"
    printf '%-30s %9s %14s %11s %10s  %s\n' "${names[$i]}" "${s:--}" "$(ratio "$s" "$bare_s")" \
        "$(ratio "$s" "$squawk_s")" "$rss" "${notes[$i]}"
done
[ "$have_time" -eq 1 ] || echo "(peak RSS needs /usr/bin/time: apt-get install time)"

# ------------------------------------------------------------- targets
# Issue 9's targets, checked against the figures above. "The same files"
# for the bare parse means every file check reads: up and down steps.
target() { # name measured-ratio-or-value limit unit
    local verdict
    verdict=$(awk -v v="$2" -v l="$3" 'BEGIN { if (v == "") print "not measured"; else if (v + 0 <= l + 0) print "met"; else print "not met" }')
    printf '%-44s %10s %8s  %s\n' "$1" "${2:--}$4" "$3$4" "$verdict"
}
ratio_of() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
printf '%-44s %10s %8s  %s\n' target measured limit verdict
bare_all_s=${secs[1]}
target "check / bare parse of the same files" "$(ratio_of "$check_s" "$bare_all_s")" 2.00 x
target "check, 2 threads / bare parse, same files" "$(ratio_of "$threads_s" "$bare_all_s")" 2.00 x
target "check / squawk" "$(ratio_of "$check_s" "$squawk_s")" 0.33 x
target "--staged warm, seconds" "$warm_s" 0.050 s
target "peak RSS of check, MiB" "$([ -n "$check_rss" ] && echo $((check_rss / 1024)))" 100 ""
[ -z "${floor_s:-}" ] || echo "(every run pays the process floor above: ${floor_s} s on this machine)"
bash bench/editor.sh "$N" # the editor row (issue 20): language server edits, see bench/editor.sh
