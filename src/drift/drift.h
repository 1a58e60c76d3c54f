/* drift.h - comparing the schema the migrations build with the schema a
 * declaration source describes (an ORM's model files, or a DDL file such as
 * a pg_dump --schema-only), and reporting every difference as a drift-*
 * finding.
 *
 * Both sides are catalogs built by the same replay (src/catalog), so names,
 * types ("serial" = integer with a sequence default, timestamp(3) is not
 * timestamp) and defaults are compared in PostgreSQL's own normalized
 * spelling. Findings about objects the declaration has point at its line
 * (the ORM file, through the model's locations); findings about objects
 * only the migrations have point at the migration statement that made them. */
#ifndef MIGRALINT_DRIFT_H
#define MIGRALINT_DRIFT_H

#include <stdbool.h>

#include "../catalog/catalog.h"
#include "../core/diag.h"
#include "../orm/ddl.h"
#include "../orm/model.h"
#include "../rules/lint.h"

/* The declared side. */
typedef struct drift_side {
    const catalog *cat;      /* replayed from ddl (model) or from the DDL file */
    const char *label;       /* how messages name it: "src/db/schema.ts", "schema.sql" */
    const orm_schema *model; /* NULL for a DDL source */
    const orm_ddl *ddl;      /* the model as DDL (offsets of cat's origins), NULL for DDL */
    bool mysql;              /* both sides are MySQL's: help is written in MySQL's SQL */
} drift_side;

/* Finds the source (already read and kept alive) of a display path: an ORM
 * file, a DDL file or a migration; NULL when it is not known. */
typedef const source *(*drift_source_fn)(void *ud, const char *path);

typedef struct drift_ctx {
    diag_list *diags;
    const linter *l; /* the levels: config and --rule/--disable apply */
    arena *a;
    drift_source_fn find;
    void *ud;
} drift_ctx;

/* Reports every difference; returns how many findings were added. */
size_t drift_compare(drift_ctx *ctx, const catalog *migrations, const drift_side *declared);
/* The extractors' skip notes as drift-skipped notes. */
void drift_report_notes(drift_ctx *ctx, const orm_schema *model);

/* A diag at an ORM location (NULL when the rule is off or the file unknown). */
diag *drift_report_loc(drift_ctx *ctx, const char *rule_id, const orm_loc *loc, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

#endif
