/* migration-out-of-order: a migration new on this branch whose version
 * sorts below the newest version on the base. Environments that already
 * ran the newer one skip it (golang-migrate, Drizzle) or refuse to migrate
 * (goose, Flyway, the Supabase CLI), so its change never lands there.
 * diesel, dbmate and Prisma record every applied migration and run any
 * pending one whatever its version, and sqitch follows its plan: quiet for
 * them (lemmy's history has such merges, and diesel runs them fine). */
#include "history_util.h"

static const char *consequence(framework fw)
{
    switch (fw) {
    case FW_GOLANG_MIGRATE:
        return "golang-migrate skips it in environments that ran %s";
    case FW_DRIZZLE:
        return "drizzle-kit skips it in environments that ran %s";
    case FW_GOOSE:
        return "goose refuses to migrate environments that ran %s (unless --allow-missing)";
    case FW_FLYWAY:
        return "Flyway refuses it in environments that ran %s (unless outOfOrder=true)";
    case FW_SUPABASE:
        return "supabase db push refuses it where %s ran (unless --include-all)";
    default:
        return "environments that ran %s may skip or refuse it";
    }
}

static bool order_matters(framework fw)
{
    return fw != FW_DIESEL && fw != FW_DBMATE && fw != FW_PRISMA && fw != FW_SQITCH;
}

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const lint_history *h = mig->history;
    if (!h || h->state != MIG_NEW || !h->out_of_order || !order_matters(mig->fw))
        return;
    const source *src = history_src(mig->m);
    if (!src)
        return;
    const char *why = arena_printf(lint_arena(ctx), consequence(mig->fw), h->newest_base);
    diag *d = lint_report_at(ctx, "migration-out-of-order", src, 0, 0,
                             "migration %s has version %s, below %s, the newest on the base: %s",
                             lint_basename(mig->m->path), mig->m->version, h->newest_base, why);
    lint_help(ctx, d, "give it a version above %s (rename the file)", h->newest_base);
}

const rule rule_migration_out_of_order = {.id = "migration-out-of-order",
                                          .check_migration = check_migration,
                                          .dialects = RULE_ALL_DIALECTS};
