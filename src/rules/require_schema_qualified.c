/* require-schema-qualified (opt-in): a table, view, index or sequence named
 * in DDL without its schema. The name resolves through search_path, which
 * differs between the migration tool's session, psql, roles with their own
 * settings and multi-tenant setups, so the same migration can create or
 * alter a relation in a different schema than intended. Temporary tables are
 * left alone (they live in pg_temp). */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void report(lint_ctx *ctx, lint_span at, const char *name)
{
    diag *d = lint_report(ctx, "require-schema-qualified", at.start, at.end,
                          "%s is not schema-qualified: it resolves through search_path, which "
                          "differs between sessions, roles and tools",
                          name);
    lint_help(ctx, d, "write the schema it belongs in, e.g. public.%s", name);
}

static void check_rv(lint_ctx *ctx, const sql_stmt *s, const cJSON *rv)
{
    const char *name = sql_get_str(rv, "relname");
    if (!name || sql_get_str(rv, "schemaname") || is(sql_get_str(rv, "relpersistence"), "t") ||
        sql_location(rv) < 0)
        return;
    report(ctx, lint_name_at(ctx, s, (size_t)sql_location(rv)), name);
}

/* REFERENCES targets of the column and table constraints in a list. */
static void check_constraint(lint_ctx *ctx, const sql_stmt *s, const cJSON *c)
{
    if (is(sql_get_str(c, "contype"), "CONSTR_FOREIGN"))
        check_rv(ctx, s, sql_get(c, "pktable"));
}

static void check_element(lint_ctx *ctx, const sql_stmt *s, const cJSON *elt)
{
    const cJSON *item;
    check_constraint(ctx, s, sql_get(elt, "Constraint"));
    cJSON_ArrayForEach(item, sql_get(sql_get(elt, "ColumnDef"), "constraints"))
        check_constraint(ctx, s, sql_get(item, "Constraint"));
}

static void check_drop(lint_ctx *ctx, const sql_stmt *s)
{
    static const char *const kinds[] = {
        "OBJECT_TABLE",         "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE",
        "OBJECT_FOREIGN_TABLE", NULL};
    const char *type = sql_get_str(s->node, "removeType");
    bool relation = false;
    for (const char *const *k = kinds; *k; k++)
        relation = relation || is(type, *k);
    if (!relation)
        return;
    size_t cursor = s->start;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const cJSON *items = sql_get(sql_get(obj, "List"), "items");
        const char *name = sql_string_value(cJSON_GetArrayItem(items, 0));
        if (cJSON_GetArraySize(items) != 1 || !name)
            continue;
        lint_span at = lint_find_name(ctx, s, cursor, name);
        if (at.start >= cursor)
            cursor = at.end;
        report(ctx, at, name);
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *n = s->node, *item;
    if (!strcmp(s->kind, "DropStmt")) {
        check_drop(ctx, s);
    } else if (!strcmp(s->kind, "CreateStmt")) {
        check_rv(ctx, s, sql_get(n, "relation"));
        cJSON_ArrayForEach(item, sql_get(n, "tableElts")) check_element(ctx, s, item);
    } else if (!strcmp(s->kind, "AlterTableStmt")) {
        check_rv(ctx, s, sql_get(n, "relation"));
        cJSON_ArrayForEach(item, sql_get(n, "cmds"))
            check_element(ctx, s, sql_get(sql_get(item, "AlterTableCmd"), "def"));
    } else if (!strcmp(s->kind, "TruncateStmt")) {
        cJSON_ArrayForEach(item, sql_get(n, "relations"))
            check_rv(ctx, s, sql_get(item, "RangeVar"));
    } else if (!strcmp(s->kind, "ViewStmt")) {
        check_rv(ctx, s, sql_get(n, "view"));
    } else if (!strcmp(s->kind, "CreateTableAsStmt")) {
        check_rv(ctx, s, sql_get(sql_get(n, "into"), "rel"));
    } else if (!strcmp(s->kind, "CreateSeqStmt") || !strcmp(s->kind, "AlterSeqStmt")) {
        check_rv(ctx, s, sql_get(n, "sequence"));
    } else {
        check_rv(ctx, s, sql_get(n, "relation"));
    }
}

const rule rule_require_schema_qualified = {
    .id = "require-schema-qualified",
    .kinds = "CreateStmt AlterTableStmt IndexStmt DropStmt RenameStmt ViewStmt CreateTableAsStmt "
             "TruncateStmt RefreshMatViewStmt CreateSeqStmt AlterSeqStmt AlterObjectSchemaStmt "
             "CreateTrigStmt",
    .check = check};
