/* requires-newer-postgres: syntax the target PostgreSQL does not have yet.
 * migralint parses with PostgreSQL 17's grammar, so MERGE parses even when
 * production runs 14, where the migration then fails. Each construct below
 * is recognized in the parse tree (never in the text) and carries the major
 * version that introduced it, from the release notes:
 *   14  CREATE OR REPLACE TRIGGER; DETACH PARTITION ... CONCURRENTLY and
 *       FINALIZE; a column's COMPRESSION; SQL-standard function bodies
 *       (BEGIN ATOMIC, RETURN); SEARCH and CYCLE in recursive WITH;
 *   15  MERGE; UNIQUE ... NULLS NOT DISTINCT; ON DELETE SET NULL/DEFAULT
 *       (columns); views WITH (security_invoker);
 *   16  a subquery in FROM without an alias; the SQL/JSON constructors
 *       JSON_OBJECT, JSON_ARRAY, JSON_OBJECTAGG, JSON_ARRAYAGG and IS JSON;
 *       SYSTEM_USER; GRANT role ... WITH INHERIT / SET; hexadecimal, octal
 *       and binary integers and '_' in numbers (0x1F, 1_000);
 *   17  JSON_TABLE; JSON_QUERY, JSON_VALUE, JSON_EXISTS, JSON(),
 *       JSON_SCALAR, JSON_SERIALIZE; MERGE ... RETURNING and WHEN NOT
 *       MATCHED BY SOURCE; ALTER COLUMN ... SET EXPRESSION. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rule.h"

typedef struct feature {
    int since;
    const char *what;    /* printf format, one %s: the object, or "" */
    const char *instead; /* what works on older servers */
} feature;

enum {
    F_OR_REPLACE_TRIGGER,
    F_DETACH_CONCURRENTLY,
    F_DETACH_FINALIZE,
    F_COMPRESSION,
    F_SQL_BODY,
    F_SEARCH_CYCLE,
    F_MERGE,
    F_NULLS_NOT_DISTINCT,
    F_FK_SET_COLUMNS,
    F_SECURITY_INVOKER,
    F_SUBQUERY_NO_ALIAS,
    F_SQL_JSON_CONSTRUCTOR,
    F_IS_JSON,
    F_SYSTEM_USER,
    F_GRANT_INHERIT_SET,
    F_NUMBER_LITERAL,
    F_JSON_TABLE,
    F_SQL_JSON_QUERY,
    F_MERGE_RETURNING,
    F_MERGE_BY_SOURCE,
    F_SET_EXPRESSION,
};

static const feature features[] = {
    [F_OR_REPLACE_TRIGGER] = {14, "CREATE OR REPLACE TRIGGER%s",
                              "DROP TRIGGER IF EXISTS, then CREATE TRIGGER, in one transaction"},
    [F_DETACH_CONCURRENTLY] = {14, "DETACH PARTITION %s CONCURRENTLY",
                               "a plain DETACH PARTITION, with a short lock_timeout"},
    [F_DETACH_FINALIZE] = {14, "DETACH PARTITION %s FINALIZE",
                           "a plain DETACH PARTITION, with a short lock_timeout"},
    [F_COMPRESSION] = {14, "the COMPRESSION of column %s",
                       "leave it out: the server's default compression (pglz) applies"},
    [F_SQL_BODY] = {14, "the SQL-standard body (BEGIN ATOMIC or RETURN) of function %s",
                    "a quoted body: AS $$ ... $$"},
    [F_SEARCH_CYCLE] = {14, "SEARCH or CYCLE in recursive WITH query %s",
                        "track the path or the depth in a column of the recursive query"},
    [F_MERGE] = {15, "MERGE into %s",
                 "INSERT ... ON CONFLICT, or an UPDATE and an INSERT ... WHERE NOT EXISTS"},
    [F_NULLS_NOT_DISTINCT] = {15, "NULLS NOT DISTINCT%s",
                              "a unique index on COALESCE(column, <a value that never occurs>)"},
    [F_FK_SET_COLUMNS] = {15, "a column list in ON DELETE SET NULL/SET DEFAULT%s",
                          "ON DELETE SET NULL without a column list, or a trigger"},
    [F_SECURITY_INVOKER] = {15, "security_invoker on view %s",
                            "a view without it (it runs with its owner's rights), or a "
                            "SECURITY INVOKER function"},
    [F_SUBQUERY_NO_ALIAS] = {16, "a subquery in FROM without an alias%s",
                             "give it an alias: FROM (SELECT ...) AS sub"},
    [F_SQL_JSON_CONSTRUCTOR] = {16, "the SQL/JSON constructor %s",
                                "json_build_object, json_build_array, json_agg or json_object_agg"},
    [F_IS_JSON] = {16, "IS JSON%s", "a function that tries a cast to json and catches the error"},
    [F_SYSTEM_USER] = {16, "SYSTEM_USER%s", "session_user or current_user"},
    [F_GRANT_INHERIT_SET] = {16, "GRANT ... WITH %s",
                             "a plain GRANT, or the role's INHERIT attribute"},
    [F_NUMBER_LITERAL] = {16, "the number %s", "a plain decimal number"},
    [F_JSON_TABLE] = {17, "JSON_TABLE%s", "jsonb_to_recordset or jsonb_array_elements"},
    [F_SQL_JSON_QUERY] = {17, "the SQL/JSON function %s",
                          "the jsonb operators and functions (->, ->>, jsonb_path_query, "
                          "jsonb_path_exists)"},
    [F_MERGE_RETURNING] = {17, "MERGE ... RETURNING%s",
                           "INSERT ... ON CONFLICT ... RETURNING, or a query after the MERGE"},
    [F_MERGE_BY_SOURCE] = {17, "WHEN NOT MATCHED BY SOURCE in MERGE%s",
                           "a DELETE or UPDATE ... WHERE NOT EXISTS after the MERGE"},
    [F_SET_EXPRESSION] = {17, "SET EXPRESSION on generated column %s",
                          "drop the generated column and add it again with the new expression"},
};

