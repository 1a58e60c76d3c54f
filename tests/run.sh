#!/usr/bin/env bash
# run.sh - the test runner behind `make test`.
#
# Runs the C unit test binary, then every tests/t_*.sh file. A t_*.sh file
# defines functions named test_*; each runs in its own subshell with a fresh
# temporary directory ($T) and fails if any expect_* helper fails or it exits
# non-zero. Prints one line per failure and closes with "N passed, N failed".
#
#   MIGRALINT=build/asan/migralint UNIT=build/asan/unit_tests tests/run.sh [FILTER]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
: "${MIGRALINT:?set MIGRALINT to the binary under test}"
MIGRALINT=$(cd "$(dirname "$MIGRALINT")" && pwd)/$(basename "$MIGRALINT")
export MIGRALINT ROOT="$root" FIXTURES="$root/fixtures"
filter=${1:-}
passed=0 failed=0
tmpbase=$(mktemp -d "${TMPDIR:-/tmp}/migralint-tests.XXXXXX")
trap 'rm -rf "$tmpbase"' EXIT
# The tests' python3 is Debian's, whose modules scripts/setup.sh installs, as
# on a user's fresh machine: a pyenv or virtualenv first on PATH would hide a
# missing python3-* package (tests/setup_guard.py checks the list).
mkdir -p "$tmpbase/bin"
ln -s /usr/bin/python3 "$tmpbase/bin/python3"
export PATH="$tmpbase/bin:$PATH"

if [ -n "${UNIT:-}" ] && [ -z "$filter" ]; then
    unit_out=$("$UNIT" 2>&1)
    unit_rc=$?
    p=$(grep -c '^PASS ' <<<"$unit_out")
    f=$(grep -c '^FAIL ' <<<"$unit_out")
    grep '^FAIL ' <<<"$unit_out"
    if [ "$unit_rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL unit tests exited $unit_rc"; echo "$unit_out" | tail -20; f=1
    fi
    passed=$((passed + p)); failed=$((failed + f))
fi

for file in "$here"/t_*.sh; do
    tests=$(bash -c "source '$here/lib.sh'; source '$file'; declare -F" | awk '{print $3}' | grep '^test_')
    for t in $tests; do
        name="$(basename "$file" .sh):$t"
        case "$name" in *"$filter"*) ;; *) continue ;; esac
        T="$tmpbase/${name//[:\/]/_}"
        mkdir -p "$T"
        log="$T.log"
        (
            export T
            # The replay cache (src/engine/cache.c) goes here, never into $HOME.
            export XDG_CACHE_HOME="$tmpbase/.cache/${name//[:\/]/_}"
            cd "$T" || exit 1
            source "$here/lib.sh"
            source "$file"
            "$t"
            exit "$__failed"
        ) >"$log" 2>&1
        if [ $? -eq 0 ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $name"
            sed 's/^/    /' "$log" | tail -40
        fi
    done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
