/* add-column-not-null-no-default: ALTER TABLE ... ADD COLUMN ... NOT NULL
 * (or PRIMARY KEY) without a DEFAULT on an existing table. PostgreSQL fills
 * the new column with NULL in every existing row, so the statement fails
 * ("column ... contains null values") as soon as the table has a row: the
 * migration passes on an empty development database and breaks the deploy in
 * production. Identity, serial and generated columns get values and are not
 * this rule. One finding per statement: the columns it adds fail together
 * (each one a related location). */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool is_serial(const cJSON *type_name)
{
    static const char *const serials[] = {"serial",      "serial2",   "serial4", "serial8",
                                          "smallserial", "bigserial", NULL};
    const cJSON *names = sql_get(type_name, "names");
    if (cJSON_GetArraySize(names) != 1)
        return false;
    const char *t = sql_string_value(cJSON_GetArrayItem(names, 0));
    for (const char *const *p = serials; *p; p++)
        if (is(t, *p))
            return true;
    return false;
}

/* The NOT NULL or PRIMARY KEY constraint that makes the column required, or
 * NULL when the column is nullable or gets a value for existing rows. */
static const cJSON *required_without_value(const cJSON *coldef)
{
    if (is_serial(sql_get(coldef, "typeName")))
        return NULL;
    const cJSON *item, *required = NULL;
    cJSON_ArrayForEach(item, sql_get(coldef, "constraints"))
    {
        const cJSON *c = sql_get(item, "Constraint");
        const char *type = sql_get_str(c, "contype");
        if (is(type, "CONSTR_DEFAULT") || is(type, "CONSTR_IDENTITY") ||
            is(type, "CONSTR_GENERATED"))
            return NULL;
        if (!required && (is(type, "CONSTR_NOTNULL") || is(type, "CONSTR_PRIMARY")))
            required = c;
    }
    return required;
}

/* One finding per statement and kind (NOT NULL, PRIMARY KEY): the columns
 * fail together, on the same first row. */
typedef struct required_cols {
    const char *names[64];
    lint_span at[64];
    size_t n, more;
} required_cols;

static void note_column(lint_ctx *ctx, const sql_stmt *s, const cJSON *coldef, required_cols *nn,
                        required_cols *pk)
{
    const cJSON *c = required_without_value(coldef);
    if (!c || sql_location(c) < 0)
        return;
    bool is_pk = is(sql_get_str(c, "contype"), "CONSTR_PRIMARY");
    required_cols *g = is_pk ? pk : nn;
    size_t start = (size_t)sql_location(c);
    lint_span last = lint_find_keyword(ctx, s, start, is_pk ? "key" : "null");
    if (g->n == sizeof g->names / sizeof g->names[0]) {
        g->more++;
        return;
    }
    g->names[g->n] = sql_get_str(coldef, "colname");
    g->at[g->n++] = (lint_span){start, last.end > start ? last.end : start};
}

/* "t.a", or "columns t.a, t.b and t.c". */
static const char *column_list(lint_ctx *ctx, const char *table, const required_cols *g)
{
    arena *a = lint_arena(ctx);
    if (g->n == 1)
        return arena_printf(a, "column %s.%s", table, g->names[0]);
    const char *out = "columns ";
    for (size_t i = 0; i < g->n; i++)
        out = arena_printf(a, "%s%s%s.%s", out,
                           i == 0                          ? ""
                           : i + 1 == g->n && g->more == 0 ? " and "
                                                           : ", ",
                           table, g->names[i]);
    if (g->more)
        out = arena_printf(a, "%s and %zu more", out, g->more);
    return out;
}

static void report_group(lint_ctx *ctx, const char *table, const required_cols *g, bool pk)
{
    if (g->n == 0)
        return;
    diag *d =
        lint_report(ctx, "add-column-not-null-no-default", g->at[0].start, g->at[0].end,
                    "adding %s as %s without a DEFAULT fails as soon as %s has a "
                    "row (existing rows would hold NULL); until it fails it holds an ACCESS "
                    "EXCLUSIVE lock on %s, blocking every read and write",
                    column_list(ctx, table, g), pk ? "PRIMARY KEY" : "NOT NULL", table, table);
    for (size_t i = 0; g->n > 1 && i < g->n; i++)
        lint_related(ctx, d, NULL, g->at[i].start, g->at[i].end,
                     "column %s.%s: %s without a DEFAULT", table, g->names[i],
                     pk ? "PRIMARY KEY" : "NOT NULL");
    lint_help(ctx, d,
              "give %s a constant DEFAULT (no table rewrite since PostgreSQL 11), or add %s "
              "nullable, backfill in batches, then add CHECK (%s IS NOT NULL) NOT VALID%s, "
              "VALIDATE CONSTRAINT and SET NOT NULL",
              g->n > 1 ? "each" : "it", g->n > 1 ? "them" : "it", g->n > 1 ? "column" : g->names[0],
              g->n > 1 ? " for each" : "");
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!is(sql_get_str(s->node, "objtype"), "OBJECT_TABLE"))
        return;
    /* Only the counts zeroed: the arrays are 3 KB and read up to n. */
    required_cols nn, pk;
    nn.n = nn.more = pk.n = pk.more = 0;
    bool known = false; /* whether the table is new: asked at the first ADD COLUMN */
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        if (!is(sql_get_str(cmd, "subtype"), "AT_AddColumn"))
            continue;
        if (!known && lint_rangevar_is_new(ctx, rel))
            return;
        known = true;
        note_column(ctx, s, sql_get(sql_get(cmd, "def"), "ColumnDef"), &nn, &pk);
    }
    if (nn.n == 0 && pk.n == 0)
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    /* The first column's kind first: findings keep the statement's order. */
    bool pk_first = pk.n && (nn.n == 0 || pk.at[0].start < nn.at[0].start);
    report_group(ctx, table, pk_first ? &pk : &nn, pk_first);
    report_group(ctx, table, pk_first ? &nn : &pk, !pk_first);
}

const rule rule_add_column_not_null_no_default = {
    .id = "add-column-not-null-no-default", .kinds = "AlterTableStmt", .check = check};
