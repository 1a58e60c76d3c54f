/* prefer-timestamptz (opt-in): timestamp (without time zone) columns. They
 * store a wall-clock reading with no zone, so one instant reads differently
 * depending on who wrote it, and arithmetic across daylight-saving changes
 * is wrong. timestamptz stores an instant and converts it on display. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The type's internal name ("int4", "varchar", "serial"), or NULL for a type
 * qualified with a schema other than pg_catalog. */
static const char *builtin_type(const cJSON *type_name)
{
    const cJSON *names = sql_get(type_name, "names");
    int n = cJSON_GetArraySize(names);
    if (n < 1 || n > 2 ||
        (n == 2 && !is(sql_string_value(cJSON_GetArrayItem(names, 0)), "pg_catalog")))
        return NULL;
    return sql_string_value(cJSON_GetArrayItem(names, n - 1));
}

/* ---- the rule ---- */
static void check_column(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const char *col,
                         const cJSON *type_name)
{
    if (!is(builtin_type(type_name), "timestamp") || sql_location(type_name) < 0)
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(type_name));
    diag *d = lint_report(ctx, "prefer-timestamptz", at.start, at.end,
                          "column %s.%s is timestamp without time zone: it stores a wall-clock "
                          "reading with no zone, which shifts as soon as a writer's time zone "
                          "differs",
                          table, col ? col : "?");
    lint_help(ctx, d, "use timestamptz (timestamp with time zone): it stores the instant itself");
}
/* ---- every column type a statement declares ---- */

static void check_create(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "tableElts"))
    {
        const cJSON *col = sql_get(item, "ColumnDef");
        if (col)
            check_column(ctx, s, rel, sql_get_str(col, "colname"), sql_get(col, "typeName"));
    }
}

/* ADD COLUMN and ALTER COLUMN ... TYPE. */
static void check_alter(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const cJSON *col = sql_get(sql_get(cmd, "def"), "ColumnDef");
        if (!col || (!is(sub, "AT_AddColumn") && !is(sub, "AT_AlterColumnType")))
            continue;
        const char *name = sql_get_str(col, "colname");
        check_column(ctx, s, rel, name ? name : sql_get_str(cmd, "name"), sql_get(col, "typeName"));
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (!strcmp(s->kind, "CreateStmt"))
        check_create(ctx, s);
    else
        check_alter(ctx, s);
}

const rule rule_prefer_timestamptz = {
    .id = "prefer-timestamptz", .kinds = "CreateStmt AlterTableStmt", .check = check};
