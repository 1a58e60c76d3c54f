# t_mysql_drift.sh - `migralint drift` on MySQL: Drizzle mysql-core schemas
# and Prisma with provider = "mysql", against the schema their MySQL
# migrations build (replayed by the MySQL front end, src/mysql).
#
# drizzle-kit is the oracle for Drizzle: for each fixtures/drift/mysql-drizzle-*/
# (a drizzle.config.ts with dialect "mysql" and its schema files),
# `drizzle-kit generate` writes the MySQL migrations and drift must find
# nothing; then edit.sed changes the schema by hand and drift must report
# exactly edited.expect (rule, file, line and column), and migration.sed
# (where there is one) changes the generated migration by hand and drift
# must report exactly migration.expect.

# Copies fixture folder $1 to $T/$2 as a git repository and generates its
# MySQL migrations with drizzle-kit.
__mysql_drizzle_project() {
    cp -R "$1" "$T/$2"
    cd "$T/$2" || return 1
    git_repo .
    rm -f edit.sed edited.expect migration.sed migration.expect
    ln -s "$DRIZZLE_MODULES" node_modules
    node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1 ||
        { fail "drizzle-kit generate failed in $1: $(tail -5 "$T/kit.log")"; return 1; }
}

__schema_files() {
    find . -name '*.ts' -not -path './node_modules/*' -not -name 'drizzle.config.ts'
}

test_mysql_drizzle_kit_migrations_show_no_drift() {
    drizzle_kit_install || return
    local dir n=0
    for dir in "$FIXTURES"/drift/mysql-drizzle-*/; do
        n=$((n + 1))
        __mysql_drizzle_project "${dir%/}" "p$n" || continue
        ml drift --format gcc --fail-on note
        [ "$RC" -eq 0 ] && [ -z "$OUT" ] ||
            fail "$(basename "$dir"): want no drift against drizzle-kit's MySQL migrations, got rc $RC: $OUT $ERR"
    done
    [ "$n" -ge 2 ] || fail "no mysql drizzle fixtures"
}

test_mysql_drizzle_schema_edits_are_found_at_their_lines() {
    drizzle_kit_install || return
    local dir n=0 f
    for dir in "$FIXTURES"/drift/mysql-drizzle-*/; do
        n=$((n + 1))
        __mysql_drizzle_project "${dir%/}" "p$n" || continue
        for f in $(__schema_files); do
            sed -i -f "$dir/edit.sed" "$f"
        done
        expect_findings "$dir/edited.expect" drift
        expect_rc 1
    done
}

test_mysql_drizzle_migration_edits_are_found_at_their_lines() {
    drizzle_kit_install || return
    local dir=$FIXTURES/drift/mysql-drizzle-full
    __mysql_drizzle_project "$dir" p || return
    sed -i -f "$dir/migration.sed" drizzle/0000_init.sql
    expect_findings "$dir/migration.expect" drift
    expect_rc 1
}

# Every finding names both sides in MySQL's types; help is MySQL's SQL.
test_mysql_drizzle_messages_and_help() {
    drizzle_kit_install || return
    __mysql_drizzle_project "$FIXTURES/drift/mysql-drizzle-full" p || return
    sed -i -f "$FIXTURES/drift/mysql-drizzle-full/edit.sed" src/db/schema.ts
    ml drift --format text --no-color
    expect_out "error[drift-column-type]: users.views is bigint in src/db/schema.ts, int in the migrations"
    expect_out "help: ALTER TABLE users MODIFY COLUMN views bigint DEFAULT 0 NOT NULL; -- or change src/db/schema.ts to int"
    expect_out "users.role is enum('admin','member','guest','owner') in src/db/schema.ts, enum('admin','member','guest') in the migrations"
    expect_out "help: ALTER TABLE users MODIFY COLUMN name varchar(100) NOT NULL;"
    expect_out "help: ALTER TABLE users ADD COLUMN nickname varchar(50);"
    expect_out "help: declare it in src/db/schema.ts, or: DROP INDEX users_name_idx ON users;"
    expect_out "help: CREATE INDEX orders_user_idx ON orders (user_id, status) ALGORITHM=INPLACE LOCK=NONE;"
    expect_out "help: ALTER TABLE orders DROP FOREIGN KEY orders_user_id_users_id_fk; ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;"
    expect_no_out "CONCURRENTLY"
    expect_no_out "character varying"
}

