/* depend.c - what depends on a table, column or type: for rules that tell
 * the user what a DROP or RENAME breaks, each with where it was created. */
#include "internal.h"

#include <string.h>

typedef struct collector {
    cat_dependent *out;
    size_t max, n;
} collector;

static void emit(collector *k, cat_dep_kind kind, const char *schema, const char *name,
                 const char *table, bool blocks, cat_origin origin)
{
    if (k->n < k->max) {
        cat_dependent *d = &k->out[k->n];
        d->kind = kind;
        d->schema = schema;
        d->name = name;
        d->table = table;
        d->blocks_drop = blocks;
        d->origin = origin;
    }
    k->n++;
}

static bool constraint_reads(const cat_constraint *con, const cat_column *col)
{
    return cat_column_reads((const cat_column *const *)con->columns, con->ncolumns, col);
}

static void views(const catalog *c, collector *k, const cat_table *t, const cat_column *col)
{
    cat_table *one, **vs;
    size_t n;
    vs = cat_ref_tables(c, t, cat_ref_reads, &one, &n);
    for (size_t i = 0; i < n; i++) {
        const cat_table *v = vs[i];
        if (v != t && (col ? view_reads_column(v, t, col) : view_reads_rel(v, t)))
            emit(k, CAT_DEP_VIEW, v->rel.schema, v->rel.name, NULL, true, v->rel.origin);
    }
}

static void own_objects(collector *k, const cat_table *t, const cat_column *col)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        const cat_index *ix = t->indexes[i];
        if (!ix->constraint && (!col || index_reads_column(ix, col)))
            emit(k, CAT_DEP_INDEX, t->rel.schema, ix->rel.name, t->rel.name, false, ix->rel.origin);
    }
    for (size_t i = 0; i < t->nconstraints; i++) {
        const cat_constraint *con = t->constraints[i];
        if (!col || constraint_reads(con, col))
            emit(k, CAT_DEP_CONSTRAINT, t->rel.schema, con->name, t->rel.name, false, con->origin);
    }
}

static void foreign_keys(const catalog *c, collector *k, const cat_table *t, const cat_column *col)
{
    cat_table *one, **us;
    size_t n;
    us = cat_ref_tables(c, t, cat_ref_fk_to, &one, &n);
    for (size_t i = 0; i < n; i++) {
        const cat_table *u = us[i];
        for (size_t j = 0; j < u->nconstraints; j++) {
            const cat_constraint *con = u->constraints[j];
            if (con->type != CAT_CON_FOREIGN || con->ref_table != t)
                continue;
            if (col && !cat_column_reads((const cat_column *const *)con->ref_columns,
                                         con->nref_columns, col))
                continue;
            if (u == t && !col)
                continue; /* a self-reference goes with the table */
            emit(k, CAT_DEP_FOREIGN_KEY, u->rel.schema, con->name, u->rel.name, true, con->origin);
        }
    }
}

size_t catalog_dependents(const catalog *c, const char *schema, const char *table,
                          const char *column, cat_dependent *out, size_t max)
{
    collector k = {out, max, 0};
    const cat_table *t = cat_table_get(c, schema, table);
    if (!t)
        return 0;
    const cat_column *col = NULL;
    if (column && !(col = cat_column_find(t, column)))
        return 0;
    views(c, &k, t, col);
    own_objects(&k, t, col);
    foreign_keys(c, &k, t, col);
    return k.n;
}

size_t catalog_type_dependents(const catalog *c, const char *schema, const char *type,
                               cat_dependent *out, size_t max)
{
    collector k = {out, max, 0};
    const cat_type *ty = cat_type_get(c, schema, type);
    if (!ty)
        return 0;
    for (size_t i = 0; i < c->ntables; i++) {
        const cat_table *t = c->tables[i];
        for (size_t j = 0; j < t->ncolumns; j++)
            if (t->columns[j]->user_type == ty)
                emit(&k, CAT_DEP_COLUMN, t->rel.schema, t->columns[j]->name, t->rel.name, true,
                     t->columns[j]->origin);
    }
    return k.n;
}
