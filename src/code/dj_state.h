/* dj_state.h - Django's migration state, as the Django reader needs it to
 * write the DDL Django's schema editor (PostgreSQL backend) runs: the
 * models built by the operations read so far, across every app, in
 * dependency order. A RemoveField of a ForeignKey drops `<name>_id`, an
 * AlterField compares the field with what it was, a ForeignKey takes its
 * target's primary key type. */
#ifndef MIGRALINT_CODE_DJ_STATE_H
#define MIGRALINT_CODE_DJ_STATE_H

#include "py.h"

typedef struct dj_field {
    const char *name, *column, *cls;
    const char *type; /* SQL type ("serial" for AutoField); NULL for a ManyToManyField */
    bool null, unique, pk, index;
    const char *db_default; /* Django 5's db_default as SQL, NULL when none */
    const char *effective;  /* what AddField fills existing rows with, then drops */
    bool fk, m2m, constraint;
    const char *to, *to_field; /* target model key "app.model" and field */
    const char *m2m_table;     /* ManyToManyField(db_table=...) */
    bool through;              /* through=: the join table is a model of its own */
    /* names of what the schema editor made for the field (NULL: none) */
    const char *n_unique, *n_index, *n_like, *n_fk;
} dj_field;

typedef struct dj_group {
    const char **cols; /* column names */
    size_t n;
    const char *name;
} dj_group;

typedef struct dj_model {
    const char *key; /* "app.model", lowercased */
    const char *app, *name, *table;
    bool has_table; /* not abstract, proxy nor managed=False */
    dj_field *fields;
    size_t nfields, cap;
    dj_group *unique_together, *index_together;
    size_t nunique, nindex;
} dj_model;

typedef struct dj_state {
    arena *a;
    dj_model *models;
    size_t n, cap;
} dj_state;

dj_state *dj_state_new(arena *a);
dj_model *dj_state_find(dj_state *st, const char *key);
dj_field *dj_model_field(dj_model *m, const char *name);
/* "Model" (of app), "app.Model" or settings.AUTH_USER_MODEL as a model key. */
const char *dj_model_key(const code_ctx *c, TSNode to, const char *app);

/* dj_field.c: reads a field call into f (*f zeroed first); false when it
 * is not a field call. */
bool dj_field_read(const code_ctx *c, dj_state *st, const char *name, TSNode call, dj_field *f);

/* dj_name.c: Django's _create_index_name() and truncate_name(). */
const char *dj_index_name(arena *a, const char *table, const char *const *cols, size_t n,
                          const char *suffix);
const char *dj_truncate_name(arena *a, const char *name);

/* The statements of one operation: each is handed to emit (NULL while the
 * operation changes only the state: SeparateDatabaseAndState's
 * state_operations). */
typedef struct dj_out {
    void (*emit)(void *ud, const char *sql);
    void *ud;
} dj_out;

/* dj_state.c: helpers the operations share. */
char *dj_lower(arena *a, const char *s);
const char *dj_default_table(arena *a, const char *key);
dj_model *dj_state_add(dj_state *st, const char *key); /* (re)defined, fields emptied */
dj_model *dj_state_get(dj_state *st, const char *key); /* found, else added */
dj_field *dj_model_put(dj_state *st, dj_model *m, const dj_field *f);
void dj_model_drop(dj_model *m, const char *name);
void dj_emit(const dj_out *o, const char *sql);
bool dj_wants_unique(const dj_field *f);
bool dj_wants_index(const dj_field *f);
bool dj_wants_like(const dj_field *f);
const char *dj_fk_target(dj_state *st, const dj_field *f, const char **col);
/* Creates what the field needs and does not have yet (its n_* names NULL);
 * inline_unique: the UNIQUE came with the column (PostgreSQL's _key name). */
void dj_field_objects(dj_state *st, dj_model *m, dj_field *f, bool inline_unique, const dj_out *o);
const char *dj_join_table(arena *a, const dj_model *m, const dj_field *f);
void dj_join_columns(arena *a, const dj_model *m, const dj_field *f, const char *cols[2]);
void dj_create_join(dj_state *st, dj_model *m, const dj_field *f, const dj_out *o);
/* The column definition of CREATE TABLE / ADD COLUMN. */
const char *dj_column_sql(arena *a, const dj_field *f);

/* dj_ops.c: the operations. Each updates the state and emits the DDL. */
bool dj_create_model(code_ctx *c, dj_state *st, const py_args *a, const dj_out *o);
bool dj_add_field(code_ctx *c, dj_state *st, const char *key, const char *name, TSNode call,
                  const dj_out *o);
bool dj_alter_field(code_ctx *c, dj_state *st, const char *key, const char *name, TSNode call,
                    const dj_out *o);
bool dj_remove_field(dj_state *st, const char *key, const char *name, const dj_out *o);
bool dj_rename_field(dj_state *st, const char *key, const char *from, const char *to,
                     const dj_out *o);
bool dj_delete_model(dj_state *st, const char *key, const dj_out *o);
bool dj_rename_model(dj_state *st, const char *key, const char *to_key, const char *to_name,
                     const dj_out *o);
bool dj_alter_table(dj_state *st, const char *key, const char *table, const dj_out *o);
bool dj_alter_together(code_ctx *c, dj_state *st, const char *key, TSNode value, bool unique,
                       const dj_out *o);
/* Index(fields=[...], name=...) and UniqueConstraint(fields=[...], name=...). */
bool dj_add_index(code_ctx *c, dj_state *st, const char *key, TSNode index, bool concurrently,
                  const dj_out *o);
bool dj_add_constraint(code_ctx *c, dj_state *st, const char *key, TSNode constraint,
                       const dj_out *o);

#endif
