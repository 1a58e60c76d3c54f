/* missing-statement-timeout (opt-in): the first statement of a migration
 * that holds a lock blocking writes (SHARE or stronger: a non-concurrent
 * index build, most ALTER TABLE forms, VACUUM FULL, CLUSTER, REFRESH
 * MATERIALIZED VIEW...) on an existing table, with no `SET
 * statement_timeout` before it. On production data such a statement can run
 * for far longer than it did on staging, and nothing stops it while the
 * table is blocked. CONCURRENTLY statements are left alone on purpose: a
 * timeout there leaves an INVALID index behind. One finding per file. */
#include "rule.h"

/* From missing_lock_timeout.c (the lock classifier both rules share). */
const char *rulelock_mode_name(int mode);
const char *rulelock_blocks(int mode);
int rulelock_unguarded(lint_ctx *ctx, const sql_stmt *s, const char *setting, int min_mode,
                       const char **table);

#define LOCK_SHARE 5 /* PostgreSQL's ShareLock */

/* "an ACCESS EXCLUSIVE lock", "a SHARE lock" */
static const char *article(const char *mode)
{
    return mode[0] == 'A' || mode[0] == 'E' ? "an" : "a";
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *table = NULL;
    int mode = rulelock_unguarded(ctx, s, "statement_timeout", LOCK_SHARE, &table);
    if (mode == 0)
        return;
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "missing-statement-timeout", at.start, at.end,
                          "this statement holds %s %s lock on %s (blocking every %s) for as long "
                          "as it runs, with no statement_timeout set to bound it",
                          article(rulelock_mode_name(mode)), rulelock_mode_name(mode), table,
                          rulelock_blocks(mode));
    lint_help(ctx, d,
              "start the migration with SET statement_timeout = '...' sized for this table (SET "
              "LOCAL inside a transaction); leave it at 0 around CREATE INDEX CONCURRENTLY, "
              "which a timeout leaves behind as an INVALID index");
}

/* Every statement: SET and transaction statements move the guard. */
const rule rule_missing_statement_timeout = {
    .id = "missing-statement-timeout", .kinds = NULL, .check = check};
