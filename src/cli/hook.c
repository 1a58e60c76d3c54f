/* hook.c - `migralint hook install|uninstall`: the plain git pre-commit hook
 * (the same script as hooks/pre-commit, which a test keeps identical).
 *
 * The hooks folder is git's: core.hooksPath when set (relative to the work
 * tree root, as git runs hooks from there), else hooks/ in the common git
 * directory, which linked worktrees share. Our hook is known by its marker
 * line; any other hook is foreign and is never overwritten silently:
 * --force moves it aside as pre-commit.migralint-backup, --chain keeps it
 * as pre-commit.pre-migralint and our hook runs it first. */
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/exitcode.h"
#include "cli.h"

#define HOOK_MARKER  "# migralint-hook: 1"
#define CHAINED_NAME "pre-commit.pre-migralint"
#define BACKUP_NAME  "pre-commit.migralint-backup"

static const char hook_script[] =
    "#!/bin/sh\n"
    "# migralint pre-commit hook: lints the staged migrations and stops the commit\n"
    "# when a finding reaches --fail-on (see `migralint check --help`).\n"
    "# `git commit --no-verify` skips it once. `migralint hook install` writes this\n"
    "# file into the repository's hooks folder; `migralint hook uninstall` removes it.\n"
    "# migralint-hook: 1\n"
    "hook_dir=$(dirname \"$0\")\n"
    "if [ -x \"$hook_dir/pre-commit.pre-migralint\" ]; then\n"
    "    # the hook that was here before `migralint hook install --chain`\n"
    "    \"$hook_dir/pre-commit.pre-migralint\" \"$@\" || exit $?\n"
    "fi\n"
    "# Nothing migralint reads is staged (the same patterns as the `files` of\n"
    "# .pre-commit-hooks.yaml): done, without starting it.\n"
    "if ! git diff --cached --name-only | grep -qE "
    "'(\\.sql|(^|/)sqitch\\.plan|(^|/)meta/_journal\\.json|(^|/)\\.migralint\\.json|(^|/"
    ")schema\\.prisma|(^|/)db/schema\\.rb|(^|/)models\\.py|(^|/)schema\\.(ts|js)|(^|/"
    ")(migrations?|migrate|alembic/versions)/[^/]+\\.(py|ts|js|go|rb))$'; then\n"
    "    exit 0\n"
    "fi\n"
    "if [ -n \"${MIGRALINT:-}\" ]; then\n"
    "    bin=$MIGRALINT\n"
    "elif command -v migralint >/dev/null 2>&1; then\n"
    "    bin=migralint\n"
    "else\n"
    "    echo \"migralint pre-commit hook: migralint is not on PATH; install it, set "
    "MIGRALINT=/path/to/migralint, or skip this check once with git commit --no-verify\" >&2\n"
    "    exit 1\n"
    "fi\n"
    "exec \"$bin\" check --staged --format text\n";

/* The hooks folder of the repository around the working directory. */
static bool hooks_dir(char *buf, size_t size)
{
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    git_buf path = {0};
    bool ok = false;
    if (git_repository_open_ext(&repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) != 0) {
        const git_error *e = git_error_last();
        fprintf(stderr, "migralint: hook: not in a git repository (%s)\n",
                e && e->message ? e->message : "no .git found");
        return false;
    }
    if (git_repository_config_snapshot(&cfg, repo) == 0 &&
        git_config_get_path(&path, cfg, "core.hooksPath") == 0 && path.size) {
        const char *wd = git_repository_workdir(repo);
        if (path.ptr[0] == '/' || !wd)
            snprintf(buf, size, "%s", path.ptr);
        else
            snprintf(buf, size, "%s%s", wd, path.ptr);
        ok = true;
    } else {
        snprintf(buf, size, "%shooks", git_repository_commondir(repo));
        ok = true;
    }
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    git_buf_dispose(&path);
    git_config_free(cfg);
    git_repository_free(repo);
    return ok;
}

