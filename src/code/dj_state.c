/* dj_state.c - the models Django's migrations have built so far (see
 * dj_state.h), and what the schema editor makes for one field: its unique
 * constraint, its index (db_index, every ForeignKey), the `_like`
 * varchar_pattern_ops / text_pattern_ops index PostgreSQL gets for an
 * indexed or unique varchar or text column, its foreign key (DEFERRABLE
 * INITIALLY DEFERRED, no action: Django enforces on_delete itself), and a
 * ManyToManyField's join table. */
#include <ctype.h>

#include "dj_state.h"

dj_state *dj_state_new(arena *a)
{
    dj_state *st = arena_calloc(a, 1, sizeof *st);
    st->a = a;
    return st;
}

dj_model *dj_state_find(dj_state *st, const char *key)
{
    for (size_t i = 0; key && i < st->n; i++)
        if (!strcmp(st->models[i].key, key))
            return &st->models[i];
    return NULL;
}

dj_field *dj_model_field(dj_model *m, const char *name)
{
    for (size_t i = 0; m && name && i < m->nfields; i++)
        if (!strcmp(m->fields[i].name, name))
            return &m->fields[i];
    return NULL;
}

char *dj_lower(arena *a, const char *s)
{
    char *l = arena_strdup(a, s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

const char *dj_default_table(arena *a, const char *key)
{
    char *t = arena_strdup(a, key);
    char *dot = strchr(t, '.');
    if (dot)
        *dot = '_';
    return dj_truncate_name(a, t);
}

dj_model *dj_state_add(dj_state *st, const char *key)
{
    dj_model *m = dj_state_find(st, key);
    if (m) {
        m->nfields = m->nunique = m->nindex = 0;
        return m;
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 32;
        dj_model *grown = arena_calloc(st->a, cap, sizeof *grown);
        if (st->n)
            memcpy(grown, st->models, st->n * sizeof *grown);
        st->models = grown, st->cap = cap;
    }
    m = &st->models[st->n++];
    memset(m, 0, sizeof *m);
    m->key = arena_strdup(st->a, key);
    const char *dot = strchr(key, '.');
    m->app = dot ? arena_strndup(st->a, key, (size_t)(dot - key)) : "";
    m->name = dot ? dot + 1 : m->key;
    m->table = dj_default_table(st->a, key);
    m->has_table = true;
    return m;
}

/* A model the operations name but no migration read created (its app is
 * not among the migrations): its default table, so the DDL still applies. */
dj_model *dj_state_get(dj_state *st, const char *key)
{
    return key ? dj_state_find(st, key) ? dj_state_find(st, key) : dj_state_add(st, key) : NULL;
}

dj_field *dj_model_put(dj_state *st, dj_model *m, const dj_field *f)
{
    dj_field *old = dj_model_field(m, f->name);
    if (old) {
        *old = *f;
        return old;
    }
    if (m->nfields == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        dj_field *grown = arena_calloc(st->a, cap, sizeof *grown);
        if (m->nfields)
            memcpy(grown, m->fields, m->nfields * sizeof *grown);
        m->fields = grown, m->cap = cap;
    }
    m->fields[m->nfields] = *f;
    return &m->fields[m->nfields++];
}

void dj_model_drop(dj_model *m, const char *name)
{
    dj_field *f = dj_model_field(m, name);
    if (!f)
        return;
    size_t i = (size_t)(f - m->fields);
    memmove(m->fields + i, m->fields + i + 1, (m->nfields - i - 1) * sizeof *m->fields);
    m->nfields--;
}

void dj_emit(const dj_out *o, const char *sql)
{
    if (o->emit)
        o->emit(o->ud, sql);
}

static bool textual(const char *type)
{
    return type && !strchr(type, '[') &&
           (!strncmp(type, "varchar", 7) || !strcmp(type, "text") || !strncmp(type, "char", 4));
}

bool dj_wants_unique(const dj_field *f)
{
    return f->type && f->unique && !f->pk;
}

bool dj_wants_index(const dj_field *f)
{
    return f->type && f->index && !f->unique && !f->pk;
}

bool dj_wants_like(const dj_field *f)
{
    return textual(f->type) && (f->index || f->unique || f->pk);
}

/* The target of a foreign key: its table and column, NULL when the target
 * is not a model of the migrations (Django's own auth_user...): the
 * declaration side cannot name that table either. */
const char *dj_fk_target(dj_state *st, const dj_field *f, const char **col)
{
    dj_model *t = dj_state_find(st, f->to);
    if (!t || !t->has_table)
        return NULL;
    for (size_t i = 0; i < t->nfields; i++)
        if (f->to_field ? !strcmp(t->fields[i].name, f->to_field) : t->fields[i].pk) {
            *col = t->fields[i].column;
            return t->table;
        }
    return NULL;
}

static const char *one_index(arena *a, const char *table, const char *col, const char *suffix)
{
    const char *cols[1] = {col};
    return dj_index_name(a, table, cols, 1, suffix);
}

void dj_field_objects(dj_state *st, dj_model *m, dj_field *f, bool inline_unique, const dj_out *o)
{
    arena *a = st->a;
    const char *t = code_ident(a, m->table), *col = code_ident(a, f->column);
    if (dj_wants_unique(f) && !f->n_unique) {
        if (inline_unique) {
            f->n_unique = dj_truncate_name(a, arena_printf(a, "%s_%s_key", m->table, f->column));
        } else {
            f->n_unique = one_index(a, m->table, f->column, "_uniq");
            dj_emit(o, arena_printf(a, "ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s)", t,
                                    code_ident(a, f->n_unique), col));
        }
    }
    if (dj_wants_index(f) && !f->n_index) {
        f->n_index = one_index(a, m->table, f->column, "");
        dj_emit(o,
                arena_printf(a, "CREATE INDEX %s ON %s (%s)", code_ident(a, f->n_index), t, col));
    }
    if (dj_wants_like(f) && !f->n_like) {
        f->n_like = one_index(a, m->table, f->column, "_like");
        dj_emit(o, arena_printf(a, "CREATE INDEX %s ON %s (%s %s_pattern_ops)",
                                code_ident(a, f->n_like), t, col,
                                !strcmp(f->type, "text") ? "text" : "varchar"));
    }
    const char *ref_col = NULL,
               *ref = f->fk && f->constraint ? dj_fk_target(st, f, &ref_col) : NULL;
    if (ref && !f->n_fk) {
        f->n_fk = one_index(a, m->table, f->column, arena_printf(a, "_fk_%s_%s", ref, ref_col));
        dj_emit(o, arena_printf(a,
                                "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES "
                                "%s (%s) DEFERRABLE INITIALLY DEFERRED",
                                t, code_ident(a, f->n_fk), col, code_ident(a, ref),
                                code_ident(a, ref_col)));
    }
}

/* ---- ManyToManyField join tables ---- */

const char *dj_join_table(arena *a, const dj_model *m, const dj_field *f)
{
    return f->m2m_table ? f->m2m_table
                        : dj_truncate_name(a, arena_printf(a, "%s_%s", m->table, f->name));
}

/* The join table's two columns: <model>_id and <target>_id, from_/to_ for
 * a relation to the same model. */
void dj_join_columns(arena *a, const dj_model *m, const dj_field *f, const char *cols[2])
{
    const char *dot = f->to ? strchr(f->to, '.') : NULL;
    const char *to = dot ? dot + 1 : f->to ? f->to : "target";
    if (f->to && !strcmp(f->to, m->key)) {
        cols[0] = arena_printf(a, "from_%s_id", m->name);
        cols[1] = arena_printf(a, "to_%s_id", m->name);
        return;
    }
    cols[0] = arena_printf(a, "%s_id", m->name);
    cols[1] = arena_printf(a, "%s_id", to);
}

static dj_field join_end(dj_state *st, const char *col, const char *to)
{
    dj_field e = {.name = col,
                  .column = col,
                  .cls = "ForeignKey",
                  .fk = true,
                  .constraint = true,
                  .index = true,
                  .to = to};
    dj_model *t = dj_state_find(st, to);
    e.type = "integer";
    for (size_t i = 0; t && i < t->nfields; i++)
        if (t->fields[i].pk && t->fields[i].type) {
            const char *ty = t->fields[i].type;
            e.type = !strcmp(ty, "serial")        ? "integer"
                     : !strcmp(ty, "bigserial")   ? "bigint"
                     : !strcmp(ty, "smallserial") ? "smallint"
                                                  : ty;
        }
    return e;
}

void dj_create_join(dj_state *st, dj_model *m, const dj_field *f, const dj_out *o)
{
    if (f->through || !m->has_table)
        return;
    arena *a = st->a;
    const char *cols[2];
    dj_join_columns(a, m, f, cols);
    dj_model jm = {.key = "", .name = "", .has_table = true};
    jm.table = dj_join_table(a, m, f);
    dj_field ends[2] = {join_end(st, cols[0], m->key), join_end(st, cols[1], f->to)};
    const char *uniq = dj_index_name(a, jm.table, cols, 2, "_uniq");
    const char *id = code_django_app_default_auto_field(m->app);
    dj_emit(o, arena_printf(a,
                            "CREATE TABLE %s (\n  \"id\" %s NOT NULL PRIMARY KEY,\n  %s,\n  %s,\n"
                            "  CONSTRAINT %s UNIQUE (%s, %s)\n)",
                            code_ident(a, jm.table),
                            !strcmp(id, "BigAutoField") ? "bigserial" : "serial",
                            dj_column_sql(a, &ends[0]), dj_column_sql(a, &ends[1]),
                            code_ident(a, uniq), code_ident(a, cols[0]), code_ident(a, cols[1])));
    for (int k = 0; k < 2; k++)
        dj_field_objects(st, &jm, &ends[k], true, o);
}

const char *dj_column_sql(arena *a, const dj_field *f)
{
    return arena_printf(a, "%s %s%s%s%s%s", code_ident(a, f->column), f->type,
                        f->null ? "" : " NOT NULL", f->db_default ? " DEFAULT " : "",
                        f->db_default ? f->db_default : "",
                        f->pk       ? " PRIMARY KEY"
                        : f->unique ? " UNIQUE"
                                    : "");
}
