/* do_block.c - the schema changes inside a DO block, read with PL/pgSQL's
 * own parser (libpg_query's pg_query_parse_plpgsql). Migrations wrap DDL in
 * DO blocks to make it idempotent; drizzle-kit and many hand-written
 * migrations write:
 *
 *   DO $$ BEGIN
 *    ALTER TABLE "a" ADD CONSTRAINT ... FOREIGN KEY ...;
 *   EXCEPTION
 *    WHEN duplicate_object THEN null;
 *   END $$;
 *
 *   DO $$ BEGIN
 *    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
 *      CREATE TYPE mood AS ENUM ('sad', 'ok');
 *    END IF;
 *   END $$;
 *
 * Plain SQL statements of the block are applied, and so are those of an IF
 * whose condition is NOT EXISTS over the system catalogs (pg_*,
 * information_schema) and names what the branch creates: the branch runs
 * exactly when the object is missing, and applying a CREATE of an object
 * that exists changes nothing. Likewise an IF EXISTS over the catalogs
 * whose branch alters or drops what it names (measure's `IF EXISTS (...
 * pg_constraint WHERE conname = 'c') THEN ALTER TABLE t DROP CONSTRAINT c`,
 * fider's SET NOT NULL when information_schema lists the column): the
 * branch runs exactly when the object exists, and on an object the replay
 * lacks its statements change nothing. Such a query may also be kept in a
 * variable first (`v := (SELECT EXISTS (...))`, then `IF NOT v`). Of an IF
 * one branch of which only raises an error, the other branch is followed:
 * a migration that succeeds did not raise. Everything is applied without conflicts,
 * since the block exists to tolerate them. Other IF branches, loops,
 * EXECUTE of a string built at run time and exception handlers' own statements are not followed:
 * what the replay cannot tell it does not guess.
 * An IF EXISTS (or EXISTS ... AND EXISTS ...) over information_schema.tables
 * / columns with `key = 'value'` conditions (table_schema, table_name,
 * column_name, is_nullable) is also answered from the replayed catalog, and
 * its branch applied when true; EXECUTE of a string literal is that SQL. */
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct guard_var guard_var;

typedef struct do_ctx {
    replay *r;
    const char *text; /* the DO statement's text, NUL-terminated */
    size_t cursor;    /* where the next query text is searched from */
    /* Variables assigned a query over the catalogs (`found := (SELECT
     * EXISTS (... pg_index ...))`), read later by an IF. */
    guard_var *vars;
    size_t nvars;
    bool partial; /* a statement of the block was not followed */
} do_ctx;

static void walk_list(do_ctx *x, const cJSON *list);

/* The parse tree of one piece of SQL, or NULL. */
static cJSON *parse_sql(const char *sql)
{
    PgQueryParseResult res = pg_query_parse(sql);
    cJSON *tree = res.error || !res.parse_tree ? NULL : sql_json_parse(res.parse_tree);
    pg_query_free_parse_result(res);
    return tree;
}

/* The byte offset of the query text q in the statement, searched from the
 * cursor (PL/pgSQL keeps each query's text verbatim); -1 when not found. */
static long locate(do_ctx *x, const char *q)
{
    const char *at = q && *q ? strstr(x->text + x->cursor, q) : NULL;
    if (!at)
        return -1;
    x->cursor = (size_t)(at - x->text) + strlen(q);
    return at - x->text;
}

static sql_file *parse_at(do_ctx *x, long offset, size_t len)
{
    size_t start = x->r->s->start + (size_t)offset;
    return sql_file_parse(x->r->f->src, start, start + len);
}

static void apply_query(do_ctx *x, const char *q)
{
    long at = locate(x, q);
    if (at < 0) {
        x->partial = true;
        return;
    }
    sql_file *f = parse_at(x, at, strlen(q));
    for (size_t i = 0; f && i < f->nstmts; i++) {
        sql_file_hold(f, i); /* a body over 64 KiB keeps a window of trees at a time */
        const sql_stmt *s = &f->stmts[i];
        if (s->parse_error || !s->kind || !strcmp(s->kind, "TransactionStmt"))
            break;
        catalog_apply(x->r->c, f, s, NULL, NULL);
    }
    if (f)
        sql_file_free(f);
}

static const char *expr_query(const cJSON *expr)
{
    return sql_get_str(sql_get(expr, "PLpgSQL_expr"), "query");
}

/* The SQL of EXECUTE 'literal' (quotes undoubled), or NULL when the
 * statement is built at run time. */
