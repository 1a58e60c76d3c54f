# lib.sh - helpers for tests/t_*.sh (sourced by run.sh; see its header).
#
# ml ARGS...       runs migralint; sets $OUT, $ERR and $RC.
# expect_rc N      the last ml exit code was N.
# expect_out STR   / expect_err STR: stdout / stderr contains STR (fixed string).
# expect_no_out STR: stdout does not contain STR.
# expect_eq WANT GOT [WHAT]
# expect_findings EXPECTFILE ARGS...: runs `ml --format gcc ARGS` and compares
#                  the set of "line:col rule-id" (or "path:line:col rule-id"
#                  when the expect file has paths) with EXPECTFILE, which
#                  lists them by hand, one per line, '#' comments allowed.
# git_repo DIR     makes DIR a git repository with a test identity.
# drizzle_kit_install: the pinned drizzle-kit, once; sets $DRIZZLE_MODULES.
__failed=0
# migralint takes GitHub Actions' pull-request base as --base by default;
# the tests' repositories must not inherit the CI run's.
unset GITHUB_BASE_REF

fail() {
    echo "  assertion failed: $*"
    __failed=1
}

# A test that calls a function no file defines would pass without checking
# anything (bash prints "command not found" and goes on): tests/run.sh fails
# the test when this file is not empty. bash runs the handler in a subshell,
# hence a file rather than __failed.
command_not_found_handle() {
    echo "$1" >>"$T/.command-not-found"
    echo "bash: $1: command not found" >&2
    return 127
}

ml() {
    OUT=$("$MIGRALINT" "$@" 2>"$T/.stderr")
    RC=$?
    ERR=$(cat "$T/.stderr")
}

expect_rc() {
    [ "$RC" -eq "$1" ] || fail "exit code $RC, want $1 (stderr: ${ERR:0:400}) (stdout: ${OUT:0:400})"
}

expect_out() {
    grep -qF -- "$1" <<<"$OUT" || fail "stdout lacks '$1'; stdout was: ${OUT:0:1500}"
}

expect_no_out() {
    if grep -qF -- "$1" <<<"$OUT"; then fail "stdout has '$1'; stdout was: ${OUT:0:1500}"; fi
}

expect_err() {
    grep -qF -- "$1" <<<"$ERR" || fail "stderr lacks '$1'; stderr was: ${ERR:0:1500}"
}

expect_eq() {
    [ "$1" = "$2" ] || fail "${3:-value}: want '$1', got '$2'"
}

# Turns gcc-format output into sorted "line:col rule" (or with path) lines.
__gcc_to_set() {
    local with_path=$1
    sed -nE 's/^([^:]+):([0-9]+):([0-9]+): [a-z]+: .* \[([a-z0-9-]+)\]$/\1 \2:\3 \4/p' |
        if [ "$with_path" = 1 ]; then awk '{print $1":"$2" "$3}'; else awk '{print $2" "$3}'; fi |
        sort
}

expect_findings() {
    local expect=$1
    shift
    ml --format gcc "$@"
    local with_path=0
    grep -vE '^\s*(#|$)' "$expect" | head -1 | grep -qE '^[^ ]+:[0-9]+:[0-9]+ ' && with_path=1
    local want got
    want=$(grep -vE '^\s*(#|$)' "$expect" | sed 's/[[:space:]]*#.*$//' | sort)
    got=$(__gcc_to_set "$with_path" <<<"$OUT")
    if [ "$want" != "$got" ]; then
        fail "findings differ from $expect (args: $*)"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
        echo "    full output:"; echo "$OUT" | sed 's/^/      /' | head -40
    fi
}

git_repo() {
    mkdir -p "$1"
    git -C "$1" init -q -b main
    git -C "$1" config user.name "migralint tests"
    git -C "$1" config user.email "tests@migralint.invalid"
    git -C "$1" config commit.gpgsign false
}

# A golang-migrate repository $1 with users (email, name) and orders
# committed, and 000003 staged: it drops users.name, which only a replay of
# 000001 knows about (t_cache, t_layout_cache).
staged_drop_repo() {
    git_repo "$1"
    mkdir -p "$1/migrations"
    printf 'CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    email text,\n    name text\n);\n' \
        >"$1/migrations/000001_users.up.sql"
    printf 'DROP TABLE users;\n' >"$1/migrations/000001_users.down.sql"
    printf 'CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    user_id bigint\n);\n' \
        >"$1/migrations/000002_orders.up.sql"
    printf 'DROP TABLE orders;\n' >"$1/migrations/000002_orders.down.sql"
    git -C "$1" add -A
    git -C "$1" commit -qm "users and orders"
    printf 'ALTER TABLE users DROP COLUMN name;\n' >"$1/migrations/000003_drop_name.up.sql"
    printf 'ALTER TABLE users ADD COLUMN name text;\n' >"$1/migrations/000003_drop_name.down.sql"
    git -C "$1" add migrations/000003_drop_name.up.sql migrations/000003_drop_name.down.sql
}

DRIZZLE_KIT_VERSION=0.31.4
DRIZZLE_ORM_VERSION=0.44.5

# drizzle_kit_install: installs the pinned drizzle-kit and drizzle-orm once
# (cached under build/npm-drizzle, from the npm registry) and sets
# $DRIZZLE_MODULES; the drift tests use drizzle-kit as their oracle.
drizzle_kit_install() {
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

# expect_message WHERE RULE ERE: the gcc output has a RULE finding at WHERE
# (PATH:LINE:COL) whose line matches the extended regular expression ERE.
expect_message() {
    local where=$1 rule=$2 re=$3 lines
    lines=$(grep -F -- "[$rule]" <<<"$OUT" | awk -v w="$where: " 'index($0, w) == 1')
    grep -qE -- "$re" <<<"$lines" ||
        fail "no $rule finding at $where matching /$re/; there: ${lines:-nothing}"
}
