/* node.c - small accessors over libpg_query's JSON parse tree (see sql.h).
 *
 * libpg_query omits fields that hold their default (false, 0, empty), so
 * every accessor treats a missing field as that default. */
#include "sql.h"

#include <string.h>

#include "../core/strbuf.h"

const char *sql_node_kind(const cJSON *wrapped, cJSON **inner)
{
    if (!wrapped || !cJSON_IsObject(wrapped) || !wrapped->child) {
        if (inner)
            *inner = NULL;
        return NULL;
    }
    if (inner)
        *inner = wrapped->child;
    return wrapped->child->string;
}

/* cJSON_GetObjectItemCaseSensitive's search (the first member of that name;
 * none in an array, whose items have no name), with the first byte compared
 * before strcmp: most members differ there, and this is the hottest lookup
 * of a check (2.7 million members visited on the bench corpus). The keys
 * are libpg_query's string literals (scripts/pg_query_tree.c) and the
 * linker merges identical literals, so a member is most often found by its
 * address, without strcmp (717 M -> 696 M instructions on the bench). */
cJSON *sql_get(const cJSON *obj, const char *field)
{
    if (!obj || !field)
        return NULL;
    for (cJSON *c = obj->child; c && c->string; c = c->next)
        if (c->string == field || (c->string[0] == field[0] && strcmp(c->string, field) == 0))
            return c;
    return NULL;
}

const char *sql_get_str(const cJSON *obj, const char *field)
{
    cJSON *v = sql_get(obj, field);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int sql_get_int(const cJSON *obj, const char *field, int dflt)
{
    cJSON *v = sql_get(obj, field);
    return cJSON_IsNumber(v) ? v->valueint : dflt;
}

bool sql_get_bool(const cJSON *obj, const char *field)
{
    return cJSON_IsTrue(sql_get(obj, field));
}

long sql_location(const cJSON *obj)
{
    cJSON *v = sql_get(obj, "location");
    return cJSON_IsNumber(v) ? (long)v->valuedouble : -1;
}

const char *sql_string_value(const cJSON *wrapped)
{
    cJSON *inner;
    const char *kind = sql_node_kind(wrapped, &inner);
    if (!kind || strcmp(kind, "String") != 0)
        return NULL;
    const char *s = sql_get_str(inner, "sval");
    return s ? s : "";
}

char *sql_name_list(arena *a, const cJSON *list)
{
    strbuf b = STRBUF_INIT;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const char *s = sql_string_value(item);
        if (!s)
            continue;
        if (b.len)
            strbuf_putc(&b, '.');
        strbuf_puts(&b, s);
    }
    char *out = arena_strdup(a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}

char *sql_rangevar_name(arena *a, const cJSON *rv)
{
    const char *schema = sql_get_str(rv, "schemaname");
    const char *rel = sql_get_str(rv, "relname");
    if (!rel)
        rel = "?";
    return schema ? arena_printf(a, "%s.%s", schema, rel) : arena_strdup(a, rel);
}

size_t sql_token_at(const sql_file *f, const sql_stmt *s, size_t offset)
{
    size_t lo = s->first_token, hi = s->first_token + s->ntokens;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->tokens[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool sql_token_is(const sql_file *f, size_t tok, const char *word)
{
    if (tok >= f->ntokens)
        return false;
    const sql_token *t = &f->tokens[tok];
    size_t n = t->end - t->start;
    return strlen(word) == n && strncasecmp(f->src->text + t->start, word, n) == 0;
}

void sql_put_literal(strbuf *b, const char *s)
{
    strbuf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_putc(b, '\'');
        strbuf_putc(b, *p);
    }
    strbuf_putc(b, '\'');
}

char *sql_quote_literal(arena *a, const char *s)
{
    strbuf b = STRBUF_INIT;
    sql_put_literal(&b, s);
    char *out = arena_strndup(a, b.data, b.len);
    strbuf_free(&b);
    return out;
}

/* Below the parsers (sql.c, the MySQL builder), which both call it. */
static bool str_is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

void sql_stmt_note_facts(sql_stmt *s, arena *a)
{
    const cJSON *n = s->node, *rv = NULL;
    if (!n || !s->kind || (s->kind[0] != 'T' && s->kind[0] != 'C')) /* one comparison for most */
        return;
    if (!strcmp(s->kind, "TransactionStmt")) {
        const char *k = sql_get_str(n, "kind");
        s->ends_transaction = str_is(k, "TRANS_STMT_COMMIT") || str_is(k, "TRANS_STMT_ROLLBACK") ||
                              str_is(k, "TRANS_STMT_PREPARE");
    } else if (!strcmp(s->kind, "CreateStmt")) {
        rv = sql_get(n, "relation");
    } else if (!strcmp(s->kind, "CreateTableAsStmt")) {
        rv = sql_get(sql_get(n, "into"), "rel");
    }
    const char *persistence = sql_get_str(rv, "relpersistence");
    const char *name = sql_get_str(rv, "relname");
    if (persistence && persistence[0] == 't' && name)
        s->temp_table = arena_strdup(a, name);
}
