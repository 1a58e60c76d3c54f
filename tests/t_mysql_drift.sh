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
