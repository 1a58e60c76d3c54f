/* prefer-text (opt-in): varchar(n) columns. The limit is part of the type,
 * so changing it is an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock
 * (with a rewrite when it shrinks); text with a CHECK on the length stores
 * the same way, and its CHECK can be swapped NOT VALID without blocking. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The type's internal name ("int4", "varchar", "serial"), or NULL for a type
 * qualified with a schema other than pg_catalog. */
/* ---- the rule ---- */
static int first_typmod(const cJSON *type_name)
{
    const cJSON *c = sql_get(cJSON_GetArrayItem(sql_get(type_name, "typmods"), 0), "A_Const");
    return sql_get_int(sql_get(c, "ival"), "ival", -1);
}

static void check_column(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const char *col,
                         const cJSON *type_name)
{
    if (!is(lint_builtin_type(type_name), "varchar") || !sql_get(type_name, "typmods") ||
        sql_location(type_name) < 0)
        return;
    int n = first_typmod(type_name);
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(type_name));
    diag *d = lint_report(ctx, "prefer-text", at.start, at.end,
                          "column %s.%s is varchar(%d): changing the limit later is an ALTER "
                          "COLUMN TYPE under an ACCESS EXCLUSIVE lock",
                          table, col ? col : "?", n);
    lint_help(ctx, d,
              "use text with CHECK (char_length(%s) <= %d); the CHECK can later be replaced "
              "NOT VALID and validated without blocking",
              col ? col : "...", n);
}
static void check(lint_ctx *ctx, const sql_stmt *s)
{
    lint_each_declared_column(ctx, s, check_column);
}

const rule rule_prefer_text = {
    .id = "prefer-text", .kinds = "CreateStmt AlterTableStmt", .check = check};
