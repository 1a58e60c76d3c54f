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

# A MySQL folder m/ (dialect from .migralint.json) whose 001 migration
# builds the tables the other tests alter; the other migrations are written
# by the caller.
__mysql_m() {
    mkdir -p "$T/my" && cd "$T/my" || exit 1
    echo '{"dialect": "mysql"}' >.migralint.json
    mkdir -p m
    cat >m/001_init.sql <<'SQL'
CREATE TABLE `users` (
  `id` bigint unsigned AUTO_INCREMENT NOT NULL PRIMARY KEY,
  `email` varchar(100) NOT NULL,
  `code` varchar(20),
  `created_at` datetime NOT NULL
);
CREATE TABLE `orders` (
  `id` bigint unsigned AUTO_INCREMENT NOT NULL PRIMARY KEY,
  `user_id` bigint unsigned NOT NULL,
  `total` int NOT NULL
);
SQL
}

# Each finding names what MySQL does (the ALGORITHM and LOCK, or the
# metadata lock), never a PostgreSQL lock mode.
test_mysql_messages_name_algorithm_and_lock() {
    local dir want line
    while read -r dir want; do
        __mysql_stage "$FIXTURES/rules/$dir" bad
        ml --format gcc bad
        [ -n "$OUT" ] || fail "$dir: no finding"
        while read -r line; do
            case "$line" in
            *"[missing-lock-timeout]" | *"[mysql-multiple-ddl]") ;;
            *"$want"*) ;;
            *) fail "$dir: '$want' not in: $line" ;;
            esac
        done <<<"$OUT"
        expect_no_out "ACCESS EXCLUSIVE"
        expect_no_out "SHARE ROW EXCLUSIVE"
        cd "$T" || exit 1
    done <<'LIST'
alter-column-type/mysql ALGORITHM=COPY, LOCK=SHARED
mysql-foreign-key-copy ALGORITHM=COPY, LOCK=SHARED
mysql-algorithm-copy LOCK=SHARED
mysql-shared-lock-ddl LOCK=SHARED
mysql-optimize-table ALGORITHM=INPLACE, LOCK=NONE
add-primary-key/mysql ALGORITHM=INPLACE, LOCK=NONE
drop-column/mysql ALGORITHM=INSTANT
rename-column/mysql ALGORITHM=INSTANT
rename-table/mysql ALGORITHM=INSTANT
drop-table/mysql exclusive metadata lock
truncate-table/mysql exclusive metadata lock
missing-lock-timeout/mysql exclusive metadata lock
LIST
}

# The PostgreSQL-only rules do not fire on MySQL, where the same statements
# are online: CREATE INDEX (INPLACE, LOCK=NONE), ADD COLUMN NOT NULL without
# a default (INSTANT, MySQL fills in the type's implicit default), ADD
# UNIQUE, a foreign key with foreign_key_checks off, MODIFY ... NOT NULL.
test_postgresql_rules_stay_quiet_on_mysql() {
    __mysql_m
    local i=2 stmt
    while read -r stmt; do
        printf 'SET SESSION lock_wait_timeout = 5;\nSET foreign_key_checks = 0;\n%s\n' "$stmt" >"m/00${i}_x.sql"
        i=$((i + 1))
    done <<'LIST'
CREATE INDEX `users_created_at_idx` ON `users` (`created_at`);
ALTER TABLE `users` ADD `age` int NOT NULL;
ALTER TABLE `users` ADD UNIQUE INDEX `users_email_unique` (`email`), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE `orders` ADD CONSTRAINT `orders_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`);
ALTER TABLE `users` MODIFY `code` varchar(20) NOT NULL;
ALTER TABLE `users` ADD `bio` text, ADD `nickname` varchar(30) NULL;
LIST
    ml check --format gcc --fail-on note m
    expect_rc 0
    [ -z "$OUT" ] || fail "want no finding on MySQL, got: $OUT"
    # The same changes in PostgreSQL's spelling are findings there.
    mkdir -p "$T/pg/m" && cd "$T/pg" || return
    printf 'CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamptz);\n' >m/001_init.sql
    printf "SET lock_timeout = '2s';\nCREATE INDEX users_created_at_idx ON users (created_at);\n" >m/002_x.sql
    printf "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN age int NOT NULL;\n" >m/003_x.sql
    ml check --format gcc m
    expect_out "[non-concurrent-index]"
    expect_out "[add-column-not-null-no-default]"
}

