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

/* What lint_each_added_constraint works out once a statement has a
 * constraint to show: whether the table is new, and the span of each
 * subcommand (asked again for each constraint of an ADD COLUMN before). */
typedef struct added_state {
    bool known, is_new;
    lint_span name; /* the table's name */
    int part_index; /* the subcommand part is the span of, -1: none yet */
    lint_span part;
} added_state;

/* From the constraint's own location to the end of its subcommand. */
static lint_span constraint_span(lint_ctx *ctx, const sql_stmt *s, added_state *st, int index,
                                 const cJSON *c)
{
    if (st->part_index != index) {
        st->part = lint_subcommand(ctx, s, st->name.end, index);
        st->part_index = index;
    }
    lint_span part = st->part;
    long loc = sql_location(c);
    if (loc >= (long)part.start && loc < (long)part.end)
        part.start = (size_t)loc;
    return part;
}

/* False when the table is new in this step: nothing to report on it. */
static bool added_table_known(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, added_state *st)
{
    if (!st->known) {
        st->known = true;
        st->is_new = lint_rangevar_is_new(ctx, rel);
        if (!st->is_new)
            st->name = lint_name_at(ctx, s, (size_t)sql_location(rel));
    }
    return !st->is_new;
}

void lint_each_added_constraint(lint_ctx *ctx, const sql_stmt *s, lint_constraint_fn fn)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item, *c;
    const char *objtype = sql_get_str(s->node, "objtype");
    if (!objtype || strcmp(objtype, "OBJECT_TABLE") != 0)
        return;
    added_state st = {false, false, {0, 0}, -1, {0, 0}};
    int index = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        if (sub && !strcmp(sub, "AT_AddConstraint")) {
            if (!added_table_known(ctx, s, rel, &st))
                return;
            c = sql_get(sql_get(cmd, "def"), "Constraint");
            fn(ctx, s, rel, c, NULL, constraint_span(ctx, s, &st, index, c));
        } else if (sub && !strcmp(sub, "AT_AddColumn")) {
            const cJSON *coldef = sql_get(sql_get(cmd, "def"), "ColumnDef"), *con;
            cJSON_ArrayForEach(con, sql_get(coldef, "constraints"))
            {
                if (!added_table_known(ctx, s, rel, &st))
                    return;
                c = sql_get(con, "Constraint");
                fn(ctx, s, rel, c, sql_get_str(coldef, "colname"),
                   constraint_span(ctx, s, &st, index, c));
            }
        }
        index++;
    }
}
