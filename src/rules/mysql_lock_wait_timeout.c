/* mysql_lock_wait_timeout.c - the MySQL half of missing-lock-timeout. Every
 * DDL statement on an existing table needs an exclusive metadata lock, at
 * least for a moment (INSTANT and INPLACE included). It waits behind every
 * open transaction that touched the table, and every new query on the table
 * queues behind it, for lock_wait_timeout seconds: 31536000 (a year) by
 * default in MySQL 8, 86400 in MariaDB. Reported once per file, at the first
 * such statement with no SET [SESSION] lock_wait_timeout before it.
 *
 * Stateless and linear: the check walks back from the statement only to the
 * previous DDL on an existing table or SET lock_wait_timeout, which decides
 * (the earlier statement was reported, or was guarded, with the same guard). */
#include "mysql_rules.h"

/* Was any statement before s an unguarded DDL on an existing table? A full
 * scan, only after a SET lock_wait_timeout = DEFAULT. */
static bool reported_before(lint_ctx *ctx, const sql_stmt *s)
{
    const sql_file *f = lint_file(ctx);
    bool guarded = false;
    for (const sql_stmt *p = f->stmts; p < s; p++) {
        const char *value, *table;
        if (mysql_sets_session(p, "lock_wait_timeout", &value))
            guarded = value != NULL;
        else if (!guarded && mysql_needs_exclusive_mdl(ctx, p, &table))
            return true;
    }
    return false;
}

void mysql_check_missing_lock_timeout(lint_ctx *ctx, const sql_stmt *s)
{
    const char *table;
    if (!mysql_needs_exclusive_mdl(ctx, s, &table))
        return;
    const sql_file *f = lint_file(ctx);
    for (const sql_stmt *p = s; p > f->stmts;) {
        const char *value, *other;
        if (mysql_sets_session(--p, "lock_wait_timeout", &value)) {
            if (value || reported_before(ctx, p))
                return;
            break;
        }
        if (mysql_needs_exclusive_mdl(ctx, p, &other))
            return;
    }
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "missing-lock-timeout", at.start, at.end,
                          "this statement waits for an exclusive metadata lock on %s with "
                          "lock_wait_timeout at its default (31536000 seconds, a year): while it "
                          "waits behind any open transaction on %s, every later query of %s, "
                          "reads included, queues behind it",
                          table, table, table);
    lint_help(ctx, d,
              "start the migration with SET SESSION lock_wait_timeout = 5 so the statement gives "
              "up instead of stalling traffic, and retry the migration (innodb_lock_wait_timeout "
              "is about row locks and does not help)");
}
