/* objects.c - the smaller objects: enums (CREATE TYPE AS ENUM, ALTER TYPE
 * ADD / RENAME VALUE), domains, composite types, sequences, schemas,
 * extensions, functions and triggers (names and signatures; a function's
 * body and options as a hash, see definition.c). */
#include "internal.h"

#include <string.h>

static bool type_name_free(replay *r, const char *schema, const char *name)
{
    if (!cat_type_get(r->c, schema, name) && !cat_table_get(r->c, schema, name))
        return true;
    rp_conflict_name(r, r->s->start, name, "type %s already exists", rp_qname(r, schema, name));
    return false;
}

static cat_type *type_create(replay *r, cat_typekind kind, const cJSON *names)
{
    const char *schema, *name;
    if (!name_list_split(names, &schema, &name) || !schema_exists(r, schema, -1) ||
        !type_name_free(r, schema, name))
        return NULL;
    cat_type *t = cat_type_new(r->c, kind, schema, name);
    t->origin = r->origin;
    cat_map_put(&r->c->typemap, t->schema, t->name, t);
    CAT_PUSH(r->c->a, r->c->types, r->c->ntypes, t);
    return t;
}

void rp_create_enum(replay *r)
{
    cat_type *t = type_create(r, CAT_ENUM, sql_get(r->s->node, "typeName"));
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(r->s->node, "vals"))
    {
        if (t && sql_string_value(item))
            CAT_PUSH(r->c->a, t->values, t->nvalues, arena_strdup(r->c->a, sql_string_value(item)));
    }
}

static long label_index(const cat_type *t, const char *label)
{
    for (size_t i = 0; label && i < t->nvalues; i++)
        if (!strcmp(t->values[i], label))
            return (long)i;
    return -1;
}

/* A default stores the enum value, not its text: after RENAME VALUE every
 * default `'old'::t` prints the new label (lemmy's registration_mode: F23). */
static void rename_label_in_defaults(catalog *c, const cat_type *t, const char *old,
                                     const char *label)
{
    strbuf from = STRBUF_INIT, to = STRBUF_INIT;
    sql_put_literal(&from, old);
    strbuf_puts(&from, "::");
    sql_put_literal(&to, label);
    strbuf_puts(&to, "::");
    for (size_t i = 0; i < c->ntables; i++)
        for (size_t k = 0; k < c->tables[i]->ncolumns; k++) {
            cat_column *col = c->tables[i]->columns[k];
            const char *d = col->default_expr;
            if (col->user_type == t && d && !strncmp(d, from.data, from.len))
                col->default_expr = arena_printf(c->a, "%s%s", to.data, d + from.len);
        }
    strbuf_free(&from);
    strbuf_free(&to);
}

void rp_alter_enum(replay *r)
{
    const cJSON *n = r->s->node;
    const char *schema, *name;
    if (!name_list_split(sql_get(n, "typeName"), &schema, &name))
        return;
    cat_type *t = cat_type_get(r->c, schema, name);
    if (!t || t->kind != CAT_ENUM) {
        rp_conflict_name(r, r->s->start, name, t ? "%s is not an enum" : "type %s does not exist",
                         rp_qname(r, schema, name));
        return;
    }
    const char *old = sql_get_str(n, "oldVal"), *val = sql_get_str(n, "newVal");
    if (!val)
        return;
    /* RENAME VALUE: PostgreSQL looks for the old label first. */
    if (old && label_index(t, old) < 0) {
        rp_conflict(r, r->s->start, r->s->end, "%s is not an existing label of enum %s", old,
                    rp_qname(r, t->schema, t->name));
        return;
    }
    if (label_index(t, val) >= 0) {
        if (!sql_get_bool(n, "skipIfNewValExists"))
            rp_conflict(r, r->s->start, r->s->end, "enum label %s already exists in type %s", val,
                        rp_qname(r, t->schema, t->name));
        return;
    }
    const char *anchor = old ? old : sql_get_str(n, "newValNeighbor");
    long at = label_index(t, anchor);
    if (anchor && at < 0) {
        rp_conflict(r, r->s->start, r->s->end, "%s is not an existing label of enum %s", anchor,
                    rp_qname(r, t->schema, t->name));
        return;
    }
    const char *label = arena_strdup(r->c->a, val);
    if (old) {
        t->values[at] = label;
        rename_label_in_defaults(r->c, t, old, label);
        return;
    }
    size_t pos = anchor ? (size_t)at + (sql_get_bool(n, "newValIsAfter") ? 1 : 0) : t->nvalues;
    CAT_PUSH(r->c->a, t->values, t->nvalues, label);
    memmove(&t->values[pos + 1], &t->values[pos], (t->nvalues - pos - 1) * sizeof *t->values);
    t->values[pos] = label;
}

