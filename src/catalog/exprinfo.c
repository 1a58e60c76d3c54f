/* exprinfo.c - what the catalog learns from an expression besides its
 * text: whether it is volatile (a default that rewrites the table on ADD
 * COLUMN), which columns it reads, the column name PostgreSQL gives it
 * (FigureColname), and its text after a column rename. */
#include "internal.h"

#include <string.h>

/* The column name PostgreSQL gives a SQL value function. */
static const char *svf_colname(const char *op)
{
    static const char *const names[] = {"current_date",    "current_time",   "current_timestamp",
                                        "localtime",       "localtimestamp", "current_role",
                                        "current_user",    "user",           "session_user",
                                        "current_catalog", "current_schema"};
    /* SVFOP_CURRENT_DATE -> current_date; the _N forms name the same column. */
    static const char *const ops[] = {
        "SVFOP_CURRENT_DATE",    "SVFOP_CURRENT_TIME",   "SVFOP_CURRENT_TIMESTAMP",
        "SVFOP_LOCALTIME",       "SVFOP_LOCALTIMESTAMP", "SVFOP_CURRENT_ROLE",
        "SVFOP_CURRENT_USER",    "SVFOP_USER",           "SVFOP_SESSION_USER",
        "SVFOP_CURRENT_CATALOG", "SVFOP_CURRENT_SCHEMA"};
    for (size_t i = 0; op && i < sizeof ops / sizeof *ops; i++)
        if (!strncmp(op, ops[i], strlen(ops[i])) &&
            (op[strlen(ops[i])] == '\0' || !strcmp(op + strlen(ops[i]), "_N")))
            return names[i];
    return "current_timestamp";
}

static const char *const volatile_functions[] = {"clock_timestamp",  "gen_random_bytes",
                                                 "gen_random_uuid",  "nextval",
                                                 "random",           "setval",
                                                 "timeofday",        "txid_current",
                                                 "uuid_generate_v1", "uuid_generate_v1mc",
                                                 "uuid_generate_v4", "pg_current_xact_id",
                                                 "currval",          "lastval"};

static bool function_volatile(replay *r, const cJSON *names)
{
    const char *schema, *name;
    if (!name_list_split(names, &schema, &name))
        return false;
    for (size_t i = 0; i < sizeof volatile_functions / sizeof *volatile_functions; i++)
        if (!strcmp(volatile_functions[i], name))
            return true;
    for (size_t i = 0; i < r->c->nfunctions; i++) {
        const cat_function *fn = r->c->functions[i];
        if (!strcmp(fn->name, name) && !strcmp(fn->schema, cat_schema_or_public(schema)))
            return fn->volatility == 'v';
    }
    return false;
}

static bool walk_volatile(replay *r, const cJSON *node)
{
    if (!node)
        return false;
    if (cJSON_IsObject(node) && node->string && !strcmp(node->string, "FuncCall") &&
        function_volatile(r, sql_get(node, "funcname")))
        return true;
    for (const cJSON *c = node->child; c; c = c->next)
        if (walk_volatile(r, c))
            return true;
    return false;
}

bool cat_expr_volatile(replay *r, const cJSON *node)
{
    return walk_volatile(r, node);
}

void cat_expr_columns(const cJSON *node, void (*fn)(void *ud, const cJSON *fields), void *ud)
{
    if (!node)
        return;
    if (cJSON_IsObject(node) && node->string && !strcmp(node->string, "ColumnRef")) {
        fn(ud, sql_get(node, "fields"));
        return;
    }
    for (const cJSON *c = node->child; c; c = c->next)
        cat_expr_columns(c, fn, ud);
}

/* ---- FigureColname ---- */

