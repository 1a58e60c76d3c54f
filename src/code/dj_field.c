/* dj_field.c - Django model fields as PostgreSQL columns, for CreateModel
 * and AddField: models.CharField(max_length=200) is varchar(200) NOT NULL
 * (Django columns are NOT NULL unless null=True). A ForeignKey named
 * author is the column author_id. Types follow Django's PostgreSQL
 * backend; an unknown field class is text, so the column still exists. */
#include "py.h"
#include "../sql/sql.h"

static const char *const field_types[][2] = {
    {"AutoField", "integer"},
    {"BigAutoField", "bigint"},
    {"SmallAutoField", "smallint"},
    {"TextField", "text"},
    {"IntegerField", "integer"},
    {"BigIntegerField", "bigint"},
    {"SmallIntegerField", "smallint"},
    {"PositiveIntegerField", "integer"},
    {"PositiveBigIntegerField", "bigint"},
    {"PositiveSmallIntegerField", "smallint"},
    {"BooleanField", "boolean"},
    {"NullBooleanField", "boolean"},
    {"DateTimeField", "timestamptz"},
    {"DateField", "date"},
    {"TimeField", "time"},
    {"DurationField", "interval"},
    {"FloatField", "double precision"},
    {"UUIDField", "uuid"},
    {"JSONField", "jsonb"},
    {"BinaryField", "bytea"},
    {"GenericIPAddressField", "inet"},
    {"ForeignKey", "bigint"},
    {"OneToOneField", "bigint"},
    {"SearchVectorField", "tsvector"},
};

static const char *varchar_default(const char *cls)
{
    if (!strcmp(cls, "EmailField"))
        return "254";
    if (!strcmp(cls, "SlugField"))
        return "50";
    if (!strcmp(cls, "URLField"))
        return "200";
    return NULL;
}

/* A Python constant as SQL; NULL for anything else (a callable). */
static const char *literal(const code_ctx *c, TSNode n)
{
    if (code_node_is(n, "integer") || code_node_is(n, "float"))
        return code_node_text(c, n);
    if (py_is_true(c, n))
        return "true";
    if (py_is_false(c, n))
        return "false";
    char *s = py_str(c, n);
    if (!s)
        return NULL;
    return sql_quote_literal(c->a, s);
}

const char *dj_field_sql(const code_ctx *c, const char *name, TSNode field_call, bool *pk,
                         bool *m2m)
{
    TSNode obj;
    const char *cls = code_node_is(field_call, "call") ? py_method(c, field_call, &obj) : NULL;
    *pk = *m2m = false;
    if (!cls)
        return NULL;
    if (!strcmp(cls, "ManyToManyField")) {
        *m2m = true;
        return NULL;
    }
    py_args a;
    py_args_read(c, field_call, &a);
    const char *type = NULL, *len = NULL;
    if (!strcmp(cls, "CharField") || varchar_default(cls)) {
        TSNode n = py_arg(&a, 99, "max_length");
        len = code_node_is(n, "integer") ? code_node_text(c, n) : varchar_default(cls);
        type = len ? arena_printf(c->a, "varchar(%s)", len) : "varchar";
    } else if (!strcmp(cls, "DecimalField")) {
        TSNode p = py_arg(&a, 99, "max_digits"), s = py_arg(&a, 99, "decimal_places");
        type =
            code_node_is(p, "integer") && code_node_is(s, "integer")
                ? arena_printf(c->a, "numeric(%s, %s)", code_node_text(c, p), code_node_text(c, s))
                : "numeric";
    }
    for (size_t i = 0; !type && i < sizeof field_types / sizeof *field_types; i++)
        if (!strcmp(cls, field_types[i][0]))
            type = field_types[i][1];
    if (!type)
        type = "text";
    bool fk = !strcmp(cls, "ForeignKey") || !strcmp(cls, "OneToOneField");
    char *db_column = py_str(c, py_arg(&a, 99, "db_column"));
    const char *col = db_column ? db_column : fk ? arena_printf(c->a, "%s_id", name) : name;
    *pk = py_is_true(c, py_arg(&a, 99, "primary_key"));
    bool null = py_is_true(c, py_arg(&a, 99, "null"));
    TSNode d = py_arg(&a, 99, "default");
    const char *dflt = NULL;
    if (!ts_node_is_null(d))
        dflt = literal(c, d) ? literal(c, d) : "NULL"; /* a callable: Django fills the rows */
    /* Django's effective default for a blank string field is '' */
    bool text = len || !strcmp(type, "text");
    if (!dflt && !null && text && py_is_true(c, py_arg(&a, 99, "blank")))
        dflt = "''";
    return arena_printf(c->a, "%s %s%s%s%s", code_ident(c->a, col), type, null ? "" : " NOT NULL",
                        dflt ? " DEFAULT " : "", dflt ? dflt : "");
}