void rp_create_domain(replay *r)
{
    cat_typeinfo base;
    if (!cat_type_resolve(r, sql_get(r->s->node, "typeName"), &base))
        return;
    cat_type *t = type_create(r, CAT_DOMAIN, sql_get(r->s->node, "domainname"));
    if (t)
        t->base = base.text;
}

void rp_create_composite(replay *r)
{
    const cJSON *rv = sql_get(r->s->node, "typevar");
    const char *schema = rv_schema(rv), *name = rv_name(rv);
    if (!schema_exists(r, schema, sql_location(rv)) || !type_name_free(r, schema, name))
        return;
    cat_type *t = cat_type_new(r->c, CAT_COMPOSITE, schema, name);
    t->origin = r->origin;
    cat_map_put(&r->c->typemap, t->schema, t->name, t);
    CAT_PUSH(r->c->a, r->c->types, r->c->ntypes, t);
}

/* OWNED BY table.column, or NONE. */
static bool set_owner(replay *r, cat_sequence *seq, const cJSON *list)
{
    int n = cJSON_GetArraySize(list);
    const char *col = sql_string_value(cJSON_GetArrayItem(list, n - 1));
    if (n == 1 && col && !strcmp(col, "none")) {
        seq->owner_table = NULL;
        seq->owner_column = NULL;
        return true;
    }
    const char *table = sql_string_value(cJSON_GetArrayItem(list, n - 2));
    const char *schema = n >= 3 ? sql_string_value(cJSON_GetArrayItem(list, n - 3)) : NULL;
    cat_table *t = table ? cat_table_get(r->c, schema, table) : NULL;
    cat_column *c = t && col ? cat_column_find(t, col) : NULL;
    if (!c) {
        rp_conflict_name(r, r->s->start, t ? col : table,
                         t ? "column %s does not exist" : "table %s does not exist",
                         t ? col : rp_qname(r, schema, table ? table : "?"));
        return false;
    }
    seq->owner_table = t;
    seq->owner_column = c;
    cat_ref_note(r->c, t, &seq->rel);
    return true;
}

static const cJSON *owned_by(const cJSON *options)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, options)
    {
        const cJSON *de = sql_get(item, "DefElem");
        const char *name = sql_get_str(de, "defname");
        if (name && !strcmp(name, "owned_by"))
            return sql_get(sql_get(sql_get(de, "arg"), "List"), "items");
    }
    return NULL;
}

void rp_create_sequence(replay *r)
{
    const cJSON *n = r->s->node, *rv = sql_get(n, "sequence");
    const char *schema = rv_create_schema(r, rv), *name = rv_name(rv);
    if (!schema_exists(r, schema, sql_location(rv)) ||
        !rel_name_free(r, schema, name, sql_location(rv), sql_get_bool(n, "if_not_exists")))
        return;
    cat_sequence *seq = cat_sequence_new(r->c, schema, name);
    seq->rel.origin = r->origin;
    const cJSON *owner = owned_by(sql_get(n, "options"));
    if (owner && !set_owner(r, seq, owner))
        return;
    cat_rel_register(r->c, &seq->rel);
    CAT_PUSH(r->c->a, r->c->sequences, r->c->nsequences, seq);
}

