/* replay.c - catalog_apply(): dispatch on the statement kind to the
 * handlers (one file per kind of object), the search path and the end of a
 * session. It sits on top of the catalog's files and calls down only: what
 * the handlers share is below it (conflict.c, nodes.c). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct handler {
    const char *kind;
    void (*fn)(replay *r);
} handler;

/* Everything else (DML, GRANT, COMMENT, SET, DO, REFRESH...) leaves the
 * modelled schema as it is. */
static void rp_set(replay *r);

static const handler handlers[] = {
    {"AlterEnumStmt", rp_alter_enum},
    {"AlterObjectSchemaStmt", rp_alter_schema},
    {"AlterSeqStmt", rp_alter_sequence},
    {"AlterTableStmt", rp_alter_table},
    {"CompositeTypeStmt", rp_create_composite},
    {"CreateDomainStmt", rp_create_domain},
    {"CreateEnumStmt", rp_create_enum},
    {"CreateExtensionStmt", rp_create_extension},
    {"CreateFunctionStmt", rp_create_function},
    {"CreateRangeStmt", rp_create_range},
    {"CreateSchemaStmt", rp_create_schema},
    {"CreateSeqStmt", rp_create_sequence},
    {"CreateStmt", rp_create_table},
    {"CreateTableAsStmt", rp_create_table_as},
    {"CreateTrigStmt", rp_create_trigger},
    {"DoStmt", rp_do},
    {"DropStmt", rp_drop},
    {"IndexStmt", rp_create_index},
    {"LockStmt", rp_lock},
    {"RenameStmt", rp_rename},
    {"VariableSetStmt", rp_set},
    {"ViewStmt", rp_create_view},
};

static int handler_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const handler *)elem)->kind);
}

void catalog_apply(catalog *c, const sql_file *f, const sql_stmt *s, catalog_conflict_fn conflict,
                   void *ud)
{
    if (!s || s->parse_error || !s->node || !s->kind)
        return;
    const handler *h = bsearch(s->kind, handlers, sizeof handlers / sizeof *handlers,
                               sizeof *handlers, handler_cmp);
    if (!h)
        return;
    replay r = {.c = c, .f = f, .s = s, .conflict = conflict, .ud = ud};
    r.origin.path = cat_intern_path(c, f && f->src && f->src->path ? f->src->path : "");
    r.origin.start = s->start;
    r.origin.end = s->end;
    if (f && f->src) {
        r.origin.pos = source_position(f->src, s->start);
        r.origin.end_pos = source_position(f->src, s->end);
    }
    h->fn(&r);
}

void catalog_apply_file(catalog *c, const sql_file *f, catalog_conflict_fn conflict, void *ud)
{
    for (size_t i = 0; i < f->nstmts; i++) {
        sql_file_hold(f, i); /* a large file's trees live a window at a time */
        catalog_apply(c, f, &f->stmts[i], conflict, ud);
    }
    sql_file_release(f);
    catalog_end_session(c);
}

size_t catalog_partial_do_blocks(const catalog *c)
{
    return c->do_partial;
}

void catalog_set_search_path(catalog *c, const char *const *schemas, size_t n)
{
    c->base_path = NULL;
    c->nbase_path = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(schemas[i], "$user") != 0 && strcmp(schemas[i], "pg_catalog") != 0 &&
            strcmp(schemas[i], "public") != 0)
            CAT_PUSH(c->a, c->base_path, c->nbase_path, arena_strdup(c->a, schemas[i]));
    c->search_path = c->base_path;
    c->nsearch_path = c->nbase_path;
}

/* SET [LOCAL] search_path TO a, b / RESET search_path: the schemas other than
 * public, "$user" and pg_catalog, in order; public stays the last resort
 * (where unqualified objects are created too). */
static void rp_set(replay *r)
{
    const cJSON *n = r->s->node, *item;
    const char *name = sql_get_str(n, "name"), *kind = sql_get_str(n, "kind");
    if (!name || strcmp(name, "search_path") != 0 || !kind)
        return;
    catalog *c = r->c;
    c->search_path = c->base_path;
    c->nsearch_path = c->nbase_path;
    if (strcmp(kind, "VAR_SET_VALUE") != 0)
        return;
    const char **path = NULL;
    size_t np = 0;
    cJSON_ArrayForEach(item, sql_get(n, "args"))
    {
        const char *s = sql_string_value(item);
        if (!s) /* SET search_path TO a, 'b': A_Const strings */
            s = sql_get_str(sql_get(sql_get(item, "A_Const"), "sval"), "sval");
        if (s && strcmp(s, "$user") != 0 && strcmp(s, "pg_catalog") != 0 &&
            strcmp(s, "public") != 0)
            CAT_PUSH(c->a, path, np, arena_strdup(c->a, s));
    }
    c->search_path = path;
    c->nsearch_path = np;
}

void catalog_end_session(catalog *c)
{
    c->search_path = c->base_path;
    c->nsearch_path = c->nbase_path;
    if (!c->temp_used)
        return;
    dropset d;
    drop_init(&d, c, true);
    for (size_t i = 0; i < c->ntables; i++)
        if (!strcmp(c->tables[i]->rel.schema, CAT_TEMP_SCHEMA))
            drop_add(&d, V_REL, c->tables[i], NULL);
    for (size_t i = 0; i < c->nsequences; i++)
        if (!strcmp(c->sequences[i]->rel.schema, CAT_TEMP_SCHEMA))
            drop_add(&d, V_REL, c->sequences[i], NULL);
    drop_execute(&d);
    drop_done(&d);
    c->temp_used = false;
}

const char *catalog_format_type(catalog *c, const sql_file *f, const sql_stmt *s,
                                const cJSON *type_name)
{
    replay r = {.c = c, .f = f, .s = s};
    cat_typeinfo info;
    if (!type_name || !cat_type_resolve(&r, type_name, &info))
        return NULL;
    return info.text;
}
