# t_hook.sh - the git pre-commit hook: `migralint hook install|uninstall`
# (hooks folder, core.hooksPath, worktrees, foreign hooks, --force,
# --chain), and real `git commit` runs through it.
#
# The commit tests marked [needs --staged] run `migralint check --staged`
# inside the hook, which the git branch (issue 5) provides.

hook_repo() {
    git_repo repo
    mkdir -p repo/migrations
    echo 'CREATE TABLE users (id bigint PRIMARY KEY, fax text);' \
        >repo/migrations/000001_users.up.sql
    echo 'DROP TABLE users;' >repo/migrations/000001_users.down.sql
    git -C repo add -A && git -C repo commit -qm users
    cd repo || return 1
}

# Stages a migration that drops users.fax.
stage_drop() {
    printf "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN fax;\n" \
        >migrations/000002_drop_fax.up.sql
    echo 'ALTER TABLE users ADD COLUMN fax text;' >migrations/000002_drop_fax.down.sql
    git add migrations
}

stage_clean() {
    echo 'CREATE TABLE notes (id bigint PRIMARY KEY, body text);' \
        >migrations/000002_notes.up.sql
    echo 'DROP TABLE notes;' >migrations/000002_notes.down.sql
    git add migrations
}

# git commit; sets $OUT (stdout and stderr together) and $RC.
commit() {
    OUT=$(git commit "$@" 2>&1)
    RC=$?
}

test_hook_install_and_uninstall() {
    hook_repo
    ml hook install
    expect_rc 0
    expect_eq "installed $T/repo/.git/hooks/pre-commit (runs \`migralint check --staged\` before each commit; \`git commit --no-verify\` skips it)" "$OUT" "install output"
    [ -x .git/hooks/pre-commit ] || fail "hook not executable"
    cmp -s .git/hooks/pre-commit "$ROOT/hooks/pre-commit" ||
        fail "the installed hook differs from hooks/pre-commit"
    ml hook install
    expect_rc 0
    expect_out "updated $T/repo/.git/hooks/pre-commit"
    mkdir -p migrations/deep && cd migrations/deep || return
    ml hook uninstall
    expect_rc 0
    expect_eq "removed $T/repo/.git/hooks/pre-commit" "$OUT" "uninstall output"
    [ ! -e "$T/repo/.git/hooks/pre-commit" ] || fail "hook still there"
    ml hook uninstall
    expect_rc 0
    expect_out "no pre-commit hook in $T/repo/.git/hooks: nothing to remove"
}

test_hook_usage_errors() {
    hook_repo
    ml hook
    expect_rc 2
    expect_err "usage: migralint hook install [--force | --chain] | migralint hook uninstall"
    ml hook remove
    expect_rc 2
    ml hook install --force --chain
    expect_rc 2
    expect_err "--force and --chain exclude each other"
    cd "$T" && mkdir plain && cd plain || return
    GIT_CEILING_DIRECTORIES=$T ml hook install
    expect_rc 3
    expect_err "migralint: hook: not in a git repository"
}

test_hook_leaves_a_foreign_hook_alone() {
    hook_repo
    printf '#!/bin/sh\necho foreign hook\n' >.git/hooks/pre-commit
    chmod +x .git/hooks/pre-commit
    ml hook install
    expect_rc 2
    expect_err "$T/repo/.git/hooks/pre-commit exists and is not migralint's; not touching it."
    expect_err "--chain keeps it and runs it before migralint; --force moves it aside to pre-commit.migralint-backup"
    expect_eq "$(printf '#!/bin/sh\necho foreign hook')" "$(cat .git/hooks/pre-commit)" "untouched"
    ml hook uninstall
    expect_rc 2
    expect_err "is not migralint's hook; leaving it alone"
    ml hook install --force
    expect_rc 0
    expect_out "moved $T/repo/.git/hooks/pre-commit to $T/repo/.git/hooks/pre-commit.migralint-backup"
    grep -q '^echo foreign hook$' .git/hooks/pre-commit.migralint-backup || fail "no backup"
    cmp -s .git/hooks/pre-commit "$ROOT/hooks/pre-commit" || fail "not installed"
    ml hook uninstall
    expect_rc 0
    [ ! -e .git/hooks/pre-commit ] || fail "uninstall left a hook"
    [ -e .git/hooks/pre-commit.migralint-backup ] || fail "uninstall removed the backup"
}

test_hook_chain_runs_the_old_hook_first() {
    hook_repo
    printf '#!/bin/sh\necho "old hook says no" >&2\nexit 7\n' >.git/hooks/pre-commit
    chmod +x .git/hooks/pre-commit
    ml hook install --chain
    expect_rc 0
    expect_out "moved $T/repo/.git/hooks/pre-commit to $T/repo/.git/hooks/pre-commit.pre-migralint"
    stage_clean
    commit -m notes
    [ "$RC" -ne 0 ] || fail "the chained hook's refusal did not stop the commit"
    grep -qF "old hook says no" <<<"$OUT" || fail "old hook did not run: $OUT"
    expect_eq 1 "$(git rev-list --count HEAD)" "commits"
    ml hook uninstall
    expect_rc 0
    expect_out "moved $T/repo/.git/hooks/pre-commit.pre-migralint to $T/repo/.git/hooks/pre-commit"
    grep -q 'old hook says no' .git/hooks/pre-commit || fail "old hook not restored"
}