# And the MySQL-only rules do not fire on PostgreSQL: several DDL statements
# (transactional there), foreign keys (constraint-not-valid's business).
test_mysql_rules_stay_quiet_on_postgresql() {
    mkdir -p p
    printf 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' >p/001_init.sql
    printf "SET lock_timeout = '2s';\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE users ADD COLUMN bio text;\n" >p/002_two.sql
    ml check --format gcc p
    expect_rc 0
    expect_no_out "[mysql-"
    ml status p
    expect_out "target: PostgreSQL"
}

# missing-lock-timeout on MySQL: once per file, at the first unguarded DDL
# on an existing table; SET ... = DEFAULT takes the guard away again.
test_mysql_lock_wait_timeout_guard() {
    __mysql_m
    printf 'SET SESSION lock_wait_timeout = 5;\nALTER TABLE `users` ADD `a` int;\nSET lock_wait_timeout = DEFAULT;\nALTER TABLE `orders` ADD `b` int;\n' >m/002_default.sql
    printf 'ALTER TABLE `users` ADD `c` int, ALGORITHM=INSTANT;\nSET @@lock_wait_timeout = 3;\nALTER TABLE `orders` ADD `d` int;\nALTER TABLE `users` ADD `e` int;\n' >m/003_late.sql
    printf 'CREATE TABLE `tags` (`id` int NOT NULL);\nCREATE INDEX `tags_id` ON `tags` (`id`);\n' >m/004_new.sql
    printf 'm/002_default.sql:4:1 missing-lock-timeout\nm/002_default.sql:4:1 mysql-multiple-ddl\n' >want
    printf 'm/003_late.sql:1:1 missing-lock-timeout\nm/003_late.sql:3:1 mysql-multiple-ddl\n' >>want
    expect_findings want m
    expect_out "m/003_late.sql:1:1: warning: this statement waits for an exclusive metadata lock on users with lock_wait_timeout at its default (31536000 seconds, a year)"
}

# foreign_key_checks as the migration's session has it at each statement:
# off between SET ... = 0 and SET ... = 1 only (the lookup scans the file
# once, so a later statement must still see the SETs between).
test_mysql_foreign_key_checks_follow_the_session() {
    __mysql_m
    cat >m/002_fks.sql <<'SQL'
SET lock_wait_timeout = 5;
ALTER TABLE `orders` ADD CONSTRAINT `fk_a` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`);
SET foreign_key_checks = 0;
ALTER TABLE `orders` ADD CONSTRAINT `fk_b` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`);
SET SESSION foreign_key_checks = ON;
ALTER TABLE `orders` ADD CONSTRAINT `fk_c` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`);
SET @@session.foreign_key_checks = 'OFF';
ALTER TABLE `orders` ADD CONSTRAINT `fk_d` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`);
SQL
    printf 'm/002_fks.sql:2:26 mysql-foreign-key-copy\nm/002_fks.sql:6:26 mysql-foreign-key-copy\n' >want
    expect_findings want --disable-rule mysql-multiple-ddl m
}