static void report(lint_ctx *ctx, lint_span at, int f, const char *object)
{
    const feature *ft = &features[f];
    int target = lint_pg_version(ctx);
    if (ft->since <= target)
        return;
    char what[512];
    snprintf(what, sizeof what, ft->what, object ? object : "");
    diag *d =
        lint_report(ctx, "requires-newer-postgres", at.start, at.end,
                    "%s needs PostgreSQL %d; the target is PostgreSQL %d", what, ft->since, target);
    lint_help(ctx, d,
              "on PostgreSQL %d use %s; if production already runs PostgreSQL %d or newer, "
              "raise the target (the target comes from %s; set \"pgVersion\" or --pg-version)",
              target, ft->instead, ft->since, lint_pg_version_why(ctx));
}

/* ---- where ---- */

/* The token at (or just after) an absolute offset. */
static lint_span token_span(const lint_ctx *ctx, const sql_stmt *s, long offset)
{
    const sql_file *f = lint_file(ctx);
    size_t i = offset < 0 ? s->first_token : sql_token_at(f, s, (size_t)offset);
    if (i >= s->first_token + s->ntokens)
        return lint_stmt_head(ctx, s);
    return (lint_span){f->tokens[i].start, f->tokens[i].end};
}

/* The first run of the given words (keywords or names, in order, comments
 * skipped) at or after `from`, as one span; the statement head if none. */
static lint_span find_words(const lint_ctx *ctx, const sql_stmt *s, size_t from,
                            const char *const *words)
{
    const sql_file *f = lint_file(ctx);
    size_t end = s->first_token + s->ntokens;
    for (size_t i = sql_token_at(f, s, from); i < end; i++) {
        size_t j = i, w = 0;
        for (; words[w] && j < end; j++) {
            if (f->tokens[j].kind == SQL_TOK_COMMENT || f->tokens[j].kind == SQL_TOK_BLOCK_COMMENT)
                continue;
            if (!sql_token_is(f, j, words[w]))
                break;
            w++;
        }
        if (!words[w])
            return (lint_span){f->tokens[i].start, f->tokens[j - 1].end};
    }
    return lint_stmt_head(ctx, s);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The smallest location inside a node, or -1: where a subquery's text
 * starts, near enough to walk back to its '('. */
static long first_location(const cJSON *node)
{
    long best = -1;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        long v = -1;
        if (cJSON_IsNumber(c) && c->string && !strcmp(c->string, "location"))
            v = (long)c->valuedouble;
        else if (cJSON_IsObject(c) || cJSON_IsArray(c))
            v = first_location(c);
        if (v >= 0 && (best < 0 || v < best))
            best = v;
    }
    return best;
}

/* The '(' that opens a FROM subquery: the nearest one before its SELECT,
 * VALUES, WITH or TABLE keyword, itself found back from its first location. */