test_hook_respects_core_hooks_path() {
    hook_repo
    git config core.hooksPath .githooks
    mkdir -p migrations && cd migrations || return
    ml hook install
    expect_rc 0
    expect_out "installed $T/repo/.githooks/pre-commit"
    [ ! -e "$T/repo/.git/hooks/pre-commit" ] || fail "wrote into .git/hooks despite core.hooksPath"
    git config core.hooksPath "$T/shared-hooks"
    ml hook install
    expect_rc 0
    expect_out "installed $T/shared-hooks/pre-commit"
    [ -x "$T/shared-hooks/pre-commit" ] || fail "absolute core.hooksPath not used"
}

test_hook_in_a_linked_worktree() {
    hook_repo
    git worktree add -q "$T/wt" -b side
    cd "$T/wt" || return
    ml hook install
    expect_rc 0
    # git runs the common directory's hooks in every worktree
    expect_out "installed $T/repo/.git/hooks/pre-commit"
}

test_hook_no_verify_skips_it() {
    hook_repo
    ml hook install
    stage_drop
    commit --no-verify -m 'drop fax'
    expect_rc 0
    expect_eq 2 "$(git rev-list --count HEAD)" "commits"
    [ -z "$(grep -F migralint <<<"$OUT")" ] || fail "the hook ran: $OUT"
}

# A commit that stages nothing migralint reads does not start it (here it
# is not even on PATH).
test_hook_skips_commits_without_migrations() {
    hook_repo
    ml hook install
    echo docs >README.md && git add README.md
    OUT=$(env -u MIGRALINT PATH=/usr/bin:/bin git commit -m docs 2>&1)
    RC=$?
    expect_rc 0
    expect_eq 2 "$(git rev-list --count HEAD)" "commits"
}

test_hook_without_the_binary() {
    hook_repo
    ml hook install
    stage_clean
    OUT=$(env -u MIGRALINT PATH=/usr/bin:/bin git commit -m notes 2>&1)
    RC=$?
    [ "$RC" -ne 0 ] || fail "commit went through without migralint"
    grep -qF "migralint pre-commit hook: migralint is not on PATH; install it, set MIGRALINT=/path/to/migralint, or skip this check once with git commit --no-verify" <<<"$OUT" ||
        fail "message: $OUT"
}

# [needs --staged]
test_hook_blocks_a_destructive_commit() {
    hook_repo
    ml hook install
    stage_drop
    commit -m 'drop fax'
    [ "$RC" -eq 1 ] || fail "commit exit $RC, want 1: $OUT"
    expect_eq 1 "$(git rev-list --count HEAD)" "commits"
    grep -qF "error[drop-column]: dropping column users.fax" <<<"$OUT" || fail "output: $OUT"
    grep -qF -- "--> migrations/000002_drop_fax.up.sql:2:31" <<<"$OUT" || fail "output: $OUT"
}

# [needs --staged] The binary found on PATH, a clean migration, and the
# index rather than the work tree: an unstaged destructive edit is not
# what gets committed, so it does not block.
test_hook_lets_a_clean_commit_through() {
    hook_repo
    ml hook install
    mkdir "$T/bin" && ln -s "$MIGRALINT" "$T/bin/migralint"
    stage_clean
    echo 'DROP TABLE users;' >>migrations/000002_notes.up.sql # not staged
    OUT=$(env -u MIGRALINT PATH="$T/bin:$PATH" git commit -m notes 2>&1)
    RC=$?
    expect_rc 0
    expect_eq 2 "$(git rev-list --count HEAD)" "commits"
    # `git commit -a` stages it into a temporary index the hook must read
    OUT=$(git commit -a -m 'drop users' 2>&1)
    RC=$?
    [ "$RC" -eq 1 ] || fail "commit -a exit $RC, want 1: $OUT"
    grep -qF "error[drop-table]" <<<"$OUT" || fail "output: $OUT"
}

# The pre-commit framework's manifest: the fields it requires, an entry
# that exists, and a files pattern (Python regex, as pre-commit uses) that
# takes migrations and ORM schema files and nothing else.
test_pre_commit_manifest() {
    python3 - "$ROOT" <<'PY' || fail "manifest"
import os, re, sys, yaml
root = sys.argv[1]
hooks = yaml.safe_load(open(os.path.join(root, ".pre-commit-hooks.yaml")))
ids = [h["id"] for h in hooks]
assert ids == ["migralint", "migralint-build"], ids
sys_hook, build = hooks
assert sys_hook["language"] == "system" and sys_hook["entry"].startswith("migralint check --staged"), sys_hook
assert build["language"] == "script", build
assert os.access(os.path.join(root, build["entry"]), os.X_OK), build["entry"]
for h in hooks:
    assert h["pass_filenames"] is False and h["name"] and h["files"] == sys_hook["files"], h
files = re.compile(sys_hook["files"])
yes = ["db/migrations/20240101_a.sql", "migrations/000001_users.up.sql", "sqitch.plan",
       "drizzle/meta/_journal.json", ".migralint.json", "prisma/schema.prisma", "db/schema.rb",
       "app/models.py", "src/db/schema.ts", "app/migrations/0001_initial.py",
       "alembic/versions/3f2a_add.py", "db/migrate/20240101_add_users.rb"]
no = ["src/main.c", "README.md", "app/views.py", "package.json", "db/seeds.rb",
      "migrations/README.md", "app/migrations/sub/helper.py"]
bad = [p for p in yes if not files.search(p)] + [p for p in no if files.search(p)]
assert not bad, bad
# the plain hook skips commits by the same pattern
hook = open(os.path.join(root, "hooks/pre-commit")).read()
assert "grep -qE '%s'" % sys_hook["files"] in hook, "hooks/pre-commit's pattern differs"
PY
}
