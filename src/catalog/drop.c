/* drop.c - dropping objects with PostgreSQL's dependency rules.
 *
 * Like pg_depend, there are two kinds of dependents. Automatic ones go with
 * the object (a table's indexes, the indexes and constraints on a dropped
 * column, a serial column's sequence, a partitioned table's partitions).
 * Normal ones (views reading it, foreign keys pointing at it, columns of a
 * dropped type, defaults using a dropped sequence) make a RESTRICT drop fail
 * and are dropped too with CASCADE. drop_add() collects the victims,
 * drop_check() finds a blocking dependent, drop_execute() removes them. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void drop_init(dropset *d, catalog *c, bool cascade)
{
    memset(d, 0, sizeof *d);
    d->c = c;
    d->cascade = cascade;
}

void drop_done(dropset *d)
{
    free(d->v);
    free(d->deps);
    free(d->dep_names);
    memset(d, 0, sizeof *d);
}

static bool in_set(const dropset *d, victim_kind kind, const void *obj)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].kind == kind && d->v[i].obj == obj)
            return true;
    return false;
}

static void push(victim **arr, size_t *n, victim v)
{
    if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
        size_t cap = *n ? *n * 2 : 8;
        *arr = realloc(*arr, cap * sizeof **arr);
        if (!*arr)
            abort();
    }
    (*arr)[(*n)++] = v;
}

/* A normal dependent: dropped too under CASCADE, else remembered as a
 * possible blocker. */
static void normal(dropset *d, victim_kind kind, void *obj, cat_table *table, const char *what)
{
    if (d->cascade) {
        drop_add(d, kind, obj, table);
        return;
    }
    size_t n = d->ndeps;
    victim v = {kind, obj, table};
    push(&d->deps, &d->ndeps, v);
    d->dep_names = realloc(d->dep_names, d->ndeps * sizeof *d->dep_names);
    if (!d->dep_names)
        abort();
    d->dep_names[n] = (char *)what;
}

static const char *qualified(dropset *d, const cat_rel *r)
{
    if (cat_is_public(r->schema))
        return r->name;
    return arena_printf(d->c->a, "%s.%s", r->schema, r->name);
}

static void fk_dependents(dropset *d, const cat_index *ix)
{
    cat_table *one, **ts;
    size_t n;
    ts = cat_ref_tables(d->c, ix, cat_ref_fk_to, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *u = ts[i];
        for (size_t k = 0; k < u->nconstraints; k++) {
            cat_constraint *con = u->constraints[k];
            if (con->type == CAT_CON_FOREIGN && con->ref_index == ix)
                normal(d, V_CONSTRAINT, con, u,
                       arena_printf(d->c->a, "constraint %s on table %s", con->name,
                                    qualified(d, &u->rel)));
        }
    }
}

static void view_dependents(dropset *d, const cat_table *t, const cat_column *col)
{
    cat_table *one, **vs;
    size_t n;
    vs = cat_ref_tables(d->c, t, cat_ref_reads, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *v = vs[i];
        /* Most relations read nothing (only views do): no call for them. */
        if (!v->nreads || v == t || (col ? !view_reads_column(v, t, col) : !view_reads_rel(v, t)))
            continue;
        normal(
            d, V_REL, v, NULL,
            arena_printf(d->c->a, "%s %s", cat_relkind_word(v->rel.kind), qualified(d, &v->rel)));
    }
}

static void add_table(dropset *d, cat_table *t)
{
    catalog *c = d->c;
    cat_table *one, **ts;
    cat_sequence *sone, **ss;
    size_t n;
    for (size_t i = 0; i < t->nindexes; i++)
        drop_add(d, V_REL, t->indexes[i], t);
    ts = cat_ref_tables(d->c, t, cat_ref_child_of, &one, &n);
    for (size_t i = 0; i < n; i++)
        if (ts[i]->parent == t)
            drop_add(d, V_REL, ts[i], NULL);
    ss = cat_ref_sequences(d->c, t, &sone, &n);
    for (size_t i = 0; i < n; i++)
        if (ss[i]->owner_table == t)
            drop_add(d, V_REL, ss[i], NULL);
    ts = cat_ref_tables(d->c, t, cat_ref_fk_to, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *u = ts[i];
        for (size_t k = 0; u != t && k < u->nconstraints; k++) {
            cat_constraint *con = u->constraints[k];
            if (con->type == CAT_CON_FOREIGN && con->ref_table == t)
                normal(d, V_CONSTRAINT, con, u,
                       arena_printf(c->a, "constraint %s on table %s", con->name,
                                    qualified(d, &u->rel)));
        }
    }
    view_dependents(d, t, NULL);
}

static void add_index(dropset *d, cat_index *ix)
{
    cat_index *one, **xs;
    size_t n;
    if (ix->constraint)
        drop_add(d, V_CONSTRAINT, ix->constraint, ix->table);
    xs = cat_ref_indexes(d->c, ix, &one, &n);
    for (size_t i = 0; i < n; i++)
        if (xs[i]->parent == ix)
            drop_add(d, V_REL, xs[i], xs[i]->table);
    fk_dependents(d, ix);
}

