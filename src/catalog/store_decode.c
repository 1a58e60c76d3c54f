/* store_decode.c - the values catalog_load() reads, bounds-checked: a
 * count, an integer, a string, a name, an origin, a reference. What
 * store_read.c and store_objects.c both call, so neither calls the other
 * back. Anything out of place sets the reader's bad flag. */
#include "internal.h"
#include "store.h"

#include <limits.h>

size_t cat_ld_count(cat_loader *ld)
{
    uint64_t n = cat_rd_u(&ld->r);
    if (n > (uint64_t)(ld->r.end - ld->r.p)) {
        ld->r.bad = true;
        return 0;
    }
    return (size_t)n;
}

int cat_ld_int(cat_loader *ld)
{
    uint64_t u = cat_rd_u(&ld->r);
    uint64_t mag = u >> 1;
    if (mag > (uint64_t)INT_MAX) {
        ld->r.bad = true;
        return 0;
    }
    return u & 1 ? -(int)mag - 1 : (int)mag;
}

static size_t ld_index(cat_loader *ld, size_t n)
{
    uint64_t k = cat_rd_u(&ld->r);
    if (k > n) {
        ld->r.bad = true;
        return 0;
    }
    return (size_t)k;
}

const char *cat_ld_str(cat_loader *ld)
{
    size_t k = ld_index(ld, ld->nstrings);
    return k ? ld->strings[k - 1] : NULL;
}

const char *cat_ld_name(cat_loader *ld)
{
    const char *s = cat_ld_str(ld);
    if (!s)
        ld->r.bad = true;
    return s;
}

void cat_ld_origin(cat_loader *ld, cat_origin *o)
{
    size_t k = ld_index(ld, ld->nstrings);
    o->path = k ? ld->strings[k - 1] : NULL;
    /* Interned as cat_intern_path() would, with the string table's copy,
     * once the load has counted them (store_read.c). */
    if (k--)
        ld->interned[k / 8] |= (unsigned char)(1u << (k % 8));
    o->start = (size_t)cat_rd_u(&ld->r);
    o->end = (size_t)cat_rd_u(&ld->r);
    o->pos.line = cat_ld_int(ld);
    o->pos.col = cat_ld_int(ld);
    o->end_pos.line = cat_ld_int(ld);
    o->end_pos.col = cat_ld_int(ld);
}

void *cat_ld_ref(cat_loader *ld, void *base, size_t n, size_t size, bool required)
{
    size_t k = ld_index(ld, n);
    if (!k) {
        if (required)
            ld->r.bad = true;
        return NULL;
    }
    return (char *)base + (k - 1) * size;
}

cat_column **cat_ld_columns(cat_loader *ld, size_t *n)
{
    *n = cat_ld_count(ld);
    cat_column **cols = cat_alloc_array(ld->c->a, *n, sizeof *cols);
    for (size_t i = 0; i < *n; i++)
        cols[i] = CAT_LD_REF(ld, columns, ncolumns, true);
    return cols;
}
