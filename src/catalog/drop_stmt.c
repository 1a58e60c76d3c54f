/* drop_stmt.c - DROP TABLE / VIEW / MATERIALIZED VIEW / INDEX / SEQUENCE /
 * TYPE / DOMAIN / SCHEMA / EXTENSION / FUNCTION / TRIGGER. Like PostgreSQL,
 * a DROP naming several objects fails whole when one is missing (without IF
 * EXISTS) or has a dependent that does not go with it (without CASCADE). */
#include "internal.h"

#include <string.h>

typedef struct drop_kind {
    const char *object_type;
    const char *word;
    int relkinds; /* bit per cat_relkind accepted; 0 for non-relations */
} drop_kind;

#define RK(k) (1 << (k))

static const drop_kind kinds[] = {
    {"OBJECT_TABLE", "table", RK(CAT_TABLE) | RK(CAT_PARTITIONED_TABLE)},
    {"OBJECT_FOREIGN_TABLE", "table", RK(CAT_TABLE)},
    {"OBJECT_VIEW", "view", RK(CAT_VIEW)},
    {"OBJECT_MATVIEW", "materialized view", RK(CAT_MATVIEW)},
    {"OBJECT_INDEX", "index", RK(CAT_INDEX)},
    {"OBJECT_SEQUENCE", "sequence", RK(CAT_SEQUENCE)},
    {"OBJECT_TYPE", "type", 0},
    {"OBJECT_DOMAIN", "type", 0},
    {"OBJECT_SCHEMA", "schema", 0},
    {"OBJECT_EXTENSION", "extension", 0},
    {"OBJECT_FUNCTION", "function", 0},
    {"OBJECT_PROCEDURE", "procedure", 0},
    {"OBJECT_ROUTINE", "function", 0},
    {"OBJECT_TRIGGER", "trigger", 0},
};

typedef struct drop_ctx {
    replay *r;
    const drop_kind *kind;
    dropset d;
    bool missing_ok;
    strbuf names; /* what the statement drops, for messages */
} drop_ctx;

static void note_name(drop_ctx *x, const char *name)
{
    if (x->names.len)
        strbuf_puts(&x->names, ", ");
    strbuf_puts(&x->names, name);
}

/* Returns false when the statement must stop (a conflict was reported). */
static bool missing(drop_ctx *x, const char *name, const char *what)
{
    if (x->missing_ok)
        return true;
    rp_conflict_name(x->r, x->r->s->start, strrchr(name, '.') ? strrchr(name, '.') + 1 : name,
                     "%s %s does not exist", what, name);
    return false;
}

static bool drop_relation(drop_ctx *x, const cJSON *object)
{
    const char *schema, *name;
    if (!name_list_split(sql_get(sql_get(object, "List"), "items"), &schema, &name))
        return true;
    const char *display = rp_qname(x->r, schema, name);
    cat_rel *rel = NULL;
    const char *mysql_table = sql_get_str(sql_get(x->r->s->node, "mysqlTable"), "relname");
    if (mysql_table) /* MySQL: the index of that table (see rp_create_index) */
        rel = cat_rel_get(x->r->c, schema, arena_printf(x->r->c->a, "%s.%s", mysql_table, name));
    if (!rel)
        rel = cat_rel_get(x->r->c, schema, name);
    if (!rel || !(x->kind->relkinds & RK(rel->kind)))
        return missing(x, display, x->kind->word);
    if (rel->kind == CAT_INDEX && ((cat_index *)rel)->constraint) {
        cat_index *ix = (cat_index *)rel;
        rp_conflict_name(x->r, x->r->s->start, name,
                         "cannot drop index %s because constraint %s on table %s requires it",
                         display, ix->constraint->name, rp_relname(x->r, &ix->table->rel));
        return false;
    }
    note_name(x, display);
    drop_add(&x->d, V_REL, rel, rel->kind == CAT_INDEX ? ((cat_index *)rel)->table : NULL);
    return true;
}

static bool drop_type(drop_ctx *x, const cJSON *object)
{
    const char *schema, *name;
    if (!name_list_split(sql_get(sql_get(object, "TypeName"), "names"), &schema, &name))
        return true;
    const char *display = rp_qname(x->r, schema, name);
    cat_type *t = cat_type_get(x->r->c, schema, name);
    if (!t) { /* a range type: its constructor functions go with it */
        const char *def = cat_range_constructor(x->r->c, schema, name);
        bool found = false;
        for (size_t i = 0; i < x->r->c->nfunctions; i++)
            if (!strcmp(x->r->c->functions[i]->definition, def)) {
                drop_add(&x->d, V_FUNCTION, x->r->c->functions[i], NULL);
                found = true;
            }
        if (found)
            note_name(x, display);
        return found || missing(x, display, "type");
    }
    note_name(x, display);
    drop_add(&x->d, V_TYPE, t, NULL);
    return true;
}

