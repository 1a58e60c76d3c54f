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
/* ---- the rule ---- */
static void check_column(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const char *col,
                         const cJSON *type_name)
{
    if (!is(lint_builtin_type(type_name), "bpchar") || sql_location(type_name) < 0)
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(type_name));
    diag *d = lint_report(ctx, "ban-char", at.start, at.end,
                          "column %s.%s is char(n): values are blank-padded to the length, and "
                          "trailing blanks are ignored in comparisons and lost on cast to text",
                          table, col ? col : "?");
    lint_help(ctx, d, "use text (or varchar), with a CHECK on the length if it matters");
}
static void check(lint_ctx *ctx, const sql_stmt *s)
{
    lint_each_declared_column(ctx, s, check_column);
}

const rule rule_ban_char = {.id = "ban-char", .kinds = "CreateStmt AlterTableStmt", .check = check};
