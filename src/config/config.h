/* config.h - .migralint.json: where the migrations are, which rules run at
 * which level (with per-path overrides), and the project's PostgreSQL
 * version. The file is JSON with comments; every mistake is reported with
 * the file, line and key, and is a configuration error (exit 2). */
#ifndef MIGRALINT_CONFIG_H
#define MIGRALINT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../core/diag.h"

#define CONFIG_MAX_ITEMS 32

typedef struct config_level {
    const char *rule;
    diag_level level;
} config_level;

typedef struct config_override {
    const char *paths; /* PCRE2 pattern matched against repo-relative paths */
    void *re;          /* compiled pattern (pcre2_code *) */
    config_level levels[CONFIG_MAX_ITEMS];
    size_t nlevels;
} config_override;

typedef struct config_migrations {
    const char *path;      /* folder, repo-relative */
    const char *framework; /* NULL: detect */
    const char *dialect;   /* "postgresql" or "mysql"; NULL: the top-level one, else detect */
} config_migrations;

/* "drift": the schema the migrations are compared with (docs/drift.md). */
typedef struct config_drift {
    const char *orm;                      /* an extractor name or "sql"; NULL: not set */
    const char *schema[CONFIG_MAX_ITEMS]; /* files or folders, repo-relative */
    size_t nschema;
    const char *migrations; /* the folder it goes with; NULL: any */
} config_drift;

typedef struct config {
    const char *file; /* where it was read from, NULL when there is none */
    config_migrations migrations[CONFIG_MAX_ITEMS];
    size_t nmigrations;
    const char *base;
    int pg_version;      /* 0: not set */
    const char *dialect; /* "postgresql" or "mysql" (validated); NULL: detect per folder */
    bool has_fail_on;
    diag_level fail_on;
    size_t max_file_size; /* bytes; 0: not set */
    size_t max_findings;  /* 0: not set */
    config_level levels[CONFIG_MAX_ITEMS * 4];
    size_t nlevels;
    config_override overrides[CONFIG_MAX_ITEMS];
    size_t noverrides;
    const char *filename_pattern; /* PCRE2, for migration-filename */
    config_drift drift;
} config;

/* Looks for .migralint.json in dir and its parents, up to and including
 * stop (the repository root). Writes the path into buf; false when none. */
bool config_find(const char *dir, const char *stop, char *buf, size_t size);
/* Reads and validates path into *out (strings live in a). On error prints
 * "path:line: message" and returns false. */
bool config_load(const char *path, arena *a, config *out);
/* Releases compiled patterns. */
void config_free(config *c);
/* The level config assigns rule_id for a file at path: the last matching
 * override wins, then the top-level "rules". False when config is silent. */
bool config_level_for(const config *c, const char *rule_id, const char *path, diag_level *out);

#endif
