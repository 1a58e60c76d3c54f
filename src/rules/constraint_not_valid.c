/* constraint-not-valid: a FOREIGN KEY or CHECK constraint added to an
 * existing table without NOT VALID. PostgreSQL checks every existing row
 * while holding the lock: a foreign key takes SHARE ROW EXCLUSIVE on the
 * table and on the referenced table (INSERT, UPDATE and DELETE on both wait),
 * a CHECK takes ACCESS EXCLUSIVE (reads wait too). Adding the constraint NOT
 * VALID is instant, and VALIDATE CONSTRAINT afterwards scans under SHARE
 * UPDATE EXCLUSIVE, which lets reads and writes go on (ALTER TABLE, Notes).
 * Constraints declared inline in ADD COLUMN cannot be NOT VALID and are
 * reported too. UNIQUE and PRIMARY KEY cannot be NOT VALID: see
 * add-unique-constraint and add-primary-key. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* "orders.user_id" or "orders(a, b)" for the constrained columns. */
static const char *fk_columns(lint_ctx *ctx, const char *table, const cJSON *c, const char *col)
{
    const cJSON *attrs = sql_get(c, "fk_attrs");
    int n = cJSON_GetArraySize(attrs);
    if (n == 0)
        return arena_printf(lint_arena(ctx), "%s.%s", table, col ? col : "?");
    if (n == 1)
        return arena_printf(lint_arena(ctx), "%s.%s", table,
                            sql_string_value(cJSON_GetArrayItem(attrs, 0)));
    const char *list = NULL;
    const cJSON *a;
    cJSON_ArrayForEach(a, attrs)
    {
        list = list ? arena_printf(lint_arena(ctx), "%s, %s", list, sql_string_value(a))
                    : sql_string_value(a);
    }
    return arena_printf(lint_arena(ctx), "%s(%s)", table, list);
}

static void report_fk(lint_ctx *ctx, lint_span at, const char *table, const cJSON *c,
                      const char *col)
{
    const char *ref = sql_rangevar_name(lint_arena(ctx), sql_get(c, "pktable"));
    const char *name = sql_get_str(c, "conname");
    bool self = strcmp(ref, table) == 0;
    diag *d = lint_report(
        ctx, "constraint-not-valid", at.start, at.end,
        "adding foreign key %s → %s takes a SHARE ROW EXCLUSIVE lock on %s%s%s: blocks INSERT, "
        "UPDATE and DELETE on %s while every row is checked",
        fk_columns(ctx, table, c, col), ref, table, self ? "" : " and ", self ? "" : ref,
        self ? "it" : "both");
    lint_help(ctx, d,
              "ADD CONSTRAINT %s FOREIGN KEY ... NOT VALID (instant), then ALTER TABLE %s "
              "VALIDATE CONSTRAINT %s in a separate transaction (SHARE UPDATE EXCLUSIVE: reads "
              "and writes go on)",
              name ? name : "...", table, name ? name : "...");
}

static void report_check(lint_ctx *ctx, lint_span at, const char *table, const cJSON *c)
{
    const char *name = sql_get_str(c, "conname");
    diag *d = lint_report(ctx, "constraint-not-valid", at.start, at.end,
                          "adding check constraint %s on %s without NOT VALID holds an ACCESS "
                          "EXCLUSIVE lock on %s: blocks every read and write while every row is "
                          "checked",
                          name ? name : "(unnamed)", table, table);
    lint_help(ctx, d,
              "ADD CONSTRAINT %s CHECK (...) NOT VALID (instant), then ALTER TABLE %s VALIDATE "
              "CONSTRAINT %s in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes "
              "go on)",
              name ? name : "...", table, name ? name : "...");
}

/* Reports c when it is a FOREIGN KEY or CHECK that will be validated now. */
static void check_constraint(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *c,
                             const char *col, lint_span at)
{
    (void)s;
    const char *type = sql_get_str(c, "contype");
    bool fk = is(type, "CONSTR_FOREIGN");
    if ((!fk && !is(type, "CONSTR_CHECK")) || sql_get_bool(c, "skip_validation"))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    if (fk)
        report_fk(ctx, at, table, c, col);
    else
        report_check(ctx, at, table, c);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    lint_each_added_constraint(ctx, s, check_constraint);
}

const rule rule_constraint_not_valid = {
    .id = "constraint-not-valid", .kinds = "AlterTableStmt", .check = check};
