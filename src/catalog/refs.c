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
 * pointing there, stays listed, so a lookup checks each candidate against
 * the real pointers (and prunes the dropped ones). A lookup answers none or
 * the only one; with two or more the caller scans the whole catalog as
 * before, so the order of dependents (which one a RESTRICT error names,
 * the order victims go) is the catalog's, whatever the index holds. */
#include "internal.h"

#include <stdlib.h>

typedef struct reflist {
    cat_rel **items;
    size_t n;
    bool unnamed; /* a referrer was not named: always scan */
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
    if (!from) {
        l->unnamed = true;
        return;
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

cat_rel *cat_ref_find(catalog *c, const void *target, cat_ref_match match, bool *several)
{
    *several = false;
    reflist *l = ptrmap_get(&c->refs, target);
    if (!l)
        return NULL;
    if (l->unnamed) {
        *several = true;
        return NULL;
    }
    prune(c, l);
    cat_rel *one = NULL;
    for (size_t i = 0; i < l->n; i++) {
        if (!match(l->items[i], target))
            continue;
        if (one) {
            *several = true;
            return NULL;
        }
        one = l->items[i];
    }
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
