/* iter.c - index access to a catalog's tables and types (see iter.h). */
#include "iter.h"

#include "internal.h"

size_t catalog_table_count(const catalog *c)
{
    return c->ntables;
}

const cat_table *catalog_table_at(const catalog *c, size_t i)
{
    return i < c->ntables ? c->tables[i] : NULL;
}

size_t catalog_type_count(const catalog *c)
{
    return c->ntypes;
}

const cat_type *catalog_type_at(const catalog *c, size_t i)
{
    return i < c->ntypes ? c->types[i] : NULL;
}