void rp_alter_sequence(replay *r)
{
    const cJSON *n = r->s->node, *rv = sql_get(n, "sequence");
    const cat_sequence *seq = catalog_find_sequence(r->c, rv_schema(rv), rv_name(rv));
    if (!seq) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_at(r, sql_location(rv), "sequence %s does not exist",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    const cJSON *owner = owned_by(sql_get(n, "options"));
    if (owner)
        set_owner(r, (cat_sequence *)seq, owner);
}

void rp_create_schema(replay *r)
{
    const char *name = sql_get_str(r->s->node, "schemaname");
    if (!name)
        return; /* CREATE SCHEMA AUTHORIZATION role: named after the role */
    if (catalog_has_schema(r->c, name)) {
        if (!sql_get_bool(r->s->node, "if_not_exists"))
            rp_conflict_name(r, r->s->start, name, "schema %s already exists", name);
        return;
    }
    cat_schema_add(r->c, name);
}

void rp_create_extension(replay *r)
{
    const char *name = sql_get_str(r->s->node, "extname");
    if (!name)
        return;
    if (catalog_has_extension(r->c, name)) {
        if (!sql_get_bool(r->s->node, "if_not_exists"))
            rp_conflict_name(r, r->s->start, name, "extension %s already exists", name);
        return;
    }
    CAT_PUSH(r->c->a, r->c->extensions, r->c->nextensions, arena_strdup(r->c->a, name));
}

/* The TypeName nodes of a signature's input arguments, for function_args():
 * OUT and TABLE columns are no part of it. The list borrows the nodes. */
static cJSON *input_arg_types(const cJSON *params)
{
    cJSON *types = cJSON_CreateArray();
    const cJSON *item;
    cJSON_ArrayForEach(item, params)
    {
        const cJSON *p = sql_get(item, "FunctionParameter");
        const char *mode = sql_get_str(p, "mode");
        if (mode && (!strcmp(mode, "FUNC_PARAM_OUT") || !strcmp(mode, "FUNC_PARAM_TABLE")))
            continue;
        cJSON_AddItemReferenceToArray(types, sql_get(p, "argType"));
    }
    return types;
}

/* Identity (schema, name, input types) is the key; the rest is compared. */
static const char *function_definition(replay *r)
{
    static const char *const skip[] = {"funcname", "replace", NULL};
    return cat_definition_hash(r->c, r->s->node, skip);
}

void rp_create_function(replay *r)
{
    const cJSON *n = r->s->node;
    const char *schema, *name;
    if (!name_list_split(sql_get(n, "funcname"), &schema, &name) || !schema_exists(r, schema, -1))
        return;
    cJSON *types = input_arg_types(sql_get(n, "parameters"));
    const char *args = function_args(r, types);
    cJSON_Delete(types);
    char volatility = 'v';
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(n, "options"))
    {
        const cJSON *de = sql_get(item, "DefElem");
        const char *opt = sql_get_str(de, "defname");
        const char *val = sql_string_value(sql_get(de, "arg"));
        if (opt && val && !strcmp(opt, "volatility"))
            volatility = val[0];
    }
    for (size_t i = 0; i < r->c->nfunctions; i++) {
        cat_function *fn = r->c->functions[i];
        if (strcmp(fn->name, name) || strcmp(fn->schema, cat_schema_or_public(schema)) ||
            strcmp(fn->args, args))
            continue;
        if (!sql_get_bool(n, "replace")) {
            rp_conflict_name(r, r->s->start, name, "function %s(%s) already exists",
                             rp_qname(r, schema, name), args);
            return;
        }
        fn->volatility = volatility;
        fn->definition = function_definition(r);
        return;
    }
    cat_function *fn = arena_calloc(r->c->a, 1, sizeof *fn);
    fn->schema = arena_strdup(r->c->a, cat_schema_or_public(schema));
    fn->name = arena_strdup(r->c->a, name);
    fn->args = args;
    fn->volatility = volatility;
    fn->procedure = sql_get_bool(n, "is_procedure");
    fn->definition = function_definition(r);
    fn->origin = r->origin;
    CAT_PUSH(r->c->a, r->c->functions, r->c->nfunctions, fn);
}

