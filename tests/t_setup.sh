# t_setup.sh - scripts/setup.sh installs every tool the tests use (issue 16).
# A fresh bookworm machine has only the "required" packages and make; a test
# that needs a command or Python module setup.sh does not install passes on a
# developer's machine and fails on a user's. tests/setup_guard.py reads the
# scripts and names the missing package.

test_setup_installs_every_tool_the_tests_use() {
    out=$(python3 "$ROOT/tests/setup_guard.py" "$ROOT" 2>&1) || fail "$out"
}

# The guard must be able to fail: a copy of the tree whose setup.sh lacks a
# package a test uses is refused, by package name.
guard_copy() { # DIR: a minimal root with setup.sh, fuzz/setup.sh, one test
    mkdir -p "$1/scripts" "$1/fuzz" "$1/tests"
    cp "$ROOT/fuzz/setup.sh" "$1/fuzz/setup.sh"
}

test_guard_names_a_command_package_missing_from_setup() {
    guard_copy r
    sed 's/\bjq\b//' "$ROOT/scripts/setup.sh" >r/scripts/setup.sh
    printf 'test_x() {\n    got=$(jq -r .a <<<"$OUT")\n}\n' >r/tests/t_x.sh
    out=$(python3 "$ROOT/tests/setup_guard.py" r 2>&1) && fail "guard passed without jq: $out"
    expect_eq 1 "$(grep -c 'tests/t_x.sh: runs jq: package jq is not installed by scripts/setup.sh' <<<"$out")" "jq line in: $out"
}

test_guard_names_a_python_module_package_missing_from_setup() {
    guard_copy r
    sed 's/\bpython3-yaml\b//' "$ROOT/scripts/setup.sh" >r/scripts/setup.sh
    printf 'test_x() {\n    python3 - <<%sPY%s\nimport yaml\nPY\n}\n' "'" "'" >r/tests/t_x.sh
    out=$(python3 "$ROOT/tests/setup_guard.py" r 2>&1) && fail "guard passed without python3-yaml: $out"
    expect_eq 1 "$(grep -c 'imports yaml: package python3-yaml is not installed' <<<"$out")" "yaml line in: $out"
}

test_guard_ignores_words_that_are_not_commands() {
    guard_copy r
    cp "$ROOT/scripts/setup.sh" r/scripts/setup.sh
    # A comment, a quoted message and a multi-line string mention tools that
    # no test runs; none is a command.
    printf '# run strace or gdb by hand\ntest_x() {\n    echo "then strace"\n    x='"'"'\nstrace\n'"'"'\n}\n' >r/tests/t_x.sh
    out=$(python3 "$ROOT/tests/setup_guard.py" r 2>&1) || fail "guard failed: $out"
}
