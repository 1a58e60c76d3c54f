/* discover.h - the migrations folders of a repository, found by a walk
 * (discover.c): what `check` lints when given no PATHS and nothing is
 * configured, and what `migralint init` writes into .migralint.json
 * (engine.h: engine_discover). */
#ifndef MIGRALINT_ENGINE_DISCOVER_H
#define MIGRALINT_ENGINE_DISCOVER_H

#include <stddef.h>

#include "../core/arena.h"
#include "options.h"

/* The migrations folders under root, as `migralint init` finds them: a
 * bounded walk (depth 7, at most 4,000 folders, skipping hidden folders,
 * node_modules, vendor and build output) that takes a folder when a
 * framework's layout reads it, or when it holds numbered SQL files
 * (db/init/001_x.sql) outside seeds and tests. Paths are repo-relative. */
typedef struct cli_found {
    const char *dir;
    int fw; /* a framework (layout.h) */
} cli_found;
size_t cli_discover(const char *root, const cli_options *o, arena *a, cli_found **out);

#endif
