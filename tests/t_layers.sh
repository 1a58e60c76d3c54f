# t_layers.sh - the engine's layering (issue 20, docs/architecture.md): no
# file includes a header of a layer above its own, and cli/ and lsp/ take
# the analysis only through the engine's facade (scripts/check-layers.sh).

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

# The facade (issue 20): cli/ and lsp/ reach the analysis through
# engine/engine.h. A copy of the real tree passes; the same copy with an
# include of the catalog planted in cli/check.c, of the pipeline in
# lsp/diagnose.c, or of Git in cli/main.c fails, naming each file and line.
test_check_layers_fails_past_the_facade() {
    local out rc=0
    cp -a "$ROOT/src" src
    out=$(bash "$ROOT/scripts/check-layers.sh" src 2>&1) || fail "the copy fails: $out"
    printf '#include "../catalog/catalog.h"\n' >>src/cli/check.c
    printf '#include "../engine/pipeline.h"\n' >>src/lsp/diagnose.c
    printf '#include "../vcs/repo.h"\n' >>src/cli/main.c
    local n_check n_diag n_main
    n_check=$(wc -l <src/cli/check.c) n_diag=$(wc -l <src/lsp/diagnose.c) n_main=$(wc -l <src/cli/main.c)
    out=$(bash "$ROOT/scripts/check-layers.sh" src 2>&1) || rc=$?
    expect_eq 1 "$rc" "exit code"
    case $out in *"src/cli/check.c:$n_check: includes ../catalog/catalog.h: cli/ takes from below only"*) ;;
    *) fail "the catalog in cli/ not reported: $out" ;; esac
    case $out in *"src/lsp/diagnose.c:$n_diag: includes ../engine/pipeline.h: lsp/ takes from below only"*) ;;
    *) fail "the pipeline in lsp/ not reported: $out" ;; esac
    case $out in *"src/cli/main.c:$n_main: includes ../vcs/repo.h"*) ;;
    *) fail "vcs in cli/ not reported: $out" ;; esac
    expect_eq 3 "$(grep -c 'takes from below only' <<<"$out")" "facade findings"
}
