/* prisma_mysql.h - what `prisma migrate` writes on MySQL (datasource
 * provider = "mysql"): the column type of each Prisma scalar and @db
 * native type, and now()'s default. prisma.c reads the schema (one
 * extractor for every provider) and asks here for MySQL's spelling. */
#ifndef MIGRALINT_ORM_PRISMA_MYSQL_H
#define MIGRALINT_ORM_PRISMA_MYSQL_H

#include "../core/arena.h"

/* String -> VARCHAR(191), Int -> INTEGER...; NULL for a non-scalar. */
const char *orm_prisma_mysql_scalar(const char *prisma_type);
/* @db.X(args): "UnsignedInt" -> INTEGER UNSIGNED, "VarChar" "(255)" ->
 * VARCHAR(255); args is the argument list as written ("(10, 2)") or NULL.
 * NULL when X is not a MySQL native type. */
const char *orm_prisma_mysql_native(arena *a, const char *name, const char *args);
/* now(): CURRENT_TIMESTAMP with the column's fractional seconds
 * (DATETIME(3) -> CURRENT_TIMESTAMP(3)). */
const char *orm_prisma_mysql_now(arena *a, const char *type);

#endif
