/* ban-char (opt-in): char(n) / character(n) columns. Values are padded with
 * blanks to the length, trailing blanks are ignored in comparisons and lost
 * when cast to text, and the type is no faster than text or varchar. */
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
    if (!is(builtin_type(type_name), "bpchar") || sql_location(type_name) < 0)
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(type_name));
    diag *d = lint_report(ctx, "ban-char", at.start, at.end,
                          "column %s.%s is char(n): values are blank-padded to the length, and "
                          "trailing blanks are ignored in comparisons and lost on cast to text",
                          table, col ? col : "?");
    lint_help(ctx, d, "use text (or varchar), with a CHECK on the length if it matters");
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

const rule rule_ban_char = {.id = "ban-char", .kinds = "CreateStmt AlterTableStmt", .check = check};
