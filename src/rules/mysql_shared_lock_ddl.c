/* mysql-shared-lock-ddl: changes to an existing table that look online but
 * that InnoDB makes only with LOCK=SHARED, so every write of the table
 * waits for the whole operation: a FULLTEXT or SPATIAL index (the first
 * FULLTEXT index also rebuilds the table), a column added with
 * AUTO_INCREMENT, and DROP PRIMARY KEY without a new one (ALGORITHM=COPY).
 * MySQL 8.0 reference, Online DDL Operations (index, column and primary key
 * operations); MariaDB 10.11 refuses LOCK=NONE for each (tests/t_mysql_rules.sh). */
#include <string.h>
#include <strings.h>

#include "mysql_rules.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void report(lint_ctx *ctx, lint_span at, const char *what, const char *how,
                   const char *table, const char *help)
{
    diag *d = lint_report(ctx, "mysql-shared-lock-ddl", at.start, at.end,
                          "%s: MySQL does it only with %s, so every INSERT, UPDATE and DELETE "
                          "of %s waits until it ends",
                          what, how, table);
    lint_help(ctx, d, "%s", help);
}

static void check_index(lint_ctx *ctx, const sql_stmt *s)
{
    const char *type = sql_get_str(s->node, "mysqlIndexType");
    const cJSON *rel = sql_get(s->node, "relation");
    if (!type || !rel || lint_rangevar_is_new(ctx, rel))
        return;
    bool fulltext = !strcasecmp(type, "FULLTEXT");
    if (!fulltext && strcasecmp(type, "SPATIAL") != 0)
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    const char *name = sql_get_str(s->node, "idxname");
    lint_span at = mysql_find_word(ctx, s, s->start, type);
    report(ctx, at,
           arena_printf(lint_arena(ctx), "adding %s index %s to %s",
                        fulltext ? "FULLTEXT" : "SPATIAL", name ? name : "", table),
           fulltext ? "ALGORITHM=INPLACE, LOCK=SHARED (the first FULLTEXT index of a table also "
                      "rebuilds it)"
                    : "ALGORITHM=INPLACE, LOCK=SHARED",
           table,
           "build the index with an online schema change tool (gh-ost, "
           "pt-online-schema-change), or create it with the table while it is empty");
}

static void check_alter(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!rel || lint_rangevar_is_new(ctx, rel))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    bool adds_pk = false;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        adds_pk = adds_pk || (is(sql_get_str(cmd, "subtype"), "AT_AddConstraint") &&
                              is(sql_get_str(sql_get(sql_get(cmd, "def"), "Constraint"), "contype"),
                                 "CONSTR_PRIMARY"));
    }
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const cJSON *def = sql_get(sql_get(cmd, "def"), "ColumnDef");
        if (is(sub, "AT_AddColumn") && sql_get_bool(def, "mysqlAutoIncrement")) {
            long loc = sql_location(def);
            lint_span at = loc >= 0 ? mysql_token_at(ctx, s, (size_t)loc) : lint_stmt_head(ctx, s);
            report(ctx, at,
                   arena_printf(lint_arena(ctx), "adding AUTO_INCREMENT column %s.%s", table,
                                sql_get_str(def, "colname")),
                   "ALGORITHM=INPLACE, LOCK=SHARED and a table rebuild", table,
                   "add the column without AUTO_INCREMENT and fill it in batches, or run the "
                   "change with an online schema change tool (gh-ost, pt-online-schema-change)");
        } else if (is(sub, "AT_DropConstraint") && sql_get_bool(cmd, "mysqlPrimaryKey") &&
                   !adds_pk) {
            lint_span at = mysql_find_word(ctx, s, s->start, "PRIMARY");
            report(ctx, at,
                   arena_printf(lint_arena(ctx),
                                "dropping the primary key of %s without adding another", table),
                   "ALGORITHM=COPY, LOCK=SHARED", table,
                   "drop the old primary key and add the new one in the same ALTER TABLE "
                   "(ALGORITHM=INPLACE, LOCK=NONE), or run the change with an online schema "
                   "change tool");
        }
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (!strcmp(s->kind, "IndexStmt"))
        check_index(ctx, s);
    else
        check_alter(ctx, s);
}

const rule rule_mysql_shared_lock_ddl = {.id = "mysql-shared-lock-ddl",
                                         .kinds = "IndexStmt AlterTableStmt",
                                         .check = check,
                                         .dialects = RULE_MYSQL};