# The MySQL schema's serial and AUTO_INCREMENT columns: a type change's
# MODIFY keeps AUTO_INCREMENT (MySQL drops what MODIFY leaves out).
test_mysql_modify_keeps_auto_increment() {
    drizzle_kit_install || return
    __mysql_drizzle_project "$FIXTURES/drift/mysql-drizzle-full" p || return
    sed -i 's/    id: int("id").primaryKey().autoincrement(),/    id: bigint("id", { mode: "number" }).primaryKey().autoincrement(),/' src/db/schema.ts
    ml drift --format text --no-color
    expect_out "orders.id is bigint in src/db/schema.ts, int in the migrations"
    expect_out "help: ALTER TABLE orders MODIFY COLUMN id bigint NOT NULL AUTO_INCREMENT;"
}

# A pg-core schema that imports a stray builder from mysql-core (seen in real
# projects) stays PostgreSQL's: still no drift against drizzle-kit's output.
test_mysql_core_import_alone_is_not_mysql() {
    drizzle_kit_install || return
    cp -R "$FIXTURES/drift/drizzle-casing" "$T/p" && cd "$T/p" || return
    git_repo .
    rm -f edit.sed edited.expect
    ln -s "$DRIZZLE_MODULES" node_modules
    local f
    f=$(__schema_files | head -1)
    sed -i '1i import { int } from "drizzle-orm/mysql-core";' "$f"
    node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1 || { fail "drizzle-kit: $(tail -5 "$T/kit.log")"; return; }
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
}

# drizzle.config.ts is found whatever its dialect: MySQL is compared (the
# tests above); a dialect migralint does not read is said, not "not found".
test_mysql_drift_discovery_other_dialect() {
    mkdir -p "$T/s/drizzle" "$T/s/src" && cd "$T/s" || return
    git_repo .
    printf 'import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "sqlite", schema: "./src/schema.ts", out: "./drizzle" });\n' >drizzle.config.ts
    echo 'export const x = 1;' >src/schema.ts
    echo 'CREATE TABLE `t` (`id` integer PRIMARY KEY);' >drizzle/0000_init.sql
    ml drift
    expect_rc 2
    expect_err "drizzle.config.ts: dialect 'sqlite' is not one migralint reads (postgresql, mysql)"
    # said once, though the root is looked at before the walk and by it
    expect_eq 1 "$(grep -c "dialect 'sqlite'" <<<"$ERR")" "times the dialect is named"
}

__mysql_prisma_project() {
    cp -R "$FIXTURES/drift/mysql-prisma" "$T/p"
    cd "$T/p" || return 1
    rm -f edit.sed edited.expect
    git_repo .
}

# Found with no arguments: prisma/schema.prisma (provider "mysql") and
# prisma/migrations, written the way `prisma migrate dev` writes them.
test_mysql_prisma_migrations_show_no_drift() {
    __mysql_prisma_project || return
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
}

test_mysql_prisma_hand_edits_are_found_at_their_lines() {
    __mysql_prisma_project || return
    sed -i -f "$FIXTURES/drift/mysql-prisma/edit.sed" prisma/schema.prisma
    expect_findings "$FIXTURES/drift/mysql-prisma/edited.expect" drift
    expect_rc 1
    ml drift --format text --no-color
    expect_out "User.email is varchar(320) in prisma/schema.prisma, varchar(191) in the migrations"
    expect_out "help: ALTER TABLE \`User\` MODIFY COLUMN email varchar(320) NOT NULL;"
}

