/* index.c - CREATE INDEX, the indexes behind PRIMARY KEY / UNIQUE / EXCLUDE,
 * and their copies on partitions. Names follow ChooseIndexName():
 * <table>_<columns>_idx, with "expr" or the function name for expressions. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

key_spec *index_elems(replay *r, const cJSON *elems, size_t *n)
{
    int count = cJSON_GetArraySize(elems);
    key_spec *keys = arena_calloc(r->c->a, count ? (size_t)count : 1, sizeof *keys);
    const cJSON *item;
    *n = 0;
    cJSON_ArrayForEach(item, elems)
    {
        const cJSON *el = sql_get(item, "IndexElem");
        if (!el)
            el = sql_get(item, "PartitionElem");
        keys[*n].column = sql_get_str(el, "name");
        keys[*n].expr = sql_get(el, "expr");
        (*n)++;
    }
    return keys;
}

/* ChooseIndexColumnNames(): column names, the expression's FigureColname()
 * or "expr", made distinct with a number. */
static const char **index_colnames(replay *r, const key_spec *keys, size_t n)
{
    const char **names = arena_calloc(r->c->a, n ? n : 1, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        const char *orig = keys[i].column;
        if (!orig) {
            orig = cat_figure_colname(keys[i].expr);
            if (!strcmp(orig, "?column?"))
                orig = "expr";
        }
        const char *cur = orig;
        for (int k = 1;; k++) {
            bool clash = false;
            for (size_t j = 0; j < i && !clash; j++)
                clash = strcmp(names[j], cur) == 0;
            if (!clash)
                break;
            cur = arena_printf(r->c->a, "%s%d", orig, k);
        }
        names[i] = cur;
    }
    return names;
}

typedef struct reads_ctx {
    replay *r;
    cat_table *t;
    cat_column **cols;
    size_t n;
    const char *missing;
} reads_ctx;

static void add_read(void *ud, const cJSON *fields)
{
    reads_ctx *x = ud;
    const char *name = sql_string_value(cJSON_GetArrayItem(fields, cJSON_GetArraySize(fields) - 1));
    if (!name)
        return;
    cat_column *col = cat_column_find(x->t, name);
    if (!col) {
        if (!x->missing)
            x->missing = name;
        return;
    }
    if (!cat_column_reads((const cat_column *const *)x->cols, x->n, col))
        CAT_PUSH(x->r->c->a, x->cols, x->n, col);
}

/* Resolves keys, INCLUDE and WHERE against t; reports the first unknown column. */
static bool resolve_columns(replay *r, cat_table *t, const index_spec *spec, cat_index *ix)
{
    reads_ctx reads = {.r = r, .t = t};
    ix->keys = arena_calloc(r->c->a, spec->nkeys ? spec->nkeys : 1, sizeof *ix->keys);
    for (size_t i = 0; i < spec->nkeys; i++) {
        const key_spec *k = &spec->keys[i];
        if (k->column) {
            cat_column *col = cat_column_find(t, k->column);
            if (!col) {
                rp_conflict_name(r, r->s->start, k->column, "column %s of table %s does not exist",
                                 k->column, rp_relname(r, &t->rel));
                return false;
            }
            ix->keys[i].column = col;
            if (!cat_column_reads((const cat_column *const *)reads.cols, reads.n, col))
                CAT_PUSH(r->c->a, reads.cols, reads.n, col);
        } else if (k->expr_text) {
            ix->keys[i].expr = k->expr_text;
        } else {
            ix->keys[i].expr = cat_deparse(r, k->expr);
            cat_expr_columns(k->expr, add_read, &reads);
        }
    }
    ix->nkeys = spec->nkeys;
    ix->include = arena_calloc(r->c->a, spec->ninclude ? spec->ninclude : 1, sizeof *ix->include);
    for (size_t i = 0; i < spec->ninclude; i++) {
        cat_column *col = cat_column_find(t, spec->include[i]);
        if (!col) {
            rp_conflict_name(r, r->s->start, spec->include[i],
                             "column %s of table %s does not exist", spec->include[i],
                             rp_relname(r, &t->rel));
            return false;
        }
        ix->include[ix->ninclude++] = col;
    }
    if (spec->where) {
        ix->where = cat_deparse(r, spec->where);
        cat_expr_columns(spec->where, add_read, &reads);
    }
    if (reads.missing) {
        rp_conflict_name(r, r->s->start, reads.missing, "column %s of table %s does not exist",
                         reads.missing, rp_relname(r, &t->rel));
        return false;
    }
    ix->reads = reads.cols;
    ix->nreads = reads.n;
    return true;
}

