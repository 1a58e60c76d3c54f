/* drop-type: DROP TYPE / DROP DOMAIN. Columns of that type block the drop
 * (or are dropped with CASCADE), and code that casts to it breaks. */
#include <string.h>

#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *type = sql_get_str(s->node, "removeType");
    if (!type || (strcmp(type, "OBJECT_TYPE") != 0 && strcmp(type, "OBJECT_DOMAIN") != 0))
        return;
    const char *what = strcmp(type, "OBJECT_TYPE") == 0 ? "type" : "domain";
    size_t cursor = s->start;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const char *dotted = lint_object_name(ctx, obj), *schema;
        const char *name = lint_split_name(ctx, dotted, &schema);
        lint_span at = lint_find_name(ctx, s, cursor, dotted);
        cursor = at.end;
        /* New, or known to be gone already (nothing live to drop). */
        if (lint_relation_is_new(ctx, schema, name) || lint_object_known_absent(ctx, schema, name))
            continue;
        diag *d = lint_report(ctx, "drop-type", at.start, at.end, "dropping %s %s", what, dotted);
        const char *behavior = sql_get_str(s->node, "behavior");
        lint_add_dependents(ctx, d, schema, name, NULL, true,
                            behavior && !strcmp(behavior, "DROP_CASCADE") ? LINT_DEP_DROP_CASCADE
                                                                          : LINT_DEP_DROP);
        lint_help(ctx, d,
                  "first migrate every column and function off %s and deploy code that no longer "
                  "uses it; drop the %s in a later migration",
                  dotted, what);
    }
}

const rule rule_drop_type = {.id = "drop-type", .kinds = "DropStmt", .check = check};
