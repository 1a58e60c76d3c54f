# t_mysql_rules.sh - the rules on MySQL migrations (issue 19): MySQL 8 /
# InnoDB online-DDL semantics, each finding naming the ALGORITHM and LOCK.
#
# Fixtures (Drizzle folders whose drizzle.config.ts says dialect "mysql"):
#   fixtures/rules/mysql-*/{bad,good}/ and bad.expect: the MySQL-only rules
#     (tests/t_rules.sh runs them too, with every other rule's fixtures);
#   fixtures/rules/<id>/mysql/{bad,good}/ and mysql/bad.expect: the
#     PostgreSQL rules that mean the same on MySQL (drop-table, rename-column,
#     alter-column-type...), with MySQL wording. t_rules.sh does not look
#     there.
# bad.expect lists every finding, "bad/FILE:LINE:COL rule-id".
#
# The online-DDL claims (which changes MySQL can only make with
# ALGORITHM=COPY, which it makes in place) are held against a real
# MySQL-family server: Debian's mariadb-server, started on a private socket
# in $T. Where MariaDB differs from MySQL 8 the test says so (and the rule's
# document does too).

# Fixture folders with MySQL fixtures: "DIR" holds bad/, good/ and bad.expect.
__mysql_fixture_dirs() {
    local d
    for d in "$FIXTURES"/rules/mysql-*/ "$FIXTURES"/rules/*/mysql/; do
        [ -d "$d/bad" ] && echo "${d%/}"
    done
}

# Copies DIR/KIND into a folder of its own under $T and cds there.
__mysql_stage() {
    local dir=$1 kind=$2 name
    name=$(basename "$dir")
    [ "$name" = mysql ] && name=$(basename "$(dirname "$dir")")
    mkdir -p "$T/fx/$name.$kind"
    cd "$T/fx/$name.$kind" || exit 1
    cp -R "$dir/$kind" "$kind"
}

test_mysql_bad_fixtures_find_exactly_what_they_expect() {
    local dir n=0
    for dir in $(__mysql_fixture_dirs); do
        [ -f "$dir/bad.expect" ] || {
            fail "$dir has bad/ but no bad.expect"
            continue
        }
        __mysql_stage "$dir" bad
        expect_findings "$dir/bad.expect" bad
        [ -z "$ERR" ] || fail "$dir/bad: stderr: ${ERR:0:300}"
        n=$((n + 1))
        cd "$T" || exit 1
    done
    [ "$n" -ge 12 ] || fail "only $n MySQL fixture folders found"
}

test_mysql_good_fixtures_are_clean() {
    local dir
    for dir in $(__mysql_fixture_dirs); do
        [ -d "$dir/good" ] || {
            fail "$dir has no good/"
            continue
        }
        __mysql_stage "$dir" good
        ml --format gcc --fail-on note good
        if [ -n "$OUT" ] || [ "$RC" -ne 0 ]; then
            fail "$dir/good: want no finding and exit code 0, got $RC and:"
            echo "$OUT" | sed 's/^/      /' | head -20
        fi
        cd "$T" || exit 1
    done
}

# Every MySQL bad fixture names the rule it is for: the bad.expect of
# fixtures/rules/<id>/mysql/ expects at least one <id> finding.
test_mysql_fixtures_cover_their_rule() {
    local dir id
    for dir in $(__mysql_fixture_dirs); do
        id=$(basename "$dir")
        [ "$id" = mysql ] && id=$(basename "$(dirname "$dir")")
        grep -qE ":[0-9]+:[0-9]+ $id\$" "$dir/bad.expect" ||
            fail "$dir/bad.expect expects no $id finding"
    done
}

# ---- the online-DDL claims, held against MariaDB ----

__mdb_stop() {
    [ -S "$T/mdb/sock" ] && mariadb-admin --no-defaults -S "$T/mdb/sock" -uroot shutdown >/dev/null 2>&1
    return 0
}

# Starts a throwaway MariaDB on $T/mdb/sock (no TCP); stops it when the
# test's shell exits. Its default character set is utf8mb4, as MySQL 8's.
__mdb_start() {
    if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then
        fail "MariaDB server missing: install Debian's mariadb-server (scripts/setup.sh does)"
        return 1
    fi
    mkdir -p "$T/mdb"
    trap __mdb_stop EXIT
    mariadb-install-db --no-defaults --datadir="$T/mdb/data" --user="$(id -un)" \
        --auth-root-authentication-method=normal --skip-test-db >"$T/mdb/install.log" 2>&1 ||
        { fail "mariadb-install-db failed: $(tail -5 "$T/mdb/install.log")"; return 1; }
    mariadbd --no-defaults --datadir="$T/mdb/data" --socket="$T/mdb/sock" --skip-networking \
        --user="$(id -un)" --pid-file="$T/mdb/pid" --innodb-buffer-pool-size=16M \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        >"$T/mdb/server.log" 2>&1 &
    local i
    for i in $(seq 1 100); do
        mariadb-admin --no-defaults -S "$T/mdb/sock" -uroot ping >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    fail "MariaDB did not start: $(tail -5 "$T/mdb/server.log")"
    return 1
}

# Runs each migration of the Drizzle folder $1 (after its 0000 migration)
# on a fresh database, with each ALTER TABLE of a table the migration did
# not create asked for ALGORITHM=INPLACE, LOCK=NONE; prints "FILE ok" or
# "FILE error: REASON" per migration.
__mdb_inplace() {
    python3 - "$T/mdb/sock" "$1" <<'PY'
import os, re, subprocess, sys
sock, folder = sys.argv[1], sys.argv[2]

def stmts(path):
    text = open(path).read()
    return [s.strip().rstrip(';') for s in text.split('--> statement-breakpoint') if s.strip()]

def run(sqls):
    # A migration's SET GLOBAL must not leak into the next one's session.
    subprocess.run(['mariadb', '--no-defaults', '-S', sock, '-uroot', '-e',
                    'SET GLOBAL foreign_key_checks = 1, GLOBAL lock_wait_timeout = 86400'], check=True)
    script = 'DROP DATABASE IF EXISTS fx; CREATE DATABASE fx; USE fx;\n' + ';\n'.join(sqls) + ';\n'
    p = subprocess.run(['mariadb', '--no-defaults', '-S', sock, '-uroot'], input=script,
                       capture_output=True, text=True)
    return p.returncode, p.stderr.strip()

files = sorted(f for f in os.listdir(folder) if f.endswith('.sql'))
init = stmts(os.path.join(folder, files[0]))
for f in files[1:]:
    created, out = set(), []
    for s in stmts(os.path.join(folder, f)):
        m = re.match(r'CREATE TABLE `(\w+)`', s)
        if m:
            created.add(m.group(1))
        m = re.match(r'ALTER TABLE `(\w+)`', s)
        if m and m.group(1) not in created and 'ALGORITHM' not in s.upper():
            s += ', ALGORITHM=INPLACE, LOCK=NONE'
        out.append(s)
    rc, err = run(init + out)
    print(f, 'ok' if rc == 0 else 'error: ' + re.sub(r'.*Reason: ', '', err.splitlines()[-1]))
PY
}

# Every migration of DIR/KIND: "ok" when KIND is good, else the reason.
__mdb_expect() {
    local dir=$1 kind=$2 reason=$3 got line
    got=$(__mdb_inplace "$dir/$kind")
    [ -n "$got" ] || fail "$dir/$kind: no migration ran"
    while read -r line; do
        case "$kind:$line" in
        good:*" ok") ;;
        bad:*" error: $reason"*) ;;
        *) fail "$dir/$kind: MariaDB says '$line' (want ${reason:-ok})" ;;
        esac
    done <<<"$got"
}

# What alter-column-type reports on MySQL, MariaDB refuses to do in place
# ("Cannot change column type. Try ALGORITHM=COPY"); what it leaves alone
# (a longer VARCHAR on the same side of 255 bytes, ENUM values appended,
# nullability) MariaDB does in place with LOCK=NONE. Likewise for a foreign
# key added with foreign_key_checks on, off, or turned off only globally.
test_mariadb_agrees_with_the_copy_claims() {
    __mdb_start || return
    __mdb_expect "$FIXTURES/rules/alter-column-type/mysql" bad "Cannot change column type"
    __mdb_expect "$FIXTURES/rules/alter-column-type/mysql" good ""
    __mdb_expect "$FIXTURES/rules/mysql-foreign-key-copy" bad "Adding foreign keys needs foreign_key_checks=OFF"
    __mdb_expect "$FIXTURES/rules/mysql-foreign-key-copy" good ""
}
