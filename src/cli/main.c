/* main.c - migralint's entry point: parse arguments, run a subcommand, and
 * turn its outcome into the documented exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "../sql/sql.h"

#include "../core/exitcode.h"
#include "../report/report.h"
#include "../rules/ruledoc.h"
#include "cli.h"

static int run(const cli_options *o)
{
    if (!strcmp(o->command, "help")) {
        cli_usage(stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(o->command, "version")) {
        printf("migralint %s (libpg_query %s)\n", MIGRALINT_VERSION, PG_VERSION);
        return EXIT_CLEAN;
    }
    if (!strcmp(o->command, "explain"))
        return cli_explain(o);
    if (!strcmp(o->command, "rules"))
        return cli_rules(o);
    return cli_check(o);
}

int main(int argc, char **argv)
{
    if (!ruledoc_init())
        return EXIT_USAGE;
    cli_options opts;
    int rc;
    if (!cli_parse(argc, argv, &opts))
        rc = EXIT_USAGE;
    else
        rc = run(&opts);
    free(opts.paths);
    ruledoc_shutdown();
    sql_shutdown();
    return rc;
}
