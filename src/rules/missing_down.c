/* missing-down: the framework supports down steps and this migration has
 * none, so rolling back a bad deploy means writing SQL under pressure. Never
 * for Prisma, Drizzle, Supabase or plain folders (no down by design), and
 * for Flyway only when the project uses undo (U__) files at all; for any
 * framework, only when some migration of the folder has a down step. A note
 * when the up step only changes data (INSERT, UPDATE, DELETE...). */
#include "rule.h"

static const char *where_down_goes(framework fw)
{
    switch (fw) {
    case FW_GOLANG_MIGRATE:
        return "add the matching .down.sql file";
    case FW_GOOSE:
        return "add a `-- +goose Down` section that undoes the Up section";
    case FW_DBMATE:
        return "fill the `-- migrate:down` section";
    case FW_SQITCH:
        return "write revert/<change>.sql";
    case FW_DIESEL:
        return "add down.sql to the migration folder";
    case FW_FLYWAY:
        return "add the matching U<version>__ undo file";
    case FW_TYPEORM:
        return "add a down() method that undoes up()";
    case FW_KNEX:
        return "export a down function that undoes up";
    case FW_NODE_PG_MIGRATE:
        return "replace `down = false` with a down function (or leave it out so node-pg-migrate "
               "infers it)";
    case FW_ALEMBIC:
        return "add a downgrade() function";
    case FW_DJANGO:
        return "give RunPython a reverse_code and RunSQL a reverse_sql (RunPython.noop and "
               "RunSQL.noop when there is nothing to undo)";
    default:
        return "add a down step";
    }
}

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    if (!m || !mig->up_linted || m->has_down || !framework_has_down(mig->fw) || !m->up[0].src)
        return;
    if (mig->fw == FW_FLYWAY && (!mig->flyway_undo || m->repeatable))
        return;
    /* A project none of whose migrations has a down step does not roll
     * back (its runner may have no down at all): one warning per migration
     * would only repeat that. */
    if (!mig->set_has_down || lint_up_changes_nothing(mig))
        return;
    const source *src = m->up[0].src;
    /* A backfill: no schema change to undo, and the old rows are gone. */
    if (lint_up_only_changes_data(mig)) {
        diag *d = lint_report_at(ctx, "missing-down", src, m->up[0].start, m->up[0].start,
                                 "migration %s has no down step: its data change is not undone",
                                 lint_basename(m->path));
        if (d && d->level > LEVEL_NOTE)
            d->level = LEVEL_NOTE;
        lint_help(ctx, d,
                  "nothing to do when the data change is safe to keep after a rollback; else "
                  "%s that restores the old rows",
                  where_down_goes(mig->fw));
        return;
    }
    diag *d = lint_report_at(ctx, "missing-down", src, m->up[0].start, m->up[0].start,
                             "migration %s has no down step", lint_basename(m->path));
    lint_help(ctx, d, "%s, so the change can be rolled back", where_down_goes(mig->fw));
}

const rule rule_missing_down = {
    .id = "missing-down", .check_migration = check_migration, .dialects = RULE_ALL_DIALECTS};
