/* mysql-foreign-key-copy: ALTER TABLE ... ADD FOREIGN KEY on an existing
 * table while foreign_key_checks is on. InnoDB adds a foreign key in place
 * only with the checks off; otherwise the only algorithm is COPY, with
 * LOCK=SHARED: the child table is copied while its writes wait (MySQL 8.0
 * reference, Online DDL Operations, foreign key operations; MariaDB 10.11
 * refuses INPLACE the same way, see tests/t_mysql_rules.sh). */
#include <string.h>
#include <strings.h>

#include "mysql_rules.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const char *key_list(lint_ctx *ctx, const cJSON *list)
{
    const char *out = NULL;
    const cJSON *k;
    cJSON_ArrayForEach(k, list)
    {
        out = out ? arena_printf(lint_arena(ctx), "%s, %s", out, sql_string_value(k))
                  : sql_string_value(k);
    }
    return out ? out : "...";
}

static void report(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *c)
{
    arena *a = lint_arena(ctx);
    const char *table = sql_rangevar_name(a, rel);
    const cJSON *parent = sql_get(c, "pktable");
    const char *name = sql_get_str(c, "conname");
    long loc = sql_location(c);
    lint_span at = loc >= 0 ? mysql_token_at(ctx, s, (size_t)loc) : lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "mysql-foreign-key-copy", at.start, at.end,
                          "adding foreign key %s%s%s (%s) -> %s with foreign_key_checks on: MySQL "
                          "can only do it with ALGORITHM=COPY, LOCK=SHARED, copying %s while "
                          "every INSERT, UPDATE and DELETE of it waits",
                          name ? name : "", name ? " on " : "on ", table,
                          key_list(ctx, sql_get(c, "fk_attrs")),
                          parent ? sql_rangevar_name(a, parent) : "?", table);
    lint_help(ctx, d,
              "check that no row of %s lacks its parent, then SET foreign_key_checks = 0 before "
              "the ALTER (MySQL then adds the key in place, metadata only: ALGORITHM=INPLACE, "
              "LOCK=NONE) and SET foreign_key_checks = 1 after it",
              table);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    const char *algorithm = sql_get_str(s->node, "mysqlAlgorithm");
    if (!rel || lint_rangevar_is_new(ctx, rel))
        return;
    /* An explicit COPY is mysql-algorithm-copy's finding. */
    if (algorithm && !strcasecmp(algorithm, "COPY"))
        return;
    bool checks_off = false, looked = false;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const cJSON *c = sql_get(sql_get(cmd, "def"), "Constraint");
        if (!is(sql_get_str(cmd, "subtype"), "AT_AddConstraint") ||
            !is(sql_get_str(c, "contype"), "CONSTR_FOREIGN"))
            continue;
        if (!looked) {
            checks_off = mysql_value_is_off(mysql_session_value(ctx, s, "foreign_key_checks"));
            looked = true;
        }
        if (!checks_off)
            report(ctx, s, rel, c);
    }
}

const rule rule_mysql_foreign_key_copy = {.id = "mysql-foreign-key-copy",
                                          .kinds = "AlterTableStmt",
                                          .check = check,
                                          .dialects = RULE_MYSQL};
