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
    lint_help(ctx, d, "PostgreSQL 15 rejects this statement; the migration fails here");
}

const rule rule_parse_error = {"parse-error", NULL, check};
