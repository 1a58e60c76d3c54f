/* non-concurrent-drop-index: DROP INDEX without CONCURRENTLY takes an ACCESS
 * EXCLUSIVE lock on the index's table: reads and writes queue behind it, and
 * behind any long query that already holds a lock on the table. */
#include <string.h>

#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *type = sql_get_str(s->node, "removeType");
    if (!type || strcmp(type, "OBJECT_INDEX") != 0 || sql_get_bool(s->node, "concurrent"))
        return;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const char *dotted = lint_object_name(ctx, obj), *schema;
        const char *name = lint_split_name(ctx, dotted, &schema);
        /* New, or known to be gone already (nothing live to drop). */
        if (lint_relation_is_new(ctx, schema, name) || lint_object_known_absent(ctx, schema, name))
            continue;
        lint_span at = lint_stmt_head(ctx, s);
        diag *d = lint_report(ctx, "non-concurrent-drop-index", at.start, at.end,
                              "dropping index %s without CONCURRENTLY takes an ACCESS EXCLUSIVE "
                              "lock on its table, blocking reads and writes",
                              dotted);
        lint_help(ctx, d, "use DROP INDEX CONCURRENTLY %s, outside a transaction", dotted);
        return; /* one finding per statement: the lock is taken once */
    }
}

const rule rule_non_concurrent_drop_index = {
    .id = "non-concurrent-drop-index", .kinds = "DropStmt", .check = check};
