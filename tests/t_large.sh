# t_large.sh - a file over 64 KiB is parsed a window of statements at a
# time (src/sql/sql.c, parse_windows; docs/decisions.md, "One large file"):
# its findings keep the lines and columns the whole-file parse gives, and a
# cut PostgreSQL's grammar does not allow falls back to the whole parse.

__padding() { # N: N lines of 55 bytes, each a new table, no finding
    local i
    for i in $(seq "$1"); do printf 'CREATE TABLE p%04d (id bigint PRIMARY KEY, name text);\n' "$i"; done
}

test_findings_after_the_first_window_keep_their_positions() {
    # 1,300 lines of 55 bytes: t2's DROP is in the first window, the rest
    # in the second (cut at the first ';' past 64 KiB, line 1,192). The
    # serial column and the foreign key are placed by their nodes'
    # locations, which the second window's parse gives from its own start.
    {
        printf 'SET lock_timeout = %s;\n' "'1s'"
        printf 'DROP TABLE t2;\n'
        __padding 1300
        printf 'DROP TABLE t5;\n'
        printf 'ALTER TABLE t6 ADD COLUMN n text, ADD COLUMN k serial;\n'
        printf 'ALTER TABLE t6 ADD CONSTRAINT fk FOREIGN KEY (q) REFERENCES t8 (id);\n'
    } >big.sql
    cat >want <<'W'
2:12 drop-table
1303:12 drop-table
1304:48 add-column-volatile-default
1305:20 constraint-not-valid
W
    expect_findings want check big.sql
    expect_rc 1
}

test_begin_atomic_across_a_window_cut_is_one_statement() {
    # The function starts at byte 64,925 (line 1,182): its body's ';'s
    # past 64 KiB are no place to cut (the window would not parse and the
    # file would be parsed whole, every tree alive): the cut waits for the
    # ';' after its END, and the file is still parsed in windows.
    {
        printf 'SET lock_timeout = %s;\n' "'1s'"
        __padding 1180
        printf 'CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n'
        for i in $(seq 100); do printf '  SELECT %d;\n' "$i"; done
        printf 'END;\n'
        printf 'DROP TABLE t6;\n'
    } >big.sql
    cat >want <<'W'
1285:12 drop-table
W
    expect_findings want check big.sql
    expect_rc 1
    expect_no_out "parse-error"
    MIGRALINT_DEBUG_WINDOWS=1 ml check big.sql
    __windowed big.sql
}

test_syntax_error_in_a_large_file_is_found_once() {
    # A window with an error sends the whole file to the statement-by-
    # statement parse: the error is one finding and the statements around
    # it, in either window, are still linted.
    {
        printf 'SET lock_timeout = %s;\n' "'1s'"
        printf 'DROP TABLE t2;\n'
        __padding 1300
        printf 'SELEC 1;\n'
        printf 'DROP TABLE t5;\n'
    } >big.sql
    cat >want <<'W'
2:12 drop-table
1303:1 parse-error
1304:12 drop-table
W
    expect_findings want check big.sql
    expect_rc 1
}

# ---- Trees a window at a time (docs/decisions.md, stream8) ----
# A file over 64 KiB keeps the trees of one window of statements (at least
# 16 KiB) at a time: the passes that need every tree (the lint, the up
# step applied again after its down step) parse each window again, and the
# rules read other statements through facts noted while their trees were
# alive. 1,300 lines of padding are 71,500 bytes: five windows, of 298,
# 298, 298, 298 and 108 statements. The statements a rule looks at below
# lie four windows away from the one it reports.

__windowed() { # FILE: the last run parsed FILE in windows
    expect_err "migralint: debug: $1: "
}

test_a_large_file_keeps_one_window_of_trees() {
    __padding 1300 >big.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check big.sql
    expect_rc 0
    # The parse (5 windows), then the lint (window 0 is still held from
    # the parse: 4); the names the step touches come from the parse.
    expect_err "big.sql: 1300 statements in 5 windows, 9 window parses, at most 298 statements with trees at once"
}

test_a_large_up_step_is_applied_again_window_by_window() {
    mkdir m
    __padding 1300 >m/000001_a.up.sql
    printf 'DROP TABLE p0001;\n' >m/000001_a.down.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check m
    # The parse (5), the lint (4), the up step applied again after its
    # down step (5); the names for the down step's snapshots come from the
    # parse. The down step does not reverse the other 1,299 tables.
    expect_err "000001_a.up.sql: 1300 statements in 5 windows, 14 window parses, at most 298 statements with trees at once"
    expect_out "down-does-not-reverse"
}

