/* rename-column: ALTER TABLE ... RENAME COLUMN on an existing table. Queries
 * and ORM models that use the old name fail as soon as it commits. */
#include <string.h>

#include "mysql_rules.h"
#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_rename_column(ctx, s);
        return;
    }
    const char *type = sql_get_str(s->node, "renameType");
    const cJSON *rel = sql_get(s->node, "relation");
    const char *col = sql_get_str(s->node, "subname");
    if (!type || strcmp(type, "OBJECT_COLUMN") != 0 || !rel || !col)
        return;
    if (lint_rangevar_is_new(ctx, rel))
        return;
    char *table = sql_rangevar_name(lint_arena(ctx), rel);
    const char *new_name = sql_get_str(s->node, "newname");
    lint_span relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
    lint_span at = lint_find_name(ctx, s, relname.end, col);
    diag *d = lint_report(ctx, "rename-column", at.start, at.end, "renaming column %s.%s to %s",
                          table, col, new_name ? new_name : "?");
    lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"), col,
                        false, LINT_DEP_CHANGE);
    lint_help(ctx, d,
              "add %s as a new column, write to both and backfill, move reads to it, then drop "
              "%s.%s in a later migration",
              new_name ? new_name : "the new column", table, col);
}

const rule rule_rename_column = {
    .id = "rename-column", .kinds = "RenameStmt", .check = check, .dialects = RULE_ALL_DIALECTS};