static char *dynamic_sql(arena *a, const cJSON *dynexecute)
{
    const char *q = expr_query(sql_get(dynexecute, "query"));
    if (!q || sql_get(dynexecute, "params"))
        return NULL;
    cJSON *tree = parse_sql(arena_printf(a, "SELECT %s", q));
    const cJSON *stmt =
        sql_get(sql_get(cJSON_GetArrayItem(sql_get(tree, "stmts"), 0), "stmt"), "SelectStmt");
    const cJSON *val =
        sql_get(sql_get(cJSON_GetArrayItem(sql_get(stmt, "targetList"), 0), "ResTarget"), "val");
    const char *lit = sql_get_str(sql_get(sql_get(val, "A_Const"), "sval"), "sval");
    char *out =
        lit && cJSON_GetArraySize(sql_get(stmt, "targetList")) == 1 ? arena_strdup(a, lit) : NULL;
    cJSON_Delete(tree);
    return out;
}

/* EXECUTE 'CREATE TYPE "Theme" AS ENUM (''dark'', ''light'')' (linkwarden):
 * the literal's SQL, applied with every position at the literal. */
static void apply_dynamic(do_ctx *x, const cJSON *dynexecute)
{
    const source *host = x->r->f->src;
    char *sql = host->host ? NULL : dynamic_sql(x->r->c->a, dynexecute);
    long at = sql ? locate(x, expr_query(sql_get(dynexecute, "query"))) : -1;
    if (at < 0) {
        x->partial = true; /* a string built at run time: not followed */
        return;
    }
    source_seg seg = {0, x->r->s->start + (size_t)at, strlen(sql), 1};
    source *src = source_new_virtual(x->r->c->a, host, sql, strlen(sql), &seg, 1);
    sql_file *f = sql_file_parse(src, 0, strlen(sql));
    for (size_t i = 0; f && i < f->nstmts; i++) {
        sql_file_hold(f, i); /* a body over 64 KiB keeps a window of trees at a time */
        const sql_stmt *st = &f->stmts[i];
        if (st->parse_error || !st->kind || !strcmp(st->kind, "TransactionStmt"))
            break;
        catalog_apply(x->r->c, f, st, NULL, NULL);
    }
    if (f)
        sql_file_free(f);
}

/* ---- IF NOT EXISTS (SELECT ... FROM pg_type WHERE typname = 'x') ---- */

typedef struct guard {
    bool catalog; /* reads pg_* or information_schema */
    bool negated; /* NOT EXISTS (...) at the top */
    bool exists;  /* EXISTS (...), or EXISTS (...) AND EXISTS (...): nothing negated */
    int truth;    /* that condition in the replayed catalog: 1, 0, -1 not known */
    const char **literals;
    size_t nliterals;
    arena *a;
} guard;

struct guard_var {
    const char *name;
    guard g;
};

static void guard_walk(guard *g, const cJSON *node)
{
    if (cJSON_IsArray(node) || cJSON_IsObject(node)) {
        const cJSON *rv = sql_get(node, "RangeVar");
        if (rv) {
            const char *schema = sql_get_str(rv, "schemaname"), *name = sql_get_str(rv, "relname");
            if ((schema &&
                 (!strcmp(schema, "information_schema") || !strcmp(schema, "pg_catalog"))) ||
                (name && !strncmp(name, "pg_", 3)))
                g->catalog = true;
        }
        const char *sval = sql_get_str(sql_get(node, "sval"), "sval");
        if (sval) {
            const char *dot = strrchr(sval, '.');
            /* Copied: the tree goes before the literals are compared. */
            CAT_PUSH(g->a, g->literals, g->nliterals, arena_strdup(g->a, dot ? dot + 1 : sval));
        }
        const cJSON *child;
        cJSON_ArrayForEach(child, node)
        {
            guard_walk(g, child);
        }
    }
}

static bool is_exists(const cJSON *node)
{
    const char *type = sql_get_str(sql_get(node, "SubLink"), "subLinkType");
    return type && !strcmp(type, "EXISTS_SUBLINK");
}

/* The `key = 'value'` conditions of an information_schema query. */
typedef struct is_query {
    const char *rel, *schema, *table, *column, *nullable;
} is_query;