# The nightly workflow's drift step (github-action/run.sh, command: drift) on
# a MySQL Drizzle project: clean, then a hand edit fails the job with the
# finding in the job summary.
test_mysql_nightly_drift_step() {
    drizzle_kit_install || return
    __mysql_drizzle_project "$FIXTURES/drift/mysql-drizzle-full" p || return
    git add -A && git commit -qm init
    mkdir -p "$T/tmp"
    local env=(GITHUB_ACTIONS=true GITHUB_EVENT_NAME=schedule GITHUB_WORKSPACE="$PWD"
        GITHUB_STEP_SUMMARY="$T/summary.md" GITHUB_OUTPUT="$T/output.txt" RUNNER_TEMP="$T/tmp"
        MIGRALINT="$MIGRALINT" INPUT_COMMAND=drift INPUT_FAIL_ON=warning)
    : >"$T/summary.md" && : >"$T/output.txt"
    OUT=$(env "${env[@]}" bash "$ROOT/github-action/run.sh" 2>"$T/.stderr")
    RC=$?
    expect_rc 0
    grep -qx 'findings=0' "$T/output.txt" || fail "outputs: $(cat "$T/output.txt")"
    sed -i -f "$FIXTURES/drift/mysql-drizzle-full/edit.sed" src/db/schema.ts
    : >"$T/summary.md" && : >"$T/output.txt"
    OUT=$(env "${env[@]}" bash "$ROOT/github-action/run.sh" 2>"$T/.stderr")
    RC=$?
    expect_rc 1
    expect_out "::error file=src/db/schema.ts,line=33,col=5,"
    grep -qF '| 33 | error | [`drift-column-type`]' "$T/summary.md" || fail "summary: $(cat "$T/summary.md")"
    grep -qx 'findings=9' "$T/output.txt" || fail "outputs: $(cat "$T/output.txt")"
}

# `.unique()` beside a uniqueIndex() on the same column: MySQL keeps both
# (drizzle-kit writes both), so dropping one of them is drift.
test_mysql_duplicate_unique_index_dropped() {
    drizzle_kit_install || return
    cp -R "$FIXTURES/drift/mysql-drizzle-full" "$T/p" && cd "$T/p" || return
    git_repo .
    ln -s "$DRIZZLE_MODULES" node_modules
    sed -i 's/  (t) => \[index("users_name_idx").on(t.name)\],/  (t) => [index("users_name_idx").on(t.name), uniqueIndex("users_email_uq").on(t.email)],/' src/db/schema.ts
    node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1 || { fail "drizzle-kit: $(tail -5 "$T/kit.log")"; return; }
    ml drift --format gcc --fail-on note
    expect_rc 0
    sed -i 's/    email: varchar("email", { length: 255 }).notNull().unique(),/    email: varchar("email", { length: 255 }).notNull(),/' src/db/schema.ts
    ml drift --format gcc
    expect_rc 0 # a warning
    expect_out "warning: unique index users_email_unique on users (email) is created by the migrations but not declared in src/db/schema.ts [drift-index]"
}

# Older drizzle-kit projects: drizzle.config.json, `driver: "mysql2"` for
# the dialect; a SQLite driver is said like a SQLite dialect.
test_mysql_drift_json_config_and_driver() {
    drizzle_kit_install || return
    __mysql_drizzle_project "$FIXTURES/drift/mysql-drizzle-full" p || return
    rm drizzle.config.ts
    printf '{\n  "out": "./drizzle",\n  "schema": "./src/db/schema.ts",\n  "driver": "mysql2"\n}\n' >drizzle.config.json
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i -f "$FIXTURES/drift/mysql-drizzle-full/edit.sed" src/db/schema.ts
    expect_findings "$FIXTURES/drift/mysql-drizzle-full/edited.expect" drift
    sed -i 's/"mysql2"/"better-sqlite"/' drizzle.config.json
    ml drift
    expect_rc 2
    expect_err "drizzle.config.json: dialect 'sqlite' is not one migralint reads (postgresql, mysql)"
}

# A mysqldump --no-data file is a drift source too: told MySQL by its
# backquoted names and read by the MySQL front end; no drift against the
# Prisma migrations, then a hand edit of the dump is found at its line.
test_mysql_dump_is_a_drift_source() {
    __mysql_prisma_project || return
    ml drift --format gcc --fail-on note prisma/migrations schema-dump.sql
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/  `label` varchar(40)/  `label` varchar(64)/' schema-dump.sql
    ml drift --format gcc prisma/migrations schema-dump.sql
    expect_rc 1
    expect_out "schema-dump.sql:54:1: error: Tag.label is varchar(64) in schema-dump.sql, varchar(40) in the migrations [drift-column-type]"
}