static lint_span subquery_paren(const lint_ctx *ctx, const sql_stmt *s, const cJSON *sub)
{
    const sql_file *f = lint_file(ctx);
    long loc = first_location(sub);
    size_t i = loc < 0 ? s->first_token + s->ntokens : sql_token_at(f, s, (size_t)loc);
    bool seen_head = false;
    while (i > s->first_token) {
        i--;
        if (!seen_head)
            seen_head = sql_token_is(f, i, "select") || sql_token_is(f, i, "values") ||
                        sql_token_is(f, i, "with") || sql_token_is(f, i, "table");
        else if (f->tokens[i].pg_token == '(')
            return (lint_span){f->tokens[i].start, f->tokens[i].end};
    }
    return lint_stmt_head(ctx, s);
}

/* ---- what ---- */

static bool is(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static const char *of(const lint_ctx *ctx, const char *fmt, const char *name)
{
    return name ? arena_printf(lint_arena(ctx), fmt, name) : "";
}

/* 0x1F, 0o17, 0b101 and 1_000 are PostgreSQL 16 literals; the parse tree
 * holds only their value, so the token at the constant says how it was
 * written. */
static void check_number(lint_ctx *ctx, const sql_stmt *s, const cJSON *aconst)
{
    if (!sql_get(aconst, "ival") && !sql_get(aconst, "fval"))
        return;
    const sql_file *f = lint_file(ctx);
    long loc = sql_location(aconst);
    if (loc < 0)
        return;
    size_t i = sql_token_at(f, s, (size_t)loc), end = s->first_token + s->ntokens;
    if (i < end && (f->tokens[i].pg_token == '-' || f->tokens[i].pg_token == '+'))
        i++;
    if (i >= end)
        return;
    const char *t = f->src->text + f->tokens[i].start;
    size_t n = f->tokens[i].end - f->tokens[i].start;
    bool prefixed = n > 2 && t[0] == '0' && strchr("xXoObB", t[1]);
    if (prefixed || memchr(t, '_', n))
        report(ctx, (lint_span){f->tokens[i].start, f->tokens[i].end}, F_NUMBER_LITERAL,
               arena_strndup(lint_arena(ctx), t, n));
}

static const char *json_ctor_name(const char *kind)
{
    static const char *const names[][2] = {{"JsonObjectConstructor", "JSON_OBJECT"},
                                           {"JsonArrayConstructor", "JSON_ARRAY"},
                                           {"JsonArrayQueryConstructor", "JSON_ARRAY"},
                                           {"JsonObjectAgg", "JSON_OBJECTAGG"},
                                           {"JsonArrayAgg", "JSON_ARRAYAGG"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(kind, names[i][0]))
            return names[i][1];
    return NULL;
}

static const char *json_query_name(const char *kind, const cJSON *node)
{
    const char *op = sql_get_str(node, "op");
    if (!strcmp(kind, "JsonFuncExpr"))
        return is(op, "JSON_QUERY_OP")    ? "JSON_QUERY"
               : is(op, "JSON_VALUE_OP")  ? "JSON_VALUE"
               : is(op, "JSON_EXISTS_OP") ? "JSON_EXISTS"
                                          : "JSON_TABLE";
    return !strcmp(kind, "JsonParseExpr")       ? "JSON"
           : !strcmp(kind, "JsonScalarExpr")    ? "JSON_SCALAR"
           : !strcmp(kind, "JsonSerializeExpr") ? "JSON_SERIALIZE"
                                                : NULL;
}

/* An aggregate's location is in its constructor part. */
static long json_location(const cJSON *node)
{
    long loc = sql_location(node);
    return loc >= 0 ? loc : sql_location(sql_get(node, "constructor"));
}

static bool is_system_user(const cJSON *call)
{
    const cJSON *names = sql_get(call, "funcname");
    return cJSON_GetArraySize(names) == 2 &&
           is(sql_string_value(cJSON_GetArrayItem(names, 0)), "pg_catalog") &&
           is(sql_string_value(cJSON_GetArrayItem(names, 1)), "system_user") &&
           is(sql_get_str(call, "funcformat"), "COERCE_SQL_SYNTAX");
}

/* " in constraint c", else " in a constraint of table t". */
static const char *constraint_of(const lint_ctx *ctx, const sql_stmt *s, const cJSON *c)
{
    const char *name = sql_get_str(c, "conname");
    if (name)
        return of(ctx, " in constraint %s", name);
    const cJSON *rel = sql_get(s->node, "relation");
    return rel ? of(ctx, " in a constraint of %s", sql_rangevar_name(lint_arena(ctx), rel)) : "";
}

static void check_constraint(lint_ctx *ctx, const sql_stmt *s, const cJSON *c)
{
    long loc = sql_location(c);
    size_t from = loc < 0 ? s->start : (size_t)loc;
    if (sql_get_bool(c, "nulls_not_distinct"))
        report(ctx, find_words(ctx, s, from, WORDS("nulls", "not", "distinct")),
               F_NULLS_NOT_DISTINCT, constraint_of(ctx, s, c));
    if (sql_get(c, "fk_del_set_cols"))
        report(ctx, find_words(ctx, s, from, WORDS("on", "delete", "set")), F_FK_SET_COLUMNS,
               constraint_of(ctx, s, c));
}

/* One node of the tree, by its kind (the key that wraps it). */
static void check_node(lint_ctx *ctx, const sql_stmt *s, const char *kind, const cJSON *node)
{
    const char *name;
    if (!strcmp(kind, "RangeSubselect") && !sql_get(node, "alias"))
        report(ctx, subquery_paren(ctx, s, sql_get(node, "subquery")), F_SUBQUERY_NO_ALIAS, NULL);
    else if ((name = json_ctor_name(kind)))
        report(ctx, token_span(ctx, s, json_location(node)), F_SQL_JSON_CONSTRUCTOR, name);
    else if (!strcmp(kind, "JsonIsPredicate"))
        report(ctx, find_words(ctx, s, (size_t)sql_location(node), WORDS("is")), F_IS_JSON, NULL);
    else if (!strcmp(kind, "JsonTable"))
        report(ctx, token_span(ctx, s, sql_location(node)), F_JSON_TABLE, NULL);
    else if ((name = json_query_name(kind, node)))
        report(ctx, token_span(ctx, s, sql_location(node)), F_SQL_JSON_QUERY, name);
    else if (!strcmp(kind, "FuncCall") && is_system_user(node))
        report(ctx, token_span(ctx, s, sql_location(node)), F_SYSTEM_USER, NULL);
    else if (!strcmp(kind, "A_Const"))
        check_number(ctx, s, node);
    else if (!strcmp(kind, "Constraint"))
        check_constraint(ctx, s, node);
    else if (!strcmp(kind, "ColumnDef") && sql_get_str(node, "compression"))
        report(ctx, find_words(ctx, s, (size_t)sql_location(node), WORDS("compression")),
               F_COMPRESSION, sql_get_str(node, "colname"));
    else if (!strcmp(kind, "CommonTableExpr") &&
             (sql_get(node, "search_clause") || sql_get(node, "cycle_clause"))) {
        long loc = first_location(sql_get(node, "search_clause"));
        if (loc < 0)
            loc = first_location(sql_get(node, "cycle_clause"));
        report(ctx, token_span(ctx, s, loc), F_SEARCH_CYCLE, sql_get_str(node, "ctename"));
    }
}

/* Every node below `node`, depth first. */
static void walk(lint_ctx *ctx, const sql_stmt *s, const cJSON *node)
{
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (cJSON_IsObject(c) && c->string && c->string[0] >= 'A' && c->string[0] <= 'Z')
            check_node(ctx, s, c->string, c);
        if (cJSON_IsObject(c) || cJSON_IsArray(c))
            walk(ctx, s, c);
    }
}

/* ---- statements ---- */

static void check_merge(lint_ctx *ctx, const sql_stmt *s)
{
    const char *target = sql_rangevar_name(lint_arena(ctx), sql_get(s->node, "relation"));
    report(ctx, lint_stmt_head(ctx, s), F_MERGE, target);
    const cJSON *w;
    cJSON_ArrayForEach(w, sql_get(s->node, "mergeWhenClauses"))
    {
        if (is(sql_get_str(sql_get(w, "MergeWhenClause"), "matchKind"),
               "MERGE_WHEN_NOT_MATCHED_BY_SOURCE")) {
            report(ctx, find_words(ctx, s, s->start, WORDS("not", "matched", "by", "source")),
                   F_MERGE_BY_SOURCE, NULL);
            break;
        }
    }
    if (sql_get(s->node, "returningList"))
        report(ctx, find_words(ctx, s, s->start, WORDS("returning")), F_MERGE_RETURNING, NULL);
}

static bool has_security_invoker(const cJSON *options)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, options)
    {
        if (is(sql_get_str(sql_get(o, "DefElem"), "defname"), "security_invoker"))
            return true;
    }
    return false;
}

