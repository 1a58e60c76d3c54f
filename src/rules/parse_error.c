/* parse-error: a statement PostgreSQL's own parser rejects. The migration
 * would fail at that statement, so this is always an error, located where
 * PostgreSQL puts its error cursor. */
#include <string.h>

#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (!s->parse_error)
        return;
    size_t end = s->error_offset;
    const sql_file *f = lint_file(ctx);
    for (size_t i = 0; i < f->ntokens; i++) {
        if (f->tokens[i].start == s->error_offset) {
            end = f->tokens[i].end;
            break;
        }
    }
    diag *d = lint_report(ctx, "parse-error", s->error_offset, end, "%s", s->error_message);
    /* libpg_query carries PostgreSQL 17's grammar, the newest target: syntax
     * from later versions (ADD CONSTRAINT ... NOT NULL in 18) lands here
     * too, and the help says so rather than blaming the migration. */
    lint_help(ctx, d,
              "PostgreSQL 17's parser rejects this statement, so the migration fails here on "
              "PostgreSQL %d (the target) and every version up to 17; if production runs a "
              "newer PostgreSQL and this is its syntax, add "
              "`-- migralint-ignore parse-error: <version> syntax`",
              lint_pg_version(ctx));
}

const rule rule_parse_error = {
    .id = "parse-error", .kinds = NULL, .check = check, .dialects = RULE_ALL_DIALECTS};
