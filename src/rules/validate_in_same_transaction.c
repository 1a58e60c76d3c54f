/* validate-in-same-transaction: ALTER TABLE ... VALIDATE CONSTRAINT in the
 * same transaction as the ADD CONSTRAINT ... NOT VALID that created it. The
 * point of NOT VALID is to take the strong lock only for an instant and to
 * check the rows later under SHARE UPDATE EXCLUSIVE; in one transaction the
 * lock ADD CONSTRAINT took (SHARE ROW EXCLUSIVE on both tables for a foreign
 * key, ACCESS EXCLUSIVE for a CHECK) is held until COMMIT, through the whole
 * validation scan.
 *
 * "Same transaction": no COMMIT, ROLLBACK or BEGIN between the two
 * statements, and the VALIDATE runs in a transaction block (an explicit
 * BEGIN, the framework's wrapping, or one multi-statement query, which
 * PostgreSQL runs as one implicit transaction). */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The NOT VALID constraint `name` added by one of the first `n` subcommands
 * of ALTER TABLE statement node (n < 0: all of them). */
static const cJSON *added_in(const cJSON *node, const char *name, int n)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(node, "cmds"))
    {
        if (n-- == 0)
            break;
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const cJSON *c = sql_get(sql_get(cmd, "def"), "Constraint");
        if (is(sql_get_str(cmd, "subtype"), "AT_AddConstraint") &&
            is(sql_get_str(c, "conname"), name) && sql_get_bool(c, "skip_validation"))
            return c;
    }
    return NULL;
}

static void report(lint_ctx *ctx, lint_span at, const char *table, const lint_not_valid *c,
                   const char *why)
{
    const char *name = c->name;
    const char *locked =
        c->fk ? arena_printf(lint_arena(ctx),
                             "SHARE ROW EXCLUSIVE lock it took on %s and %s stays held through "
                             "the whole validation scan, blocking INSERT, UPDATE and DELETE on "
                             "both",
                             table, c->pktable)
              : arena_printf(lint_arena(ctx),
                             "ACCESS EXCLUSIVE lock it took on %s stays held through the whole "
                             "validation scan, blocking every read and write",
                             table);
    diag *d = lint_report(ctx, "validate-in-same-transaction", at.start, at.end,
                          "validating %s in the transaction that added it NOT VALID: the %s; one "
                          "transaction: %s",
                          name, locked, why);
    lint_help(ctx, d,
              "commit after ADD CONSTRAINT ... NOT VALID and run ALTER TABLE %s VALIDATE "
              "CONSTRAINT %s in a transaction of its own (a later migration, or after a COMMIT)",
              table, name);
}

/* The ADD CONSTRAINT ... NOT VALID that the i-th subcommand of s validates in
 * the same transaction (in s itself, or in an earlier statement: the step's
 * facts, stepfacts.c), and why it is the same transaction. */
static bool added_in_transaction(lint_ctx *ctx, const sql_stmt *s, const char *name, int i,
                                 lint_not_valid *out, const char **why)
{
    const cJSON *c = added_in(s->node, name, i);
    if (c) {
        bool fk = is(sql_get_str(c, "contype"), "CONSTR_FOREIGN");
        *out =
            (lint_not_valid){0, NULL, sql_get_str(c, "conname"), fk,
                             fk ? sql_rangevar_name(lint_arena(ctx), sql_get(c, "pktable")) : NULL};
        *why = "the same ALTER TABLE statement";
        return true;
    }
    const lint_not_valid *before = lint_not_valid_before(ctx, sql_get(s->node, "relation"), name);
    *why = before ? lint_transaction_reason(ctx) : NULL;
    if (!*why)
        return false;
    *out = *before;
    return true;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    /* A table new in this step stays new to its end: no later VALIDATE of
     * it asks for what this statement would have noted. Asked at the first
     * ADD or VALIDATE CONSTRAINT: most ALTER TABLEs do something else. */
    bool known = false;
    int i = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        lint_not_valid c;
        const char *why;
        if (!known && (is(sub, "AT_AddConstraint") || is(sub, "AT_ValidateConstraint"))) {
            if (lint_rangevar_is_new(ctx, rel))
                return;
            known = true;
        }
        /* For the statements after this one (an ADD before a VALIDATE in
         * this statement is found in the statement itself). */
        if (is(sub, "AT_AddConstraint"))
            lint_note_not_valid(ctx, s, rel, sql_get(sql_get(cmd, "def"), "Constraint"));
        if (is(sub, "AT_ValidateConstraint") &&
            added_in_transaction(ctx, s, sql_get_str(cmd, "name"), i, &c, &why)) {
            lint_span relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
            report(ctx, lint_subcommand(ctx, s, relname.end, i),
                   sql_rangevar_name(lint_arena(ctx), rel), &c, why);
        }
        i++;
    }
}

const rule rule_validate_in_same_transaction = {
    .id = "validate-in-same-transaction", .kinds = "AlterTableStmt", .check = check};
