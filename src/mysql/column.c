/* column.c - a MySQL column definition as a ColumnDef: the type in MySQL 8's
 * own spelling (information_schema.COLUMNS.COLUMN_TYPE: "bigint unsigned",
 * "tinyint(1)", "varchar(255)", "enum('a','b')"), NOT NULL, DEFAULT,
 * AUTO_INCREMENT (as an identity, plus "mysqlAutoIncrement"), and the
 * MySQL-only attributes as "mysql..." members. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/strbuf.h"

typedef struct synonym {
    const char *word, *type;
} synonym;

/* Spellings MySQL stores under another name. */
static const synonym synonyms[] = {
    {"integer", "int"},    {"int4", "int"},        {"int1", "tinyint"},        {"int2", "smallint"},
    {"int3", "mediumint"}, {"int8", "bigint"},     {"middleint", "mediumint"}, {"dec", "decimal"},
    {"fixed", "decimal"},  {"numeric", "decimal"}, {"real", "double"},         {"float8", "double"},
    {"float4", "float"},   {NULL, NULL},
};

static bool is_int_type(const char *t)
{
    return !strcmp(t, "tinyint") || !strcmp(t, "smallint") || !strcmp(t, "mediumint") ||
           !strcmp(t, "int") || !strcmp(t, "bigint");
}

static bool is_numeric_type(const char *t)
{
    return is_int_type(t) || !strcmp(t, "decimal") || !strcmp(t, "float") || !strcmp(t, "double") ||
           !strcmp(t, "bit");
}

static char *lower(arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* "(10, 2)" -> "(10,2)"; enum and set values re-quoted the way MySQL
 * prints them. */
static const char *type_args(rd *r, size_t from, size_t to)
{
    strbuf b = STRBUF_INIT;
    strbuf_putc(&b, '(');
    for (size_t i = from + 1; i + 1 < to; i++) {
        if (rd_is_string(r, i))
            sql_put_literal(&b, rd_string_value(r, i));
        else
            strbuf_puts(&b, rd_text(r, i, i + 1));
    }
    strbuf_putc(&b, ')');
    const char *out = arena_strdup(r->a, b.data);
    strbuf_free(&b);
    return out;
}

typedef struct col_type {
    const char *text; /* COLUMN_TYPE */
    const char *base; /* the type's name: "bigint", "varchar" */
    bool serial;      /* SERIAL: bigint unsigned NOT NULL AUTO_INCREMENT UNIQUE */
    bool unsig;
} col_type;

/* Reads the type at the cursor. */
static bool read_type(rd *r, col_type *t)
{
    memset(t, 0, sizeof *t);
    if (!rd_is_ident(r, r->i) || rd_is_string(r, r->i))
        return rd_fail(r, "expected a column type");
    const char *w = lower(r->a, rd_text(r, r->i, r->i + 1));
    r->i++;
    for (const synonym *s = synonyms; s->word; s++)
        if (!strcmp(w, s->word))
            w = s->type;
    if (!strcmp(w, "double"))
        rd_accept(r, "PRECISION");
    if (!strcmp(w, "character") || !strcmp(w, "char"))
        if (rd_accept(r, "VARYING"))
            w = "varchar";
    if (!strcmp(w, "long") && (rd_accept(r, "VARCHAR") || rd_accept(r, "VARBINARY")))
        w = "mediumtext";
    if (!strcmp(w, "national") || !strcmp(w, "nchar") || !strcmp(w, "nvarchar")) {
        if (!strcmp(w, "national"))
            w = rd_accept(r, "VARCHAR") ? "varchar" : (rd_accept(r, "CHAR"), "char");
        else
            w = !strcmp(w, "nchar") ? (rd_accept(r, "VARYING") ? "varchar" : "char") : "varchar";
    }
    const char *args = "";
    if (rd_is_punct(r, r->i, '(')) {
        size_t e = rd_group_end(r, r->i);
        args = type_args(r, r->i, e);
        r->i = e;
    }
    bool unsig = false, zerofill = false;
    for (;;) {
        if (rd_accept(r, "UNSIGNED"))
            unsig = true;
        else if (rd_accept(r, "ZEROFILL"))
            zerofill = unsig = true;
        else if (!rd_accept(r, "SIGNED"))
            break;
    }
    t->base = w;
    if (!strcmp(w, "serial")) {
        t->base = "bigint";
        t->text = "bigint unsigned";
        t->serial = t->unsig = true;
        return true;
    }
    if (!strcmp(w, "bool") || !strcmp(w, "boolean")) {
        t->base = "tinyint";
        t->text = "tinyint(1)";
        return true;
    }
    /* MySQL 8 keeps no display width but tinyint(1)'s (a boolean). */
    if (is_int_type(w) && !(strcmp(w, "tinyint") == 0 && strcmp(args, "(1)") == 0))
        args = "";
    if (!strcmp(w, "decimal") && !args[0])
        args = "(10,0)";
    if ((!strcmp(w, "char") || !strcmp(w, "binary")) && !args[0])
        args = "(1)";
    if (!strcmp(w, "year"))
        args = "";
    t->unsig = unsig;
    t->text = arena_printf(r->a, "%s%s%s%s", w, args, unsig ? " unsigned" : "",
                           zerofill ? " zerofill" : "");
    return true;
}

/* A string default on a numeric column is stored as the number. */
static const char *default_text(rd *r, const char *text, const col_type *t)
{
    size_t n = strlen(text);
    if (is_numeric_type(t->base) && n >= 2 && text[0] == '\'' && text[n - 1] == '\'') {
        const char *inner = arena_strndup(r->a, text + 1, n - 2);
        char *end;
        strtod(inner, &end);
        if (*inner && !*end)
            return inner;
    }
    return text;
}

static void add_constraint(cJSON *def, cJSON *con)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(def, "constraints");
    if (!list)
        list = cJSON_AddArrayToObject(def, "constraints");
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToObject(w, "Constraint", con);
    cJSON_AddItemToArray(list, w);
}

