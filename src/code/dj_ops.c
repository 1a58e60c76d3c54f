/* dj_ops.c - Django's schema operations as the DDL its PostgreSQL schema
 * editor runs, over the migration state (dj_state.h): CreateModel (with
 * db_table, unique_together, index_together, indexes and constraints),
 * AddField, AlterField, RemoveField, RenameField, DeleteModel,
 * RenameModel, AlterModelTable, AlterUniqueTogether/AlterIndexTogether,
 * AddIndex and AddConstraint. Django adds a field's `default=` with the
 * column and drops it in the same operation, so no default stays. */
#include "dj_state.h"

static TSNode dict_get(const code_ctx *c, TSNode dict, const char *key)
{
    for (uint32_t i = 0; code_node_is(dict, "dictionary") && i < ts_node_named_child_count(dict);
         i++) {
        TSNode p = ts_node_named_child(dict, i);
        char *k =
            code_node_is(p, "pair") ? py_str(c, ts_node_child_by_field_name(p, "key", 3)) : NULL;
        if (k && !strcmp(k, key))
            return ts_node_child_by_field_name(p, "value", 5);
    }
    return (TSNode){0};
}

/* A field name (or "-name") of m as its column, "col DESC" when desc. */
static const char *field_column(arena *a, dj_model *m, const char *name, bool quote)
{
    bool desc = name[0] == '-';
    dj_field *f = dj_model_field(m, desc ? name + 1 : name);
    const char *col = f ? f->column : desc ? name + 1 : name;
    if (!quote)
        return col;
    return arena_printf(a, "%s%s", code_ident(a, col), desc ? " DESC" : "");
}

/* ['a', 'b'] as columns; false when not a literal list. */
static bool read_group(const code_ctx *c, dj_model *m, TSNode list, dj_group *g)
{
    if (!code_node_is(list, "list") && !code_node_is(list, "tuple"))
        return false;
    uint32_t n = ts_node_named_child_count(list);
    g->cols = arena_calloc(c->a, n ? n : 1, sizeof *g->cols);
    g->n = 0;
    for (uint32_t i = 0; i < n; i++) {
        char *s = py_str(c, ts_node_named_child(list, i));
        if (!s)
            return false;
        g->cols[g->n++] = field_column(c->a, m, s, false);
    }
    return g->n > 0;
}

static const char *group_sql(arena *a, const dj_group *g)
{
    char *s = arena_strdup(a, "");
    for (size_t i = 0; i < g->n; i++)
        s = arena_printf(a, "%s%s%s", s, i ? ", " : "", code_ident(a, g->cols[i]));
    return s;
}

/* The groups of unique_together / index_together: a tuple of names or a
 * list (set) of them. */
static size_t read_groups(const code_ctx *c, dj_model *m, TSNode v, dj_group **out)
{
    *out = NULL;
    TSNode obj;
    const char *fn = code_node_is(v, "call") ? py_method(c, v, &obj) : NULL;
    if (fn && (!strcmp(fn, "set") || !strcmp(fn, "frozenset"))) { /* set([("a", "b")]) */
        py_args a;
        py_args_read(c, v, &a);
        v = py_arg(&a, 0, "");
    }
    if (ts_node_is_null(v) || code_node_is(v, "none"))
        return 0;
    TSNode first = ts_node_named_child(v, 0);
    bool flat = py_str(c, first) != NULL;
    uint32_t n = flat ? 1 : ts_node_named_child_count(v);
    dj_group *gs = arena_calloc(c->a, n ? n : 1, sizeof *gs);
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (read_group(c, m, flat ? v : ts_node_named_child(v, i), &gs[k]))
            k++;
    *out = gs;
    return k;
}

static bool same_group(const dj_group *x, const dj_group *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->cols[i], y->cols[i]))
            return false;
    return true;
}

static void together(dj_state *st, dj_model *m, dj_group *gs, size_t n, bool unique,
                     const dj_out *o)
{
    arena *a = st->a;
    for (size_t i = 0; i < n; i++) {
        gs[i].name = dj_index_name(a, m->table, gs[i].cols, gs[i].n, unique ? "_uniq" : "_idx");
        if (unique)
            dj_emit(o, arena_printf(a, "ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s)",
                                    code_ident(a, m->table), code_ident(a, gs[i].name),
                                    group_sql(a, &gs[i])));
        else
            dj_emit(o, arena_printf(a, "CREATE INDEX %s ON %s (%s)", code_ident(a, gs[i].name),
                                    code_ident(a, m->table), group_sql(a, &gs[i])));
    }
}

