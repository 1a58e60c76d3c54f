# t_install.sh - `make install PREFIX=...` puts the binary and the man page
# in place, and the man page renders without warnings.

test_install_binary_and_man_page() {
    # The release binary is already built; install only copies it.
    make -s -C "$ROOT" install PREFIX="$T/p" >"$T/install.log" 2>&1 ||
        fail "make install failed: $(cat "$T/install.log")"
    [ -x "$T/p/bin/migralint" ] || fail "no binary in $T/p/bin"
    cmp -s "$T/p/share/man/man1/migralint.1" "$ROOT/docs/migralint.1" ||
        fail "man page not installed in share/man/man1"
    "$T/p/bin/migralint" version >/dev/null || fail "installed binary does not run"
    local warnings
    # groff, man and col come from scripts/setup.sh: missing ones fail here.
    warnings=$(groff -man -ww -z "$T/p/share/man/man1/migralint.1" 2>&1)
    expect_eq "" "$warnings" "groff warnings"
    OUT=$(MANWIDTH=80 man -l "$T/p/share/man/man1/migralint.1" 2>"$T/man.err" | col -b)
    expect_eq "" "$(cat "$T/man.err")" "man warnings"
    expect_out "migralint - static analyzer for PostgreSQL schema migrations"
    expect_out "migralint hook install [--force|--chain]"
    expect_out "--fail-on LEVEL"
}

# Every command the usage text lists has a section in the man page.
test_man_page_covers_every_command() {
    local cmd
    for cmd in check status schema explain rules init "hook install" "hook uninstall" lsp version; do
        grep -qF ".B migralint $cmd" "$ROOT/docs/migralint.1" ||
            grep -qF "migralint $cmd" <<<"$(grep -A1 '^\.B migralint' "$ROOT/docs/migralint.1" | tr '\n' ' ')" ||
            fail "man page SYNOPSIS lacks $cmd"
    done
}
