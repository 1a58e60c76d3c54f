/* drop-not-null: ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL on an
 * existing table. The change itself is instant, but it widens the column's
 * contract: code deployed today (and readers such as reports, exports and
 * other services) assumes the column is never NULL, and breaks on the first
 * row written with NULL by the new code. Quiet when the column is nullable
 * already: the statement changes nothing. */
#include <string.h>

#include "../catalog/catalog.h"
#include "rule.h"

/* The column is nullable already in the schema the migrations built: the
 * statement changes nothing (PostgreSQL accepts it silently). */
static bool already_nullable(const lint_ctx *ctx, const cJSON *rel, const char *col)
{
    const catalog *cat = lint_catalog(ctx);
    const cat_table *t =
        cat ? catalog_find_table(cat, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"))
            : NULL;
    const cat_column *c = t ? cat_table_find_column(t, col) : NULL;
    return c && !c->not_null;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (lint_rangevar_is_new(ctx, rel))
        return;
    lint_span relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
    int i = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const char *col = sql_get_str(cmd, "name");
        if (sub && col && !strcmp(sub, "AT_DropNotNull") && !already_nullable(ctx, rel, col)) {
            const char *table = sql_rangevar_name(lint_arena(ctx), rel);
            lint_span part = lint_subcommand(ctx, s, relname.end, i);
            lint_span at = lint_find_name(ctx, s, part.start, col);
            diag *d = lint_report(ctx, "drop-not-null", at.start, at.end,
                                  "dropping NOT NULL on %s.%s: code that assumes %s is never "
                                  "NULL breaks on the first NULL the new code writes",
                                  table, col, col);
            lint_help(ctx, d,
                      "make every reader of %s.%s handle NULL and deploy that first; drop the "
                      "NOT NULL in a later migration",
                      table, col);
        }
        i++;
    }
}

const rule rule_drop_not_null = {.id = "drop-not-null", .kinds = "AlterTableStmt", .check = check};
