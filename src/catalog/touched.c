/* touched.c - the names of the relations, types and functions a step's
 * statements mention, so a snapshot can cover what an up/down pair changes without
 * copying the whole catalog. It over-approximates on purpose: a name that
 * names nothing just adds no facts. */
#include "internal.h"

#include <string.h>

#include "../core/strset.h"

/* The growing name list: an arena array whose capacity is the next power of
 * two at or above its length (so one caller's list can be extended by the
 * next call), and a set of what is in it. Both were linear per name before,
 * which made a file of 30,000 CREATE TABLEs take minutes and gigabytes. */
typedef struct name_list {
    arena *a;
    const char ***items;
    size_t *n;
    strset seen;
} name_list;

static void names_add(name_list *ns, const char *schema, const char *name)
{
    if (!name || !*name)
        return;
    /* "schema.name", joined without printf (once per name of every step),
     * on the stack: a name is copied into the arena only the first time,
     * not on each of its mentions (a large file names a table hundreds of
     * times). */
    char buf[256];
    const char *full = name;
    if (schema) {
        size_t ns_len = strlen(schema), n_len = strlen(name);
        char *p = ns_len + n_len + 2 <= sizeof buf ? buf : arena_alloc(ns->a, ns_len + n_len + 2);
        memcpy(p, schema, ns_len);
        p[ns_len] = '.';
        memcpy(p + ns_len + 1, name, n_len + 1);
        full = p;
    }
    if (strset_has(&ns->seen, full))
        return;
    full = arena_strdup(ns->a, full);
    strset_add(&ns->seen, full);
    size_t n = *ns->n;
    if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
        const char **grown = arena_alloc(ns->a, (n ? n * 2 : 8) * sizeof *grown);
        if (n)
            memcpy(grown, *ns->items, n * sizeof *grown);
        *ns->items = grown;
    }
    (*ns->items)[(*ns->n)++] = full;
}

/* A list of String nodes: ["public", "mood"] -> public.mood. */
static void names_add_list(name_list *ns, const cJSON *list)
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
        names_add(ns, NULL, parts[0]);
    else if (k == 2)
        names_add(ns, parts[0], parts[1]);
}

/* strcmp only when the first letters agree: most keys of a parse tree
 * are none of the few walk() looks for. */
static bool key_is(const char *k, const char *want)
{
    return k[0] == want[0] && !strcmp(k, want);
}

/* cJSON_IsObject and friends, inline: they are calls into the shared
 * library, made for every node of every statement (1.3 million a check). */
static bool is_type(const cJSON *c, int type)
{
    return c && (c->type & 0xFF) == type;
}

/* One pass over each object's fields: the parse trees are large, and
 * looking each field up by name would scan the children six times. */
static void walk(name_list *ns, const cJSON *node, const char *schema)
{
    if (!node)
        return;
    if (is_type(node, cJSON_Object)) {
        const char *rel = NULL, *rel_schema = NULL;
        for (const cJSON *c = node->child; c; c = c->next) {
            if (key_is(c->string, "relname"))
                rel = is_type(c, cJSON_String) ? c->valuestring : NULL;
            else if (key_is(c->string, "schemaname"))
                rel_schema = is_type(c, cJSON_String) ? c->valuestring : NULL;
        }
        if (rel) {
            schema = rel_schema;
            names_add(ns, schema, rel);
        }
        for (const cJSON *c = node->child; c; c = c->next) {
            const char *k = c->string;
            if (is_type(c, cJSON_String) && (key_is(k, "idxname") || key_is(k, "newname")))
                names_add(ns, schema, c->valuestring);
            else if (is_type(c, cJSON_Array) &&
                     (key_is(k, "typeName") || key_is(k, "names") || key_is(k, "items") ||
                      key_is(k, "funcname") || key_is(k, "objname")))
                names_add_list(ns, c);
        }
    }
    for (const cJSON *c = node->child; c; c = c->next)
        if (is_type(c, cJSON_Object) || is_type(c, cJSON_Array))
            walk(ns, c, schema);
}

/* The names of a file parsed in windows, noted during its first parse
 * (sql_set_window_observer): in the walk's order, each once. */
typedef struct touched_cache {
    const char **names;
    size_t n;
    strset seen; /* while the parse runs */
} touched_cache;

void catalog_touched_observe(sql_file *f, const sql_stmt *s)
{
    touched_cache *tc = f->observed;
    if (!s) {
        if (tc)
            strset_free(&tc->seen);
        return;
    }
    if (!tc) {
        tc = arena_calloc(f->arena, 1, sizeof *tc);
        f->observed = tc;
    }
    if (s->parse_error)
        return;
    name_list ns = {f->arena, &tc->names, &tc->n, tc->seen};
    walk(&ns, s->node, NULL);
    tc->seen = ns.seen;
}

size_t catalog_touched_names(const sql_file *f, arena *a, const char ***names, size_t n)
{
    name_list ns = {a, names, &n, STRSET_INIT};
    for (size_t i = 0; i < n; i++)
        strset_add(&ns.seen, (*names)[i]);
    const touched_cache *tc = f ? f->observed : NULL;
    if (tc) { /* the same names in the same order, without parsing every window again */
        for (size_t i = 0; i < tc->n; i++)
            names_add(&ns, NULL, tc->names[i]);
        strset_free(&ns.seen);
        return n;
    }
    for (size_t i = 0; f && i < f->nstmts; i++) {
        sql_file_hold(f, i); /* a large file's trees live a window at a time */
        if (!f->stmts[i].parse_error)
            walk(&ns, f->stmts[i].node, NULL);
    }
    sql_file_release(f);
    strset_free(&ns.seen);
    return n;
}
