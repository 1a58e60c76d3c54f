/* concurrent-in-transaction: CONCURRENTLY operations refuse to run inside a
 * transaction block ("cannot run inside a transaction block"), so the
 * migration fails at this statement. */
#include <string.h>

#include "rule.h"

static bool is_concurrent(const sql_stmt *s, const char **what)
{
    const cJSON *n = s->node;
    if (!strcmp(s->kind, "IndexStmt")) {
        *what = "CREATE INDEX CONCURRENTLY";
        return sql_get_bool(n, "concurrent");
    }
    if (!strcmp(s->kind, "DropStmt")) {
        *what = "DROP INDEX CONCURRENTLY";
        return sql_get_bool(n, "concurrent");
    }
    if (!strcmp(s->kind, "ReindexStmt")) {
        *what = "REINDEX CONCURRENTLY";
        const cJSON *p;
        cJSON_ArrayForEach(p, sql_get(n, "params"))
        {
            const char *name = sql_get_str(sql_get(p, "DefElem"), "defname");
            if (name && !strcmp(name, "concurrently"))
                return true;
        }
        return false;
    }
    *what = "DETACH PARTITION CONCURRENTLY";
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(n, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        if (sub && !strcmp(sub, "AT_DetachPartition") &&
            sql_get_bool(sql_get(sql_get(cmd, "def"), "PartitionCmd"), "concurrent"))
            return true;
    }
    return false;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *what = NULL;
    if (!is_concurrent(s, &what))
        return;
    /* Only then: the reason is printed into the arena. */
    const char *why = lint_transaction_reason(ctx);
    if (!why)
        return;
    lint_span at = lint_find_keyword(ctx, s, s->start, "concurrently");
    diag *d =
        lint_report(ctx, "concurrent-in-transaction", at.start, at.end,
                    "%s cannot run inside a transaction block, and this one is: %s", what, why);
    lint_help(ctx, d,
              "run it in a migration of its own that the framework does not wrap in a "
              "transaction, with no explicit BEGIN around it");
}

const rule rule_concurrent_in_transaction = {.id = "concurrent-in-transaction",
                                             .kinds =
                                                 "IndexStmt DropStmt ReindexStmt AlterTableStmt",
                                             .check = check};
