/* transaction-nesting: BEGIN (or START TRANSACTION) while a transaction is
 * already open, by an earlier BEGIN or by the migration framework. PostgreSQL
 * only warns ("there is already a transaction in progress") and ignores it;
 * the first COMMIT then ends the outer transaction too, so the statements
 * after it run outside any transaction and a later failure leaves the
 * migration half applied. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *kind = sql_get_str(s->node, "kind");
    if (!is(kind, "TRANS_STMT_BEGIN") && !is(kind, "TRANS_STMT_START"))
        return;
    if (!lint_in_transaction(ctx))
        return;
    const char *why = lint_transaction_reason(ctx);
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "transaction-nesting", at.start, at.end,
                          "BEGIN inside an open transaction: PostgreSQL ignores it with a "
                          "warning, and the first COMMIT ends the outer transaction too; the "
                          "outer transaction: %s",
                          why ? why : "already open");
    lint_help(ctx, d,
              "remove the inner BEGIN and its COMMIT (use SAVEPOINT for a nested scope), or let "
              "the migration framework run this migration without its own transaction");
}

const rule rule_transaction_nesting = {
    .id = "transaction-nesting", .kinds = "TransactionStmt", .check = check};
