/* applied-migration-deleted: a migration the --base commit has is gone on
 * this branch. Environments that ran it keep its schema, fresh ones do not
 * get it. The finding points at line 1 of the file as the base has it (the
 * path no longer exists in the work tree). */
#include "history_util.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const lint_history *h = mig->history;
    if (!h || h->state != MIG_DELETED)
        return;
    const source *src = history_src(mig->m);
    if (!src)
        return;
    diag *d = lint_report_at(ctx, "applied-migration-deleted", src, 0, 0,
                             "migration %s is applied on the base and deleted here: new "
                             "environments will not get what it built",
                             lint_basename(mig->m->path));
    lint_help(ctx, d, "restore the file; to undo its change, add a new migration that does");
}

const rule rule_applied_migration_deleted = {.id = "applied-migration-deleted",
                                             .check_migration = check_migration,
                                             .dialects = RULE_ALL_DIALECTS};
