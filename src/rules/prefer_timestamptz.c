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
/* ---- the rule ---- */
static void check_column(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const char *col,
                         const cJSON *type_name)
{
    if (!is(lint_builtin_type(type_name), "timestamp") || sql_location(type_name) < 0)
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
static void check(lint_ctx *ctx, const sql_stmt *s)
{
    lint_each_declared_column(ctx, s, check_column);
}

const rule rule_prefer_timestamptz = {
    .id = "prefer-timestamptz", .kinds = "CreateStmt AlterTableStmt", .check = check};
