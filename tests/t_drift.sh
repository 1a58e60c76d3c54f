# t_drift.sh - `migralint drift`: ORM schemas (Drizzle, Prisma) and schema
# dumps compared with the schema the migrations build.
#
# The Drizzle tests use drizzle-kit itself as the oracle: for each folder
# under fixtures/drift/drizzle-*/ (a drizzle.config.ts and its schema
# files), `drizzle-kit generate` writes the migrations, and drift must find
# nothing; then edit.sed changes the schema by hand and drift must report
# exactly edited.expect. drizzle-kit and drizzle-orm come from the npm
# registry at pinned versions, installed once into build/npm-drizzle.

# Copies fixture folder $1 to $T/$2 as a git repository and generates its
# migrations with drizzle-kit.
__drizzle_project() {
    cp -R "$1" "$T/$2"
    cd "$T/$2" || return 1
    git_repo .
    rm -f edit.sed edited.expect
    ln -s "$DRIZZLE_MODULES" node_modules
    node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1 ||
        { fail "drizzle-kit generate failed in $1: $(tail -5 "$T/kit.log")"; return 1; }
}

test_drizzle_kit_migrations_show_no_drift() {
    drizzle_kit_install || return
    local dir n=0
    for dir in "$FIXTURES"/drift/drizzle-*/; do
        n=$((n + 1))
        __drizzle_project "${dir%/}" "p$n" || continue
        ml drift --format gcc --fail-on note
        [ "$RC" -eq 0 ] && [ -z "$OUT" ] ||
            fail "$(basename "$dir"): want no drift against drizzle-kit's migrations, got rc $RC: $OUT $ERR"
    done
    [ "$n" -ge 2 ] || fail "no drizzle fixtures"
}

test_drizzle_hand_edits_are_found_at_their_lines() {
    drizzle_kit_install || return
    local dir n=0 f
    for dir in "$FIXTURES"/drift/drizzle-*/; do
        n=$((n + 1))
        __drizzle_project "${dir%/}" "p$n" || continue
        for f in $(find . -name '*.ts' -not -path './node_modules/*' -not -name 'drizzle.config.ts'); do
            sed -i -f "$dir/edit.sed" "$f"
        done
        expect_findings "$dir/edited.expect" drift
        expect_rc 1
    done
}

# Every finding names both sides and carries the SQL that closes the gap.
test_drizzle_messages_and_help() {
    drizzle_kit_install || return
    __drizzle_project "$FIXTURES/drift/drizzle-full" p || return
    sed -i -f "$FIXTURES/drift/drizzle-full/edit.sed" src/db/schema.ts
    ml drift --format text --no-color
    expect_out "error[drift-column-type]: users.views is bigint in src/db/schema.ts, integer in the migrations"
    expect_out "help: ALTER TABLE users ALTER COLUMN views TYPE bigint;"
    expect_out "help: ALTER TABLE users ADD COLUMN nickname text;"
    expect_out "help: ALTER TYPE mood ADD VALUE 'angry';"
    expect_out "help: ALTER TABLE users ALTER COLUMN active SET DEFAULT false;"
    expect_out "help: declare it in src/db/schema.ts, or: DROP INDEX CONCURRENTLY users_name_idx;"
    ml drift --format json
    expect_out '"rule": "drift-missing-table"'
    ml drift --format sarif
    expect_out '"ruleId": "drift-foreign-key"'
}

# Copies fixtures/drift/prisma to $T/p as a git repository.
__prisma_project() {
    cp -R "$FIXTURES/drift/prisma" "$T/p"
    cd "$T/p" || return 1
    rm -f edit.sed edited.expect
    git_repo .
}

# Found with no arguments and no configuration: prisma/schema.prisma and
# prisma/migrations, migrations written the way `prisma migrate dev` writes them.
test_prisma_migrations_show_no_drift() {
    __prisma_project || return
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    # check runs drift too once it finds the schema beside the folder
    ml check --format gcc --fail-on note --disable-rule missing-lock-timeout prisma/migrations
    expect_rc 0
    expect_eq "" "$OUT" "check output"
}

