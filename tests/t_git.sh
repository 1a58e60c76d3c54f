# t_git.sh - Git awareness end to end: --base (merge-base, shallow clones),
# --staged (the index, not the work tree), --changed-only, `status --base`.
# Every repository is built with real git commands.

# A golang-migrate folder with 000001 (users) and 000002 (orders), committed
# on main in repository $1.
shop_repo() {
    git_repo "$1"
    mkdir -p "$1/migrations"
    printf 'CREATE TABLE users (\n    id bigint PRIMARY KEY\n);\n' >"$1/migrations/000001_users.up.sql"
    printf 'DROP TABLE users;\n' >"$1/migrations/000001_users.down.sql"
    printf 'CREATE TABLE orders (\n    id bigint PRIMARY KEY\n);\n' >"$1/migrations/000002_orders.up.sql"
    printf 'DROP TABLE orders;\n' >"$1/migrations/000002_orders.down.sql"
    git -C "$1" add -A
    git -C "$1" commit -qm "users and orders"
}

# shop_repo $1 with 000003 (DROP TABLE users) staged; the caller is left
# inside $1.
shop_drop_staged() {
    shop_repo "$1"
    cd "$1" || exit 1
    printf 'DROP TABLE users;\n' >migrations/000003_drop.up.sql
    printf 'SELECT 1;\n' >migrations/000003_drop.down.sql
    git add migrations
}

# Adds migration $2 (name without .up.sql) with up SQL $3 to repository $1
# (down SQL $4, default SELECT 1) and commits it.
add_migration() {
    printf '%s\n' "$3" >"$1/migrations/$2.up.sql"
    printf '%s\n' "${4:-SELECT 1;}" >"$1/migrations/$2.down.sql"
    git -C "$1" add -A
    git -C "$1" commit -qm "$2"
}

test_merge_base_is_not_the_branch_point() {
    shop_repo r
    git -C r checkout -qb feature
    printf 'CREATE TABLE users (\n    id integer PRIMARY KEY\n);\n' >r/migrations/000001_users.up.sql
    git -C r commit -qam "edit an applied migration"
    git -C r checkout -q main
    add_migration r 000003_coupons "CREATE TABLE coupons (id bigint);" "DROP TABLE coupons;"
    git -C r checkout -q feature
    git -C r merge -q --no-edit main
    # The merge-base is now main's tip: 000003 is applied, 000001 edited.
    cd r || exit 1
    ml --format gcc --base main
    expect_rc 1
    expect_eq "migrations/000001_users.up.sql:2:1: error: 000001_users.up.sql is applied on the base and edited here: environments that ran it keep the old version [applied-migration-edited]" "$OUT"
    # main moves on: the branch's new 000004 is fine, a new 000003b is not.
    git checkout -q main
    add_migration . 000005_invoices "CREATE TABLE invoices (id bigint);" "DROP TABLE invoices;"
    git checkout -q feature
    add_migration . 000004_notes "CREATE TABLE notes (id bigint);" "DROP TABLE notes;"
    ml --format gcc --base main
    expect_out "migrations/000004_notes.up.sql:1:1: error: migration 000004_notes.up.sql has version 000004, below 000005, the newest on the base"
    expect_out "[migration-out-of-order]"
}

test_rename_and_delete_with_status() {
    shop_repo r
    cd r || exit 1
    git checkout -qb feature
    git mv migrations/000002_orders.up.sql migrations/000003_orders.up.sql
    git mv migrations/000002_orders.down.sql migrations/000003_orders.down.sql
    git rm -q migrations/000001_users.down.sql migrations/000001_users.up.sql
    git commit -qm "reshuffle"
    printf '%s\n' "migrations/000001_users.up.sql:1:1 applied-migration-deleted" \
        "migrations/000003_orders.up.sql:1:1 applied-migration-renamed" >"$T/want"
    expect_findings "$T/want" --base main
    expect_rc 1
    ml status --base main --format json
    expect_rc 0
    got=$(jq -r '.[] | "\(.version) \(.state)"' <<<"$OUT")
    expect_eq "000003 renamed
000001 deleted" "$got" "status states"
    ml status --base main
    expect_out "000003           orders                               yes   high     renamed"
}