static bool is_condition(is_query *q, const cJSON *expr)
{
    const cJSON *e = sql_get(expr, "A_Expr");
    const cJSON *fields = sql_get(sql_get(sql_get(e, "lexpr"), "ColumnRef"), "fields");
    const char *key = sql_string_value(cJSON_GetArrayItem(fields, cJSON_GetArraySize(fields) - 1));
    const char *val = sql_get_str(sql_get(sql_get(sql_get(e, "rexpr"), "A_Const"), "sval"), "sval");
    const char *op = sql_string_value(cJSON_GetArrayItem(sql_get(e, "name"), 0));
    if (!key || !val || !op || strcmp(op, "=") != 0)
        return false;
    const char **slot = !strcmp(key, "table_schema")  ? &q->schema
                        : !strcmp(key, "table_name")  ? &q->table
                        : !strcmp(key, "column_name") ? &q->column
                        : !strcmp(key, "is_nullable") ? &q->nullable
                                                      : NULL;
    if (slot)
        *slot = val;
    return slot != NULL;
}

/* EXISTS (SELECT ... FROM information_schema.tables | columns WHERE
 * table_name = 'a' [AND column_name = 'b'] [AND is_nullable = 'NO']) in
 * the replayed catalog: 1, 0, or -1 for any other query. */
static int exists_truth(const catalog *c, const cJSON *sublink)
{
    const cJSON *sel = sql_get(sql_get(sql_get(sublink, "SubLink"), "subselect"), "SelectStmt");
    const cJSON *from = sql_get(sel, "fromClause");
    const cJSON *rv = sql_get(cJSON_GetArrayItem(from, 0), "RangeVar");
    is_query q = {.rel = sql_get_str(rv, "relname")};
    const char *rs = sql_get_str(rv, "schemaname");
    if (cJSON_GetArraySize(from) != 1 || !q.rel || (rs && strcmp(rs, "information_schema")) ||
        (strcmp(q.rel, "tables") && strcmp(q.rel, "columns")))
        return -1;
    const cJSON *where = sql_get(sel, "whereClause"), *be = sql_get(where, "BoolExpr"), *arg;
    const char *boolop = sql_get_str(be, "boolop");
    if (be ? !boolop || strcmp(boolop, "AND_EXPR") : !is_condition(&q, where))
        return -1;
    const cJSON *args = be ? sql_get(be, "args") : NULL;
    cJSON_ArrayForEach(arg, args)
    {
        if (!is_condition(&q, arg))
            return -1;
    }
    if (!q.table || ((q.column || q.nullable) && strcmp(q.rel, "columns")))
        return -1;
    const cat_table *t = cat_table_get(c, q.schema, q.table);
    if (!t)
        return 0;
    if (!q.column)
        return q.nullable ? -1 : 1;
    const cat_column *col = cat_table_find_column(t, q.column);
    if (!col || !q.nullable)
        return col != NULL;
    return !strcmp(q.nullable, "NO") == col->not_null;
}

/* Reads the IF condition as the SELECT PL/pgSQL makes of it. */
static bool guard_read(do_ctx *x, const char *cond, guard *g)
{
    long at = locate(x, cond);
    if (at < 0)
        return false;
    char *sql = arena_printf(x->r->c->a, "SELECT %s", cond);
    cJSON *tree = parse_sql(sql);
    if (!tree)
        return false;
    const cJSON *stmt =
        sql_get(sql_get(cJSON_GetArrayItem(sql_get(tree, "stmts"), 0), "stmt"), "SelectStmt");
    const cJSON *val =
        sql_get(sql_get(cJSON_GetArrayItem(sql_get(stmt, "targetList"), 0), "ResTarget"), "val");
    const cJSON *bexpr = sql_get(val, "BoolExpr");
    const char *op = sql_get_str(bexpr, "boolop");
    const cJSON *arg = cJSON_GetArrayItem(sql_get(bexpr, "args"), 0);
    g->negated = op && !strcmp(op, "NOT_EXPR") && sql_get(arg, "SubLink");
    g->exists = (!bexpr && is_exists(val)) || (op && !strcmp(op, "AND_EXPR"));
    const cJSON *each;
    g->truth = g->exists && !bexpr ? exists_truth(x->r->c, val) : -1;
    if (op && !strcmp(op, "AND_EXPR")) {
        g->truth = 1;
        cJSON_ArrayForEach(each, sql_get(bexpr, "args"))
        {
            g->exists &= is_exists(each);
            int t = g->exists ? exists_truth(x->r->c, each) : -1;
            g->truth = t < 0 || g->truth < 0 ? -1 : g->truth && t;
        }
    }
    g->a = x->r->c->a;
    guard_walk(g, val);
    cJSON_Delete(tree);
    return true;
}

/* The names a statement creates: a type, domain, function, table, index,
 * constraint, column, trigger. */