static void add_sequence(dropset *d, cat_sequence *seq)
{
    cat_table *one, **ts;
    size_t n;
    ts = cat_ref_tables(d->c, seq, cat_ref_serial_of, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *t = ts[i];
        for (size_t k = 0; k < t->ncolumns; k++)
            if (t->columns[k]->serial == seq)
                normal(d, V_DEFAULT, t->columns[k], t,
                       arena_printf(d->c->a, "default value for column %s.%s",
                                    qualified(d, &t->rel), t->columns[k]->name));
    }
}

static void add_column(dropset *d, cat_table *t, cat_column *col)
{
    catalog *c = d->c;
    for (size_t i = 0; i < t->nindexes; i++) {
        cat_index *ix = t->indexes[i];
        if (!index_reads_column(ix, col))
            continue;
        /* An EXCLUDE constraint depends normally on what its predicate reads. */
        cat_constraint *con = ix->constraint;
        if (con && con->type == CAT_CON_EXCLUSION &&
            !cat_column_reads((const cat_column *const *)con->columns, con->ncolumns, col))
            normal(
                d, V_CONSTRAINT, con, t,
                arena_printf(c->a, "constraint %s on table %s", con->name, qualified(d, &t->rel)));
        else
            drop_add(d, V_REL, ix, t);
    }
    for (size_t i = 0; i < t->nconstraints; i++)
        if (cat_column_reads((const cat_column *const *)t->constraints[i]->columns,
                             t->constraints[i]->ncolumns, col))
            drop_add(d, V_CONSTRAINT, t->constraints[i], t);
    cat_sequence *sone, **ss;
    cat_table *one, **ts;
    size_t n;
    /* A column's sequence is owned by its table too (OWNED BY sets both). */
    ss = cat_ref_sequences(d->c, t, &sone, &n);
    for (size_t i = 0; i < n; i++)
        if (ss[i]->owner_column == col)
            drop_add(d, V_REL, ss[i], NULL);
    ts = cat_ref_tables(d->c, t, cat_ref_child_of, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *p = ts[i];
        cat_column *pc = p->parent == t ? cat_column_find(p, col->name) : NULL;
        if (pc)
            drop_add(d, V_COLUMN, pc, p);
    }
    view_dependents(d, t, col);
}

static void add_constraint(dropset *d, cat_table *t, cat_constraint *con)
{
    if (con->index)
        drop_add(d, V_REL, con->index, t);
    /* Copies on partitions go with the partitioned table's constraint. */
    cat_table *one, **ts;
    size_t n;
    ts = cat_ref_tables(d->c, t, cat_ref_child_of, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *p = ts[i];
        if (p->parent != t || con->type == CAT_CON_PRIMARY || con->type == CAT_CON_UNIQUE)
            continue;
        cat_constraint *pc = cat_constraint_find(p, con->name);
        if (pc && pc->type == con->type)
            drop_add(d, V_CONSTRAINT, pc, p);
    }
}

/* Columns of the type, and defaults that cast to it (a column moved off an
 * enum keeps its old default, 'USD'::"Currency", cast to the new type). */
static void add_type(dropset *d, cat_type *type)
{
    const char *display = cat_type_display(d->c, type);
    for (size_t i = 0; i < d->c->ntables; i++) {
        cat_table *t = d->c->tables[i];
        if (t->rel.kind == CAT_VIEW || t->rel.kind == CAT_MATVIEW)
            continue;
        for (size_t k = 0; k < t->ncolumns; k++) {
            cat_column *col = t->columns[k];
            if (col->user_type == type)
                normal(d, V_COLUMN, col, t,
                       arena_printf(d->c->a, "column %s.%s", qualified(d, &t->rel), col->name));
            else if (cat_text_casts_to(col->default_expr, display))
                normal(d, V_DEFAULT, col, t,
                       arena_printf(d->c->a, "default value for column %s.%s",
                                    qualified(d, &t->rel), col->name));
        }
    }
}

static void add_schema(dropset *d, const char *schema)
{
    catalog *c = d->c;
    for (size_t i = 0; i < c->ntables; i++)
        if (!strcmp(c->tables[i]->rel.schema, schema))
            normal(d, V_REL, c->tables[i], NULL,
                   arena_printf(c->a, "%s %s", cat_relkind_word(c->tables[i]->rel.kind),
                                qualified(d, &c->tables[i]->rel)));
    for (size_t i = 0; i < c->nsequences; i++)
        if (!strcmp(c->sequences[i]->rel.schema, schema) && !c->sequences[i]->owner_table)
            normal(d, V_REL, c->sequences[i], NULL,
                   arena_printf(c->a, "sequence %s", qualified(d, &c->sequences[i]->rel)));
    for (size_t i = 0; i < c->ntypes; i++)
        if (!strcmp(c->types[i]->schema, schema))
            normal(d, V_TYPE, c->types[i], NULL,
                   arena_printf(c->a, "type %s.%s", schema, c->types[i]->name));
    for (size_t i = 0; i < c->nfunctions; i++)
        if (!strcmp(c->functions[i]->schema, schema))
            normal(d, V_FUNCTION, c->functions[i], NULL,
                   arena_printf(c->a, "function %s.%s", schema, c->functions[i]->name));
}

