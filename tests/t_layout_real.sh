# t_layout_real.sh - folders read as their framework reads them (issue 17):
# a file the framework refuses is a finding, not the end of the run; a
# byte-order mark is stripped or reported as each framework does; Flyway
# baseline migrations; X.up.sql / X.down.sql pairs of a project's own
# runner; discovery of numbered SQL folders anywhere in the repository.
# Fixtures: fixtures/layout_real/, modelled on real projects' folders.

# Copies fixtures/layout_real/$1 into $T and cds there.
stage_real() {
    cp -R "$FIXTURES/layout_real/$1/." "$T/" || exit 1
    cd "$T" || exit 1
}

# The gcc output has no byte-order mark (nor any other invisible U+FEFF).
expect_no_bom_in_output() {
    if printf '%s' "$OUT$ERR" | grep -q $'\xef\xbb\xbf'; then
        fail "the output carries a byte-order mark: $OUT"
    fi
}

# ---------------------------------------------------------------------------
# Item: one refused file does not stop the folder (exit 1, not 3).

test_dbmate_indented_down_marker_is_a_finding_and_the_rest_is_linted() {
    stage_real dbmate_indented
    ml check --format gcc db/migrations
    expect_rc 1
    expect_out "db/migrations/20240106100000_create_orders.sql:7:5: error: the '-- migrate:down' marker on line 7 is indented: dbmate only sees markers at the start of a line, finds no down block and refuses this file [invalid-migration-file]"
    # The migration after it is still linted, on a schema that has orders.
    expect_out "db/migrations/20240107110000_add_order_total.sql:2:45: error: adding column orders.total as NOT NULL"
    expect_no_out "replay-conflict"
    [ -z "$ERR" ] || fail "stderr: $ERR"
}

test_goose_and_sqitch_refusals_are_findings() {
    mkdir -p goose sq/deploy sq/revert
    printf -- '-- +goose Up\nCREATE TABLE a (id bigint);\n' >goose/00001_a.sql
    printf -- 'CREATE TABLE b (id bigint);\n-- +goose Down\nDROP TABLE b;\n' >goose/00002_b.sql
    printf -- '-- +goose Up\nALTER TABLE a ADD COLUMN n int NOT NULL;\n' >goose/00003_n.sql
    ml check --format gcc goose
    expect_rc 1
    expect_out "goose/00002_b.sql:1:1: error: no '-- +goose Up' annotation"
    expect_out "goose/00003_n.sql:2:"
    printf '%%syntax-version=1.0.0\n%%project=x\n\na 2024-01-01T00:00:00Z Ann <ann@example.com> # a\nb [a] 2024-01-02T00:00:00Z Ann <ann@example.com> # b\nc [b] 2024-01-03T00:00:00Z Ann <ann@example.com> # c\n' >sq/sqitch.plan
    printf 'BEGIN;\nCREATE TABLE a (id bigint);\nCOMMIT;\n' >sq/deploy/a.sql
    printf 'BEGIN;\nALTER TABLE a ADD COLUMN n int NOT NULL;\nCOMMIT;\n' >sq/deploy/c.sql
    ml check --format gcc sq
    expect_rc 1
    expect_out "sq/sqitch.plan:5:1: error: change \"b\" has no deploy/b.sql"
    expect_out "sq/deploy/c.sql:2:"
}

# ---------------------------------------------------------------------------
# Item: a UTF-8 byte-order mark, read as each framework reads it.

test_bom_golang_migrate_is_reported_at_1_1_by_name() {
    stage_real bom
    ml check --format gcc golang-migrate
    expect_rc 1
    expect_out "golang-migrate/000001_create_users.up.sql:1:1: error: the file starts with a UTF-8 byte-order mark; golang-migrate sends the file's text as it is, and PostgreSQL rejects it: syntax error at line 1 [invalid-migration-file]"
    expect_out "golang-migrate/000002_add_name.down.sql:1:1: error: the file starts with a UTF-8 byte-order mark"
    expect_no_out "parse-error"
    # The rest of the file is read: the replay has users, and columns are
    # counted without the mark.
    expect_out "golang-migrate/000002_add_name.up.sql:1:40: error: adding column users.name as NOT NULL"
    expect_no_bom_in_output
    ml check --format json golang-migrate
    grep -q '"help": *"save the file as UTF-8 without a byte-order mark' <<<"$OUT" ||
        fail "no help naming the fix: $OUT"
}

