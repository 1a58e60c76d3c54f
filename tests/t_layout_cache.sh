# t_layout_cache.sh - the layout kept between --staged runs
# (src/engine/layout_cache.c): a warm run takes the folder's migration set
# from the cache when the folder's index listing (paths and blob ids), the
# config file and the binary are those it was kept under, reads only the
# texts it lints, and reports exactly what --no-cache reports. Each input
# changed in turn must make the run build the layout again. run.sh points
# XDG_CACHE_HOME at a folder of the test's own.

# The run ml just made took the kept layout.
expect_kept() {
    expect_err "migrations: layout from the cache"
}

expect_not_kept() {
    if grep -qF 'layout from the cache' <<<"$ERR"; then fail "$1: kept layout used: $ERR"; fi
}

# Runs --staged without the cache, then twice with it (the first keeps the
# layout, the second takes it): the findings and stderr of all three the same
# but for -v's lines.
expect_warm_as_no_cache() {
    ml --staged --format gcc --no-cache "$@"
    local want=$OUT want_err want_rc=$RC
    want_err=$(grep -v 'from the cache' <<<"$ERR")
    ml --staged --format gcc -v "$@"
    expect_not_kept "${1:-first run}"
    ml --staged --format gcc -v "$@"
    expect_kept
    expect_eq "$want" "$OUT" "findings from the kept layout"
    expect_eq "$want_rc" "$RC" "exit code from the kept layout"
    expect_eq "$want_err" "$(grep -v 'from the cache\|judged from' <<<"$ERR")" "stderr from the kept layout"
}

# After the change the test made: one run builds the layout again (the
# findings those of --no-cache), the next takes the one it kept.
expect_rebuilt_after_change() {
    ml --staged --format gcc --no-cache
    local want=$OUT
    ml --staged --format gcc -v
    expect_not_kept "$1"
    expect_eq "$want" "$OUT" "findings after $1"
    ml --staged --format gcc -v
    expect_kept
    expect_eq "$want" "$OUT" "findings from the layout kept after $1"
}

test_layout_kept_and_findings_as_without_cache() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    expect_out "migrations/000003_drop_name.up.sql:1:31: error: dropping column users.name [drop-column]"
    # One file per folder, beside the replay cache's entries.
    expect_eq 1 "$(find "$XDG_CACHE_HOME/migralint" -maxdepth 1 -name 'layout-*' | wc -l)" "layout files"
    # Nothing staged: no lint, nothing read.
    git commit -qm "drop name"
    ml --staged --format gcc -v
    expect_rc 0
}

# `migralint schema --staged` replays every migration into one catalog: a
# layout a check run kept must not hand it stand-ins in place of texts.
test_schema_after_a_kept_layout_is_the_schema_without_cache() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    ml schema --staged --no-cache
    expect_out '"public.orders"'
    local want=$OUT
    ml schema --staged -v
    expect_rc 0
    expect_eq "$want" "$OUT" "schema after a check kept the layout"
    ml schema --staged -v
    expect_eq "$want" "$OUT" "schema on a second run"
}

test_layout_not_kept_after_a_file_is_added() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    printf 'ALTER TABLE orders DROP COLUMN user_id;\n' >migrations/000004_user_id.up.sql
    printf 'ALTER TABLE orders ADD COLUMN user_id bigint;\n' >migrations/000004_user_id.down.sql
    git add migrations
    expect_rebuilt_after_change "an added migration"
    expect_out "dropping column orders.user_id"
}

test_layout_not_kept_after_a_file_is_removed() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    git rm -q --cached migrations/000002_orders.down.sql
    expect_rebuilt_after_change "a removed file"
}

# A rename keeps every blob id and, here, the order of the listing: only
# the paths say what changed.
test_layout_not_kept_after_a_file_is_renamed() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    git mv migrations/000003_drop_name.up.sql migrations/000003_dropname.up.sql
    git mv migrations/000003_drop_name.down.sql migrations/000003_dropname.down.sql
    expect_rebuilt_after_change "a rename"
    expect_out "migrations/000003_dropname.up.sql:1:31: error: dropping column users.name"
    # Renamed out of order: 000009 runs after 000002 now.
    git mv migrations/000001_users.up.sql migrations/000009_users.up.sql
    git mv migrations/000001_users.down.sql migrations/000009_users.down.sql
    expect_rebuilt_after_change "a rename that reorders"
}

# An edit keeps every path: only the blob id says where goose's Down is.
test_layout_not_kept_after_a_file_is_edited() {
    git_repo r
    cd r || exit 1
    mkdir -p db
    printf -- '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, name text);\n-- +goose Down\nDROP TABLE users;\n' \
        >db/001_users.sql
    git add -A && git commit -qm users
    printf -- '-- +goose Up\nALTER TABLE users DROP COLUMN name;\n-- +goose Down\nALTER TABLE users ADD COLUMN name text;\n' \
        >db/002_drop.sql
    git add db
    ml --staged --format gcc --no-cache db
    local want=$OUT
    ml --staged --format gcc -v db
    ml --staged --format gcc -v db
    expect_err "db: layout from the cache"
    expect_eq "$want" "$OUT" "goose findings from the kept layout"
    # The Down marker moves up: the whole file is the down step now.
    printf -- '-- +goose Up\n-- +goose Down\nALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUMN name text;\n' \
        >db/002_drop.sql
    git add db
    ml --staged --format gcc --no-cache db
    want=$OUT
    ml --staged --format gcc -v db
    if grep -qF 'layout from the cache' <<<"$ERR"; then fail "kept layout used after an edit: $ERR"; fi
    expect_eq "$want" "$OUT" "goose findings after the edit"
    expect_no_out "dropping column users.name"
}