bool dj_alter_together(code_ctx *c, dj_state *st, const char *key, TSNode value, bool unique,
                       const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    if (!m)
        return false;
    dj_group *now;
    size_t n = read_groups(c, m, value, &now);
    dj_group *old = unique ? m->unique_together : m->index_together;
    size_t nold = unique ? m->nunique : m->nindex;
    for (size_t i = 0; m->has_table && i < nold; i++) {
        bool kept = false;
        for (size_t k = 0; k < n && !kept; k++)
            if (same_group(&old[i], &now[k]))
                kept = true, now[k].name = old[i].name;
        if (!kept && old[i].name)
            dj_emit(o, unique
                           ? arena_printf(c->a, "ALTER TABLE %s DROP CONSTRAINT %s",
                                          code_ident(c->a, m->table), code_ident(c->a, old[i].name))
                           : arena_printf(c->a, "DROP INDEX %s", code_ident(c->a, old[i].name)));
    }
    for (size_t k = 0; m->has_table && k < n; k++)
        if (!now[k].name)
            together(st, m, &now[k], 1, unique, o);
    if (unique)
        m->unique_together = now, m->nunique = n;
    else
        m->index_together = now, m->nindex = n;
    return true;
}

static const char *index_method(const char *cls)
{
    static const char *const m[][2] = {{"GinIndex", "gin"},       {"GistIndex", "gist"},
                                       {"BrinIndex", "brin"},     {"HashIndex", "hash"},
                                       {"SpGistIndex", "spgist"}, {"BloomIndex", "bloom"}};
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        if (!strcmp(cls, m[i][0]))
            return m[i][1];
    return NULL;
}

/* Index(fields=[...], name=...), UniqueConstraint(fields=[...], name=...).
 * Expressions and conditions cannot be written from the Python objects:
 * without fields the index is noted and left out; a condition is dropped
 * (the declaration side leaves partial indexes out of the comparison). */
static bool index_like(code_ctx *c, dj_model *m, TSNode call, bool conc, bool constraint,
                       const dj_out *o)
{
    TSNode obj;
    const char *cls = code_node_is(call, "call") ? py_method(c, call, &obj) : NULL;
    if (!cls)
        return false;
    if (!strcmp(cls, "CheckConstraint") || !strcmp(cls, "ExclusionConstraint"))
        return true; /* CHECK and EXCLUDE constraints are not compared */
    py_args a;
    py_args_read(c, call, &a);
    char *name = py_str(c, py_arg(&a, 99, "name"));
    TSNode fields = py_arg(&a, 99, "fields");
    if (!name || (!code_node_is(fields, "list") && !code_node_is(fields, "tuple"))) {
        code_note(c, call, "%s without a literal name and fields is not replayed", cls);
        return false;
    }
    char *cols = arena_strdup(c->a, "");
    for (uint32_t i = 0; i < ts_node_named_child_count(fields); i++) {
        char *f = py_str(c, ts_node_named_child(fields, i));
        if (!f)
            return false;
        cols = arena_printf(c->a, "%s%s%s", cols, i ? ", " : "", field_column(c->a, m, f, true));
    }
    const char *t = code_ident(c->a, m->table), *n = code_ident(c->a, name);
    if (constraint && !py_has(&a, 99, "condition")) {
        dj_emit(o, arena_printf(c->a, "ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s)", t, n, cols));
        return true;
    }
    const char *method = index_method(cls);
    dj_emit(o, arena_printf(c->a, "CREATE %sINDEX %s%s ON %s%s%s (%s)", constraint ? "UNIQUE " : "",
                            conc ? "CONCURRENTLY " : "", n, t, method ? " USING " : "",
                            method ? method : "", cols));
    return true;
}

bool dj_add_index(code_ctx *c, dj_state *st, const char *key, TSNode index, bool concurrently,
                  const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    return m && (!m->has_table || index_like(c, m, index, concurrently, false, o));
}

bool dj_add_constraint(code_ctx *c, dj_state *st, const char *key, TSNode constraint,
                       const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    return m && (!m->has_table || index_like(c, m, constraint, false, true, o));
}

