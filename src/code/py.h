/* py.h - reading Python call arguments for the Alembic and Django readers. */
#ifndef MIGRALINT_CODE_PY_H
#define MIGRALINT_CODE_PY_H

#include "internal.h"

/* Every argument of a call, however many (in the context's arena). */
typedef struct py_args {
    TSNode *pos;
    size_t npos;
    const char **kw_name;
    TSNode *kw_value;
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

/* sa_column.c: a SQLAlchemy type as SQL; NULL when unreadable. */
const char *sa_type_sql(const code_ctx *c, TSNode type);

/* A sa.Column(...) call as read. */
typedef struct sa_col {
    const char *name, *type; /* type in SQL ("integer", "varchar(20)", an enum's name) */
    const char *dflt;        /* server_default as SQL, NULL when none */
    const char *ref;         /* "REFERENCES t (c) ON DELETE ..." of a sa.ForeignKey */
    const char *create_type; /* CREATE TYPE of an sa.Enum SQLAlchemy creates with the table */
    const char *identity;    /* sa.Identity(): "ALWAYS" or "BY DEFAULT" */
    bool pk, not_null, unique, index, fk, sequence, py_default;
    bool dflt_unknown; /* a server_default computed in code (an imported constant) */
    int autoinc;       /* autoincrement=: 1 True, 0 False, -1 "auto" */
} sa_col;

/* False when a part of the column cannot be read statically. */
bool sa_column_read(const code_ctx *c, TSNode column, sa_col *out);
/* Whether SQLAlchemy makes this column SERIAL when it is the table's only
 * primary key column. */
bool sa_column_serial(const sa_col *col);
/* The column definition (serial: as SERIAL; inline_pk: with PRIMARY KEY). */
const char *sa_column_def(const code_ctx *c, const sa_col *col, bool serial, bool inline_pk);
/* The call assigned to identifier n at module level (n itself otherwise). */
TSNode sa_module_value(const code_ctx *c, TSNode n);
/* CREATE TYPE for an sa.Enum(...) with a name and string labels (n the
 * call or a module-level name for it); NULL otherwise. */
const char *sa_enum_create(const code_ctx *c, TSNode n);
/* A ForeignKey or ForeignKeyConstraint call with use_alter=True. */
bool sa_use_alter(const code_ctx *c, TSNode call);
/* "schema.table" quoted as needed. */
const char *sa_qualified(const code_ctx *c, const char *dotted);
/* sql followed by the ON DELETE / ON UPDATE of the ondelete=, onupdate= keywords. */
const char *sa_fk_actions(const code_ctx *c, const py_args *a, const char *sql);

/* dj_field.c: a Django field call as a column definition named after name
 * (author_id for a ForeignKey author); NULL for a ManyToManyField (*m2m). */
const char *dj_field_sql(const code_ctx *c, const char *name, TSNode field, bool *pk, bool *m2m);

#endif
