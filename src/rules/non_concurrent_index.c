/* non-concurrent-index: CREATE INDEX or REINDEX without CONCURRENTLY on an
 * existing table. CREATE INDEX holds a SHARE lock for the whole build, so
 * every INSERT, UPDATE and DELETE on the table waits; on a big table that is
 * minutes of write downtime. */
#include <string.h>

#include "rule.h"

static bool reindex_is_concurrent(const cJSON *node)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, sql_get(node, "params"))
    {
        const char *name = sql_get_str(sql_get(p, "DefElem"), "defname");
        if (name && strcmp(name, "concurrently") == 0)
            return true;
    }
    return false;
}

static void check_create(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (sql_get_bool(s->node, "concurrent") || lint_rangevar_is_new(ctx, rel))
        return;
    char *table = sql_rangevar_name(lint_arena(ctx), rel);
    const char *idx = sql_get_str(s->node, "idxname");
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "non-concurrent-index", at.start, at.end,
                          "creating index %s on %s without CONCURRENTLY takes a SHARE lock on %s: "
                          "it blocks INSERT, UPDATE and DELETE until the index is built",
                          idx ? idx : "(unnamed)", table, table);
    lint_help(ctx, d,
              "use CREATE INDEX CONCURRENTLY %s ON %s ..., in a migration that does not run "
              "inside a transaction",
              idx ? idx : "...", table);
}

static void check_reindex(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (reindex_is_concurrent(s->node) || (rel && lint_rangevar_is_new(ctx, rel)))
        return;
    const char *name = rel ? sql_rangevar_name(lint_arena(ctx), rel) : sql_get_str(s->node, "name");
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "non-concurrent-index", at.start, at.end,
                          "REINDEX of %s without CONCURRENTLY blocks writes to the table and "
                          "takes an ACCESS EXCLUSIVE lock on each index while it is rebuilt",
                          name ? name : "the database");
    lint_help(ctx, d, "use REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction");
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (strcmp(s->kind, "IndexStmt") == 0)
        check_create(ctx, s);
    else
        check_reindex(ctx, s);
}

const rule rule_non_concurrent_index = {
    .id = "non-concurrent-index", .kinds = "IndexStmt ReindexStmt", .check = check};
