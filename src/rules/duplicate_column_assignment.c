/* duplicate-column-assignment: the same column assigned twice in an UPDATE
 * (or an INSERT ... ON CONFLICT DO UPDATE), or listed twice in an INSERT's
 * column list. PostgreSQL rejects the statement ("multiple assignments to
 * same column", "column ... specified more than once"), so the migration
 * fails where it runs. Assigning different elements or fields of one column
 * (SET a[1] = 1, a[2] = 2) is allowed and not reported. */
#include <string.h>

#include "rule.h"

/* A ResTarget with no subscript or field selection assigns the whole column. */
static bool whole(const cJSON *target)
{
    return cJSON_GetArraySize(sql_get(target, "indirection")) == 0;
}

static void check_list(lint_ctx *ctx, const sql_stmt *s, const cJSON *list, bool insert)
{
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const cJSON *t = sql_get(item, "ResTarget");
        const char *name = sql_get_str(t, "name");
        for (int j = 0; name && j < i; j++) {
            const cJSON *prev = sql_get(cJSON_GetArrayItem(list, j), "ResTarget");
            const char *pname = sql_get_str(prev, "name");
            if (!pname || strcmp(pname, name) != 0 || (!whole(t) && !whole(prev)))
                continue;
            lint_span at = lint_name_at(ctx, s, (size_t)sql_location(t));
            diag *d = lint_report(
                ctx, "duplicate-column-assignment", at.start, at.end,
                insert ? "column %s is listed twice: PostgreSQL rejects the INSERT (\"column "
                         "specified more than once\")"
                       : "column %s is assigned twice: PostgreSQL rejects the statement "
                         "(\"multiple assignments to same column\")",
                name);
            lint_help(ctx, d, "keep one %s of %s", insert ? "mention" : "assignment", name);
            break;
        }
        i++;
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (!strcmp(s->kind, "UpdateStmt")) {
        check_list(ctx, s, sql_get(s->node, "targetList"), false);
        return;
    }
    check_list(ctx, s, sql_get(s->node, "cols"), true);
    check_list(ctx, s, sql_get(sql_get(s->node, "onConflictClause"), "targetList"), false);
}

const rule rule_duplicate_column_assignment = {
    .id = "duplicate-column-assignment", .kinds = "UpdateStmt InsertStmt", .check = check};
