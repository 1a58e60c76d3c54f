/* migration-out-of-order: a migration new on this branch whose version
 * sorts below the newest version on the base. Environments that already
 * ran the newer one skip it (golang-migrate, Flyway by default) or refuse
 * to migrate (goose, Flyway's validate), so its change never lands there. */
#include "history_util.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const lint_history *h = mig->history;
    if (!h || h->state != MIG_NEW || !h->out_of_order)
        return;
    const source *src = history_src(mig->m);
    if (!src)
        return;
    diag *d = lint_report_at(ctx, "migration-out-of-order", src, 0, 0,
                             "migration %s has version %s, below %s, the newest on the base: "
                             "environments that ran %s will skip or refuse it",
                             lint_basename(mig->m->path), mig->m->version, h->newest_base,
                             h->newest_base);
    lint_help(ctx, d, "give it a version above %s (rename the file)", h->newest_base);
}

const rule rule_migration_out_of_order = {.id = "migration-out-of-order",
                                          .check_migration = check_migration};
