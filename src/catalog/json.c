/* json.c - catalog_to_json(): the catalog as stable, sorted JSON, shaped to
 * compare with what PostgreSQL's own catalogs say (docs/catalog.md). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct named {
    const char *key;
    const void *obj;
} named;

static int named_cmp(const void *a, const void *b)
{
    return strcmp(((const named *)a)->key, ((const named *)b)->key);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *qual(arena *a, const char *schema, const char *name)
{
    return arena_printf(a, "%s.%s", schema, name);
}

static cJSON *sorted_strings(const char **items, size_t n)
{
    const char **copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy)
        abort();
    if (n)
        memcpy(copy, items, n * sizeof *copy);
    if (n)
        qsort(copy, n, sizeof *copy, str_cmp);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(copy[i]));
    free(copy);
    return arr;
}

static void add_str(cJSON *o, const char *key, const char *value)
{
    cJSON_AddItemToObject(o, key, value ? cJSON_CreateString(value) : cJSON_CreateNull());
}

static cJSON *column_names(cat_column *const *cols, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(cols[i]->name));
    return arr;
}

static const char *action_word(char a)
{
    switch (a) {
    case 'r':
        return "restrict";
    case 'c':
        return "cascade";
    case 'n':
        return "set null";
    case 'd':
        return "set default";
    default:
        return "no action";
    }
}

static const char *contype_word(cat_contype t)
{
    switch (t) {
    case CAT_CON_PRIMARY:
        return "primary key";
    case CAT_CON_UNIQUE:
        return "unique";
    case CAT_CON_CHECK:
        return "check";
    case CAT_CON_FOREIGN:
        return "foreign key";
    case CAT_CON_EXCLUSION:
        return "exclusion";
    }
    return "?";
}

static cJSON *column_json(const cat_column *col, bool view)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "name", col->name);
    add_str(o, "type", col->type);
    if (view)
        return o;
    cJSON_AddBoolToObject(o, "nullable", !col->not_null);
    add_str(o, "default", col->default_expr);
    cJSON_AddBoolToObject(o, "default_volatile", col->default_volatile);
    add_str(o, "identity",
            col->identity == 'a'   ? "always"
            : col->identity == 'd' ? "by default"
                                   : NULL);
    add_str(o, "generated", col->generated);
    if (col->on_update) /* MySQL only: PostgreSQL's JSON keeps its shape */
        add_str(o, "on_update", col->on_update);
    return o;
}

static cJSON *constraint_json(arena *a, const cat_constraint *con)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "type", contype_word(con->type));
    cJSON_AddItemToObject(o, "columns", column_names(con->columns, con->ncolumns));
    cJSON_AddBoolToObject(o, "validated", con->validated);
    if (con->type == CAT_CON_CHECK)
        add_str(o, "expression", con->expr);
    if (con->type == CAT_CON_FOREIGN) {
        add_str(o, "references", qual(a, con->ref_table->rel.schema, con->ref_table->rel.name));
        cJSON_AddItemToObject(o, "ref_columns", column_names(con->ref_columns, con->nref_columns));
        add_str(o, "on_delete", action_word(con->on_delete));
        add_str(o, "on_update", action_word(con->on_update));
    }
    return o;
}

static cJSON *index_json(const cat_index *ix)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *keys = cJSON_CreateArray();
    for (size_t i = 0; i < ix->nkeys; i++)
        cJSON_AddItemToArray(keys, cJSON_CreateString(ix->keys[i].column ? ix->keys[i].column->name
                                                                         : ix->keys[i].expr));
    cJSON_AddItemToObject(o, "columns", keys);
    cJSON_AddItemToObject(o, "include", column_names(ix->include, ix->ninclude));
    cJSON_AddBoolToObject(o, "unique", ix->unique);
    cJSON_AddBoolToObject(o, "primary", ix->primary);
    add_str(o, "method", ix->method);
    add_str(o, "where", ix->where);
    add_str(o, "constraint", ix->constraint ? ix->constraint->name : NULL);
    return o;
}

/* Adds objects to parent under sorted keys. */
static void add_sorted(cJSON *parent, named *items, size_t n, cJSON *(*fn)(arena *a, const void *),
                       arena *a)
{
    if (n)
        qsort(items, n, sizeof *items, named_cmp);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToObject(parent, items[i].key, fn(a, items[i].obj));
}

