#!/usr/bin/env bash
# setup.sh - makes this machine ready to build migralint. `make`, `make test`
# and `make demo` run it first; it is idempotent and quiet when all is done.
#
#  1. Debian packages: installs the missing ones (as root), or prints the
#     exact apt-get line to run and exits 1.
#  2. The tree-sitter runtime and grammars listed in deps.lock: `npm pack`
#     each tarball into build/deps/tarballs/, check its sha512 integrity
#     against deps.lock, unpack it into build/deps/src/NAME/.
#  3. Compile them once into build/deps/lib/libtreesitter.a, with the
#     runtime's public header in build/deps/include/tree_sitter/api.h.
#  4. libpg_query (PostgreSQL's parser), pinned in deps.lock as a Debian
#     source package: its .orig tarball from the Debian archive apt already
#     uses (scripts/debian-fetch.sh), checked against the pinned sha512,
#     built once into build/deps/lib/libpg_query.a with its headers in
#     build/deps/include/.
#
# One short line per step that does something; nothing when already done.
# See docs/building.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

DEPS=build/deps
LOCK=deps.lock
STAMP=$DEPS/.stamp

# The grammar entry points the program links against; checked with nm.
GRAMMAR_SYMBOLS="tree_sitter_typescript tree_sitter_tsx tree_sitter_javascript tree_sitter_python tree_sitter_ruby tree_sitter_go tree_sitter_prisma tree_sitter_sql"

say() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}

# ---------------------------------------------------------------- 1. Debian
# The Debian packages the build, `make demo` and `make test` need. A fresh
# bookworm (debootstrap minbase: only priority "required") plus `make` has
# nothing else; tests/setup_guard.py fails the test suite when a test uses a
# command or Python module whose package is not here.
package_list() {
    printf '%s\n' gcc libc6-dev make pkg-config \
        libgit2-dev libpcre2-dev libcjson-dev git python3 python3-jsonschema \
        ca-certificates
    # Node.js and npm fetch the tree-sitter sources (checked as commands below)
    printf '%s\n' nodejs npm
    # setup downloads libpg_query's source from the Debian archive
    # (scripts/debian-fetch.sh), and make corpus PostgreSQL's regression SQL
    printf '%s\n' curl
    # tests only: the catalog is compared with a real PostgreSQL 15, the
    # editor quickfix test reads gcc-format lines with Vim, and the man page
    # is rendered with man (groff, col)
    printf '%s\n' postgresql-15 vim man-db groff-base bsdextrautils
    # tests only: the MySQL replay is compared with a real MariaDB
    # (t_mysql_oracle: mariadb-install-db, mariadbd and the mariadb client)
    printf '%s\n' mariadb-server mariadb-client
    # tests only: SQLAlchemy, Alembic and Django write the DDL the ORM
    # extractors and code-migration readers are checked against (tests/orm/,
    # t_drift_sa, t_drift_django)
    printf '%s\n' python3-sqlalchemy python3-alembic python3-django python3-psycopg2 \
        python3-flask-sqlalchemy
    # tests only: JSON output read with jq (t_git), action.yml and the
    # pre-commit manifest read with PyYAML (t_action, t_hook)
    printf '%s\n' jq python3-yaml
    # tests only: a real editor attaches to the language server (t_lsp)
    printf '%s\n' neovim
}

debian_packages() {
    local pkgs
    mapfile -t pkgs < <(package_list)
    local missing=() p installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null |
        awk '$2 == "installed" {print $1}') || true
    for p in "${pkgs[@]}"; do
        case $p in
        # Node.js and npm may come from elsewhere than Debian's packages (e.g.
        # a nodejs package that bundles npm and conflicts with Debian's npm):
        # the commands are what matters.
        nodejs) command -v node >/dev/null 2>&1 || missing+=(nodejs) ;;
        npm) command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
        *) grep -qx -- "$p" <<<"$installed" || missing+=("$p") ;;
        esac
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    if [ "$(id -u)" -ne 0 ]; then
        printf 'setup: missing Debian packages: %s\n' "${missing[*]}" >&2
        printf 'setup: run:\n  sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
        exit 1
    fi
    say "installing Debian packages: ${missing[*]}"
    mkdir -p "$DEPS"
    local log=$DEPS/apt.log
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        tail -30 "$log" >&2
        die "apt-get install ${missing[*]} failed (full log: $log)"
    fi
}

