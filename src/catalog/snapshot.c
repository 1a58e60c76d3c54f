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

/* Whether two fact lists built in the same order hold the same facts: what
 * most down steps leave (the table as it was, column for column), found
 * without sorting either. A list in another order (a column dropped and
 * added again comes last) is sorted and merged instead. */
static bool facts_same(const catalog_snapshot *b, const catalog_snapshot *f)
{
    if (b->n != f->n)
        return false;
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->facts[i].key, f->facts[i].key) ||
            strcmp(b->facts[i].value, f->facts[i].value))
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
