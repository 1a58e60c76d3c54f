/* extractors.h - the table of ORM extractors, generated from extractors.def:
 * look one up by the ORM's name ("drizzle", "prisma", "sqlalchemy"...). */
#ifndef MIGRALINT_ORM_EXTRACTORS_H
#define MIGRALINT_ORM_EXTRACTORS_H

#include <stddef.h>

#include "model.h"

typedef struct orm_extractor {
    const char *name;
    orm_extract_fn extract;
} orm_extractor;

#define EXTRACTOR(name, fn) bool fn(orm_schema *s, const char *path, const char *text, size_t len);
#include "extractors.def"
#undef EXTRACTOR

size_t orm_extractor_count(void);
const orm_extractor *orm_extractor_at(size_t i);
/* NULL when no extractor has that name. */
const orm_extractor *orm_extractor_find(const char *name);
/* "drizzle, prisma, ..." for error messages; a static string. */
const char *orm_extractor_names(void);

/* Drizzle's `casing: 'snake_case'` (from drizzle.config): column names
 * omitted in the builder come from the object key in snake_case. */
void orm_drizzle_set_casing(bool snake);

/* A TypeORM data source's `namingStrategy: new SnakeNamingStrategy()`
 * (typeorm-naming-strategies, or a project's class of that name): column
 * and join column names not given are snake_case. */
void orm_typeorm_set_snake_naming(bool snake);
bool orm_typeorm_snake_naming(void);

#endif
