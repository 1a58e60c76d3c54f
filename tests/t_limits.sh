# t_limits.sh - resource limits: a file over the size limit and a run with
# more findings than --max-findings end with a clear message, never with
# memory exhaustion (docs/decisions.md, "Resource limits").

__drops() { # N: a file of N DROP TABLE statements, one per line
    local i
    for i in $(seq "$1"); do printf 'DROP TABLE t%d;\n' "$i"; done >drops.sql
}

test_findings_over_the_limit_are_counted_not_kept() {
    # 31 findings: one drop-table per line, and one missing-lock-timeout
    # (line 1) for the file. The first 5 found are kept.
    __drops 30
    ml check --format gcc --max-findings 5 drops.sql
    expect_rc 1
    expect_eq 5 "$(grep -c '^drops.sql:' <<<"$OUT")" "findings reported"
    expect_out "drops.sql:1:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on t1"
    expect_out "drops.sql:1:12: error: dropping table t1 [drop-table]"
    expect_out "drops.sql:4:12: error: dropping table t4 [drop-table]"
    expect_no_out "t5 "
    expect_err "migralint: stopped recording findings at 5 (--max-findings, \"maxFindings\"): 26 more were found and are not reported"
}

test_findings_limit_from_the_config_file() {
    __drops 12
    printf '{"maxFindings": 10}\n' >.migralint.json
    ml check --format json drops.sql
    expect_rc 1
    expect_eq 10 "$(grep -c '"rule": ' <<<"$OUT")" "findings in the JSON report"
    expect_err "at 10 (--max-findings"
    expect_err "3 more were found"
    # The command line beats the file.
    ml check --format gcc --max-findings 11 drops.sql
    expect_err "at 11 (--max-findings"
}

test_findings_under_the_default_limit_are_all_reported() {
    __drops 40
    ml check --format gcc drops.sql
    expect_rc 1
    expect_eq 40 "$(grep -c '\[drop-table\]$' <<<"$OUT")" "drop-table findings reported"
    expect_eq "" "$ERR" "stderr"
}

test_bad_max_findings_is_a_usage_error() {
    ml check --max-findings 0 x.sql
    expect_rc 2
    expect_err "--max-findings"
    printf '{"maxFindings": "many"}\n' >.migralint.json
    : >x.sql
    ml check x.sql
    expect_rc 2
    expect_err '"maxFindings" must be a whole number'
}

test_default_file_size_limit_is_50_mb() {
    # Sparse: the size is refused before a byte is read.
    truncate -s $((50 * 1024 * 1024 + 1)) big.sql
    ml check --format gcc big.sql
    expect_rc 3
    expect_err "big.sql: file is 52428801 bytes, over the 50 MB limit"
}

test_file_size_limit_from_the_config_file() {
    head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >big.sql
    printf '{"maxFileSize": 1}\n' >.migralint.json
    ml check --format gcc big.sql
    expect_rc 3
    expect_err "over the 1 MB limit"
}