/* CHARACTER SET x, CHARSET x, COLLATE x: taken out of tree-sitter's view. */
static bool read_charset(rd *r, cJSON *def)
{
    size_t from = r->i;
    const char *key = NULL;
    if (rd_accept2(r, "CHARACTER", "SET") || rd_accept(r, "CHARSET"))
        key = "mysqlCharset";
    else if (rd_accept(r, "COLLATE"))
        key = "mysqlCollation";
    else
        return false;
    rd_accept_punct(r, '=');
    const char *v = rd_is_string(r, r->i) ? rd_string_value(r, r->i++) : rd_name(r, "a name");
    if (v)
        cJSON_AddStringToObject(def, key, lower(r->a, v));
    rd_mask(r, from, r->i);
    return true;
}

/* REFERENCES in a column definition: MySQL parses it and ignores it. */
static bool skip_references(rd *r, cJSON *def)
{
    const char *s, *n;
    size_t loc;
    if (!rd_qualified(r, &s, &n, &loc))
        return false;
    if (rd_is_punct(r, r->i, '('))
        r->i = rd_group_end(r, r->i);
    while (rd_accept(r, "ON")) {
        if (!rd_accept(r, "DELETE") && !rd_accept(r, "UPDATE"))
            return rd_fail(r, "expected DELETE or UPDATE after ON");
        if (!rd_accept(r, "CASCADE") && !rd_accept(r, "RESTRICT") &&
            !rd_accept2(r, "SET", "NULL") && !rd_accept2(r, "SET", "DEFAULT") &&
            !rd_accept2(r, "NO", "ACTION"))
            return rd_fail(r, "expected CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION");
    }
    cJSON_AddBoolToObject(def, "mysqlIgnoredReferences", 1);
    return true;
}

