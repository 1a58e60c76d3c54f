/* mysql-optimize-table: OPTIMIZE TABLE on an existing table. For InnoDB it
 * is ALTER TABLE ... FORCE plus ANALYZE ("doing recreate + analyze
 * instead"): the whole table and its indexes are rebuilt, online
 * (ALGORITHM=INPLACE, LOCK=NONE) but with the I/O and disk of a full copy,
 * exclusive metadata locks at its start and end, and replica lag; a table
 * with a FULLTEXT index is copied with writes blocked. */
#include <string.h>

#include "mysql_rules.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *command = sql_get_str(s->node, "mysqlCommand");
    const cJSON *item;
    if (!command || strcmp(command, "OPTIMIZE") != 0)
        return;
    cJSON_ArrayForEach(item, sql_get(s->node, "rels"))
    {
        const cJSON *rv = sql_get(sql_get(item, "VacuumRelation"), "relation");
        if (!rv || lint_rangevar_is_new(ctx, rv))
            continue;
        const char *table = sql_rangevar_name(lint_arena(ctx), rv);
        lint_span at = lint_name_at(ctx, s, (size_t)sql_location(rv));
        diag *d = lint_report(ctx, "mysql-optimize-table", at.start, at.end,
                              "OPTIMIZE TABLE %s rebuilds the whole table (ALTER TABLE ... FORCE: "
                              "ALGORITHM=INPLACE, LOCK=NONE, with an exclusive metadata lock at "
                              "its start and end; ALGORITHM=COPY, writes blocked, when it has a "
                              "FULLTEXT index), and replicas lag until they have rebuilt it too",
                              table);
        lint_help(ctx, d,
                  "leave table maintenance out of migrations: rebuild %s from operations "
                  "tooling in a quiet window (gh-ost or pt-online-schema-change with --alter "
                  "\"ENGINE=InnoDB\"); ANALYZE TABLE alone refreshes index statistics",
                  table);
    }
}

const rule rule_mysql_optimize_table = {
    .id = "mysql-optimize-table", .kinds = "VacuumStmt", .check = check, .dialects = RULE_MYSQL};