test_a_temp_table_created_windows_later_is_known_absent_before() {
    # lint.c: DROP TABLE IF EXISTS of a name a later statement creates as a
    # temporary table drops nothing the migrations built (rules/drop-table.md
    # : known absent); a name never built may exist in production.
    mkdir m
    printf 'CREATE TABLE keep (id int);\n' >m/001_a.sql
    {
        printf 'SET lock_timeout = %s;\n' "'1s'"
        printf 'DROP TABLE IF EXISTS scratch;\n'
        __padding 1300
        printf 'CREATE TEMP TABLE scratch (x int);\n'
        printf 'DROP TABLE IF EXISTS never_built;\n'
    } >m/002_b.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check --format gcc m
    __windowed m/002_b.sql
    expect_no_out "m/002_b.sql:2:"
    expect_out "m/002_b.sql:1304:22: error: dropping table never_built [drop-table]"
}

test_a_commit_windows_later_ends_the_transaction() {
    # uncommitted-transaction: a BEGIN with no COMMIT or ROLLBACK after it.
    {
        printf 'BEGIN;\n'
        __padding 1300
        printf 'COMMIT;\n'
        printf 'BEGIN;\n'
        printf 'CREATE TABLE z (id int);\n'
    } >big.sql
    cat >want <<'W'
1303:1 uncommitted-transaction
W
    expect_findings want check big.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check big.sql
    __windowed big.sql
}

test_validate_windows_after_its_not_valid_add_in_one_transaction() {
    # validate-in-same-transaction: the VALIDATE is reported where it is,
    # naming both tables of the foreign key; after a COMMIT it is not.
    mkdir m
    printf 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, n int);\n' >m/001_a.sql
    {
        printf 'SET lock_timeout = %s;\n' "'1s'"
        printf 'BEGIN;\n'
        printf 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n'
        printf 'ALTER TABLE orders ADD CONSTRAINT orders_n_check CHECK (n > 0) NOT VALID;\n'
        printf 'COMMIT;\n'
        printf 'BEGIN;\n'
        __padding 1300
        printf 'ALTER TABLE orders VALIDATE CONSTRAINT orders_n_check;\n'
        printf 'COMMIT;\n'
        printf 'BEGIN;\n'
        printf 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n'
        __padding 1300 | sed 's/ p/ q/'
        printf 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk2;\n'
        printf 'COMMIT;\n'
    } >m/002_b.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check --format gcc m
    __windowed m/002_b.sql
    expect_no_out "m/002_b.sql:1307:"
    expect_out "m/002_b.sql:2611:20: warning: validating orders_user_fk2 in the transaction that added it NOT VALID: the SHARE ROW EXCLUSIVE lock it took on orders and users stays held"
}

test_a_domain_created_windows_earlier_is_new() {
    # domain-constraint: ALTER DOMAIN ... ADD CONSTRAINT on an existing
    # domain; a domain created earlier in the migration has no columns yet.
    mkdir m
    printf 'CREATE DOMAIN old_amount AS int;\n' >m/001_a.sql
    {
        printf 'SET lock_timeout = %s;\n' "'1s'"
        printf 'CREATE DOMAIN new_amount AS int;\n'
        __padding 1300
        printf 'ALTER DOMAIN new_amount ADD CONSTRAINT new_amount_check CHECK (VALUE > 0);\n'
        printf 'ALTER DOMAIN old_amount ADD CONSTRAINT old_amount_check CHECK (VALUE > 0);\n'
    } >m/002_b.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check --format gcc m
    __windowed m/002_b.sql
    expect_no_out "m/002_b.sql:1303:"
    expect_out "m/002_b.sql:1304:1: "
    expect_out "[domain-constraint]"
}

test_a_drop_if_exists_windows_earlier_guards_the_add() {
    # prefer-robust-stmts (opt-in): ADD CONSTRAINT is re-runnable after
    # DROP CONSTRAINT IF EXISTS of that name on that table.
    mkdir m
    printf 'CREATE TABLE orders (id bigint PRIMARY KEY, n int);\n' >m/001_a.sql
    {
        printf 'ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_n_check;\n'
        for i in $(seq 1300); do printf 'CREATE TABLE IF NOT EXISTS p%04d (id bigint, name text);\n' "$i"; done
        printf 'ALTER TABLE orders ADD CONSTRAINT orders_n_check CHECK (n > 0) NOT VALID;\n'
        printf 'ALTER TABLE orders ADD CONSTRAINT orders_n_check2 CHECK (n > 1) NOT VALID;\n'
    } >m/002_b.sql
    MIGRALINT_DEBUG_WINDOWS=1 ml check --format gcc --rule prefer-robust-stmts m
    __windowed m/002_b.sql
    expect_no_out "m/002_b.sql:1302:"
    expect_out "m/002_b.sql:1303:20: "
}

test_a_drop_if_exists_after_the_add_guards_nothing() {
    # The facts a statement leaves are noted after its own checks: a DROP
    # CONSTRAINT IF EXISTS later in the same ALTER TABLE runs after the ADD.
    printf 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0), DROP CONSTRAINT IF EXISTS c;\n' >a.sql
    ml check --format gcc --rule prefer-robust-stmts a.sql
    expect_out "a.sql:1:15: warning: ADD CONSTRAINT c fails when the migration is run again"
}