static cJSON *constraint_item(arena *a, const void *obj)
{
    return constraint_json(a, obj);
}

static cJSON *index_item(arena *a, const void *obj)
{
    (void)a;
    return index_json(obj);
}

static cJSON *table_json(arena *a, const void *obj)
{
    const cat_table *t = obj;
    cJSON *o = cJSON_CreateObject();
    add_str(o, "kind", t->rel.kind == CAT_PARTITIONED_TABLE ? "partitioned table" : "table");
    add_str(o, "partition_of",
            t->parent ? qual(a, t->parent->rel.schema, t->parent->rel.name) : NULL);
    add_str(o, "partition_by", t->partition_by);
    cJSON *cols = cJSON_CreateArray();
    for (size_t i = 0; i < t->ncolumns; i++)
        cJSON_AddItemToArray(cols, column_json(t->columns[i], false));
    cJSON_AddItemToObject(o, "columns", cols);
    named *items = malloc((t->nconstraints + t->nindexes + 1) * sizeof *items);
    if (!items)
        abort();
    for (size_t i = 0; i < t->nconstraints; i++)
        items[i] = (named){t->constraints[i]->name, t->constraints[i]};
    cJSON *cons = cJSON_CreateObject();
    add_sorted(cons, items, t->nconstraints, constraint_item, a);
    cJSON_AddItemToObject(o, "constraints", cons);
    for (size_t i = 0; i < t->nindexes; i++)
        items[i] = (named){t->indexes[i]->rel.name, t->indexes[i]};
    cJSON *ixs = cJSON_CreateObject();
    add_sorted(ixs, items, t->nindexes, index_item, a);
    cJSON_AddItemToObject(o, "indexes", ixs);
    free(items);
    const char **trig = arena_calloc(a, t->ntriggers + 1, sizeof *trig);
    for (size_t i = 0; i < t->ntriggers; i++)
        trig[i] = t->triggers[i]->name;
    cJSON_AddItemToObject(o, "triggers", sorted_strings(trig, t->ntriggers));
    return o;
}

static cJSON *view_json(arena *a, const void *obj)
{
    const cat_table *v = obj;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "materialized", v->rel.kind == CAT_MATVIEW);
    cJSON *cols = cJSON_CreateArray();
    for (size_t i = 0; i < v->ncolumns; i++)
        cJSON_AddItemToArray(cols, column_json(v->columns[i], true));
    cJSON_AddItemToObject(o, "columns", cols);
    const char **reads = arena_calloc(a, v->nreads + 1, sizeof *reads);
    for (size_t i = 0; i < v->nreads; i++) {
        const cat_read *rd = &v->reads[i];
        reads[i] = rd->column ? arena_printf(a, "%s.%s.%s", rd->rel->rel.schema, rd->rel->rel.name,
                                             rd->column->name)
                              : qual(a, rd->rel->rel.schema, rd->rel->rel.name);
    }
    cJSON_AddItemToObject(o, "reads", sorted_strings(reads, v->nreads));
    if (v->rel.kind == CAT_MATVIEW) {
        named *items = malloc((v->nindexes + 1) * sizeof *items);
        if (!items)
            abort();
        for (size_t i = 0; i < v->nindexes; i++)
            items[i] = (named){v->indexes[i]->rel.name, v->indexes[i]};
        cJSON *ixs = cJSON_CreateObject();
        add_sorted(ixs, items, v->nindexes, index_item, a);
        cJSON_AddItemToObject(o, "indexes", ixs);
        free(items);
    }
    return o;
}

static cJSON *type_json(arena *a, const void *obj)
{
    const cat_type *t = obj;
    cJSON *o = cJSON_CreateObject();
    (void)a;
    add_str(o, "kind",
            t->kind == CAT_ENUM     ? "enum"
            : t->kind == CAT_DOMAIN ? "domain"
                                    : "composite");
    if (t->kind == CAT_ENUM) {
        cJSON *vals = cJSON_CreateArray();
        for (size_t i = 0; i < t->nvalues; i++)
            cJSON_AddItemToArray(vals, cJSON_CreateString(t->values[i]));
        cJSON_AddItemToObject(o, "values", vals);
    }
    if (t->kind == CAT_DOMAIN)
        add_str(o, "base", t->base);
    return o;
}