test_layout_not_kept_after_the_config_changes() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    # Plain: each .down.sql is a migration of its own, replayed in name order.
    printf '{"migrations": [{"path": "migrations", "framework": "plain"}]}\n' >.migralint.json
    expect_rebuilt_after_change "a config change"
}

# Another build of migralint (here: a copy, another inode) may lay out
# differently; the version of the cache's format is in the key the same way.
# Another build of migralint at $1: a copy of the binary; under `make
# valgrind`, whose MIGRALINT is a wrapper script, a copy of the binary the
# wrapper runs, behind a copy of the wrapper (a copied wrapper alone runs
# the same binary, which must find its layout).
other_binary() {
    if [ "$(head -c 2 "$MIGRALINT")" != "#!" ]; then
        cp "$MIGRALINT" "$1"
        return
    fi
    local real
    real=$(sed -n 's/.* "\([^"]*\)" "\$@"$/\1/p' "$MIGRALINT")
    [ -x "$real" ] || fail "cannot find the binary $MIGRALINT runs"
    cp "$real" "$1.bin"
    sed "s|\"$real\"|\"$1.bin\"|" "$MIGRALINT" >"$1"
    chmod +x "$1"
}

test_layout_not_kept_for_another_binary() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    other_binary "$T/other-migralint"
    local want=$OUT
    OUT=$("$T/other-migralint" --staged --format gcc -v 2>"$T/.stderr")
    ERR=$(cat "$T/.stderr")
    expect_not_kept "another binary"
    expect_eq "$want" "$OUT" "findings of another binary"
}

test_layout_file_corrupt_or_of_another_key_is_ignored() {
    staged_drop_repo r
    cd r || exit 1
    expect_warm_as_no_cache
    local want=$OUT f
    f=$(find "$XDG_CACHE_HOME/migralint" -maxdepth 1 -name 'layout-*' | head -1)
    [ -n "$f" ] || fail "no layout file"
    head -c 120 "$f" >"$f.cut" && mv "$f.cut" "$f"
    ml --staged --format gcc -v
    expect_not_kept "a truncated file"
    expect_eq "$want" "$OUT" "findings with a truncated layout file"
    ml --staged --format gcc -v
    expect_kept
    # The file of another listing (of as many files, 000003 renamed since)
    # put back: its key is not the listing's.
    cp "$f" "$T/layout-before"
    git mv migrations/000003_drop_name.up.sql migrations/000003_dropname.up.sql
    git mv migrations/000003_drop_name.down.sql migrations/000003_dropname.down.sql
    ml --staged --format gcc --no-cache
    want=$OUT
    ml --staged --format gcc -v
    ml --staged --format gcc -v
    expect_kept
    cp "$T/layout-before" "$f"
    ml --staged --format gcc -v
    expect_not_kept "another key"
    expect_eq "$want" "$OUT" "findings with another key's layout"
}

# What the kept layout's run must still read: a staged stray file (linted),
# the first SQL files (the dialect: MySQL here) and goose's files whose up
# step is part of the file (the replay cache's key hashes that part).
test_layout_kept_reads_strays_dialect_and_parts() {
    staged_drop_repo r
    cd r || exit 1
    printf 'SELECT 1;\n' >migrations/seed.sql
    git add migrations/seed.sql
    expect_warm_as_no_cache
    expect_out "migrations/seed.sql"
    cd .. && git_repo my && cd my || exit 1
    mkdir -p migrations
    printf 'CREATE TABLE `users` (id bigint PRIMARY KEY, name text) ENGINE=InnoDB;\n' >migrations/000001_users.up.sql
    printf 'DROP TABLE `users`;\n' >migrations/000001_users.down.sql
    git add -A && git commit -qm users
    printf 'ALTER TABLE `users` DROP COLUMN name;\n' >migrations/000002_drop.up.sql
    printf 'ALTER TABLE `users` ADD COLUMN name text;\n' >migrations/000002_drop.down.sql
    git add migrations
    expect_warm_as_no_cache
    expect_out "lock_wait_timeout" # MySQL's lock advice, not PostgreSQL's
    cd .. && git_repo g && cd g || exit 1
    mkdir -p migrations
    printf -- '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, name text);\n-- +goose Down\nDROP TABLE users;\n' \
        >migrations/001_users.sql
    git add -A && git commit -qm users
    printf -- '-- +goose Up\nALTER TABLE users DROP COLUMN name;\n-- +goose Down\nALTER TABLE users ADD COLUMN name text;\n' \
        >migrations/002_drop.sql
    git add migrations
    expect_warm_as_no_cache
    expect_out "dropping column users.name"
}