/* Is the file at path a hook we wrote? */
static bool ours(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    bool yes = false;
    for (int i = 0; f && !yes && i < 12 && fgets(line, sizeof line, f); i++)
        yes = !strncmp(line, HOOK_MARKER, strlen(HOOK_MARKER));
    if (f)
        fclose(f);
    return yes;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool move(const char *from, const char *to)
{
    if (rename(from, to) == 0) {
        printf("moved %s to %s\n", from, to);
        return true;
    }
    fprintf(stderr, "migralint: cannot move %s to %s: %s\n", from, to, strerror(errno));
    return false;
}

static bool write_hook(const char *path)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    bool ok = f && fputs(hook_script, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    ok = ok && chmod(tmp, 0755) == 0 && rename(tmp, path) == 0;
    if (!ok) {
        fprintf(stderr, "migralint: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    return ok;
}

static int install(const cli_options *o, const char *dir)
{
    char hook[PATH_MAX + 16], aside[PATH_MAX + 32];
    snprintf(hook, sizeof hook, "%s/pre-commit", dir);
    bool foreign = exists(hook) && !ours(hook);
    if (foreign && !o->force && !o->chain) {
        fprintf(stderr,
                "migralint: %s exists and is not migralint's; not touching it.\n"
                "  --chain keeps it and runs it before migralint; --force moves it aside to %s\n",
                hook, BACKUP_NAME);
        return EXIT_USAGE;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "migralint: cannot create %s: %s\n", dir, strerror(errno));
        return EXIT_INPUT;
    }
    if (foreign) {
        snprintf(aside, sizeof aside, "%s/%s", dir, o->chain ? CHAINED_NAME : BACKUP_NAME);
        if (exists(aside)) {
            fprintf(stderr, "migralint: %s already exists; move it away first\n", aside);
            return EXIT_USAGE;
        }
        if (!move(hook, aside))
            return EXIT_INPUT;
    }
    bool update = exists(hook);
    if (!write_hook(hook))
        return EXIT_INPUT;
    printf("%s %s (runs `migralint check --staged` before each commit; "
           "`git commit --no-verify` skips it)\n",
           update ? "updated" : "installed", hook);
    return EXIT_CLEAN;
}

static int uninstall(const char *dir)
{
    char hook[PATH_MAX + 16], chained[PATH_MAX + 32];
    snprintf(hook, sizeof hook, "%s/pre-commit", dir);
    snprintf(chained, sizeof chained, "%s/%s", dir, CHAINED_NAME);
    if (!exists(hook)) {
        printf("no pre-commit hook in %s: nothing to remove\n", dir);
        return EXIT_CLEAN;
    }
    if (!ours(hook)) {
        fprintf(stderr, "migralint: %s is not migralint's hook; leaving it alone\n", hook);
        return EXIT_USAGE;
    }
    if (unlink(hook) != 0) {
        fprintf(stderr, "migralint: cannot remove %s: %s\n", hook, strerror(errno));
        return EXIT_INPUT;
    }
    printf("removed %s\n", hook);
    if (exists(chained) && !move(chained, hook))
        return EXIT_INPUT;
    return EXIT_CLEAN;
}

int cli_hook(const cli_options *o)
{
    const char *what = o->npaths == 1 ? o->paths[0] : NULL;
    bool inst = what && !strcmp(what, "install"), uninst = what && !strcmp(what, "uninstall");
    if (!inst && !uninst) {
        fputs("usage: migralint hook install [--force | --chain] | migralint hook uninstall\n",
              stderr);
        return EXIT_USAGE;
    }
    if (o->force && o->chain) {
        fputs("migralint: hook install: --force and --chain exclude each other\n", stderr);
        return EXIT_USAGE;
    }
    char dir[PATH_MAX];
    git_libgit2_init();
    bool found = hooks_dir(dir, sizeof dir);
    git_libgit2_shutdown();
    if (!found)
        return EXIT_INPUT;
    return inst ? install(o, dir) : uninstall(dir);
}