/* MySQL drops the index it added for a foreign key as soon as another
 * index of the table starts with the key's columns (ix, just built). */
static void drop_served_innodb_indexes(replay *r, cat_table *t, const cat_index *ix)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        cat_index *old = t->indexes[i];
        size_t k = 0;
        if (!old->innodb_fk || old == ix || old->nkeys > ix->nkeys)
            continue;
        while (k < old->nkeys && old->keys[k].column && old->keys[k].column == ix->keys[k].column)
            k++;
        if (k < old->nkeys)
            continue;
        dropset d;
        drop_init(&d, r->c, false);
        drop_add(&d, V_REL, old, t);
        drop_execute(&d);
        drop_done(&d);
        return; /* t->indexes changed; one such index per key prefix */
    }
}

cat_index *index_build(replay *r, cat_table *t, const index_spec *spec, cat_constraint *con)
{
    catalog *c = r->c;
    cat_index *ix = cat_index_new(c, t, spec->name ? spec->name : "");
    if (!resolve_columns(r, t, spec, ix))
        return NULL;
    if (!spec->name) {
        const char **cols = index_colnames(r, spec->keys, spec->nkeys);
        bool primary = !strcmp(spec->label, "pkey");
        ix->rel.name = cat_choose_relation_name(
            c, t->rel.schema, t->rel.name,
            primary ? NULL : cat_name_addition(c->a, cols, spec->nkeys), spec->label, con != NULL);
    }
    ix->rel.origin = r->origin;
    ix->method = arena_strdup(c->a, spec->method ? spec->method : "btree");
    ix->unique = spec->unique;
    ix->primary = spec->primary;
    ix->concurrently = spec->concurrently;
    ix->innodb_fk = spec->innodb_fk;
    ix->constraint = con;
    cat_rel_register(c, &ix->rel);
    CAT_PUSH(c->a, t->indexes, t->nindexes, ix);
    CAT_PUSH(c->a, c->indexes, c->nindexes, ix);
    if (!spec->innodb_fk)
        drop_served_innodb_indexes(r, t, ix);
    return ix;
}

/* The parent index's definition, with its keys renamed to the partition's
 * columns (they match by name). */
static index_spec spec_of(replay *r, const cat_index *ix)
{
    index_spec spec = {0};
    spec.keys = arena_calloc(r->c->a, ix->nkeys ? ix->nkeys : 1, sizeof *spec.keys);
    for (size_t i = 0; i < ix->nkeys; i++) {
        spec.keys[i].column = ix->keys[i].column ? ix->keys[i].column->name : NULL;
        spec.keys[i].expr_text = ix->keys[i].expr;
    }
    spec.nkeys = ix->nkeys;
    spec.include = arena_calloc(r->c->a, ix->ninclude ? ix->ninclude : 1, sizeof *spec.include);
    for (size_t i = 0; i < ix->ninclude; i++)
        spec.include[i] = ix->include[i]->name;
    spec.ninclude = ix->ninclude;
    spec.method = ix->method;
    spec.unique = ix->unique;
    spec.primary = ix->primary;
    spec.label = ix->primary ? "pkey" : ix->constraint ? "key" : "idx";
    return spec;
}

static bool same_index(const cat_index *a, const cat_index *b)
{
    if (a->nkeys != b->nkeys || a->unique != b->unique || strcmp(a->method, b->method) != 0 ||
        (a->where == NULL) != (b->where == NULL) || (a->where && strcmp(a->where, b->where)))
        return false;
    for (size_t i = 0; i < a->nkeys; i++) {
        const cat_index_key *x = &a->keys[i], *y = &b->keys[i];
        if ((x->column == NULL) != (y->column == NULL))
            return false;
        if (x->column ? strcmp(x->column->name, y->column->name) : strcmp(x->expr, y->expr))
            return false;
    }
    return true;
}