# ------------------------------------------------------------- lock helpers
# lock_entries KIND: prints "name version integrity" for every dependency of
# that kind in deps.lock, after checking every line. KIND npm: a line
# "NAME VERSION sha512-BASE64" (an npm tarball). KIND debian: a line
# "debian:SOURCE VERSION SHA512HEX" (a Debian source package's .orig
# tarball), printed without the "debian:" marker.
lock_entries() {
    [ -f "$LOCK" ] || die "$LOCK is missing"
    awk -v kind="$1" '!/^[[:space:]]*(#|$)/ {
        deb = ($1 ~ /^debian:/)
        ok = NF == 3 && (deb ? length($3) == 128 && $3 ~ /^[0-9a-f]+$/ : $3 ~ /^sha512-/)
        if (!ok) { printf "deps.lock:%d: malformed line: %s\n", NR, $0 > "/dev/stderr"; exit 1 }
        if (deb && kind == "debian") print substr($1, 8), $2, $3
        if (!deb && kind == "npm") print $1, $2, $3 }' "$LOCK"
}

# sri FILE...: prints the SRI sha512 integrity of each file, one per line.
sri() {
    node -e 'const c = require("crypto"), fs = require("fs");
for (const f of process.argv.slice(1))
    console.log("sha512-" + c.createHash("sha512").update(fs.readFileSync(f)).digest("base64"));' "$@"
}

# The fast path's key: what the deps were built from. Any change (deps.lock,
# this script, a tarball touched or replaced) sends setup down the full path.
stamp_key() {
    sha256sum "$LOCK" scripts/setup.sh scripts/pg_query_tokens.c scripts/pg_query_tree.c
    if [ -d "$DEPS/tarballs" ]; then
        find "$DEPS/tarballs" -maxdepth 1 \( -name '*.tgz' -o -name '*.tar.gz' \) -printf '%f %s %T@\n' | sort
    fi
}

# ----------------------------------------------------- 2. fetch and verify
# tarball_path NAME VERSION: where the tarball of an npm package is kept; a
# scoped name (@derekstride/tree-sitter-sql) is flattened to one file name.
tarball_path() {
    local flat=${1//\//+}
    printf '%s\n' "$DEPS/tarballs/$flat-$2.tgz"
}

fetch_one() { # name version integrity
    local name=$1 version=$2 want=$3
    local tgz got
    tgz=$(tarball_path "$name" "$version")
    if [ -f "$tgz" ]; then
        got=$(sri "$tgz")
        if [ "$got" != "$want" ]; then
            printf 'setup: error: %s@%s: the tarball %s does not match deps.lock\n' "$name" "$version" "$tgz" >&2
            printf '  expected integrity: %s\n  actual integrity:   %s\n' "$want" "$got" >&2
            printf '  delete it to download it again: rm %s\n' "$tgz" >&2
            exit 1
        fi
        return 0
    fi
    say "fetching $name@$version from npm"
    local tmp
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/migralint-setup.XXXXXX")
    if ! (cd "$tmp" && npm pack "$name@$version" --pack-destination "$tmp" --loglevel=error >pack.out 2>pack.err); then
        sed 's/^/  /' "$tmp/pack.err" >&2
        rm -rf "$tmp"
        die "$name@$version: download failed (npm pack $name@$version)"
    fi
    local file
    file=$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -1)
    if [ -z "$file" ]; then
        rm -rf "$tmp"
        die "$name@$version: npm pack produced no tarball"
    fi
    got=$(sri "$file")
    if [ "$got" != "$want" ]; then
        rm -rf "$tmp"
        printf 'setup: error: %s@%s: integrity mismatch, refusing the downloaded tarball\n' "$name" "$version" >&2
        printf '  expected integrity: %s (deps.lock)\n  actual integrity:   %s\n' "$want" "$got" >&2
        exit 1
    fi
    mkdir -p "$DEPS/tarballs"
    mv -f "$file" "$tgz"
    rm -rf "$tmp"
}

