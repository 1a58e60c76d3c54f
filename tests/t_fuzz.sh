# t_fuzz.sh - replays what the fuzzers (fuzz/) and the PostgreSQL regression
# corpus (fuzz/pg_regress.sh) once broke, through the ASan+UBSan binary, the
# way a user would meet each input. fixtures/fuzz/NAME/ holds the inputs of
# target NAME; each must end in a documented exit code with no sanitizer
# report.

# Fails on an exit code outside 0..3 or a sanitizer report.
__expect_survived() {
    local what=$1
    case "$RC" in 0 | 1 | 2 | 3) ;; *) fail "$what: exit code $RC: ${ERR:0:1500}" ;; esac
    if grep -qE 'Sanitizer|runtime error:' <<<"$ERR"; then
        fail "$what: sanitizer report: ${ERR:0:1500}"
    fi
}

test_fuzz_check_regressions() {
    local f n=0
    for f in "$FIXTURES"/fuzz/check/*; do
        mkdir -p migrations
        cp "$f" migrations/0001_input.sql
        for fmt in gcc json sarif; do
            ml check --format "$fmt" --fail-on none migrations/0001_input.sql
            __expect_survived "$(basename "$f") ($fmt)"
        done
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || fail "no inputs in fixtures/fuzz/check"
}

test_fuzz_circular_partition_is_a_replay_conflict_not_a_hang() {
    ml check --format gcc --fail-on none "$FIXTURES/fuzz/check/circular-partition.sql"
    expect_rc 0
    __expect_survived circular-partition.sql
}

test_fuzz_layout_regressions() {
    local f fw n=0
    for f in "$FIXTURES"/fuzz/layout/*; do
        [ -e "$f" ] || continue
        for fw in goose dbmate; do
            rm -rf db && mkdir -p db/migrations
            cp "$f" db/migrations/20240101120000_input.sql
            printf '{"migrations": [{"path": "db/migrations", "framework": "%s"}]}\n' "$fw" >cfg.json
            ml check --config cfg.json --format gcc --fail-on none db/migrations
            __expect_survived "$(basename "$f") ($fw)"
        done
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || fail "no inputs in fixtures/fuzz/layout"
}

test_fuzz_config_regressions() {
    local f n=0
    mkdir -p migrations
    printf 'SELECT 1;\n' >migrations/0001_a.sql
    for f in "$FIXTURES"/fuzz/config/*; do
        ml check --config "$f" --format gcc migrations
        __expect_survived "$(basename "$f")"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || fail "no inputs in fixtures/fuzz/config"
}

test_fuzz_config_many_duplicate_migrations_keys() {
    # cJSON keeps duplicate keys; 40 "migrations" strings overran the table.
    {
        printf '{'
        for i in $(seq 40); do printf '"migrations": "m%d", ' "$i"; done
        printf '"pgVersion": 15}\n'
    } >cfg.json
    ml check --config cfg.json --format gcc
    expect_rc 2
    expect_err 'too many folders'
    __expect_survived cfg.json
}

# fuzz_orm's inputs: the first byte picks the extractor (extractors.def order),
# the rest is the schema file drift reads.
test_fuzz_orm_regressions() {
    local f n=0 orms=(drizzle prisma sqlalchemy django typeorm activerecord gorm)
    local paths=(db/schema.ts db/schema.prisma db/models.py db/models.py db/entities.ts
        db/schema.rb db/models.go)
    mkdir -p db/migrations
    printf 'CREATE TABLE t (id int);\n' >db/migrations/0001_init.sql
    for f in "$FIXTURES"/fuzz/orm/*; do
        local k=$(($(od -An -tu1 -N1 "$f") % 7))
        tail -c +2 "$f" >"${paths[k]}"
        printf '{"drift": {"orm": "%s", "schema": "%s", "migrations": "db/migrations"}}\n' \
            "${orms[k]}" "${paths[k]}" >.migralint.json
        ml drift --format gcc
        __expect_survived "$(basename "$f") (${orms[k]})"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || fail "no inputs in fixtures/fuzz/orm"
}

# fuzz_code's inputs: the first byte picks the framework (fuzz_code.c's
# table), the rest is one migration file of it.
test_fuzz_code_regressions() {
    local f n=0 fws=(typeorm knex node-pg-migrate alembic django)
    local dirs=(src/migrations migrations migrations alembic/versions shop/migrations)
    local names=(1700000000000-Input.ts 20240101120000_input.js 1700000000000_input.js
        a1b2c3d4e5f6_input.py 0001_input.py)
    for f in "$FIXTURES"/fuzz/code/*; do
        [ -e "$f" ] || continue
        local k=$(($(od -An -tu1 -N1 "$f") % 5))
        rm -rf src migrations alembic shop && mkdir -p "${dirs[k]}"
        tail -c +2 "$f" >"${dirs[k]}/${names[k]}"
        printf '{"migrations": [{"path": "%s", "framework": "%s"}]}\n' "${dirs[k]}" "${fws[k]}" >cfg.json
        ml check --config cfg.json --format gcc --fail-on none "${dirs[k]}"
        __expect_survived "$(basename "$f") (${fws[k]})"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || [ ! -d "$FIXTURES/fuzz/code" ] || fail "no inputs in fixtures/fuzz/code"
}

# fuzz_lsp's inputs are the server's whole stdin.
test_fuzz_lsp_regressions() {
    local f
    for f in "$FIXTURES"/fuzz/lsp/*; do
        [ -e "$f" ] || continue
        OUT=$(timeout 60 "$MIGRALINT" lsp <"$f" 2>"$T/.stderr")
        RC=$? ERR=$(cat "$T/.stderr")
        __expect_survived "$(basename "$f")"
    done
}