test_staged_with_nothing_staged_is_silent_from_a_subfolder() {
    shop_repo r
    mkdir -p r/app/models
    printf 'DROP TABLE users;\n' >r/migrations/000003_drop.up.sql # untracked: does not count
    cd r/app/models || exit 1
    ml --staged
    expect_rc 0
    expect_eq "" "$OUT" stdout
    expect_eq "" "$ERR" stderr
}

test_staged_reads_the_index_not_the_work_tree() {
    shop_repo r
    printf 'DROP TABLE users;\n' >r/migrations/000003_drop.up.sql
    printf 'SELECT 1;\n' >r/migrations/000003_drop.down.sql
    git -C r add migrations
    printf 'SELECT 1;\n' >r/migrations/000003_drop.up.sql # work tree differs
    mkdir -p r/sub
    cd r/sub || exit 1
    ml --staged --format gcc --disable-rule missing-lock-timeout --disable-rule down-does-not-reverse
    expect_rc 1
    expect_eq "migrations/000003_drop.up.sql:1:12: error: dropping table users; constraint users_pkey uses it [drop-table]" "$OUT"
    # Staged clean, work tree dirty: nothing to report.
    git commit -qm drop
    git -C .. rm -q --cached migrations/000003_drop.up.sql migrations/000003_drop.down.sql
    git -C .. commit -qm undo
    printf 'DROP TABLE orders;\n' >../migrations/000004_drop.up.sql
    ml --staged --format gcc
    expect_rc 0
    expect_eq "" "$OUT"
}

test_staged_lints_only_staged_migrations() {
    shop_repo r
    cd r || exit 1
    printf 'CREATE INDEX users_id ON users (id);\n' >migrations/000002_orders.up.sql
    printf 'SET lock_timeout = '"'"'1s'"'"';\nALTER TABLE orders ADD COLUMN note text;\n' >migrations/000003_note.up.sql
    printf 'SET lock_timeout = '"'"'1s'"'"';\nALTER TABLE orders DROP COLUMN note;\n' >migrations/000003_note.down.sql
    git add migrations/000003_note.*
    ml --staged --format gcc
    expect_rc 0
    expect_eq "" "$OUT"
    ml --format gcc
    expect_out "[non-concurrent-index]"
}

test_shallow_clone_without_the_merge_base_is_an_input_error() {
    shop_repo up
    add_migration up 000003_a "SELECT 1;"
    git -C up checkout -qb feature
    add_migration up 000004_b "SELECT 1;"
    git clone -q --depth 1 --branch feature "file://$T/up" shallow
    cd shallow || exit 1
    git fetch -q --depth 1 origin main:main
    # libgit2 1.5 leaks 64 bytes when a merge-base walk reaches a shallow
    # graft; the ASan build would report that leak, so the plain build runs.
    MIGRALINT=$MIGRALINT_FAST
    ml --base main
    expect_rc 3
    expect_err "--base main: the merge-base with HEAD is not in the history; this is a shallow clone"
    expect_err "fetch-depth: 0"
    GITHUB_BASE_REF=nope ml
    expect_rc 3
    expect_err "--base origin/nope: no such revision in this repository; this is a shallow clone"
}

test_unknown_base_is_a_usage_error() {
    shop_repo r
    cd r || exit 1
    ml --base no-such-branch
    expect_rc 2
    expect_err "--base no-such-branch: no such revision in this repository"
    ml --changed-only
    expect_rc 2
    expect_err "--changed-only needs a base"
}

test_changed_only_and_new_tables() {
    shop_repo r
    cd r || exit 1
    add_migration . 000003_users_idx "CREATE INDEX users_id ON users (id);" "DROP INDEX users_id;"
    git checkout -qb feature
    add_migration . 000004_coupons "CREATE TABLE coupons (id bigint);" "DROP TABLE coupons;"
    add_migration . 000005_coupons_idx "CREATE INDEX coupons_id ON coupons (id);" "DROP INDEX coupons_id;"
    # coupons is new relative to main: empty in production, no lock finding;
    # the applied 000001 is not reported with --changed-only.
    ml --format gcc --changed-only --base main --disable-rule missing-down
    expect_rc 0
    expect_eq "" "$OUT"
    ml --format gcc --base main
    expect_rc 1
    expect_eq "migrations/000003_users_idx.up.sql:1:1: error: creating index users_id on users without CONCURRENTLY takes a SHARE lock on users: it blocks INSERT, UPDATE and DELETE until the index is built [non-concurrent-index]" "$OUT"
    # Without a base every migration counts as applied.
    ml --format gcc
    expect_out "migrations/000005_coupons_idx.up.sql:1:1: error: creating index coupons_id on coupons"
}

