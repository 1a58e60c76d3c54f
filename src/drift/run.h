/* run.h - one drift comparison from files: read the declaration source (ORM
 * model files through their extractor, or a DDL file such as a pg_dump
 * --schema-only), build its catalog, and compare it with the catalog the
 * migrations built. */
#ifndef MIGRALINT_DRIFT_RUN_H
#define MIGRALINT_DRIFT_RUN_H

#include "drift.h"

/* A declaration source: the files of one ORM, or DDL files (kind "sql"). */
typedef struct drift_decl {
    const char *kind;   /* an extractor name (extractors.def) or "sql" */
    const char **paths; /* file system paths */
    size_t npaths;
    /* discovery only: migrations folders replayed after the main one into
     * the same database (an Alembic plugin's own revision chain) */
    const char **chains;
    size_t nchains;
} drift_decl;

typedef struct drift_run {
    arena *a;
    const char *root; /* absolute work tree root: display paths are relative to it */
    diag_list *diags;
    const linter *l;
    size_t max_file_size;
    source **sources; /* files read here, owned */
    size_t nsources, cap;
    drift_source_fn more; /* other sources (the migrations') */
    void *more_ud;
    bool input_error; /* a file could not be read or parsed: exit 3 */
} drift_run;

/* Compares; false (after printing why) when the declaration cannot be read. */
bool drift_run_compare(drift_run *r, const catalog *migrations, const drift_decl *decl);
/* The kind of a declaration file: "prisma" and "sql" by extension, the code
 * ORMs by extension and imports (a .ts file without TypeORM is Drizzle);
 * NULL when it is none of them. */
const char *drift_kind_of(const char *path);
void drift_run_free(drift_run *r);

#endif
