/* mysql_alter_column_type.c - the MySQL half of alter-column-type. MODIFY
 * and CHANGE restate a column's whole definition; InnoDB changes the data
 * type only with ALGORITHM=COPY, LOCK=SHARED (the table is copied while
 * writes wait). Quiet for what it changes in place: the same type restated
 * (a new default, comment or nullability), a longer VARCHAR or VARBINARY
 * whose maximum stays on the same side of 255 bytes (the length prefix
 * keeps its size), ENUM and SET values appended at the end. A character set
 * change, or CONVERT TO CHARACTER SET, copies the table too. MySQL 8.0
 * reference, Online DDL Operations (column and table operations), checked
 * against MariaDB 10.11 by tests/t_mysql_rules.sh. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../catalog/catalog.h"
#include "mysql_rules.h"

/* MySQL 8's default character set, for columns whose own the migrations do
 * not show. */
#define MYSQL_DEFAULT_CHARSET "utf8mb4"

static bool starts(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* "varchar(50)" -> 50 for base "varchar"; -1 for another type. */
static long length_of(const char *type, const char *base)
{
    size_t n = strlen(base);
    if (strncasecmp(type, base, n) != 0 || type[n] != '(')
        return -1;
    return strtol(type + n + 1, NULL, 10);
}

static bool is_text_type(const char *type)
{
    static const char *const bases[] = {"varchar",    "char",     "tinytext", "text",
                                        "mediumtext", "longtext", "enum",     "set"};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        size_t n = strlen(bases[i]);
        if (!strncasecmp(type, bases[i], n) &&
            (type[n] == '\0' || type[n] == '(' || type[n] == ' '))
            return true;
    }
    return false;
}

/* The number of values of "enum('a','b')" (commas outside quotes, plus 1). */
static int member_count(const char *type)
{
    int n = 1;
    bool quoted = false;
    for (const char *p = strchr(type, '('); p && *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            n++;
    }
    return n;
}

/* Bytes an ENUM (1 up to 255 values) or SET (1, 2, 3, 4 or 8) value takes. */
static int member_storage(const char *type, bool set)
{
    int n = member_count(type);
    if (!set)
        return n <= 255 ? 1 : 2;
    int bytes = (n + 7) / 8;
    return bytes > 4 ? 8 : bytes;
}

/* new lists old's values first, then more: "enum('a','b')" -> "enum('a','b','c')". */
static bool appends_values(const char *from, const char *to)
{
    bool set = starts(from, "set(");
    if (!(set || starts(from, "enum(")) || strncasecmp(from, to, set ? 4 : 5) != 0)
        return false;
    size_t n = strlen(from);
    if (n < 2 || from[n - 1] != ')' || strncmp(from, to, n - 1) != 0 || to[n - 1] != ',')
        return false;
    return member_storage(from, set) == member_storage(to, set);
}

/* Integer display widths mean nothing to the stored value. */
static const char *without_width(lint_ctx *ctx, const char *type)
{
    if (starts(type, "tinyint(1)"))
        return arena_printf(lint_arena(ctx), "tinyint%s", type + 10);
    return type;
}

typedef struct change {
    const char *table, *col, *from, *to;
    const char *from_cs, *to_cs; /* character sets, for text types */
    const char *why;             /* what makes it a copy, when not the type itself */
} change;

/* Does MySQL 8 copy the table for this change? Fills c->why. */
static bool needs_copy(lint_ctx *ctx, change *c)
{
    const char *from = without_width(ctx, c->from), *to = without_width(ctx, c->to);
    bool text = is_text_type(from) && is_text_type(to);
    if (text && strcasecmp(c->from_cs, c->to_cs) != 0) {
        c->why =
            arena_printf(lint_arena(ctx), "its character set from %s to %s", c->from_cs, c->to_cs);
        return true;
    }
    if (!strcasecmp(from, to) || appends_values(from, to))
        return false;
    static const char *const varlen[] = {"varchar", "varbinary"};
    for (size_t i = 0; i < 2; i++) {
        long a = length_of(from, varlen[i]), b = length_of(to, varlen[i]);
        if (a < 0 || b < 0 || strcmp(from + strcspn(from, ")"), to + strcspn(to, ")")) != 0)
            continue;
        int w = i == 0 ? mysql_charset_width(c->to_cs) : 1;
        if (b >= a && (a * w <= 255) == (b * w <= 255))
            return false;
        if (b >= a)
            c->why = arena_printf(lint_arena(ctx),
                                  "%ld to %ld bytes%s%s, across 255: the length prefix of every "
                                  "value grows from 1 to 2 bytes",
                                  a * w, b * w, i == 0 ? " under " : "", i == 0 ? c->to_cs : "");
        else
            c->why = "shorter: every value is checked and copied";
        return true;
    }
    return true;
}

