/* mysql-multiple-ddl: an up step with several DDL statements, one of which
 * changes a table that existed before the migration. MySQL commits each DDL
 * statement on its own (BEGIN ... COMMIT around them does nothing), so a
 * failure half-way leaves the earlier ones applied, the migration
 * unrecorded, and a retry that fails on them. Reported once per step, at the
 * first DDL statement at which the step has both more than one DDL
 * statement and a change to an existing table.
 *
 * Stateless and linear: the check walks back from a DDL statement only as
 * far as it takes to know that an earlier statement already met the
 * condition (two DDL statements back, one of them on an existing table). */
#include "mysql_rules.h"

static bool is_ddl(const sql_stmt *s)
{
    return mysql_is_ddl(s) && !mysql_is_part(s);
}

static bool on_existing(lint_ctx *ctx, const sql_stmt *s)
{
    const char *table;
    return mysql_needs_exclusive_mdl(ctx, s, &table);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (lint_in_down(ctx) || !is_ddl(s))
        return;
    bool here = on_existing(ctx, s), before = false;
    size_t earlier = 0;
    const sql_stmt *first = NULL;
    const sql_file *f = lint_file(ctx);
    for (const sql_stmt *p = s; p > f->stmts;) {
        if (!is_ddl(--p))
            continue;
        earlier++;
        first = p;
        before = before || on_existing(ctx, p);
        /* Met at an earlier statement already, or cannot be met first here. */
        if (earlier >= 2 && (before || !here))
            return;
    }
    if (earlier == 0 || !(before || here))
        return;
    lint_span at = lint_stmt_head(ctx, s), head = lint_stmt_head(ctx, first);
    diag *d = lint_report(ctx, "mysql-multiple-ddl", at.start, at.end,
                          "DDL statement %zu of this migration, %s a table that already exists: "
                          "MySQL commits each DDL statement on its own, so if one fails the ones "
                          "before it stay applied, the migration is not recorded as done, and "
                          "running it again fails on them",
                          earlier + 1, here ? "which changes" : "after one that changes");
    lint_related(ctx, d, NULL, head.start, head.end,
                 "the first DDL statement, committed on its own");
    lint_help(ctx, d,
              "put the changes to one table into one ALTER TABLE (MySQL applies it as a whole) "
              "and changes to other tables into migrations of their own, or make every "
              "statement safe to run again (IF [NOT] EXISTS)");
}

const rule rule_mysql_multiple_ddl = {
    .id = "mysql-multiple-ddl", .kinds = NULL, .check = check, .dialects = RULE_MYSQL};
