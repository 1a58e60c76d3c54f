/* add-unique-constraint: ALTER TABLE ... ADD UNIQUE (or ADD COLUMN ...
 * UNIQUE) on an existing table. PostgreSQL builds the unique index while
 * holding an ACCESS EXCLUSIVE lock on the table (ALTER TABLE: "most forms of
 * ADD table_constraint require an ACCESS EXCLUSIVE lock"), so every read and
 * write waits for the whole index build. Building the index CONCURRENTLY
 * first and attaching it with ADD CONSTRAINT ... UNIQUE USING INDEX takes
 * the lock only for an instant, so that form is quiet. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The ALTER TABLE subcommand being checked. The table's name and the
 * subcommand's extent are worked out only for a finding. */
typedef struct subcmd {
    const sql_stmt *s;
    const cJSON *rel;
    int index;
} subcmd;

/* From the constraint's own location to the end of its subcommand. */
static lint_span subcmd_span(lint_ctx *ctx, const subcmd *sc, const cJSON *c)
{
    lint_span name = lint_name_at(ctx, sc->s, (size_t)sql_location(sc->rel));
    lint_span part = lint_subcommand(ctx, sc->s, name.end, sc->index);
    long loc = sql_location(c);
    if (loc >= (long)part.start && loc < (long)part.end)
        part.start = (size_t)loc;
    return part;
}

/* "(a, b)" from the constraint's keys, or the inline column. */
static const char *columns(lint_ctx *ctx, const cJSON *c, const char *col)
{
    const char *list = col;
    const cJSON *k;
    cJSON_ArrayForEach(k, sql_get(c, "keys"))
    {
        list = list ? arena_printf(lint_arena(ctx), "%s, %s", list, sql_string_value(k))
                    : sql_string_value(k);
    }
    return list ? list : "...";
}

static void report(lint_ctx *ctx, lint_span at, const char *table, const cJSON *c, const char *col)
{
    const char *name = sql_get_str(c, "conname");
    const char *idx = name ? name : "...";
    diag *d = lint_report(ctx, "add-unique-constraint", at.start, at.end,
                          "adding unique constraint %s on %s builds its index while holding an "
                          "ACCESS EXCLUSIVE lock on %s: every read and write waits until the "
                          "index is built",
                          name ? name : "(unnamed)", table, table);
    lint_help(ctx, d,
              "%sCREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s) in a migration without a "
              "transaction, then ALTER TABLE %s ADD CONSTRAINT %s UNIQUE USING INDEX %s",
              col ? "add the column without UNIQUE, then " : "", idx, table, columns(ctx, c, col),
              table, idx, idx);
}

static void check_constraint(lint_ctx *ctx, const subcmd *sc, const cJSON *c, const char *col)
{
    if (!is(sql_get_str(c, "contype"), "CONSTR_UNIQUE") || sql_get_str(c, "indexname"))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), sc->rel);
    report(ctx, subcmd_span(ctx, sc, c), table, c, col);
}

static void check_cmd(lint_ctx *ctx, const subcmd *sc, const cJSON *cmd)
{
    const char *sub = sql_get_str(cmd, "subtype");
    const cJSON *def = sql_get(cmd, "def"), *item;
    if (is(sub, "AT_AddConstraint")) {
        check_constraint(ctx, sc, sql_get(def, "Constraint"), NULL);
    } else if (is(sub, "AT_AddColumn")) {
        const cJSON *coldef = sql_get(def, "ColumnDef");
        cJSON_ArrayForEach(item, sql_get(coldef, "constraints"))
            check_constraint(ctx, sc, sql_get(item, "Constraint"), sql_get_str(coldef, "colname"));
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!is(sql_get_str(s->node, "objtype"), "OBJECT_TABLE") || lint_rangevar_is_new(ctx, rel))
        return;
    subcmd sc = {s, rel, 0};
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        check_cmd(ctx, &sc, sql_get(item, "AlterTableCmd"));
        sc.index++;
    }
}

const rule rule_add_unique_constraint = {
    .id = "add-unique-constraint", .kinds = "AlterTableStmt", .check = check};
