/* refs.c - who may point at a relation: the reverse index DROP's
 * dependents come from.
 *
 * Finding what depends on a dropped table, index or sequence used to scan
 * every table (and every column) of the catalog, once for each object a
 * DROP removes: quadratic over a long history (10,000 migrations spent a
 * seventh of their time there). Where a pointer to a relation is set (a
 * foreign key, a partition's parent, a nextval() default, a view's reads,
 * a sequence's owner), the relation holding it is noted against the
 * target; clones and the cache's loader note every pointer at once.
 *
 * The lists are a superset: a relation dropped since, or no longer
 * pointing there, stays listed (dropped ones are pruned when a list
 * grows), so a lookup checks each candidate against the real pointers. A
 * lookup answers none or the only one; with two or more the caller scans
 * the whole catalog as before, so the order of dependents (which one a
 * RESTRICT error names, the order victims go) is the catalog's, whatever
 * the index holds. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct reflist {
    cat_rel **items;
    size_t n;
} reflist;

/* Is r in the catalog now? Every relation is in the one namespace. */
static bool live(const catalog *c, const cat_rel *r)
{
    return cat_map_get(&c->rels, r->schema, r->name) == r;
}

static void prune(const catalog *c, reflist *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++)
        if (live(c, l->items[i]))
            l->items[kept++] = l->items[i];
    l->n = kept;
}

void cat_ref_note(catalog *c, const void *target, cat_rel *from)
{
    if (!target)
        return;
    reflist *l = ptrmap_get(&c->refs, target);
    if (!l) {
        l = arena_calloc(c->a, 1, sizeof *l);
        ptrmap_put(&c->refs, target, l);
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i] == from)
            return;
    /* Dropped relations go before the list grows (a table dropped and
     * created again by every down and up step is a new object each time). */
    if (l->n >= 8 && (l->n & (l->n - 1)) == 0)
        prune(c, l);
    CAT_PUSH(c->a, l->items, l->n, from);
}

const cat_rel *cat_ref_find(const catalog *c, const void *target, cat_ref_match match,
                            bool *several)
{
    *several = false;
    const reflist *l = ptrmap_get(&c->refs, target);
    if (!l)
        return NULL;
    const cat_rel *one = NULL;
    for (size_t i = 0; i < l->n; i++) {
        if (!match(l->items[i], target) || !live(c, l->items[i]))
            continue;
        if (one) {
            *several = true;
            return NULL;
        }
        one = l->items[i];
    }
    return one;
}

/* ---- the matches DROP and ALTER ask for ---- */

static bool is_table(const cat_rel *r)
{
    return r->kind != CAT_INDEX && r->kind != CAT_SEQUENCE;
}

bool cat_ref_child_of(const cat_rel *from, const void *t)
{
    return is_table(from) && ((const cat_table *)from)->parent == t;
}

bool cat_ref_fk_to(const cat_rel *from, const void *target)
{
    if (!is_table(from))
        return false;
    const cat_table *u = (const cat_table *)from;
    for (size_t k = 0; k < u->nconstraints; k++)
        if (u->constraints[k]->type == CAT_CON_FOREIGN &&
            (u->constraints[k]->ref_table == target || u->constraints[k]->ref_index == target))
            return true;
    return false;
}

bool cat_ref_serial_of(const cat_rel *from, const void *seq)
{
    if (!is_table(from))
        return false;
    const cat_table *t = (const cat_table *)from;
    for (size_t k = 0; k < t->ncolumns; k++)
        if (t->columns[k]->serial == seq)
            return true;
    return false;
}

bool cat_ref_reads(const cat_rel *from, const void *t)
{
    return is_table(from) && ((const cat_table *)from)->nreads &&
           view_reads_rel((const cat_table *)from, t);
}

static bool owned_by(const cat_rel *from, const void *t)
{
    return from->kind == CAT_SEQUENCE && ((const cat_sequence *)from)->owner_table == t;
}

