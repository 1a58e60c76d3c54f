/* expr.c - expressions as PostgreSQL prints them back (pg_get_expr, not
 * pretty), from the raw parse tree.
 *
 * PostgreSQL prints the analyzed expression, with every constant typed and
 * implicit casts hidden. Without type analysis this cannot be exact in
 * general, so it aims at what migrations put in defaults, CHECKs and index
 * predicates: literals coerced to a known column type, casts, function
 * calls, operators, IN lists, BETWEEN, IS [NOT] NULL, CASE, COALESCE and the
 * SQL value functions. docs/catalog.md lists where it differs. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void deparse(replay *r, strbuf *b, const cJSON *node);

static void put_list(replay *r, strbuf *b, const cJSON *list)
{
    const cJSON *item;
    int i = 0;
    cJSON_ArrayForEach(item, list)
    {
        if (i++)
            strbuf_puts(b, ", ");
        deparse(r, b, item);
    }
}

static bool is_integer_text(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* A numeric constant as get_const_expr() prints it: int4 and numeric bare
 * unless negative, bigger integers as int8 with a cast. */
static void put_number(strbuf *b, const char *text, bool integer)
{
    if (integer) {
        bool fits_int4 =
            strlen(text) < 10 || (strlen(text) <= 11 && labs(atol(text)) <= 2147483647L);
        if (!fits_int4) {
            sql_put_literal(b, text);
            strbuf_puts(b, "::bigint");
        } else if (text[0] == '-') {
            sql_put_literal(b, text);
            strbuf_puts(b, "::integer");
        } else {
            strbuf_puts(b, text);
        }
        return;
    }
    if (text[0] == '-') {
        sql_put_literal(b, text);
        strbuf_puts(b, "::numeric");
    } else {
        strbuf_puts(b, text);
    }
}

static const char *const_kind(const cJSON *c, const cJSON **v)
{
    static const char *const kinds[] = {"sval", "ival", "fval", "boolval", "bsval"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        const cJSON *w = sql_get(c, kinds[i]);
        if (w) {
            *v = sql_get(w, kinds[i]);
            return kinds[i];
        }
    }
    *v = NULL;
    return sql_get_bool(c, "isnull") ? "isnull" : "";
}

static void deparse_const(replay *r, strbuf *b, const cJSON *c)
{
    const cJSON *v;
    const char *kind = const_kind(c, &v);
    if (!strcmp(kind, "sval")) {
        sql_put_literal(b, cJSON_IsString(v) ? v->valuestring : "");
    } else if (!strcmp(kind, "ival")) {
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", const_int(r->f, c));
        put_number(b, buf, true);
    } else if (!strcmp(kind, "fval")) {
        const char *t = cJSON_IsString(v) ? v->valuestring : "0";
        put_number(b, t, is_integer_text(t));
    } else if (!strcmp(kind, "boolval")) {
        strbuf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
    } else if (!strcmp(kind, "bsval")) {
        const char *t = cJSON_IsString(v) ? v->valuestring : "b";
        strbuf_printf(b, "%c'%s'", toupper((unsigned char)t[0]), t + 1);
    } else {
        strbuf_puts(b, "NULL");
    }
}

static bool truthy(const char *s)
{
    static const char *const yes[] = {"t", "true", "y", "yes", "on", "1"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcasecmp(s, yes[i]) == 0)
            return true;
    return false;
}

