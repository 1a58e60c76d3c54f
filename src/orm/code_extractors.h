/* code_extractors.h - the tree-sitter ORM extractors for SQLAlchemy,
 * Django, TypeORM, ActiveRecord's db/schema.rb and GORM (each an
 * orm_extract_fn, model.h; registered by name in extractors.def), and how
 * to tell which of them a source file is for. */
#ifndef MIGRALINT_ORM_CODE_EXTRACTORS_H
#define MIGRALINT_ORM_CODE_EXTRACTORS_H

#include "model.h"

bool orm_extract_sqlalchemy(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_django(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_typeorm(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_schema_rb(orm_schema *s, const char *path, const char *text, size_t len);
bool orm_extract_gorm(orm_schema *s, const char *path, const char *text, size_t len);

/* The ORM a source file declares models for, from its name and imports:
 * "sqlalchemy", "django", "typeorm", "activerecord", "gorm", or NULL (e.g. a
 * .ts file without TypeORM, which may be Drizzle). */
const char *orm_code_kind(const char *path, const char *text, size_t len);

#endif
