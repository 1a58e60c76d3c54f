#!/usr/bin/env bash
# run.sh - times migralint against two references on the same generated
# migrations, in one run (`make bench` builds build/migralint first):
#
#   bare parse  bench/bare_parse.c: pg_query_parse on every .up.sql file,
#               nothing else: the floor any libpg_query-based linter stands on
#               (bare_all: the same on up and down files; bare_tree: those
#               files parsed as check parses them, for reading only)
#   migralint   build/migralint check --format gcc on the whole folder
#   squawk      squawk-cli from the npm registry on every .up.sql file
#
# RUNS rounds (default 5); each round runs every command once, in turn, so
# all tools see the same machine load; each row quotes min/median/max and
# the ratios and the targets (issue 21) use the medians of this run, never
# figures written down by hand. A scaling row times check on 1,000, 3,000
# and 10,000 migrations; one large file shows memory against its size.
# Peak RSS comes from /usr/bin/time when it is installed (Debian: time).
#
#   bench/run.sh            BENCH_N=3000 migrations, BENCH_RUNS=5,
#                           BENCH_SCALE="1000 3000 10000"
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

N=${BENCH_N:-3000}
RUNS=${BENCH_RUNS:-5}
SCALE=${BENCH_SCALE:-1000 3000 10000}
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

# corpus DIR N: bench/gen.sh's N migrations in DIR, regenerated only when
# N or gen.sh changed.
corpus() {
    local dir=$1 n=$2 k
    k="$n $(sha256sum bench/gen.sh | cut -d' ' -f1)"
    if ! [ -f "$dir/.key" ] || [ "$(cat "$dir/.key")" != "$k" ]; then
        say "generating $n migrations in $dir"
        rm -rf "$dir"
        bash bench/gen.sh "$dir" "$n"
        echo "$k" >"$dir/.key"
    fi
}
mig=$B/migrations
corpus "$mig" "$N"
for n in $SCALE; do
    [ "$n" = "$N" ] || corpus "$B/scale$n" "$n"
