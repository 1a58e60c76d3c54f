/* add-column-not-null-no-default: ALTER TABLE ... ADD COLUMN ... NOT NULL
 * (or PRIMARY KEY) without a DEFAULT on an existing table. PostgreSQL fills
 * the new column with NULL in every existing row, so the statement fails
 * ("column ... contains null values") as soon as the table has a row: the
 * migration passes on an empty development database and breaks the deploy in
 * production. Identity, serial and generated columns get values and are not
 * this rule. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool is_serial(const cJSON *type_name)
{
    static const char *const serials[] = {"serial",      "serial2",   "serial4", "serial8",
                                          "smallserial", "bigserial", NULL};
    const cJSON *names = sql_get(type_name, "names");
    if (cJSON_GetArraySize(names) != 1)
        return false;
    const char *t = sql_string_value(cJSON_GetArrayItem(names, 0));
    for (const char *const *p = serials; *p; p++)
        if (is(t, *p))
            return true;
    return false;
}

/* The NOT NULL or PRIMARY KEY constraint that makes the column required, or
 * NULL when the column is nullable or gets a value for existing rows. */
static const cJSON *required_without_value(const cJSON *coldef)
{
    if (is_serial(sql_get(coldef, "typeName")))
        return NULL;
    const cJSON *item, *required = NULL;
    cJSON_ArrayForEach(item, sql_get(coldef, "constraints"))
    {
        const cJSON *c = sql_get(item, "Constraint");
        const char *type = sql_get_str(c, "contype");
        if (is(type, "CONSTR_DEFAULT") || is(type, "CONSTR_IDENTITY") ||
            is(type, "CONSTR_GENERATED"))
            return NULL;
        if (!required && (is(type, "CONSTR_NOTNULL") || is(type, "CONSTR_PRIMARY")))
            required = c;
    }
    return required;
}

static void check_column(lint_ctx *ctx, const sql_stmt *s, const char *table, const cJSON *coldef)
{
    const cJSON *c = required_without_value(coldef);
    if (!c || sql_location(c) < 0)
        return;
    const char *col = sql_get_str(coldef, "colname");
    bool pk = is(sql_get_str(c, "contype"), "CONSTR_PRIMARY");
    size_t start = (size_t)sql_location(c);
    lint_span last = lint_find_keyword(ctx, s, start, pk ? "key" : "null");
    diag *d = lint_report(ctx, "add-column-not-null-no-default", start,
                          last.end > start ? last.end : start,
                          "adding column %s.%s as %s without a DEFAULT fails as soon as %s has a "
                          "row (existing rows would hold NULL); until it fails it holds an ACCESS "
                          "EXCLUSIVE lock on %s, blocking every read and write",
                          table, col, pk ? "PRIMARY KEY" : "NOT NULL", table, table);
    lint_help(ctx, d,
              "give it a constant DEFAULT (no table rewrite since PostgreSQL 11), or add it "
              "nullable, backfill it in batches, then add CHECK (%s IS NOT NULL) NOT VALID, "
              "VALIDATE CONSTRAINT and SET NOT NULL",
              col);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!is(sql_get_str(s->node, "objtype"), "OBJECT_TABLE") || lint_rangevar_is_new(ctx, rel))
        return;
    const char *table = NULL;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        if (!is(sql_get_str(cmd, "subtype"), "AT_AddColumn"))
            continue;
        if (!table)
            table = sql_rangevar_name(lint_arena(ctx), rel);
        check_column(ctx, s, table, sql_get(sql_get(cmd, "def"), "ColumnDef"));
    }
}

const rule rule_add_column_not_null_no_default = {
    .id = "add-column-not-null-no-default", .kinds = "AlterTableStmt", .check = check};
