/* empty-down: the down step exists but does nothing (only comments, or only
 * the BEGIN/COMMIT of a generated sqitch template). A rollback then reports
 * success while the schema stays as the up step left it. An error when the
 * up step then fails to run again; a note when the up step only changes
 * data (a backfill: nothing in the schema to undo). */
#include "rule.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    /* A down step that failed to parse is not empty: parse-error says so. */
    /* A code migration's down step that calls helpers migralint cannot
     * read is not empty either. */
    if (!m || !mig->down_linted || mig->down_statements > 0 || mig->down_parse_error ||
        m->down_partial || lint_up_changes_nothing(mig)) /* ANALYZE: nothing to undo */
        return;
    /* The next deploy after a rollback runs the up step again on the schema
     * it already built. */
    if (mig->nreapply > 0) {
        diag *d = lint_report_at(ctx, "empty-down", m->down.src, m->down.start, m->down.start,
                                 "the down step of migration %s is empty, so re-applying the up "
                                 "step after a rollback fails: %s",
                                 lint_basename(m->path), mig->reapply[0].message);
        if (d && d->level >= LEVEL_WARNING)
            d->level = LEVEL_ERROR;
        lint_related(ctx, d, mig->reapply_src, mig->reapply[0].start, mig->reapply[0].end,
                     "re-applied after the down step, this statement fails: %s",
                     mig->reapply[0].message);
        lint_help(ctx, d, "write the statements that undo the up step (DROP what it created)");
        return;
    }
    /* A backfill has nothing in the schema to undo, and its rows cannot be
     * put back: an empty down step is the honest choice. */
    if (lint_up_only_changes_data(mig)) {
        diag *d = lint_report_at(ctx, "empty-down", m->down.src, m->down.start, m->down.start,
                                 "the down step of migration %s is empty: the data change of its "
                                 "up step is not undone",
                                 lint_basename(m->path));
        if (d && d->level > LEVEL_NOTE)
            d->level = LEVEL_NOTE;
        lint_help(ctx, d,
                  "nothing to do when the data change is safe to keep after a rollback; else "
                  "write the statements that restore the old rows");
        return;
    }
    diag *d = lint_report_at(ctx, "empty-down", m->down.src, m->down.start, m->down.start,
                             "the down step of migration %s is empty", lint_basename(m->path));
    lint_help(ctx, d,
              "write the statements that undo the up step (DROP what it created, restore what "
              "it changed); if it truly cannot be undone, say so with "
              "`-- migralint-ignore empty-down: reason`");
}

const rule rule_empty_down = {
    .id = "empty-down", .check_migration = check_migration, .dialects = RULE_ALL_DIALECTS};
