/* store_objects.c - catalog_load()'s object sections: types, tables (with
 * their columns, triggers, constraints and view reads), sequences, indexes
 * and functions, each filling the objects store_read.c allocated. Values
 * that would leave a dereferenced pointer NULL (a name, an index's table, a
 * foreign key's target) or an enum out of range make the data invalid. */
#include "internal.h"
#include "store.h"

static void read_type(cat_loader *ld, cat_type *t)
{
    unsigned char kind = cat_rd_b(&ld->r);
    if (kind > CAT_COMPOSITE)
        ld->r.bad = true;
    t->kind = (cat_typekind)kind;
    t->schema = cat_ld_name(ld);
    t->name = cat_ld_name(ld);
    t->base = cat_ld_str(ld);
    t->nvalues = cat_ld_count(ld);
    t->values = cat_alloc_array(ld->c->a, t->nvalues, sizeof *t->values);
    for (size_t i = 0; i < t->nvalues; i++)
        t->values[i] = cat_ld_name(ld);
    cat_ld_origin(ld, &t->origin);
}

void cat_ld_types(cat_loader *ld)
{
    for (size_t i = 0; i < ld->ntypes && !ld->r.bad; i++)
        read_type(ld, &ld->types[i]);
}

static void read_column(cat_loader *ld, cat_column *col)
{
    col->name = cat_ld_name(ld);
    col->attnum = cat_ld_int(ld);
    col->type = cat_ld_str(ld);
    col->type_label = cat_ld_str(ld);
    col->user_type = CAT_LD_REF(ld, types, ntypes, false);
    unsigned char flags = cat_rd_b(&ld->r);
    if (flags & ~CAT_COL_FLAGS)
        ld->r.bad = true;
    col->array = flags & CAT_COL_ARRAY;
    col->not_null = flags & CAT_COL_NOT_NULL;
    col->default_volatile = flags & CAT_COL_VOLATILE;
    col->default_expr = cat_ld_str(ld);
    col->serial = CAT_LD_REF(ld, sequences, nsequences, false);
    col->identity = (char)cat_rd_b(&ld->r);
    col->generated = cat_ld_str(ld);
    col->collation = cat_ld_str(ld);
    cat_ld_origin(ld, &col->origin);
}

static bool contype_valid(unsigned char type)
{
    return type == CAT_CON_PRIMARY || type == CAT_CON_UNIQUE || type == CAT_CON_CHECK ||
           type == CAT_CON_FOREIGN || type == CAT_CON_EXCLUSION;
}

static void read_constraint(cat_loader *ld, cat_constraint *con)
{
    con->name = cat_ld_name(ld);
    unsigned char type = cat_rd_b(&ld->r);
    if (!contype_valid(type))
        ld->r.bad = true;
    con->type = (cat_contype)type;
    con->columns = cat_ld_columns(ld, &con->ncolumns);
    con->expr = cat_ld_str(ld);
    unsigned char flags = cat_rd_b(&ld->r);
    if (flags & ~CAT_CON_FLAGS)
        ld->r.bad = true;
    con->validated = flags & CAT_CON_VALIDATED;
    con->no_inherit = flags & CAT_CON_NO_INHERIT;
    con->index = CAT_LD_REF(ld, indexes, nindexes, false);
    con->ref_table = CAT_LD_REF(ld, tables, ntables, type == CAT_CON_FOREIGN);
    con->ref_index = CAT_LD_REF(ld, indexes, nindexes, false);
    con->ref_columns = cat_ld_columns(ld, &con->nref_columns);
    con->on_delete = (char)cat_rd_b(&ld->r);
    con->on_update = (char)cat_rd_b(&ld->r);
    cat_ld_origin(ld, &con->origin);
}

/* Hands the next n of a pool to a table: false when the pool has fewer. */
static bool take(cat_loader *ld, size_t n, size_t *used, size_t total)
{
    if (n > total - *used) {
        ld->r.bad = true;
        return false;
    }
    *used += n;
    return true;
}

static void read_members(cat_loader *ld, cat_table *t)
{
    t->ncolumns = cat_ld_count(ld);
    t->columns = cat_alloc_array(ld->c->a, t->ncolumns, sizeof *t->columns);
    size_t first = ld->columns_used;
    if (!take(ld, t->ncolumns, &ld->columns_used, ld->ncolumns))
        return;
    for (size_t i = 0; i < t->ncolumns; i++)
        read_column(ld, t->columns[i] = &ld->columns[first + i]);
    t->ntriggers = cat_ld_count(ld);
    t->triggers = cat_alloc_array(ld->c->a, t->ntriggers, sizeof *t->triggers);
    first = ld->triggers_used;
    if (!take(ld, t->ntriggers, &ld->triggers_used, ld->ntriggers))
        return;
    for (size_t i = 0; i < t->ntriggers; i++) {
        cat_trigger *tg = t->triggers[i] = &ld->triggers[first + i];
        tg->name = cat_ld_name(ld);
        tg->function = cat_ld_str(ld);
        cat_ld_origin(ld, &tg->origin);
    }
}

