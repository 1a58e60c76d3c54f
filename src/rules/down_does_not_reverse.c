/* down-does-not-reverse: the catalog replays the up step and then the down
 * step; whatever the two leave different from the schema before the up step
 * is reported at the down step. A rollback that leaves a table behind, or
 * brings a column back with another type, fails the next deploy or corrupts
 * data quietly. */
#include "rule.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    /* An empty down step is empty-down's finding, not a list of everything. */
    if (!m || !mig->down_linted || !m->down.src || mig->down_parse_error ||
        mig->down_statements == 0 || m->up_partial || m->down_partial)
        return;
    for (size_t i = 0; i < mig->nnot_reversed; i++) {
        diag *d = lint_report_at(ctx, "down-does-not-reverse", m->down.src, m->down.start,
                                 m->down.start, "after up and down, %s", mig->not_reversed[i]);
        lint_help(ctx, d,
                  "make the down step undo exactly what the up step does, so a rollback leaves "
                  "the schema as it was before the migration");
    }
}

const rule rule_down_does_not_reverse = {.id = "down-does-not-reverse",
                                         .check_migration = check_migration};
