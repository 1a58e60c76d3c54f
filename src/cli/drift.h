/* drift.h - `migralint drift`, and drift inside `migralint check`: which
 * declaration sources go with which migrations folder, and the comparison
 * after each folder's replay. */
#ifndef MIGRALINT_CLI_DRIFT_H
#define MIGRALINT_CLI_DRIFT_H

#include "../drift/run.h"
#include "../engine/pipeline.h"

typedef struct cli_drift {
    drift_run run;
    drift_decl decl;       /* given on the command line (files among PATHS); kind NULL: discover */
    bool compared;         /* at least one comparison ran */
    const char *first_dir; /* drift: the migrations folder the declaration goes with */
} cli_drift;

/* Splits drift's PATHS into migrations folders (returned in *dirs) and
 * declaration files (into d->decl); discovers the folder when none is
 * given. False after printing why (exit 2). */
bool cli_drift_paths(cli_drift *d, arena *a, const config *cfg, const char *root,
                     const char *const *paths, size_t npaths, const char ***dirs, size_t *ndirs);
/* pipeline.set_done: compares the folder's catalog with its declaration. */
void cli_drift_set_done(pipeline *p, const char *fs_dir);
/* Sets the linter's levels for drift findings (no per-file linting ran). */
void cli_drift_levels(pipeline *p);
/* The files to list in reports: the linted ones and the drift sources. */
const source **cli_drift_files(const pipeline *p, size_t *n);

#endif
