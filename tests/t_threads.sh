# t_threads.sh - the parse-ahead thread (issue 9) changes nothing a user
# sees: the same folder checked with MIGRALINT_THREADS=1 (one thread) and
# =2 (parsing on a second thread) gives byte-identical stdout, stderr and
# exit code, findings, notes and input errors included.

# Runs migralint both ways on ARGS and compares everything it printed.
__same_both_ways() {
    local out1 err1 rc1
    MIGRALINT_THREADS=1 ml "$@"
    out1=$OUT err1=$ERR rc1=$RC
    MIGRALINT_THREADS=2 ml "$@"
    expect_eq "$rc1" "$RC" "exit code with 2 threads ($*)"
    [ "$out1" = "$OUT" ] || { fail "stdout differs with 2 threads ($*)"; diff <(echo "$out1") <(echo "$OUT") | head -20; }
    [ "$err1" = "$ERR" ] || { fail "stderr differs with 2 threads ($*)"; diff <(echo "$err1") <(echo "$ERR") | head -20; }
}

# 60 golang-migrate migrations that build on each other (the replay must see
# them in order), with findings in up and down steps, a statement that does
# not parse, and files that cannot be linted (exit 3, named on stderr in
# the files' order although two threads read them: 120 files).
__make_folder() {
    mkdir -p m
    local i v
    for ((i = 1; i <= 60; i++)); do
        v=$(printf '%06d' "$i")
        printf 'CREATE TABLE t%d (id bigint PRIMARY KEY, v text);\nALTER TABLE t%d ADD COLUMN c%d int NOT NULL;\n' \
            "$i" "$((i > 1 ? i - 1 : 1))" "$i" >"m/${v}_step.up.sql"
        printf 'DROP TABLE t%d;\n' "$i" >"m/${v}_step.down.sql"
    done
    printf 'CREATE TABEL broken (id int);\n' >m/000030_step.up.sql
    printf 'DROP TABLE t31;\n\xff\xfe\n' >m/000031_step.down.sql
    printf 'DROP TABLE t11;\n\x00\n' >m/000011_step.down.sql
    printf 'DROP TABLE t52;\n\xc3\n' >m/000052_step.down.sql
}

test_threads_same_findings_and_errors() {
    __make_folder
    MIGRALINT_THREADS=1 ml check --format gcc m
    expect_rc 3
    expect_out "m/000002_step.up.sql:2:"
    expect_out "m/000030_step.up.sql:1:"
    expect_err "m/000031_step.down.sql"
    local order
    order=$(grep -o 'm/0000[0-9]*_step.down.sql' <<<"$ERR" | tr '\n' ' ')
    expect_eq "m/000011_step.down.sql m/000031_step.down.sql m/000052_step.down.sql " "$order" \
        "unreadable files named in order"
    __same_both_ways check --format gcc m
    __same_both_ways check --format json m
}

test_threads_same_demo_and_schema() {
    __same_both_ways check --format gcc "$FIXTURES/demo/migrations"
    expect_rc 1
    __make_folder
    rm m/000031_step.down.sql m/000011_step.down.sql m/000052_step.down.sql
    __same_both_ways schema m
    __same_both_ways status m
}

test_threads_bad_value_is_default() {
    printf 'DROP TABLE t;\n' >a.sql
    MIGRALINT_THREADS=zero ml check --format gcc a.sql
    expect_rc 1
    expect_out "[drop-table]"
}

# The second thread is asked for only when a CPU is idle: the debug line
# gives the counts the choice was made from, and the choice must follow
# them (fewer runnable tasks not ours than CPUs: a second thread).
test_threads_second_only_when_a_cpu_is_idle() {
    __make_folder
    MIGRALINT_DEBUG_CPUS=1 ml check --format gcc m
    expect_err "debug: "
    local line cpus runnable ours choice
    while IFS= read -r line; do
        [[ $line =~ debug:\ ([0-9]+)\ CPUs,\ ([0-9]+)\ tasks\ runnable,\ ([0-9]+)\ of\ them\ ours:\ (.*)$ ]] || continue
        cpus=${BASH_REMATCH[1]} runnable=${BASH_REMATCH[2]} ours=${BASH_REMATCH[3]} choice=${BASH_REMATCH[4]}
        if ((runnable - ours < cpus)); then
            expect_eq "a second thread" "$choice" "choice for $line"
        else
            expect_eq "one thread" "$choice" "choice for $line"
        fi
    done <<<"$ERR"
    [ -n "${choice:-}" ] || fail "no choice line on stderr: $ERR"
    # Forced either way, nothing is asked.
    MIGRALINT_DEBUG_CPUS=1 MIGRALINT_THREADS=1 ml check --format gcc m
    if grep -qF "tasks runnable" <<<"$ERR"; then fail "a forced thread count still asked: $ERR"; fi
    MIGRALINT_DEBUG_CPUS=1 MIGRALINT_THREADS=2 ml check --format gcc m
    if grep -qF "tasks runnable" <<<"$ERR"; then fail "a forced thread count still asked: $ERR"; fi
}