test_bom_flyway_is_stripped_silently_with_right_columns() {
    stage_real bom
    ml check --format gcc flyway
    expect_rc 1
    expect_no_out "invalid-migration-file"
    expect_no_out "parse-error"
    expect_out "flyway/V2__add_name.sql:1:40: error: adding column users.name as NOT NULL"
    expect_out "flyway/V2__add_name.sql:1:1: warning:"
    expect_no_bom_in_output
}

test_bom_goose_and_dbmate_refuse_the_file() {
    stage_real bom
    ml check --format gcc goose
    expect_rc 1
    expect_out "goose/00001_create_users.sql:1:1: error: the file starts with a UTF-8 byte-order mark; goose does not strip it"
    ml check --format gcc dbmate
    expect_rc 1
    expect_out "dbmate/20240105093000_create_users.sql:1:1: error: the file starts with a UTF-8 byte-order mark; dbmate does not strip it"
    expect_no_out "parse-error"
    expect_no_bom_in_output
}

test_bom_plain_file_is_read_as_psql_reads_it() {
    mkdir -p db/init
    printf '\xef\xbb\xbfCREATE TABLE t (id bigint, n int);\nALTER TABLE t ALTER COLUMN n SET NOT NULL;\n' >db/init/001_t.sql
    ml check --format gcc db/init
    expect_no_out "parse-error"
    expect_no_out "invalid-migration-file"
    expect_no_bom_in_output
}

# ---------------------------------------------------------------------------
# Item: Flyway baseline migrations (B<version>__desc.sql).

test_flyway_baseline_starts_the_replay_and_hides_what_it_stands_for() {
    stage_real flyway_baseline
    local dir=src/main/resources/db/migration
    ml check --format gcc $dir
    expect_rc 1
    expect_no_out "migration-filename"
    # V1 and V2 are below the baseline: Flyway never runs them on an empty
    # database, so V2's NOT NULL column is not a finding...
    expect_no_out "V2__purchase.sql"
    # ...and V3 is linted on the schema B2 built.
    expect_out "$dir/V3__purchase_total.sql:1:54: error: adding column purchase.total as NOT NULL"
    expect_no_out "replay-conflict"
    ml status $dir
    expect_rc 0
    grep -qE '^  1 +init +no +low +below baseline \(not replayed\)$' <<<"$OUT" || fail "status: $OUT"
    grep -qE '^  2 +purchase +no +low +below baseline \(not replayed\)$' <<<"$OUT" || fail "status: $OUT"
    grep -qE '^  2 +baseline +no +low *$' <<<"$OUT" || fail "status: $OUT"
    grep -qE '^  3 +purchase_total ' <<<"$OUT" || fail "status: $OUT"
    ml schema $dir
    expect_out '"public.customer_totals"'
    grep -q '"email"' <<<"$OUT" || fail "schema lacks customer.email: $OUT"
}

# ---------------------------------------------------------------------------
# Item: X.up.sql / X.down.sql pairs of a project's own runner.

