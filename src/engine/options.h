/* options.h - what a run is asked to do: the options the CLI parses from
 * argv and the language server passes on, read by every engine stage.
 * Here, in the engine, because the engine reads them and must not include
 * the CLI above it; the names keep their cli_ prefix (they were the CLI's). */
#ifndef MIGRALINT_ENGINE_OPTIONS_H
#define MIGRALINT_ENGINE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

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
 * (may be NULL), else the repository at root's pin, else the default. skip
 * names nskip folders at root that hold migrations (pg_target_detect). */
void cli_settle_pg_version(cli_options *o, const struct config *cfg, const char *root,
                           const char *const *skip, size_t nskip, struct arena *a);
/* "PostgreSQL 16 (docker-compose.yml:5: image postgres:16)". */
const char *cli_pg_version_text(const cli_options *o, struct arena *a);

#endif
