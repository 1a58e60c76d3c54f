/* ddl.h - an ORM schema model written out as PostgreSQL DDL, so drift can
 * replay it into a catalog with the same code that replays migrations and
 * compare two catalogs that share one normalization of names and types.
 *
 * The output creates schemas and enum types first, then every table (columns,
 * defaults, NOT NULL, primary key, unique), then indexes, then foreign keys
 * as ALTER TABLE ... ADD CONSTRAINT once every table exists. Each statement
 * is recorded with the ORM location it came from, so a finding about an
 * object the replay created from statement N can point at the ORM line. */
#ifndef MIGRALINT_ORM_DDL_H
#define MIGRALINT_ORM_DDL_H

#include <stddef.h>

#include "model.h"

/* One generated statement: its byte range in sql and where the ORM declares it. */
typedef struct orm_ddl_span {
    size_t start, end;
    orm_loc loc;
} orm_ddl_span;

typedef struct orm_ddl {
    char *sql; /* NUL-terminated, owned (free with orm_ddl_free) */
    size_t len;
    orm_ddl_span *spans;
    size_t nspans, capspans;
} orm_ddl;

/* Writes s as DDL into out (which the caller frees with orm_ddl_free);
 * a MySQL model (s->mysql) as MySQL DDL, by orm_schema_to_mysql. */
void orm_schema_to_sql(const orm_schema *s, orm_ddl *out);
/* ddl_mysql.c: s as MySQL DDL, in drizzle-kit's forms. */
void orm_schema_to_mysql(const orm_schema *s, orm_ddl *out);
void orm_ddl_free(orm_ddl *d);
/* The ORM location of the statement that covers byte offset `at`, or NULL. */
const orm_loc *orm_ddl_loc_at(const orm_ddl *d, size_t at);

/* Appends an identifier to b, double-quoted as PostgreSQL needs it to keep
 * its exact spelling. */
struct strbuf;
void orm_ddl_quote_ident(struct strbuf *b, const char *name);

#endif
