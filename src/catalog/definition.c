/* definition.c - what a function's or a view's definition is, reduced to a
 * short hash, so a down step that does not put the old body or query back
 * is seen (CREATE OR REPLACE keeps the object and its name).
 *
 * The hash covers the statement's parse tree without positions, without OR
 * REPLACE and without the object's name (its identity is the catalog key:
 * schema, name and input argument types, as PostgreSQL's). A function body
 * is a string in that tree: it is hashed as its tokens, comments dropped,
 * unquoted words lower-cased, one space between tokens, so a body copied
 * back with other indentation or comments counts as the same body, as it
 * behaves the same. A view's query is hashed as parsed, not as PostgreSQL
 * stores it after analysis, except that in a query reading one relation
 * `SELECT t.id FROM t` is `SELECT id FROM t` (see docs/catalog.md). */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_json(strbuf *b, const cJSON *node, const char *const *skip);

/* The body's tokens as described above. */
static void put_body(strbuf *b, const char *body)
{
    source *src = source_new("", body, strlen(body));
    sql_file *f = sql_file_scan(src, 0, src->len);
    for (size_t i = 0; f && i < f->ntokens; i++) {
        const sql_token *t = &f->tokens[i];
        if (t->kind == SQL_TOK_COMMENT || t->kind == SQL_TOK_BLOCK_COMMENT)
            continue;
        const char *p = src->text + t->start;
        size_t n = t->end - t->start, at = b->len + 1;
        bool fold = (t->kind == SQL_TOK_IDENT || t->kind == SQL_TOK_KEYWORD) && *p != '"';
        /* The token at once, then folded in place (bodies run to kilobytes). */
        strbuf_putc(b, ' ');
        strbuf_add(b, p, n);
        for (size_t k = 0; fold && k < n; k++)
            b->data[at + k] = (char)tolower((unsigned char)b->data[at + k]);
    }
    if (f)
        sql_file_free(f);
    source_free(src);
}

static bool skipped(const char *key, const char *const *skip)
{
    if (!strcmp(key, "location"))
        return true;
    for (size_t i = 0; skip && skip[i]; i++)
        if (!strcmp(key, skip[i]))
            return true;
    return false;
}

/* DefElem "as": the body (and, for C functions, the link symbol). name is
 * the node's "defname". */
static bool put_body_option(strbuf *b, const cJSON *node, const char *name)
{
    if (!name || strcmp(name, "as") != 0)
        return false;
    strbuf_puts(b, "{as:");
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(sql_get(sql_get(node, "arg"), "List"), "items"))
    {
        const char *s = sql_string_value(item);
        if (s)
            put_body(b, s);
        strbuf_putc(b, ';');
    }
    strbuf_putc(b, '}');
    return true;
}

