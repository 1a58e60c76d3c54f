# t_drift_js.sh - `migralint drift` on what real Drizzle, Prisma and
# TypeORM projects write: constructs the extractors skip (left out of the
# comparison on both sides), declarations they must not drop silently,
# and discovery. Drizzle fixtures use drizzle-kit itself as the oracle
# (pinned, installed once into build/npm-drizzle, as tests/t_drift.sh).

DRIZZLE_KIT_VERSION=0.31.4
DRIZZLE_ORM_VERSION=0.44.5

__js_drizzle_kit() {
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

# Copies fixtures/drift/js/$1 to $T/p as a git repository; with a second
# argument (the config's folder), generates its migrations with drizzle-kit.
__js_project() {
    cp -R "$FIXTURES/drift/js/$1" "$T/p"
    cd "$T/p" || return 1
    git_repo .
    rm -f ./*.expect ./*.sed
    [ -n "${2:-}" ] || return 0
    (
        cd "$2" || exit 1
        ln -s "$DRIZZLE_MODULES" node_modules
        node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1
    ) || { fail "drizzle-kit generate failed: $(tail -5 "$T/kit.log")"; return 1; }
}

# Enum labels from a constant array or Object.values(enum) are read; what
# is computed in code (labels from .map(), a default from a call, a custom
# type, sql`...` index keys) is a note and nothing else.
test_drizzle_skipped_parts_are_not_compared() {
    __js_drizzle_kit || return
    __js_project drizzle-skipped . || return
    expect_findings "$FIXTURES/drift/js/drizzle-skipped/skipped.expect" drift
    expect_rc 0
    # the constant array is read: a label added to it is drift
    sed -i 's/"member", "guest"\]/"member", "guest", "owner"]/' src/schema.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "src/schema.ts:13:21: warning: enum role is ('admin', 'member', 'guest', 'owner')"
}
