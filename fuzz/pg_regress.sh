#!/usr/bin/env bash
# pg_regress.sh - PostgreSQL's own regression-test SQL through `migralint
# check` (`make corpus`): no crash, no sanitizer report, every statement
# PostgreSQL's grammar rejects reported as a parse-error finding, and none
# it accepts.
#
# Two corpora, never committed:
#   - PostgreSQL 15's (src/test/regress/sql/), from Debian's source package
#     of the PostgreSQL the tests already use (postgresql-15), fetched at run
#     time from the Debian archive apt uses (scripts/debian-fetch.sh) and
#     checked against the pinned sha512 below;
#   - PostgreSQL 17's (test/sql/postgres_regress/, 223 files), carried by the
#     libpg_query 17 tarball setup.sh fetched and checked (deps.lock).
# The files are linted one by one with the ASan+UBSan build, each as a
# standalone migration.
#
#   MIGRALINT=build/asan/migralint fuzz/pg_regress.sh
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
MIGRALINT=${MIGRALINT:-$root/build/asan/migralint}

# Debian's postgresql-15 15.18-0+deb12u1 (bookworm); its .dsc lists the
# tarball's sha256 as 11df0df97fe3ea4ba9a791faaf39cee1d2fe571e78885b5b55d8517d27c323b4.
VERSION=15.18
POOL=pool/main/p/postgresql-15/postgresql-15_$VERSION.orig.tar.bz2
SHA512=01f6ff71dcc24d5c2240a53ac2d70c64fadf143ea46134a3c5af1c367857edca38c88b09d5903b5e679dd6139c3b21e1041e1bada0b6ba691a82ec3b854fd2d5

dir=build/corpus
tarball=$dir/postgresql-15_$VERSION.orig.tar.bz2
sqldir=$dir/pg-$VERSION-regress
mkdir -p "$dir"
if ! [ -f "$tarball" ]; then
    echo "corpus: fetching $POOL from the Debian archive"
    bash scripts/debian-fetch.sh "$POOL" "$SHA512" "$tarball" || exit 3
fi
got=$(sha512sum "$tarball" | cut -d' ' -f1)
if [ "$got" != "$SHA512" ]; then
    echo "corpus: $tarball does not match the pinned sha512; delete it to fetch it again" >&2
    exit 3
fi
if ! [ -d "$sqldir/sql" ]; then
    rm -rf "$sqldir" && mkdir -p "$sqldir"
    tar -xjf "$tarball" -C "$sqldir" --strip-components=4 --wildcards \
        "postgresql-$VERSION/src/test/regress/sql/*.sql" || exit 3
fi

# PostgreSQL 17's regression SQL, from the libpg_query tarball setup.sh
# verified against deps.lock.
pgq_version=$(awk '$1 == "debian:libpg-query" {print $2}' deps.lock)
pgq_tarball=build/deps/tarballs/libpg-query_$pgq_version.orig.tar.gz
sql17=$dir/pg17-regress
if ! [ -f "$pgq_tarball" ]; then
    echo "corpus: $pgq_tarball is missing: run scripts/setup.sh (make does)" >&2
    exit 3
fi
if ! [ -d "$sql17/sql" ] || [ "$pgq_tarball" -nt "$sql17/sql" ]; then
    rm -rf "$sql17" && mkdir -p "$sql17/sql"
    tar -xzf "$pgq_tarball" -C "$sql17/sql" --strip-components=4 --wildcards \
        '*/test/sql/postgres_regress/*.sql' || exit 3
fi

# The referee for "every unparseable statement is a finding": the bare
# parse of bench/bare_parse.c, file by file, with the same libpg_query.a.
bare=$dir/bare_parse
pgq=build/deps/lib/libpg_query.a
if ! [ -x "$bare" ] || [ bench/bare_parse.c -nt "$bare" ] || [ "$pgq" -nt "$bare" ]; then
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -Ibuild/deps/include bench/bare_parse.c "$pgq" \
        -pthread -o "$bare" || exit 3
fi

# run_corpus ID LABEL SQLDIR: lints every SQLDIR/*.sql (reports in
# build/corpus/report/ID/); prints one summary line; returns 1 on a crash or
# an unexplained outcome.
run_corpus() {
    local label=$2 sqldir=$3 out=$dir/report/$1
    rm -rf "$out" && mkdir -p "$out"
    local f name rc n bad rejected reported
    local files=0 crashes=0 findings=0 parse_errors=0 unexplained=0 start
    start=$(date +%s)
    for f in "$sqldir"/*.sql; do
        name=$(basename "$f" .sql)
        files=$((files + 1))
        # psql meta-commands (\set, \gset, ...) are not SQL: parse errors there
        # are expected; what matters is that each one is a finding.
        nice -n 19 "$MIGRALINT" check --format gcc --fail-on none "$f" >"$out/$name.out" 2>"$out/$name.err"
        rc=$?
        if [ $rc -gt 3 ] || grep -qE 'Sanitizer|runtime error|AddressSanitizer|LeakSanitizer' "$out/$name.err"; then
            crashes=$((crashes + 1))
            echo "corpus: $label: CRASH on $name.sql (exit $rc):"
            head -20 "$out/$name.err" | sed 's/^/    /'
            continue
        fi
        # Exit 3 (unreadable input: invalid UTF-8 in a few encoding tests) must
        # name the file.
        if [ $rc -eq 3 ] && ! grep -q "$name.sql" "$out/$name.err"; then
            unexplained=$((unexplained + 1))
            echo "corpus: $label: $name.sql: exit 3 without naming the file"
        fi
        findings=$((findings + $(grep -c ': \(error\|warning\|note\): ' "$out/$name.out")))
        n=$(grep -c '\[parse-error\]$' "$out/$name.out")
        parse_errors=$((parse_errors + n))
        # A file libpg_query rejects must have a parse-error finding, and one it
        # accepts must have none.
        bad=$("$bare" "$f" 2>&1 >/dev/null | grep -oE '[0-9]+ parse errors' | cut -d' ' -f1)
        rejected=$([ "${bad:-0}" -gt 0 ] && echo 1 || echo 0)
        reported=$([ "$n" -gt 0 ] && echo 1 || echo 0)
        if [ $rc -ne 3 ] && [ "$rejected" != "$reported" ]; then
            unexplained=$((unexplained + 1))
            echo "corpus: $label: $name.sql: libpg_query finds ${bad:-0} parse errors, migralint reports $n"
        fi
    done
    echo "corpus: $files files of $label's regression tests, $(($(date +%s) - start))s: $crashes crashes, $findings findings ($parse_errors parse-error), $unexplained unexplained outcomes"
    [ $crashes -eq 0 ] && [ $unexplained -eq 0 ]
}

status=0
run_corpus pg15 "PostgreSQL $VERSION" "$sqldir/sql" || status=1
run_corpus pg17 "PostgreSQL 17 (libpg_query $pgq_version)" "$sql17/sql" || status=1
exit $status