test_github_base_ref_is_the_default_base() {
    shop_repo r
    cd r || exit 1
    git checkout -qb feature
    git rm -q migrations/000002_orders.up.sql migrations/000002_orders.down.sql
    git commit -qm rm
    GITHUB_BASE_REF=main ml --format gcc
    expect_rc 1
    expect_eq "migrations/000002_orders.up.sql:1:1: error: migration 000002_orders.up.sql is applied on the base and deleted here: new environments will not get what it built [applied-migration-deleted]" "$OUT"
}

test_edited_points_at_the_first_changed_sql() {
    shop_repo r
    cd r || exit 1
    body='-- counts
CREATE FUNCTION f() RETURNS int AS $$
BEGIN
    RETURN 1;
END;
$$ LANGUAGE plpgsql;
ALTER TABLE users ADD COLUMN note TEXT;'
    add_migration . 000003_fn "$body" "DROP FUNCTION f(); ALTER TABLE users DROP COLUMN note;"
    git checkout -qb feature
    # A comment and a keyword's case change above the real edit (line 4,
    # inside the dollar-quoted body): the finding is on line 4.
    printf '%s\n' "${body/RETURN 1/RETURN 2}" | sed 's/-- counts/-- counts rows/; s/TEXT/text/' \
        >migrations/000003_fn.up.sql
    # Only case and layout changed: the same SQL, a note on the first changed line.
    printf 'CREATE TABLE orders (\n    id BIGINT PRIMARY KEY\n);\n' >migrations/000002_orders.up.sql
    git commit -qam edits
    ml --format gcc --base main --disable-rule missing-lock-timeout
    expect_rc 1
    expect_eq "migrations/000002_orders.up.sql:2:1: note: 000002_orders.up.sql is applied on the base and edited here, but only whitespace, comments or letter case changed: the SQL is the same [applied-migration-edited]
migrations/000003_fn.up.sql:4:1: error: 000003_fn.up.sql is applied on the base and edited here: environments that ran it keep the old version [applied-migration-edited]" "$OUT"
}

test_out_of_order_is_quiet_for_diesel() {
    git_repo r
    cd r || exit 1
    mkdir -p migrations/2024-01-01-000000_a migrations/2024-03-01-000000_c
    for d in 2024-01-01-000000_a 2024-03-01-000000_c; do
        echo "SELECT 1;" >migrations/$d/up.sql
        echo "SELECT 1;" >migrations/$d/down.sql
    done
    git add -A && git commit -qm base && git checkout -qb feature
    mkdir migrations/2024-02-01-000000_b
    echo "SELECT 2;" >migrations/2024-02-01-000000_b/up.sql
    echo "SELECT 2;" >migrations/2024-02-01-000000_b/down.sql
    git add -A && git commit -qm b
    # diesel runs every pending migration whatever its version.
    ml --format gcc --base main
    expect_rc 0
    expect_eq "" "$OUT"
    ml status --base main --format json
    expect_eq "applied out-of-order applied" "$(jq -r '[.[].state] | join(" ")' <<<"$OUT")" states
}

test_staged_with_file_arguments_reads_the_index_once() {
    # pre-commit passes the staged files as arguments.
    shop_drop_staged r
    printf 'SELECT 1;\n' >migrations/000003_drop.up.sql
    ml --staged --format gcc --disable-rule missing-lock-timeout --disable-rule down-does-not-reverse \
        migrations/000003_drop.up.sql migrations/000003_drop.down.sql
    expect_rc 1
    expect_eq "migrations/000003_drop.up.sql:1:12: error: dropping table users; constraint users_pkey uses it [drop-table]" "$OUT"
    git commit -qm drop
    ml --staged migrations/000003_drop.up.sql
    expect_rc 0
    expect_eq "" "$OUT$ERR"
}

