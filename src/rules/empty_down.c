/* empty-down: the down step exists but does nothing (only comments, or only
 * the BEGIN/COMMIT of a generated sqitch template). A rollback then reports
 * success while the schema stays as the up step left it. */
#include "rule.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    /* A down step that failed to parse is not empty: parse-error says so. */
    /* A code migration's down step that calls helpers migralint cannot
     * read is not empty either. */
    if (!m || !mig->down_linted || mig->down_statements > 0 || mig->down_parse_error ||
        m->down_partial)
        return;
    diag *d = lint_report_at(ctx, "empty-down", m->down.src, m->down.start, m->down.start,
                             "the down step of migration %s is empty", lint_basename(m->path));
    lint_help(ctx, d,
              "write the statements that undo the up step (DROP what it created, restore what "
              "it changed); if it truly cannot be undone, say so with "
              "`-- migralint-ignore empty-down: reason`");
}

const rule rule_empty_down = {.id = "empty-down", .check_migration = check_migration};
