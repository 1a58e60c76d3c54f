/* touched.c - the names of the relations and types a step's statements
 * mention, so a snapshot can cover what an up/down pair changes without
 * copying the whole catalog. It over-approximates on purpose: a name that
 * names nothing just adds no facts. */
#include "internal.h"

#include <string.h>

static void names_add(arena *a, const char ***names, size_t *n, const char *schema,
                      const char *name)
{
    if (!name || !*name)
        return;
    const char *full = schema ? arena_printf(a, "%s.%s", schema, name) : arena_strdup(a, name);
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*names)[i], full) == 0)
            return;
    const char **grown = arena_alloc(a, (*n + 1) * sizeof *grown);
    if (*n)
        memcpy(grown, *names, *n * sizeof *grown);
    grown[(*n)++] = full;
    *names = grown;
}

/* A list of String nodes: ["public", "mood"] -> public.mood. */
static void names_add_list(arena *a, const char ***names, size_t *n, const cJSON *list)
{
    const char *parts[3] = {NULL, NULL, NULL};
    size_t k = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const char *s = sql_string_value(item);
        if (!s)
            return;
        if (k < 3)
            parts[k++] = s;
    }
    if (k == 1)
        names_add(a, names, n, NULL, parts[0]);
    else if (k == 2)
        names_add(a, names, n, parts[0], parts[1]);
}

/* One pass over each object's fields: the parse trees are large, and
 * looking each field up by name would scan the children six times. */
static void walk(arena *a, const char ***names, size_t *n, const cJSON *node, const char *schema)
{
    if (!node)
        return;
    if (cJSON_IsObject(node)) {
        const char *rel = NULL, *rel_schema = NULL;
        for (const cJSON *c = node->child; c; c = c->next) {
            if (!strcmp(c->string, "relname"))
                rel = cJSON_IsString(c) ? c->valuestring : NULL;
            else if (!strcmp(c->string, "schemaname"))
                rel_schema = cJSON_IsString(c) ? c->valuestring : NULL;
        }
        if (rel) {
            schema = rel_schema;
            names_add(a, names, n, schema, rel);
        }
        for (const cJSON *c = node->child; c; c = c->next) {
            const char *k = c->string;
            if (cJSON_IsString(c) && (!strcmp(k, "idxname") || !strcmp(k, "newname")))
                names_add(a, names, n, schema, c->valuestring);
            else if (cJSON_IsArray(c) &&
                     (!strcmp(k, "typeName") || !strcmp(k, "names") || !strcmp(k, "items")))
                names_add_list(a, names, n, c);
        }
    }
    for (const cJSON *c = node->child; c; c = c->next)
        if (cJSON_IsObject(c) || cJSON_IsArray(c))
            walk(a, names, n, c, schema);
}

size_t catalog_touched_names(const sql_file *f, arena *a, const char ***names, size_t n)
{
    for (size_t i = 0; f && i < f->nstmts; i++)
        if (!f->stmts[i].parse_error)
            walk(a, names, &n, f->stmts[i].node, NULL);
    return n;
}
