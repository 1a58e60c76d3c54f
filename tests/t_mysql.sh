# t_mysql.sh - MySQL 8 / MariaDB as the second dialect (docs/mysql.md): which
# folders are MySQL, the translation of MySQL statements (never a
# parse-error on valid MySQL, drizzle-kit's output included), the replay
# with MySQL's types and defaults, and PostgreSQL's rules staying quiet.
# The MariaDB comparison of `migralint schema` is in t_mysql_oracle.sh.

# Copies fixtures/mysql/$1 to $T/$2 as a git repository.
__mysql_project() {
    cp -R "$FIXTURES/mysql/$1" "$T/$2"
    cd "$T/$2" || return 1
    git_repo .
}

# `migralint schema` as "table column type nullable default" lines and
# "table index name cols unique" lines, sorted.
__schema_lines() {
    python3 -c '
import json, sys
d = json.load(sys.stdin)
out = []
for t, v in d["tables"].items():
    t = t.split(".", 1)[1]
    for c in v["columns"]:
        out.append("%s.%s %s %s %s%s" % (t, c["name"], c["type"], "null" if c["nullable"] else "not-null",
                   c["default"], " auto_increment" if c["identity"] else ""))
    for n, i in v["indexes"].items():
        out.append("%s index %s (%s)%s" % (t, n, ",".join(i["columns"]), " unique" if i["unique"] else ""))
    for n, c in v["constraints"].items():
        if c["type"] == "foreign key":
            out.append("%s fk %s (%s)" % (t, n, ",".join(c["columns"])))
print("\n".join(sorted(out)))
' <<<"$OUT"
}

test_mysql_dialect_from_drizzle_config() {
    __mysql_project drizzle-app p || return
    ml status drizzle
    expect_rc 0
    expect_out "dialect: mysql (drizzle.config.ts: dialect mysql)"
    ml status --format json drizzle
    expect_out '"dialect":	"mysql"'
    # drizzle-kit's MySQL output: no parse error, no PostgreSQL rule
    ml check --format gcc --fail-on none drizzle
    expect_rc 0
    expect_no_out "[parse-error]"
    expect_no_out "[non-concurrent-index]"
}

test_mysql_dialect_sources() {
    mkdir -p "$T/a/prisma/migrations/20240101000000_init" && cd "$T/a" && git_repo .
    printf 'provider = "mysql"\n' >prisma/migrations/migration_lock.toml
    printf 'CREATE TABLE t (id int);\n' >prisma/migrations/20240101000000_init/migration.sql
    ml status prisma/migrations
    expect_out "dialect: mysql (prisma/migrations/migration_lock.toml: provider mysql)"
    # the SQL itself: backquoted names
    mkdir -p "$T/b/db" && cd "$T/b" && git_repo .
    printf 'CREATE TABLE `t` (`id` int);\n' >db/001_init.sql
    ml status db
    expect_out "dialect: mysql (db/001_init.sql: MySQL syntax"
    # Prisma's schema.prisma datasource, beside the migrations folder
    mkdir -p "$T/c/prisma/migrations/1_init" && cd "$T/c" && git_repo .
    printf 'generator client {\n  provider = "prisma-client-js"\n}\ndatasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n' >prisma/schema.prisma
    printf 'CREATE TABLE t (id int);\n' >prisma/migrations/1_init/migration.sql
    ml status prisma/migrations
    expect_out "dialect: mysql (prisma/migrations/../schema.prisma: provider mysql)"
    # drizzle-kit before 0.21 named the driver instead of the dialect
    mkdir -p "$T/e/drizzle" && cd "$T/e" && git_repo .
    printf 'export default { schema: "./src/schema.ts", out: "./drizzle", driver: "mysql2" };\n' >drizzle.config.ts
    printf 'CREATE TABLE t (id int);\n' >drizzle/0000_a.sql
    ml status drizzle
    expect_out "dialect: mysql (drizzle.config.ts: driver mysql2, so dialect mysql)"
    # a PostgreSQL folder says nothing new
    mkdir -p "$T/d/db" && cd "$T/d" && git_repo .
    printf 'CREATE TABLE t (id int);\n' >db/001_init.sql
    ml status db
    expect_no_out "dialect:"
    ml status --format json db
    expect_out '"dialect":	"postgresql"'
}

test_mysql_dialect_config_is_validated() {
    mkdir -p "$T/p/db" && cd "$T/p" && git_repo .
    printf 'CREATE TABLE t (id int);\n' >db/001_init.sql
    printf '{ "dialect": "oracle" }\n' >.migralint.json
    ml check db
    expect_rc 2
    expect_err '"dialect" must be "postgresql" or "mysql"'
    printf '{ "migrations": [{ "path": "db", "dialect": "mysql" }] }\n' >.migralint.json
    ml status db
    expect_rc 0
    expect_out "dialect: mysql (.migralint.json: dialect mysql)"
    python3 -c '
import json, jsonschema, sys
schema = json.load(open(sys.argv[1]))
jsonschema.validate({"dialect": "mysql", "migrations": [{"path": "db", "dialect": "postgresql"}]}, schema)
try:
    jsonschema.validate({"dialect": "oracle"}, schema)
    sys.exit("the JSON Schema accepts dialect oracle")
except jsonschema.ValidationError:
    pass
' "$ROOT/migralint.schema.json" || fail "migralint.schema.json does not describe \"dialect\""
}