static long security_invoker_location(const cJSON *options)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, options)
    {
        const cJSON *d = sql_get(o, "DefElem");
        if (is(sql_get_str(d, "defname"), "security_invoker"))
            return sql_location(d);
    }
    return -1;
}

static void check_alter_table(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    bool view = is(sql_get_str(s->node, "objtype"), "OBJECT_VIEW");
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype"), *col = sql_get_str(cmd, "name");
        const cJSON *pc = sql_get(sql_get(cmd, "def"), "PartitionCmd");
        const char *part = pc ? sql_rangevar_name(lint_arena(ctx), sql_get(pc, "name")) : NULL;
        const char *qcol = col ? arena_printf(lint_arena(ctx), "%s.%s", table, col) : table;
        const cJSON *options = sql_get(sql_get(sql_get(cmd, "def"), "List"), "items");
        if (is(sub, "AT_DetachPartition") && sql_get_bool(pc, "concurrent"))
            report(ctx, find_words(ctx, s, s->start, WORDS("concurrently")), F_DETACH_CONCURRENTLY,
                   part);
        else if (is(sub, "AT_DetachPartitionFinalize"))
            report(ctx, find_words(ctx, s, s->start, WORDS("finalize")), F_DETACH_FINALIZE, part);
        else if (is(sub, "AT_SetCompression"))
            report(ctx, find_words(ctx, s, s->start, WORDS("compression")), F_COMPRESSION, qcol);
        else if (is(sub, "AT_SetExpression"))
            report(ctx, find_words(ctx, s, s->start, WORDS("expression")), F_SET_EXPRESSION, qcol);
        else if (view && is(sub, "AT_SetRelOptions") && has_security_invoker(options))
            report(ctx, token_span(ctx, s, security_invoker_location(options)), F_SECURITY_INVOKER,
                   table);
    }
}