static void add_fields(code_ctx *c, dj_state *st, dj_model *m, TSNode fields, const dj_out *o)
{
    char *cols = arena_strdup(c->a, "");
    for (uint32_t i = 0; i < ts_node_named_child_count(fields); i++) {
        TSNode t = ts_node_named_child(fields, i);
        if (!code_node_is(t, "tuple") || ts_node_named_child_count(t) < 2)
            continue;
        char *name = py_str(c, ts_node_named_child(t, 0));
        dj_field f;
        if (!name || !dj_field_read(c, st, name, ts_node_named_child(t, 1), &f))
            continue;
        dj_model_put(st, m, &f);
        if (f.type)
            cols =
                arena_printf(c->a, "%s%s\n  %s", cols, *cols ? "," : "", dj_column_sql(c->a, &f));
    }
    if (m->has_table)
        dj_emit(o, arena_printf(c->a, "CREATE TABLE %s (%s\n)", code_ident(c->a, m->table), cols));
}

bool dj_create_model(code_ctx *c, dj_state *st, const py_args *a, const dj_out *o)
{
    char *name = py_str(c, py_arg(a, 0, "name"));
    TSNode fields = py_arg(a, 1, "fields"), opts = py_arg(a, 2, "options");
    if (!name || !code_node_is(fields, "list"))
        return false;
    dj_model *m = dj_state_add(
        st, dj_lower(c->a, arena_printf(c->a, "%s.%s", c->app ? c->app : "app", name)));
    char *table = py_str(c, dict_get(c, opts, "db_table"));
    if (table)
        m->table = table;
    m->has_table = !py_is_true(c, dict_get(c, opts, "abstract")) &&
                   !py_is_true(c, dict_get(c, opts, "proxy")) &&
                   !py_is_false(c, dict_get(c, opts, "managed"));
    add_fields(c, st, m, fields, o);
    for (size_t i = 0; m->has_table && i < m->nfields; i++) {
        dj_field *f = &m->fields[i];
        if (f->m2m)
            dj_create_join(st, m, f, o);
        else
            dj_field_objects(st, m, f, true, o);
    }
    dj_alter_together(c, st, m->key, dict_get(c, opts, "unique_together"), true, o);
    dj_alter_together(c, st, m->key, dict_get(c, opts, "index_together"), false, o);
    const char *lists[] = {"indexes", "constraints"};
    for (int k = 0; k < 2 && m->has_table; k++) {
        TSNode l = dict_get(c, opts, lists[k]);
        for (uint32_t i = 0; code_node_is(l, "list") && i < ts_node_named_child_count(l); i++)
            index_like(c, m, ts_node_named_child(l, i), false, k == 1, o);
    }
    return true;
}

bool dj_add_field(code_ctx *c, dj_state *st, const char *key, const char *name, TSNode call,
                  const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    dj_field f;
    if (!m || !dj_field_read(c, st, name, call, &f))
        return false;
    dj_field *nf = dj_model_put(st, m, &f);
    if (!m->has_table)
        return true;
    if (nf->m2m) {
        dj_create_join(st, m, nf, o);
        return true;
    }
    /* Django adds the column with its effective default for the rows
     * there, then drops that default (db_default stays) */
    dj_field tmp = *nf;
    bool fill = nf->effective && !nf->db_default;
    if (fill)
        tmp.db_default = nf->effective;
    dj_emit(o, arena_printf(c->a, "ALTER TABLE %s ADD COLUMN %s", code_ident(c->a, m->table),
                            dj_column_sql(c->a, &tmp)));
    if (fill)
        dj_emit(o, arena_printf(c->a, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
                                code_ident(c->a, m->table), code_ident(c->a, nf->column)));
    dj_field_objects(st, m, nf, true, o);
    return true;
}

static void drop_named(arena *a, const dj_out *o, const char *table, const char **name, bool index)
{
    if (!*name)
        return;
    dj_emit(o, index ? arena_printf(a, "DROP INDEX %s", code_ident(a, *name))
                     : arena_printf(a, "ALTER TABLE %s DROP CONSTRAINT %s", code_ident(a, table),
                                    code_ident(a, *name)));
    *name = NULL;
}

static const char *plain_type(const char *t)
{
    if (!strcmp(t, "serial"))
        return "integer";
    if (!strcmp(t, "bigserial"))
        return "bigint";
    return !strcmp(t, "smallserial") ? "smallint" : t;
}

/* A key's new type reaches the columns that point at it, as Django's
 * _alter_field() updates its related fields (rels_to_update): foreign keys
 * of every model, and the columns of auto-created many-to-many join tables
 * (their hidden through models' foreign keys). */
