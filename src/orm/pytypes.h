/* pytypes.h - the PostgreSQL types of Django model fields and of the
 * SQLAlchemy type classes that need no arguments to spell. Both readers of
 * each framework use them: the ORM extractors (src/orm, the models) and the
 * code-migration readers (src/code, the migrations), so that a field and
 * the migration that adds it are typed alike by construction. */
#ifndef MIGRALINT_PYTYPES_H
#define MIGRALINT_PYTYPES_H

/* models.IntegerField -> "integer"; NULL for a field whose type needs its
 * arguments (CharField, DecimalField, ArrayField...) or is not Django's. */
const char *orm_django_field_type(const char *cls);
/* The default max_length of a varchar field (EmailField: 254), 0 for
 * CharField (max_length is required), -1 for a field that is no varchar. */
int orm_django_varchar_length(const char *cls);
/* sa.Integer / sa.INTEGER -> "integer"; NULL for a type that needs its
 * arguments (String(50), Numeric(10, 2), Enum...) or is unknown. */
const char *orm_sa_plain_type(const char *name);

#endif
