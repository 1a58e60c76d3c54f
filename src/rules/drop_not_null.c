/* drop-not-null: ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL on an
 * existing table. The change itself is instant, but it widens the column's
 * contract: code deployed today (and readers such as reports, exports and
 * other services) assumes the column is never NULL, and breaks on the first
 * row written with NULL by the new code. */
#include <string.h>

#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (lint_rangevar_is_new(ctx, rel))
        return;
    lint_span relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
    int i = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const char *col = sql_get_str(cmd, "name");
        if (sub && col && !strcmp(sub, "AT_DropNotNull")) {
            const char *table = sql_rangevar_name(lint_arena(ctx), rel);
            lint_span part = lint_subcommand(ctx, s, relname.end, i);
            lint_span at = lint_find_name(ctx, s, part.start, col);
            diag *d = lint_report(ctx, "drop-not-null", at.start, at.end,
                                  "dropping NOT NULL on %s.%s: code that assumes %s is never "
                                  "NULL breaks on the first NULL the new code writes",
                                  table, col, col);
            lint_help(ctx, d,
                      "make every reader of %s.%s handle NULL and deploy that first; drop the "
                      "NOT NULL in a later migration",
                      table, col);
        }
        i++;
    }
}

const rule rule_drop_not_null = {.id = "drop-not-null", .kinds = "AlterTableStmt", .check = check};
