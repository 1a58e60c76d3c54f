/* py.h - reading Python call arguments for the Alembic and Django readers. */
#ifndef MIGRALINT_CODE_PY_H
#define MIGRALINT_CODE_PY_H

#include "internal.h"

#define PY_MAX_ARGS 16

typedef struct py_args {
    TSNode pos[PY_MAX_ARGS];
    size_t npos;
    const char *kw_name[PY_MAX_ARGS];
    TSNode kw_value[PY_MAX_ARGS];
    size_t nkw;
} py_args;

void py_args_read(const code_ctx *c, TSNode call, py_args *out);
/* The argument given by keyword kw, else the pos-th positional one. */
TSNode py_arg(const py_args *a, size_t pos, const char *kw);
bool py_has(const py_args *a, size_t pos, const char *kw);
TSNode py_unwrap(const code_ctx *c, TSNode n);
/* A constant string argument (through op.f() and sa.text()), else NULL. */
char *py_str(const code_ctx *c, TSNode n);
bool py_is_true(const code_ctx *c, TSNode n);
bool py_is_false(const code_ctx *c, TSNode n);
/* ['a', 'b'] as "a, b" (Django's '-a' as "a DESC"); NULL when not constant. */
char *py_columns(const code_ctx *c, TSNode list, bool django);
const char *py_method(const code_ctx *c, TSNode call, TSNode *object);

/* sa_column.c: a SQLAlchemy type as SQL, and a sa.Column(...) call as a
 * column definition (*pk set for primary_key=True); NULL when unreadable. */
const char *sa_type_sql(const code_ctx *c, TSNode type);
const char *sa_column_sql(const code_ctx *c, TSNode column, bool *pk);

/* dj_field.c: a Django field call as a column definition named after name
 * (author_id for a ForeignKey author); NULL for a ManyToManyField (*m2m). */
const char *dj_field_sql(const code_ctx *c, const char *name, TSNode field, bool *pk, bool *m2m);

#endif
