/* drizzle.c - the Drizzle ORM extractor (pg-core schema files). */
#include "model.h"

bool orm_extract_drizzle(orm_schema *s, const char *path, const char *text, size_t len)
{
    (void)s, (void)path, (void)text, (void)len;
    return true;
}
