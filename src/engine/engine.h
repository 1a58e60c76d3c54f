/* engine.h - the engine's one door: the CLI, the language server and drift
 * open a workspace here, ask for its migrations folders, run them and read
 * back findings. Nothing above the engine builds a pipeline, loads the
 * configuration or finds the repository itself (scripts/check-layers.sh
 * holds cli/ and lsp/ to this header, options.h and session.h). */
#ifndef MIGRALINT_ENGINE_H
#define MIGRALINT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../config/config.h"
#include "../core/arena.h"
#include "../core/diag.h"
#include "../core/source.h"
#include "options.h"

typedef struct engine engine;
struct pipeline;
struct session;

typedef enum engine_mode {
    ENGINE_CHECK,  /* lint every migration of the folders */
    ENGINE_STATUS, /* the same, and a row per migration with its risk */
    ENGINE_SCHEMA, /* replay the up steps into one catalog, lint nothing */
    ENGINE_DRIFT,  /* as SCHEMA; the caller's hook compares the catalog */
} engine_mode;

/* One migration as `migralint status` lists it. */
typedef struct engine_row {
    const char *dir; /* its migrations folder */
    const char *version, *name, *path;
    const char *framework; /* its name, as .migralint.json spells it */
    bool plain;            /* no framework detected: plain SQL files in name order */
    bool framework_down;   /* the framework has down migrations */
    bool has_down;
    const char *risk;
    const char *state;       /* applied, new, edited, ... (with --base), else NULL */
    const char *dialect;     /* "postgresql", "mysql" */
    const char *dialect_why; /* where the dialect came from */
} engine_row;

/* What a run leaves, valid until the next run or engine_close. */
typedef struct engine_result {
    arena *a;              /* the run's: lives as long as these results */
    diag_list *diags;      /* the findings (not finalized) */
    const source **linted; /* the files whose steps were linted, in order */
    size_t nlinted;
    const engine_row *rows; /* every migration linted, in order */
    size_t nrows;
    bool mysql;       /* the last folder was MySQL: no PostgreSQL target applies */
    bool input_error; /* exit 3 */
    /* The run itself, for a hook's step after it (drift); opaque above. */
    struct pipeline *run;
} engine_result;

/* Called by the engine, which knows nothing of the layers above it (drift
 * inside `check` is such a hook): start once the run is set up, before the
 * first folder; folder_done once a folder's migrations are replayed, while
 * its catalog is still set (p's done_ud is ud). */
typedef struct engine_hook {
    void (*start)(struct pipeline *p, void *ud);
    void (*folder_done)(struct pipeline *p, const char *fs_dir);
    void *ud;
} engine_hook;

/* Releases libpg_query's process-wide state at exit (nothing needs setting
 * up before: libgit2 is loaded when git is first read). */
void engine_shutdown(void);
/* A long-lived process (the language server) holds libgit2 once for all
 * its runs (each engine_open holds it too, nested). */
void engine_global_hold(void);
void engine_global_release(void);

/* Opens a run where the process stands (--repo already applied): the
 * root (the work tree, else the working directory), --config or the
 * nearest .migralint.json merged under the options, the PostgreSQL
 * version settled, Git opened when a Git feature is asked for. Returns 0,
 * or an exit code after printing why; *out is set either way and must be
 * closed. */
int engine_open(engine **out, const cli_options *o);
/* The language server's: root and configuration as seen from the folder
 * dir (the work tree holding it, else workspace when it holds dir, else
 * dir), the work tree's texts with keep's kept state (session.h), no Git
 * history. On an invalid configuration returns EXIT_USAGE with its path in
 * bad_config. */
int engine_open_editor(engine **out, const cli_options *o, const char *dir, const char *workspace,
                       struct session *keep, char *bad_config, size_t size);
void engine_close(engine *e);

/* The options with the configuration merged in, and the version settled. */
const cli_options *engine_options(const engine *e);
const char *engine_root(const engine *e);
const config *engine_config(const engine *e);
/* Lives as long as e. */
arena *engine_arena(engine *e);

/* The folders to lint: PATHS, else the config's "migrations", else a
 * well-known folder (migrations/, db/migrations/, ...), plus the folders
 * the discovery walk finds (each said on stderr). False after saying on
 * stderr that none was found (exit 2). */
bool engine_resolve_paths(engine *e, const char ***paths, size_t *npaths);
/* --staged and nothing staged under any of paths: nothing to do. */
bool engine_nothing_staged(engine *e, const char *const *paths, size_t npaths);

/* Runs the folders and files of paths; schema and drift replay them all
 * into one catalog. hook may be NULL. Returns 0, or EXIT_INPUT when a path
 * cannot be read (said on stderr); findings and errors are in out. */
int engine_run(engine *e, engine_mode mode, const char *const *paths, size_t npaths,
               const engine_hook *hook, engine_result *out);
/* Lints text as the file fs_path, within its folder's migration set (the
 * editor's unsaved buffer). Returns its repository-relative path: findings
 * on other files are context only. */
const char *engine_lint_buffer(engine *e, const char *fs_path, const char *text, size_t len,
                               engine_result *out);
/* The schema an ENGINE_SCHEMA or ENGINE_DRIFT run built, as JSON. */
cJSON *engine_schema_json(const engine_result *r);

/* "PostgreSQL 16 (docker-compose.yml:5: image postgres:16)": the version
 * `check` would target here (a broken configuration is left out); NULL when
 * the working directory is unknown. */
const char *engine_target(const cli_options *o, arena *a);

/* The work tree's root, else the working directory (errno set on false). */
bool engine_find_root(char *buf, size_t size);
/* The migrations folders under root (repo-relative) that the discovery
 * walk finds (engine/discover.h), with their framework's name. */
typedef struct engine_found {
    const char *dir;
    const char *framework;
} engine_found;
size_t engine_discover(const char *root, const cli_options *o, arena *a, engine_found **out);

#endif
