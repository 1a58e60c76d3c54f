/* truncate-table: TRUNCATE deletes every row at once under an ACCESS
 * EXCLUSIVE lock; in a migration it wipes production data. */
#include "mysql_rules.h"
#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_truncate_table(ctx, s);
        return;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "relations"))
    {
        const cJSON *rv = sql_get(item, "RangeVar");
        if (!rv || lint_rangevar_is_new(ctx, rv))
            continue;
        char *name = sql_rangevar_name(lint_arena(ctx), rv);
        lint_span at = lint_name_at(ctx, s, (size_t)sql_location(rv));
        diag *d = lint_report(ctx, "truncate-table", at.start, at.end,
                              "truncating table %s deletes all its rows under an ACCESS EXCLUSIVE "
                              "lock that blocks reads and writes",
                              name);
        lint_help(ctx, d,
                  "delete the rows you mean to remove with a WHERE clause, in batches; if the "
                  "whole table must go, archive it and drop it once code no longer uses it");
    }
}

const rule rule_truncate_table = {
    .id = "truncate-table", .kinds = "TruncateStmt", .check = check, .dialects = RULE_ALL_DIALECTS};
