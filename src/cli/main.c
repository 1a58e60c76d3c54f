/* main.c - migralint's entry point: parse arguments, run a subcommand, and
 * turn its outcome into the documented exit code. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <git2.h>
#include <pcre2.h>

#include "../core/exitcode.h"
#include "../core/grammars.h"
#include "../engine/engine.h"
#include "../report/report.h"
#include "../lsp/lsp.h"
#include "../rules/ruledoc.h"
#include "cli.h"

/* The PostgreSQL version `check` would target here, and why: the same
 * settling as check's (command line, config, repository pin, default). */
static void print_target(const cli_options *o)
{
    arena *a = arena_new();
    const char *target = engine_target(o, a);
    if (target)
        printf("target: %s\n", target);
    arena_free(a);
}

/* With --verbose (or `version -v`), lists the libraries and the tree-sitter
 * grammars with their ABI, loading each one: a broken grammar build shows
 * here instead of deep inside an ORM check. */
static int print_version(const cli_options *o)
{
    printf("migralint %s\n", MIGRALINT_VERSION);
    if (!o->verbose)
        return EXIT_CLEAN;
    printf("libpg_query %s (PostgreSQL %s grammar)\n", PG_VERSION, PG_MAJORVERSION);
    print_target(o);
    printf("libgit2 %s, PCRE2 %d.%d, cJSON %s\n", LIBGIT2_VERSION, PCRE2_MAJOR, PCRE2_MINOR,
           cJSON_Version());
    printf("tree-sitter runtime ABI %d-%d\n", TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
           TREE_SITTER_LANGUAGE_VERSION);
    int rc = EXIT_CLEAN;
    for (size_t i = 0; i < orm_grammar_count(); i++) {
        const orm_grammar *g = orm_grammar_at(i);
        bool ok = orm_grammar_loads(g);
        printf("  grammar %-10s ABI %u %s\n", g->name, ts_language_abi_version(g->language()),
               ok ? "loads" : "DOES NOT LOAD");
        if (!ok)
            rc = EXIT_INPUT;
    }
    return rc;
}

static int run(const cli_options *o)
{
    if (!strcmp(o->command, "help")) {
        cli_usage(stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(o->command, "version"))
        return print_version(o);
    if (!strcmp(o->command, "lsp"))
        return lsp_serve(o, 0, stdout);
    if (!strcmp(o->command, "init"))
        return cli_init(o);
    if (!strcmp(o->command, "hook"))
        return cli_hook(o);
    if (!strcmp(o->command, "explain"))
        return cli_explain(o);
    if (!strcmp(o->command, "rules"))
        return cli_rules(o);
    return cli_check(o);
}

/* Page faults are the dearest thing a short run does (on the 2-CPU VM of
 * the bench, some 20 us each). glibc serves blocks over 128 KiB with a
 * fresh mmap and unmaps them on free, so reading a Git tree through a
 * chain of deltas (each step a new buffer of the tree's size) faulted
 * in megabytes for a pre-commit run. Keeping big blocks on the heap and
 * the heap untrimmed lets each buffer reuse the pages of the last; the
 * process is short-lived, so holding on to them costs nothing. */
static void tune_malloc(void)
{
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}

int main(int argc, char **argv)
{
    tune_malloc();
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
    engine_shutdown();
    return rc;
}
