/* duplicate-migration-version: two migrations share a version, on this
 * branch or between this branch and the base. The framework's history
 * table has one row per version, so one of the two never runs (or the
 * migrate command stops). Reported on the later one. */
#include "history_util.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const lint_history *h = mig->history;
    if (!h || !h->dup)
        return;
    const source *src = history_src(mig->m);
    if (!src)
        return;
    diag *d = lint_report_at(ctx, "duplicate-migration-version", src, 0, 0,
                             "migration %s has version %s, like %s%s", lint_basename(mig->m->path),
                             mig->m->version, h->dup->path, h->dup_on_base ? " on the base" : "");
    lint_help(ctx, d, "give one of them a new version above the newest");
}

const rule rule_duplicate_migration_version = {.id = "duplicate-migration-version",
                                               .check_migration = check_migration,
                                               .dialects = RULE_ALL_DIALECTS};