static bool index_child_of(const cat_rel *from, const void *ix)
{
    return from->kind == CAT_INDEX && ((const cat_index *)from)->parent == ix;
}

/* ---- what to scan ---- */

#ifdef CAT_REFS_CHECK
/* The index's answer against a scan of all n relations. */
static void verify(const catalog *c, const void *target, cat_ref_match match, const cat_rel *one,
                   const cat_rel *(*rel_at)(const catalog *, size_t), size_t n)
{
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        const cat_rel *r = rel_at(c, i);
        if (match(r, target) && (found++ || r != one)) {
            fprintf(stderr, "migralint: the catalog's reverse index misses %s.%s\n", r->schema,
                    r->name);
            abort();
        }
    }
    if (one && !found) {
        fprintf(stderr, "migralint: the catalog's reverse index names %s.%s\n", one->schema,
                one->name);
        abort();
    }
}

static const cat_rel *table_at(const catalog *c, size_t i)
{
    return &c->tables[i]->rel;
}

static const cat_rel *sequence_at(const catalog *c, size_t i)
{
    return &c->sequences[i]->rel;
}

static const cat_rel *index_at(const catalog *c, size_t i)
{
    return &c->indexes[i]->rel;
}
#define VERIFY(c, target, match, one, at, n) verify(c, target, match, one, at, n)
#else
#define VERIFY(c, target, match, one, at, n) ((void)0)
#endif

cat_table **cat_ref_tables(const catalog *c, const void *target, cat_ref_match match,
                           cat_table **one, size_t *n)
{
    bool several;
    const cat_rel *r = cat_ref_find(c, target, match, &several);
    if (several) {
        *n = c->ntables;
        return c->tables;
    }
    VERIFY(c, target, match, r, table_at, c->ntables);
    *one = (cat_table *)r;
    *n = r != NULL;
    return one;
}

cat_sequence **cat_ref_sequences(const catalog *c, const cat_table *t, cat_sequence **one,
                                 size_t *n)
{
    bool several;
    const cat_rel *r = cat_ref_find(c, t, owned_by, &several);
    if (several) {
        *n = c->nsequences;
        return c->sequences;
    }
    VERIFY(c, t, owned_by, r, sequence_at, c->nsequences);
    *one = (cat_sequence *)r;
    *n = r != NULL;
    return one;
}

cat_index **cat_ref_indexes(const catalog *c, const cat_index *ix, cat_index **one, size_t *n)
{
    bool several;
    const cat_rel *r = cat_ref_find(c, ix, index_child_of, &several);
    if (several) {
        *n = c->nindexes;
        return c->indexes;
    }
    VERIFY(c, ix, index_child_of, r, index_at, c->nindexes);
    *one = (cat_index *)r;
    *n = r != NULL;
    return one;
}

static void note_table(catalog *c, cat_table *t)
{
    cat_ref_note(c, t->parent, &t->rel);
    for (size_t i = 0; i < t->ncolumns; i++)
        cat_ref_note(c, t->columns[i]->serial, &t->rel);
    for (size_t i = 0; i < t->nconstraints; i++) {
        cat_ref_note(c, t->constraints[i]->ref_table, &t->rel);
        cat_ref_note(c, t->constraints[i]->ref_index, &t->rel);
    }
    for (size_t i = 0; i < t->nreads; i++)
        cat_ref_note(c, t->reads[i].rel, &t->rel);
}

void cat_ref_note_all(catalog *c)
{
    for (size_t i = 0; i < c->ntables; i++)
        note_table(c, c->tables[i]);
    for (size_t i = 0; i < c->nindexes; i++)
        cat_ref_note(c, c->indexes[i]->parent, &c->indexes[i]->rel);
    for (size_t i = 0; i < c->nsequences; i++)
        cat_ref_note(c, c->sequences[i]->owner_table, &c->sequences[i]->rel);
}