static void retype_references(arena *a, dj_state *st, dj_model *m, const dj_field *nf,
                              const char *type, const dj_out *o)
{
    for (size_t i = 0; i < st->n; i++) {
        dj_model *r = &st->models[i];
        for (size_t j = 0; r->has_table && j < r->nfields; j++) {
            dj_field *f = &r->fields[j];
            const char *cols[2];
            if (f->fk && f->to && !strcmp(f->to, m->key) &&
                (f->to_field ? !strcmp(f->to_field, nf->name) : nf->pk)) {
                f->type = type;
                dj_emit(o, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s TYPE %s",
                                        code_ident(a, r->table), code_ident(a, f->column), type));
            } else if (f->m2m && !f->through && nf->pk &&
                       (r == m || (f->to && !strcmp(f->to, m->key)))) {
                dj_join_columns(a, r, f, cols);
                const char *jt = code_ident(a, dj_join_table(a, r, f));
                for (int k = 0; k < 2; k++)
                    if (k == 0 ? r == m : f->to && !strcmp(f->to, m->key))
                        dj_emit(o, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s TYPE %s", jt,
                                                code_ident(a, cols[k]), type));
            }
        }
    }
}

/* AlterField: the column and what goes with it brought to the new field,
 * as _alter_field() does (what the new field no longer wants is dropped,
 * what it wants and lacks is made). */
bool dj_alter_field(code_ctx *c, dj_state *st, const char *key, const char *name, TSNode call,
                    const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    dj_field nf, *of = dj_model_field(m, name);
    if (!m || !dj_field_read(c, st, name, call, &nf))
        return false;
    if (!of || nf.m2m || of->m2m || !m->has_table) {
        if (!of && m->has_table && !nf.m2m)
            return dj_add_field(c, st, key, name, call, o);
        dj_model_put(st, m, &nf);
        return true;
    }
    arena *a = c->a;
    const char *t = m->table, *qt = code_ident(a, t);
    bool retyped = strcmp(plain_type(of->type), plain_type(nf.type)) != 0;
    bool moved = strcmp(of->column, nf.column) != 0;
    const char *fk_ref = NULL, *old_ref = NULL, *rc;
    if (nf.fk && nf.constraint)
        fk_ref = dj_fk_target(st, &nf, &rc);
    if (of->fk)
        old_ref = dj_fk_target(st, of, &rc);
    if (of->n_fk && (!fk_ref || !old_ref || strcmp(fk_ref, old_ref) || retyped || moved))
        drop_named(a, o, t, &of->n_fk, false);
    if (!dj_wants_unique(&nf) || retyped)
        drop_named(a, o, t, &of->n_unique, false);
    if (!dj_wants_index(&nf))
        drop_named(a, o, t, &of->n_index, true);
    if (!dj_wants_like(&nf) || retyped)
        drop_named(a, o, t, &of->n_like, true);
    if (moved)
        dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME COLUMN %s TO %s", qt,
                                code_ident(a, of->column), code_ident(a, nf.column)));
    const char *col = code_ident(a, nf.column);
    if (retyped)
        dj_emit(o, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s TYPE %s", qt, col,
                                plain_type(nf.type)));
    if (retyped && (nf.pk || nf.unique))
        retype_references(a, st, m, &nf, plain_type(nf.type), o);
    if (of->null != nf.null)
        dj_emit(o, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s %s NOT NULL", qt, col,
                                nf.null ? "DROP" : "SET"));
    if (!of->db_default != !nf.db_default ||
        (nf.db_default && strcmp(of->db_default, nf.db_default)))
        dj_emit(o, nf.db_default
                       ? arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", qt, col,
                                      nf.db_default)
                       : arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", qt, col));
    nf.n_fk = of->n_fk, nf.n_unique = of->n_unique;
    nf.n_index = of->n_index, nf.n_like = of->n_like;
    dj_field *f = dj_model_put(st, m, &nf);
    dj_field_objects(st, m, f, false, o);
    return true;
}

bool dj_remove_field(dj_state *st, const char *key, const char *name, const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    dj_field *f = dj_model_field(m, name);
    arena *a = st->a;
    if (!m)
        return false;
    const char *t = code_ident(a, m->table);
    if (m->has_table && f && f->m2m && !f->through)
        dj_emit(o, arena_printf(a, "DROP TABLE %s", code_ident(a, dj_join_table(a, m, f))));
    else if (m->has_table && (!f || !f->m2m))
        dj_emit(o, arena_printf(a, "ALTER TABLE %s DROP COLUMN %s", t,
                                code_ident(a, f ? f->column : name)));
    dj_model_drop(m, name);
    return true;
}

