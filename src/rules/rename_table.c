/* rename-table: ALTER TABLE ... RENAME TO on an existing table (or view).
 * Code deployed before the migration keeps using the old name and fails
 * until every instance runs the new code. */
#include <string.h>

#include "mysql_rules.h"
#include "rule.h"

static const char *renamed_kind(const char *type)
{
    if (!strcmp(type, "OBJECT_TABLE"))
        return "table";
    if (!strcmp(type, "OBJECT_VIEW"))
        return "view";
    if (!strcmp(type, "OBJECT_MATVIEW"))
        return "materialized view";
    return NULL;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_rename_table(ctx, s);
        return;
    }
    const char *type = sql_get_str(s->node, "renameType");
    const char *what = type ? renamed_kind(type) : NULL;
    const cJSON *rel = sql_get(s->node, "relation");
    if (!what || !rel || lint_rangevar_is_new(ctx, rel))
        return;
    char *old = sql_rangevar_name(lint_arena(ctx), rel);
    const char *new_name = sql_get_str(s->node, "newname");
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(rel));
    diag *d = lint_report(ctx, "rename-table", at.start, at.end, "renaming %s %s to %s", what, old,
                          new_name ? new_name : "?");
    lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"), NULL,
                        false, LINT_DEP_CHANGE);
    lint_help(ctx, d,
              "create the new %s, write to both and backfill, switch reads, then drop %s later; "
              "or rename and leave a view named %s behind until old code is gone",
              what, old, old);
}

const rule rule_rename_table = {
    .id = "rename-table", .kinds = "RenameStmt", .check = check, .dialects = RULE_ALL_DIALECTS};
