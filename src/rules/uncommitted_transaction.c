/* uncommitted-transaction: a BEGIN with no COMMIT or ROLLBACK after it in
 * the migration. Whatever the migration did is rolled back when the session
 * closes (and the migration tool may record it as applied anyway), or, while
 * the session stays open, its locks are held and block the tables it
 * touched. Quiet when the framework wraps the migration in its own
 * transaction, which it commits (transaction-nesting reports that BEGIN). */
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
    if (lint_in_transaction(ctx) || lint_transaction_ends_after(ctx, s))
        return;
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "uncommitted-transaction", at.start, at.end,
                          "this transaction is never committed: the migration ends inside it, so "
                          "its changes are rolled back when the session closes, and its locks "
                          "are held until then");
    lint_help(ctx, d, "end the transaction with COMMIT after the migration's last statement");
}

const rule rule_uncommitted_transaction = {
    .id = "uncommitted-transaction", .kinds = "TransactionStmt", .check = check};
