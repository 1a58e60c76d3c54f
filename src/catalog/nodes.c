/* nodes.c - small readers over libpg_query's nodes that the replay
 * handlers share: a RangeVar's schema and name, a qualified name list, an
 * integer constant. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *rv_schema(const cJSON *rv)
{
    return sql_get_str(rv, "schemaname");
}

const char *rv_create_schema(replay *r, const cJSON *rv)
{
    const char *persistence = sql_get_str(rv, "relpersistence");
    if (persistence && persistence[0] == 't') {
        r->c->temp_used = true;
        return CAT_TEMP_SCHEMA;
    }
    return rv_schema(rv);
}

const char *rv_name(const cJSON *rv)
{
    const char *n = sql_get_str(rv, "relname");
    return n ? n : "";
}

bool name_list_split(const cJSON *list, const char **schema, const char **name)
{
    /* One walk for the count and the items (every column's type asks). */
    const cJSON *item[3] = {NULL, NULL, NULL};
    int n = 0;
    for (const cJSON *c = list ? list->child : NULL; c; c = c->next, n++)
        if (n < 3)
            item[n] = c;
    *schema = NULL;
    *name = NULL;
    if (n == 1) {
        *name = sql_string_value(item[0]);
    } else if (n == 2) {
        *schema = sql_string_value(item[0]);
        *name = sql_string_value(item[1]);
    } else if (n == 3) { /* database.schema.name */
        *schema = sql_string_value(item[1]);
        *name = sql_string_value(item[2]);
    }
    return *name != NULL;
}

long const_int(const sql_file *f, const cJSON *a_const)
{
    const cJSON *iv = sql_get(a_const, "ival");
    const cJSON *v = sql_get(iv, "ival");
    if (cJSON_IsNumber(v))
        return (long)v->valuedouble;
    long loc = sql_location(a_const);
    if (f && loc >= 0 && (size_t)loc < f->src->len)
        return strtol(f->src->text + loc, NULL, 10);
    return 0;
}