test_prisma_hand_edits_are_found_at_their_lines() {
    __prisma_project || return
    sed -i -f "$FIXTURES/drift/prisma/edit.sed" prisma/schema.prisma
    expect_findings "$FIXTURES/drift/prisma/edited.expect" drift
    expect_rc 1
    expect_findings "$FIXTURES/drift/prisma/edited.expect" check --disable-rule missing-lock-timeout prisma/migrations
    ml drift --format text --no-color
    expect_out "foreign key Post (author_id) -> users(id) is ON DELETE SET NULL ON UPDATE CASCADE in prisma/schema.prisma, ON DELETE CASCADE ON UPDATE CASCADE in the migrations"
    expect_out 'help: CREATE INDEX CONCURRENTLY "Post_author_id_title_idx" ON "Post" (author_id, title);'
    # --disable-rule works for drift rules like for any other
    ml drift --format gcc --disable-rule drift-index --disable-rule drift-extra-column
    expect_no_out "drift-index"
    expect_out "drift-column-type"
}

test_drift_bad_usage() {
    __prisma_project || return
    ml drift prisma/migrations README.txt
    expect_rc 2
    echo x >notes.txt
    ml drift prisma/migrations notes.txt
    expect_rc 2
    expect_err "notes.txt: not a migrations folder nor a schema file"
    mkdir -p "$T/empty" && cd "$T/empty" || return
    git_repo .
    ml drift
    expect_rc 2
    expect_err "no migrations folder given and none found"
}

# A pg_dump --schema-only of a real PostgreSQL 15 that ran the migrations
# is a drift source: no drift, then a hand edit of the dump is found.
test_pg_dump_shows_no_drift() {
    source "$ROOT/tests/t_catalog_pg.sh"
    __pg_start || return
    __prisma_project || return
    local f
    for f in prisma/migrations/*/migration.sql; do
        psql -q -v ON_ERROR_STOP=1 -f "$f" >"$T/psql.log" 2>&1 || { fail "psql $f: $(cat "$T/psql.log")"; return; }
    done
    "$PG_BIN/pg_dump" --schema-only >dump.sql || { fail "pg_dump failed"; return; }
    grep -q "CREATE TABLE public.profiles" dump.sql || { fail "pg_dump wrote no profiles table: $(head -c 2000 dump.sql)"; return; }
    ml drift prisma/migrations dump.sql --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift against pg_dump"
    # bio widened in the dump only, an index dropped from the dump only
    local table_line
    table_line=$(grep -n '^CREATE TABLE public.profiles ($' dump.sql | cut -d: -f1)
    sed -i -e 's/bio character varying(500)/bio character varying(600)/' \
        -e '/^CREATE INDEX "Post_author_id_idx"/d' dump.sql
    printf '%s\n' "dump.sql:$table_line:1 drift-column-type" \
        "prisma/migrations/20240101000000_init/migration.sql:33:1 drift-index" >"$T/want"
    expect_findings "$T/want" drift prisma/migrations dump.sql
}

# "drift" in .migralint.json names the schema when nothing can be discovered.
test_drift_configured_in_migralint_json() {
    __prisma_project || return
    mkdir db && git mv -q prisma/migrations db/migrations 2>/dev/null || mv prisma/migrations db/migrations
    mv prisma/schema.prisma db/models.prisma
    ml drift
    expect_rc 2
    printf '{"drift": {"orm": "prisma", "schema": "db/models.prisma", "migrations": "db/migrations"}}\n' >.migralint.json
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/VarChar(255)/VarChar(256)/' db/models.prisma
    ml check --format gcc --disable-rule missing-lock-timeout db/migrations
    expect_rc 1
    expect_eq "db/models.prisma:14:3: error: users.email is character varying(256) in db/models.prisma, character varying(255) in the migrations [drift-column-type]" "$OUT"
    printf '{"drift": {"orm": "hibernate", "schema": "x"}}\n' >.migralint.json
    ml drift
    expect_rc 2
    expect_err '.migralint.json:1: "drift.orm" must be one of'
    printf '{"drift": {"orm": "prisma", "schema": "db/models.prisma", "colour": 1}}\n' >.migralint.json
    ml drift
    expect_rc 2
    expect_err 'unknown key "colour" in "drift"'
}

# A prisma/schema/ folder: models refer to models and enums of other files.
test_prisma_schema_folder() {
    __prisma_project || return
    mkdir prisma/schema
    # main.prisma: up to the Post model; posts.prisma: Post and Profile
    awk '/^model Post \{/ {f = 1} { print > (f ? "prisma/schema/posts.prisma" : "prisma/schema/main.prisma") }' prisma/schema.prisma
    rm prisma/schema.prisma
    sed -i 's/@map("created_at")/@map(name: "created_at")/' prisma/schema/main.prisma
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/^  title     String$/  title     String?/' prisma/schema/posts.prisma
    ml drift --format gcc
    expect_eq "prisma/schema/posts.prisma:3:3: warning: Post.title is nullable in prisma/schema/posts.prisma, NOT NULL in the migrations [drift-nullability]" "$OUT"
}
