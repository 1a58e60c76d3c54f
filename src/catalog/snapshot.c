/* snapshot.c - the facts of a few named objects, kept to compare the schema
 * before an up step with the schema after its down step (see catalog.h). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct catalog_snapshot {
    arena *a;
    cat_fact *facts;
    size_t n;
};

catalog_snapshot *catalog_snapshot_take(const catalog *c, const char *const *names, size_t n)
{
    catalog_snapshot *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->a = arena_new();
    s->facts = catalog_facts_of(c, s->a, names, n, &s->n);
    return s;
}

/* A kept column line is the same pointer in both snapshots (diff.c). */
static bool fact_eq(const cat_fact *a, const cat_fact *b)
{
    return (a->key == b->key || !strcmp(a->key, b->key)) &&
           (a->value == b->value || !strcmp(a->value, b->value));
}

/* Whether two fact lists hold the same facts, found without sorting
 * either when they were built in the same order (what most down steps
 * leave: the table as it was, column for column) or in the same order but
 * for one fact that comes later (a column dropped and added back comes
 * after the others). Any other order is sorted and merged instead: false
 * only means "not found equal here". */
static bool facts_same(const catalog_snapshot *b, const catalog_snapshot *f)
{
    if (b->n != f->n)
        return false;
    size_t n = b->n, i = 0;
    while (i < n && fact_eq(&b->facts[i], &f->facts[i]))
        i++;
    if (i == n)
        return true;
    /* b[i] moved to f[m]: f[i..m-1] is b[i+1..m], the rest in place. */
    size_t m = i;
    while (m + 1 < n && fact_eq(&f->facts[m], &b->facts[m + 1]))
        m++;
    if (!fact_eq(&f->facts[m], &b->facts[i]))
        return false;
    for (size_t k = m + 1; k < n; k++)
        if (!fact_eq(&b->facts[k], &f->facts[k]))
            return false;
    return true;
}

size_t catalog_snapshot_diff(const catalog_snapshot *before, const catalog_snapshot *after,
                             void (*fn)(void *ud, const char *what), void *ud)
{
    if (facts_same(before, after))
        return 0;
    arena *a = arena_new();
    cat_fact *b = arena_alloc(a, (before->n + after->n + 1) * sizeof *b), *f = b + before->n;
    if (before->n)
        memcpy(b, before->facts, before->n * sizeof *b);
    if (after->n)
        memcpy(f, after->facts, after->n * sizeof *f);
    size_t nb = cat_facts_settle(b, before->n), na = cat_facts_settle(f, after->n);
    size_t count = cat_facts_diff(a, b, nb, f, na, fn, ud);
    arena_free(a);
    return count;
}

void catalog_snapshot_free(catalog_snapshot *s)
{
    if (!s)
        return;
    arena_free(s->a);
    free(s);
}