# mysql-multiple-ddl points at the first DDL statement too, and stays quiet
# in a down step and when a migration only builds new tables.
test_mysql_multiple_ddl_related_and_down() {
    __mysql_m
    mv m/001_init.sql m/001_init.up.sql
    printf 'DROP TABLE `orders`;\nDROP TABLE `users`;\n' >m/001_init.down.sql
    printf 'SET lock_wait_timeout = 5;\nALTER TABLE `users` ADD `a` int;\nINSERT INTO `orders` (`user_id`, `total`) VALUES (1, 2);\nCREATE INDEX `users_a` ON `users` (`a`);\n' >m/002_two.up.sql
    printf 'SET lock_wait_timeout = 5;\nDROP INDEX `users_a` ON `users`;\nALTER TABLE `users` DROP COLUMN `a`;\n' >m/002_two.down.sql
    ml check --format json m
    python3 - "$OUT" <<'PY' || fail "json: ${OUT:0:1500}"
import json, sys
f = [d for d in json.loads(sys.argv[1]) if d["rule"] == "mysql-multiple-ddl"]
assert len(f) == 1, f
d = f[0]
assert d["path"] == "m/002_two.up.sql" and (d["line"], d["column"]) == (4, 1), d
assert d["message"].startswith("DDL statement 2 of this migration, which changes a table that already exists: MySQL commits each DDL statement on its own"), d["message"]
assert [(r["line"], r["column"], r["message"]) for r in d["related"]] == [(2, 1, "the first DDL statement, committed on its own")], d["related"]
PY
}

# MariaDB differs from MySQL 8 on a VARCHAR that starts at 127 bytes or
# less: it extends it in place across 255 bytes, where MySQL 8 copies
# (rules/alter-column-type.md says so). migralint follows MySQL 8.
test_mariadb_extends_a_short_varchar_in_place() {
    __mysql_m
    printf 'SET lock_wait_timeout = 5;\nALTER TABLE `users` MODIFY `code` varchar(64);\n' >m/002_code.sql
    ml check --format gcc m
    expect_out "m/002_code.sql:2:28: error: changing users.code from varchar(20) to varchar(64) (80 to 256 bytes under utf8mb4, across 255"
    __mdb_start || return
    mkdir -p d
    sed 's/^);$/);\n--> statement-breakpoint/' m/001_init.sql >d/0000_init.sql
    printf 'ALTER TABLE `users` MODIFY `code` varchar(64)\n' >d/0001_code.sql
    local got
    got=$(__mdb_inplace d)
    expect_eq "0001_code.sql ok" "$got" "MariaDB, varchar(20) to varchar(64) in place"
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

# Every migration of DIR/KIND: "ok" when KIND is good, else an error whose
# reason matches the glob REASON.
__mdb_expect() {
    local dir=$1 kind=$2 reason=$3 got line
    got=$(__mdb_inplace "$dir/$kind")
    [ -n "$got" ] || fail "$dir/$kind: no migration ran"
    while read -r line; do
        # shellcheck disable=SC2254 # $reason is a glob on purpose
        case "$kind:$line" in
        good:*" ok") ;;
        bad:*" error: "$reason) ;;
        *) fail "$dir/$kind: MariaDB says '$line' (want ${reason:-ok})" ;;
        esac
    done <<<"$got"
}

# What alter-column-type reports on MySQL, MariaDB refuses to do in place
# ("Cannot change column type. Try ALGORITHM=COPY"); what it leaves alone
# (a longer VARCHAR on the same side of 255 bytes, ENUM values appended,
# nullability) MariaDB does in place with LOCK=NONE. Likewise for a foreign
# key added with foreign_key_checks on, off, or turned off only globally.
test_mariadb_agrees_with_the_copy_and_lock_claims() {
    __mdb_start || return
    __mdb_expect "$FIXTURES/rules/alter-column-type/mysql" bad "Cannot change column type*"
    __mdb_expect "$FIXTURES/rules/alter-column-type/mysql" good ""
    __mdb_expect "$FIXTURES/rules/mysql-foreign-key-copy" bad "Adding foreign keys needs foreign_key_checks=OFF*"
    __mdb_expect "$FIXTURES/rules/mysql-foreign-key-copy" good ""
    # mysql-shared-lock-ddl: LOCK=NONE refused (FULLTEXT, SPATIAL,
    # AUTO_INCREMENT), or INPLACE refused (DROP PRIMARY KEY alone).
    __mdb_expect "$FIXTURES/rules/mysql-shared-lock-ddl" bad "*Try *=[SC][HO]*"
    __mdb_expect "$FIXTURES/rules/mysql-shared-lock-ddl" good ""
}