static bool drop_schema(drop_ctx *x, const cJSON *object)
{
    const char *name = sql_string_value(object);
    if (!name)
        return true;
    for (size_t i = 0; i < x->r->c->nschemas; i++) {
        if (!strcmp(x->r->c->schemas[i], name)) {
            note_name(x, name);
            drop_add(&x->d, V_SCHEMA, (void *)x->r->c->schemas[i], NULL);
            return true;
        }
    }
    return missing(x, name, "schema");
}

static bool drop_extension(drop_ctx *x, const cJSON *object)
{
    const char *name = sql_string_value(object);
    catalog *c = x->r->c;
    for (size_t i = 0; name && i < c->nextensions; i++) {
        if (!strcmp(c->extensions[i], name)) {
            CAT_REMOVE_AT(c->extensions, c->nextensions, i);
            return true;
        }
    }
    return !name || missing(x, name, "extension");
}

static bool drop_function(drop_ctx *x, const cJSON *object)
{
    const cJSON *owa = sql_get(object, "ObjectWithArgs");
    const char *schema, *name;
    if (!name_list_split(sql_get(owa, "objname"), &schema, &name))
        return true;
    bool any_args = sql_get_bool(owa, "args_unspecified");
    const char *args = any_args ? NULL : function_args(x->r, sql_get(owa, "objargs"));
    catalog *c = x->r->c;
    for (size_t i = 0; i < c->nfunctions; i++) {
        cat_function *fn = c->functions[i];
        if (!strcmp(fn->name, name) && !strcmp(fn->schema, cat_schema_or_public(schema)) &&
            (!args || !strcmp(fn->args, args))) {
            note_name(x, name);
            drop_add(&x->d, V_FUNCTION, fn, NULL);
            return true;
        }
    }
    return missing(x, arena_printf(c->a, "%s(%s)", rp_qname(x->r, schema, name), args ? args : ""),
                   x->kind->word);
}

static bool drop_trigger(drop_ctx *x, const cJSON *object)
{
    const cJSON *items = sql_get(sql_get(object, "List"), "items");
    int n = cJSON_GetArraySize(items);
    const char *trig = sql_string_value(cJSON_GetArrayItem(items, n - 1));
    const char *name = sql_string_value(cJSON_GetArrayItem(items, n - 2));
    const char *schema = n >= 3 ? sql_string_value(cJSON_GetArrayItem(items, n - 3)) : NULL;
    if (!trig || !name)
        return true;
    cat_table *t = cat_table_get(x->r->c, schema, name);
    if (!t)
        return missing(x, rp_qname(x->r, schema, name), "table");
    for (size_t i = 0; i < t->ntriggers; i++) {
        if (!strcmp(t->triggers[i]->name, trig)) {
            note_name(x, trig);
            drop_add(&x->d, V_TRIGGER, t->triggers[i], t);
            return true;
        }
    }
    return missing(x, arena_printf(x->r->c->a, "%s on table %s", trig, rp_relname(x->r, &t->rel)),
                   "trigger");
}

static bool drop_one(drop_ctx *x, const cJSON *object)
{
    const char *type = x->kind->object_type;
    if (x->kind->relkinds)
        return drop_relation(x, object);
    if (!strcmp(type, "OBJECT_TYPE") || !strcmp(type, "OBJECT_DOMAIN"))
        return drop_type(x, object);
    if (!strcmp(type, "OBJECT_SCHEMA"))
        return drop_schema(x, object);
    if (!strcmp(type, "OBJECT_EXTENSION"))
        return drop_extension(x, object);
    if (!strcmp(type, "OBJECT_TRIGGER"))
        return drop_trigger(x, object);
    return drop_function(x, object);
}

void rp_drop(replay *r)
{
    const cJSON *n = r->s->node;
    const char *type = sql_get_str(n, "removeType");
    const drop_kind *kind = NULL;
    for (size_t i = 0; type && i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(kinds[i].object_type, type))
            kind = &kinds[i];
    if (!kind)
        return;
    const char *behavior = sql_get_str(n, "behavior");
    drop_ctx x = {.r = r, .kind = kind, .missing_ok = sql_get_bool(n, "missing_ok")};
    drop_init(&x.d, r->c, behavior && !strcmp(behavior, "DROP_CASCADE"));
    bool ok = true;
    const cJSON *object;
    cJSON_ArrayForEach(object, sql_get(n, "objects"))
    {
        if (!(ok = drop_one(&x, object)))
            break;
    }
    if (ok && !x.d.cascade && !drop_check(&x.d)) {
        /* Point at the first object named (its last, unqualified part). */
        char *first = arena_strdup(r->c->a, x.names.data ? x.names.data : "");
        char *comma = strstr(first, ", ");
        if (comma)
            *comma = '\0';
        const char *dot = strrchr(first, '.');
        rp_conflict_name(r, r->s->start, dot ? dot + 1 : first,
                         "cannot drop %s %s: %s depends on it", kind->word, x.names.data,
                         x.d.blocker);
        ok = false;
    }
    if (ok)
        drop_execute(&x.d);
    drop_done(&x.d);
    strbuf_free(&x.names);
}
