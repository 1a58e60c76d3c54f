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

/* The ALTER TABLE subcommand being checked. The table's name and the
 * subcommand's extent are worked out only for a finding. */
typedef struct subcmd {
    const sql_stmt *s;
    const cJSON *rel;
    int index;
} subcmd;

/* From the constraint's own location to the end of its subcommand. */
static lint_span subcmd_span(lint_ctx *ctx, const subcmd *sc, const cJSON *c)
{
    lint_span name = lint_name_at(ctx, sc->s, (size_t)sql_location(sc->rel));
    lint_span part = lint_subcommand(ctx, sc->s, name.end, sc->index);
    long loc = sql_location(c);
    if (loc >= (long)part.start && loc < (long)part.end)
        part.start = (size_t)loc;
    return part;
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
static void check_constraint(lint_ctx *ctx, const subcmd *sc, const cJSON *c, const char *col)
{
    const char *type = sql_get_str(c, "contype");
    bool fk = is(type, "CONSTR_FOREIGN");
    if ((!fk && !is(type, "CONSTR_CHECK")) || sql_get_bool(c, "skip_validation"))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), sc->rel);
    if (fk)
        report_fk(ctx, subcmd_span(ctx, sc, c), table, c, col);
    else
        report_check(ctx, subcmd_span(ctx, sc, c), table, c);
}

static void check_cmd(lint_ctx *ctx, const subcmd *sc, const cJSON *cmd)
{
    const char *sub = sql_get_str(cmd, "subtype");
    const cJSON *def = sql_get(cmd, "def"), *item;
    if (is(sub, "AT_AddConstraint")) {
        check_constraint(ctx, sc, sql_get(def, "Constraint"), NULL);
    } else if (is(sub, "AT_AddColumn")) {
        const cJSON *coldef = sql_get(def, "ColumnDef");
        cJSON_ArrayForEach(item, sql_get(coldef, "constraints"))
            check_constraint(ctx, sc, sql_get(item, "Constraint"), sql_get_str(coldef, "colname"));
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!is(sql_get_str(s->node, "objtype"), "OBJECT_TABLE") || lint_rangevar_is_new(ctx, rel))
        return;
    subcmd sc = {s, rel, 0};
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        check_cmd(ctx, &sc, sql_get(item, "AlterTableCmd"));
        sc.index++;
    }
}

const rule rule_constraint_not_valid = {
    .id = "constraint-not-valid", .kinds = "AlterTableStmt", .check = check};
