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
    # The function starts at byte 64,925 (line 1,182): its body's first
    # ';' past 64 KiB is no place to cut, so the window fails to parse and
    # the file is parsed whole, as a shorter file would be.
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
