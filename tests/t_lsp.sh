# t_lsp.sh - `migralint lsp`, driven as an editor drives it by
# tests/lsp_driver.py (framing, lifecycle, diagnostics with UTF-16
# positions, hover, the ignore quick fix, malformed messages, exit codes).

# A golang-migrate repository: 000001 creates users (name varchar(20)) and
# a view reading users.fax; 000002 is on disk with other text than the
# editor's buffer.
lsp_repo() {
    git_repo repo
    mkdir -p repo/migrations
    cat >repo/migrations/000001_create_users.up.sql <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20), fax text);
CREATE VIEW fax_users AS SELECT id, fax FROM users;
SQL
    printf 'DROP VIEW fax_users;\nDROP TABLE users;\n' >repo/migrations/000001_create_users.down.sql
    printf 'SELECT 1;\n' >repo/migrations/000002_widen.up.sql
    printf 'SELECT 1;\n' >repo/migrations/000002_widen.down.sql
    git -C repo add -A && git -C repo commit -qm init
}

lsp_run() {
    local out
    out=$(python3 "$ROOT/tests/lsp_driver.py" "$1" "$T/repo" 2>&1) || fail "scenario $1: $out"
}

test_lsp_edit_hover_code_action() {
    lsp_repo
    lsp_run edit
}

test_lsp_related_information() {
    lsp_repo
    lsp_run related
}

test_lsp_malformed_messages() {
    lsp_repo
    lsp_run malformed
}

test_lsp_exit_codes() {
    lsp_repo
    lsp_run exit_without_shutdown
    lsp_run eof
}

test_lsp_configuration_error() {
    lsp_repo
    lsp_run config_error
}

test_lsp_lints_a_burst_of_changes_once() {
    lsp_repo
    lsp_run burst
}

# 40 golang-migrate migrations, t1..t40 (id, note), and an empty 41st that
# the scenarios edit in the editor.
lsp_big_repo() {
    git_repo repo
    mkdir -p repo/migrations
    local i v
    for ((i = 1; i <= 40; i++)); do
        v=$(printf '%06d' "$i")
        printf 'CREATE TABLE t%d (id bigint PRIMARY KEY, note text);\n' "$i" \
            >"repo/migrations/${v}_t$i.up.sql"
        printf 'DROP TABLE t%d;\n' "$i" >"repo/migrations/${v}_t$i.down.sql"
    done
    printf 'SELECT 1;\n' >repo/migrations/000041_edit.up.sql
    printf 'SELECT 1;\n' >repo/migrations/000041_edit.down.sql
    git -C repo add -A && git -C repo commit -qm init
}

# Issue 20: the server keeps the replayed schema between edits; what it
# says after each edit is what a full check says about the same text.
test_lsp_edits_match_check() {
    lsp_big_repo
    lsp_run matches_check
}

# The server's runs are opened as check's are (engine_open_editor): the
# configuration's migrationFilePattern applies to the buffer too.
test_lsp_filename_pattern_matches_check() {
    lsp_repo
    printf 'SELECT 1;\n' >repo/migrations/000002_Bad-Name.up.sql
    printf 'SELECT 1;\n' >repo/migrations/000002_Bad-Name.down.sql
    printf '{"migrationFilePattern": "^[0-9]{6}_[a-z_]+\\\\.(up|down)\\\\.sql$"}\n' >repo/.migralint.json
    lsp_run filename_pattern
}

# ... and a change on disk it was not told about reaches the next lint.
test_lsp_disk_changes_reach_the_kept_state() {
    lsp_big_repo
    lsp_run disk_changes
}

# A goose folder: the edited file's sections and transaction mode live in
# its text, so the kept migration set must not hide a change of them.
test_lsp_goose_edits_match_check() {
    git_repo repo
    cp -R "$FIXTURES/frameworks/goose/db/migrations" repo/migrations
    git -C repo add -A && git -C repo commit -qm init
    lsp_run goose_edits
}

# diesel: a migration is a folder (up.sql, down.sql); the buffer's path
# keeps its folder.
test_lsp_diesel_buffer_in_its_folder() {
    git_repo repo
    mkdir -p repo/migrations/2024-01-01-000000_users repo/migrations/2024-01-02-000000_add_email
    printf 'CREATE TABLE users (id bigint PRIMARY KEY, name text);\n' \
        >repo/migrations/2024-01-01-000000_users/up.sql
    printf 'DROP TABLE users;\n' >repo/migrations/2024-01-01-000000_users/down.sql
    printf 'SELECT 1;\n' >repo/migrations/2024-01-02-000000_add_email/up.sql
    printf 'SELECT 1;\n' >repo/migrations/2024-01-02-000000_add_email/down.sql
    git -C repo add -A && git -C repo commit -qm init
    lsp_run diesel_edits
}

# An unsaved edit of an earlier migration: the later ones open in the
# editor are linted again in the background, with the edited text.
test_lsp_unsaved_edit_relints_later_migrations() {
    lsp_big_repo
    lsp_run unsaved_earlier
}

# Two migrations open: the background lints of one do not evict what the
# server keeps for the one being edited.
test_lsp_background_lints_keep_the_edited_state() {
    lsp_big_repo
    lsp_run two_open
}

# A real editor: Neovim's own LSP client (headless) attaches, shows the
# diagnostics of an edit, and they follow the next edit.
test_lsp_neovim_attaches_and_follows_edits() {
    lsp_repo
    printf 'DROP TABLE users;\n' >repo/migrations/000002_widen.up.sql
    REPO=$T/repo OUT=$T/nvim.out timeout 60 nvim --headless --clean \
        -c "luafile $ROOT/tests/editor/nvim_lsp.lua" >"$T/nvim.log" 2>&1 ||
        fail "nvim: $(cat "$T/nvim.log" "$T/nvim.out" 2>&1)"
    expect_eq "open: drop-table missing-lock-timeout replay-conflict
edit 1: alter-column-type
edit 2: " "$(cat "$T/nvim.out")" "what Neovim showed"
}
