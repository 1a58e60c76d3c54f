/* store_read.c - catalog_load(): checks the header and checksum, walks
 * the sections (store.c describes them) with bounds-checked reads, and
 * registers the objects in the catalog's maps as replay would have left
 * them. Anything out of place frees what was built and yields NULL. */
#include "internal.h"
#include "store.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* S: one copy of the whole table into the arena, split at its NULs. */
static void read_strings(cat_loader *ld)
{
    size_t n = cat_ld_count(ld);
    size_t size = (size_t)(ld->r.end - ld->r.p);
    char *blob = arena_alloc(ld->c->a, size ? size : 1);
    if (size)
        memcpy(blob, ld->r.p, size);
    ld->r.p = ld->r.end;
    /* Only the load needs these: the caller frees them. */
    ld->strings = malloc((n ? n : 1) * sizeof *ld->strings);
    ld->interned = calloc(n / 8 + 1, 1);
    if (!ld->strings || !ld->interned)
        abort();
    ld->nstrings = n;
    const char *p = blob, *end = blob + size;
    for (size_t i = 0; i < n; i++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        if (!nul) {
            ld->r.bad = true;
            return;
        }
        ld->strings[i] = p;
        p = nul + 1;
    }
    if (p != end)
        ld->r.bad = true;
}

static void *pool(cat_loader *ld, size_t n, size_t size)
{
    return arena_calloc(ld->c->a, n ? n : 1, size);
}

/* N: every object has an origin, 7 bytes at least, so counts the payload
 * cannot hold are refused before anything is allocated. */
static void read_counts(cat_loader *ld)
{
    size_t *counts[] = {&ld->ntypes,    &ld->ntables,  &ld->ncolumns,   &ld->nconstraints,
                        &ld->ntriggers, &ld->nindexes, &ld->nsequences, &ld->nfunctions};
    uint64_t total = 0;
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        uint64_t n = cat_rd_u(&ld->r);
        if (n > ld->payload_len)
            ld->r.bad = true;
        *counts[i] = ld->r.bad ? 0 : (size_t)n;
        total += *counts[i];
    }
    if (ld->r.bad || total * 7 > ld->payload_len) {
        ld->r.bad = true;
        return;
    }
    ld->types = pool(ld, ld->ntypes, sizeof *ld->types);
    ld->tables = pool(ld, ld->ntables, sizeof *ld->tables);
    ld->columns = pool(ld, ld->ncolumns, sizeof *ld->columns);
    ld->constraints = pool(ld, ld->nconstraints, sizeof *ld->constraints);
    ld->triggers = pool(ld, ld->ntriggers, sizeof *ld->triggers);
    ld->indexes = pool(ld, ld->nindexes, sizeof *ld->indexes);
    ld->sequences = pool(ld, ld->nsequences, sizeof *ld->sequences);
    ld->functions = pool(ld, ld->nfunctions, sizeof *ld->functions);
}

static const char **read_names(cat_loader *ld, size_t *n)
{
    *n = cat_ld_count(ld);
    const char **names = cat_alloc_array(ld->c->a, *n, sizeof *names);
    for (size_t i = 0; i < *n; i++)
        names[i] = cat_ld_name(ld);
    return names;
}

static void read_globals(cat_loader *ld)
{
    catalog *c = ld->c;
    unsigned char temp = cat_rd_b(&ld->r);
    if (temp > 1)
        ld->r.bad = true;
    c->temp_used = temp;
    c->schemas = read_names(ld, &c->nschemas);
    c->extensions = read_names(ld, &c->nextensions);
    c->platform_schemas = read_names(ld, &c->nplatform_schemas);
}

/* Reads one section of the payload with fn; false when it is not there,
 * or fn did not consume it exactly. */
static bool read_section(cat_reader *all, cat_loader *ld, int tag, void (*fn)(cat_loader *))
{
    if (cat_rd_b(all) != tag)
        return false;
    uint64_t size = cat_rd_u(all);
    if (all->bad || size > (uint64_t)(all->end - all->p))
        return false;
    ld->r = (cat_reader){all->p, all->p + size, false};
    all->p += size;
    fn(ld);
    return !ld->r.bad && ld->r.p == ld->r.end;
}

