/* engine.c - the engine's door (engine.h): opening a run (root,
 * configuration, PostgreSQL version, Git), running paths or an editor's
 * buffer through the pipeline, and handing back what it found. Which
 * folders to run is engine_paths.c's. */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../core/exitcode.h"
#include "../sql/sql.h"
#include "../vcs/repo.h"
#include "cache.h"
#include "discover.h"
#include "engine_internal.h"
#include "files.h"
#include "pipeline.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

void engine_shutdown(void)
{
    sql_shutdown();
}

void engine_global_hold(void)
{
    vcs_global_hold();
}

void engine_global_release(void)
{
    vcs_global_release();
}

bool engine_find_root(char *buf, size_t size)
{
    return vcs_workdir_root(buf, size) || getcwd(buf, size);
}

/* Command-line values beat the config file, which beats the defaults. */
static void merge_config(cli_options *o, const config *cfg)
{
    if (!o->has_fail_on && cfg->has_fail_on)
        o->fail_on = cfg->fail_on;
    if (!o->has_max_file_size && cfg->max_file_size)
        o->max_file_size = cfg->max_file_size;
    if (!o->has_max_findings && cfg->max_findings)
        o->max_findings = cfg->max_findings;
}

/* Loads the explicit file, or the nearest .migralint.json from dir up to
 * root; an empty config otherwise. path receives the file read. */
static bool load_config(const char *explicit, const char *dir, const char *root, arena *a,
                        config *cfg, char *path, size_t size)
{
    memset(cfg, 0, sizeof *cfg);
    if (explicit) {
        snprintf(path, size, "%s", explicit);
        return config_load(explicit, a, cfg);
    }
    if (dir && config_find(dir, root, path, size))
        return config_load(path, a, cfg);
    return true;
}

static engine *engine_new(const cli_options *o)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->a = arena_new();
    e->o = *o;
    engine_global_hold();
    return e;
}

int engine_open(engine **out, const cli_options *o)
{
    engine *e = *out = engine_new(o);
    char cwd[PATH_MAX], path[PATH_MAX];
    if (!engine_find_root(e->root, sizeof e->root)) {
        fprintf(stderr, "migralint: cannot determine the working directory: %s\n", strerror(errno));
        return EXIT_INPUT;
    }
    e->has_cfg = true;
    const char *dir = o->config ? NULL : getcwd(cwd, sizeof cwd);
    if (!load_config(o->config, dir, e->root, e->a, &e->cfg, path, sizeof path))
        return EXIT_USAGE;
    merge_config(&e->o, &e->cfg);
    e->has_ws = true;
    /* vcs_open starts libgit2 and reads the index on a second thread. The
     * version pin is searched for when a run knows its folders
     * (settle_version): not at all when --staged finds nothing staged. */
    return workspace_open(&e->ws, &e->o, &e->cfg, e->a);
}

/* The root-level folder a path names ("migrations", "/repo/migrations/"),
 * or NULL when it names something deeper or outside the root. */
static const char *root_folder(engine *e, const char *path, const char *cwd)
{
    size_t n = strlen(e->root);
    const char *rel = NULL;
    if (path[0] == '/')
        rel = !strncmp(path, e->root, n) && path[n] == '/' ? path + n + 1 : NULL;
    else if (cwd && !strcmp(cwd, e->root))
        rel = path;
    while (rel && rel[0] == '.' && rel[1] == '/')
        rel += 2;
    if (!rel || !*rel)
        return NULL;
    size_t len = strcspn(rel, "/");
    if (rel[len + strspn(rel + len, "/")] != '\0')
        return NULL;
    return arena_strndup(e->a, rel, len);
}

/* Settles the target version once, before the first run: the folders the
 * run lints are not listed in the search for a pin. */
static void settle_version(engine *e, const char *const *paths, size_t npaths)
{
    if (e->settled)
        return;
    e->settled = true;
    char cwd[PATH_MAX];
    const char *here = getcwd(cwd, sizeof cwd);
    const char **skip = arena_calloc(e->a, npaths + 1, sizeof *skip);
    size_t nskip = 0;
    for (size_t i = 0; i < npaths; i++)
        if ((skip[nskip] = root_folder(e, paths[i], here)))
            nskip++;
    cli_settle_pg_version(&e->o, &e->cfg, e->root, skip, nskip, e->a);
}