/* The triggers that execute a dropped trigger function (no arguments):
 * CASCADE drops them, else PostgreSQL refuses the DROP (lemmy's DROP
 * FUNCTION a, b, ... CASCADE of 29 trigger functions). */
static void add_function(dropset *d, const cat_function *fn)
{
    if (fn->args[0])
        return;
    const char *key = arena_printf(d->c->a, "%s.%s", fn->schema, fn->name);
    for (size_t i = 0; i < d->c->ntables; i++) {
        cat_table *t = d->c->tables[i];
        for (size_t k = 0; k < t->ntriggers; k++)
            if (t->triggers[k]->function && !strcmp(t->triggers[k]->function, key))
                normal(d, V_TRIGGER, t->triggers[k], t,
                       arena_printf(d->c->a, "trigger %s on table %s", t->triggers[k]->name,
                                    qualified(d, &t->rel)));
    }
}

void drop_add(dropset *d, victim_kind kind, void *obj, cat_table *table)
{
    if (in_set(d, kind, obj))
        return;
    victim v = {kind, obj, table};
    push(&d->v, &d->n, v);
    switch (kind) {
    case V_REL: {
        cat_rel *r = obj;
        if (r->kind == CAT_INDEX)
            add_index(d, obj);
        else if (r->kind == CAT_SEQUENCE)
            add_sequence(d, obj);
        else
            add_table(d, obj);
        break;
    }
    case V_COLUMN:
        add_column(d, table, obj);
        break;
    case V_CONSTRAINT:
        add_constraint(d, table, obj);
        break;
    case V_TYPE:
        add_type(d, obj);
        break;
    case V_SCHEMA:
        add_schema(d, obj);
        break;
    case V_FUNCTION:
        add_function(d, obj);
        break;
    default:
        break;
    }
}

/* Does the dependent go anyway, itself or with the table it belongs to? */
static bool goes(const dropset *d, const victim *dep)
{
    if (in_set(d, dep->kind, dep->obj))
        return true;
    if (dep->table && in_set(d, V_REL, dep->table))
        return true;
    if (dep->kind == V_DEFAULT && in_set(d, V_COLUMN, dep->obj))
        return true;
    return false;
}

bool drop_check(dropset *d)
{
    for (size_t i = 0; i < d->ndeps; i++) {
        if (!goes(d, &d->deps[i]) && !(d->gone && d->gone(d->gone_ud, &d->deps[i]))) {
            d->blocker = d->dep_names[i];
            return false;
        }
    }
    return true;
}

static void remove_rel(catalog *c, cat_rel *r)
{
    cat_rel_unregister(c, r);
    if (r->kind == CAT_INDEX) {
        cat_index *ix = (cat_index *)r;
        CAT_REMOVE(c->indexes, c->nindexes, ix);
        CAT_REMOVE(ix->table->indexes, ix->table->nindexes, ix);
    } else if (r->kind == CAT_SEQUENCE) {
        CAT_REMOVE(c->sequences, c->nsequences, r);
    } else {
        cat_table *t = (cat_table *)r;
        while (t->nconstraints)
            cat_constraint_detach(c, t, t->constraints[0]);
        CAT_REMOVE(c->tables, c->ntables, t);
    }
}

static void remove_schema(catalog *c, const char *schema)
{
    for (size_t i = 0; i < c->nschemas; i++) {
        if (!strcmp(c->schemas[i], schema)) {
            CAT_REMOVE_AT(c->schemas, c->nschemas, i);
            return;
        }
    }
}

void drop_execute(dropset *d)
{
    catalog *c = d->c;
    for (size_t i = 0; i < d->n; i++) {
        victim *v = &d->v[i];
        switch (v->kind) {
        case V_REL:
            remove_rel(c, v->obj);
            break;
        case V_COLUMN:
            CAT_REMOVE(v->table->columns, v->table->ncolumns, v->obj);
            break;
        case V_CONSTRAINT:
            cat_constraint_detach(c, v->table, v->obj);
            break;
        case V_DEFAULT: {
            cat_column *col = v->obj;
            col->default_expr = NULL;
            col->default_volatile = false;
            col->serial = NULL;
            break;
        }
        case V_TYPE: {
            cat_type *t = v->obj;
            cat_map_remove(&c->typemap, t->schema, t->name);
            CAT_REMOVE(c->types, c->ntypes, t);
            break;
        }
        case V_SCHEMA:
            remove_schema(c, v->obj);
            break;
        case V_FUNCTION:
            CAT_REMOVE(c->functions, c->nfunctions, v->obj);
            break;
        case V_TRIGGER:
            CAT_REMOVE(v->table->triggers, v->table->ntriggers, v->obj);
            break;
        }
    }
}
