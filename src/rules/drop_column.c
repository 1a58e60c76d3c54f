/* drop-column: ALTER TABLE ... DROP COLUMN on an existing table. The drop is
 * instant, but every query, ORM model and prepared statement that still
 * names the column fails until the new code is deployed everywhere. */
#include <string.h>

#include "mysql_rules.h"
#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_drop_column(ctx, s);
        return;
    }
    const cJSON *rel = sql_get(s->node, "relation");
    /* Whether the table is new and its names are worked out at the first
     * DROP COLUMN: most ALTER TABLEs do something else. */
    bool known = false;
    char *table = NULL;
    lint_span name = {0, 0};
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const char *col = sql_get_str(cmd, "name");
        const char *behavior = sql_get_str(cmd, "behavior");
        bool cascade = behavior && strcmp(behavior, "DROP_CASCADE") == 0;
        bool drop = sub && col && strcmp(sub, "AT_DropColumn") == 0;
        if (drop && !known) {
            if (lint_rangevar_is_new(ctx, rel))
                return;
            table = sql_rangevar_name(lint_arena(ctx), rel);
            name = lint_name_at(ctx, s, (size_t)sql_location(rel));
            known = true;
        }
        /* A column known to be gone already drops nothing live. */
        if (drop && !lint_column_known_absent(ctx, rel, col)) {
            lint_span part = lint_subcommand(ctx, s, name.end, i);
            lint_span at = lint_find_name(ctx, s, part.start, col);
            diag *d = lint_report(ctx, "drop-column", at.start, at.end, "dropping column %s.%s",
                                  table, col);
            lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"),
                                col, false, cascade ? LINT_DEP_DROP_CASCADE : LINT_DEP_DROP);
            lint_help(ctx, d,
                      "remove every use of %s.%s from the application and deploy that first; drop "
                      "the column in a later migration (expand/contract)",
                      table, col);
        }
        i++;
    }
}

const rule rule_drop_column = {
    .id = "drop-column", .kinds = "AlterTableStmt", .check = check, .dialects = RULE_ALL_DIALECTS};
