/* store_write_objects.c - catalog_save()'s object sections: types,
 * tables (with their columns, triggers, constraints and view reads),
 * sequences, indexes and functions, in the order store.c lists their
 * fields. */
#include "internal.h"
#include "store.h"

void cat_wr_types(cat_writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->ntypes; i++) {
        const cat_type *t = c->types[i];
        cat_wr_b(w, t->kind);
        cat_wr_s(w, t->schema);
        cat_wr_s(w, t->name);
        cat_wr_s(w, t->base);
        cat_wr_n(w, t->nvalues);
        for (size_t j = 0; j < t->nvalues; j++)
            cat_wr_s(w, t->values[j]);
        cat_wr_origin(w, &t->origin);
    }
    cat_wr_section_end(w, &w->payload, CAT_SEC_TYPES);
}

static void write_column(cat_writer *w, const cat_column *col)
{
    cat_wr_s(w, col->name);
    cat_wr_i(w, col->attnum);
    cat_wr_s(w, col->type);
    cat_wr_s(w, col->type_label);
    cat_wr_ref(w, col->user_type);
    cat_wr_b(w, (col->array ? CAT_COL_ARRAY : 0) | (col->not_null ? CAT_COL_NOT_NULL : 0) |
                    (col->default_volatile ? CAT_COL_VOLATILE : 0));
    cat_wr_s(w, col->default_expr);
    cat_wr_ref(w, col->serial);
    cat_wr_b(w, (unsigned char)col->identity);
    cat_wr_s(w, col->generated);
    cat_wr_s(w, col->collation);
    cat_wr_origin(w, &col->origin);
}

static void write_constraint(cat_writer *w, const cat_constraint *con)
{
    cat_wr_s(w, con->name);
    cat_wr_b(w, con->type);
    cat_wr_refs(w, (void *const *)con->columns, con->ncolumns);
    cat_wr_s(w, con->expr);
    cat_wr_b(w,
             (con->validated ? CAT_CON_VALIDATED : 0) | (con->no_inherit ? CAT_CON_NO_INHERIT : 0));
    cat_wr_ref(w, con->index);
    cat_wr_ref(w, con->ref_table);
    cat_wr_ref(w, con->ref_index);
    cat_wr_refs(w, (void *const *)con->ref_columns, con->nref_columns);
    cat_wr_b(w, (unsigned char)con->on_delete);
    cat_wr_b(w, (unsigned char)con->on_update);
    cat_wr_origin(w, &con->origin);
}

static void write_table(cat_writer *w, const cat_table *t)
{
    cat_wr_b(w, t->rel.kind);
    cat_wr_s(w, t->rel.schema);
    cat_wr_s(w, t->rel.name);
    cat_wr_s(w, t->partition_by);
    cat_wr_s(w, t->definition);
    cat_wr_origin(w, &t->rel.origin);
    cat_wr_i(w, t->next_attnum);
    cat_wr_ref(w, t->parent);
    cat_wr_n(w, t->ncolumns);
    for (size_t i = 0; i < t->ncolumns; i++)
        write_column(w, t->columns[i]);
    cat_wr_n(w, t->ntriggers);
    for (size_t i = 0; i < t->ntriggers; i++) {
        cat_wr_s(w, t->triggers[i]->name);
        cat_wr_s(w, t->triggers[i]->function);
        cat_wr_origin(w, &t->triggers[i]->origin);
    }
    cat_wr_refs(w, (void *const *)t->indexes, t->nindexes);
    cat_wr_n(w, t->nconstraints);
    for (size_t i = 0; i < t->nconstraints; i++)
        write_constraint(w, t->constraints[i]);
    cat_wr_n(w, t->nreads);
    for (size_t i = 0; i < t->nreads; i++) {
        cat_wr_ref(w, t->reads[i].rel);
        cat_wr_ref(w, t->reads[i].column);
    }
}

void cat_wr_sequences(cat_writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->nsequences; i++) {
        const cat_sequence *s = c->sequences[i];
        cat_wr_s(w, s->rel.schema);
        cat_wr_s(w, s->rel.name);
        cat_wr_origin(w, &s->rel.origin);
        cat_wr_ref(w, s->owner_table);
        cat_wr_ref(w, s->owner_column);
        cat_wr_b(w, s->identity);
    }
    cat_wr_section_end(w, &w->payload, CAT_SEC_SEQUENCES);
}

static void write_index(cat_writer *w, const cat_index *ix)
{
    cat_wr_s(w, ix->rel.schema);
    cat_wr_s(w, ix->rel.name);
    cat_wr_origin(w, &ix->rel.origin);
    cat_wr_ref(w, ix->table);
    cat_wr_n(w, ix->nkeys);
    for (size_t i = 0; i < ix->nkeys; i++) {
        cat_wr_ref(w, ix->keys[i].column);
        cat_wr_s(w, ix->keys[i].expr);
    }
    cat_wr_refs(w, (void *const *)ix->include, ix->ninclude);
    cat_wr_refs(w, (void *const *)ix->reads, ix->nreads);
    cat_wr_s(w, ix->method);
    cat_wr_s(w, ix->where);
    cat_wr_b(w, (ix->unique ? CAT_IX_UNIQUE : 0) | (ix->primary ? CAT_IX_PRIMARY : 0) |
                    (ix->concurrently ? CAT_IX_CONCURRENTLY : 0) |
                    (ix->innodb_fk ? CAT_IX_INNODB_FK : 0));
    cat_wr_ref(w, ix->constraint);
    cat_wr_ref(w, ix->parent);
}

void cat_wr_functions(cat_writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->nfunctions; i++) {
        const cat_function *fn = c->functions[i];
        cat_wr_s(w, fn->schema);
        cat_wr_s(w, fn->name);
        cat_wr_s(w, fn->args);
        cat_wr_s(w, fn->definition);
        cat_wr_b(w, (unsigned char)fn->volatility);
        cat_wr_b(w, fn->procedure);
        cat_wr_origin(w, &fn->origin);
    }
    cat_wr_section_end(w, &w->payload, CAT_SEC_FUNCTIONS);
}

void cat_wr_tables(cat_writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->ntables; i++)
        write_table(w, c->tables[i]);
    cat_wr_section_end(w, &w->payload, CAT_SEC_TABLES);
}

void cat_wr_indexes(cat_writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->nindexes; i++)
        write_index(w, c->indexes[i]);
    cat_wr_section_end(w, &w->payload, CAT_SEC_INDEXES);
}
