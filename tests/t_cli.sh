# t_cli.sh - the command-line contract: subcommands, --fail-on, --output,
# default paths, colour rules and repository-relative paths.

test_fail_on_levels() {
    printf 'DROP INDEX idx_old;\n' >w.sql # non-concurrent-drop-index is a warning
    ml check --format gcc w.sql
    expect_rc 0
    expect_out "warning:"
    ml check --format gcc --fail-on warning w.sql
    expect_rc 1
    ml check --format gcc --fail-on note w.sql
    expect_rc 1
    printf 'DROP TABLE t;\n' >e.sql
    ml check --format gcc --fail-on none e.sql
    expect_rc 0
    expect_out "[drop-table]"
}

test_disable_rule() {
    printf 'DROP TABLE t;\nDROP INDEX i;\n' >a.sql
    ml check --format gcc --disable-rule drop-table a.sql
    expect_no_out "[drop-table]"
    expect_out "[non-concurrent-drop-index]"
    expect_rc 0
}

test_output_file() {
    printf 'DROP TABLE t;\n' >a.sql
    ml check --format gcc --output report.txt a.sql
    expect_rc 1
    expect_eq "" "$OUT" "stdout"
    grep -qF "a.sql:1:12: error: dropping table t [drop-table]" report.txt || fail "report.txt: $(cat report.txt)"
}

test_default_folder_and_no_folder() {
    mkdir -p sub && cd sub
    ml check
    expect_rc 2
    expect_err "no migrations folder found"
    mkdir -p db/migrations
    printf 'DROP TABLE t;\n' >db/migrations/001_x.sql
    ml --format gcc
    expect_rc 1
    expect_out "db/migrations/001_x.sql:1:12: error: dropping table t"
}

test_paths_are_relative_to_the_repository_root() {
    git_repo repo
    mkdir -p repo/db/migrations repo/app
    printf 'DROP TABLE t;\n' >repo/db/migrations/001_x.sql
    cd repo/app
    ml check --format gcc ../db/migrations
    expect_out "db/migrations/001_x.sql:1:12:"
    expect_no_out "../db"
}

test_directories_are_linted_in_name_order() {
    mkdir -p m/sub
    printf 'DROP TABLE b;\n' >m/b.sql
    printf 'DROP TABLE a;\n' >m/a.sql
    printf 'DROP TABLE c;\n' >m/sub/c.sql
    printf 'not sql\n' >m/README.md
    ml check --format gcc m
    expect_eq "m/a.sql m/b.sql m/sub/c.sql" "$(grep drop-table <<<"$OUT" | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//')" "order"
}

test_text_has_no_colour_when_piped_or_no_color() {
    printf 'DROP TABLE t;\n' >a.sql
    ml check --format text a.sql
    case "$OUT" in *$'\033'*) fail "ANSI escape in piped output" ;; esac
    expect_out "error[drop-table]: dropping table t"
    # A real terminal gets colour unless NO_COLOR is set.
    if command -v script >/dev/null; then
        script -qec "$MIGRALINT check --format text a.sql" /dev/null >tty.out 2>&1
        grep -q $'\033\\[' tty.out || fail "no colour on a tty: $(cat -v tty.out | head -5)"
        NO_COLOR=1 script -qec "$MIGRALINT check --format text a.sql" /dev/null >tty2.out 2>&1
        if grep -q $'\033\\[' tty2.out; then fail "colour despite NO_COLOR"; fi
        script -qec "$MIGRALINT check --format text --no-color a.sql" /dev/null >tty3.out 2>&1
        if grep -q $'\033\\[' tty3.out; then fail "colour despite --no-color"; fi
    fi
}

test_explain_rules_version_help() {
    ml rules
    expect_rc 0
    expect_out "drop-column"
    ml explain drop-column
    expect_rc 0
    expect_out "# drop-column"
    ml explain
    expect_rc 2
    ml version
    expect_rc 0
    expect_out "migralint "
    ml --help
    expect_rc 0
    expect_out "usage: migralint"
}

test_quickfix_line_parses_in_vim_errorformat() {
    # gcc's format as Vim's default errorformat %f:%l:%c: %m reads it.
    printf -- "SET lock_timeout = '2s';\nALTER TABLE customers\n    DROP COLUMN fax;\n" >a.sql
    ml check --format gcc a.sql
    expect_eq "a.sql:3:17: error: dropping column customers.fax [drop-column]" "$OUT" "gcc line"
    # Vim is installed by scripts/setup.sh: a missing one is a failure here.
    printf '%s\n' "$OUT" >qf.txt
    vim -es -c 'cfile qf.txt' -c 'redir! > qf.out' -c 'echo getqflist()[0].lnum getqflist()[0].col' -c 'redir END' -c 'qa!' </dev/null
    grep -q "3 17" qf.out || fail "vim quickfix read: $(cat qf.out 2>&1)"
}

# Every subcommand of DESIGN.md's contract is built: drift is a command now.
test_drift_is_a_subcommand() {
    mkdir -p empty && cd empty || return
    ml drift
    expect_rc 2
    expect_err "drift: no migrations folder given and none found"
}
