/* iter.h - walking every table and user type of a catalog in creation
 * order, for consumers that compare two catalogs object by object (drift)
 * rather than look objects up by name. */
#ifndef MIGRALINT_CATALOG_ITER_H
#define MIGRALINT_CATALOG_ITER_H

#include "catalog.h"

/* Tables, partitioned tables, views and materialized views. */
size_t catalog_table_count(const catalog *c);
const cat_table *catalog_table_at(const catalog *c, size_t i);
size_t catalog_type_count(const catalog *c);
const cat_type *catalog_type_at(const catalog *c, size_t i);

#endif
