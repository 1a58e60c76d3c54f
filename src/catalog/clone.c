/* clone.c - catalog_clone(): a deep copy with every cross-reference (index
 * -> table, foreign key -> referenced table and columns, view -> what it
 * reads, column -> sequence and type) pointing into the copy. Objects are
 * copied first and their pointers translated through an old -> new map. */
#include "internal.h"

#include "../core/ptrmap.h"

#include <stdlib.h>
#include <string.h>

/* The copy of old, or NULL for NULL. */
static void *tr(const ptrmap *m, const void *old)
{
    return old ? ptrmap_get(m, old) : NULL;
}

typedef struct cloner {
    const catalog *from;
    catalog *to;
    ptrmap map;
} cloner;

static const char *dup(cloner *k, const char *s)
{
    return s ? arena_strdup(k->to->a, s) : NULL;
}

static void *copy_ptrs(cloner *k, void *const *items, size_t n, bool translate)
{
    void **out = cat_alloc_array(k->to->a, n, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = translate ? tr(&k->map, items[i]) : items[i];
    return out;
}

static void copy_origin(cloner *k, cat_origin *o)
{
    o->path = o->path ? cat_intern_path(k->to, o->path) : "";
}

static void clone_types(cloner *k)
{
    const catalog *c = k->from;
    for (size_t i = 0; i < c->ntypes; i++) {
        const cat_type *t = c->types[i];
        cat_type *n = arena_alloc(k->to->a, sizeof *n);
        *n = *t;
        n->schema = dup(k, t->schema);
        n->name = dup(k, t->name);
        n->base = dup(k, t->base);
        n->values = cat_alloc_array(k->to->a, t->nvalues, sizeof *n->values);
        for (size_t j = 0; j < t->nvalues; j++)
            n->values[j] = dup(k, t->values[j]);
        copy_origin(k, &n->origin);
        ptrmap_put(&k->map, t, n);
        CAT_PUSH(k->to->a, k->to->types, k->to->ntypes, n);
    }
}

static cat_column *clone_column(cloner *k, const cat_column *col)
{
    cat_column *n = arena_alloc(k->to->a, sizeof *n);
    *n = *col;
    n->name = dup(k, col->name);
    n->type = dup(k, col->type);
    n->type_label = dup(k, col->type_label);
    n->default_expr = dup(k, col->default_expr);
    n->generated = dup(k, col->generated);
    n->collation = dup(k, col->collation);
    n->on_update = dup(k, col->on_update);
    n->user_type = tr(&k->map, col->user_type);
    n->fact = NULL; /* its strings are in the other catalog's arena */
    copy_origin(k, &n->origin);
    ptrmap_put(&k->map, col, n);
    return n;
}

static void clone_tables(cloner *k)
{
    const catalog *c = k->from;
    for (size_t i = 0; i < c->ntables; i++) {
        const cat_table *t = c->tables[i];
        cat_table *n = arena_alloc(k->to->a, sizeof *n);
        *n = *t;
        n->rel.schema = dup(k, t->rel.schema);
        n->rel.name = dup(k, t->rel.name);
        n->partition_by = dup(k, t->partition_by);
        n->definition = dup(k, t->definition);
        copy_origin(k, &n->rel.origin);
        n->columns = cat_alloc_array(k->to->a, t->ncolumns, sizeof *n->columns);
        for (size_t j = 0; j < t->ncolumns; j++)
            n->columns[j] = clone_column(k, t->columns[j]);
        n->triggers = cat_alloc_array(k->to->a, t->ntriggers, sizeof *n->triggers);
        for (size_t j = 0; j < t->ntriggers; j++) {
            cat_trigger *tg = arena_alloc(k->to->a, sizeof *tg);
            *tg = *t->triggers[j];
            tg->name = dup(k, tg->name);
            tg->function = dup(k, tg->function);
            copy_origin(k, &tg->origin);
            n->triggers[j] = tg;
        }
        ptrmap_put(&k->map, t, n);
        CAT_PUSH(k->to->a, k->to->tables, k->to->ntables, n);
    }
}

static void clone_sequences(cloner *k)
{
    const catalog *c = k->from;
    for (size_t i = 0; i < c->nsequences; i++) {
        const cat_sequence *s = c->sequences[i];
        cat_sequence *n = arena_alloc(k->to->a, sizeof *n);
        *n = *s;
        n->rel.schema = dup(k, s->rel.schema);
        n->rel.name = dup(k, s->rel.name);
        copy_origin(k, &n->rel.origin);
        ptrmap_put(&k->map, s, n);
        CAT_PUSH(k->to->a, k->to->sequences, k->to->nsequences, n);
    }
}

static void clone_indexes(cloner *k)
{
    const catalog *c = k->from;
    for (size_t i = 0; i < c->nindexes; i++) {
        const cat_index *ix = c->indexes[i];
        cat_index *n = arena_alloc(k->to->a, sizeof *n);
        *n = *ix;
        n->rel.name = dup(k, ix->rel.name);
        n->method = dup(k, ix->method);
        n->where = dup(k, ix->where);
        n->fact = NULL; /* in the other catalog's arena */
        copy_origin(k, &n->rel.origin);
        n->keys = cat_alloc_array(k->to->a, ix->nkeys, sizeof *n->keys);
        for (size_t j = 0; j < ix->nkeys; j++) {
            n->keys[j].expr = dup(k, ix->keys[j].expr);
            n->keys[j].column = NULL;
        }
        ptrmap_put(&k->map, ix, n);
        CAT_PUSH(k->to->a, k->to->indexes, k->to->nindexes, n);
    }
}

static void clone_constraints(cloner *k, const cat_table *t, cat_table *n)
{
    n->constraints = cat_alloc_array(k->to->a, t->nconstraints, sizeof *n->constraints);
    for (size_t j = 0; j < t->nconstraints; j++) {
        const cat_constraint *con = t->constraints[j];
        cat_constraint *m = arena_alloc(k->to->a, sizeof *m);
        *m = *con;
        m->name = dup(k, con->name);
        m->expr = dup(k, con->expr);
        m->fact = NULL; /* in the other catalog's arena */
        copy_origin(k, &m->origin);
        ptrmap_put(&k->map, con, m);
        n->constraints[j] = m;
    }
}

/* Second pass: every pointer now has a copy to point at. */
static void fix_table(cloner *k, const cat_table *t)
{
    cat_table *n = tr(&k->map, t);
    n->parent = tr(&k->map, t->parent);
    for (size_t j = 0; j < t->ncolumns; j++)
        n->columns[j]->serial = tr(&k->map, t->columns[j]->serial);
    n->indexes = copy_ptrs(k, (void *const *)t->indexes, t->nindexes, true);
    for (size_t j = 0; j < t->nconstraints; j++) {
        const cat_constraint *con = t->constraints[j];
        cat_constraint *m = n->constraints[j];
        m->columns = copy_ptrs(k, (void *const *)con->columns, con->ncolumns, true);
        m->ref_columns = copy_ptrs(k, (void *const *)con->ref_columns, con->nref_columns, true);
        m->ref_table = tr(&k->map, con->ref_table);
        m->ref_index = tr(&k->map, con->ref_index);
        m->index = tr(&k->map, con->index);
    }
    n->reads = cat_alloc_array(k->to->a, t->nreads, sizeof *n->reads);
    for (size_t j = 0; j < t->nreads; j++) {
        n->reads[j].rel = tr(&k->map, t->reads[j].rel);
        n->reads[j].column = tr(&k->map, t->reads[j].column);
    }
}

static void fix_index(cloner *k, const cat_index *ix)
{
    cat_index *n = tr(&k->map, ix);
    n->table = tr(&k->map, ix->table);
    n->rel.schema = n->table->rel.schema;
    for (size_t j = 0; j < ix->nkeys; j++)
        n->keys[j].column = tr(&k->map, ix->keys[j].column);
    n->include = copy_ptrs(k, (void *const *)ix->include, ix->ninclude, true);
    n->reads = copy_ptrs(k, (void *const *)ix->reads, ix->nreads, true);
    n->constraint = tr(&k->map, ix->constraint);
    n->parent = tr(&k->map, ix->parent);
}

catalog *catalog_clone(const catalog *c)
{
    catalog *n = calloc(1, sizeof *n);
    if (!n)
        abort();
    n->a = arena_new();
    cloner k = {c, n, {0}};
    for (size_t i = 0; i < c->nschemas; i++)
        cat_schema_add(n, c->schemas[i]);
    for (size_t i = 0; i < c->nextensions; i++)
        CAT_PUSH(n->a, n->extensions, n->nextensions, arena_strdup(n->a, c->extensions[i]));
    for (size_t i = 0; i < c->nplatform_schemas; i++)
        CAT_PUSH(n->a, n->platform_schemas, n->nplatform_schemas,
                 arena_strdup(n->a, c->platform_schemas[i]));
    clone_types(&k);
    clone_tables(&k);
    clone_sequences(&k);
    clone_indexes(&k);
    for (size_t i = 0; i < c->ntables; i++)
        clone_constraints(&k, c->tables[i], tr(&k.map, c->tables[i]));
    for (size_t i = 0; i < c->ntables; i++)
        fix_table(&k, c->tables[i]);
    for (size_t i = 0; i < c->nindexes; i++)
        fix_index(&k, c->indexes[i]);
    for (size_t i = 0; i < c->nsequences; i++) {
        cat_sequence *s = n->sequences[i];
        s->owner_table = tr(&k.map, c->sequences[i]->owner_table);
        s->owner_column = tr(&k.map, c->sequences[i]->owner_column);
    }
    for (size_t i = 0; i < c->nfunctions; i++) {
        cat_function *fn = arena_alloc(n->a, sizeof *fn);
        *fn = *c->functions[i];
        fn->schema = arena_strdup(n->a, fn->schema);
        fn->name = arena_strdup(n->a, fn->name);
        fn->args = arena_strdup(n->a, fn->args);
        fn->definition = fn->definition ? arena_strdup(n->a, fn->definition) : NULL;
        copy_origin(&k, &fn->origin);
        CAT_PUSH(n->a, n->functions, n->nfunctions, fn);
    }
    for (size_t i = 0; i < c->nbase_path; i++)
        CAT_PUSH(n->a, n->base_path, n->nbase_path, arena_strdup(n->a, c->base_path[i]));
    for (size_t i = 0; i < c->nsearch_path; i++)
        CAT_PUSH(n->a, n->search_path, n->nsearch_path, arena_strdup(n->a, c->search_path[i]));
    cat_register_all(n);
    ptrmap_free(&k.map);
    return n;
}
