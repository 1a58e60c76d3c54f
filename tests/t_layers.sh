# t_layers.sh - the engine's layering (issue 20, docs/architecture.md): no
# file includes a header of a layer above its own (scripts/check-layers.sh).

test_no_include_points_up() {
    local out
    out=$(bash "$ROOT/scripts/check-layers.sh" "$ROOT/src" 2>&1) || fail "$out"
}

# The check catches an include that points up, and a folder in no layer.
test_check_layers_fails_on_an_upward_include() {
    local out rc=0
    mkdir -p src/core src/cli src/newmod
    printf '#include "../cli/cli.h"\n' >src/core/x.c
    printf 'int cli;\n' >src/cli/cli.h
    out=$(bash "$ROOT/scripts/check-layers.sh" src 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code"
    case $out in *"src/core/x.c:1: includes ../cli/cli.h: cli/ is in a layer above core/"*) ;;
    *) fail "no upward include reported: $out" ;; esac
    case $out in *"src/newmod/ is in no layer"*) ;; *) fail "newmod not reported: $out" ;; esac
}