# The hand-written fixture's schema, clause by clause.
test_mysql_handwritten_schema() {
    __mysql_project handwritten p || return
    ml check --format gcc --fail-on none
    expect_rc 0
    expect_no_out "[parse-error]"
    expect_no_out "[replay-conflict]"
    ml schema
    expect_rc 0
    expect_eq "account_sessions fk sessions_account_fk (account_id)
account_sessions index sessions_account_idx (account_id)
account_sessions index sessions_pkey (id) unique
account_sessions.account_id bigint unsigned not-null None
account_sessions.expires_at datetime(6) not-null None
account_sessions.id char(36) not-null None
account_sessions.token varbinary(64) not-null None
accounts index accounts_email_uq (email) unique
accounts index accounts_login_idx (last_login_at)
accounts index accounts_pkey (id) unique
accounts index accounts_status_idx (status,created_at)
accounts.balance decimal(12,2) not-null 0.00
accounts.created_at datetime not-null current_timestamp()
accounts.email varchar(191) not-null None
accounts.feature_flags int unsigned not-null 0
accounts.id bigint unsigned not-null None auto_increment
accounts.last_login_at datetime null None
accounts.nickname varchar(150) not-null ''
accounts.status enum('active','disabled') not-null 'disabled'
accounts.updated_at timestamp(3) null current_timestamp(3)
members fk members_ibfk_1 (team_id)
members index members_pkey (id) unique
members index name (name,team_id) unique
members index team_id (team_id)
members.id int not-null None
members.name varchar(60) null None
members.team_id bigint null None
teams index name_idx (name)
teams index teams_pkey (id) unique
teams.id bigint not-null None auto_increment
teams.name varchar(50) null None" "$(__schema_lines)" "schema of fixtures/mysql/handwritten"
}

test_mysql_invalid_sql_is_a_parse_error() {
    mkdir -p "$T/p/db" && cd "$T/p" && git_repo .
    printf '{ "dialect": "mysql" }\n' >.migralint.json
    printf 'CREATE TABLE t (id int);\nALTER TABLE t FROBNICATE x;\nSELEC 1;\n' >db/001_bad.sql
    ml check --format gcc db
    expect_rc 1
    expect_out "db/001_bad.sql:2:15: error: unexpected FROBNICATE in ALTER TABLE [parse-error]"
    expect_out "db/001_bad.sql:3:1: error: not a MySQL statement: SELEC [parse-error]"
}

# Down steps are replayed as for PostgreSQL: one that forgets a column is
# down-does-not-reverse, and the complete one is clean.
test_mysql_down_step_is_replayed() {
    mkdir -p "$T/p/migrations" && cd "$T/p" && git_repo .
    printf '{ "dialect": "mysql" }\n' >.migralint.json
    printf 'CREATE TABLE `users` (`id` bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n' >migrations/000001_users.up.sql
    printf 'DROP TABLE `users`;\n' >migrations/000001_users.down.sql
    printf 'ALTER TABLE `users` ADD COLUMN `name` varchar(100) NULL, ADD INDEX `users_name_idx` (`name`);\n' >migrations/000002_name.up.sql
    printf 'ALTER TABLE `users` DROP INDEX `users_name_idx`;\n' >migrations/000002_name.down.sql
    ml check --format gcc migrations
    expect_rc 1
    expect_out "migrations/000002_name.down.sql:1:1: error: after up and down, column users.name exists (varchar(100)), was absent"
    printf 'ALTER TABLE `users` DROP INDEX `users_name_idx`, DROP COLUMN `name`;\n' >migrations/000002_name.down.sql
    ml check --format gcc migrations
    expect_rc 0
    expect_no_out "down-does-not-reverse"
}

# A migration edited after it was applied is told from its MySQL tokens: a
# `#` comment added is cosmetic.
test_mysql_applied_migration_edited_reads_mysql_tokens() {
    mkdir -p "$T/p/db" && cd "$T/p" && git_repo .
    printf '{ "dialect": "mysql" }\n' >.migralint.json
    printf 'CREATE TABLE `t` (`id` int);\n' >db/001_t.sql
    git add -A && git commit -qm init
    printf '# why this table\nCREATE TABLE `t` (`id` int);\n' >db/001_t.sql
    ml check --format gcc --base HEAD db
    expect_rc 0
    expect_out "only whitespace, comments or letter case changed: the SQL is the same [applied-migration-edited]"
    printf 'CREATE TABLE `t` (`id` bigint);\n' >db/001_t.sql
    ml check --format gcc --base HEAD db
    expect_rc 1
    expect_out "db/001_t.sql:1:1: error: 001_t.sql is applied on the base and edited here"
}

# Partitions, MariaDB's IF [NOT] EXISTS, views with DEFINER, SPATIAL keys,
# versioned comments...: read, none a parse-error or a replay conflict.
test_mysql_more_statements_read() {
    __mysql_project more p || return
    ml check --format gcc --fail-on none db
    expect_rc 0
    expect_no_out "[parse-error]"
    expect_no_out "[replay-conflict]"
}

# The parse-ahead worker translates MySQL too, with a grammar parser of its
# own that goes when the thread ends (LeakSanitizer watches).
test_mysql_parse_ahead_thread() {
    mkdir -p "$T/p/db" && cd "$T/p" && git_repo .
    printf '{ "dialect": "mysql" }\n' >.migralint.json
    local i
    for i in $(seq -w 1 24); do
        printf 'CREATE TABLE `t%s` (`id` int NOT NULL AUTO_INCREMENT PRIMARY KEY, `v` varchar(10));\nALTER TABLE `t%s` ADD INDEX `v_idx` (`v`), ALGORITHM=INPLACE, LOCK=NONE;\n' "$i" "$i" >"db/0$i.sql"
    done
    MIGRALINT_THREADS=2 ml schema db
    expect_rc 0
    [ -z "$ERR" ] || fail "stderr: ${ERR:0:600}"
    expect_eq 24 "$(grep -c '"kind"' <<<"$OUT")" "tables built with the parse-ahead thread"
}
