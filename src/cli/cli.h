/* cli.h - options shared by the subcommands, and the subcommand entry points. */
#ifndef MIGRALINT_CLI_H
#define MIGRALINT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/diag.h"

#define CLI_MAX_RULE_ARGS        64
#define CLI_DEFAULT_MAX_FINDINGS 10000

typedef struct cli_options {
    const char *command; /* check, drift, explain, rules, version */
    const char **paths;  /* positional arguments after the command */
    size_t npaths;
    const char *format; /* NULL: text on a tty, gcc otherwise */
    const char *config; /* --config FILE; NULL: look for .migralint.json */
    const char *output; /* NULL: stdout */
    diag_level fail_on;
    bool has_fail_on; /* given on the command line (beats the config file) */
    bool has_pg_version;
    bool has_max_file_size;
    bool no_color;
    bool no_cache; /* --no-cache: no replay cache (cache.h) */
    bool verbose;
    bool force;     /* init, hook install: overwrite what is there */
    bool chain;     /* hook install: keep the existing hook and run it first */
    int pg_version; /* 0 until cli_settle_pg_version */
    const char *pg_version_why;
    size_t max_file_size;
    size_t max_findings; /* --max-findings, maxFindings; see docs/decisions.md */
    bool has_max_findings;
    const char *base; /* --base REV */
    const char *repo; /* --repo DIR: run as if started there */
    bool staged;      /* --staged: migrations from the git index */
    bool changed_only;
    const char *enable[CLI_MAX_RULE_ARGS];
    size_t nenable;
    const char *disable[CLI_MAX_RULE_ARGS];
    size_t ndisable;
} cli_options;

struct config;
struct arena;
/* Sets o->pg_version and o->pg_version_why: the command line, else cfg
 * (may be NULL), else the repository at root's pin, else the default. */
void cli_settle_pg_version(cli_options *o, const struct config *cfg, const char *root,
                           struct arena *a);
/* "PostgreSQL 16 (docker-compose.yml:5: image postgres:16)". */
const char *cli_pg_version_text(const cli_options *o, struct arena *a);

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