test_migration_filename_pattern_from_config() {
    # migration-filename needs no Git; the config's pattern applies to
    # every migration file (up and down).
    shop_repo r
    cd r || exit 1
    printf '{ "migrationFilePattern": "^[0-9]{6}_[a-z_]+\\\\.(up|down)\\\\.sql$" }\n' >.migralint.json
    printf 'SELECT 1;\n' >migrations/000003_AddNote.up.sql
    printf 'SELECT 1;\n' >migrations/000003_AddNote.down.sql
    ml --format gcc
    expect_rc 0
    expect_eq "migrations/000003_AddNote.down.sql:1:1: warning: 000003_AddNote.down.sql does not match the project's migrationFilePattern [migration-filename]
migrations/000003_AddNote.up.sql:1:1: warning: 000003_AddNote.up.sql does not match the project's migrationFilePattern [migration-filename]" "$(sort <<<"$OUT")"
}

# The work tree root (where .migralint.json is looked for up to) is found
# without libgit2 for a plain .git folder (src/vcs/repo.c): the innermost
# repository wins, and a .git that is a bare repository is no work tree.
test_root_is_the_innermost_work_tree() {
    git_repo outer
    printf '{"failOn": "none"}\n' >outer/.migralint.json
    git_repo outer/inner
    mkdir -p outer/inner/db/migrations
    printf 'DROP TABLE users;\n' >outer/inner/db/migrations/001_drop.sql
    cd outer/inner/db || exit 1
    ml --format gcc migrations
    expect_rc 1
    expect_out "[drop-table]"
    cd ../.. || exit 1
    ml --format gcc inner/db/migrations
    expect_rc 0
}

test_bare_git_folder_is_no_work_tree() {
    mkdir -p d/sub/migrations
    git init -q --bare d/.git
    printf '{"failOn": "none"}\n' >d/.migralint.json
    printf 'DROP TABLE users;\n' >d/sub/migrations/001_drop.sql
    cd d/sub || exit 1
    ml --format gcc migrations
    expect_rc 1
    expect_out "[drop-table]"
}

# A plain repository is opened on a second thread while the work tree is
# walked; one libgit2 cannot open (its config does not parse) still says
# why and exits 3, on one thread or two, and reports nothing.
test_staged_in_a_repository_libgit2_cannot_open() {
    shop_repo r
    add_migration r 000003_coupons "CREATE TABLE coupons (id bigint);"
    printf 'DROP TABLE coupons;\n' >r/migrations/000004_drop.up.sql
    printf 'SELECT 1;\n' >r/migrations/000004_drop.down.sql
    git -C r add -A
    printf '[core\n' >r/.git/config
    cd r || exit 1
    local threads
    for threads in 1 2; do
        MIGRALINT_THREADS=$threads ml --staged --format gcc
        expect_rc 3
        expect_err "failed to parse config file"
        expect_eq "" "$OUT" "stdout with MIGRALINT_THREADS=$threads"
    done
}

# check --staged on one thread, then on two (the opener, the blob reader
# and HEAD's reader ahead: src/vcs/git.c): the same exit code and output.
staged_one_and_two() {
    local one
    MIGRALINT_THREADS=1 ml --staged --format gcc --no-cache "$@"
    one="$RC|$OUT|$ERR"
    ml --staged --format gcc --no-cache "$@"
    expect_eq "$one" "$RC|$OUT|$ERR" "one thread against two ($*)"
}

# A folder of 512 files or more has the second half of its blobs read on a
# second thread (src/vcs/git.c): findings, a blob that cannot be read (in
# that half) and the exit code are those of one thread.
test_staged_big_folder_reads_blobs_on_two_threads_as_on_one() {
    git_repo r
    mkdir -p r/migrations
    local i v
    for ((i = 1; i <= 300; i++)); do
        v=$(printf '%06d' "$i")
        printf 'CREATE TABLE t%d (id bigint PRIMARY KEY);\n' "$i" >"r/migrations/${v}_t$i.up.sql"
        printf 'DROP TABLE t%d;\n' "$i" >"r/migrations/${v}_t$i.down.sql"
    done
    git -C r add -A
    git -C r commit -qm "300 tables"
    printf 'ALTER TABLE t1 ADD COLUMN x int NOT NULL;\n' >r/migrations/000301_x.up.sql
    printf 'ALTER TABLE t299 DROP COLUMN id;\n' >r/migrations/000301_x.down.sql
    git -C r add -A
    cd r || exit 1
    staged_one_and_two
    expect_rc 1
    expect_out "migrations/000301_x.down.sql:1:1: error: after up and down, column t1.x exists"
    # A blob of the second half gone from the object database.
    local id
    id=$(git rev-parse :migrations/000290_t290.up.sql)
    rm -f ".git/objects/${id:0:2}/${id:2}"
    staged_one_and_two
    expect_rc 3
    expect_err "migrations/000290_t290.up.sql: cannot read blob $id"
}

