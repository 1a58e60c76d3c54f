/* drop-schema: DROP SCHEMA removes every object in it (with CASCADE) or
 * fails (without); either way it is never a routine migration step. */
#include <string.h>

#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *type = sql_get_str(s->node, "removeType");
    if (!type || strcmp(type, "OBJECT_SCHEMA") != 0)
        return;
    const char *behavior = sql_get_str(s->node, "behavior");
    bool cascade = behavior && strcmp(behavior, "DROP_CASCADE") == 0;
    size_t cursor = s->start;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const char *name = lint_object_name(ctx, obj);
        lint_span at = lint_find_name(ctx, s, cursor, name);
        cursor = at.end;
        if (lint_relation_is_new(ctx, name, ""))
            continue;
        diag *d = lint_report(ctx, "drop-schema", at.start, at.end, "dropping schema %s%s", name,
                              cascade ? " and everything in it (CASCADE)" : "");
        lint_help(ctx, d,
                  "move or drop the objects in %s one by one in earlier migrations, each after "
                  "the code that uses it is gone; then drop the empty schema",
                  name);
    }
}

const rule rule_drop_schema = {.id = "drop-schema", .kinds = "DropStmt", .check = check};
