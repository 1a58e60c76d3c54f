/* sa_column.c - SQLAlchemy columns as PostgreSQL column definitions, for
 * Alembic's op.create_table and op.add_column: sa.Column('email',
 * sa.String(length=255), nullable=False) is "email" varchar(255) NOT NULL.
 * Types map the way SQLAlchemy's PostgreSQL dialect renders them; a type
 * or server_default migralint cannot read makes the column unreadable. */
#include <stdio.h>

#include "py.h"
#include "../sql/sql.h"

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* The last dotted part of a type expression: sa.String(255) -> String. */
static const char *type_name(const code_ctx *c, TSNode t, TSNode *call)
{
    *call = (TSNode){0};
    if (code_node_is(t, "call")) {
        *call = t;
        t = field(t, "function");
    }
    char *s = code_node_text(c, t);
    const char *dot = strrchr(s, '.');
    return dot ? dot + 1 : s;
}

static const char *int_arg(const code_ctx *c, const py_args *a, size_t pos, const char *kw)
{
    TSNode n = py_arg(a, pos, kw);
    return code_node_is(n, "integer") ? code_node_text(c, n) : NULL;
}

static const char *const simple_types[][2] = {
    {"Integer", "integer"},
    {"INTEGER", "integer"},
    {"BigInteger", "bigint"},
    {"BIGINT", "bigint"},
    {"SmallInteger", "smallint"},
    {"SMALLINT", "smallint"},
    {"Text", "text"},
    {"TEXT", "text"},
    {"UnicodeText", "text"},
    {"Boolean", "boolean"},
    {"BOOLEAN", "boolean"},
    {"Date", "date"},
    {"DATE", "date"},
    {"Time", "time"},
    {"Float", "double precision"},
    {"FLOAT", "double precision"},
    {"REAL", "real"},
    {"JSON", "json"},
    {"JSONB", "jsonb"},
    {"UUID", "uuid"},
    {"Uuid", "uuid"},
    {"LargeBinary", "bytea"},
    {"BYTEA", "bytea"},
    {"Interval", "interval"},
    {"INTERVAL", "interval"},
    {"INET", "inet"},
    {"CIDR", "cidr"},
    {"TSVECTOR", "tsvector"},
    {"Enum", "text"},
    {"ENUM", "text"},
    {"HSTORE", "hstore"},
    {"MONEY", "money"},
};

const char *sa_type_sql(const code_ctx *c, TSNode t)
{
    TSNode call;
    const char *name = type_name(c, t, &call);
    py_args a = {0};
    if (!ts_node_is_null(call))
        py_args_read(c, call, &a);
    if (!strcmp(name, "String") || !strcmp(name, "VARCHAR") || !strcmp(name, "Unicode")) {
        const char *n = int_arg(c, &a, 0, "length");
        return n ? arena_printf(c->a, "varchar(%s)", n) : "varchar";
    }
    if (!strcmp(name, "CHAR")) {
        const char *n = int_arg(c, &a, 0, "length");
        return arena_printf(c->a, "char(%s)", n ? n : "1");
    }
    if (!strcmp(name, "Numeric") || !strcmp(name, "NUMERIC") || !strcmp(name, "DECIMAL")) {
        const char *p = int_arg(c, &a, 0, "precision"), *s = int_arg(c, &a, 1, "scale");
        return p ? arena_printf(c->a, "numeric(%s%s%s)", p, s ? ", " : "", s ? s : "") : "numeric";
    }
    if (!strcmp(name, "DateTime") || !strcmp(name, "TIMESTAMP"))
        return py_is_true(c, py_arg(&a, 0, "timezone")) ? "timestamptz" : "timestamp";
    if (!strcmp(name, "ARRAY")) {
        const char *inner = a.npos ? sa_type_sql(c, a.pos[0]) : NULL;
        return inner ? arena_printf(c->a, "%s[]", inner) : NULL;
    }
    for (size_t i = 0; i < sizeof simple_types / sizeof *simple_types; i++)
        if (!strcmp(name, simple_types[i][0]))
            return simple_types[i][1];
    return NULL;
}

/* server_default: sa.text("now()") is SQL; a plain string is a literal. */
static const char *server_default(const code_ctx *c, TSNode d, bool *ok)
{
    *ok = true;
    if (ts_node_is_null(d) || code_node_is(d, "none"))
        return NULL;
    char *sql = py_str(c, d);
    if (sql && code_node_is(d, "call"))
        return sql;
    if (sql)
        return sql_quote_literal(c->a, sql);
    char *text = code_node_text(c, d);
    if (strstr(text, "false()"))
        return "false";
    if (strstr(text, "true()"))
        return "true";
    if (strstr(text, "func.now()"))
        return "now()";
    *ok = false;
    return NULL;
}

const char *sa_column_sql(const code_ctx *c, TSNode col, bool *pk)
{
    py_args a;
    py_args_read(c, col, &a);
    char *name = py_str(c, py_arg(&a, 0, "name"));
    const char *type = a.npos > 1 ? sa_type_sql(c, a.pos[1]) : NULL;
    if (!type && py_has(&a, 99, "type_"))
        type = sa_type_sql(c, py_arg(&a, 99, "type_"));
    bool ok;
    const char *dflt = server_default(c, py_arg(&a, 99, "server_default"), &ok);
    if (!name || !type || !ok)
        return NULL;
    *pk = py_is_true(c, py_arg(&a, 99, "primary_key"));
    TSNode nullable = py_arg(&a, 99, "nullable");
    bool not_null = py_is_false(c, nullable) || (*pk && ts_node_is_null(nullable));
    return arena_printf(c->a, "%s %s%s%s%s", code_ident(c->a, name), type,
                        not_null ? " NOT NULL" : "", dflt ? " DEFAULT " : "", dflt ? dflt : "");
}
