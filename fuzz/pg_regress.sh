#!/usr/bin/env bash
# pg_regress.sh - PostgreSQL's own regression-test SQL through `migralint
# check` (`make corpus`): no crash, no sanitizer report, every statement
# PostgreSQL's grammar rejects reported as a parse-error finding.
#
# The SQL comes from Debian's source package of the PostgreSQL the tests
# already use (postgresql-15), fetched at run time from deb.debian.org and
# checked against the pinned sha512 below; it is never committed. The files
# are linted one by one with the ASan+UBSan build, each as a standalone
# migration.
#
#   MIGRALINT=build/asan/migralint fuzz/pg_regress.sh
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
MIGRALINT=${MIGRALINT:-$root/build/asan/migralint}

# Debian's postgresql-15 15.18-0+deb12u1 (bookworm); its .dsc lists the
# tarball's sha256 as 11df0df97fe3ea4ba9a791faaf39cee1d2fe571e78885b5b55d8517d27c323b4.
VERSION=15.18
URL=http://deb.debian.org/debian/pool/main/p/postgresql-15/postgresql-15_$VERSION.orig.tar.bz2
SHA512=01f6ff71dcc24d5c2240a53ac2d70c64fadf143ea46134a3c5af1c367857edca38c88b09d5903b5e679dd6139c3b21e1041e1bada0b6ba691a82ec3b854fd2d5

dir=build/corpus
tarball=$dir/postgresql-15_$VERSION.orig.tar.bz2
sqldir=$dir/pg-$VERSION-regress
mkdir -p "$dir"
if ! [ -f "$tarball" ]; then
    echo "corpus: fetching $URL"
    curl -sSf -o "$tarball.part" "$URL" || { echo "corpus: download failed: $URL" >&2; exit 3; }
    mv -f "$tarball.part" "$tarball"
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

# The referee for "every unparseable statement is a finding": the bare
# libpg_query parse of bench/bare_parse.c, file by file.
bare=$dir/bare_parse
if ! [ -x "$bare" ] || [ bench/bare_parse.c -nt "$bare" ]; then
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror bench/bare_parse.c -lpg_query -o "$bare" || exit 3
fi

out=$dir/report
rm -rf "$out" && mkdir -p "$out"
files=0 crashes=0 findings=0 parse_errors=0 unexplained=0 start=$(date +%s)
for f in "$sqldir"/sql/*.sql; do
    name=$(basename "$f" .sql)
    files=$((files + 1))
    # psql meta-commands (\set, \gset, ...) are not SQL: parse errors there
    # are expected; what matters is that each one is a finding.
    nice -n 19 "$MIGRALINT" check --format gcc --fail-on none "$f" >"$out/$name.out" 2>"$out/$name.err"
    rc=$?
    if [ $rc -gt 3 ] || grep -qE 'Sanitizer|runtime error|AddressSanitizer|LeakSanitizer' "$out/$name.err"; then
        crashes=$((crashes + 1))
        echo "corpus: CRASH on $name.sql (exit $rc):"
        head -20 "$out/$name.err" | sed 's/^/    /'
        continue
    fi
    # Exit 3 (unreadable input: invalid UTF-8 in a few encoding tests) must
    # name the file.
    if [ $rc -eq 3 ] && ! grep -q "$name.sql" "$out/$name.err"; then
        unexplained=$((unexplained + 1))
        echo "corpus: $name.sql: exit 3 without naming the file"
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
        echo "corpus: $name.sql: libpg_query finds ${bad:-0} parse errors, migralint reports $n"
    fi
done
echo "corpus: $files files of PostgreSQL $VERSION's regression tests, $(($(date +%s) - start))s: $crashes crashes, $findings findings ($parse_errors parse-error), $unexplained unexplained outcomes"
[ $crashes -eq 0 ] && [ $unexplained -eq 0 ]