/* One attribute after the type; false at the end of the definition. */
static bool read_attribute(rd *r, cJSON *def, const col_type *t, bool *ok)
{
    size_t at = rd_start(r, r->i), from = r->i;
    bool is_null;
    if (rd_accept2(r, "NOT", "NULL")) {
        add_constraint(def, nd_constraint("CONSTR_NOTNULL", at));
    } else if (rd_accept(r, "NULL")) {
        add_constraint(def, nd_constraint("CONSTR_NULL", at));
    } else if (rd_accept(r, "DEFAULT")) {
        size_t vat = rd_start(r, r->i);
        const char *v = rd_expr(r, &is_null);
        if (!v)
            return *ok = false;
        cJSON *c = nd_constraint("CONSTR_DEFAULT", at);
        if (is_null) {
            cJSON *n = cJSON_CreateObject();
            cJSON_AddBoolToObject(n, "isnull", 1);
            cJSON_AddNumberToObject(n, "location", (double)vat);
            cJSON *w = cJSON_CreateObject();
            cJSON_AddItemToObject(w, "A_Const", n);
            cJSON_AddItemToObject(c, "raw_expr", w);
        } else {
            cJSON_AddItemToObject(c, "raw_expr", nd_expr(default_text(r, v, t), vat));
        }
        add_constraint(def, c);
        /* the grammar's expressions run on into NOT NULL, COMMENT... */
        rd_mask(r, from, r->i);
    } else if (rd_accept(r, "AUTO_INCREMENT")) {
        cJSON *c = nd_constraint("CONSTR_IDENTITY", at);
        cJSON_AddStringToObject(c, "generated_when", "d");
        add_constraint(def, c);
        cJSON_AddBoolToObject(def, "mysqlAutoIncrement", 1);
    } else if (rd_accept2(r, "PRIMARY", "KEY") || rd_accept(r, "KEY")) {
        add_constraint(def, nd_constraint("CONSTR_PRIMARY", at));
    } else if (rd_accept(r, "UNIQUE")) {
        if (rd_accept(r, "KEY"))
            rd_mask(r, r->i - 1, r->i); /* the grammar takes UNIQUE alone */
        cJSON_AddBoolToObject(def, "mysqlUniqueKey", 1);
    } else if (rd_accept(r, "COMMENT")) {
        if (!rd_is_string(r, r->i))
            return *ok = rd_fail(r, "expected a string after COMMENT");
        cJSON_AddStringToObject(def, "mysqlComment", rd_string_value(r, r->i++));
        rd_mask(r, from, r->i);
    } else if (rd_accept2(r, "ON", "UPDATE")) {
        const char *v = rd_expr(r, &is_null);
        if (!v)
            return *ok = false;
        cJSON_AddStringToObject(def, "mysqlOnUpdate", v);
        rd_mask(r, from, r->i); /* the grammar lacks ON UPDATE in columns */
    } else if (read_charset(r, def)) {
        /* read */
    } else if (rd_accept(r, "REFERENCES")) {
        if (!skip_references(r, def))
            return *ok = false;
    } else if (rd_accept(r, "GENERATED") || rd_peek(r, "AS")) {
        rd_accept(r, "ALWAYS");
        if (!rd_accept(r, "AS") || !rd_is_punct(r, r->i, '('))
            return *ok = rd_fail(r, "expected AS (expression) in a generated column");
        size_t e = rd_group_end(r, r->i);
        cJSON *c = nd_constraint("CONSTR_GENERATED", at);
        cJSON_AddItemToObject(c, "raw_expr", nd_expr(rd_text(r, r->i + 1, e - 1), at));
        r->i = e;
        bool stored = rd_accept(r, "STORED") || rd_accept(r, "PERSISTENT");
        if (!stored)
            rd_accept(r, "VIRTUAL");
        cJSON_AddStringToObject(c, "mysqlGenerated", stored ? "STORED" : "VIRTUAL");
        add_constraint(def, c);
    } else if (rd_accept(r, "CHECK") ||
               (rd_is(r, r->i, "CONSTRAINT") && rd_is(r, r->i + 2, "CHECK"))) {
        if (rd_accept(r, "CONSTRAINT"))
            r->i += 2;
        if (!rd_is_punct(r, r->i, '('))
            return *ok = rd_fail(r, "expected ( after CHECK");
        r->i = rd_group_end(r, r->i);
        if (!rd_accept2(r, "NOT", "ENFORCED"))
            rd_accept(r, "ENFORCED");
    } else if (rd_accept(r, "VISIBLE") || rd_accept(r, "INVISIBLE")) {
        /* no effect on the schema the model keeps */
    } else if (rd_accept(r, "COLUMN_FORMAT") || rd_accept(r, "STORAGE") || rd_accept(r, "SRID")) {
        r->i++;
    } else {
        return false;
    }
    return true;
}

cJSON *my_column_def(rd *r, const char *table)
{
    (void)table;
    size_t loc = rd_start(r, r->i);
    const char *name = rd_name(r, "a column name");
    if (!name)
        return NULL;
    size_t type_from = r->i, type_at = rd_start(r, r->i);
    col_type t;
    if (!read_type(r, &t))
        return NULL;
    /* datetime(3) and the like: the grammar reads the name, not the precision. */
    if (!strcmp(t.base, "datetime") && rd_is_punct(r, type_from + 1, '('))
        rd_mask(r, type_from + 1, rd_group_end(r, type_from + 1));
    cJSON *def = cJSON_CreateObject();
    cJSON_AddStringToObject(def, "colname", name);
    cJSON_AddItemToObject(def, "typeName", nd_typename(t.text, t.base, type_at));
    cJSON_AddBoolToObject(def, "is_local", 1);
    cJSON_AddNumberToObject(def, "location", (double)loc);
    if (t.unsig)
        cJSON_AddBoolToObject(def, "mysqlUnsigned", 1);
    if (t.serial) {
        add_constraint(def, nd_constraint("CONSTR_NOTNULL", type_at));
        cJSON *c = nd_constraint("CONSTR_IDENTITY", type_at);
        cJSON_AddStringToObject(c, "generated_when", "d");
        add_constraint(def, c);
        cJSON_AddBoolToObject(def, "mysqlAutoIncrement", 1);
        cJSON_AddBoolToObject(def, "mysqlUniqueKey", 1);
    }
    bool ok = true;
    while (!rd_done(r) && read_attribute(r, def, &t, &ok))
        ;
    if (!ok || r->error) {
        cJSON_Delete(def);
        return NULL;
    }
    /* AUTO_INCREMENT twice (SERIAL AUTO_INCREMENT, as drizzle-kit writes):
     * one identity. */
    cJSON *cons = cJSON_GetObjectItemCaseSensitive(def, "constraints");
    bool seen = false;
    for (cJSON *c = cons ? cons->child : NULL, *next; c; c = next) {
        next = c->next;
        const char *ct = sql_get_str(sql_get(c, "Constraint"), "contype");
        if (ct && !strcmp(ct, "CONSTR_IDENTITY")) {
            if (seen)
                cJSON_Delete(cJSON_DetachItemViaPointer(cons, c));
            seen = true;
        }
    }
    return def;
}
