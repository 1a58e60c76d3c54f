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

int cli_hook(const cli_options *opts);

#endif