unpack_one() { # name version integrity
    local name=$1 version=$2 want=$3
    local dir=$DEPS/src/$name marker=$DEPS/src/$name/.integrity
    if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]; then
        return 0
    fi
    say "unpacking $name@$version"
    rm -rf "$dir"
    mkdir -p "$dir"
    # npm tarballs hold one top folder, "package/".
    local tgz
    tgz=$(tarball_path "$name" "$version")
    tar -xzf "$tgz" -C "$dir" --strip-components=1 --no-same-owner ||
        die "$name@$version: cannot unpack $tgz"
    printf '%s\n' "$want" >"$marker"
}

# ------------------------------------------------------------- 3. compile
TS_CFLAGS="-std=c11 -O2 -D_DEFAULT_SOURCE -fPIC"

# Our one fix to tree-sitter-sql 0.3.11 (it edits the unpacked copy, never
# the repository): its external scanner's deserialize overwrites the tag it
# holds without freeing it, a leak per parse that LeakSanitizer reports
# (found by fuzz_check; fixtures/fuzz/check/sql-scanner-tag-leak.sql). Applied
# once: the marker comment says the copy is patched.
sql_scanner_patch() {
    local f=$DEPS/src/@derekstride/tree-sitter-sql/src/scanner.c
    [ -f "$f" ] || return 0
    grep -qF 'migralint: deserialize leaked' "$f" && return 0
    awk '/^void tree_sitter_sql_external_scanner_deserialize\(/ { infn = 1 }
        infn && $0 == "  state->start_tag = NULL;" {
            print "  free(state->start_tag); /* migralint: deserialize leaked the tag it replaced */"
            infn = 0; done = 1 }
        { print } END { exit done ? 0 : 1 }' "$f" >"$f.new" && mv "$f.new" "$f" ||
        die "$f: the line to patch is not there"
}