/* jsonb prints objects with keys by length then bytes, ": " and ", ". */
static int jsonb_key_cmp(const void *a, const void *b)
{
    const char *x = (*(const cJSON *const *)a)->string, *y = (*(const cJSON *const *)b)->string;
    size_t lx = strlen(x), ly = strlen(y);
    return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static void put_json_string(strbuf *b, const char *s)
{
    char *q = cJSON_PrintUnformatted(&(cJSON){.type = cJSON_String, .valuestring = (char *)s});
    strbuf_puts(b, q);
    free(q);
}

static void put_jsonb(strbuf *b, const cJSON *j)
{
    if (cJSON_IsObject(j)) {
        size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
        const cJSON **items = calloc(n ? n : 1, sizeof *items);
        for (const cJSON *c = j->child; c; c = c->next)
            items[i++] = c;
        qsort(items, n, sizeof *items, jsonb_key_cmp);
        strbuf_putc(b, '{');
        for (i = 0; i < n; i++) {
            if (i)
                strbuf_puts(b, ", ");
            put_json_string(b, items[i]->string);
            strbuf_puts(b, ": ");
            put_jsonb(b, items[i]);
        }
        strbuf_putc(b, '}');
        free(items);
    } else if (cJSON_IsArray(j)) {
        strbuf_putc(b, '[');
        for (const cJSON *c = j->child; c; c = c->next) {
            put_jsonb(b, c);
            if (c->next)
                strbuf_puts(b, ", ");
        }
        strbuf_putc(b, ']');
    } else {
        char *s = cJSON_PrintUnformatted(j);
        strbuf_puts(b, s);
        free(s);
    }
}

static void put_jsonb_literal(strbuf *b, const char *text)
{
    cJSON *j = sql_json_parse(text);
    if (!j) {
        sql_put_literal(b, text);
        return;
    }
    strbuf out = STRBUF_INIT;
    put_jsonb(&out, j);
    cJSON_Delete(j);
    sql_put_literal(b, out.data);
    strbuf_free(&out);
}

/* A string literal coerced to type t: what get_const_expr() prints for the
 * Const the parser folds it into. */
static void literal_as(replay *r, strbuf *b, const char *text, const cat_typeinfo *t)
{
    const char *label = t->label ? t->label : t->base;
    if (!t->array && !t->user_type) {
        if (!strcmp(label, "integer") && is_integer_text(text)) {
            char buf[32];
            snprintf(buf, sizeof buf, "%ld", strtol(text, NULL, 10));
            put_number(b, buf, true);
            return;
        }
        if (!strcmp(label, "numeric") && text[0] != '-' && isdigit((unsigned char)text[0]) &&
            strpbrk(text, ".eE")) {
            strbuf_puts(b, text);
            return;
        }
        if (!strcmp(label, "boolean")) {
            strbuf_puts(b, truthy(text) ? "true" : "false");
            return;
        }
        if (!strcmp(label, "jsonb")) {
            put_jsonb_literal(b, text);
            strbuf_puts(b, "::jsonb");
            return;
        }
        if (!strcmp(label, "uuid")) {
            char *low = arena_strdup(r->c->a, text);
            for (char *p = low; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            sql_put_literal(b, low);
            strbuf_puts(b, "::uuid");
            return;
        }
    }
    sql_put_literal(b, text);
    strbuf_printf(b, "::%s%s", label, t->array ? "[]" : "");
}

/* ARRAY[...]::t[]: PostgreSQL casts each element instead (an empty array
 * keeps the cast). */
static void deparse_array_cast(replay *r, strbuf *b, const cJSON *arr, const cat_typeinfo *t)
{
    const cJSON *elems = sql_get(arr, "elements"), *item;
    if (!cJSON_GetArraySize(elems)) {
        strbuf_printf(b, "ARRAY[]::%s", t->text);
        return;
    }
    cat_typeinfo elem = *t;
    elem.array = false;
    elem.text = t->base;
    strbuf_puts(b, "ARRAY[");
    int i = 0;
    cJSON_ArrayForEach(item, elems)
    {
        cJSON *e;
        const char *k = sql_node_kind(item, &e);
        const cJSON *v;
        if (i++)
            strbuf_puts(b, ", ");
        if (k && !strcmp(k, "A_Const") && !strcmp(const_kind(e, &v), "sval"))
            literal_as(r, b, cJSON_IsString(v) ? v->valuestring : "", &elem);
        else
            deparse(r, b, item);
    }
    strbuf_putc(b, ']');
}

static void deparse_typecast(replay *r, strbuf *b, const cJSON *tc)
{
    cat_typeinfo t;
    const cJSON *tn = sql_get(tc, "typeName");
    const cJSON *arg = sql_get(tc, "arg");
    cJSON *inner;
    const char *kind = sql_node_kind(arg, &inner);
    replay quiet = *r;
    quiet.conflict = NULL; /* a cast to an unknown type is reported elsewhere, if at all */
    cat_type_resolve(&quiet, tn, &t);
    if (kind && !strcmp(kind, "A_Const")) {
        const cJSON *v;
        const char *ck = const_kind(inner, &v);
        if (!strcmp(ck, "sval")) {
            bool has_typmod = strcmp(t.base, t.label) != 0 && !t.array;
            if (has_typmod) {
                sql_put_literal(b, cJSON_IsString(v) ? v->valuestring : "");
                strbuf_printf(b, "::%s", t.text);
            } else {
                literal_as(r, b, cJSON_IsString(v) ? v->valuestring : "", &t);
            }
            return;
        }
    }
    if (kind && !strcmp(kind, "A_ArrayExpr") && t.array) {
        deparse_array_cast(r, b, inner, &t);
        return;
    }
    strbuf_putc(b, '(');
    deparse(r, b, arg);
    strbuf_printf(b, ")::%s", t.text);
}

static void put_name_list(replay *r, strbuf *b, const cJSON *names, bool skip_catalog)
{
    const cJSON *item;
    int i = 0, n = cJSON_GetArraySize(names);
    cJSON_ArrayForEach(item, names)
    {
        const char *s = sql_string_value(item);
        if (!s) {
            strbuf_puts(b, i ? ".*" : "*");
            i++;
            continue;
        }
        /* Functions of pg_catalog and public are on the search_path: PostgreSQL
         * prints them unqualified. */
        if (skip_catalog && i == 0 && n > 1 && (!strcmp(s, "pg_catalog") || !strcmp(s, "public"))) {
            n--;
            continue;
        }
        if (i++)
            strbuf_putc(b, '.');
        strbuf_puts(b, cat_quote_ident(r->c, s));
    }
}

static const char *funccall_nextval_arg(const cJSON *fc)
{
    const cJSON *names = sql_get(fc, "funcname");
    const char *fname = sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
    const cJSON *args = sql_get(fc, "args");
    if (!fname || strcmp(fname, "nextval") != 0 || cJSON_GetArraySize(args) != 1)
        return NULL;
    cJSON *arg;
    const char *ak = sql_node_kind(cJSON_GetArrayItem(args, 0), &arg);
    if (ak && !strcmp(ak, "TypeCast"))
        ak = sql_node_kind(sql_get(arg, "arg"), &arg);
    if (!ak || strcmp(ak, "A_Const") != 0)
        return NULL;
    return sql_get_str(sql_get(arg, "sval"), "sval");
}

const char *cat_nextval_arg(const cJSON *node)
{
    cJSON *fc;
    const char *kind = sql_node_kind(node, &fc);
    if (!kind || strcmp(kind, "FuncCall") != 0)
        return NULL;
    return funccall_nextval_arg(fc);
}

/* nextval('seq') prints its argument as a regclass: the sequence's name,
 * schema-qualified outside public. */
static void put_regclass(replay *r, strbuf *b, const char *text)
{
    const char *dot = strchr(text, '.');
    char *schema = dot ? arena_strndup(r->c->a, text, (size_t)(dot - text)) : NULL;
    const char *name = dot ? dot + 1 : text;
    strbuf lit = STRBUF_INIT;
    if (schema && !cat_is_public(schema))
        strbuf_printf(&lit, "%s.", cat_quote_ident(r->c, schema));
    strbuf_puts(&lit, cat_quote_ident(r->c, name));
    sql_put_literal(b, lit.data);
    strbuf_puts(b, "::regclass");
    strbuf_free(&lit);
}

static bool is_string_const(const cJSON *node, const char **text)
{
    cJSON *e;
    const char *kind = sql_node_kind(node, &e);
    const cJSON *v;
    if (!kind || strcmp(kind, "A_Const") != 0 || strcmp(const_kind(e, &v), "sval") != 0)
        return false;
    *text = cJSON_IsString(v) ? v->valuestring : "";
    return true;
}

/* An untyped string literal where PostgreSQL resolves it to a known type
 * (a text parameter, an operand of ||) prints with that cast. */
static void deparse_typed(replay *r, strbuf *b, const cJSON *node, const char *type)
{
    const char *text;
    if (type && is_string_const(node, &text)) {
        sql_put_literal(b, text);
        strbuf_printf(b, "::%s", type);
    } else {
        deparse(r, b, node);
    }
}

/* The type PostgreSQL gives a string literal passed to fn as argument i:
 * text for the common text functions, none for variadic "any" ones. */
static const char *literal_arg_type(const char *fn, int i, int nargs)
{
    static const char *const untyped[] = {"concat",
                                          "concat_ws",
                                          "format",
                                          "json_build_object",
                                          "jsonb_build_object",
                                          "json_build_array",
                                          "jsonb_build_array",
                                          "coalesce",
                                          "nullif",
                                          "nextval"};
    static const char *const tsconfig[] = {"to_tsvector", "to_tsquery", "plainto_tsquery",
                                           "phraseto_tsquery", "websearch_to_tsquery"};
    for (size_t k = 0; k < sizeof untyped / sizeof *untyped; k++)
        if (!strcmp(fn, untyped[k]))
            return NULL;
    for (size_t k = 0; k < sizeof tsconfig / sizeof *tsconfig; k++)
        if (!strcmp(fn, tsconfig[k]) && i == 0 && nargs == 2)
            return "regconfig";
    return "text";
}

/* Functions the grammar turns SQL syntax into: printed back as that syntax. */
static bool deparse_sql_syntax(replay *r, strbuf *b, const char *fn, const cJSON *args)
{
    int n = cJSON_GetArraySize(args);
    const cJSON *a0 = cJSON_GetArrayItem(args, 0), *a1 = cJSON_GetArrayItem(args, 1);
    const char *field;
    if (!strcmp(fn, "timezone") && n == 2) {
        strbuf_putc(b, '(');
        deparse(r, b, a1);
        strbuf_puts(b, " AT TIME ZONE ");
        deparse_typed(r, b, a0, "text");
        strbuf_putc(b, ')');
        return true;
    }
    if (!strcmp(fn, "extract") && n == 2 && is_string_const(a0, &field)) {
        strbuf_printf(b, "EXTRACT(%s FROM ", field);
        deparse(r, b, a1);
        strbuf_putc(b, ')');
        return true;
    }
    return false;
}

/* The only function of the catalog named by names that takes n arguments,
 * or NULL (none, several, or a built-in one). */
static const cat_function *only_function(replay *r, const cJSON *names, int n)
{
    const char *schema, *name;
    if (!name_list_split(names, &schema, &name))
        return NULL;
    const cat_function *found = NULL;
    for (size_t i = 0; i < r->c->nfunctions; i++) {
        const cat_function *fn = r->c->functions[i];
        int nargs = fn->args[0] ? 1 : 0;
        for (const char *p = fn->args; (p = strchr(p, ',')); p++)
            nargs++;
        if (nargs != n || strcmp(fn->name, name) ||
            strcmp(fn->schema, cat_schema_or_public(schema)))
            continue;
        if (found)
            return NULL;
        found = fn;
    }
    return found;
}

/* Argument i of a call to fn, a cast to the type fn takes there: PostgreSQL
 * adds that cast itself when the argument has another type, and stores the
 * call the same way with or without it; so does this rendering. Returns
 * the node to print: the cast's argument when the cast is redundant. */
static const cJSON *without_implicit_cast(replay *r, const cat_function *fn, int i,
                                          const cJSON *item)
{
    cJSON *tc;
    const char *kind = sql_node_kind(item, &tc);
    if (!fn || !kind || strcmp(kind, "TypeCast") != 0)
        return item;
    const char *p = fn->args;
    for (int k = 0; k < i && p; k++) {
        p = strchr(p, ',');
        p = p ? p + 2 : NULL;
    }
    if (!p)
        return item;
    size_t len = strcspn(p, ",");
    cat_typeinfo t;
    replay quiet = *r;
    quiet.conflict = NULL;
    if (!cat_type_resolve(&quiet, sql_get(tc, "typeName"), &t) || !t.text ||
        strlen(t.text) != len || strncmp(t.text, p, len) != 0)
        return item;
    /* A string constant cast to the type is not the same call unadorned. */
    cJSON *inner;
    const char *ik = sql_node_kind(sql_get(tc, "arg"), &inner);
    return ik && !strcmp(ik, "A_Const") ? item : sql_get(tc, "arg");
}

static void deparse_func(replay *r, strbuf *b, const cJSON *fc)
{
    const char *nv = funccall_nextval_arg(fc);
    const cJSON *names = sql_get(fc, "funcname"), *args = sql_get(fc, "args");
    const char *fn = sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
    const char *format = sql_get_str(fc, "funcformat");
    fn = fn ? fn : "";
    if (format && !strcmp(format, "COERCE_SQL_SYNTAX") && deparse_sql_syntax(r, b, fn, args))
        return;
    put_name_list(r, b, names, true);
    strbuf_putc(b, '(');
    if (nv) {
        put_regclass(r, b, nv);
    } else if (sql_get_bool(fc, "agg_star")) {
        strbuf_putc(b, '*');
    } else {
        if (sql_get_bool(fc, "agg_distinct"))
            strbuf_puts(b, "DISTINCT ");
        const cJSON *item;
        int i = 0, n = cJSON_GetArraySize(args);
        const cat_function *user = only_function(r, names, n);
        cJSON_ArrayForEach(item, args)
        {
            if (i)
                strbuf_puts(b, ", ");
            const cJSON *arg = without_implicit_cast(r, user, i, item);
            deparse_typed(r, b, arg, literal_arg_type(fn, i++, n));
        }
    }
    strbuf_putc(b, ')');
}

static const char *op_name(const cJSON *a_expr)
{
    const cJSON *names = sql_get(a_expr, "name");
    const char *op = sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
    return op ? op : "?";
}

static void put_array_of(replay *r, strbuf *b, const cJSON *list)
{
    strbuf_puts(b, "(ARRAY[");
    put_list(r, b, sql_get(sql_get(list, "List"), "items"));
    strbuf_puts(b, "])");
}

static void deparse_a_expr(replay *r, strbuf *b, const cJSON *e)
{
    const char *kind = sql_get_str(e, "kind");
    const char *op = op_name(e);
    const cJSON *l = sql_get(e, "lexpr"), *rx = sql_get(e, "rexpr");
    kind = kind ? kind : "AEXPR_OP";
    const cJSON *in_list = sql_get(sql_get(rx, "List"), "items");
    if (!strcmp(kind, "AEXPR_IN") && cJSON_GetArraySize(in_list) == 1) {
        /* x IN (1) is parsed as x = 1 (NOT IN: <>). */
        strbuf_putc(b, '(');
        deparse(r, b, l);
        strbuf_printf(b, " %s ", op);
        deparse(r, b, cJSON_GetArrayItem(in_list, 0));
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "AEXPR_IN")) {
        strbuf_putc(b, '(');
        deparse(r, b, l);
        strbuf_printf(b, " %s %s ", op, strcmp(op, "=") ? "ALL" : "ANY");
        put_array_of(r, b, rx);
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "AEXPR_BETWEEN") || !strcmp(kind, "AEXPR_NOT_BETWEEN")) {
        bool not = !strcmp(kind, "AEXPR_NOT_BETWEEN");
        const cJSON *items = sql_get(sql_get(rx, "List"), "items");
        strbuf_puts(b, "((");
        deparse(r, b, l);
        strbuf_puts(b, not ? " < " : " >= ");
        deparse(r, b, cJSON_GetArrayItem(items, 0));
        strbuf_puts(b, not ? ") OR (" : ") AND (");
        deparse(r, b, l);
        strbuf_puts(b, not ? " > " : " <= ");
        deparse(r, b, cJSON_GetArrayItem(items, 1));
        strbuf_puts(b, "))");
    } else if (!strcmp(kind, "AEXPR_NULLIF")) {
        strbuf_puts(b, "NULLIF(");
        deparse(r, b, l);
        strbuf_puts(b, ", ");
        deparse(r, b, rx);
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "AEXPR_DISTINCT") || !strcmp(kind, "AEXPR_NOT_DISTINCT")) {
        strbuf_putc(b, '(');
        deparse(r, b, l);
        strbuf_puts(b, !strcmp(kind, "AEXPR_DISTINCT") ? " IS DISTINCT FROM "
                                                       : " IS NOT DISTINCT FROM ");
        deparse(r, b, rx);
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "AEXPR_OP_ANY") || !strcmp(kind, "AEXPR_OP_ALL")) {
        strbuf_putc(b, '(');
        deparse(r, b, l);
        strbuf_printf(b, " %s %s (", op, !strcmp(kind, "AEXPR_OP_ANY") ? "ANY" : "ALL");
        deparse(r, b, rx);
        strbuf_puts(b, "))");
    } else {
        /* AEXPR_OP, LIKE, ILIKE, SIMILAR: the operator's own name (~~, ~~*). */
        const char *concat = !strcmp(op, "||") ? "text" : NULL;
        strbuf_putc(b, '(');
        if (l) {
            deparse_typed(r, b, l, concat);
            strbuf_putc(b, ' ');
        }
        strbuf_puts(b, op);
        strbuf_putc(b, ' ');
        deparse_typed(r, b, rx, concat);
        strbuf_putc(b, ')');
    }
}