/* The character set a column of the catalog has: its collation's, else the
 * table's default as the replay knows it, else MySQL 8's default. */
static const char *column_charset(lint_ctx *ctx, const cat_column *col)
{
    const char *cs = col ? mysql_charset_of(ctx, col->collation) : NULL;
    return cs ? cs : MYSQL_DEFAULT_CHARSET;
}

/* The character set a MODIFY gives the column: its CHARACTER SET or
 * COLLATE; without them MySQL gives it the table's default, which the
 * catalog does not keep: the column's own is taken to stay (a MODIFY that
 * drops the CHARACTER SET of a column unlike its table goes unreported). */
static const char *new_charset(lint_ctx *ctx, const cJSON *def, const char *old)
{
    const char *cs = sql_get_str(def, "mysqlCharset");
    if (!cs)
        cs = sql_get_str(def, "mysqlCollation");
    return cs ? mysql_charset_of(ctx, cs) : old;
}

static void report(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const change *c,
                   lint_span at)
{
    diag *d = lint_report(ctx, "alter-column-type", at.start, at.end,
                          "changing %s.%s from %s to %s%s%s%s: MySQL copies the whole table "
                          "(ALGORITHM=COPY, LOCK=SHARED): reads go on, but every INSERT, UPDATE "
                          "and DELETE of %s waits until the copy ends",
                          c->table, c->col, c->from, c->to, c->why ? " (" : "",
                          c->why ? c->why : "", c->why ? ")" : "", c->table);
    (void)s;
    lint_add_dependents(ctx, d, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"), c->col,
                        false, LINT_DEP_CHANGE);
    lint_help(ctx, d,
              "add a column of the new type, backfill it in batches, switch the code to it and "
              "drop %s.%s in a later migration; or run the change with an online schema change "
              "tool (gh-ost, pt-online-schema-change)",
              c->table, c->col);
}

static void check_modify(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cat_table *t,
                         const cJSON *cmd)
{
    const cJSON *def = sql_get(sql_get(cmd, "def"), "ColumnDef");
    change c = {0};
    c.col = sql_get_str(cmd, "name");
    c.to = sql_get_str(sql_get(def, "typeName"), "mysqlType");
    const cat_column *col = t && c.col ? cat_table_find_column(t, c.col) : NULL;
    if (!col || !col->type || !c.to)
        return; /* a column the migrations did not build: its old type is unknown */
    c.table = sql_rangevar_name(lint_arena(ctx), rel);
    c.from = col->type;
    c.from_cs = column_charset(ctx, col);
    c.to_cs = new_charset(ctx, def, c.from_cs);
    if (!needs_copy(ctx, &c))
        return;
    long loc = sql_location(def);
    lint_span at = loc >= 0 ? mysql_token_at(ctx, s, (size_t)loc) : lint_stmt_head(ctx, s);
    report(ctx, s, rel, &c, at);
}

static void check_convert(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const char *cs)
{
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = mysql_find_word(ctx, s, s->start, "CONVERT");
    diag *d = lint_report(ctx, "alter-column-type", at.start, at.end,
                          "converting table %s to character set %s changes the type of every "
                          "text column: MySQL copies the whole table (ALGORITHM=COPY, "
                          "LOCK=SHARED): reads go on, but every INSERT, UPDATE and DELETE of %s "
                          "waits until the copy ends",
                          table, cs, table);
    lint_help(ctx, d,
              "run the conversion with an online schema change tool (gh-ost, "
              "pt-online-schema-change), or create a new table in %s and move the rows in "
              "batches",
              cs);
}

void mysql_check_alter_column_type(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    if (!rel || lint_rangevar_is_new(ctx, rel))
        return;
    const char *cs = sql_get_str(s->node, "mysqlConvertCharset");
    if (cs)
        check_convert(ctx, s, rel, cs);
    const catalog *cat = lint_catalog(ctx);
    const cat_table *t =
        cat ? catalog_find_table(cat, sql_get_str(rel, "schemaname"), sql_get_str(rel, "relname"))
            : NULL;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        if (sub && !strcmp(sub, "AT_AlterColumnType"))
            check_modify(ctx, s, rel, t, cmd);
    }
}
