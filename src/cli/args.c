/* args.c - command-line parsing for the contract in DESIGN.md. Every
 * mistake is a usage error (exit 2) with a message that names the flag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/pg_target.h"
#include "../report/report.h"
#include "../rules/ruledoc.h"
#include "cli.h"

static const char *const commands[] = {"check", "schema", "status", "explain", "rules", "version",
                                       "help",  "drift",  "init",   "lsp",     "hook"};

void cli_usage(FILE *out)
{
    fputs("usage: migralint [check] [PATHS...] [options]\n"
          "       migralint status [PATHS...] [--format json]   one line per migration\n"
          "       migralint schema [PATHS...]     the schema the migrations build, as JSON\n"
          "       migralint explain RULE-ID\n"
          "       migralint rules\n"
          "       migralint version [--verbose]\n"
          "       migralint lsp                  language server on stdin/stdout\n"
          "       migralint init [--force]       write a starter .migralint.json\n"
          "       migralint hook install [--force|--chain] | hook uninstall\n"
          "\n"
          "options for check:\n"
          "  --format F          text (default on a tty) | gcc (default otherwise) | json |\n"
          "                      sarif | github | junit\n"
          "  --output FILE       write the report to FILE instead of stdout\n"
          "  --fail-on LEVEL     error (default) | warning | note | none\n"
          "  --rule ID           enable a rule (opt-in rules included)\n"
          "  --disable-rule ID   disable a rule\n"
          "  --pg-version N      target PostgreSQL major version, 13 to 17 (default: pgVersion,\n"
          "                      else the repository's postgres image or .tool-versions, else 17)\n"
          "  --config FILE       read FILE instead of the nearest .migralint.json\n"
          "  --max-file-size MB  refuse larger files (default 50)\n"
          "  --max-findings N    report at most N findings (default 10000)\n"
          "  --no-color          never colour text output (NO_COLOR is honoured too)\n"
          "  --base REV          compare with the merge-base of REV and HEAD (history rules)\n"
          "  --staged            lint what the git index stages (pre-commit)\n"
          "  --changed-only      report only migrations added or changed since --base\n"
          "  --repo DIR          run as if started in DIR\n"
          "  --no-cache          neither read nor write the replay cache\n"
          "                      ($XDG_CACHE_HOME/migralint; see --staged)\n"
          "\n"
          "exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or\n"
          "configuration error, 3 input that could not be read\n",
          out);
}

static bool is_command(const char *s)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(s, commands[i]) == 0)
            return true;
    return false;
}

static bool need_value(int argc, char **argv, int i)
{
    if (i + 1 < argc)
        return true;
    fprintf(stderr, "migralint: option %s needs a value\n", argv[i]);
    return false;
}

static bool add_rule_arg(const char **list, size_t *n, const char *flag, const char *id)
{
    if (!ruledoc_find(id)) {
        fprintf(stderr, "migralint: %s: unknown rule '%s' (see `migralint rules`)\n", flag, id);
        return false;
    }
    if (*n == CLI_MAX_RULE_ARGS) {
        fprintf(stderr, "migralint: too many %s options\n", flag);
        return false;
    }
    list[(*n)++] = id;
    return true;
}

static bool parse_number(const char *flag, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "migralint: %s: '%s' is not a number from %ld to %ld\n", flag, s, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

/* Handles the option at argv[*i]; advances *i past its value. */
static bool parse_option(int argc, char **argv, int *i, cli_options *o)
{
    const char *a = argv[*i];
    long n;
    if (!strcmp(a, "--no-color")) {
        o->no_color = true;
        return true;
    }
    if (!strcmp(a, "--no-cache")) {
        o->no_cache = true;
        return true;
    }
    if (!strcmp(a, "--force") || !strcmp(a, "--chain")) {
        *(a[2] == 'f' ? &o->force : &o->chain) = true;
        return true;
    }
    if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
        o->verbose = true;
        return true;
    }
    if (!strcmp(a, "--staged") || !strcmp(a, "--changed-only")) {
        *(a[2] == 's' ? &o->staged : &o->changed_only) = true;
        return true;
    }
    if (!strcmp(a, "--base") || !strcmp(a, "--repo")) {
        if (!need_value(argc, argv, *i))
            return false;
        *(a[2] == 'b' ? &o->base : &o->repo) = argv[++*i];
        return true;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
        o->command = "help";
        return true;
    }
    if (!strcmp(a, "--version")) {
        o->command = "version";
        return true;
    }
    static const char *const valued[] = {"--format",        "--output",       "--fail-on",
                                         "--rule",          "--disable-rule", "--pg-version",
                                         "--max-file-size", "--config",       "--max-findings"};
    size_t k = 0;
    while (k < sizeof valued / sizeof valued[0] && strcmp(a, valued[k]) != 0)
        k++;
    if (k == sizeof valued / sizeof valued[0]) {
        fprintf(stderr, "migralint: unknown option '%s' (see `migralint --help`)\n", a);
        return false;
    }
    if (!need_value(argc, argv, *i))
        return false;
    const char *v = argv[++*i];
    switch (k) {
    case 0:
        if (!report_find(v)) {
            fprintf(stderr,
                    "migralint: --format: unknown format '%s' (text, gcc, json, sarif, "
                    "github, junit)\n",
                    v);
            return false;
        }
        o->format = v;
        return true;
    case 1:
        o->output = v;
        return true;
    case 2:
        o->has_fail_on = true;
        if (!diag_level_parse(v, &o->fail_on)) {
            fprintf(stderr,
                    "migralint: --fail-on: unknown level '%s' (error, warning, note, "
                    "none)\n",
                    v);
            return false;
        }
        return true;
    case 3:
        return add_rule_arg(o->enable, &o->nenable, a, v);
    case 4:
        return add_rule_arg(o->disable, &o->ndisable, a, v);
    case 5:
        if (!parse_number(a, v, PG_TARGET_MIN, PG_TARGET_MAX, &n))
            return false;
        o->pg_version = (int)n;
        o->has_pg_version = true;
        return true;
    case 7:
        o->config = v;
        return true;
    case 8:
        if (!parse_number(a, v, 1, 100000000, &n))
            return false;
        o->max_findings = (size_t)n;
        o->has_max_findings = true;
        return true;
    default:
        if (!parse_number(a, v, 1, 4096, &n))
            return false;
        o->max_file_size = (size_t)n * 1024 * 1024;
        o->has_max_file_size = true;
        return true;
    }
}

bool cli_parse(int argc, char **argv, cli_options *o)
{
    memset(o, 0, sizeof *o);
    o->fail_on = LEVEL_ERROR;
    o->max_file_size = 50u * 1024 * 1024;
    o->max_findings = CLI_DEFAULT_MAX_FINDINGS;
    o->paths = calloc((size_t)argc + 1, sizeof *o->paths);
    if (!o->paths)
        abort();
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_paths && !strcmp(a, "--")) {
            only_paths = true;
        } else if (!only_paths && a[0] == '-' && a[1] != '\0') {
            if (!parse_option(argc, argv, &i, o))
                return false;
        } else if (!o->command && o->npaths == 0 && is_command(a)) {
            o->command = a;
        } else {
            o->paths[o->npaths++] = a;
        }
    }
    if (!o->command)
        o->command = "check";
    return true;
}
