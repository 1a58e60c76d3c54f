/* engine_paths.c - which folders a run lints when the command line names
 * none (engine.h: engine_resolve_paths), and whether --staged has anything
 * to lint in them at all. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "discover.h"
#include "engine_internal.h"
#include "files.h"

/* Folders the popular frameworks use, tried when no PATHS are given. */
static const char *const default_dirs[] = {
    "migrations",          "db/migrations", "db/migrate",     "prisma/migrations",
    "supabase/migrations", "drizzle",       "sql/migrations", "database/migrations",
    "src/migrations",      "db/migration",
};

/* Looks in the working directory, then at the repository root (started
 * from a sub-folder, as hooks and editors may be). */
static bool find_default_dir(const char *root, arena *a, const char **out)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof default_dirs / sizeof default_dirs[0]; i++) {
            struct stat st;
            const char *d =
                pass ? arena_printf(a, "%s/%s", root, default_dirs[i]) : default_dirs[i];
            if (stat(d, &st) == 0 && S_ISDIR(st.st_mode)) {
                *out = d;
                return true;
            }
        }
    }
    return false;
}

/* Is dir (repo-relative) the well-known folder, or inside it? */
static bool within(const char *dir, const char *known)
{
    size_t n = strlen(known);
    return known[0] && !strncmp(dir, known, n) && (dir[n] == '\0' || dir[n] == '/');
}

/* The well-known folder (NULL when there is none) and the migrations
 * folders `migralint init` would write besides it; those are said on
 * stderr so the user knows what was linted. */
static bool discover_paths(const cli_options *o, const char *root, const char *known,
                           const char ***paths, size_t *npaths, arena *a)
{
    cli_found *found;
    size_t n = cli_discover(root, o, a, &found), k = 0;
    const char *known_rel = "";
    if (known && !strncmp(known, root, strlen(root)) && known[strlen(root)] == '/')
        known_rel = known + strlen(root) + 1;
    else if (known)
        known_rel = known;
    /* migrations/ that is no migrations folder itself but holds some
     * (supabase/postgres: migrations/db/migrations): those, not it. */
    bool inside = false, same = false;
    for (size_t i = 0; known && i < n; i++) {
        same = same || !strcmp(found[i].dir, known_rel);
        inside = inside || within(found[i].dir, known_rel);
    }
    if (inside && !same)
        known = NULL;
    const char **list = arena_calloc(a, n + 1, sizeof *list);
    if (known)
        list[k++] = known;
    for (size_t i = 0; i < n; i++) {
        if (known && within(found[i].dir, known_rel))
            continue; /* the well-known folder, or inside it */
        list[k++] = arena_printf(a, "%s/%s", root, found[i].dir);
        fprintf(stderr,
                "migralint: no PATHS given: linting %s (%s), found by a walk of the "
                "repository; `migralint init` writes it into .migralint.json\n",
                found[i].dir, framework_name((framework)found[i].fw));
    }
    if (!k) {
        fputs("migralint: no PATHS given and no migrations folder found here (looked for "
              "migrations/, db/migrations/, db/migrate/, prisma/migrations/, ..., then for "
              "folders of numbered SQL files up to 7 levels down); pass the folder to lint, or "
              "set \"migrations\" in .migralint.json\n",
              stderr);
        return false;
    }
    *paths = list;
    *npaths = k;
    return true;
}

bool engine_resolve_paths(engine *e, const char ***paths, size_t *npaths)
{
    const config *cfg = &e->cfg;
    *paths = e->o.paths;
    *npaths = e->o.npaths;
    if (*npaths)
        return true;
    if (cfg->nmigrations) {
        const char **list = arena_calloc(e->a, cfg->nmigrations, sizeof *list);
        for (size_t i = 0; i < cfg->nmigrations; i++)
            list[i] = arena_printf(e->a, "%s/%s", e->root, cfg->migrations[i].path);
        *paths = list;
        *npaths = cfg->nmigrations;
        return true;
    }
    const char *dflt;
    if (!find_default_dir(e->root, e->a, &dflt))
        dflt = NULL;
    return discover_paths(&e->o, e->root, dflt, paths, npaths, e->a);
}

/* A folder gone from the work tree that --staged still reads from the
 * index (docs/git.md). */
static bool index_holds(engine *e, const char *rel)
{
    vcs_files files = {0};
    bool held = workspace_index_list(&e->ws, rel, &files) && files.count > 0;
    vcs_files_free(&files);
    return held;
}

/* --staged with nothing staged in any migrations folder: exit 0 at once,
 * before reading anything else (the pre-commit hook runs on every commit). */
bool engine_nothing_staged(engine *e, const char *const *paths, size_t n)
{
    if (!e->o.staged)
        return false;
    const char **rel = arena_calloc(e->a, n + 1, sizeof *rel);
    size_t len = strlen(e->root);
    for (size_t i = 0; i < n; i++) {
        char real[PATH_MAX];
        struct stat st;
        if (!files_real_path(paths[i], real) || strncmp(real, e->root, len) != 0)
            return false; /* outside the repository: let the lint say so */
        char *slash = strrchr(real, '/');
        bool gone = stat(real, &st) != 0;
        if (!gone && !S_ISDIR(st.st_mode) && slash && slash > real + len)
            *slash = '\0'; /* a file: whatever its folder stages */
        rel[i] = arena_strdup(e->a, real[len] == '/' ? real + len + 1 : "");
        if (gone && !index_holds(e, rel[i]))
            return false; /* in neither the work tree nor the index: the lint says so */
    }
    if (!workspace_has_staged(&e->ws, rel, n))
        return true;
    if (!e->o.no_cache)
        cache_guess_start(); /* the entry the lint will most likely ask for */
    return false;
}