static void check_grant_role(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, sql_get(s->node, "opt"))
    {
        const cJSON *d = sql_get(o, "DefElem");
        const char *opt = sql_get_str(d, "defname");
        if (is(opt, "inherit") || is(opt, "set"))
            report(ctx, token_span(ctx, s, sql_location(d)), F_GRANT_INHERIT_SET,
                   is(opt, "set") ? "SET" : "INHERIT");
    }
}

static void check_statement(lint_ctx *ctx, const sql_stmt *s)
{
    const char *k = s->kind;
    const cJSON *n = s->node;
    if (!strcmp(k, "MergeStmt"))
        check_merge(ctx, s);
    else if (!strcmp(k, "CreateTrigStmt") && sql_get_bool(n, "replace"))
        report(ctx, find_words(ctx, s, s->start, WORDS("or", "replace")), F_OR_REPLACE_TRIGGER,
               of(ctx, " %s", sql_get_str(n, "trigname")));
    else if (!strcmp(k, "AlterTableStmt"))
        check_alter_table(ctx, s);
    else if (!strcmp(k, "CreateFunctionStmt") && sql_get(n, "sql_body")) {
        lint_span at = find_words(ctx, s, s->start, WORDS("begin", "atomic"));
        if (at.start == lint_stmt_head(ctx, s).start)
            at = find_words(ctx, s, s->start, WORDS("return"));
        report(ctx, at, F_SQL_BODY, sql_name_list(lint_arena(ctx), sql_get(n, "funcname")));
    } else if (!strcmp(k, "IndexStmt") && sql_get_bool(n, "nulls_not_distinct"))
        report(ctx, find_words(ctx, s, s->start, WORDS("nulls", "not", "distinct")),
               F_NULLS_NOT_DISTINCT, of(ctx, " on index %s", sql_get_str(n, "idxname")));
    else if (!strcmp(k, "ViewStmt") && has_security_invoker(sql_get(n, "options")))
        report(ctx, token_span(ctx, s, security_invoker_location(sql_get(n, "options"))),
               F_SECURITY_INVOKER, sql_rangevar_name(lint_arena(ctx), sql_get(n, "view")));
    else if (!strcmp(k, "GrantRoleStmt"))
        check_grant_role(ctx, s);
}

/* The newest version any feature needs: at or above it nothing can be
 * reported, and the walk is skipped (the default target, 17, costs nothing).
 * Worked out at the first call (the table is constant; rules run on the
 * main thread only), not at every statement. */
static int newest_since(void)
{
    static int newest;
    if (newest)
        return newest;
    int v = 0;
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
        if (features[i].since > v)
            v = features[i].since;
    newest = v;
    return v;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (s->parse_error || !s->node || lint_pg_version(ctx) >= newest_since())
        return;
    check_statement(ctx, s);
    walk(ctx, s, s->node);
}

const rule rule_requires_newer_postgres = {
    .id = "requires-newer-postgres", .kinds = NULL, .check = check};