/* The work tree holding dir, or the workspace when it holds dir, or dir. */
static void find_root(const char *workspace, const char *dir, char *buf, size_t size)
{
    if (vcs_workdir_of(dir, buf, size)) /* under the server's hold: loaded once */
        return;
    snprintf(buf, size, "%s", dir);
    size_t n = workspace ? strlen(workspace) : 0;
    if (workspace && !strncmp(dir, workspace, n) && (dir[n] == '/' || !dir[n]))
        snprintf(buf, size, "%s", workspace);
}

int engine_open_editor(engine **out, const cli_options *o, const char *dir, const char *workspace,
                       struct session *keep, char *bad_config, size_t size)
{
    engine *e = *out = engine_new(o);
    e->keep = keep;
    e->editor = true;
    find_root(workspace, dir, e->root, sizeof e->root);
    e->has_cfg = true;
    if (!load_config(o->config, dir, e->root, e->a, &e->cfg, bad_config, size))
        return EXIT_USAGE;
    settle_version(e, NULL, 0);
    /* The config fills what the command line left unset; findings are not
     * counted (an editor shows them all). */
    if (!e->o.has_max_file_size && e->cfg.max_file_size)
        e->o.max_file_size = e->cfg.max_file_size;
    return EXIT_CLEAN;
}

static void run_free(engine *e)
{
    if (!e->run_a)
        return;
    pcre2_code_free(e->filename_re);
    catalog_free(e->p.cat);
    linter_free(e->p.l);
    pipeline_free(&e->p);
    diag_list_free(&e->diags);
    arena_free(e->run_a);
    e->run_a = NULL;
    e->filename_re = NULL;
}

void engine_close(engine *e)
{
    if (!e)
        return;
    run_free(e);
    cache_guess_end();
    if (e->has_ws)
        workspace_close(&e->ws);
    if (e->has_cfg)
        config_free(&e->cfg);
    arena_free(e->a);
    engine_global_release();
    free(e);
}

const cli_options *engine_options(const engine *e)
{
    return &e->o;
}

const char *engine_root(const engine *e)
{
    return e->root;
}

const config *engine_config(const engine *e)
{
    return &e->cfg;
}

arena *engine_arena(engine *e)
{
    return e->a;
}

/* The config's filename_pattern for migration-filename (validated when
 * the config was read). */
static pcre2_code *compile_filename_pattern(const config *cfg)
{
    int err;
    PCRE2_SIZE off;
    if (!cfg->filename_pattern)
        return NULL;
    return pcre2_compile((PCRE2_SPTR)cfg->filename_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err,
                         &off, NULL);
}

/* A fresh pipeline for one run; schema and drift keep one catalog for
 * every folder. */
static pipeline *run_new(engine *e, engine_mode mode, const engine_hook *hook)
{
    run_free(e);
    bool schema = mode == ENGINE_SCHEMA || mode == ENGINE_DRIFT;
    e->run_a = arena_new();
    diag_list_init(&e->diags, e->run_a);
    if (!e->editor)
        e->diags.max = e->o.max_findings;
    e->filename_re = compile_filename_pattern(&e->cfg);
    e->p = (pipeline){.a = e->run_a,
                      .root = e->root,
                      .o = &e->o,
                      .cfg = &e->cfg,
                      .l = linter_new(&e->diags),
                      .diags = &e->diags,
                      .schema_only = schema,
                      .cat = schema ? catalog_new() : NULL,
                      .ws = e->ws.repo ? &e->ws : NULL,
                      .filename_re = e->filename_re,
                      .keep = e->keep};
    if (e->p.cat && e->cfg.nsearch_path)
        catalog_set_search_path(e->p.cat, e->cfg.search_path, e->cfg.nsearch_path);
    if (hook) {
        e->p.set_done = hook->folder_done;
        e->p.done_ud = hook->ud;
        if (hook->start)
            hook->start(&e->p, hook->ud);
    }
    linter_set_pg_version(e->p.l, e->o.pg_version, e->o.pg_version_why);
    return &e->p;
}

/* --staged reads a folder from the index (docs/git.md): one deleted from
 * the work tree but still in the index is linted from there, as any other
 * staged folder, not refused as unreadable. */
