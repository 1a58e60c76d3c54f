# t_frameworks.sh - migration frameworks end to end (issue 4).
#
# fixtures/frameworks/<name>/ holds a small project per framework layout
# (golang-migrate, goose, dbmate, flyway, sqitch, diesel, prisma, drizzle,
# supabase, plain), with files named and written the way the framework's own
# generator writes them, good and bad migrations side by side, and
# check.expect: every finding of `migralint check` on the project's
# migrations folder, "PATH:LINE:COL rule-id", written by hand from rules/*.md
# and docs/layouts.md, with a comment saying why each is (or is not) there.
# fixtures/frameworks/reversal/ holds eighteen golang-migrate up/down pairs
# for down-does-not-reverse, ten of which really reverse.
#
# Each project is copied into $T (not a git repository, no .migralint.json)
# so paths are short and no configuration of this repository leaks in.
# The tests also cover `migralint status` (text and JSON), running with no
# arguments and no configuration as a new user would, two frameworks in one
# folder (an error), single files linted with their framework's sections and
# transactions, and files the framework itself refuses (findings, exit 1).

# Copies project $1 of fixtures/frameworks/ into $T and cds there.
stage() {
    cp -R "$FIXTURES/frameworks/$1/." "$T/" || exit 1
    cd "$T" || exit 1
}

# check_framework NAME FOLDER RC: `migralint check --format gcc FOLDER` on a
# copy of project NAME gives exactly NAME/check.expect and exits RC.
check_framework() {
    local name=$1 folder=$2 rc=$3
    stage "$name"
    expect_findings "$FIXTURES/frameworks/$name/check.expect" check "$folder"
    expect_rc "$rc"
}

# expect_findings_here EXPECTFILE: like expect_findings, for the gcc lines
# already in $OUT (from a run that was not `ml --format gcc ...`).
expect_findings_here() {
    local want got with_path=0
    grep -vE '^\s*(#|$)' "$1" | head -1 | grep -qE '^[^ ]+:[0-9]+:[0-9]+ ' && with_path=1
    want=$(grep -vE '^\s*(#|$)' "$1" | sed 's/[[:space:]]*#.*$//' | sort)
    got=$(__gcc_to_set "$with_path" <<<"$OUT")
    if [ "$want" != "$got" ]; then
        fail "findings differ from $1"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
        echo "    full output:"; echo "$OUT" | sed 's/^/      /' | head -40
    fi
}

# The text of `migralint status` with runs of blanks squeezed, so columns
# may widen without breaking the comparison.
# (without the "target: PostgreSQL ..." footer, tests/t_pg_version.sh's)
squeezed() {
    sed -E 's/^ +//; s/ +$//; s/ +/ /g' <<<"$OUT" | sed -e '/^$/{N;/\ntarget: /d;}'
}

# `migralint status --format json` as "folder framework version name path
# has_down risk" lines (python3, which scripts/setup.sh installs).
status_json_rows() {
    python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["folder"], r["framework"], r["version"], r["name"], r["path"],
          str(r["has_down"]).lower(), r["risk"])
' <<<"$OUT" || fail "status --format json is not a JSON array of migrations: ${OUT:0:400}"
}

# ---------------------------------------------------------------------------
# 1. One project per layout: exact findings and exit code.

test_golang_migrate_project() {
    check_framework golang-migrate migrations 1
}

test_goose_project() {
    check_framework goose db/migrations 1
}

test_dbmate_project() {
    check_framework dbmate db/migrations 1
}

test_flyway_project() {
    check_framework flyway src/main/resources/db/migration 1
}

test_flyway_without_undo_files_has_no_missing_down() {
    # Flyway Community has no undo: missing-down only when the project uses
    # U__ files at all.
    stage flyway
    rm src/main/resources/db/migration/U*.sql
    cat >"$T/no-undo.expect" <<'EOF'
src/main/resources/db/migration/V2__create_invoices.sql:1:1 missing-lock-timeout
src/main/resources/db/migration/V2_1__add_invoices_customer_index.sql:2:14 concurrent-in-transaction
EOF
    expect_findings "$T/no-undo.expect" check src/main/resources/db/migration
    expect_rc 1
}

