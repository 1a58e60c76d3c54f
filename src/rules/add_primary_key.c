/* add-primary-key: ALTER TABLE ... ADD PRIMARY KEY (or ADD COLUMN ...
 * PRIMARY KEY) on an existing table. PostgreSQL builds the unique index, and
 * checks the key columns for NULLs, while holding an ACCESS EXCLUSIVE lock on
 * the table: every read and write waits for the whole build. Building a
 * unique index CONCURRENTLY first and attaching it with ADD CONSTRAINT ...
 * PRIMARY KEY USING INDEX takes the lock only briefly (and does not scan when
 * the columns are already NOT NULL), so that form is quiet. */
#include <string.h>

#include "mysql_rules.h"
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
    const char *base = strrchr(table, '.') ? strrchr(table, '.') + 1 : table;
    const char *idx = name ? name : arena_printf(lint_arena(ctx), "%s_pkey", base);
    diag *d = lint_report(ctx, "add-primary-key", at.start, at.end,
                          "adding a primary key to %s builds its index and checks its columns for "
                          "NULLs while holding an ACCESS EXCLUSIVE lock on %s: every read and "
                          "write waits until it is done",
                          table, table);
    lint_help(ctx, d,
              "%sCREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s) in a migration without a "
              "transaction, make the columns NOT NULL (CHECK ... NOT VALID, VALIDATE, SET NOT "
              "NULL), then ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY USING INDEX %s",
              col ? "add the column without PRIMARY KEY, then " : "", idx, table,
              columns(ctx, c, col), table, idx, idx);
}

static void check_constraint(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *c,
                             const char *col, lint_span at)
{
    (void)s;
    if (!is(sql_get_str(c, "contype"), "CONSTR_PRIMARY") || sql_get_str(c, "indexname"))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    report(ctx, at, table, c, col);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_add_primary_key(ctx, s);
        return;
    }
    lint_each_added_constraint(ctx, s, check_constraint);
}

const rule rule_add_primary_key = {.id = "add-primary-key",
                                   .kinds = "AlterTableStmt",
                                   .check = check,
                                   .dialects = RULE_ALL_DIALECTS};