done
# One large file: every up step of the corpus, in order, in one migration
# (memory while linting one file, against its size).
large=$B/large/000001_large.sql
if ! [ -f "$large" ] || [ "$mig/.key" -nt "$large" ]; then
    mkdir -p "$B/large"
    cat "$mig"/*.up.sql >"$large"
fi
large_bytes=$(wc -c <"$large")
# ...and a one-statement file: what any check holds whatever the input
# (rule tables, libraries), subtracted from the large file's peak.
tiny=$B/tiny/000001_tiny.sql
mkdir -p "$B/tiny"
[ -f "$tiny" ] || printf 'SELECT 1;\n' >"$tiny"

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
# job NAME NOTE CMD...: a command every round runs once, from $B, its output
# in $B/NAME.out (and .err). Rounds alternate the jobs so a busy machine
# slows all of them alike instead of whichever ran during the burst.
jobs=() job_note=() job_cmd=() job_cwd=()
job() {
    local name=$1 note=$2
    shift 2
    jobs+=("$name")
    job_note+=("$note")
    job_cmd+=("$(printf '%q ' "$@")")
    job_cwd+=("${alone_in:-.}")
    alone_in=
}

# alone CORPUS: the next job runs from a folder of its own that holds only
# CORPUS (a link to it), as a repository holding that one migrations folder
# would. check looks for ORM schemas around the folders it lints (drift
# discovery walks the working directory), so run from $B every job's walk
# also listed every other corpus beside it (26,000 files): a fixed cost
# that weighed on the small corpora and flattered the scaling row.
alone() {
    mkdir -p "$B/alone/$1"
    ln -sfn "../../$1" "$B/alone/$1/$1"
    alone_in=alone/$1
}

declare -A ms_of rss_of rc_of
# run_job I: runs job I once, appends its wall time (ms) to ms_of[NAME] and
# keeps the largest peak RSS (kB).
run_job() {
    local i=$1 name=${jobs[$1]} t0 t1 rc r
    t0=$(date +%s%N)
    if [ "$have_time" -eq 1 ]; then
        (cd "$B/${job_cwd[$i]}" && eval "/usr/bin/time -f %M -o $root/$B/$name.rss ${job_cmd[$i]}" >"$root/$B/$name.out" 2>"$root/$B/$name.err") && rc=0 || rc=$?
    else
        (cd "$B/${job_cwd[$i]}" && eval "${job_cmd[$i]}" >"$root/$B/$name.out" 2>"$root/$B/$name.err") && rc=0 || rc=$?
    fi
    t1=$(date +%s%N)
    ms_of[$name]="${ms_of[$name]:-} $(((t1 - t0) / 1000000))"
    rc_of[$name]=$rc
    if [ "$have_time" -eq 1 ]; then
        r=$(tail -1 "$B/$name.rss")
        if [[ $r =~ ^[0-9]+$ ]] && [ "$r" -gt "${rss_of[$name]:-0}" ]; then rss_of[$name]=$r; fi
    fi
}

# stat_of NAME min|median|max: seconds, from the rounds' times.
stat_of() {
    [ -n "${ms_of[$1]:-}" ] || return 0
    printf '%s\n' ${ms_of[$1]} | sort -n | awk -v w="$2" '{ v[NR] = $1 }
        END { x = w == "min" ? v[1] : w == "max" ? v[NR] : (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)
              printf "%.3f", x / 1000 }'
}

job bare "pg_query_parse of every up file" "$root/$B/bare_parse" "${ups[@]}"
# The same bare parse over every file migralint reads (up and down), so the
# check's overhead can be read against parsing the same input.
alls=("$B"/migrations/*.sql)
alls=("${alls[@]#"$B"/}")
job bare_all "the same over up and down files: what check parses" "$root/$B/bare_parse" "${alls[@]}"
# How check itself parses those files (raw parse + the tree's nodes, no JSON
# text): the part of check that is parsing, shown for reading, no target.
job bare_tree "pg_query_parse_tree over up and down files: check's own parse" "$root/$B/bare_parse" --tree "${alls[@]}"

grepo=$root/$B/gitrepo cache=$root/$B/cache
if [ -n "$migralint" ]; then
    # What every run pays before any work: exec, dynamic linking, exit.
    job floor "process start and exit: the floor of any run" "$migralint" --version
    alone migrations
    job check "up+down files" "$migralint" check --format gcc migrations
    # One thread, as check runs when no CPU is idle (src/core/cpus.h): the
    # parse-ahead worker and the second reader stay off.
    alone migrations
    job one "MIGRALINT_THREADS=1: one thread" env MIGRALINT_THREADS=1 "$migralint" check --format gcc migrations
    # Parse and replay the up steps into the catalog, no rules.
    alone migrations
    job schema "up files parsed and replayed, no rules" "$migralint" schema migrations
    # The pre-commit case: --staged in a generated repository with N
    # migrations over 5,000 commits and one new migration staged
    # (bench/git_repo.sh, built with git fast-import). Warm: the replay
    # cache (in a folder of the bench's own) filled by the cold run below.
    gkey="$N $(sha256sum bench/git_repo.sh | cut -d' ' -f1)"
    if ! [ -f "$B/gitrepo.key" ] || [ "$(cat "$B/gitrepo.key")" != "$gkey" ]; then
        say "generating a git repository: $N migrations, 5000 commits"
        bash bench/git_repo.sh "$grepo" "$N" 5000
        echo "$gkey" >"$B/gitrepo.key"
    fi
    job staged "1 staged migration of $((N + 1)), 5000 commits, cache filled" \
        env XDG_CACHE_HOME="$cache" "$migralint" --repo "$grepo" --staged --format gcc
    job staged_nc "every earlier migration parsed and replayed" \
        "$migralint" --repo "$grepo" --staged --format gcc --no-cache
    # drift: a Drizzle schema of 300 tables against the migrations that build it.
    dkey="$(sha256sum bench/gen_drift.sh | cut -d' ' -f1)"
    if ! [ -f "$B/drift.key" ] || [ "$(cat "$B/drift.key")" != "$dkey" ]; then
        say "generating a Drizzle project with 300 tables"
        bash bench/gen_drift.sh "$B/drift" 300
        echo "$dkey" >"$B/drift.key"
    fi
    job drift "300 tables, 0 findings expected" "$migralint" --repo "$root/$B/drift" drift --format gcc
    alone large
    job large "one file of $((large_bytes / 1024)) KiB: every up step in one migration" \
        "$migralint" check --format gcc "${large#"$B"/}"
    alone tiny
    job tiny "one statement: the memory any check holds" "$migralint" check --format gcc "${tiny#"$B"/}"
    for n in $SCALE; do
        [ "$n" = "$N" ] && continue
        alone "scale$n"
        job "scale$n" "$n migrations, up+down" "$migralint" check --format gcc "scale$n"
    done
fi
if [ -n "$squawk" ]; then
    # squawk exits non-zero when it has findings: that is not a failure here.
    job squawk "squawk $SQUAWK_VERSION, native binary, up files" "$squawk" --reporter gcc "${ups[@]}"
fi

if [ -n "$migralint" ]; then
    rm -rf "$cache"
    say "--staged cold (fills the replay cache)"
    (cd "$B" && env XDG_CACHE_HOME="$cache" "$migralint" --repo "$grepo" --staged --format gcc >staged_cold.out 2>&1) || true
fi
say "timing: $RUNS rounds, each job once per round, in turn: ${#ups[@]} .up.sql files ($((bytes / 1024)) KiB), $nall files in all"
for ((round = 1; round <= RUNS; round++)); do
    for i in "${!jobs[@]}"; do run_job "$i"; done
done

# A migralint job exiting 2 or more failed: its times mean nothing.
for name in check one schema staged staged_nc drift large tiny; do
    if [ -n "${rc_of[$name]:-}" ] && [ "${rc_of[$name]}" -ge 2 ]; then
        say "migralint $name failed (exit ${rc_of[$name]}):"
        head -5 "$B/$name.err" >&2
        ms_of[$name]=
    fi
done
if [ -n "${rc_of[squawk]:-}" ] && [ ! -s "$B/squawk.out" ] && [ "${rc_of[squawk]}" -ne 0 ]; then
    say "squawk failed (exit ${rc_of[squawk]}):"
    head -5 "$B/squawk.err" >&2
    ms_of[squawk]=
fi
[ "${rc_of[bare]:-1}" -eq 0 ] || { cat "$B/bare.err" >&2; say "bare_parse failed"; exit 1; }

# --------------------------------------------------------------- table
ratio() { # a b
    if [ -z "$1" ] || [ -z "$2" ]; then echo "-"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else printf "%.2fx", a / b }'
}
bare_s=$(stat_of bare median)
bare_all_s=$(stat_of bare_all median)
squawk_s=$(stat_of squawk median)
echo
printf '%-28s %21s %9s %9s %9s  %s\n' "job (seconds)" "min / median / max" "vs bare" "vs squawk" "peak RSS" notes
for i in "${!jobs[@]}"; do
    name=${jobs[$i]}
    med=$(stat_of "$name" median)
    spread=-
    [ -n "$med" ] && spread="$(stat_of "$name" min) / $med / $(stat_of "$name" max)"
    rss=-
    [ -n "${rss_of[$name]:-}" ] && rss="$((rss_of[$name] / 1024)) MiB"
    note=${job_note[$i]}
    case $name in
    bare | bare_all | bare_tree) note="$note; $(tail -1 "$B/$name.err" | sed 's/^bare_parse: //')" ;;
    check | one | schema | staged | staged_nc | large | scale*) note="exit ${rc_of[$name]:-?}, $(grep -cE ':[0-9]+:[0-9]+: (error|warning|note):' "$B/$name.out" || true) findings; $note" ;;
    squawk) note="exit ${rc_of[$name]:-?}, $(grep -cE ':[0-9]+:[0-9]+: (warning|error)' "$B/squawk.out" || true) findings; $note" ;;
    esac
    printf '%-28s %21s %9s %9s %9s  %s\n' "$name" "$spread" "$(ratio "$med" "$bare_s")" "$(ratio "$med" "$squawk_s")" "$rss" "$note"
done
[ "$have_time" -eq 1 ] || echo "(peak RSS needs /usr/bin/time: apt-get install time)"

# Scaling: check's median time per migration at each size, as measured
# and net of the process floor (the floor job: starting and ending a run
# through this harness, the same at every size). What grows with the
# migrations is the net figure; the gross one also spreads the floor over
# them, which weighs more the faster the per-migration work gets.
echo
floor_med=$(stat_of floor median)
printf '%-12s %10s %16s %22s\n' migrations "median s" "ms / migration" "net of floor, ms / mig."
per_min= per_max= gross_min= gross_max=
for n in $SCALE; do
    name=scale$n
    [ "$n" = "$N" ] && name=check
    med=$(stat_of "$name" median)
    [ -n "$med" ] || continue
    gross=$(awk -v s="$med" -v n="$n" 'BEGIN { printf "%.4f", s * 1000 / n }')
    per=$(awk -v s="$med" -v f="${floor_med:-0}" -v n="$n" 'BEGIN { printf "%.4f", (s - f) * 1000 / n }')
    printf '%-12s %10s %16s %22s\n' "$n" "$med" "$gross" "$per"
    per_min=$(awk -v a="$per" -v b="${per_min:-$per}" 'BEGIN { print (a < b ? a : b) }')
    per_max=$(awk -v a="$per" -v b="${per_max:-$per}" 'BEGIN { print (a > b ? a : b) }')
    gross_min=$(awk -v a="$gross" -v b="${gross_min:-$gross}" 'BEGIN { print (a < b ? a : b) }')
    gross_max=$(awk -v a="$gross" -v b="${gross_max:-$gross}" 'BEGIN { print (a > b ? a : b) }')
done

# ------------------------------------------------------------- targets
# Issue 21's targets, from the medians above. "The same files" for the bare
# parse means every file check reads: up and down steps.
target() { # name measured limit unit [below]
    local verdict
    verdict=$(awk -v v="$2" -v l="$3" -v strict="${5:-}" 'BEGIN { if (v == "") print "not measured"; else if (strict ? v + 0 < l + 0 : v + 0 <= l + 0) print "met"; else print "not met" }')
    printf '%-46s %10s %8s  %s\n' "$1" "${2:--}$4" "$3$4" "$verdict"
}
ratio_of() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
check_s=$(stat_of check median)
floor_rss=${rss_of[tiny]:-}
large_ratio=
if [ -n "${rss_of[large]:-}" ] && [ -n "$floor_rss" ] && [ -n "$(stat_of large median)" ]; then
    large_ratio=$(awk -v r="${rss_of[large]}" -v f="$floor_rss" -v b="$large_bytes" 'BEGIN { printf "%.1f", (r - f) * 1024 / b }')
fi
echo
printf '%-46s %10s %8s  %s\n' target measured limit verdict
target "check / bare parse of the same files" "$(ratio_of "$check_s" "$bare_all_s")" 2.00 x
target "check / squawk" "$(ratio_of "$check_s" "$squawk_s")" 0.33 x
target "--staged warm, seconds" "$(stat_of staged median)" 0.050 s
target "peak RSS of check, MiB" "$([ -n "${rss_of[check]:-}" ] && echo $((rss_of[check] / 1024)))" 100 "" below
target "one large file: RSS above tiny's / its size" "$large_ratio" 10 x
target "ms per migration net of floor, largest / smallest" "$([ -n "$per_min" ] && ratio_of "$per_max" "$per_min")" 1.20 x
tree_s=$(stat_of bare_tree median)
[ -z "$tree_s" ] || [ -z "$check_s" ] ||
    echo "(for reading, no target: check is $(ratio "$check_s" "$tree_s") the parse it does itself, bare_tree)"
# What a third of squawk leaves: squawk parses the up files with its own
# parser; check parses up and down files with PostgreSQL's. The parse alone,
# before any replay or rule, is this share of squawk's time.
[ -z "$tree_s" ] || [ -z "$squawk_s" ] ||
    echo "(for reading, no target: the bare parse of the files check reads is $(ratio_of "$tree_s" "$squawk_s")x squawk as check parses them, bare_tree; $(ratio_of "$bare_all_s" "$squawk_s")x through libpg_query's JSON, bare_all)"
one_s=$(stat_of one median)
[ -z "$one_s" ] || [ -z "$squawk_s" ] ||
    echo "(for reading, no target: check on one thread, as when no CPU is idle, is $(ratio_of "$one_s" "$bare_all_s")x the bare parse and $(ratio_of "$one_s" "$squawk_s")x squawk; bench/busy.sh times check with every CPU busy)"
[ -z "$gross_min" ] ||
    echo "(for reading, no target: ms per migration as measured, floor included, largest / smallest: $(ratio_of "$gross_max" "$gross_min")x)"
floor_s=$(stat_of floor median)
[ -z "$floor_s" ] || echo "(every run pays the process floor above: ${floor_s} s on this machine)"
bash bench/editor.sh "$N" # the editor row (issue 20): language server edits, see bench/editor.sh
