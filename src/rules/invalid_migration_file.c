/* invalid-migration-file: a file of a migration that its framework refuses
 * as a whole (a dbmate file whose "-- migrate:down" line is indented, a
 * goose file with two Up annotations), or whose text PostgreSQL rejects
 * before any statement runs (a byte-order mark that golang-migrate sends as
 * is). The layout module finds these (migration.refusals) and keeps the
 * migration in the folder with its parts read as the author meant them,
 * so one such file does not stop the rest of the folder from being linted.
 * Does not need Git. */
#include "rule.h"

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    for (size_t i = 0; m && i < m->nrefusals; i++) {
        const mig_refusal *r = &m->refusals[i];
        size_t len, start = 0;
        const char *line = source_line(r->src, r->line, &len);
        /* line is the host's text: its offset, then the column in bytes
         * (refusals point at ASCII markers or the start of the line). */
        start = (size_t)(line - r->src->text) + (size_t)(r->col - 1);
        if (start > r->src->len)
            start = r->src->len;
        diag *d = lint_report_at(ctx, "invalid-migration-file", r->src, start, start, "%s", r->why);
        lint_help(ctx, d, "%s", r->fix);
    }
}

const rule rule_invalid_migration_file = {.id = "invalid-migration-file",
                                          .check_migration = check_migration,
                                          .dialects = RULE_ALL_DIALECTS};