# Started at the root, a run reads HEAD's tree on a third thread while the
# opener reads the index (src/vcs/git.c, ahead_*): what is staged (added,
# changed, deleted; no PATHS or a file argument), an unborn HEAD and a HEAD
# whose tree is gone give what one thread gives.
test_staged_head_read_ahead_as_on_one_thread() {
    shop_repo r
    git_repo u
    mkdir -p u/migrations
    printf 'CREATE TABLE a (id int);\n' >u/migrations/000001_a.up.sql
    printf 'CREATE INDEX a_id ON a (id);\n' >u/migrations/000002_a_id.up.sql
    git -C u add -A
    cd r || exit 1
    printf 'DROP TABLE users;\n' >migrations/000003_drop.up.sql
    printf 'SELECT 1;\n' >migrations/000003_drop.down.sql
    printf 'CREATE TABLE orders (id int, n int NOT NULL);\n' >migrations/000002_orders.up.sql
    git rm -q migrations/000002_orders.down.sql
    git add -A
    staged_one_and_two
    expect_rc 1
    expect_out "migrations/000003_drop.up.sql:1:12: error: dropping table users"
    expect_out "migrations/000002_orders.up.sql"
    staged_one_and_two migrations/000003_drop.up.sql
    expect_out "migrations/000003_drop.up.sql:1:12: error: dropping table users"
    cd ../u || exit 1
    staged_one_and_two
    expect_out "migrations/000002_a_id.up.sql:1:1: error: creating index a_id on a without CONCURRENTLY"
    cd ../r || exit 1
    local tree
    tree=$(git rev-parse 'HEAD^{tree}')
    rm -f ".git/objects/${tree:0:2}/${tree:2}"
    staged_one_and_two
    expect_err "cannot read commit HEAD"
}

# A repository r whose services/billing/migrations (golang-migrate) has one
# migration committed and a second, which drops its table, staged.
billing_repo() {
    git_repo "$1"
    mkdir -p "$1"/services/billing/migrations
    printf 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n' >"$1"/services/billing/migrations/000001_invoices.up.sql
    printf 'DROP TABLE invoices;\n' >"$1"/services/billing/migrations/000001_invoices.down.sql
    git -C "$1" add -A
    git -C "$1" commit -qm "billing"
    printf 'DROP TABLE invoices;\n' >"$1"/services/billing/migrations/000002_drop.up.sql
    printf 'SELECT 1;\n' >"$1"/services/billing/migrations/000002_drop.down.sql
    git -C "$1" add -A
}

# Without PATHS, --staged finds the migrations folders in the index, where
# it reads them: a folder of SQL files nobody added is not announced as
# linted (it was, and read as empty from the index).
test_staged_discovers_folders_from_the_index() {
    billing_repo r
    mkdir -p r/scratch/migrations
    printf 'CREATE TABLE a (id int);\n' >r/scratch/migrations/001_a.sql
    printf 'CREATE TABLE b (id int);\n' >r/scratch/migrations/002_b.sql
    cd r || exit 1
    ml --staged --format gcc
    expect_rc 1
    expect_out "services/billing/migrations/000002_drop.up.sql:1:1: warning:"
    expect_err "linting services/billing/migrations (golang-migrate)"
    if grep -q "scratch" <<<"$ERR$OUT"; then fail "the untracked scratch/migrations was announced: $ERR"; fi
    # Added, it is found and linted (nothing of it staged is reported).
    git add scratch
    ml --staged --format gcc
    expect_err "linting scratch/migrations (plain)"
}

