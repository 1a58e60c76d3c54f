/* columns.c - the column declarations of CREATE TABLE and ALTER TABLE, for
 * the rules about column types (see rule.h). */
#include <string.h>

#include "rule.h"

const char *lint_builtin_type(const cJSON *type_name)
{
    const cJSON *names = sql_get(type_name, "names");
    int n = cJSON_GetArraySize(names);
    const char *schema = n == 2 ? sql_string_value(cJSON_GetArrayItem(names, 0)) : NULL;
    if (n < 1 || n > 2 || (n == 2 && (!schema || strcmp(schema, "pg_catalog") != 0)))
        return NULL;
    return sql_string_value(cJSON_GetArrayItem(names, n - 1));
}

static void each_create(lint_ctx *ctx, const sql_stmt *s, lint_column_fn fn)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "tableElts"))
    {
        const cJSON *col = sql_get(item, "ColumnDef");
        if (col)
            fn(ctx, s, rel, sql_get_str(col, "colname"), sql_get(col, "typeName"));
    }
}

/* ADD COLUMN and ALTER COLUMN ... TYPE. */
static void each_alter(lint_ctx *ctx, const sql_stmt *s, lint_column_fn fn)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const cJSON *col = sql_get(sql_get(cmd, "def"), "ColumnDef");
        if (!col || !sub ||
            (strcmp(sub, "AT_AddColumn") != 0 && strcmp(sub, "AT_AlterColumnType") != 0))
            continue;
        const char *name = sql_get_str(col, "colname");
        fn(ctx, s, rel, name ? name : sql_get_str(cmd, "name"), sql_get(col, "typeName"));
    }
}

void lint_each_declared_column(lint_ctx *ctx, const sql_stmt *s, lint_column_fn fn)
{
    if (!strcmp(s->kind, "CreateStmt"))
        each_create(ctx, s, fn);
    else if (!strcmp(s->kind, "AlterTableStmt"))
        each_alter(ctx, s, fn);
}

/* From the constraint's own location to the end of its subcommand. */
static lint_span constraint_span(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, int index,
                                 const cJSON *c)
{
    lint_span name = lint_name_at(ctx, s, (size_t)sql_location(rel));
    lint_span part = lint_subcommand(ctx, s, name.end, index);
    long loc = sql_location(c);
    if (loc >= (long)part.start && loc < (long)part.end)
        part.start = (size_t)loc;
    return part;
}

void lint_each_added_constraint(lint_ctx *ctx, const sql_stmt *s, lint_constraint_fn fn)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item, *c;
    const char *objtype = sql_get_str(s->node, "objtype");
    if (!objtype || strcmp(objtype, "OBJECT_TABLE") != 0 || lint_rangevar_is_new(ctx, rel))
        return;
    int index = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const cJSON *def = sql_get(cmd, "def");
        if (sub && !strcmp(sub, "AT_AddConstraint")) {
            c = sql_get(def, "Constraint");
            fn(ctx, s, rel, c, NULL, constraint_span(ctx, s, rel, index, c));
        } else if (sub && !strcmp(sub, "AT_AddColumn")) {
            const cJSON *coldef = sql_get(def, "ColumnDef"), *con;
            cJSON_ArrayForEach(con, sql_get(coldef, "constraints"))
            {
                c = sql_get(con, "Constraint");
                fn(ctx, s, rel, c, sql_get_str(coldef, "colname"),
                   constraint_span(ctx, s, rel, index, c));
            }
        }
        index++;
    }
}
