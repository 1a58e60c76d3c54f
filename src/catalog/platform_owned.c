/* platform_owned.c - which objects and schemas a hosting platform owns:
 * those catalog_add_platform() (platform.c) replayed from its source named
 * "<platform: NAME>". Apart from platform.c because the type printer and
 * the JSON writer ask, and platform.c sits above the replay they serve. */
#include "internal.h"

#include <string.h>

bool cat_origin_is_platform(const cat_origin *o)
{
    return o && o->path && !strncmp(o->path, CAT_PLATFORM_PREFIX, strlen(CAT_PLATFORM_PREFIX));
}

bool cat_rel_is_platform(const cat_rel *r)
{
    return r && cat_origin_is_platform(&r->origin);
}

bool catalog_is_platform_schema(const catalog *c, const char *schema)
{
    for (size_t i = 0; schema && i < c->nplatform_schemas; i++)
        if (!strcmp(c->platform_schemas[i], schema))
            return true;
    return false;
}