static cJSON *sequence_json(arena *a, const void *obj)
{
    const cat_sequence *s = obj;
    cJSON *o = cJSON_CreateObject();
    add_str(o, "owned_by",
            s->owner_column ? arena_printf(a, "%s.%s.%s", s->owner_table->rel.schema,
                                           s->owner_table->rel.name, s->owner_column->name)
                            : NULL);
    return o;
}

cJSON *catalog_to_json(const catalog *c)
{
    arena *a = arena_new();
    cJSON *root = cJSON_CreateObject();
    /* What the platform provides is not the migrations' schema. */
    const char **schemas = arena_calloc(a, c->nschemas + 1, sizeof *schemas);
    size_t nschemas = 0;
    for (size_t i = 0; i < c->nschemas; i++)
        if (!catalog_is_platform_schema(c, c->schemas[i]))
            schemas[nschemas++] = c->schemas[i];
    cJSON_AddItemToObject(root, "schemas", sorted_strings(schemas, nschemas));
    cJSON_AddItemToObject(root, "extensions", sorted_strings(c->extensions, c->nextensions));
    size_t most = c->ntables + c->ntypes + c->nsequences + c->nfunctions + 1;
    named *items = malloc(most * sizeof *items);
    if (!items)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < c->ntypes; i++)
        if (!cat_origin_is_platform(&c->types[i]->origin))
            items[n++] = (named){qual(a, c->types[i]->schema, c->types[i]->name), c->types[i]};
    cJSON *types = cJSON_CreateObject();
    add_sorted(types, items, n, type_json, a);
    cJSON_AddItemToObject(root, "types", types);
    n = 0;
    for (size_t i = 0; i < c->nsequences; i++)
        if (!cat_rel_is_platform(&c->sequences[i]->rel))
            items[n++] = (named){qual(a, c->sequences[i]->rel.schema, c->sequences[i]->rel.name),
                                 c->sequences[i]};
    cJSON *seqs = cJSON_CreateObject();
    add_sorted(seqs, items, n, sequence_json, a);
    cJSON_AddItemToObject(root, "sequences", seqs);
    n = 0;
    for (size_t i = 0; i < c->ntables; i++)
        if ((c->tables[i]->rel.kind == CAT_TABLE ||
             c->tables[i]->rel.kind == CAT_PARTITIONED_TABLE) &&
            strcmp(c->tables[i]->rel.schema, CAT_TEMP_SCHEMA) != 0 &&
            !cat_rel_is_platform(&c->tables[i]->rel))
            items[n++] =
                (named){qual(a, c->tables[i]->rel.schema, c->tables[i]->rel.name), c->tables[i]};
    cJSON *tables = cJSON_CreateObject();
    add_sorted(tables, items, n, table_json, a);
    cJSON_AddItemToObject(root, "tables", tables);
    n = 0;
    for (size_t i = 0; i < c->ntables; i++)
        if ((c->tables[i]->rel.kind == CAT_VIEW || c->tables[i]->rel.kind == CAT_MATVIEW) &&
            strcmp(c->tables[i]->rel.schema, CAT_TEMP_SCHEMA) != 0 &&
            !cat_rel_is_platform(&c->tables[i]->rel))
            items[n++] =
                (named){qual(a, c->tables[i]->rel.schema, c->tables[i]->rel.name), c->tables[i]};
    cJSON *views = cJSON_CreateObject();
    add_sorted(views, items, n, view_json, a);
    cJSON_AddItemToObject(root, "views", views);
    const char **fns = arena_calloc(a, c->nfunctions + 1, sizeof *fns);
    size_t nfns = 0;
    for (size_t i = 0; i < c->nfunctions; i++)
        if (!cat_origin_is_platform(&c->functions[i]->origin))
            fns[nfns++] = arena_printf(a, "%s.%s(%s)", c->functions[i]->schema,
                                       c->functions[i]->name, c->functions[i]->args);
    cJSON_AddItemToObject(root, "functions", sorted_strings(fns, nfns));
    free(items);
    arena_free(a);
    return root;
}
