/* domain-constraint: ALTER DOMAIN ... ADD CONSTRAINT (without NOT VALID),
 * VALIDATE CONSTRAINT or SET NOT NULL on an existing domain. PostgreSQL
 * checks every column of that domain in every table, holding a SHARE lock on
 * each of those tables for the whole scan: INSERT, UPDATE and DELETE on them
 * wait. Unlike a table's VALIDATE CONSTRAINT, a domain's takes the same
 * SHARE lock (checked against pg_locks on PostgreSQL 15), so NOT VALID only
 * postpones the blocking scan. CREATE DOMAIN ... CHECK is not reported: a
 * new domain has no columns yet. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* What the statement does, or NULL when it does not scan the columns. */
static const char *action(lint_ctx *ctx, const cJSON *n, const char *domain)
{
    const char *sub = sql_get_str(n, "subtype");
    const cJSON *c = sql_get(sql_get(n, "def"), "Constraint");
    const char *name = sql_get_str(n, "name");
    if (is(sub, "C") && !sql_get_bool(c, "skip_validation"))
        return arena_printf(lint_arena(ctx), "adding constraint %s to domain %s",
                            sql_get_str(c, "conname") ? sql_get_str(c, "conname") : "(unnamed)",
                            domain);
    if (is(sub, "V"))
        return arena_printf(lint_arena(ctx), "validating constraint %s of domain %s",
                            name ? name : "?", domain);
    if (is(sub, "O"))
        return arena_printf(lint_arena(ctx), "SET NOT NULL on domain %s", domain);
    return NULL;
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *names = sql_get(s->node, "typeName");
    const char *domain = sql_name_list(lint_arena(ctx), names);
    const char *what = action(ctx, s->node, domain);
    if (!what || lint_domain_created_before(ctx, names))
        return;
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "domain-constraint", at.start, at.end,
                          "%s checks every column of type %s in every table, holding a SHARE "
                          "lock on each of those tables: INSERT, UPDATE and DELETE on them wait "
                          "until the scan ends",
                          what, domain);
    lint_help(ctx, d,
              "put the rule on the table columns instead: ALTER TABLE ... ADD CONSTRAINT ... "
              "CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in another transaction (SHARE "
              "UPDATE EXCLUSIVE: writes go on); or add the domain constraint NOT VALID, which "
              "checks new values at once, and validate it at a quiet time");
}

const rule rule_domain_constraint = {
    .id = "domain-constraint", .kinds = "AlterDomainStmt", .check = check};
