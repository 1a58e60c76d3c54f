/* mysql_add_primary_key.c - the MySQL half of add-primary-key. InnoDB keeps
 * the rows in primary key order (the clustered index), so adding a primary
 * key rewrites the whole table: ALGORITHM=INPLACE with a rebuild, LOCK=NONE
 * (MySQL 8.0 reference, Online DDL Operations, "Adding a primary key").
 * Writes go on, but the rebuild costs the table's size in I/O and disk, takes
 * an exclusive metadata lock at its start and end, and replicas lag by all
 * of it. */
#include <string.h>

#include "mysql_rules.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* "(a, b)" from the constraint's keys. */
static const char *key_list(lint_ctx *ctx, const cJSON *c)
{
    const char *list = NULL;
    const cJSON *k;
    cJSON_ArrayForEach(k, sql_get(c, "keys"))
    {
        list = list ? arena_printf(lint_arena(ctx), "%s, %s", list, sql_string_value(k))
                    : sql_string_value(k);
    }
    return list ? list : "...";
}

void mysql_check_add_primary_key(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!rel || lint_rangevar_is_new(ctx, rel))
        return;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const cJSON *c = sql_get(sql_get(cmd, "def"), "Constraint");
        if (!is(sql_get_str(cmd, "subtype"), "AT_AddConstraint") ||
            !is(sql_get_str(c, "contype"), "CONSTR_PRIMARY"))
            continue;
        const char *table = sql_rangevar_name(lint_arena(ctx), rel);
        long loc = sql_location(c);
        lint_span at = loc >= 0 ? mysql_token_at(ctx, s, (size_t)loc) : lint_stmt_head(ctx, s);
        diag *d = lint_report(ctx, "add-primary-key", at.start, at.end,
                              "adding a primary key (%s) to %s rebuilds the whole table "
                              "(ALGORITHM=INPLACE, LOCK=NONE, but every row is rewritten into "
                              "the new clustered index): I/O and free disk for all of %s, an "
                              "exclusive metadata lock at its start and end, and replicas lag "
                              "until they have rebuilt it too",
                              key_list(ctx, c), table, table);
        lint_help(ctx, d,
                  "give tables their primary key in CREATE TABLE; on a large existing table, run "
                  "the change with an online schema change tool (gh-ost, "
                  "pt-online-schema-change) that throttles on replica lag");
    }
}
