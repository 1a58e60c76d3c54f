/* drizzle_mysql.h - what Drizzle's mysql-core builders write as SQL: the
 * column types of getSQLType() and the defaults drizzle-kit generate puts
 * in MySQL migrations. drizzle.c reads the builder calls (one extractor for
 * pg-core and mysql-core, whose schema files differ only in these) and asks
 * here for their spelling. */
#ifndef MIGRALINT_ORM_DRIZZLE_MYSQL_H
#define MIGRALINT_ORM_DRIZZLE_MYSQL_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"

/* A builder's config object, as read from the file; -1 when not given. */
typedef struct drizzle_mysql_cfg {
    long length, precision, scale, fsp;
    bool is_unsigned;
} drizzle_mysql_cfg;

/* Whether a schema text is Drizzle mysql-core's: it declares mysqlTable
 * (or mysqlTableCreator, mysqlSchema) tables. */
bool orm_drizzle_is_mysql(const char *text, size_t len);

/* The type of a mysql-core builder ("int unsigned", "varchar(255)",
 * "timestamp(3)", "serial"), or NULL when the builder is not mysql-core's. */
const char *orm_drizzle_mysql_type(arena *a, const char *builder, const drizzle_mysql_cfg *cfg);

/* mysqlEnum's type: enum('a','b'). */
const char *orm_drizzle_mysql_enum(arena *a, const char *const *values, size_t n);

/* A literal default (already SQL: 'x', 3, true) as drizzle-kit writes it for
 * a column of this type: in parentheses for text, blob and json columns,
 * which MySQL 8 accepts only as expression defaults. */
const char *orm_drizzle_mysql_default(arena *a, const char *type, const char *literal);

#endif
