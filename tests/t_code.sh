# t_code.sh - code migrations end to end (issue 7): SQL inside TypeORM,
# Knex, node-pg-migrate, Alembic and Django migration files.
#
# fixtures/code/<framework>/ holds a project per framework, its migrations
# written the way the framework's generator writes them, and check.expect:
# every finding of `migralint check` as "PATH:LINE:COL rule-id", written by
# hand, each line and column pointing inside the host .ts/.js/.py file.
# fixtures/code/good/<framework>/ holds clean projects.

stage_code() {
    cp -R "$FIXTURES/code/$1/." "$T/" || exit 1
    cd "$T" || exit 1
}

check_code() {
    stage_code "$1"
    expect_findings "$FIXTURES/code/$1/check.expect" check "$2"
    expect_rc 1
}

test_code_typeorm_project() {
    check_code typeorm src/migrations
}

test_code_knex_project() {
    check_code knex migrations
    expect_err "migralint: note: migrations/20240302090000_orders_status_index.js:11: SQL built at run time is not linted"
    expect_err "migralint: note: migrations/20240304070000_orders_archive.js:12: SQL with knex bindings (?) is not linted"
}

test_code_node_pg_migrate_project() {
    check_code node-pg-migrate migrations
    expect_message migrations/1709539200000_invoices-due-on.js:6:9 down-does-not-reverse \
        'column invoices.due_on exists \(date\), was absent'
}

test_code_alembic_project() {
    check_code alembic alembic/versions
    expect_err "migralint: note: alembic/versions/0c4d5e6f7a8b_rename_accounts.py:34: SQL built at run time is not linted"
    expect_message alembic/versions/0c4d5e6f7a8b_rename_accounts.py:23:5 concurrent-in-transaction \
        'inside the BEGIN on line 21'
}

test_code_django_project() {
    check_code django shop/migrations
    expect_message shop/migrations/0002_remove_product_sku.py:19:9 drop-column 'shop_product\.sku'
    expect_message shop/migrations/0002_remove_product_sku.py:18:9 missing-down \
        'migration 0002_remove_product_sku\.py has no down step'
    # The help names Django's own way out, not a down file.
    ml check shop/migrations --format json
    jq -e '.[] | select(.rule == "missing-down") | .help | test("RunPython a reverse_code")' <<<"$OUT" >/dev/null ||
        fail "missing-down's help does not name RunPython's reverse_code: $OUT"
}

test_code_good_projects_are_clean() {
    local fw dir
    for fw in typeorm:migrations knex:migrations node-pg-migrate:migrations alembic:versions \
        django:blog/migrations; do
        dir=$FIXTURES/code/good/${fw%%:*}
        (cd "$dir" && "$MIGRALINT" check --format gcc "${fw#*:}") >"$T/out" 2>&1
        RC=$?
        [ "$RC" -eq 0 ] || fail "good ${fw%%:*} project: exit $RC: $(cat "$T/out")"
        [ ! -s "$T/out" ] || fail "good ${fw%%:*} project printed: $(cat "$T/out")"
    done
}

# The frameworks read and their order: Alembic follows down_revision, not
# the file names; Django knows RunPython without reverse_code has no down.
test_code_status_order() {
    stage_code alembic
    ml status alembic/versions
    expect_rc 0
    expect_eq "3f1c2a7b9d10 9b8e7d6c5a43 0c4d5e6f7a8b 5d6e7f8a9b0c" \
        "$(awk 'NR > 2 && NF > 2 && !/^target: / {print $1}' <<<"$OUT" | paste -sd' ')" "alembic order"
    expect_out "alembic/versions: alembic"
    cd "$T" && rm -rf ./* && stage_code django
    ml status shop/migrations
    expect_out "shop/migrations: django"
    expect_eq "0001:yes 0002:no 0003:yes 0004:yes 0005:yes" \
        "$(awk 'NR > 2 && NF > 2 && !/^target: / {print $1":"$(NF-1)}' <<<"$OUT" | paste -sd' ')" "django downs"
}

# The text reporter's code frame shows the host file's line and puts the
# caret under the offending text inside the string literal.
test_code_text_code_frame() {
    stage_code typeorm
    ml check --format text --no-color src/migrations/1700000100000-AddUserIndexes.ts
    expect_rc 1
    expect_out "   --> src/migrations/1700000100000-AddUserIndexes.ts:12:68"
    expect_out ' 12 |         await queryRunner.query("ALTER TABLE \"users\" DROP COLUMN \"name\"");'
    local caret
    caret=$(grep -A3 -F -- '--> src/migrations/1700000100000-AddUserIndexes.ts:12:68' <<<"$OUT" |
        tail -1)
    expect_eq "    |                                                                    ^^^^^^^^" \
        "$caret" "caret line under \\\"name\\\""
    expect_out "1 file checked"
}

# A single file is linted with its framework's transaction and down step.
test_code_single_file() {
    stage_code django
    grep -F 0003_product_price "$FIXTURES/code/django/check.expect" | grep -v '^#' >"$T/want"
    expect_eq 3 "$(wc -l <"$T/want" | tr -d ' ')" "0003 findings in check.expect"
    expect_findings "$T/want" check shop/migrations/0003_product_price.py
    expect_rc 1
}

# SARIF and JSON carry the same host positions.
test_code_sarif_and_json_positions() {
    stage_code knex
    ml check --format sarif migrations
    expect_out '"uri": "migrations/20240302090000_orders_status_index.js"'
    expect_out '"startLine": 6'
    expect_out '"startColumn": 19'
    ml check --format json migrations
    expect_out '"path": "migrations/20240302090000_orders_status_index.js"'
}

# A Knex project in a git repository, linted as a new user would: plain
# `migralint` in the repository finds migrations/ and reads the .js files.
test_code_git_repo_no_arguments() {
    git_repo "$T/repo"
    cp -R "$FIXTURES/code/knex/migrations" "$T/repo/" || exit 1
    cd "$T/repo" || exit 1
    git add migrations && git commit -qm "knex migrations" || exit 1
    expect_findings "$FIXTURES/code/knex/check.expect"
    expect_rc 1
}