# Discovery's verdict on a folder as the index holds it is kept in the
# cache folder: the next run judges it from there (no layout built, no
# text read), a changed folder is judged again, --no-cache never keeps.
test_staged_discovery_verdict_is_kept() {
    billing_repo r
    cd r || exit 1
    ml --staged --format gcc -v
    local first=$OUT
    expect_rc 1
    if grep -q "judged from the cache" <<<"$ERR"; then fail "judged from the cache on the first run"; fi
    ml --staged --format gcc -v
    expect_rc 1
    expect_err "migralint: services/billing/migrations: judged from the cache"
    expect_eq "$first" "$OUT" "findings with the verdict kept"
    # A goose file beside: two frameworks, no migrations folder any more.
    printf -- '-- +goose Up\nSELECT 1;\n' >services/billing/migrations/000003_goose.sql
    git add -A
    ml --staged --format gcc -v
    expect_rc 2
    expect_err "no PATHS given and no migrations folder found"
    if grep -q "judged from the cache" <<<"$ERR"; then fail "a changed folder was judged from the cache"; fi
    git rm -q --cached services/billing/migrations/000003_goose.sql
    ml --staged --format gcc -v --no-cache
    expect_rc 1
    if grep -q "judged from the cache" <<<"$ERR"; then fail "--no-cache judged from the cache"; fi
}

# The verdicts file cut or overwritten is judged again, never misread.
test_staged_discovery_verdict_file_damaged() {
    git_repo r
    mkdir -p r/db/migrate
    printf 'CREATE TABLE a (id int);\n' >r/db/migrate/001_a.sql
    printf 'CREATE TABLE b (id int);\n' >r/db/migrate/002_b.sql
    git -C r add -A
    git -C r commit -qm "a, b"
    printf 'DROP TABLE a;\n' >r/db/migrate/003_drop.sql
    git -C r add -A
    cd r || exit 1
    ml --staged --format gcc -v
    local want=$OUT f="$XDG_CACHE_HOME/migralint/discover"
    [ -s "$f" ] || fail "no verdict kept"
    # the key and a verdict cut short (no end of line): not a verdict
    printf '%s -1' "$(head -c 32 "$f")" >"$f"
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings with the verdicts file cut"
    if grep -q "judged from the cache" <<<"$ERR"; then fail "a cut verdict was used: $ERR"; fi
    head -c 200 /dev/urandom >"$f"
    ml --staged --format gcc -v
    expect_eq "$want" "$OUT" "findings with the verdicts file overwritten"
    ml --staged --format gcc -v
    expect_err "judged from the cache"
}

# --staged reads the folder from the index (docs/git.md): a migrations
# folder deleted from the work tree but still in the index is linted from
# there, found by the walk or named, not refused as unreadable (exit 3).
test_staged_folder_deleted_from_the_work_tree_is_read_from_the_index() {
    shop_drop_staged r
    local want="migrations/000003_drop.up.sql:1:12: error: dropping table users; constraint users_pkey uses it [drop-table]"
    local args=(--staged --format gcc --disable-rule missing-lock-timeout --disable-rule down-does-not-reverse)
    ml "${args[@]}" --no-cache
    expect_rc 1
    expect_eq "$want" "$OUT" "with the folder"
    rm -rf migrations
    for how in --no-cache "" ""; do # without the caches, then cold and warm
        ml "${args[@]}" $how
        expect_rc 1
        expect_eq "$want" "$OUT" "walk $how"
    done
    ml "${args[@]}" migrations
    expect_rc 1
    expect_eq "$want" "$OUT" "named"
    ml "${args[@]}" "$PWD/migrations"
    expect_rc 1
    expect_eq "$want" "$OUT" "named by its absolute path"
    # A folder the index does not hold either is still an input error.
    ml "${args[@]}" nothere
    expect_rc 3
    expect_err "nothere: No such file or directory"
}

# The same one folder down, its parent gone too.
test_staged_nested_folder_deleted_from_the_work_tree_is_read_from_the_index() {
    git_repo r
    cd r || exit 1
    mkdir -p db/migrations
    printf 'CREATE TABLE users (\n    id bigint PRIMARY KEY\n);\n' >db/migrations/000001_users.up.sql
    printf 'DROP TABLE users;\n' >db/migrations/000001_users.down.sql
    git add -A
    git commit -qm users
    printf 'DROP TABLE users;\n' >db/migrations/000002_drop.up.sql
    printf 'SELECT 1;\n' >db/migrations/000002_drop.down.sql
    git add db
    rm -rf db
    ml --staged --format gcc --disable-rule missing-lock-timeout --disable-rule down-does-not-reverse db/migrations
    expect_rc 1
    expect_eq "db/migrations/000002_drop.up.sql:1:12: error: dropping table users; constraint users_pkey uses it [drop-table]" "$OUT"
}
