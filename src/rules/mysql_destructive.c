/* mysql_destructive.c - the MySQL halves of drop-table, drop-column,
 * rename-table, rename-column and truncate-table. The harm is the one the
 * PostgreSQL rules describe (code that still uses the name breaks, data is
 * gone); the wording names what MySQL 8 / InnoDB does instead of a
 * PostgreSQL lock: an exclusive metadata lock, the online-DDL algorithm, and
 * the implicit commit that no ROLLBACK undoes. */
#include <string.h>

#include "mysql_rules.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

void mysql_check_drop_table(lint_ctx *ctx, const sql_stmt *s)
{
    if (!is(sql_get_str(s->node, "removeType"), "OBJECT_TABLE"))
        return;
    size_t cursor = s->start;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const char *dotted = lint_object_name(ctx, obj), *schema;
        const char *name = lint_split_name(ctx, dotted, &schema);
        lint_span at = mysql_find_word(ctx, s, cursor, name);
        if (at.start > cursor)
            cursor = at.end;
        if (lint_relation_is_new(ctx, schema, name) || lint_object_known_absent(ctx, schema, name))
            continue;
        diag *d = lint_report(ctx, "drop-table", at.start, at.end,
                              "dropping table %s: DROP TABLE waits for an exclusive metadata lock "
                              "on it and commits at once (no ALGORITHM makes it online, no "
                              "ROLLBACK brings it back)",
                              dotted);
        lint_add_dependents(ctx, d, schema, name, NULL, false, LINT_DEP_DROP);
        lint_help(ctx, d,
                  "deploy code that no longer reads or writes %s first, then drop the table in a "
                  "later migration (RENAME TABLE %s TO %s_deprecated first keeps it recoverable)",
                  dotted, dotted, name);
    }
}

void mysql_check_drop_column(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!rel || lint_rangevar_is_new(ctx, rel))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    size_t cursor = lint_name_at(ctx, s, (size_t)sql_location(rel)).end;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *col = sql_get_str(cmd, "name");
        if (!is(sql_get_str(cmd, "subtype"), "AT_DropColumn") || !col)
            continue;
        lint_span at = mysql_find_word(ctx, s, cursor, col);
        if (at.start >= cursor)
            cursor = at.end;
        if (lint_column_known_absent(ctx, rel, col))
            continue;
        diag *d = lint_report(ctx, "drop-column", at.start, at.end,
                              "dropping column %s.%s: code that still reads or writes it fails "
                              "at once and its data is gone (MySQL 8.0.29+ drops it with "
                              "ALGORITHM=INSTANT, earlier 8.0 rebuilds %s with ALGORITHM=INPLACE, "
                              "LOCK=NONE)",
                              table, col, table);
        lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"),
                            col, false, LINT_DEP_DROP);
        lint_help(ctx, d,
                  "stop reading and writing %s.%s in the code (and remove it from the ORM "
                  "model) and deploy that first; drop the column in a later migration",
                  table, col);
    }
}

void mysql_check_rename_table(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (!is(sql_get_str(s->node, "renameType"), "OBJECT_TABLE") || !rel ||
        lint_rangevar_is_new(ctx, rel))
        return;
    char *old = sql_rangevar_name(lint_arena(ctx), rel);
    const char *new_name = sql_get_str(s->node, "newname");
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(rel));
    diag *d = lint_report(ctx, "rename-table", at.start, at.end,
                          "renaming table %s to %s: MySQL renames it at once (ALGORITHM=INSTANT, "
                          "an exclusive metadata lock for a moment), and code that still uses %s "
                          "fails from then on",
                          old, new_name ? new_name : "?", old);
    lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"), NULL,
                        false, LINT_DEP_CHANGE);
    lint_help(ctx, d,
              "create the new table, write to both and backfill, switch reads, then drop %s "
              "later; or rename it and create a view named %s over the new table (a view over "
              "one table is updatable) until old code is gone",
              old, old);
}

void mysql_check_rename_column(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    const char *col = sql_get_str(s->node, "subname");
    if (!is(sql_get_str(s->node, "renameType"), "OBJECT_COLUMN") || !rel || !col ||
        lint_rangevar_is_new(ctx, rel))
        return;
    char *table = sql_rangevar_name(lint_arena(ctx), rel);
    const char *new_name = sql_get_str(s->node, "newname");
    lint_span name = lint_name_at(ctx, s, (size_t)sql_location(rel));
    lint_span at = mysql_find_word(ctx, s, name.end, col);
    diag *d = lint_report(ctx, "rename-column", at.start, at.end,
                          "renaming column %s.%s to %s: MySQL 8.0.28+ renames it with "
                          "ALGORITHM=INSTANT (INPLACE, LOCK=NONE before), and queries and ORM "
                          "models that use %s fail as soon as it commits",
                          table, col, new_name ? new_name : "?", col);
    lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"), col,
                        false, LINT_DEP_CHANGE);
    lint_help(ctx, d,
              "add %s as a new column, write to both and backfill, move reads to it, then drop "
              "%s.%s in a later migration",
              new_name ? new_name : "the new column", table, col);
}

void mysql_check_truncate_table(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "relations"))
    {
        const cJSON *rv = sql_get(item, "RangeVar");
        if (!rv || lint_rangevar_is_new(ctx, rv))
            continue;
        char *name = sql_rangevar_name(lint_arena(ctx), rv);
        lint_span at = lint_name_at(ctx, s, (size_t)sql_location(rv));
        diag *d = lint_report(ctx, "truncate-table", at.start, at.end,
                              "truncating table %s deletes all its rows: MySQL drops and "
                              "re-creates it under an exclusive metadata lock that blocks reads "
                              "and writes, commits at once, and cannot roll it back",
                              name);
        lint_help(ctx, d,
                  "delete the rows you mean to remove with a WHERE clause, in batches; if the "
                  "whole table must go, archive it and drop it once code no longer uses it");
    }
}