static void created_names(const cJSON *node, const char ***out, size_t *n, arena *a)
{
    if (!cJSON_IsArray(node) && !cJSON_IsObject(node))
        return;
    static const char *const keys[] = {"conname",    "colname",  "idxname",    "relname",
                                       "schemaname", "trigname", "policy_name"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = sql_get_str(node, keys[k]);
        if (v)
            CAT_PUSH(a, *out, *n, arena_strdup(a, v));
    }
    /* what a DROP names: DROP TABLE "project", DROP TYPE mood */
    const cJSON *objects = sql_get(sql_get(node, "DropStmt"), "objects"), *obj;
    cJSON_ArrayForEach(obj, objects)
    {
        const cJSON *items = sql_get(sql_get(obj, "List"), "items");
        const char *last = sql_string_value(
            items ? cJSON_GetArrayItem(items, cJSON_GetArraySize(items) - 1) : obj);
        if (last)
            CAT_PUSH(a, *out, *n, arena_strdup(a, last));
    }
    static const char *const lists[] = {"typeName", "funcname", "domainname"};
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
        const cJSON *names = sql_get(node, lists[k]);
        if (!cJSON_IsArray(names))
            continue;
        const char *last =
            sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
        if (last)
            CAT_PUSH(a, *out, *n, arena_strdup(a, last));
    }
    const cJSON *child;
    cJSON_ArrayForEach(child, node)
    {
        created_names(child, out, n, a);
    }
}

/* Does the guard name one of the objects the branch's statements create
 * (those of nested IFs and blocks included)? */
static bool guard_matches(do_ctx *x, const guard *g, const cJSON *then_body)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, then_body)
    {
        const cJSON *nested = sql_get(item, "PLpgSQL_stmt_if");
        if (nested && (guard_matches(x, g, sql_get(nested, "then_body")) ||
                       guard_matches(x, g, sql_get(nested, "else_body"))))
            return true;
        nested = sql_get(item, "PLpgSQL_stmt_block");
        if (nested && guard_matches(x, g, sql_get(nested, "body")))
            return true;
        const char *q = expr_query(sql_get(sql_get(item, "PLpgSQL_stmt_execsql"), "sqlstmt"));
        if (!q && sql_get(item, "PLpgSQL_stmt_dynexecute"))
            q = dynamic_sql(x->r->c->a, sql_get(item, "PLpgSQL_stmt_dynexecute"));
        cJSON *tree = q ? parse_sql(q) : NULL;
        const char **names = NULL;
        size_t n = 0;
        if (tree)
            created_names(tree, &names, &n, x->r->c->a);
        cJSON_Delete(tree);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < g->nliterals; k++)
                if (!strcmp(names[i], g->literals[k]))
                    return true;
    }
    return false;
}

/* `v := <query over the catalogs>`: kept for an IF that reads v. */
static void note_assign(do_ctx *x, const cJSON *stmt)
{
    const char *q = expr_query(sql_get(stmt, "expr"));
    const char *op = q ? strstr(q, ":=") : NULL;
    guard g = {0};
    if (!op || !guard_read(x, op + 2, &g) || !g.catalog)
        return;
    size_t n = (size_t)(op - q);
    while (n > 0 && (q[n - 1] == ' ' || q[n - 1] == '\t'))
        n--;
    guard_var v = {arena_strndup(x->r->c->a, q, n), g};
    CAT_PUSH(x->r->c->a, x->vars, x->nvars, v);
}

/* IF v / IF NOT v, v assigned a query over the catalogs: that query's guard. */
static bool var_guard(do_ctx *x, const char *cond, guard *g)
{
    char *sql = cond ? arena_printf(x->r->c->a, "SELECT %s", cond) : NULL;
    cJSON *tree = sql ? parse_sql(sql) : NULL;
    const cJSON *stmt =
        sql_get(sql_get(cJSON_GetArrayItem(sql_get(tree, "stmts"), 0), "stmt"), "SelectStmt");
    const cJSON *val =
        sql_get(sql_get(cJSON_GetArrayItem(sql_get(stmt, "targetList"), 0), "ResTarget"), "val");
    const cJSON *not = sql_get(val, "BoolExpr");
    const char *op = sql_get_str(not, "boolop");
    if (op && !strcmp(op, "NOT_EXPR"))
        val = cJSON_GetArrayItem(sql_get(not, "args"), 0);
    else if (not )
        val = NULL;
    const cJSON *fields = sql_get(sql_get(val, "ColumnRef"), "fields");
    const char *name =
        cJSON_GetArraySize(fields) == 1 ? sql_string_value(cJSON_GetArrayItem(fields, 0)) : NULL;
    bool found = false;
    for (size_t i = x->nvars; name && i-- > 0 && !found;) {
        if (strcmp(x->vars[i].name, name) != 0)
            continue;
        *g = x->vars[i].g;
        g->negated = not != NULL;
        g->exists = not == NULL;
        found = true;
    }
    cJSON_Delete(tree);
    if (found)
        locate(x, cond);
    return found;
}

