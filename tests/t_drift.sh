# t_drift.sh - `migralint drift`: ORM schemas (Drizzle, Prisma) and schema
# dumps compared with the schema the migrations build.
#
# The Drizzle tests use drizzle-kit itself as the oracle: for each folder
# under fixtures/drift/drizzle-*/ (a drizzle.config.ts and its schema
# files), `drizzle-kit generate` writes the migrations, and drift must find
# nothing; then edit.sed changes the schema by hand and drift must report
# exactly edited.expect. drizzle-kit and drizzle-orm come from the npm
# registry at pinned versions, installed once into build/npm-drizzle.

DRIZZLE_KIT_VERSION=0.31.4
DRIZZLE_ORM_VERSION=0.44.5

# Installs the pinned drizzle-kit once (cached under build/).
__drizzle_kit() {
    local dir=$ROOT/build/npm-drizzle
    if [ ! -x "$dir/node_modules/.bin/drizzle-kit" ] ||
        ! grep -q "\"version\": \"$DRIZZLE_KIT_VERSION\"" "$dir/node_modules/drizzle-kit/package.json"; then
        mkdir -p "$dir"
        [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
        npm install --prefix "$dir" --no-audit --no-fund --silent \
            "drizzle-kit@$DRIZZLE_KIT_VERSION" "drizzle-orm@$DRIZZLE_ORM_VERSION" >"$T/npm.log" 2>&1 || {
            fail "npm install drizzle-kit failed: $(tail -5 "$T/npm.log")"
            return 1
        }
    fi
    DRIZZLE_MODULES=$dir/node_modules
}

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
    __drizzle_kit || return
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
    __drizzle_kit || return
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
    __drizzle_kit || return
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
