/* set-not-null: ALTER COLUMN ... SET NOT NULL on an existing table scans
 * every row under an ACCESS EXCLUSIVE lock. Since PostgreSQL 12 the scan is
 * skipped when a validated CHECK (col IS NOT NULL) already proves it, which
 * the catalog can tell. */
#include <stdio.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "rule.h"

/* A validated CHECK constraint on exactly this column saying it is not null. */
static bool proven_not_null(const lint_ctx *ctx, const cJSON *rel, const char *col)
{
    const catalog *cat = lint_catalog(ctx);
    const cat_table *t =
        cat ? catalog_find_table(cat, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"))
            : NULL;
    char want[300];
    snprintf(want, sizeof want, "%s IS NOT NULL", col);
    for (size_t i = 0; t && i < t->nconstraints; i++) {
        const cat_constraint *c = t->constraints[i];
        if (c->type == CAT_CON_CHECK && c->validated && c->ncolumns == 1 &&
            strcmp(c->columns[0]->name, col) == 0 && c->expr && strstr(c->expr, want))
            return true;
    }
    return false;
}

/* One finding per statement: PostgreSQL checks every column it sets NOT
 * NULL in one scan, under one lock. Each column is a related location. */
static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (!rel)
        return;
    const cJSON *cmds = sql_get(s->node, "cmds"), *item;
    /* Whether the table is new, its name and the lists are worked out at
     * the first SET NOT NULL: most ALTER TABLEs do something else. */
    lint_span name = {0, 0};
    size_t n = 0;
    const char **cols = NULL;
    lint_span *at = NULL;
    int i = 0;
    cJSON_ArrayForEach(item, cmds)
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype"), *col = sql_get_str(cmd, "name");
        i++;
        if (!sub || !col || strcmp(sub, "AT_SetNotNull") != 0)
            continue;
        if (!cols) {
            if (lint_rangevar_is_new(ctx, rel))
                return;
            name = lint_name_at(ctx, s, (size_t)sql_location(rel));
            size_t cap = (size_t)cJSON_GetArraySize(cmds) + 1;
            cols = arena_calloc(lint_arena(ctx), cap, sizeof *cols);
            at = arena_calloc(lint_arena(ctx), cap, sizeof *at);
        }
        if (proven_not_null(ctx, rel, col)) /* PostgreSQL 12+: every target */
            continue;
        cols[n] = col;
        at[n++] = lint_find_name(ctx, s, lint_subcommand(ctx, s, name.end, i - 1).start, col);
    }
    if (n == 0)
        return;
    char *table = sql_rangevar_name(lint_arena(ctx), rel);
    diag *d = lint_report(ctx, "set-not-null", at[0].start, at[0].end,
                          "setting NOT NULL on %s scans every row under an ACCESS "
                          "EXCLUSIVE lock: every read and write of %s waits until it ends",
                          lint_column_list(ctx, table, cols, n), table);
    for (size_t k = 0; n > 1 && k < n; k++)
        lint_related(ctx, d, NULL, at[k].start, at[k].end, "SET NOT NULL on %s.%s", table, cols[k]);
    lint_help(ctx, d,
              "add CONSTRAINT %s_%s_not_null CHECK (%s IS NOT NULL) NOT VALID%s, VALIDATE it "
              "in a separate migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) "
              "and drop the CHECK",
              sql_get_str(rel, "relname"), n > 1 ? "<column>" : cols[0],
              n > 1 ? "<column>" : cols[0], n > 1 ? " for each column" : "");
}

const rule rule_set_not_null = {.id = "set-not-null", .kinds = "AlterTableStmt", .check = check};
