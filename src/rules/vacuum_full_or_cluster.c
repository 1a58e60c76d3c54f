/* vacuum-full-or-cluster: VACUUM FULL and CLUSTER rewrite the whole table
 * (and rebuild its indexes) while holding an ACCESS EXCLUSIVE lock: every
 * read and write of the table waits until the rewrite ends, which on a large
 * table is minutes to hours. Without a table name they do this to every
 * table of the database (CLUSTER: every table clustered before). */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool has_full(const cJSON *options)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, options)
    {
        const cJSON *d = sql_get(p, "DefElem");
        const char *arg = sql_string_value(sql_get(d, "arg"));
        if (is(sql_get_str(d, "defname"), "full") && !is(arg, "false") && !is(arg, "off") &&
            !is(arg, "0"))
            return true;
    }
    return false;
}

/* Appends rv's name to *list unless the table is new in this migration. */
static void add_table(lint_ctx *ctx, const cJSON *rv, const char **list)
{
    if (!rv || lint_rangevar_is_new(ctx, rv))
        return;
    const char *name = sql_rangevar_name(lint_arena(ctx), rv);
    *list = *list ? arena_printf(lint_arena(ctx), "%s, %s", *list, name) : name;
}

static void report(lint_ctx *ctx, const sql_stmt *s, const char *what, const char *tables)
{
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "vacuum-full-or-cluster", at.start, at.end,
                          "%s rewrites %s under an ACCESS EXCLUSIVE lock: every read and write "
                          "waits until the rewrite ends",
                          what, tables);
    lint_help(ctx, d,
              "rebuild bloated tables online with pg_repack or pg_squeeze, outside the "
              "migration; plain VACUUM (SHARE UPDATE EXCLUSIVE) reclaims space for reuse "
              "without blocking reads or writes");
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *tables = NULL;
    const cJSON *item;
    if (!strcmp(s->kind, "ClusterStmt")) {
        const cJSON *rel = sql_get(s->node, "relation");
        add_table(ctx, rel, &tables);
        if (!rel)
            tables = "every previously clustered table";
        if (tables)
            report(ctx, s, "CLUSTER", tables);
        return;
    }
    if (!has_full(sql_get(s->node, "options")))
        return;
    cJSON_ArrayForEach(item, sql_get(s->node, "rels"))
        add_table(ctx, sql_get(sql_get(item, "VacuumRelation"), "relation"), &tables);
    if (!sql_get(s->node, "rels"))
        tables = "every table of the database";
    if (tables)
        report(ctx, s, "VACUUM FULL", tables);
}

const rule rule_vacuum_full_or_cluster = {
    .id = "vacuum-full-or-cluster", .kinds = "VacuumStmt ClusterStmt", .check = check};
