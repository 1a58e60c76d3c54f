# t_cache.sh - the replay cache behind --staged (src/engine/cache.c): a second
# run loads the schema of the migrations it only replays instead of parsing
# them again, reports exactly what a run without the cache reports, and never
# trusts an entry whose inputs changed. run.sh points XDG_CACHE_HOME at a
# folder of the test's own.

entries() {
    find "$XDG_CACHE_HOME/migralint" -maxdepth 1 -type f -name '????????????????????????????????????????' 2>/dev/null | wc -l
}

DROP_NAME="migrations/000003_drop_name.up.sql:1:31: error: dropping column users.name [drop-column]"

test_cache_second_run_loads_and_reports_the_same() {
    staged_drop_repo r
    cd r || exit 1
    expect_eq 0 "$(entries)" "entries before the first run"
    ml --staged --format gcc -v
    expect_rc 1
    expect_out "$DROP_NAME"
    local first=$OUT
    expect_eq 1 "$(entries)" "entries after the first run"
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "the first run claims a cache hit: $ERR"; fi
    ml --staged --format gcc -v
    expect_rc 1
    expect_eq "$first" "$OUT" "second run's findings"
    expect_err "migrations: the first 2 migrations replayed from the cache"
    # Nothing was written into the repository.
    expect_eq "" "$(git status --porcelain --untracked-files=all | grep -v '^A  migrations/000003')" "git status"
}

test_cache_entry_depends_on_every_replayed_blob() {
    staged_drop_repo r
    cd r || exit 1
    ml --staged --format gcc
    expect_out "$DROP_NAME"
    expect_no_out "[replay-conflict]"
    # users loses its name column in an earlier, committed migration: the
    # cached schema (which has users.name) must not be used any more.
    printf 'CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    email text\n);\n' \
        >migrations/000001_users.up.sql
    git commit -qm "users without name" migrations/000001_users.up.sql
    ml --staged --format gcc -v
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "stale entry used: $ERR"; fi
    # The column is known to be gone: nothing live to drop, only a conflict.
    expect_no_out "$DROP_NAME"
    expect_out "migrations/000003_drop_name.up.sql:1:31: error: column name of table users does not exist [replay-conflict]"
    expect_eq 2 "$(entries)" "entries"
}

test_cache_corrupt_entry_is_ignored_and_rewritten() {
    staged_drop_repo r
    cd r || exit 1
    ml --staged --format gcc
    local want=$OUT f
    # the entry (40 hex digits), not discovery's verdicts beside it
    f=$(find "$XDG_CACHE_HOME/migralint" -maxdepth 1 -type f -name '????????????????????????????????????????' | head -1)
    [ -n "$f" ] || fail "no cache entry written"
    # Half an entry, then garbage of the same length.
    head -c 200 "$f" >"$f.half" && mv "$f.half" "$f"
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings with a truncated entry"
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "truncated entry used: $ERR"; fi
    local size
    size=$(wc -c <"$f")
    head -c "$size" /dev/urandom >"$f"
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings with a garbage entry"
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "garbage entry used: $ERR"; fi
    # The run after that has a good entry again.
    ml --staged --format gcc -v
    expect_err "replayed from the cache"
}

test_cache_off_with_no_cache_and_without_a_home() {
    staged_drop_repo r
    cd r || exit 1
    ml --staged --format gcc --no-cache
    expect_out "$DROP_NAME"
    expect_eq 0 "$(entries)" "entries after --no-cache"
    OUT=$(env -u HOME -u XDG_CACHE_HOME "$MIGRALINT" --staged --format gcc 2>&1)
    expect_out "$DROP_NAME"
    expect_eq 0 "$(entries)" "entries without HOME"
}

test_cache_not_used_for_a_full_check() {
    staged_drop_repo r
    cd r || exit 1
    ml --format gcc
    expect_out "$DROP_NAME"
    expect_eq 0 "$(entries)" "entries after a full check (nothing is only replayed)"
}

test_cache_keeps_the_tables_new_on_the_branch() {
    # With a base, a committed branch migration that is not staged is only
    # replayed, but the table it creates is new (empty in production): the
    # cache must keep that, so a cached run stays quiet about an index on it.
    staged_drop_repo r
    cd r || exit 1
    git commit -qm "drop name"
    git checkout -qb feature
    printf 'CREATE TABLE coupons (\n    id bigint PRIMARY KEY,\n    code text\n);\n' \
        >migrations/000004_coupons.up.sql
    printf 'DROP TABLE coupons;\n' >migrations/000004_coupons.down.sql
    git add -A
    git commit -qm "coupons"
    printf 'CREATE INDEX coupons_code ON coupons (code);\nCREATE INDEX orders_user ON orders (user_id);\n' \
        >migrations/000005_index.up.sql
    printf 'DROP INDEX coupons_code;\nDROP INDEX orders_user;\n' >migrations/000005_index.down.sql
    git add -A
    local run want
    for run in cold warm; do
        ml --format gcc --staged --base main -v
        expect_out "migrations/000005_index.up.sql:2:1: "
        expect_out "[non-concurrent-index]"
        expect_no_out "migrations/000005_index.up.sql:1:1: "
        [ "$run" = cold ] && want=$OUT
        expect_eq "$want" "$OUT" "$run findings"
    done
    expect_err "the first 4 migrations replayed from the cache"
    expect_eq 1 "$(entries)" "entries"
}

test_cache_entry_depends_on_the_config_file() {
    staged_drop_repo r
    cd r || exit 1
    ml --staged --format gcc
    ml --staged --format gcc -v
    expect_err "replayed from the cache"
    printf '{"migrations": [{"path": "migrations", "framework": "golang-migrate"}]}\n' >.migralint.json
    ml --staged --format gcc -v
    expect_out "$DROP_NAME"
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "entry of another config used: $ERR"; fi
    ml --staged --format gcc -v
    expect_err "replayed from the cache"
}

# Under --staged the entry used last is loaded on a thread while the folder
# is read (src/engine/cache.c, cache_guess_*): taken when it is the entry
# asked for, dropped when it is another's (the one asked for is then read
# as before). Findings are those of --no-cache every time.
test_cache_entry_read_ahead_only_when_it_is_the_one_asked_for() {
    staged_drop_repo r
    cd r || exit 1
    ml --staged --format gcc --no-cache
    local want=$OUT
    ml --staged --format gcc -v
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "the first run claims a cache hit: $ERR"; fi
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings from the entry read ahead"
    expect_err "the first 2 migrations replayed from the cache (read ahead)"
    # 000003 committed and 000004 staged: another entry, the newest after this run.
    git commit -qm "drop name"
    printf 'ALTER TABLE orders DROP COLUMN user_id;\n' >migrations/000004_user_id.up.sql
    printf 'SELECT 1;\n' >migrations/000004_user_id.down.sql
    git add migrations
    ml --staged --format gcc --no-cache
    want=$OUT
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings when the entry read ahead is another's"
    expect_out "dropping column orders.user_id"
    if grep -qF 'replayed from the cache' <<<"$ERR"; then fail "another entry used: $ERR"; fi
    # Back to 000003 staged (000004 too): the first entry is asked for, the
    # newest is the second's.
    git reset -q --soft HEAD~1
    ml --staged --format gcc --no-cache
    want=$OUT
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings from the entry asked for"
    expect_err "the first 2 migrations replayed from the cache"
    if grep -qF '(read ahead)' <<<"$ERR"; then fail "the newest entry taken for another: $ERR"; fi
}