test_sqitch_project() {
    check_framework sqitch db 1
}

test_sqitch_project_named_by_its_deploy_folder() {
    # docs/layouts.md: the parent holding sqitch.plan becomes the folder.
    check_framework sqitch db/deploy 1
}

test_diesel_project() {
    check_framework diesel migrations 1
}

test_prisma_project() {
    check_framework prisma prisma/migrations 1
    expect_no_out "[missing-down]"
    expect_no_out "[empty-down]"
}

test_drizzle_project() {
    check_framework drizzle drizzle 1
    expect_no_out "[missing-down]"
    expect_no_out "[empty-down]"
}

test_supabase_project() {
    check_framework supabase supabase/migrations 1
    expect_no_out "[missing-down]"
}

test_plain_project() {
    check_framework plain schema 1
    expect_no_out "[missing-down]"
}

test_down_steps_never_get_destructive_or_locking_findings() {
    # Every down step of these projects drops tables, columns, indexes or a
    # schema, or adds columns back without lock_timeout: none is reported.
    local name folder line
    for name in golang-migrate:migrations goose:db/migrations dbmate:db/migrations \
        sqitch:db diesel:migrations prisma:prisma/migrations reversal:migrations; do
        folder=${name#*:} name=${name%%:*}
        mkdir -p "$T/$name" && cp -R "$FIXTURES/frameworks/$name/." "$T/$name/"
        cd "$T/$name" || exit 1
        ml check --format gcc "$folder"
        while IFS= read -r line; do
            case "$line" in
            *down.sql:* | */revert/*) ;;
            *) continue ;;
            esac
            case "$line" in
            *"[down-does-not-reverse]" | *"[empty-down]" | *"[concurrent-in-transaction]") ;;
            *) fail "$name: a down step got $line" ;;
            esac
        done <<<"$OUT"
        cd "$T" || exit 1
    done
}

# ---------------------------------------------------------------------------
# 2. down-does-not-reverse on eighteen pairs, ten of which reverse.

test_down_does_not_reverse_pairs() {
    check_framework reversal migrations 1
    # rules/down-does-not-reverse.md: "table orders exists, was absent",
    # "column users.phone is character varying(20), was text": what the
    # object is after up and down, then what it was before up.
    local m=migrations
    expect_message "$m/02_create_coupons.down.sql:1:1" down-does-not-reverse \
        'table coupons exists, was absent'
    expect_message "$m/04_widen_users_phone_again.down.sql:1:1" down-does-not-reverse \
        'column users\.phone is character varying\(20\), was character varying\(32\)'
    expect_message "$m/06_add_users_phone_index.down.sql:1:1" down-does-not-reverse \
        'index users_phone_idx exists.*, was absent'
    expect_message "$m/08_add_users_names.down.sql:1:1" down-does-not-reverse \
        'column users\.last_name exists.*, was absent'
    # The down step of 09 forgot both NOT NULL and the default.
    expect_message "$m/09_drop_users_status.down.sql:1:1" down-does-not-reverse \
        "column users\.status is text, was text NOT NULL DEFAULT 'active'"
    expect_message "$m/12_add_users_email_check.down.sql:1:1" down-does-not-reverse \
        'constraint users_email_check .*exists.*, was absent'
    expect_message "$m/14_rename_orders_note.down.sql:1:1" down-does-not-reverse \
        'column orders\.notes exists.*, was absent'
    expect_message "$m/14_rename_orders_note.down.sql:1:1" down-does-not-reverse \
        'column orders\.note is absent, was text'
    expect_message "$m/15_drop_users_email_index.down.sql:1:1" down-does-not-reverse \
        'index users_email_idx .*lower\(email\).*, was .*\(email\)'
}

test_down_does_not_reverse_quiet_for_missing_or_empty_down() {
    # rules/down-does-not-reverse.md, "Quiet when": the migration has no down
    # step (missing-down covers that) or an empty one (empty-down): a zero-byte
    # file, only a comment, only BEGIN/COMMIT.
    mkdir -p migrations
    printf 'CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL);\n' \
        >migrations/000001_create_tags.up.sql
    printf -- '-- TODO\n' >migrations/000001_create_tags.down.sql
    printf 'CREATE TABLE labels (id bigint PRIMARY KEY);\n' >migrations/000002_create_labels.up.sql
    : >migrations/000002_create_labels.down.sql
    printf 'CREATE TABLE badges (id bigint PRIMARY KEY);\n' >migrations/000003_create_badges.up.sql
    printf 'BEGIN;\nCOMMIT;\n' >migrations/000003_create_badges.down.sql
    printf 'CREATE TABLE notes (id bigint PRIMARY KEY);\n' >migrations/000004_create_notes.up.sql
    cat >"$T/quiet.expect" <<'EOF'
migrations/000001_create_tags.down.sql:1:1 empty-down
migrations/000002_create_labels.down.sql:1:1 empty-down
migrations/000003_create_badges.down.sql:1:1 empty-down
migrations/000004_create_notes.up.sql:1:1 missing-down
EOF
    expect_findings "$T/quiet.expect" check migrations
    # Each up step creates a table its empty down step leaves: the next deploy
    # after a rollback fails, an error.
    expect_rc 1
    ml check --format gcc migrations
    expect_out "migrations/000002_create_labels.down.sql:1:1: error: the down step of migration 000002_create_labels.up.sql is empty, so re-applying the up step after a rollback fails: table labels already exists [empty-down]"
}

test_down_does_not_reverse_is_an_error_when_the_up_step_cannot_run_again() {
    stage reversal
    ml check --format gcc --disable-rule drop-column --disable-rule rename-column \
        --disable-rule rename-table migrations
    expect_rc 1
    # The down step leaves coupons: CREATE TABLE coupons fails on the next deploy.
    expect_out "migrations/02_create_coupons.down.sql:1:1: error: after up and down, table coupons exists, was absent, so re-applying the up step fails: table coupons already exists [down-does-not-reverse]"
    # varchar(20) where (32) was: the up step still runs, a warning.
    expect_out "migrations/04_widen_users_phone_again.down.sql:1:1: warning: after up and down, column users.phone"
    ml check --format gcc --disable-rule drop-column --disable-rule rename-column \
        --disable-rule rename-table --disable-rule empty-down --fail-on error \
        --disable-rule down-does-not-reverse migrations
    expect_rc 0
}

# ---------------------------------------------------------------------------
# 3. migralint status.

test_status_goose_text() {
    stage goose
    ml status db/migrations
    expect_rc 0
    # Risk from each migration's findings (src/rules/risk.h): critical for
    # concurrent-in-transaction and drop-table, medium for warnings only.
    expect_eq "db/migrations: goose
VERSION NAME DOWN RISK
20240105093000 create_users yes low
20240112141500 add_users_email_index yes low
20240120080000 create_posts yes low
20240201100000 add_posts_published_at_index yes critical
20240215120000 drop_user_sessions yes critical
20240301090000 add_users_locale no medium
20240310110000 backfill_display_names yes low
20240320143000 add_posts_slug yes medium" "$(squeezed)" "status of the goose folder"
}

test_status_goose_json() {
    stage goose
    ml status --format json db/migrations
    expect_rc 0
    local d=db/migrations
    expect_eq "$d goose 20240105093000 create_users $d/20240105093000_create_users.sql true low
$d goose 20240112141500 add_users_email_index $d/20240112141500_add_users_email_index.sql true low
$d goose 20240120080000 create_posts $d/20240120080000_create_posts.sql true low
$d goose 20240201100000 add_posts_published_at_index $d/20240201100000_add_posts_published_at_index.sql true critical
$d goose 20240215120000 drop_user_sessions $d/20240215120000_drop_user_sessions.sql true critical
$d goose 20240301090000 add_users_locale $d/20240301090000_add_users_locale.sql false medium
$d goose 20240310110000 backfill_display_names $d/20240310110000_backfill_display_names.sql true low
$d goose 20240320143000 add_posts_slug $d/20240320143000_add_posts_slug.sql true medium" \
        "$(status_json_rows)" "status --format json of the goose folder"
}

test_status_golang_migrate_text_and_json() {
    stage golang-migrate
    ml status migrations
    expect_rc 0
    expect_eq "migrations: golang-migrate
VERSION NAME DOWN RISK
000001 create_users_table yes low
000002 add_users_email_index yes low
000003 create_orders_table yes low
000004 add_orders_status_index yes critical
000005 add_users_phone no medium
000006 drop_users_name yes critical
000007 backfill_orders_status yes low
000008 add_orders_note yes low" "$(squeezed)" "status of the golang-migrate folder"

    ml status --format json migrations
    expect_rc 0
    local m=migrations
    expect_eq "$m golang-migrate 000001 create_users_table $m/000001_create_users_table.up.sql true low
$m golang-migrate 000002 add_users_email_index $m/000002_add_users_email_index.up.sql true low
$m golang-migrate 000003 create_orders_table $m/000003_create_orders_table.up.sql true low
$m golang-migrate 000004 add_orders_status_index $m/000004_add_orders_status_index.up.sql true critical
$m golang-migrate 000005 add_users_phone $m/000005_add_users_phone.up.sql false medium
$m golang-migrate 000006 drop_users_name $m/000006_drop_users_name.up.sql true critical
$m golang-migrate 000007 backfill_orders_status $m/000007_backfill_orders_status.up.sql true low
$m golang-migrate 000008 add_orders_note $m/000008_add_orders_note.up.sql true low" \
        "$(status_json_rows)" "status --format json of the golang-migrate folder"
}

test_status_plain_folder_says_no_framework() {
    stage plain
    ml status schema
    expect_rc 0
    # non-concurrent-index is an error of the locking kind: high.
    expect_eq "schema: no framework detected, plain SQL files in name order
VERSION NAME DOWN RISK
001 create_accounts - low
002 index_accounts_plan - high
003 index_accounts_name - low" "$(squeezed)" "status of the plain folder"
    ml status --format json schema
    expect_eq "schema plain 001 create_accounts schema/001_create_accounts.sql false low
schema plain 002 index_accounts_plan schema/002_index_accounts_plan.sql false high
schema plain 003 index_accounts_name schema/003_index_accounts_name.sql false low" \
        "$(status_json_rows)" "status --format json of the plain folder"
}

test_status_prisma_shows_down_only_where_a_down_sql_exists() {
    stage prisma
    ml status prisma/migrations
    expect_rc 0
    expect_eq "prisma/migrations: prisma
VERSION NAME DOWN RISK
20240105093000 init - low
20240112141500 add_posts yes medium
20240120080000 add_post_published_index - low
20240201100000 drop_user_name yes critical
20240215120000 add_user_role - medium" "$(squeezed)" "status of the prisma folder"
}

# ---------------------------------------------------------------------------
# 4. A new user: a fresh repository, no configuration, no arguments.

test_new_user_goose_needs_no_configuration() {
    mkdir -p "$T/shop" && cp -R "$FIXTURES/frameworks/goose/db" "$T/shop/"
    git_repo "$T/shop"
    cd "$T/shop" || exit 1
    git add -A && git commit -qm "goose migrations"
    ml
    expect_rc 1
    expect_eq "" "$ERR" "stderr of migralint with no arguments"
    expect_findings_here "$FIXTURES/frameworks/goose/check.expect"
    ml status
    expect_rc 0
    expect_eq "" "$ERR" "stderr of migralint status"
    expect_eq "db/migrations: goose" "$(head -1 <<<"$OUT")" "status header"
    expect_eq 12 "$(wc -l <<<"$OUT" | tr -d ' ')" "status lines (header, column titles, 8 migrations, blank, target)"
}

test_new_user_golang_migrate_needs_no_configuration() {
    mkdir -p "$T/api" && cp -R "$FIXTURES/frameworks/golang-migrate/migrations" "$T/api/"
    git_repo "$T/api"
    cd "$T/api" || exit 1
    git add -A && git commit -qm "golang-migrate migrations"
    ml
    expect_rc 1
    expect_eq "" "$ERR" "stderr of migralint with no arguments"
    expect_findings_here "$FIXTURES/frameworks/golang-migrate/check.expect"
    ml status
    expect_rc 0
    expect_eq "" "$ERR" "stderr of migralint status"
    expect_eq "migrations: golang-migrate" "$(head -1 <<<"$OUT")" "status header"
    expect_eq 12 "$(wc -l <<<"$OUT" | tr -d ' ')" "status lines (header, column titles, 8 migrations, blank, target)"
}

# ---------------------------------------------------------------------------
# 5. Two frameworks in one folder.

test_two_frameworks_in_one_folder_is_an_error() {
    mkdir -p migrations
    printf 'CREATE TABLE users (id bigint PRIMARY KEY);\n' >migrations/1_users.up.sql
    printf 'DROP TABLE users;\n' >migrations/1_users.down.sql
    printf -- '-- +goose Up\nCREATE TABLE orders (id bigint PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE orders;\n' \
        >migrations/2_orders.sql
    local cmd
    for cmd in check status; do
        ml "$cmd" --format gcc migrations
        expect_rc 3
        expect_err "migrations"
        grep -qE 'golang-migrate \(([^)]*, )?1_users\.up\.sql(, [^)]*)?\)' <<<"$ERR" ||
            fail "$cmd: stderr does not list 1_users.up.sql under golang-migrate: $ERR"
        grep -qE 'golang-migrate \(([^)]*, )?1_users\.down\.sql(, [^)]*)?\)' <<<"$ERR" ||
            fail "$cmd: stderr does not list 1_users.down.sql under golang-migrate: $ERR"
        grep -qE 'goose \(2_orders\.sql\)' <<<"$ERR" ||
            fail "$cmd: stderr does not list 2_orders.sql (alone) under goose: $ERR"
        expect_no_out "[drop-table]"
    done
}

# ---------------------------------------------------------------------------
# 6. A single file on the command line keeps its framework's sections.

test_single_goose_file_down_section_is_a_down_step() {
    stage goose
    # The Down section's DROP COLUMN (line 8) is neither drop-column nor
    # missing-lock-timeout: only the BEGIN nested in goose's transaction.
    cat >"$T/slug.expect" <<'EOF'
2:1 transaction-nesting
EOF
    expect_findings "$T/slug.expect" check db/migrations/20240320143000_add_posts_slug.sql
    expect_rc 0
}

test_single_goose_file_keeps_goose_transactions() {
    stage goose
    cat >"$T/concurrently.expect" <<'EOF'
# goose wraps both sections in a transaction
2:14 concurrent-in-transaction
5:12 concurrent-in-transaction
EOF
    expect_findings "$T/concurrently.expect" check \
        db/migrations/20240201100000_add_posts_published_at_index.sql
    expect_rc 1
    # ... unless the file says NO TRANSACTION.
    : >"$T/empty.expect"
    expect_findings "$T/empty.expect" check db/migrations/20240112141500_add_users_email_index.sql
    expect_rc 0
}

test_single_goose_file_without_down_section() {
    stage goose
    cat >"$T/locale.expect" <<'EOF'
2:1 missing-down
2:1 missing-lock-timeout
EOF
    expect_findings "$T/locale.expect" check db/migrations/20240301090000_add_users_locale.sql
    expect_rc 0
}

test_single_golang_migrate_down_file_is_a_down_step() {
    stage golang-migrate
    : >"$T/empty.expect"
    # DROP TABLE in a down file: not drop-table.
    expect_findings "$T/empty.expect" check migrations/000001_create_users_table.down.sql
    expect_rc 0
    # ADD COLUMN of an existing table in a down file: not missing-lock-timeout.
    expect_findings "$T/empty.expect" check migrations/000006_drop_users_name.down.sql
    expect_rc 0
}

test_single_golang_migrate_up_file_keeps_the_implicit_transaction() {
    stage golang-migrate
    cat >"$T/status_index.expect" <<'EOF'
2:14 concurrent-in-transaction
EOF
    expect_findings "$T/status_index.expect" check migrations/000004_add_orders_status_index.up.sql
    expect_rc 1
    : >"$T/empty.expect"
    expect_findings "$T/empty.expect" check migrations/000002_add_users_email_index.up.sql
    expect_rc 0
}

test_single_diesel_files_keep_their_migration() {
    stage diesel
    : >"$T/empty.expect"
    # down.sql on its own is still a down step: DROP TABLE there is quiet.
    expect_findings "$T/empty.expect" check migrations/2024-01-05-093000_create_posts/down.sql
    expect_rc 0
    # up.sql on its own still runs in diesel's transaction...
    cat >"$T/published.expect" <<'EOF'
1:14 concurrent-in-transaction
EOF
    expect_findings "$T/published.expect" check \
        migrations/2024-01-20-080000_add_posts_published_index/up.sql
    expect_rc 1
    # ... and still has no down.sql next to it.
    cat >"$T/body.expect" <<'EOF'
1:1 missing-down
1:1 missing-lock-timeout
1:31 drop-column
EOF
    expect_findings "$T/body.expect" check migrations/2024-02-01-100000_drop_posts_body/up.sql
    expect_rc 1
}

test_single_sqitch_revert_script_is_a_down_step() {
    stage sqitch
    : >"$T/empty.expect"
    # revert/users.sql drops the table deploy/users.sql creates: quiet.
    expect_findings "$T/empty.expect" check db/revert/users.sql
    expect_rc 0
}

test_single_prisma_migration_keeps_the_implicit_transaction() {
    stage prisma
    # Prisma sends migration.sql as one query string: CONCURRENTLY after
    # another statement runs in an implicit transaction, whether the folder
    # or the file alone is linted.
    mkdir -p prisma/migrations/20240301090000_add_post_title_index
    printf 'SET lock_timeout = '\''2s'\'';\nCREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title");\n' \
        >prisma/migrations/20240301090000_add_post_title_index/migration.sql
    ml check --format gcc prisma/migrations
    expect_out "prisma/migrations/20240301090000_add_post_title_index/migration.sql:2:14: error: "
    cat >"$T/title.expect" <<'EOF'
2:14 concurrent-in-transaction
EOF
    expect_findings "$T/title.expect" check \
        prisma/migrations/20240301090000_add_post_title_index/migration.sql
    expect_rc 1
}

# ---------------------------------------------------------------------------
# A file the framework itself refuses is a finding at its file and line
# (invalid-migration-file), the rest of the folder still linted; a folder
# the framework cannot read at all (a Drizzle journal naming a missing file)
# is an input error (exit 3). See tests/t_layout_real.sh.

test_files_the_framework_refuses_are_input_errors() {
    mkdir -p goose dbmate drizzle/meta
    printf -- '-- +goose Up\nCREATE TABLE a (id bigint);\n-- +goose Up\nCREATE TABLE b (id bigint);\n' \
        >goose/20240105093000_create_a.sql
    ml check --format gcc goose
    expect_rc 1
    expect_out "goose/20240105093000_create_a.sql:3:1: error: a second '-- +goose Up' annotation"
    printf -- '-- migrate:up\nCREATE TABLE a (id bigint);\n' >dbmate/20240105093000_create_a.sql
    ml check --format gcc dbmate
    expect_rc 1
    expect_out "dbmate/20240105093000_create_a.sql:1:1: error: no '-- migrate:down' line"
    expect_out "dbmate requires each migration to define a down block with '-- migrate:down'"
    printf '{"version":"7","dialect":"postgresql","entries":[
  {"idx":0,"version":"7","when":1704447000000,"tag":"0000_careful_thor","breakpoints":true},
  {"idx":1,"version":"7","when":1705069500000,"tag":"0001_slow_venom","breakpoints":true}]}\n' \
        >drizzle/meta/_journal.json
    printf 'CREATE TABLE "users" ("id" serial PRIMARY KEY NOT NULL);\n' >drizzle/0000_careful_thor.sql
    ml check --format gcc drizzle
    expect_rc 3
    expect_err "drizzle/meta/_journal.json:3:"
    expect_err "0001_slow_venom"
}