static bool index_holds_dir(pipeline *p, const char *fs_path, int err)
{
    if (err != ENOENT || !p->ws || !p->ws->staged)
        return false;
    vcs_files files = {0};
    bool held = workspace_index_list(p->ws, files_relative(p->a, p->root, fs_path), &files) &&
                files.count > 0;
    vcs_files_free(&files);
    return held;
}

static bool lint_paths(pipeline *p, const char *const *paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            int err = errno;
            if (!index_holds_dir(p, paths[i], err)) {
                fprintf(stderr, "migralint: %s: %s\n", paths[i], strerror(err));
                return false;
            }
            pipeline_lint_dir(p, paths[i]);
        } else if (S_ISDIR(st.st_mode)) {
            pipeline_lint_dir(p, paths[i]);
        } else if (S_ISREG(st.st_mode)) {
            pipeline_lint_file(p, paths[i]);
        } else {
            fprintf(stderr, "migralint: %s: not a regular file or directory\n", paths[i]);
            return false;
        }
    }
    return true;
}

static engine_row row_of(const status_row *r)
{
    return (engine_row){.dir = r->dir,
                        .version = r->version,
                        .name = r->name,
                        .path = r->path,
                        .framework = framework_name(r->fw),
                        .plain = r->fw == FW_PLAIN,
                        .framework_down = framework_has_down(r->fw),
                        .has_down = r->has_down,
                        .risk = r->risk,
                        .state = r->state,
                        .dialect = r->dialect,
                        .dialect_why = r->dialect_why};
}

static void result_fill(engine *e, engine_result *out)
{
    pipeline *p = &e->p;
    engine_row *rows = arena_calloc(p->a, p->nrows + 1, sizeof *rows);
    for (size_t i = 0; i < p->nrows; i++)
        rows[i] = row_of(&p->rows[i]);
    *out = (engine_result){.a = p->a,
                           .diags = p->diags,
                           .linted = p->linted,
                           .nlinted = p->nlinted,
                           .rows = rows,
                           .nrows = p->nrows,
                           .mysql = p->dialect == SQL_DIALECT_MYSQL,
                           .input_error = p->input_error,
                           .run = p};
}

static pthread_once_t observer_once = PTHREAD_ONCE_INIT;

static void observe_windows(void)
{
    sql_set_window_observer(catalog_touched_observe);
}

int engine_run(engine *e, engine_mode mode, const char *const *paths, size_t npaths,
               const engine_hook *hook, engine_result *out)
{
    /* Before any parse: a large file's touched names come from its first
     * parse, not from another pass over its windows (sql.h). */
    pthread_once(&observer_once, observe_windows);
    settle_version(e, paths, npaths);
    pipeline *p = run_new(e, mode, hook);
    bool ok = lint_paths(p, paths, npaths);
    result_fill(e, out);
    return ok ? EXIT_CLEAN : EXIT_INPUT;
}

const char *engine_lint_buffer(engine *e, const char *fs_path, const char *text, size_t len,
                               engine_result *out)
{
    settle_version(e, NULL, 0);
    pipeline *p = run_new(e, ENGINE_CHECK, NULL);
    const char *rel = pipeline_lint_buffer(p, fs_path, text, len);
    result_fill(e, out);
    return rel;
}

cJSON *engine_schema_json(const engine_result *r)
{
    return catalog_to_json(r->run->cat);
}

const char *engine_target(const cli_options *o, arena *a)
{
    char root[PATH_MAX], cwd[PATH_MAX], path[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    if (!vcs_workdir_root(root, sizeof root))
        snprintf(root, sizeof root, "%s", cwd);
    config cfg;
    bool ok = load_config(o->config, cwd, root, a, &cfg, path, sizeof path);
    cli_options settled = *o;
    cli_settle_pg_version(&settled, ok ? &cfg : NULL, root, NULL, 0, a);
    const char *text = cli_pg_version_text(&settled, a);
    config_free(&cfg);
    return text;
}

size_t engine_discover(const char *root, const cli_options *o, arena *a, engine_found **out)
{
    cli_found *found;
    size_t n = cli_discover(root, o, a, &found);
    engine_found *list = arena_calloc(a, n + 1, sizeof *list);
    for (size_t i = 0; i < n; i++)
        list[i] = (engine_found){found[i].dir, framework_name((framework)found[i].fw)};
    *out = list;
    return n;
}
