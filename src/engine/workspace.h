/* workspace.h - where migration texts come from (the work tree, or the git
 * index with --staged) and what Git says about each migration relative to
 * --base: applied, new, edited, renamed, deleted, out of order. */
#ifndef MIGRALINT_WORKSPACE_H
#define MIGRALINT_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "../config/config.h"
#include "../core/arena.h"
#include "../core/strset.h"
#include "../layout/layout.h"
#include "../rules/rule.h"
#include "../vcs/git.h"
#include "options.h"

typedef struct workspace {
    vcs_repo *repo;       /* NULL when no Git feature was asked for */
    const char *base_rev; /* --base, GITHUB_BASE_REF or the config's base */
    char base_oid[41];    /* the merge-base with HEAD; "" without a base */
    char tip_oid[41];     /* the base revision itself */
    bool staged, changed_only;
    /* --staged: per folder, the paths whose index entry differs from HEAD */
    vcs_files staged_sets[32];
    size_t nstaged;
    arena *a;
    strset staged_dirs; /* --staged with file arguments: folders already linted */
    source **sources;   /* texts read from Git, owned here */
    size_t nsources, cap;
} workspace;

/* The history of one migration set against the base. */
typedef struct set_history {
    lint_history *items;   /* parallel to the set's items */
    migration_set base;    /* the set at the merge-base */
    lint_history *deleted; /* base migrations gone from the set */
    size_t ndeleted;
} set_history;

/* Sets up Git access for the options; returns 0 or an exit code (after
 * printing why). Without --base, --staged, --changed-only, --repo and
 * GITHUB_BASE_REF / config base it opens nothing. */
int workspace_open(workspace *ws, const cli_options *o, const config *cfg, arena *a);
void workspace_close(workspace *ws);
/* With --staged: does the index stage anything under any of the folders
 * (repo-relative)? */
bool workspace_has_staged(workspace *ws, const char *const *rel_dirs, size_t n);
/* The files of rel_dir as the index holds them (--staged). */
bool workspace_index_files(workspace *ws, const char *rel_dir, layout_file **items, size_t *count);
/* The paths and blob ids of rel_dir's files in the index, without their
 * texts: the files workspace_index_files gives, in the same order. */
bool workspace_index_list(workspace *ws, const char *rel_dir, vcs_files *out);
/* The text of one file of that list, read from its blob: NULL after saying
 * why on stderr (unreadable, binary, invalid UTF-8). */
const source *workspace_index_text(workspace *ws, vcs_file *f);
/* History of set against the base (false when there is no base). */
bool workspace_history(workspace *ws, const migration_set *set, set_history *out);
/* Should findings of m be reported (--staged: one of its files is staged;
 * --changed-only: not applied)? h may be NULL. */
bool workspace_reports(const workspace *ws, const migration *m, const lint_history *h);
const char *workspace_state_name(const lint_history *h);

#endif
