/* applied-migration-renamed: a migration the --base commit has moved to a
 * new path with the same content. Frameworks that track migrations by file
 * name (or by a version in it) see a new migration and run it again, or
 * report the old one missing. */
#include "history_util.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const lint_history *h = mig->history;
    if (!h || h->state != MIG_RENAMED || !h->base)
        return;
    const source *src = history_src(mig->m);
    if (!src)
        return;
    diag *d = lint_report_at(ctx, "applied-migration-renamed", src, 0, 0,
                             "migration %s is applied on the base as %s and renamed here: the "
                             "framework may run it again or miss the old one",
                             mig->m->path, h->base->path);
    lint_help(ctx, d, "keep the old name; applied migrations are identified by it");
}

const rule rule_applied_migration_renamed = {.id = "applied-migration-renamed",
                                             .check_migration = check_migration,
                                             .dialects = RULE_ALL_DIALECTS};