/* Copies a partitioned index onto one partition, or adopts an equal index
 * the partition already has, as DefineIndex() and ATTACH PARTITION do. */
void index_clone_to_partition(replay *r, cat_table *part, cat_index *parent)
{
    for (size_t i = 0; i < part->nindexes; i++) {
        if (!part->indexes[i]->parent && same_index(part->indexes[i], parent)) {
            part->indexes[i]->parent = parent;
            cat_ref_note(r->c, parent, &part->indexes[i]->rel);
            return;
        }
    }
    index_spec spec = spec_of(r, parent);
    cat_constraint *con = NULL;
    if (parent->constraint) {
        con = arena_calloc(r->c->a, 1, sizeof *con);
        *con = *parent->constraint;
        con->columns = NULL;
        con->ncolumns = 0;
    }
    cat_index *ix = index_build(r, part, &spec, con);
    if (!ix)
        return;
    ix->parent = parent;
    cat_ref_note(r->c, parent, &ix->rel);
    ix->where = parent->where;
    /* Expressions and predicates were resolved on the parent: map what they read. */
    for (size_t i = 0; i < parent->nreads; i++) {
        cat_column *col = cat_column_find(part, parent->reads[i]->name);
        if (col && !cat_column_reads((const cat_column *const *)ix->reads, ix->nreads, col))
            CAT_PUSH(r->c->a, ix->reads, ix->nreads, col);
    }
    if (con) {
        con->name = ix->rel.name;
        con->index = ix;
        for (size_t i = 0; i < ix->nkeys; i++)
            if (ix->keys[i].column)
                CAT_PUSH(r->c->a, con->columns, con->ncolumns, ix->keys[i].column);
        cat_constraint_attach(r->c, part, con);
    }
    index_recurse(r, part, ix);
}

void index_recurse(replay *r, cat_table *t, cat_index *ix)
{
    if (t->rel.kind != CAT_PARTITIONED_TABLE)
        return;
    for (size_t i = 0; i < r->c->ntables; i++)
        if (r->c->tables[i]->parent == t)
            index_clone_to_partition(r, r->c->tables[i], ix);
}

void rp_create_index(replay *r)
{
    const cJSON *n = r->s->node;
    const cJSON *rv = sql_get(n, "relation");
    cat_table *t = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    if (!t || t->rel.kind == CAT_VIEW) {
        rp_conflict_at(r, sql_location(rv), t ? "cannot index view %s" : "table %s does not exist",
                       rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    const char *name = sql_get_str(n, "idxname");
    const cat_rel *taken = name ? cat_rel_get(r->c, t->rel.schema, name) : NULL;
    /* MySQL's index names are per table: another table's index of the same
     * name is kept apart as "table.name" (src/mysql, docs/mysql.md). */
    if (taken && sql_get_bool(n, "mysqlIndex") && taken->kind == CAT_INDEX &&
        ((const cat_index *)taken)->table != t) {
        name = arena_printf(r->c->a, "%s.%s", t->rel.name, name);
        taken = cat_rel_get(r->c, t->rel.schema, name);
    }
    if (taken) {
        if (!sql_get_bool(n, "if_not_exists"))
            rp_conflict_name(r, r->s->start, name, "%s %s already exists",
                             taken->kind == CAT_INDEX ? "index" : "relation",
                             rp_qname(r, t->rel.schema, name));
        return;
    }
    index_spec spec = {0};
    spec.name = name;
    spec.keys = index_elems(r, sql_get(n, "indexParams"), &spec.nkeys);
    size_t ninc;
    key_spec *inc = index_elems(r, sql_get(n, "indexIncludingParams"), &ninc);
    spec.include = arena_calloc(r->c->a, ninc ? ninc : 1, sizeof *spec.include);
    for (size_t i = 0; i < ninc; i++)
        if (inc[i].column)
            spec.include[spec.ninclude++] = inc[i].column;
    spec.where = sql_get(n, "whereClause");
    spec.method = sql_get_str(n, "accessMethod");
    spec.unique = sql_get_bool(n, "unique");
    spec.concurrently = sql_get_bool(n, "concurrent");
    spec.label = "idx";
    cat_index *ix = index_build(r, t, &spec, NULL);
    if (ix && sql_get_bool(rv, "inh"))
        index_recurse(r, t, ix);
}
