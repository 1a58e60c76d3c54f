/* constraint-not-valid: a FOREIGN KEY or CHECK constraint added to an
 * existing table without NOT VALID. PostgreSQL checks every existing row
 * while holding the lock: a foreign key takes SHARE ROW EXCLUSIVE on the
 * table and on the referenced table (INSERT, UPDATE and DELETE on both wait),
 * a CHECK takes ACCESS EXCLUSIVE (reads wait too). Adding the constraint NOT
 * VALID is instant, and VALIDATE CONSTRAINT afterwards scans under SHARE
 * UPDATE EXCLUSIVE, which lets reads and writes go on (ALTER TABLE, Notes).
 * Constraints declared inline in ADD COLUMN cannot be NOT VALID and are
 * reported too. UNIQUE and PRIMARY KEY cannot be NOT VALID: see
 * add-unique-constraint and add-primary-key.
 *
 * One ALTER TABLE takes one lock on its table, the strongest any of its
 * subcommands needs: a foreign key added next to ADD COLUMN holds ACCESS
 * EXCLUSIVE, and the message says so. And when the same statement adds a
 * NOT NULL column without a default, it only succeeds on an empty table,
 * where checking the rows is instant: add-column-not-null-no-default says
 * it, this rule stays quiet. A foreign key declared inline in ADD COLUMN
 * without a default is not checked at all (see inline_fk_skips_validation);
 * one added by ADD CONSTRAINT on a column just added is, by a full scan. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Subcommands that lock less than ACCESS EXCLUSIVE (AlterTableGetLockLevel
 * in tablecmds.c); any other one makes the whole statement take it. */
static bool weaker_than_access_exclusive(const cJSON *cmd)
{
    static const char *const weaker[] = {
        "AT_ValidateConstraint", "AT_SetStatistics",  "AT_ClusterOn",        "AT_DropCluster",
        "AT_AttachPartition",    "AT_EnableTrig",     "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig",
        "AT_EnableTrigAll",      "AT_EnableTrigUser", "AT_DisableTrig",      "AT_DisableTrigAll",
        "AT_DisableTrigUser",    "AT_SetRelOptions",  "AT_ResetRelOptions",
    };
    const char *sub = sql_get_str(cmd, "subtype");
    for (size_t i = 0; sub && i < sizeof weaker / sizeof *weaker; i++)
        if (!strcmp(sub, weaker[i]))
            return true;
    if (is(sub, "AT_AddConstraint")) {
        const cJSON *c = sql_get(sql_get(cmd, "def"), "Constraint");
        return is(sql_get_str(c, "contype"), "CONSTR_FOREIGN");
    }
    return false;
}

static bool takes_access_exclusive(const sql_stmt *s)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        if (!weaker_than_access_exclusive(sql_get(item, "AlterTableCmd")))
            return true;
    }
    return false;
}

/* ADD COLUMN ... NOT NULL (or PRIMARY KEY) with nothing to fill existing
 * rows: the statement fails unless the table is empty. */
static bool adds_required_column(const sql_stmt *s)
{
    const cJSON *item, *c;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        if (!is(sql_get_str(cmd, "subtype"), "AT_AddColumn"))
            continue;
        const cJSON *coldef = sql_get(sql_get(cmd, "def"), "ColumnDef");
        const cJSON *names = sql_get(sql_get(coldef, "typeName"), "names");
        const char *type =
            sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
        if (type && strstr(type, "serial"))
            continue;
        bool required = false, filled = false;
        cJSON_ArrayForEach(c, sql_get(coldef, "constraints"))
        {
            const char *ct = sql_get_str(sql_get(c, "Constraint"), "contype");
            required |= is(ct, "CONSTR_NOTNULL") || is(ct, "CONSTR_PRIMARY");
            filled |=
                is(ct, "CONSTR_DEFAULT") || is(ct, "CONSTR_IDENTITY") || is(ct, "CONSTR_GENERATED");
        }
        if (required && !filled)
            return true;
    }
    return false;
}

/* transformAlterTableStmt(): a foreign key declared inline in ADD COLUMN is
 * not checked at all (marked valid) when no column the statement adds has
 * a default and no subcommand adds a foreign key of its own: the new
 * column is NULL in every row. */
static bool inline_fk_skips_validation(const sql_stmt *s)
{
    const cJSON *item, *c;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        if (is(sub, "AT_AddConstraint") &&
            is(sql_get_str(sql_get(sql_get(cmd, "def"), "Constraint"), "contype"),
               "CONSTR_FOREIGN"))
            return false;
        if (!is(sub, "AT_AddColumn"))
            continue;
        cJSON_ArrayForEach(c, sql_get(sql_get(sql_get(cmd, "def"), "ColumnDef"), "constraints"))
        {
            if (is(sql_get_str(sql_get(c, "Constraint"), "contype"), "CONSTR_DEFAULT"))
                return false;
        }
    }
    return true;
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

static void report_fk(lint_ctx *ctx, const sql_stmt *s, lint_span at, const char *table,
                      const cJSON *c, const char *col)
{
    const char *ref = sql_rangevar_name(lint_arena(ctx), sql_get(c, "pktable"));
    const char *name = sql_get_str(c, "conname");
    bool self = strcmp(ref, table) == 0;
    diag *d;
    if (takes_access_exclusive(s))
        d = lint_report(ctx, "constraint-not-valid", at.start, at.end,
                        "adding foreign key %s → %s checks every row while this ALTER TABLE "
                        "holds an ACCESS EXCLUSIVE lock on %s (blocks every read and write)%s%s%s",
                        fk_columns(ctx, table, c, col), ref, table,
                        self ? "" : " and a SHARE ROW EXCLUSIVE lock on ", self ? "" : ref,
                        self ? "" : " (blocks its INSERT, UPDATE and DELETE)");
    else
        d = lint_report(ctx, "constraint-not-valid", at.start, at.end,
                        "adding foreign key %s → %s takes a SHARE ROW EXCLUSIVE lock on %s%s%s: "
                        "blocks INSERT, UPDATE and DELETE on %s while every row is checked",
                        fk_columns(ctx, table, c, col), ref, table, self ? "" : " and ",
                        self ? "" : ref, self ? "it" : "both");
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
    const char *type = sql_get_str(c, "contype");
    bool fk = is(type, "CONSTR_FOREIGN");
    if ((!fk && !is(type, "CONSTR_CHECK")) || sql_get_bool(c, "skip_validation") ||
        adds_required_column(s) || (fk && col && inline_fk_skips_validation(s)))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    if (fk)
        report_fk(ctx, s, at, table, c, col);
    else
        report_check(ctx, at, table, c);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    lint_each_added_constraint(ctx, s, check_constraint);
}

const rule rule_constraint_not_valid = {
    .id = "constraint-not-valid", .kinds = "AlterTableStmt", .check = check};
