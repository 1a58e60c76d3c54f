/* replay.c - catalog_apply(): dispatch on the statement kind, and what every
 * handler shares: conflict reporting with a precise location, and small
 * readers over libpg_query's nodes. */
#include "internal.h"

#include <ctype.h>
#include <stdarg.h>
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
    for (size_t i = 0; i < f->nstmts; i++)
        catalog_apply(c, f, &f->stmts[i], conflict, ud);
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

/* ---- conflicts ---- */

static void report(replay *r, size_t start, size_t end, const char *fmt, va_list ap)
{
    r->failed = true;
    if (!r->conflict)
        return;
    char *msg = arena_vprintf(r->c->a, fmt, ap);
    r->conflict(r->ud, start, end, msg);
}

void rp_conflict(replay *r, size_t start, size_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(r, start, end, fmt, ap);
    va_end(ap);
}

static bool is_name_token(const sql_token *t)
{
    return t->kind == SQL_TOK_IDENT || t->kind == SQL_TOK_KEYWORD;
}

static size_t stmt_end_token(const replay *r)
{
    return r->s->first_token + r->s->ntokens;
}

/* The statement's first token: where a conflict points when nothing better is known. */
static void head_range(const replay *r, size_t *start, size_t *end)
{
    const sql_file *f = r->f;
    if (!f || r->s->ntokens == 0) {
        *start = *end = r->s->start;
        return;
    }
    *start = f->tokens[r->s->first_token].start;
    *end = f->tokens[r->s->first_token].end;
}

void rp_conflict_at(replay *r, long offset, const char *fmt, ...)
{
    size_t start, end;
    head_range(r, &start, &end);
    if (offset >= 0 && r->f) {
        size_t i = sql_token_at(r->f, r->s, (size_t)offset), last = i, stop = stmt_end_token(r);
        if (i < stop) {
            while (last + 2 < stop && r->f->tokens[last + 1].pg_token == '.' &&
                   is_name_token(&r->f->tokens[last + 2]))
                last += 2;
            start = r->f->tokens[i].start;
            end = r->f->tokens[last].end;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    report(r, start, end, fmt, ap);
    va_end(ap);
}

/* Folds an identifier token as the parser does: unquoted lower-cased,
 * quoted taken as written. */
static bool token_is_ident(const sql_file *f, size_t tok, const char *name)
{
    const sql_token *t = &f->tokens[tok];
    const char *s = f->src->text + t->start;
    size_t n = t->end - t->start, o = 0, len = strlen(name);
    if (!is_name_token(t) && t->kind != SQL_TOK_OTHER)
        return false;
    if (n >= 2 && s[0] == '"') {
        for (size_t i = 1; i + 1 < n; i++, o++) {
            if (o >= len || s[i] != name[o])
                return false;
            if (s[i] == '"')
                i++;
        }
        return o == len;
    }
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != (unsigned char)name[i])
            return false;
    return true;
}

void rp_conflict_name(replay *r, size_t from, const char *name, const char *fmt, ...)
{
    size_t start, end;
    head_range(r, &start, &end);
    if (r->f && name) {
        size_t stop = stmt_end_token(r);
        for (size_t i = sql_token_at(r->f, r->s, from); i < stop; i++) {
            if (token_is_ident(r->f, i, name)) {
                start = r->f->tokens[i].start;
                end = r->f->tokens[i].end;
                break;
            }
        }
    }
    va_list ap;
    va_start(ap, fmt);
    report(r, start, end, fmt, ap);
    va_end(ap);
}

const char *rp_qname(replay *r, const char *schema, const char *name)
{
    if (cat_is_public(schema))
        return name;
    return arena_printf(r->c->a, "%s.%s", schema, name);
}

const char *rp_relname(replay *r, const cat_rel *rel)
{
    return rp_qname(r, rel->schema, rel->name);
}

/* ---- node helpers ---- */

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
    int n = cJSON_GetArraySize(list);
    *schema = NULL;
    *name = NULL;
    if (n == 1) {
        *name = sql_string_value(cJSON_GetArrayItem(list, 0));
    } else if (n == 2) {
        *schema = sql_string_value(cJSON_GetArrayItem(list, 0));
        *name = sql_string_value(cJSON_GetArrayItem(list, 1));
    } else if (n == 3) { /* database.schema.name */
        *schema = sql_string_value(cJSON_GetArrayItem(list, 1));
        *name = sql_string_value(cJSON_GetArrayItem(list, 2));
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

const char *catalog_format_type(catalog *c, const sql_file *f, const sql_stmt *s,
                                const cJSON *type_name)
{
    replay r = {.c = c, .f = f, .s = s};
    cat_typeinfo info;
    if (!type_name || !cat_type_resolve(&r, type_name, &info))
        return NULL;
    return info.text;
}