build_lib() {
    local runtime=$DEPS/src/tree-sitter/vendor/tree-sitter/lib
    sql_scanner_patch
    [ -f "$runtime/src/lib.c" ] || die "tree-sitter runtime not found at $runtime/src/lib.c"
    [ -f "$runtime/include/tree_sitter/api.h" ] || die "tree-sitter header not found at $runtime/include/tree_sitter/api.h"

    local objdir=$DEPS/obj
    rm -rf "$objdir"
    mkdir -p "$objdir" "$DEPS/lib" "$DEPS/include/tree_sitter"

    # Jobs: "object|source|include flags". The grammars: every src/parser.c
    # (and scanner.c beside it) in each grammar package; tree-sitter-typescript
    # has two, typescript/src and tsx/src.
    local jobs=("$objdir/runtime.o|$runtime/src/lib.c|-I$runtime/include -I$runtime/src")
    local name version integrity srcdir tag f
    while read -r name version integrity; do
        [ "$name" = tree-sitter ] && continue
        while IFS= read -r srcdir; do
            tag=${srcdir#"$DEPS/src/"}
            tag=${tag//\//_}
            tag=${tag//@/}
            for f in parser scanner; do
                [ -f "$srcdir/$f.c" ] && jobs+=("$objdir/${tag}_$f.o|$srcdir/$f.c|-I$srcdir")
            done
        done < <(find "$DEPS/src/$name" -path '*/node_modules' -prune -o -path '*/src/parser.c' -print |
            sed 's|/parser.c$||' | sort)
    done < <(lock_entries npm)

    say "compiling the tree-sitter runtime and grammars (${#jobs[@]} files)"
    local ncpu running=0 job obj src inc failed=0
    ncpu=$(nproc 2>/dev/null || echo 2)
    for job in "${jobs[@]}"; do
        IFS='|' read -r obj src inc <<<"$job"
        # Third-party code: its warnings are not ours; they go to the log only.
        (
            # shellcheck disable=SC2086
            ${CC:-cc} $TS_CFLAGS $inc -c "$src" -o "$obj" >"$obj.log" 2>&1 ||
                { echo "setup: error: compiling $src failed:" >&2; tail -20 "$obj.log" >&2; exit 1; }
        ) &
        running=$((running + 1))
        if [ "$running" -ge "$ncpu" ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
    done
    while [ "$running" -gt 0 ]; do
        wait -n || failed=1
        running=$((running - 1))
    done
    [ "$failed" -eq 0 ] || die "building the tree-sitter library failed"

    rm -f "$DEPS/lib/libtreesitter.a"
    ar rcs "$DEPS/lib/libtreesitter.a" "$objdir"/*.o
    cp -f "$runtime/include/tree_sitter/api.h" "$DEPS/include/tree_sitter/api.h"

    # Every grammar entry point the program expects must be there.
    local defined sym missing=()
    defined=$(nm -g --defined-only "$DEPS/lib/libtreesitter.a" | awk '$2 == "T" {print $3}')
    for sym in $GRAMMAR_SYMBOLS ts_parser_new; do
        grep -qx "$sym" <<<"$defined" || missing+=("$sym")
    done
    [ ${#missing[@]} -eq 0 ] || die "libtreesitter.a lacks: ${missing[*]}"
}

# ------------------------------------------------- 4. libpg_query (Debian)
# The .orig tarball of Debian source package NAME at upstream VERSION, in
# the archive's pool: pool/main/<l or libX>/NAME/NAME_VERSION.orig.tar.gz.
debian_pool_path() { # name version
    local name=$1 version=$2 prefix=${1:0:1}
    [[ $name == lib?* ]] && prefix=${name:0:4}
    printf 'pool/main/%s/%s/%s_%s.orig.tar.gz\n' "$prefix" "$name" "$name" "$version"
}

debian_fetch_one() { # name version sha512
    local name=$1 version=$2 want=$3
    local tgz=$DEPS/tarballs/${name}_$version.orig.tar.gz got
    if [ -f "$tgz" ]; then
        got=$(sha512sum "$tgz" | cut -d' ' -f1)
        if [ "$got" != "$want" ]; then
            printf 'setup: error: %s %s: the tarball %s does not match deps.lock\n' "$name" "$version" "$tgz" >&2
            printf '  expected sha512: %s\n  actual sha512:   %s\n' "$want" "$got" >&2
            printf '  delete it to download it again: rm %s\n' "$tgz" >&2
            exit 1
        fi
        return 0
    fi
    say "fetching $name $version from the Debian archive"
    mkdir -p "$DEPS/tarballs"
    bash scripts/debian-fetch.sh "$(debian_pool_path "$name" "$version")" "$want" "$tgz" ||
        die "$name $version: download failed (see above)"
}

# Unpacks and builds libpg_query with its own Makefile (its warnings go to
# the log), then installs the static library and the three headers a
# program needs: pg_query.h, pg_query/pg_query.pb-c.h (the scanner's
# protobuf types) and the bundled protobuf-c/protobuf-c.h it includes.
# Our one fix to the pinned source (it stays out of the repository; this
# edits the unpacked copy): pg_query_parse_plpgsql() returns early on a
# PL/pgSQL body that does not compile without freeing the stderr buffer of
# its raw parse, a small leak per such DO block that LeakSanitizer reports
# (found by fuzz_check; fixtures/fuzz/check/do-block-body-error.sql). The
# buffer is empty and unused there, so it is freed right after the parse.
pgquery_patch() { # dir
    local f=$1/src/pg_query_parse_plpgsql.c
    local anchor='	parse_result = pg_query_raw_parse(input, PG_QUERY_PARSE_DEFAULT);'
    [ "$(grep -cxF "$anchor" "$f")" = 1 ] || die "$f: the line to patch is not there once"
    awk -v anchor="$anchor" '{ print } $0 == anchor {
        print "\tfree(parse_result.stderr_buffer); /* migralint: early returns leaked it */"
        print "\tparse_result.stderr_buffer = NULL;" }' "$f" >"$f.new" && mv "$f.new" "$f" ||
        die "$f: patching failed"
}

pgquery_build() { # name version sha512
    local name=$1 version=$2 want=$3
    local dir=$DEPS/src/$name log=$DEPS/obj/$name.log
    say "building $name $version (libpg_query.a; a minute or two)"
    rm -rf "$dir"
    mkdir -p "$dir" "$DEPS/obj" "$DEPS/lib" "$DEPS/include/pg_query" "$DEPS/include/protobuf-c"
    tar -xzf "$DEPS/tarballs/${name}_$version.orig.tar.gz" -C "$dir" --strip-components=1 --no-same-owner ||
        die "$name $version: cannot unpack its tarball"
    pgquery_patch "$dir"
    # Not the caller's make: its jobserver and flags are not for this tree.
    if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$dir" -j"$(nproc 2>/dev/null || echo 2)" \
        CC="${CC:-cc}" build >"$log" 2>&1; then
        tail -20 "$log" >&2
        die "building $name $version failed (full log: $log)"
    fi
    # migralint's entries into the library (ours, in scripts/): the one-pass
    # scanner (pg_query_tokens.c) and the tree builder (pg_query_tree.c).
    # They need the library's internal headers, so they are built here with
    # the library's flags and join its archive.
    local shim
    for shim in pg_query_tokens pg_query_tree; do
        if ! "${CC:-cc}" -O3 -fPIC -fwrapv -fno-strict-aliasing -Wall -Wno-unused-function \
            -I"$dir" -I"$dir/vendor" -I"$dir/src" -I"$dir/src/include" -I"$dir/src/postgres/include" \
            -c "scripts/$shim.c" -o "$dir/$shim.o" >>"$log" 2>&1 ||
            ! ar rcs "$dir/libpg_query.a" "$dir/$shim.o" >>"$log" 2>&1; then
            tail -20 "$log" >&2
            die "building scripts/$shim.c against $name $version failed (full log: $log)"
        fi
    done
    # The raw parser's calls of core_yylex go through pg_query_tokens.c's
    # pg_query_tokens_core_yylex, which records the tokens (the file then
    # needs no second scan). Only parser.o's calls: the scanner-based
    # splitter, pg_query_scan and PL/pgSQL's scanner keep theirs.
    local parser_o=$dir/src/postgres/src_backend_parser_parser.o
    if ! "${OBJCOPY:-objcopy}" --redefine-sym core_yylex=pg_query_tokens_core_yylex "$parser_o" >>"$log" 2>&1 ||
        ! ar rcs "$dir/libpg_query.a" "$parser_o" >>"$log" 2>&1; then
        tail -20 "$log" >&2
        die "redirecting the parser's core_yylex in $name $version failed (full log: $log)"
    fi
    cp -f "$dir/libpg_query.a" "$DEPS/lib/libpg_query.a"
    cp -f "$dir/pg_query.h" "$DEPS/include/pg_query.h"
    cp -f "$dir/protobuf/pg_query.pb-c.h" "$DEPS/include/pg_query/pg_query.pb-c.h"
    cp -f "$dir/vendor/protobuf-c/protobuf-c.h" "$DEPS/include/protobuf-c/protobuf-c.h"
    local defined # (not piped into grep -q: pipefail would see nm's SIGPIPE)
    defined=$(nm -g --defined-only "$DEPS/lib/libpg_query.a" 2>/dev/null | awk '$2 == "T" {print $3}')
    grep -qx pg_query_parse <<<"$defined" || die "libpg_query.a lacks pg_query_parse"
    grep -qx pg_query_scan_tokens <<<"$defined" || die "libpg_query.a lacks pg_query_scan_tokens"
    grep -qx pg_query_parse_tree <<<"$defined" || die "libpg_query.a lacks pg_query_parse_tree"
    local parser_calls
    parser_calls=$(nm -A "$DEPS/lib/libpg_query.a" 2>/dev/null |
        awk '$1 ~ /:src_backend_parser_parser\.o:$/ && $2 == "U" {print $3}')
    grep -qx pg_query_tokens_core_yylex <<<"$parser_calls" && ! grep -qx core_yylex <<<"$parser_calls" ||
        die "libpg_query.a's parser still calls core_yylex itself"
    rm -rf "$dir/src" # the objects are in the archive now; the sources are 60 MB
}

# Bump when pgquery_build changes what it builds: the library is rebuilt
# only when this, the pin or the compiler changes (not on every edit of this
# script, as the tree-sitter library is: this build takes minutes).
PGQUERY_RECIPE=5

# Fetches, checks and (when its pin, recipe or the compiler changed) builds
# every Debian-source dependency; libpg_query is the only one.
debian_sources() {
    local entries name version sha key stamp=$DEPS/lib/.pg_query.stamp
    entries=$(lock_entries debian)
    [ -n "$entries" ] || die "deps.lock pins no debian:libpg-query"
    while read -r name version sha; do
        [ "$name" = libpg-query ] || die "deps.lock: debian:$name: only debian:libpg-query is known"
        debian_fetch_one "$name" "$version" "$sha"
        key="$name $version $sha ${CC:-cc} recipe $PGQUERY_RECIPE $(cat scripts/pg_query_tokens.c scripts/pg_query_tree.c | sha256sum | cut -d' ' -f1)"
        if ! [ -f "$DEPS/lib/libpg_query.a" ] || ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$key" ]; then
            pgquery_build "$name" "$version" "$sha"
            printf '%s\n' "$key" >"$stamp"
        fi
    done <<<"$entries"
}

# ------------------------------------------------------------------- main
if [ "${1:-}" = --list-packages ]; then
    package_list
    exit 0
fi
debian_packages

if [ -f "$STAMP" ] && [ -f "$DEPS/lib/libtreesitter.a" ] &&
    [ -f "$DEPS/include/tree_sitter/api.h" ] && [ -f "$DEPS/lib/libpg_query.a" ] &&
    [ -f "$DEPS/include/pg_query.h" ] && [ "$(stamp_key)" = "$(cat "$STAMP")" ]; then
    exit 0
fi

mkdir -p "$DEPS/tarballs" "$DEPS/src"
entries=$(lock_entries npm)
while read -r name version integrity; do
    fetch_one "$name" "$version" "$integrity"
done <<<"$entries"
changed=0
while read -r name version integrity; do
    marker=$DEPS/src/$name/.integrity
    if ! [ -f "$marker" ] || [ "$(cat "$marker")" != "$integrity" ]; then
        changed=1
    fi
    unpack_one "$name" "$version" "$integrity"
done <<<"$entries"

# Rebuild when a source changed, the library is missing, or this script (and
# so the flags) changed since the last build.
libkey=$( (echo "$TS_CFLAGS ${CC:-cc}"; sha256sum "$LOCK" scripts/setup.sh) )
if [ "$changed" -eq 1 ] || ! [ -f "$DEPS/lib/libtreesitter.a" ] ||
    ! [ -f "$DEPS/lib/.stamp" ] || [ "$(cat "$DEPS/lib/.stamp")" != "$libkey" ]; then
    build_lib
    printf '%s\n' "$libkey" >"$DEPS/lib/.stamp"
fi

debian_sources

stamp_key >"$STAMP"
