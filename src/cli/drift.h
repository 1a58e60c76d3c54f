/* drift.h - `migralint drift`'s PATHS: which are migrations folders and
 * which the declaration (the comparison itself is drift/hook.h's). */
#ifndef MIGRALINT_CLI_DRIFT_H
#define MIGRALINT_CLI_DRIFT_H

#include "../drift/hook.h"

/* Splits drift's PATHS into migrations folders (returned in *dirs) and
 * declaration files (into d->decl); discovers the folder when none is
 * given. False after printing why (exit 2). */
bool cli_drift_paths(drift_hook *d, arena *a, const config *cfg, const char *root,
                     const char *const *paths, size_t npaths, const char ***dirs, size_t *ndirs);

#endif
