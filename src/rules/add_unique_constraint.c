/* add-unique-constraint: ALTER TABLE ... ADD UNIQUE (or ADD COLUMN ...
 * UNIQUE) on an existing table. PostgreSQL builds the unique index while
 * holding an ACCESS EXCLUSIVE lock on the table (ALTER TABLE: "most forms of
 * ADD table_constraint require an ACCESS EXCLUSIVE lock"), so every read and
 * write waits for the whole index build. Building the index CONCURRENTLY
 * first and attaching it with ADD CONSTRAINT ... UNIQUE USING INDEX takes
 * the lock only for an instant, so that form is quiet. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* "(a, b)" from the constraint's keys, or the inline column. */
static const char *columns(lint_ctx *ctx, const cJSON *c, const char *col)
{
    const char *list = col;
    const cJSON *k;
    cJSON_ArrayForEach(k, sql_get(c, "keys"))
    {
        list = list ? arena_printf(lint_arena(ctx), "%s, %s", list, sql_string_value(k))
                    : sql_string_value(k);
    }
    return list ? list : "...";
}

static void report(lint_ctx *ctx, lint_span at, const char *table, const cJSON *c, const char *col)
{
    const char *name = sql_get_str(c, "conname");
    const char *idx = name ? name : "...";
    diag *d = lint_report(ctx, "add-unique-constraint", at.start, at.end,
                          "adding unique constraint %s on %s builds its index while holding an "
                          "ACCESS EXCLUSIVE lock on %s: every read and write waits until the "
                          "index is built",
                          name ? name : "(unnamed)", table, table);
    lint_help(ctx, d,
              "%sCREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s) in a migration without a "
              "transaction, then ALTER TABLE %s ADD CONSTRAINT %s UNIQUE USING INDEX %s",
              col ? "add the column without UNIQUE, then " : "", idx, table, columns(ctx, c, col),
              table, idx, idx);
}

static void check_constraint(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *c,
                             const char *col, lint_span at)
{
    (void)s;
    if (!is(sql_get_str(c, "contype"), "CONSTR_UNIQUE") || sql_get_str(c, "indexname"))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    report(ctx, at, table, c, col);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    lint_each_added_constraint(ctx, s, check_constraint);
}

const rule rule_add_unique_constraint = {
    .id = "add-unique-constraint", .kinds = "AlterTableStmt", .check = check};