test_up_down_pairs_outside_golang_migrate_are_paired() {
    stage_real updown_pairs
    ml check --format gcc db/migrations
    expect_rc 1 # the down step of add-display-name breaks the next deploy
    # A down file is its up file's down step: never linted as a forward
    # migration (DROP TABLE account would be drop-table), never replayed
    # before its up.
    expect_no_out "[drop-table]"
    expect_no_out "[drop-column]"
    expect_no_out "replay-conflict"
    expect_out "db/migrations/2023-02-11-add-display-name.down.sql:1:1: error: after up and down, column account.display_name exists (text), was absent, so re-applying the up step fails: column display_name of table account already exists [down-does-not-reverse]"
    expect_no_out "2023-01-05-add-account.down.sql"
    expect_no_out "add_session.down.sql"
    ml status db/migrations
    grep -qE '^  20230105 +add-account +yes ' <<<"$OUT" || fail "status: $OUT"
    grep -qE '^  20230211 +add-display-name +yes ' <<<"$OUT" || fail "status: $OUT"
    grep -qE '^  - +add_session +yes ' <<<"$OUT" || fail "status: $OUT"
    [ "$(grep -c '\.down' <<<"$OUT")" = 0 ] || fail "a down file listed as a migration: $OUT"
    # A down file without its up is stray, not a migration.
    printf 'DROP TABLE gone;\n' >db/migrations/2023-03-01-gone.down.sql
    ml check --format gcc db/migrations
    expect_out "db/migrations/2023-03-01-gone.down.sql:1:1: warning: db/migrations/2023-03-01-gone.down.sql is not a migration: a down file without 2023-03-01-gone.up.sql [migration-filename]"
}

# ---------------------------------------------------------------------------
# Item: discovery of numbered SQL folders anywhere in the repository.

# A repository shaped like the real ones: a docker-entrypoint init folder,
# a database/ folder of numbered files, seeds and vendored packages that
# must not be taken.
discovery_repo() {
    git_repo repo
    mkdir -p repo/db/init repo/database repo/db/seeds repo/node_modules/pkg/migrations \
        repo/services/api/sql/schema
    printf 'CREATE TABLE account (id bigint PRIMARY KEY);\n' >repo/db/init/001_account.sql
    printf 'ALTER TABLE account ADD COLUMN email text NOT NULL;\n' >repo/db/init/002_email.sql
    printf 'CREATE TABLE item (id bigint PRIMARY KEY);\n' >repo/database/0001-item.sql
    printf 'CREATE INDEX item_id ON item (id);\n' >repo/database/0002-item-index.sql
    printf 'INSERT INTO account VALUES (1);\n' >repo/db/seeds/001_account.sql
    printf 'INSERT INTO account VALUES (2);\n' >repo/db/seeds/002_account.sql
    printf 'DROP TABLE everything;\n' >repo/node_modules/pkg/migrations/001_x.sql
    printf 'SELECT 1;\n' >repo/services/api/sql/schema/report.sql # one unnumbered query
}

test_no_arguments_finds_numbered_sql_folders_anywhere() {
    discovery_repo
    cd repo || return
    ml check --format gcc
    expect_rc 1
    expect_out "db/init/002_email.sql:1:"
    expect_out "database/0002-item-index.sql:1:1: "
    expect_no_out "seeds"
    expect_no_out "node_modules"
    expect_err "migralint: no PATHS given: linting database (plain), found by a walk of the repository"
    expect_err "migralint: no PATHS given: linting db/init (plain)"
    # What the config says wins: no walk.
    printf '{"migrations": [{"path": "database"}]}\n' >.migralint.json
    ml check --format gcc
    expect_no_out "db/init"
    [ -z "$ERR" ] || fail "stderr with a config: $ERR"
}

test_init_writes_numbered_sql_folders_into_the_config() {
    discovery_repo
    cd repo || return
    ml init
    expect_rc 0
    expect_out "found plain migrations in database"
    expect_out "found plain migrations in db/init"
    expect_no_out "seeds"
    local got
    got=$(grep -v '^[[:space:]]*//' .migralint.json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["migrations"])')
    expect_eq "[{'path': 'database', 'framework': 'plain'}, {'path': 'db/init', 'framework': 'plain'}]" "$got" "migrations"
}

