# t_init.sh - `migralint init`: a starter .migralint.json from the folders
# it finds, never overwriting one without --force.

init_repo() {
    git_repo repo
    mkdir -p repo/db/migrations repo/prisma/migrations/20240101120000_init repo/sql \
        repo/node_modules/pkg/migrations
    printf -- '-- +goose Up\nCREATE TABLE a (id bigint);\n-- +goose Down\nDROP TABLE a;\n' \
        >repo/db/migrations/20240101000000_a.sql
    echo 'CREATE TABLE b (id bigint);' >repo/prisma/migrations/20240101120000_init/migration.sql
    echo 'SELECT 1;' >repo/sql/report.sql # plain SQL, not named like migrations
    echo 'CREATE TABLE c (id bigint);' >repo/node_modules/pkg/migrations/001_c.sql
}

# The file without its // comment lines, for JSON tools.
strip_comments() {
    grep -v '^[[:space:]]*//' "$1"
}

test_init_writes_detected_folders() {
    init_repo
    mkdir -p repo/db/migrations/sub && cd repo/db/migrations/sub || return
    ml init
    expect_rc 0
    expect_eq "found goose migrations in db/migrations
found prisma migrations in prisma/migrations
wrote $T/repo/.migralint.json:" "$(head -3 <<<"$OUT")" "init's report"
    [ -f "$T/repo/.migralint.json" ] || fail "no .migralint.json at the repository root"
    expect_eq "$(tail -n +4 <<<"$OUT")" "$(cat "$T/repo/.migralint.json")" "printed text = file"
    local got
    got=$(strip_comments "$T/repo/.migralint.json" |
        python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["migrations"], c["pgVersion"], c["failOn"], c["rules"])')
    expect_eq "[{'path': 'db/migrations', 'framework': 'goose'}, {'path': 'prisma/migrations', 'framework': 'prisma'}] 17 error {}" "$got" "config"
    # the schema that ships with migralint accepts it
    strip_comments "$T/repo/.migralint.json" >"$T/plain.json"
    python3 - "$ROOT/migralint.schema.json" "$T/plain.json" <<'PY' || fail "schema validation"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[2])))
PY
    # and migralint reads it: `check` with no PATHS lints both folders
    cd "$T/repo" || return
    ml check --format gcc
    expect_rc 0
    ml status
    expect_out "db/migrations: goose"
    expect_out "prisma/migrations: prisma"
}

test_init_refuses_to_overwrite() {
    init_repo
    cd repo || return
    echo '{"pgVersion": 13}' >.migralint.json
    ml init
    expect_rc 2
    expect_err "$T/repo/.migralint.json already exists; not overwriting it (use --force)"
    expect_eq '{"pgVersion": 13}' "$(cat .migralint.json)" "untouched"
    ml init --force --pg-version 14
    expect_rc 0
    expect_out '"pgVersion": 14,'
    grep -q '"framework": "goose"' .migralint.json || fail "not rewritten"
}

test_init_without_migrations() {
    git_repo repo
    cd repo || return
    ml init
    expect_rc 0
    expect_out 'no migrations folder found: list yours under "migrations"'
    expect_out '"migrations": [],'
    ml init extra
    expect_rc 2
    expect_err "init takes no paths"
}
