/* lint.h - runs every enabled rule over the statements of a migration and
 * applies inline ignore directives. */
#ifndef MIGRALINT_LINT_H
#define MIGRALINT_LINT_H

#include <stdbool.h>

#include "../core/diag.h"
#include "../sql/sql.h"
#include "rule.h"

typedef struct linter linter;

/* Findings go to out (which owns nothing of the linter). */
linter *linter_new(diag_list *out);
void linter_free(linter *l);
/* Sets a rule's level (LEVEL_NONE turns it off); false for an unknown id. */
bool linter_set_level(linter *l, const char *rule_id, diag_level level);
diag_level linter_level(const linter *l, const char *rule_id);
/* The target PostgreSQL major version, and where it came from ("--pg-version",
 * "docker-compose.yml:5: image postgres:16"); the why is borrowed. */
void linter_set_pg_version(linter *l, int version, const char *why);
/* The dialect of the migrations linted from now on (a rule runs only on
 * the dialects its `dialects` names). */
void linter_set_dialect(linter *l, sql_dialect d);
sql_dialect linter_dialect(const linter *l);
/* A migration's steps are linted between begin and end; end runs the
 * migration-level rules (missing-down, empty-down). */
void linter_begin_migration(linter *l, lint_migration *mig);
/* Lints one parsed step (an up or a down part): rules, then ignores. */
void linter_check(linter *l, const sql_file *file, bool down);
void linter_end_migration(linter *l);

/* The registry (registry.c). */
extern const rule *const rule_registry[];
extern const size_t rule_registry_count;

#endif
