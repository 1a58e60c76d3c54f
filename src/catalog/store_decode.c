/* store_decode.c - the values catalog_load() reads, bounds-checked: a
 * count, an integer, a string, a name, an origin, a reference. What
 * store_read.c and store_objects.c both call, so neither calls the other
 * back. Anything out of place sets the reader's bad flag. */
#include "internal.h"
#include "store.h"

/* cat_ld_count, cat_ld_int, cat_ld_str, cat_ld_name and cat_ld_ref are
 * inline in store.h: called about 200,000 times for 3,000 tables. */

void cat_ld_origin(cat_loader *ld, cat_origin *o)
{
    size_t k = cat_ld_index(ld, ld->nstrings);
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

cat_column **cat_ld_columns(cat_loader *ld, size_t *n)
{
    *n = cat_ld_count(ld);
    cat_column **cols = cat_alloc_array(ld->c->a, *n, sizeof *cols);
    for (size_t i = 0; i < *n; i++)
        cols[i] = CAT_LD_REF(ld, columns, ncolumns, true);
    return cols;
}
