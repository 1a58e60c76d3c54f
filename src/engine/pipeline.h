/* pipeline.h - from PATHS to findings: read each migrations folder, let the
 * layout module order its migrations, and lint every step in order. */
#ifndef MIGRALINT_PIPELINE_H
#define MIGRALINT_PIPELINE_H

#include <stdbool.h>

#include "../config/config.h"
#include "../core/ptrmap.h"
#include "../core/strset.h"
#include "../rules/lint.h"
#include "options.h"

/* One migration as `migralint status` lists it. */
typedef struct status_row {
    const char *dir; /* the migrations folder it belongs to */
    const char *version, *name, *path;
    framework fw;
    bool has_down;
    const char *risk;
    const char *state;       /* applied, new, edited, ... (with --base), else NULL */
    const char *dialect;     /* "postgresql", "mysql" */
    const char *dialect_why; /* where the dialect came from; "default" when nothing said */
} status_row;

typedef struct pipeline {
    arena *a;
    const char *root; /* absolute work tree root */
    const cli_options *o;
    const config *cfg;
    linter *l;
    diag_list *diags;    /* where the linter puts findings */
    struct catalog *cat; /* the schema of the migration set being linted */
    strset built;        /* relations and types the replay has built in this set */
    bool schema_only;
    status_row *rows;      /* every migration linted, in order */
    size_t nrows, caprows; /* replay up steps into cat, lint nothing (`migralint schema`) */
    source **sources;      /* every file read, kept alive for the reporters */
    size_t nsources, cap;
    const source **linted; /* the files whose steps were linted, in order */
    size_t nlinted, caplinted;
    ptrmap linted_set;       /* the same files, to ask "linted already?" in O(1) */
    bool input_error;        /* exit 3 at the end */
    bool levels_set;         /* levels computed once when no per-path override varies them */
    struct workspace *ws;    /* Git inputs and history (workspace.h) */
    strset new_rels;         /* relations built by migrations new relative to --base */
    const void *filename_re; /* the config's filename_pattern, compiled (pcre2_code *) */
    /* The caller's hook (engine.h: engine_hook; drift inside `check`),
     * called once a folder's migrations are replayed, while its catalog is
     * still set, and the hook's own state. */
    void (*set_done)(struct pipeline *p, const char *fs_dir);
    void *done_ud;
    struct prefetch *ahead;  /* the set's steps parsed on a second thread (prefetch.h) */
    int dialect;             /* the sql_dialect of the folder being linted */
    const char *dialect_why; /* where it came from ("drizzle.config.ts: dialect mysql") */
    /* A long-lived process's texts and replayed schemas, kept between runs
     * (session.h); NULL in a one-shot run. Only pipeline_lint_buffer uses it. */
    struct session *keep;
    /* The set a loop lints migration by migration, and whether any of its
     * migrations has a down step (pipeline.c, set_has_down). */
    const void *held;
    bool held_has_down;
} pipeline;

/* Without p->cat set, each folder or file gets a catalog of its own; with
 * it set (`migralint schema`), every path replays into that one catalog. */
/* Lints a folder as one migration set, in the framework's order. */
void pipeline_lint_dir(pipeline *p, const char *fs_dir);
/* Lints the migration(s) a single file belongs to, standalone. */
void pipeline_lint_file(pipeline *p, const char *fs_path);
/* Lints the file at fs_path as part of its folder's migration set, with
 * data as its text (the language server's unsaved buffer). Returns its
 * repository-relative path: findings on other files are context only. */
const char *pipeline_lint_buffer(pipeline *p, const char *fs_path, const char *data, size_t len);
void pipeline_free(pipeline *p);

#endif