static void put_list(strbuf *b, const cJSON *first)
{
    strbuf_putc(b, '[');
    for (const cJSON *c = first; c; c = c->next) {
        put_json(b, c, NULL);
        strbuf_putc(b, ',');
    }
    strbuf_putc(b, ']');
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Options (LANGUAGE, IMMUTABLE, AS, WITH (...)) mean the same in any order:
 * each is printed on its own and they are sorted. */
static void put_options(strbuf *b, const cJSON *list)
{
    size_t n = (size_t)cJSON_GetArraySize(list), k = 0;
    char **items = calloc(n ? n : 1, sizeof *items);
    if (!items)
        abort();
    for (const cJSON *c = list->child; c; c = c->next) {
        strbuf one = STRBUF_INIT;
        put_json(&one, c, NULL);
        items[k++] = strbuf_detach(&one);
    }
    qsort(items, k, sizeof *items, str_cmp);
    strbuf_putc(b, '[');
    for (size_t i = 0; i < k; i++) {
        strbuf_puts(b, items[i]);
        strbuf_putc(b, ',');
        free(items[i]);
    }
    strbuf_putc(b, ']');
    free(items);
}

/* A type or function name list: pg_catalog.int4 and int4 are one type. */
static const cJSON *without_pg_catalog(const cJSON *first)
{
    const char *s = first ? sql_string_value(first) : NULL;
    return s && !strcmp(s, "pg_catalog") && first->next ? first->next : first;
}

static void put_json(strbuf *b, const cJSON *node, const char *const *skip)
{
    if (cJSON_IsObject(node)) {
        /* The two keys read here, found in one pass (as sql_get_str would,
         * the first of each name): this runs for every node of every
         * function and view definition. */
        const cJSON *defname = NULL, *schemaname = NULL;
        for (const cJSON *c = node->child; c; c = c->next) {
            if (!defname && c->string[0] == 'd' && !strcmp(c->string, "defname"))
                defname = c;
            else if (!schemaname && c->string[0] == 's' && !strcmp(c->string, "schemaname"))
                schemaname = c;
        }
        if (put_body_option(b, node, cJSON_IsString(defname) ? defname->valuestring : NULL))
            return;
        /* public is the search_path: users and public.users are one table. */
        const char *schema = cJSON_IsString(schemaname) ? schemaname->valuestring : NULL;
        bool public_schema = schema && !strcmp(schema, "public");
        strbuf_putc(b, '{');
        for (const cJSON *c = node->child; c; c = c->next) {
            if (skipped(c->string, skip) || (public_schema && !strcmp(c->string, "schemaname")))
                continue;
            strbuf_puts(b, c->string);
            strbuf_putc(b, ':');
            if (cJSON_IsArray(c) && !strcmp(c->string, "options"))
                put_options(b, c);
            else if (cJSON_IsArray(c) && !strcmp(c->string, "names"))
                put_list(b, without_pg_catalog(c->child));
            else
                put_json(b, c, NULL);
            strbuf_putc(b, ',');
        }
        strbuf_putc(b, '}');
    } else if (cJSON_IsArray(node)) {
        put_list(b, node->child);
    } else if (cJSON_IsString(node)) {
        strbuf_putc(b, '"');
        strbuf_puts(b, node->valuestring);
        strbuf_putc(b, '"');
    } else if (cJSON_IsNumber(node)) {
        strbuf_printf(b, "%.17g", node->valuedouble);
    } else if (cJSON_IsBool(node)) {
        strbuf_puts(b, cJSON_IsTrue(node) ? "t" : "f");
    }
}

/* The relations a query reads: how many RangeVars, and whether it joins,
 * reads a subquery or a function (then a qualifier may pick one of several). */
static void count_sources(const cJSON *node, const cJSON **rv, int *n, bool *other)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return;
    for (const cJSON *c = node->child; c; c = c->next) {
        /* Most keys start with none of R, J, w: no strcmp for them. */
        const char *k = c->string;
        if (k && (k[0] == 'R' || k[0] == 'J' || k[0] == 'w')) {
            if (!strcmp(k, "RangeVar")) {
                *rv = c;
                (*n)++;
            } else if (!strcmp(k, "JoinExpr") || !strcmp(k, "RangeSubselect") ||
                       !strcmp(k, "RangeFunction") || !strcmp(k, "withClause")) {
                *other = true;
            }
        }
        count_sources(c, rv, n, other);
    }
}

/* t.id and schema.t.id are id when t is the only relation the query reads. */
static void unqualify(cJSON *node, const char *q)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return;
    for (cJSON *c = node->child; c; c = c->next) {
        cJSON *fields = c->string && !strcmp(c->string, "ColumnRef") ? sql_get(c, "fields") : NULL;
        int n = cJSON_GetArraySize(fields);
        const char *t = n >= 2 ? sql_string_value(cJSON_GetArrayItem(fields, n - 2)) : NULL;
        if (t && !strcmp(t, q) && sql_string_value(cJSON_GetArrayItem(fields, n - 1)))
            while (cJSON_GetArraySize(fields) > 1)
                cJSON_DeleteItemFromArray(fields, 0);
        unqualify(c, q);
    }
}

/* A view's query reading one relation, with its column references
 * unqualified: PostgreSQL stores `SELECT id FROM t` and `SELECT t.id FROM
 * t` as one query (pg_get_viewdef prints both the same). NULL: use node. */
static cJSON *view_query_unqualified(const cJSON *node)
{
    const cJSON *rv = NULL;
    int n = 0;
    bool other = false;
    if (!sql_get(node, "query"))
        return NULL;
    count_sources(sql_get(node, "query"), &rv, &n, &other);
    if (n != 1 || other)
        return NULL;
    const char *alias = sql_get_str(sql_get(rv, "alias"), "aliasname");
    const char *q = alias ? alias : sql_get_str(rv, "relname");
    if (!q)
        return NULL;
    cJSON *copy = cJSON_Duplicate(node, true);
    unqualify(sql_get(copy, "query"), q);
    if (alias && !strcmp(alias, sql_get_str(rv, "relname") ? sql_get_str(rv, "relname") : "")) {
        count_sources(sql_get(copy, "query"), &rv, &n, &other); /* t AS t is t */
        cJSON_DeleteItemFromObject((cJSON *)rv, "alias");
    }
    return copy;
}

const char *cat_definition_hash(catalog *c, const cJSON *node, const char *const *skip)
{
    strbuf b = STRBUF_INIT;
    cJSON *view = view_query_unqualified(node);
    put_json(&b, view ? view : node, skip);
    cJSON_Delete(view);
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < b.len; i++)
        h = (h ^ (unsigned char)b.data[i]) * 1099511628211ULL;
    strbuf_free(&b);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", h);
    return arena_strdup(c->a, hex);
}
