/* snapshot.c - the facts of a few named objects, kept to compare the schema
 * before an up step with the schema after its down step (see catalog.h). */
#include "internal.h"

#include <stdlib.h>

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

size_t catalog_snapshot_diff(const catalog_snapshot *before, const catalog_snapshot *after,
                             void (*fn)(void *ud, const char *what), void *ud)
{
    arena *a = arena_new();
    size_t count = cat_facts_diff(a, before->facts, before->n, after->facts, after->n, fn, ud);
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