/* The arrays of the catalog point at the pools, in order. */
static void *pointers(cat_loader *ld, void *pool, size_t n, size_t size)
{
    void **items = cat_alloc_array(ld->c->a, n, sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = (char *)pool + i * size;
    return items;
}

/* The origins' paths, each string once, into a map sized for them. */
static void intern_paths(cat_loader *ld)
{
    size_t n = 0;
    for (size_t k = 0; k < ld->nstrings; k++)
        n += (ld->interned[k / 8] >> (k % 8)) & 1;
    cat_map_reserve(&ld->c->paths, n);
    for (size_t k = 0; k < ld->nstrings; k++)
        if ((ld->interned[k / 8] >> (k % 8)) & 1)
            cat_map_put(&ld->c->paths, "", ld->strings[k], (void *)ld->strings[k]);
}

static void register_all(cat_loader *ld)
{
    catalog *c = ld->c;
    /* Every name goes in once: no map grows a step at a time. */
    cat_map_reserve(&c->rels, ld->ntables + ld->nindexes + ld->nsequences);
    cat_map_reserve(&c->connames, ld->nconstraints);
    cat_map_reserve(&c->typemap, ld->ntypes);
    c->types = pointers(ld, ld->types, c->ntypes = ld->ntypes, sizeof *ld->types);
    c->tables = pointers(ld, ld->tables, c->ntables = ld->ntables, sizeof *ld->tables);
    c->indexes = pointers(ld, ld->indexes, c->nindexes = ld->nindexes, sizeof *ld->indexes);
    c->sequences =
        pointers(ld, ld->sequences, c->nsequences = ld->nsequences, sizeof *ld->sequences);
    c->functions =
        pointers(ld, ld->functions, c->nfunctions = ld->nfunctions, sizeof *ld->functions);
    cat_register_all(c);
}

static bool read_payload(cat_loader *ld, const unsigned char *payload, size_t len)
{
    cat_reader all = {payload, payload + len, false};
    ld->payload_len = len;
    bool ok = read_section(&all, ld, CAT_SEC_STRINGS, read_strings) &&
              read_section(&all, ld, CAT_SEC_COUNTS, read_counts) &&
              read_section(&all, ld, CAT_SEC_GLOBALS, read_globals) &&
              read_section(&all, ld, CAT_SEC_TYPES, cat_ld_types) &&
              read_section(&all, ld, CAT_SEC_TABLES, cat_ld_tables) &&
              read_section(&all, ld, CAT_SEC_SEQUENCES, cat_ld_sequences) &&
              read_section(&all, ld, CAT_SEC_INDEXES, cat_ld_indexes) &&
              read_section(&all, ld, CAT_SEC_FUNCTIONS, cat_ld_functions);
    /* Every column, constraint and trigger belongs to exactly one table. */
    return ok && all.p == all.end && ld->columns_used == ld->ncolumns &&
           ld->constraints_used == ld->nconstraints && ld->triggers_used == ld->ntriggers;
}

static catalog *load(const void *data, size_t len, bool sum)
{
    size_t payload_len;
    const unsigned char *payload = cat_store_payload_of(data, len, &payload_len, sum);
    if (!payload)
        return NULL;
    cat_loader ld = {0};
    ld.c = calloc(1, sizeof *ld.c);
    if (!ld.c)
        abort();
    ld.c->a = arena_new();
    bool ok = read_payload(&ld, payload, payload_len);
    if (ok)
        intern_paths(&ld);
    free(ld.strings);
    free(ld.interned);
    if (!ok) {
        catalog_free(ld.c);
        return NULL;
    }
    register_all(&ld);
    return ld.c;
}

catalog *catalog_load(const void *data, size_t len)
{
    return load(data, len, true);
}

catalog *catalog_load_summed(const void *data, size_t len)
{
    return load(data, len, false);
}
