# t_loops.sh - no source files call each other in a circle (issue 20,
# docs/architecture.md "Loops"): scripts/check-loops.sh over the objects of
# the binary under test, and the check itself on planted loops.

# The objects beside the binary under test: build/asan/obj for make test,
# build/obj for make valgrind (its wrapper sits in build/).
__objdir() {
    echo "$(dirname "$MIGRALINT")/obj"
}

test_no_files_call_each_other() {
    local out
    [ -d "$(__objdir)/catalog" ] || { fail "no objects in $(__objdir)"; return; }
    out=$(bash "$ROOT/scripts/check-loops.sh" "$(__objdir)" "$ROOT/src" 2>&1) || fail "$out"
}

# Two small files that call each other, compiled into obj/ (their sources
# in src/), checked with an empty list of allowed calls.
__pair() {
    export CHECK_LOOPS_ALLOW=
    mkdir -p src/a obj/a
    printf 'void y(void);\nvoid x(void) { y(); }\n' >src/a/x.c
    printf 'void x(void);\nvoid y(void) { x(); }\n' >src/a/y.c
    printf 'void x(void);\nvoid z(void) { x(); }\n' >src/a/z.c
    for f in x y z; do cc -c -o obj/a/$f.o src/a/$f.c || fail "cc $f.c"; done
}

test_check_loops_reports_a_pair() {
    local out rc=0
    __pair
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code"
    case $out in *"check-loops: a/x <-> a/y call each other: a/x calls y; a/y calls x"*) ;;
    *) fail "pair not reported: $out" ;; esac
    case $out in *"a/z"*) fail "a/z calls x one way only, yet is reported: $out" ;; esac
}

# A circle of three files has no pair that calls each other: it is reported
# with the calls that close it.
test_check_loops_reports_a_circle_of_three() {
    local out rc=0
    export CHECK_LOOPS_ALLOW=
    mkdir -p src/b obj/b
    printf 'void q(void);\nvoid p(void) { q(); }\n' >src/b/p.c
    printf 'void r(void);\nvoid q(void) { r(); }\n' >src/b/q.c
    printf 'void p(void);\nvoid r(void) { p(); }\n' >src/b/r.c
    for f in p q r; do cc -c -o obj/b/$f.o src/b/$f.c || fail "cc $f.c"; done
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code"
    case $out in *"3 files in one loop: b/p, b/q, b/r"*) ;; *) fail "loop not reported: $out" ;; esac
    case $out in *"b/p (calls q) -> b/q (calls r) -> b/r (calls p) -> b/p"*) ;;
    *) fail "circle not spelled out: $out" ;; esac
}

# The unit tests' objects, and an object whose source is gone (a file moved
# away leaves its .o behind until make clean), are not the program's.
test_check_loops_skips_unit_and_stale_objects() {
    local out
    __pair
    mkdir -p obj/unit
    mv obj/a/y.o obj/unit/y.o
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || fail "unit object counted: $out"
    mv obj/unit/y.o obj/a/y.o
    rm src/a/y.c
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || fail "stale object counted: $out"
}

# A loop planted in a copy of the real objects: conflict.c (below the
# replay's handlers) made to call one of them.
test_check_loops_fails_on_a_planted_loop() {
    local out rc=0
    [ -d "$(__objdir)/catalog" ] || { fail "no objects in $(__objdir)"; return; }
    cp -rs "$(__objdir)" obj
    rm obj/catalog/conflict.o
    { cat "$ROOT/src/catalog/conflict.c"; printf 'void planted(replay *r) { rp_create_table(r); }\n'; } \
        >conflict.c
    # shellcheck disable=SC2046
    cc -std=c11 -D_DEFAULT_SOURCE -I"$ROOT/src/catalog" -I"$ROOT/build/deps/include" \
        $(pkg-config --cflags libcjson) -c -o obj/catalog/conflict.o conflict.c || fail "cc conflict.c"
    out=$(bash "$ROOT/scripts/check-loops.sh" obj "$ROOT/src" 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code"
    case $out in *"catalog/conflict <-> catalog/table call each other: catalog/conflict calls rp_create_table; catalog/table calls "*) ;;
    *) fail "planted loop not reported: $out" ;; esac
}

# An allowed call opens the loop it closes; an allowed call that closes no
# loop (any more) fails, so the list stays true.
test_check_loops_allowed_calls() {
    local out rc=0
    __pair
    CHECK_LOOPS_ALLOW='a/y -> a/x    the test says so'
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || fail "allowed call reported: $out"
    CHECK_LOOPS_ALLOW='a/y -> a/x    the test says so
a/z -> a/x    z calls x, but x does not call z back'
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code"
    case $out in *"a/z -> a/x closes no loop any more"*) ;; *) fail "stale allowance kept: $out" ;; esac
    rm obj/a/y.o src/a/y.c
    CHECK_LOOPS_ALLOW='a/y -> a/x    the test says so'
    rc=0
    out=$(bash "$ROOT/scripts/check-loops.sh" obj src 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code when a/y is gone"
    case $out in *"a/y -> a/x closes no loop any more"*) ;; *) fail "allowance of a removed file kept: $out" ;; esac
}