/* A branch that only raises an error: when the migration succeeds, the
 * other branch ran (cratesio: `IF (SELECT COUNT(*) ...) > 1000 THEN RAISE
 * EXCEPTION '...'; ELSE <the DDL>; END IF`). */
static bool only_raises(const cJSON *body)
{
    const cJSON *item;
    size_t n = 0;
    cJSON_ArrayForEach(item, body)
    {
        const cJSON *raise = sql_get(item, "PLpgSQL_stmt_raise");
        if (!raise || sql_get_int(raise, "elog_level", 0) < 21) /* ERROR */
            return false;
        n++;
    }
    return n > 0;
}

static void walk_if(do_ctx *x, const cJSON *stmt)
{
    guard g = {.truth = -1};
    const cJSON *then_body = sql_get(stmt, "then_body"), *else_body = sql_get(stmt, "else_body");
    const char *cond = expr_query(sql_get(stmt, "cond"));
    if (sql_get(stmt, "elsif_list"))
        return;
    if (only_raises(then_body))
        walk_list(x, else_body);
    else if (only_raises(else_body))
        walk_list(x, then_body);
    /* An IF EXISTS the replayed catalog can answer (IF EXISTS (SELECT FROM
     * information_schema.columns WHERE table_name = 'chat_message' AND
     * column_name = 'attachments') THEN ... DROP COLUMN) is followed when it
     * holds; any other guard over the catalogs when its branch names what
     * the condition asks about. What is not followed leaves the block
     * partly replayed. */
    else if (var_guard(x, cond, &g) ||
             (guard_read(x, cond, &g) && g.catalog && (g.negated || g.exists))) {
        bool answered = g.exists && g.truth >= 0;
        if (answered ? g.truth == 1 && !else_body : guard_matches(x, &g, then_body))
            walk_list(x, then_body);
        else if (!answered || else_body)
            x->partial = true;
    } else
        x->partial = true;
}

static void walk_stmt(do_ctx *x, const cJSON *item)
{
    const cJSON *s;
    if ((s = sql_get(item, "PLpgSQL_stmt_block")))
        walk_list(x, sql_get(s, "body"));
    else if ((s = sql_get(item, "PLpgSQL_stmt_execsql")))
        apply_query(x, expr_query(sql_get(s, "sqlstmt")));
    else if ((s = sql_get(item, "PLpgSQL_stmt_if")))
        walk_if(x, s);
    else if ((s = sql_get(item, "PLpgSQL_stmt_assign")))
        note_assign(x, s);
    else if ((s = sql_get(item, "PLpgSQL_stmt_dynexecute")))
        apply_dynamic(x, s);
    else if (!sql_get(item, "PLpgSQL_stmt_raise") && !sql_get(item, "PLpgSQL_stmt_return"))
        x->partial = true; /* loops, PERFORM...; the RETURN is PL/pgSQL's own */
}

static void walk_list(do_ctx *x, const cJSON *list)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        walk_stmt(x, item);
    }
}

void rp_do(replay *r)
{
    if (!r->f || !r->f->src || r->s->end <= r->s->start)
        return;
    /* A block in another language (LANGUAGE plpython3u) is not PL/pgSQL. */
    const char *lang = NULL;
    const cJSON *arg;
    cJSON_ArrayForEach(arg, sql_get(r->s->node, "args"))
    {
        const cJSON *de = sql_get(arg, "DefElem");
        const char *name = sql_get_str(de, "defname");
        if (name && !strcmp(name, "language"))
            lang = sql_string_value(sql_get(de, "arg"));
    }
    if (lang && strcmp(lang, "plpgsql") != 0)
        return;
    char *text = arena_strndup(r->c->a, r->f->src->text + r->s->start, r->s->end - r->s->start);
    PgQueryPlpgsqlParseResult res = pg_query_parse_plpgsql(text);
    cJSON *tree = res.error || !res.plpgsql_funcs ? NULL : sql_json_parse(res.plpgsql_funcs);
    pg_query_free_plpgsql_parse_result(res);
    const cJSON *fn = sql_get(cJSON_GetArrayItem(tree, 0), "PLpgSQL_function");
    do_ctx x = {.r = r, .text = text};
    walk_stmt(&x, sql_get(fn, "action"));
    if (x.partial || !fn)
        r->c->do_partial++;
    cJSON_Delete(tree);
}
