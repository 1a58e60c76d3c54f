/* dj_field.c - Django model fields of a migration as PostgreSQL columns:
 * models.CharField(max_length=200) is varchar(200) NOT NULL (Django
 * columns are NOT NULL unless null=True). A ForeignKey named author is the
 * column author_id, typed as its target's primary key. Types follow the
 * PostgreSQL backend of Django 3.2 (AutoField is serial; Django 4.1+
 * writes an identity column instead, which drift treats alike on both
 * sides, docs/orm.md). An unknown field class is text, so the column still
 * exists. `default=` is Django's: it never stays in the database (Django
 * adds the column with it and drops it at once); `db_default=` does. */
#include <ctype.h>

#include "dj_state.h"
#include "../orm/pytypes.h"
#include "../sql/sql.h"

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
    return s ? sql_quote_literal(c->a, s) : NULL;
}

static char *lowered(arena *a, const char *s)
{
    char *l = arena_strdup(a, s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

const char *dj_model_key(const code_ctx *c, TSNode to, const char *app)
{
    char *s = py_str(c, to);
    if (!s) {
        char *t = code_node_is(to, "attribute") || code_node_is(to, "identifier")
                      ? code_node_text(c, to)
                      : NULL;
        if (!t || !strstr(t, "AUTH_USER_MODEL"))
            return NULL;
        s = arena_strdup(c->a, code_django_auth_user_model());
    }
    if (!strchr(s, '.'))
        s = arena_printf(c->a, "%s.%s", app ? app : "app", s);
    return lowered(c->a, s);
}

/* The type of a column that points at a primary key (or to_field). */
static const char *key_type(const char *t)
{
    if (!strcmp(t, "serial"))
        return "integer";
    if (!strcmp(t, "bigserial"))
        return "bigint";
    return !strcmp(t, "smallserial") ? "smallint" : t;
}

/* The type of the target's key; Django's own apps (auth, contenttypes,
 * sites, admin...) use AutoField. */
static const char *target_type(dj_state *st, const char *to, const char *to_field)
{
    dj_model *m = st ? dj_state_find(st, to) : NULL;
    for (size_t i = 0; m && i < m->nfields; i++) {
        dj_field *f = &m->fields[i];
        if (f->type && (to_field ? !strcmp(f->name, to_field) : f->pk))
            return key_type(f->type);
    }
    return m ? "bigint" : "integer";
}

static const char *base_type(const code_ctx *c, const char *cls, const py_args *a)
{
    int dflt = orm_django_varchar_length(cls);
    if (dflt >= 0) {
        TSNode n = py_arg(a, 99, "max_length");
        if (code_node_is(n, "integer"))
            return arena_printf(c->a, "varchar(%s)", code_node_text(c, n));
        return dflt ? arena_printf(c->a, "varchar(%d)", dflt) : "varchar";
    }
    if (!strcmp(cls, "DecimalField")) {
        TSNode p = py_arg(a, 99, "max_digits"), s = py_arg(a, 99, "decimal_places");
        return code_node_is(p, "integer") && code_node_is(s, "integer")
                   ? arena_printf(c->a, "numeric(%s, %s)", code_node_text(c, p),
                                  code_node_text(c, s))
                   : "numeric";
    }
    if (!strcmp(cls, "ArrayField")) {
        TSNode base = py_arg(a, 0, "base_field");
        TSNode obj;
        const char *bcls = code_node_is(base, "call") ? py_method(c, base, &obj) : NULL;
        py_args ba;
        if (!bcls)
            return "text[]";
        py_args_read(c, base, &ba);
        return arena_printf(c->a, "%s[]", key_type(base_type(c, bcls, &ba)));
    }
    const char *plain = orm_django_field_type(cls);
    if (plain)
        return plain;
    /* a project's own field class: with a max_length, a CharField's */
    TSNode n = py_arg(a, 99, "max_length");
    return code_node_is(n, "integer") ? arena_printf(c->a, "varchar(%s)", code_node_text(c, n))
                                      : "text";
}

static void read_relation(const code_ctx *c, dj_state *st, const py_args *a, dj_field *f)
{
    f->to = dj_model_key(c, py_arg(a, 0, "to"), c->app);
    f->to_field = py_str(c, py_arg(a, 99, "to_field"));
    f->constraint = !py_is_false(c, py_arg(a, 99, "db_constraint"));
    if (f->m2m) {
        f->m2m_table = py_str(c, py_arg(a, 99, "db_table"));
        f->through = py_has(a, 99, "through");
        return;
    }
    f->fk = true;
    f->type = f->to ? target_type(st, f->to, f->to_field) : "bigint";
    if (!strcmp(f->cls, "OneToOneField"))
        f->unique = true;
    f->index = !py_is_false(c, py_arg(a, 99, "db_index"));
}

bool dj_field_read(const code_ctx *c, dj_state *st, const char *name, TSNode call, dj_field *f)
{
    TSNode obj;
    const char *cls = code_node_is(call, "call") ? py_method(c, call, &obj) : NULL;
    memset(f, 0, sizeof *f);
    if (!cls)
        return false;
    py_args a;
    py_args_read(c, call, &a);
    f->name = arena_strdup(c->a, name);
    f->cls = arena_strdup(c->a, cls);
    /* a project's or a package's relation class taking through= (taggit's
     * TaggableManager) is many-to-many: no column */
    f->m2m =
        !strcmp(cls, "ManyToManyField") ||
        (strcmp(cls, "ForeignKey") && strcmp(cls, "OneToOneField") && py_has(&a, 99, "through"));
    if (f->m2m || !strcmp(cls, "ForeignKey") || !strcmp(cls, "OneToOneField")) {
        read_relation(c, st, &a, f);
    } else if (!strcmp(cls, "GeneratedField")) {
        /* typed by output_field; nullable, as the extractor has it: the
         * expression is not compared */
        TSNode out = py_arg(&a, 99, "output_field");
        const char *ocls = code_node_is(out, "call") ? py_method(c, out, &obj) : NULL;
        py_args oa;
        if (ocls)
            py_args_read(c, out, &oa);
        f->type = ocls ? base_type(c, ocls, &oa) : "text";
    } else {
        f->type = base_type(c, cls, &a);
        int dbi = py_is_true(c, py_arg(&a, 99, "db_index"))    ? 1
                  : py_is_false(c, py_arg(&a, 99, "db_index")) ? 0
                                                               : -1;
        f->index = dbi == 1 || (dbi == -1 && !strcmp(cls, "SlugField"));
    }
    char *db_column = py_str(c, py_arg(&a, 99, "db_column"));
    f->column = db_column ? db_column : f->fk ? arena_printf(c->a, "%s_id", name) : f->name;
    f->pk = py_is_true(c, py_arg(&a, 99, "primary_key"));
    f->null = !f->pk && (py_is_true(c, py_arg(&a, 99, "null")) || !strcmp(cls, "GeneratedField"));
    f->unique = f->unique || py_is_true(c, py_arg(&a, 99, "unique"));
    TSNode d = py_arg(&a, 99, "db_default");
    f->db_default = ts_node_is_null(d) ? NULL : literal(c, d);
    /* _effective_default(): default= (a callable is called once: a
     * constant), '' for a blank string field, now() for auto_now */
    TSNode dflt = py_arg(&a, 99, "default");
    bool text = f->type && (!strncmp(f->type, "varchar", 7) || !strcmp(f->type, "text"));
    if (!ts_node_is_null(dflt))
        f->effective = literal(c, dflt) ? literal(c, dflt) : "NULL";
    else if (!f->null && text && py_is_true(c, py_arg(&a, 99, "blank")))
        f->effective = "''";
    else if (py_is_true(c, py_arg(&a, 99, "auto_now")) ||
             py_is_true(c, py_arg(&a, 99, "auto_now_add")))
        f->effective = "NULL";
    return true;
}
