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

/* One finding per statement, each column a related location. */
static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    const cJSON *cmds = sql_get(s->node, "cmds");
    /* Whether the table is new, its name and the lists are worked out at
     * the first DROP NOT NULL: most ALTER TABLEs do something else. */
    lint_span relname = {0, 0};
    size_t n = 0;
    const char **cols = NULL;
    lint_span *at = NULL;
    int i = 0;
    cJSON_ArrayForEach(item, cmds)
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const char *col = sql_get_str(cmd, "name");
        if (sub && col && !strcmp(sub, "AT_DropNotNull") && !cols) {
            if (lint_rangevar_is_new(ctx, rel))
                return;
            relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
            size_t cap = (size_t)cJSON_GetArraySize(cmds) + 1;
            cols = arena_calloc(lint_arena(ctx), cap, sizeof *cols);
            at = arena_calloc(lint_arena(ctx), cap, sizeof *at);
        }
        if (sub && col && !strcmp(sub, "AT_DropNotNull") && !already_nullable(ctx, rel, col)) {
            lint_span part = lint_subcommand(ctx, s, relname.end, i);
            cols[n] = col;
            at[n++] = lint_find_name(ctx, s, part.start, col);
        }
        i++;
    }
    if (n == 0)
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    const char *list = lint_column_list(ctx, table, cols, n);
    diag *d = lint_report(ctx, "drop-not-null", at[0].start, at[0].end,
                          "dropping NOT NULL on %s: code that assumes %s%s never "
                          "NULL breaks on the first NULL the new code writes",
                          list, n > 1 ? "they are" : cols[0], n > 1 ? "" : " is");
    for (size_t k = 0; n > 1 && k < n; k++)
        lint_related(ctx, d, NULL, at[k].start, at[k].end, "DROP NOT NULL on %s.%s", table,
                     cols[k]);
    lint_help(ctx, d,
              "make every reader of %s handle NULL and deploy that first; drop the "
              "NOT NULL in a later migration",
              list);
}

const rule rule_drop_not_null = {.id = "drop-not-null", .kinds = "AlterTableStmt", .check = check};
