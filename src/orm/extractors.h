/* extractors.h - the tree-sitter ORM extractors built on orm_extract_fn
 * (model.h) for SQLAlchemy, Django, TypeORM, ActiveRecord's db/schema.rb
 * and GORM. */
#ifndef MIGRALINT_ORM_EXTRACTORS_H
#define MIGRALINT_ORM_EXTRACTORS_H

#include "model.h"

bool orm_extract_sqlalchemy(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_django(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_typeorm(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_schema_rb(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_gorm(orm_schema *s, const char *path, const char *text, size_t len);

#endif
