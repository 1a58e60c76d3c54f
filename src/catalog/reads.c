/* reads.c - whether a list of columns holds a column, a view reads a
 * relation or one of its columns, an index reads a column: asked by the
 * model (model.c), by what depends on what (depend.c), by DROP (drop.c)
 * and by the reverse index's checks (refs.c), so it sits below them all. */
#include "internal.h"

bool cat_column_reads(const cat_column *const *cols, size_t n, const cat_column *col)
{
    for (size_t i = 0; i < n; i++)
        if (cols[i] == col)
            return true;
    return false;
}

bool view_reads_rel(const cat_table *view, const cat_table *t)
{
    for (size_t i = 0; i < view->nreads; i++)
        if (view->reads[i].rel == t)
            return true;
    return false;
}

bool view_reads_column(const cat_table *view, const cat_table *t, const cat_column *col)
{
    for (size_t i = 0; i < view->nreads; i++)
        if (view->reads[i].rel == t && view->reads[i].column == col)
            return true;
    return false;
}

bool index_reads_column(const cat_index *ix, const cat_column *col)
{
    return cat_column_reads((const cat_column *const *)ix->reads, ix->nreads, col) ||
           cat_column_reads((const cat_column *const *)ix->include, ix->ninclude, col);
}