static const char *figure(const cJSON *node)
{
    cJSON *e;
    const char *kind = sql_node_kind(node, &e);
    if (!kind)
        return NULL;
    if (!strcmp(kind, "ColumnRef")) {
        const cJSON *fields = sql_get(e, "fields");
        return sql_string_value(cJSON_GetArrayItem(fields, cJSON_GetArraySize(fields) - 1));
    }
    if (!strcmp(kind, "FuncCall")) {
        const cJSON *names = sql_get(e, "funcname");
        return sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
    }
    if (!strcmp(kind, "TypeCast")) {
        const char *n = figure(sql_get(e, "arg"));
        if (n)
            return n;
        const cJSON *names = sql_get(sql_get(e, "typeName"), "names");
        return sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
    }
    if (!strcmp(kind, "A_Indirection")) {
        const cJSON *ind = sql_get(e, "indirection");
        const char *f = sql_string_value(cJSON_GetArrayItem(ind, cJSON_GetArraySize(ind) - 1));
        return f ? f : figure(sql_get(e, "arg"));
    }
    if (!strcmp(kind, "A_Expr")) {
        const char *k = sql_get_str(e, "kind");
        return k && !strcmp(k, "AEXPR_NULLIF") ? "nullif" : NULL;
    }
    if (!strcmp(kind, "CollateClause"))
        return figure(sql_get(e, "arg"));
    if (!strcmp(kind, "CaseExpr"))
        return "case";
    if (!strcmp(kind, "CoalesceExpr"))
        return "coalesce";
    if (!strcmp(kind, "A_ArrayExpr"))
        return "array";
    if (!strcmp(kind, "RowExpr"))
        return "row";
    if (!strcmp(kind, "MinMaxExpr")) {
        const char *op = sql_get_str(e, "op");
        return op && !strcmp(op, "IS_LEAST") ? "least" : "greatest";
    }
    if (!strcmp(kind, "SQLValueFunction"))
        return svf_colname(sql_get_str(e, "op"));
    if (!strcmp(kind, "SubLink")) {
        const char *t = sql_get_str(e, "subLinkType");
        if (t && !strcmp(t, "EXISTS_SUBLINK"))
            return "exists";
        if (t && !strcmp(t, "ARRAY_SUBLINK"))
            return "array";
        return NULL;
    }
    return NULL;
}

const char *cat_figure_colname(const cJSON *node)
{
    const char *n = figure(node);
    return n ? n : "?column?";
}

/* ---- renames ---- */

static bool ident_char(char ch, bool first)
{
    return (ch >= 'a' && ch <= 'z') || ch == '_' || (ch & 0x80) ||
           (!first && ((ch >= '0' && ch <= '9') || ch == '$'));
}

/* The identifier at s (plain or "quoted") as the parser folds it; sets *len. */
static char *ident_at(arena *a, const char *s, size_t *len)
{
    if (*s == '"') {
        strbuf b = STRBUF_INIT;
        size_t i = 1;
        for (; s[i]; i++) {
            if (s[i] == '"' && s[i + 1] == '"') {
                strbuf_putc(&b, '"');
                i++;
            } else if (s[i] == '"') {
                break;
            } else {
                strbuf_putc(&b, s[i]);
            }
        }
        *len = s[i] ? i + 1 : i;
        char *out = arena_strdup(a, b.data ? b.data : "");
        strbuf_free(&b);
        return out;
    }
    size_t i = 0;
    while (s[i] && ident_char(s[i], i == 0))
        i++;
    *len = i;
    return arena_strndup(a, s, i);
}

char *cat_rename_in_expr(catalog *c, const char *text, const char *old, const char *name)
{
    if (!text)
        return NULL;
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; text[i];) {
        char ch = text[i];
        if (ch == '\'') { /* a literal: copied as it is */
            size_t j = i + 1;
            while (text[j] && !(text[j] == '\'' && text[j + 1] != '\''))
                j += text[j] == '\'' ? 2 : 1;
            j += text[j] ? 1 : 0;
            strbuf_add(&b, text + i, j - i);
            i = j;
        } else if (ch == '"' || ident_char(ch, true)) {
            size_t len;
            char *id = ident_at(c->a, text + i, &len);
            bool qualified = i > 0 && text[i - 1] == '.';
            bool call = text[i + len] == '(';
            bool cast = i > 1 && text[i - 1] == ':' && text[i - 2] == ':';
            if (!strcmp(id, old) && !qualified && !call && !cast)
                strbuf_puts(&b, cat_quote_ident(c, name));
            else
                strbuf_add(&b, text + i, len);
            i += len ? len : 1;
        } else {
            strbuf_putc(&b, ch);
            i++;
        }
    }
    char *out = arena_strdup(c->a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}
