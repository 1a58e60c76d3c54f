/* drop-database: a migration that drops a database destroys everything in it. */
#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *name = sql_get_str(s->node, "dbname");
    if (!name)
        return;
    lint_span at = lint_find_name(ctx, s, s->start, name);
    diag *d = lint_report(ctx, "drop-database", at.start, at.end, "dropping database %s", name);
    lint_help(ctx, d,
              "drop databases by hand, after a backup, outside the migration history; never in a "
              "migration that runs in every environment");
}

const rule rule_drop_database = {.id = "drop-database", .kinds = "DropdbStmt", .check = check};
