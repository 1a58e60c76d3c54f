/* drop-table: DROP TABLE on a table that exists in production. Code still
 * deployed (old pods, workers, replicas' readers) fails the moment it runs. */
#include <string.h>

#include "mysql_rules.h"
#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_drop_table(ctx, s);
        return;
    }
    const char *type = sql_get_str(s->node, "removeType");
    if (!type || strcmp(type, "OBJECT_TABLE") != 0)
        return;
    size_t cursor = s->start;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const char *dotted = lint_object_name(ctx, obj), *schema;
        const char *name = lint_split_name(ctx, dotted, &schema);
        lint_span at = lint_find_name(ctx, s, cursor, dotted);
        if (at.start > cursor)
            cursor = at.end;
        /* New, or known to be gone already (nothing live to drop). */
        if (lint_relation_is_new(ctx, schema, name) || lint_object_known_absent(ctx, schema, name))
            continue;
        diag *d = lint_report(ctx, "drop-table", at.start, at.end, "dropping table %s", dotted);
        const char *behavior = sql_get_str(s->node, "behavior");
        lint_add_dependents(ctx, d, schema, name, NULL, false,
                            behavior && !strcmp(behavior, "DROP_CASCADE") ? LINT_DEP_DROP_CASCADE
                                                                          : LINT_DEP_DROP);
        lint_help(ctx, d,
                  "deploy code that no longer reads or writes %s first, then drop the table in a "
                  "later migration (renaming it to %s_deprecated first makes the drop reversible)",
                  dotted, name);
    }
}

const rule rule_drop_table = {
    .id = "drop-table", .kinds = "DropStmt", .check = check, .dialects = RULE_ALL_DIALECTS};
