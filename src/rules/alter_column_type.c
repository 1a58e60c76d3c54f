/* alter-column-type: ALTER COLUMN ... TYPE on an existing table. Unless the
 * new type is binary-coercible from the old one, PostgreSQL rewrites the
 * table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: no read or
 * write of the table until it ends. The catalog knows the old type, so the
 * changes PostgreSQL makes without a rewrite stay quiet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "mysql_rules.h"
#include "rule.h"

/* "character varying(20)" -> 20; -1 without a length. */
static int typmod_of(const char *type, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(type, prefix, n) != 0)
        return -2;
    if (type[n] == '\0')
        return -1;
    return type[n] == '(' ? atoi(type + n + 1) : -2;
}

/* "timestamp(3) with time zone" -> 3 and tail " with time zone";
 * "time without time zone" -> -1; -2 when type is not `base`. */
static int precision_of(const char *type, const char *base, const char **tail)
{
    size_t n = strlen(base);
    if (strncmp(type, base, n) != 0)
        return -2;
    if (type[n] == '(') {
        const char *close = strchr(type + n, ')');
        if (!close)
            return -2;
        *tail = close + 1;
        return atoi(type + n + 1);
    }
    if (type[n] != '\0' && type[n] != ' ')
        return -2;
    *tail = type + n;
    return -1;
}

/* numeric(p,s): fills p and s; false for anything else. */
static bool numeric_of(const char *type, int *p, int *s)
{
    if (strcmp(type, "numeric") == 0) {
        *p = *s = -1;
        return true;
    }
    return sscanf(type, "numeric(%d,%d)", p, s) == 2;
}

/* Changes PostgreSQL makes in the catalog only (no rewrite, no index
 * rebuild): a longer or unlimited varchar, varchar <-> text, more numeric
 * precision at the same scale. */
static bool no_rewrite(const char *from, const char *to)
{
    if (strcmp(from, to) == 0)
        return true;
    int old_len = typmod_of(from, "character varying"),
        new_len = typmod_of(to, "character varying");
    bool from_text = strcmp(from, "text") == 0, to_text = strcmp(to, "text") == 0;
    if (old_len != -2 && (to_text || new_len == -1 || (old_len >= 0 && new_len >= old_len)))
        return true;
    if (from_text && new_len == -1)
        return true;
    /* More (or unlimited) fractional-second precision keeps the stored value. */
    static const char *const timed[] = {"timestamp", "time", "interval"};
    for (size_t i = 0; i < 3; i++) {
        const char *ft, *tt;
        int a = precision_of(from, timed[i], &ft), b = precision_of(to, timed[i], &tt);
        if (a != -2 && b != -2 && strcmp(ft, tt) == 0 && (b == -1 || (a >= 0 && b >= a)))
            return true;
    }
    int p1, s1, p2, s2;
    if (numeric_of(from, &p1, &s1) && numeric_of(to, &p2, &s2))
        return p2 == -1 || (p1 >= 0 && p2 >= p1 && s2 == s1);
    return false;
}

static void check_cmd(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *cmd,
                      lint_span part)
{
    const char *col = sql_get_str(cmd, "name");
    const cJSON *type_name = sql_get(sql_get(sql_get(cmd, "def"), "ColumnDef"), "typeName");
    const char *to = lint_format_type(ctx, type_name);
    const catalog *cat = lint_catalog(ctx);
    const cat_table *t =
        cat ? catalog_find_table(cat, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"))
            : NULL;
    const cat_column *c = t && col ? cat_table_find_column(t, col) : NULL;
    const char *from = c ? c->type : NULL;
    if (!col || (from && to && no_rewrite(from, to)))
        return;
    char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_find_name(ctx, s, part.start, col);
    diag *d;
    if (from)
        d = lint_report(ctx, "alter-column-type", at.start, at.end,
                        "changing %s.%s from %s to %s rewrites %s and rebuilds its indexes under "
                        "an ACCESS EXCLUSIVE lock: every read and write of %s waits until it ends",
                        table, col, from, to ? to : "the new type", table, table);
    else
        d = lint_report(ctx, "alter-column-type", at.start, at.end,
                        "changing the type of %s.%s to %s rewrites %s under an ACCESS EXCLUSIVE "
                        "lock unless the old type converts without a rewrite (the migrations do "
                        "not show its old type)",
                        table, col, to ? to : "a new type", table);
    lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"), col,
                        false, LINT_DEP_CHANGE);
    lint_help(ctx, d,
              "add a column of the new type, keep it in sync (trigger or dual writes), backfill "
              "it in batches, switch reads, then drop %s.%s in a later migration",
              table, col);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_alter_column_type(ctx, s);
        return;
    }
    const cJSON *rel = sql_get(s->node, "relation");
    if (!rel)
        return;
    /* Whether the table is new and its name are worked out at the first
     * ALTER COLUMN TYPE: most ALTER TABLEs do something else. */
    bool known = false;
    lint_span name = {0, 0};
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        if (sub && strcmp(sub, "AT_AlterColumnType") == 0) {
            if (!known) {
                if (lint_rangevar_is_new(ctx, rel))
                    return;
                name = lint_name_at(ctx, s, (size_t)sql_location(rel));
                known = true;
            }
            check_cmd(ctx, s, rel, cmd, lint_subcommand(ctx, s, name.end, i));
        }
        i++;
    }
}

const rule rule_alter_column_type = {.id = "alter-column-type",
                                     .kinds = "AlterTableStmt",
                                     .check = check,
                                     .dialects = RULE_ALL_DIALECTS};