static void deparse_bool(replay *r, strbuf *b, const cJSON *e)
{
    const char *op = sql_get_str(e, "boolop");
    const cJSON *args = sql_get(e, "args"), *item;
    if (op && !strcmp(op, "NOT_EXPR")) {
        strbuf_puts(b, "(NOT ");
        deparse(r, b, cJSON_GetArrayItem(args, 0));
        strbuf_putc(b, ')');
        return;
    }
    const char *word = op && !strcmp(op, "OR_EXPR") ? " OR " : " AND ";
    int i = 0;
    strbuf_putc(b, '(');
    cJSON_ArrayForEach(item, args)
    {
        if (i++)
            strbuf_puts(b, word);
        deparse(r, b, item);
    }
    strbuf_putc(b, ')');
}

static const char *svf_name(const char *op)
{
    static const struct {
        const char *op, *text;
    } names[] = {
        {"SVFOP_CURRENT_DATE", "CURRENT_DATE"},
        {"SVFOP_CURRENT_TIME", "CURRENT_TIME"},
        {"SVFOP_CURRENT_TIME_N", "CURRENT_TIME"},
        {"SVFOP_CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
        {"SVFOP_CURRENT_TIMESTAMP_N", "CURRENT_TIMESTAMP"},
        {"SVFOP_LOCALTIME", "LOCALTIME"},
        {"SVFOP_LOCALTIME_N", "LOCALTIME"},
        {"SVFOP_LOCALTIMESTAMP", "LOCALTIMESTAMP"},
        {"SVFOP_LOCALTIMESTAMP_N", "LOCALTIMESTAMP"},
        {"SVFOP_CURRENT_ROLE", "CURRENT_ROLE"},
        {"SVFOP_CURRENT_USER", "CURRENT_USER"},
        {"SVFOP_USER", "USER"},
        {"SVFOP_SESSION_USER", "SESSION_USER"},
        {"SVFOP_CURRENT_CATALOG", "CURRENT_CATALOG"},
        {"SVFOP_CURRENT_SCHEMA", "CURRENT_SCHEMA"},
    };
    for (size_t i = 0; op && i < sizeof names / sizeof *names; i++)
        if (!strcmp(names[i].op, op))
            return names[i].text;
    return "CURRENT_TIMESTAMP";
}

static void deparse_case(replay *r, strbuf *b, const cJSON *e)
{
    const cJSON *item;
    strbuf_puts(b, "CASE");
    if (sql_get(e, "arg")) {
        strbuf_putc(b, ' ');
        deparse(r, b, sql_get(e, "arg"));
    }
    cJSON_ArrayForEach(item, sql_get(e, "args"))
    {
        const cJSON *w = sql_get(item, "CaseWhen");
        strbuf_puts(b, " WHEN ");
        deparse(r, b, sql_get(w, "expr"));
        strbuf_puts(b, " THEN ");
        deparse(r, b, sql_get(w, "result"));
    }
    if (sql_get(e, "defresult")) {
        strbuf_puts(b, " ELSE ");
        deparse(r, b, sql_get(e, "defresult"));
    }
    strbuf_puts(b, " END");
}

static void deparse_test(strbuf *b, const char *type)
{
    static const struct {
        const char *t, *text;
    } tests[] = {
        {"IS_NULL", " IS NULL)"},       {"IS_NOT_NULL", " IS NOT NULL)"},
        {"IS_TRUE", " IS TRUE)"},       {"IS_NOT_TRUE", " IS NOT TRUE)"},
        {"IS_FALSE", " IS FALSE)"},     {"IS_NOT_FALSE", " IS NOT FALSE)"},
        {"IS_UNKNOWN", " IS UNKNOWN)"}, {"IS_NOT_UNKNOWN", " IS NOT UNKNOWN)"},
    };
    for (size_t i = 0; type && i < sizeof tests / sizeof *tests; i++) {
        if (!strcmp(tests[i].t, type)) {
            strbuf_puts(b, tests[i].text);
            return;
        }
    }
    strbuf_puts(b, " IS NULL)");
}

static void deparse(replay *r, strbuf *b, const cJSON *node)
{
    cJSON *e;
    const char *kind = sql_node_kind(node, &e);
    if (!kind) {
        strbuf_puts(b, "NULL");
    } else if (!strcmp(kind, "A_Const")) {
        deparse_const(r, b, e);
    } else if (!strcmp(kind, "TypeCast")) {
        deparse_typecast(r, b, e);
    } else if (!strcmp(kind, "ColumnRef")) {
        put_name_list(r, b, sql_get(e, "fields"), false);
    } else if (!strcmp(kind, "FuncCall")) {
        deparse_func(r, b, e);
    } else if (!strcmp(kind, "A_Expr")) {
        deparse_a_expr(r, b, e);
    } else if (!strcmp(kind, "BoolExpr")) {
        deparse_bool(r, b, e);
    } else if (!strcmp(kind, "NullTest")) {
        strbuf_putc(b, '(');
        deparse(r, b, sql_get(e, "arg"));
        deparse_test(b, sql_get_str(e, "nulltesttype"));
    } else if (!strcmp(kind, "BooleanTest")) {
        strbuf_putc(b, '(');
        deparse(r, b, sql_get(e, "arg"));
        deparse_test(b, sql_get_str(e, "booltesttype"));
    } else if (!strcmp(kind, "SQLValueFunction")) {
        int typmod = sql_get_int(e, "typmod", -1);
        strbuf_puts(b, svf_name(sql_get_str(e, "op")));
        if (typmod >= 0)
            strbuf_printf(b, "(%d)", typmod);
    } else if (!strcmp(kind, "CoalesceExpr")) {
        strbuf_puts(b, "COALESCE(");
        put_list(r, b, sql_get(e, "args"));
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "MinMaxExpr")) {
        const char *op = sql_get_str(e, "op");
        strbuf_puts(b, op && !strcmp(op, "IS_LEAST") ? "LEAST(" : "GREATEST(");
        put_list(r, b, sql_get(e, "args"));
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "CaseExpr")) {
        deparse_case(r, b, e);
    } else if (!strcmp(kind, "A_ArrayExpr")) {
        strbuf_puts(b, "ARRAY[");
        put_list(r, b, sql_get(e, "elements"));
        strbuf_putc(b, ']');
    } else if (!strcmp(kind, "RowExpr")) {
        strbuf_puts(b, "ROW(");
        put_list(r, b, sql_get(e, "args"));
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "CollateClause")) {
        strbuf_putc(b, '(');
        deparse(r, b, sql_get(e, "arg"));
        strbuf_puts(b, " COLLATE ");
        put_name_list(r, b, sql_get(e, "collname"), false);
        strbuf_putc(b, ')');
    } else if (!strcmp(kind, "ParamRef")) {
        strbuf_printf(b, "$%d", sql_get_int(e, "number", 0));
    } else if (!strcmp(kind, "A_Indirection")) {
        strbuf_putc(b, '(');
        deparse(r, b, sql_get(e, "arg"));
        strbuf_putc(b, ')');
        const cJSON *ind;
        cJSON_ArrayForEach(ind, sql_get(e, "indirection"))
        {
            const char *f = sql_string_value(ind);
            if (f) {
                strbuf_printf(b, ".%s", cat_quote_ident(r->c, f));
            } else {
                strbuf_putc(b, '[');
                deparse(r, b, sql_get(sql_get(ind, "A_Indices"), "uidx"));
                strbuf_putc(b, ']');
            }
        }
    } else if (!strcmp(kind, "SubLink")) {
        strbuf_puts(b, "(SELECT ...)");
    } else if (!strcmp(kind, "MysqlExpr")) { /* src/mysql: already in MySQL's spelling */
        strbuf_puts(b, sql_get_str(e, "text"));
    } else {
        strbuf_printf(b, "<%s>", kind);
    }
}

char *cat_deparse(replay *r, const cJSON *node)
{
    strbuf b = STRBUF_INIT;
    deparse(r, &b, node);
    char *out = arena_strdup(r->c->a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}

char *cat_deparse_default(replay *r, const cJSON *node, const cat_typeinfo *type)
{
    cJSON *e;
    const char *kind = sql_node_kind(node, &e);
    if (kind && !strcmp(kind, "A_Const")) {
        const cJSON *v;
        const char *ck = const_kind(e, &v);
        if (!strcmp(ck, "isnull"))
            return NULL; /* PostgreSQL stores no default for DEFAULT NULL */
        if (!strcmp(ck, "sval")) {
            strbuf b = STRBUF_INIT;
            literal_as(r, &b, cJSON_IsString(v) ? v->valuestring : "", type);
            char *out = arena_strdup(r->c->a, b.data);
            strbuf_free(&b);
            return out;
        }
    }
    return cat_deparse(r, node);
}