static void read_links(cat_loader *ld, cat_table *t)
{
    t->nindexes = cat_ld_count(ld);
    t->indexes = cat_alloc_array(ld->c->a, t->nindexes, sizeof *t->indexes);
    for (size_t i = 0; i < t->nindexes; i++)
        t->indexes[i] = CAT_LD_REF(ld, indexes, nindexes, true);
    t->nconstraints = cat_ld_count(ld);
    t->constraints = cat_alloc_array(ld->c->a, t->nconstraints, sizeof *t->constraints);
    size_t first = ld->constraints_used;
    if (!take(ld, t->nconstraints, &ld->constraints_used, ld->nconstraints))
        return;
    for (size_t i = 0; i < t->nconstraints; i++)
        read_constraint(ld, t->constraints[i] = &ld->constraints[first + i]);
    t->nreads = cat_ld_count(ld);
    t->reads = cat_alloc_array(ld->c->a, t->nreads, sizeof *t->reads);
    for (size_t i = 0; i < t->nreads; i++) {
        t->reads[i].rel = CAT_LD_REF(ld, tables, ntables, true);
        t->reads[i].column = CAT_LD_REF(ld, columns, ncolumns, false);
    }
}

static void read_table(cat_loader *ld, cat_table *t)
{
    unsigned char kind = cat_rd_b(&ld->r);
    if (kind != CAT_TABLE && kind != CAT_PARTITIONED_TABLE && kind != CAT_VIEW &&
        kind != CAT_MATVIEW)
        ld->r.bad = true;
    t->rel.kind = (cat_relkind)kind;
    t->rel.schema = cat_ld_name(ld);
    t->rel.name = cat_ld_name(ld);
    t->partition_by = cat_ld_str(ld);
    t->definition = cat_ld_str(ld);
    cat_ld_origin(ld, &t->rel.origin);
    t->next_attnum = cat_ld_int(ld);
    t->parent = CAT_LD_REF(ld, tables, ntables, false);
    read_members(ld, t);
    read_links(ld, t);
}

void cat_ld_tables(cat_loader *ld)
{
    for (size_t i = 0; i < ld->ntables && !ld->r.bad; i++)
        read_table(ld, &ld->tables[i]);
}

void cat_ld_sequences(cat_loader *ld)
{
    for (size_t i = 0; i < ld->nsequences && !ld->r.bad; i++) {
        cat_sequence *s = &ld->sequences[i];
        s->rel.kind = CAT_SEQUENCE;
        s->rel.schema = cat_ld_name(ld);
        s->rel.name = cat_ld_name(ld);
        cat_ld_origin(ld, &s->rel.origin);
        s->owner_table = CAT_LD_REF(ld, tables, ntables, false);
        s->owner_column = CAT_LD_REF(ld, columns, ncolumns, false);
        unsigned char identity = cat_rd_b(&ld->r);
        if (identity > 1 || (s->owner_column && !s->owner_table))
            ld->r.bad = true;
        s->identity = identity;
    }
}

static void read_index(cat_loader *ld, cat_index *ix)
{
    ix->rel.kind = CAT_INDEX;
    ix->rel.schema = cat_ld_name(ld);
    ix->rel.name = cat_ld_name(ld);
    cat_ld_origin(ld, &ix->rel.origin);
    ix->table = CAT_LD_REF(ld, tables, ntables, true);
    ix->nkeys = cat_ld_count(ld);
    ix->keys = cat_alloc_array(ld->c->a, ix->nkeys, sizeof *ix->keys);
    for (size_t i = 0; i < ix->nkeys; i++) {
        ix->keys[i].column = CAT_LD_REF(ld, columns, ncolumns, false);
        ix->keys[i].expr = cat_ld_str(ld);
    }
    ix->include = cat_ld_columns(ld, &ix->ninclude);
    ix->reads = cat_ld_columns(ld, &ix->nreads);
    ix->method = cat_ld_str(ld);
    ix->where = cat_ld_str(ld);
    unsigned char flags = cat_rd_b(&ld->r);
    if (flags & ~CAT_IX_FLAGS)
        ld->r.bad = true;
    ix->unique = flags & CAT_IX_UNIQUE;
    ix->primary = flags & CAT_IX_PRIMARY;
    ix->concurrently = flags & CAT_IX_CONCURRENTLY;
    ix->innodb_fk = flags & CAT_IX_INNODB_FK;
    ix->constraint = CAT_LD_REF(ld, constraints, nconstraints, false);
    ix->parent = CAT_LD_REF(ld, indexes, nindexes, false);
}

void cat_ld_indexes(cat_loader *ld)
{
    for (size_t i = 0; i < ld->nindexes && !ld->r.bad; i++)
        read_index(ld, &ld->indexes[i]);
}

void cat_ld_functions(cat_loader *ld)
{
    for (size_t i = 0; i < ld->nfunctions && !ld->r.bad; i++) {
        cat_function *fn = &ld->functions[i];
        fn->schema = cat_ld_name(ld);
        fn->name = cat_ld_name(ld);
        fn->args = cat_ld_name(ld);
        fn->definition = cat_ld_str(ld);
        fn->volatility = (char)cat_rd_b(&ld->r);
        unsigned char procedure = cat_rd_b(&ld->r);
        if (procedure > 1)
            ld->r.bad = true;
        fn->procedure = procedure;
        cat_ld_origin(ld, &fn->origin);
    }
}
