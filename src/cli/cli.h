/* cli.h - options shared by the subcommands, and the subcommand entry points. */
#ifndef MIGRALINT_CLI_H
#define MIGRALINT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/diag.h"
#include "../engine/options.h" /* cli_options: what a run is asked to do */

/* Fills opts from argv; prints the problem and returns false on bad usage. */
bool cli_parse(int argc, char **argv, cli_options *opts);
void cli_usage(FILE *out);

int cli_check(const cli_options *opts);
int cli_explain(const cli_options *opts);
int cli_rules(const cli_options *opts);
int cli_init(const cli_options *opts);

/* The migrations folders under root, as `migralint init` finds them: a
 * bounded walk (depth 7, at most 4,000 folders, skipping hidden folders,
 * node_modules, vendor and build output) that takes a folder when a
 * framework's layout reads it, or when it holds numbered SQL files
 * (db/init/001_x.sql) outside seeds and tests. Paths are repo-relative. */
typedef struct cli_found {
    const char *dir;
    int fw; /* a framework (layout.h) */
} cli_found;
struct arena;
size_t cli_discover(const char *root, const cli_options *o, struct arena *a, cli_found **out);
int cli_hook(const cli_options *opts);

#endif