void rp_create_trigger(replay *r)
{
    const cJSON *n = r->s->node, *rv = sql_get(n, "relation");
    const char *name = sql_get_str(n, "trigname");
    cat_table *t = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    if (!t) {
        rp_conflict_at(r, sql_location(rv), "table %s does not exist",
                       rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    for (size_t i = 0; name && i < t->ntriggers; i++) {
        if (!strcmp(t->triggers[i]->name, name)) {
            if (!sql_get_bool(n, "replace"))
                rp_conflict_name(r, r->s->start, name, "trigger %s for table %s already exists",
                                 name, rp_relname(r, &t->rel));
            return;
        }
    }
    cat_trigger *tg = arena_calloc(r->c->a, 1, sizeof *tg);
    tg->name = arena_strdup(r->c->a, name ? name : "");
    const char *fschema, *fname;
    if (name_list_split(sql_get(n, "funcname"), &fschema, &fname))
        for (size_t i = 0; i < r->c->nfunctions && !tg->function; i++)
            if (!strcmp(r->c->functions[i]->name, fname) &&
                !strcmp(r->c->functions[i]->schema, cat_schema_or_public(fschema)))
                tg->function = arena_printf(r->c->a, "%s.%s", cat_schema_or_public(fschema), fname);
    tg->origin = r->origin;
    CAT_PUSH(r->c->a, t->triggers, t->ntriggers, tg);
}

static void add_builtin_function(replay *r, const char *schema, const char *name, const char *args,
                                 const char *range)
{
    cat_function *fn = arena_calloc(r->c->a, 1, sizeof *fn);
    fn->schema = arena_strdup(r->c->a, cat_schema_or_public(schema));
    fn->name = name;
    fn->args = args;
    fn->volatility = 'i';
    fn->definition = range;
    fn->origin = r->origin;
    CAT_PUSH(r->c->a, r->c->functions, r->c->nfunctions, fn);
}

/* CREATE TYPE r AS RANGE (SUBTYPE = s) also creates r's multirange type
 * and their constructor functions, r(s, s), r(s, s, text), and for the
 * multirange m: m(), m(r), m(r[]) (hatchet's uuidrange: F21). The types
 * themselves are not modelled; the functions are, so that a DROP FUNCTION
 * or a default calling them finds them. */
const char *cat_range_constructor(catalog *c, const char *schema, const char *name)
{
    return arena_printf(c->a, "range constructor of %s.%s", cat_schema_or_public(schema), name);
}

void rp_create_range(replay *r)
{
    const cJSON *n = r->s->node, *item;
    const char *schema, *name, *multi = NULL, *multi_schema;
    const cJSON *subtype = NULL;
    if (!name_list_split(sql_get(n, "typeName"), &schema, &name) || !schema_exists(r, schema, -1))
        return;
    cJSON_ArrayForEach(item, sql_get(n, "params"))
    {
        const cJSON *de = sql_get(item, "DefElem");
        const char *opt = sql_get_str(de, "defname");
        if (opt && !strcmp(opt, "subtype"))
            subtype = sql_get(sql_get(de, "arg"), "TypeName");
        else if (opt && !strcmp(opt, "multirange_type_name"))
            name_list_split(sql_get(sql_get(sql_get(de, "arg"), "TypeName"), "names"),
                            &multi_schema, &multi);
    }
    cat_typeinfo sub;
    if (!subtype || !cat_type_resolve(r, subtype, &sub))
        return;
    const char *at = strstr(name, "range");
    if (!multi)
        multi = at ? arena_printf(r->c->a, "%.*smultirange%s", (int)(at - name), name, at + 5)
                   : arena_printf(r->c->a, "%s_multirange", name);
    /* As oidvectortypes() prints the range type: qualified outside public. */
    const char *rt = schema && strcmp(schema, "public") != 0
                         ? arena_printf(r->c->a, "%s.%s", schema, name)
                         : arena_strdup(r->c->a, name);
    /* DROP TYPE of the range drops them (cat_range_constructor). */
    const char *def = cat_range_constructor(r->c, schema, name);
    name = arena_strdup(r->c->a, name);
    multi = arena_strdup(r->c->a, multi);
    add_builtin_function(r, schema, name, arena_printf(r->c->a, "%s, %s", sub.text, sub.text), def);
    add_builtin_function(r, schema, name, arena_printf(r->c->a, "%s, %s, text", sub.text, sub.text),
                         def);
    add_builtin_function(r, schema, multi, "", def);
    add_builtin_function(r, schema, multi, rt, def);
    add_builtin_function(r, schema, multi, arena_printf(r->c->a, "%s[]", rt), def);
}