# oracle17 F5 (beeeon): sqitch reads deploy/, revert/ and verify/ only; the
# project's pgTAP tests and saved queries beside them are not stray.
test_sqitch_files_outside_its_folders_are_not_stray() {
    mkdir -p pgsql/deploy pgsql/revert pgsql/verify pgsql/test pgsql/queries
    printf '%%syntax-version=1.0.0\n%%project=x\n\na 2024-01-01T00:00:00Z Ann <ann@example.com> # a\n' >pgsql/sqitch.plan
    printf 'BEGIN;\nCREATE TABLE a (id bigint);\nCOMMIT;\n' >pgsql/deploy/a.sql
    printf 'BEGIN;\nDROP TABLE a;\nCOMMIT;\n' >pgsql/revert/a.sql
    printf 'SELECT id FROM a WHERE false;\n' >pgsql/verify/a.sql
    printf 'SELECT plan(1);\nSELECT has_table(%s);\n' "'a'" >pgsql/test/t1.sql
    printf 'SELECT count(*) FROM a;\n' >pgsql/queries/count.sql
    printf 'SELECT 1;\n' >pgsql/deploy/forgotten.sql
    ml check --format gcc pgsql
    expect_no_out "test/t1.sql"
    expect_no_out "queries/count.sql"
    expect_out "pgsql/deploy/forgotten.sql:1:1: warning: pgsql/deploy/forgotten.sql is not a migration: not a script of a change in sqitch.plan [migration-filename]"
}

# fider: N_x.up.sql beside numbered N_y.sql and no .down.sql. golang-migrate
# would skip every N_y.sql; the project's own runner (dbx.Migrate) runs all
# of them in name order, each in a transaction. Read as plain.
test_up_files_beside_numbered_sql_files_are_one_plain_sequence() {
    stage_real own_runner
    ml check --format gcc migrations
    expect_no_out "migration-filename"
    expect_no_out "missing-down"
    # The .sql files are migrations: linted, and replayed (logs exists).
    expect_out "migrations/201807122132_add_log_level.sql:1:39: error: adding column logs.level as NOT NULL"
    ml status migrations
    expect_out "migrations: no framework detected, plain SQL files in name order"
    grep -qE '^  201701261850 +create_tenants ' <<<"$OUT" || fail "status: $OUT"
    grep -qE '^  201806191904 +create_logs ' <<<"$OUT" || fail "status: $OUT"
    ml schema migrations
    expect_out '"public.logs"'
}

# supabase/postgres: migrations/ holds schema dumps and tests beside the
# real folders, migrations/db/init-scripts (numbered) and
# migrations/db/migrations (dbmate). Linting migrations/ whole as plain gave
# 163 replay conflicts; the folders inside it are the migrations.
test_well_known_folder_that_only_holds_migrations_folders() {
    git_repo repo
    cd repo || return
    mkdir -p migrations/db/init-scripts migrations/db/migrations migrations/tests/database
    printf 'CREATE TABLE public.t (id int);\n' >migrations/schema.sql
    printf 'CREATE SCHEMA auth;\n' >migrations/db/init-scripts/00000000000000-initial-schema.sql
    printf 'CREATE TABLE auth.users (id uuid PRIMARY KEY);\n' >migrations/db/init-scripts/00000000000001-auth-schema.sql
    printf -- '-- migrate:up\nALTER TABLE auth.users ADD COLUMN email text NOT NULL;\n\n-- migrate:down\n' \
        >migrations/db/migrations/20211115181400_update-auth-permissions.sql
    printf 'SELECT plan(1);\n' >migrations/tests/database/001-test.sql
    printf 'SELECT plan(2);\n' >migrations/tests/database/002-test.sql
    ml check --format gcc
    expect_no_out "replay-conflict"
    expect_no_out "migrations/schema.sql"
    expect_no_out "tests/"
    expect_out "migrations/db/migrations/20211115181400_update-auth-permissions.sql:2:"
    expect_err "linting migrations/db/init-scripts (plain)"
    expect_err "linting migrations/db/migrations (dbmate)"
    ml init
    expect_out "found plain migrations in migrations/db/init-scripts"
    expect_out "found dbmate migrations in migrations/db/migrations"
    expect_no_out "migrations/tests"
}