bool dj_rename_field(dj_state *st, const char *key, const char *from, const char *to,
                     const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    dj_field *f = dj_model_field(m, from);
    arena *a = st->a;
    if (!m || !f)
        return m != NULL;
    const char *old_default = f->fk ? arena_printf(a, "%s_id", from) : from;
    if (f->m2m && !f->through && !f->m2m_table) {
        const char *old = dj_join_table(a, m, f);
        f->name = arena_strdup(a, to);
        if (m->has_table)
            dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME TO %s", code_ident(a, old),
                                    code_ident(a, dj_join_table(a, m, f))));
        return true;
    }
    f->name = arena_strdup(a, to);
    if (f->m2m || strcmp(f->column, old_default))
        return true; /* db_column: the column keeps its name */
    const char *col = f->fk ? arena_printf(a, "%s_id", to) : f->name;
    for (size_t g = 0; g < m->nunique + m->nindex; g++) {
        dj_group *grp =
            g < m->nunique ? &m->unique_together[g] : &m->index_together[g - m->nunique];
        for (size_t i = 0; i < grp->n; i++)
            if (!strcmp(grp->cols[i], f->column))
                grp->cols[i] = col;
    }
    if (m->has_table)
        dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME COLUMN %s TO %s", code_ident(a, m->table),
                                code_ident(a, f->column), code_ident(a, col)));
    f->column = col;
    return true;
}

bool dj_delete_model(dj_state *st, const char *key, const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    if (!m)
        return false;
    arena *a = st->a;
    for (size_t i = 0; m->has_table && i < m->nfields; i++)
        if (m->fields[i].m2m && !m->fields[i].through)
            dj_emit(o, arena_printf(a, "DROP TABLE %s",
                                    code_ident(a, dj_join_table(a, m, &m->fields[i]))));
    if (m->has_table)
        dj_emit(o, arena_printf(a, "DROP TABLE %s", code_ident(a, m->table)));
    size_t i = (size_t)(m - st->models);
    memmove(st->models + i, st->models + i + 1, (st->n - i - 1) * sizeof *st->models);
    st->n--;
    return true;
}

/* The table moves; so do the join tables named after it. */
static void move_table(dj_state *st, dj_model *m, const char *table, const dj_out *o)
{
    arena *a = st->a;
    if (!strcmp(m->table, table))
        return;
    if (m->has_table)
        dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME TO %s", code_ident(a, m->table),
                                code_ident(a, table)));
    for (size_t i = 0; i < m->nfields; i++) {
        dj_field *f = &m->fields[i];
        if (!f->m2m || f->through || f->m2m_table || !m->has_table)
            continue;
        const char *old = dj_join_table(a, m, f);
        dj_model tmp = *m;
        tmp.table = table;
        dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME TO %s", code_ident(a, old),
                                code_ident(a, dj_join_table(a, &tmp, f))));
    }
    m->table = table;
}

bool dj_alter_table(dj_state *st, const char *key, const char *table, const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    if (!m)
        return false;
    move_table(st, m, table ? table : dj_default_table(st->a, m->key), o);
    return true;
}

bool dj_rename_model(dj_state *st, const char *key, const char *to_key, const char *to_name,
                     const dj_out *o)
{
    dj_model *m = dj_state_get(st, key);
    if (!m)
        return false;
    arena *a = st->a;
    const char *old_name = m->name;
    if (!strcmp(m->table, dj_default_table(a, m->key)))
        move_table(st, m, dj_default_table(a, to_key), o);
    m->key = arena_strdup(a, to_key);
    m->name = dj_lower(a, to_name);
    for (size_t k = 0; k < st->n; k++)
        for (size_t i = 0; i < st->models[k].nfields; i++) {
            dj_field *f = &st->models[k].fields[i];
            if (!f->to || strcmp(f->to, key))
                continue;
            f->to = m->key;
            if (f->m2m && !f->through && st->models[k].has_table && &st->models[k] != m)
                dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME COLUMN %s TO %s",
                                        code_ident(a, dj_join_table(a, &st->models[k], f)),
                                        code_ident(a, arena_printf(a, "%s_id", old_name)),
                                        code_ident(a, arena_printf(a, "%s_id", m->name))));
        }
    for (size_t i = 0; i < m->nfields; i++) {
        dj_field *f = &m->fields[i];
        if (f->m2m && !f->through && m->has_table && f->to && strcmp(f->to, m->key))
            dj_emit(o, arena_printf(a, "ALTER TABLE %s RENAME COLUMN %s TO %s",
                                    code_ident(a, dj_join_table(a, m, f)),
                                    code_ident(a, arena_printf(a, "%s_id", old_name)),
                                    code_ident(a, arena_printf(a, "%s_id", m->name))));
    }
    return true;
}
