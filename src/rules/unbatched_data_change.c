/* unbatched-data-change: UPDATE or DELETE without WHERE on an existing
 * table, in a migration. It changes every row in one transaction: each row
 * stays locked against concurrent UPDATE, DELETE and SELECT FOR UPDATE until
 * the migration commits, every row version is written to WAL at once
 * (replicas fall behind), and the dead versions bloat the table until vacuum
 * catches up. On a large table that is minutes of blocked writers. */
#include <string.h>

#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (!rel || sql_get(s->node, "whereClause") || lint_rangevar_is_new(ctx, rel))
        return;
    bool update = strcmp(s->kind, "UpdateStmt") == 0;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "unbatched-data-change", at.start, at.end,
                          "%s without WHERE %s every row of %s in one transaction: each row stays "
                          "locked against concurrent UPDATE and DELETE until the migration "
                          "commits, and every row version goes to WAL at once",
                          update ? "UPDATE" : "DELETE", update ? "rewrites" : "deletes", table);
    lint_help(ctx, d,
              "%s in batches of a few thousand rows by primary key range (WHERE id >= $1 AND id "
              "< $2), each batch in its own transaction, from a script or background job "
              "outside the schema migration",
              update ? "backfill" : "delete");
}

const rule rule_unbatched_data_change = {
    .id = "unbatched-data-change", .kinds = "UpdateStmt DeleteStmt", .check = check};
