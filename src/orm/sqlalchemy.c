/* sqlalchemy.c - the SQLAlchemy extractor: Core Table(...) calls, declarative
 * classes with Column(...) and 2.0 Mapped[...] = mapped_column(...)
 * attributes, __table_args__, module-level Index(...), ForeignKey, Enum
 * (strings or a Python enum class of the same file), server_default. The
 * PostgreSQL spelling of each type is what SQLAlchemy's postgresql dialect
 * emits (docs/orm.md lists the mapping). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code_extractors.h"
#include "ormx.h"
#include "pytypes.h"
#include "tsq.h"
#include "../sql/sql.h"
#include "../core/file.h"

/* A table being built, with the Python names that lead to it. */
typedef struct sa_tab {
    const char *var;   /* module variable of a Core Table, or the class name */
    size_t t;          /* index into s->tables */
    const char **attr; /* attribute name -> column name, for Index(Model.attr) */
    const char **col;
    size_t nattr;
    /* Autoincrement bookkeeping, per column index. */
    signed char *autoinc; /* -1 auto, 0 False, 1 True */
    bool *has_fk;
} sa_tab;

typedef struct sa_ctx {
    ormx_file f;
    tsq *q;
    uint32_t c_class, c_body, c_classdef, c_var, c_fn, c_args, c_call;
    TSNode *classes; /* every class_definition of the file */
    size_t nclasses;
    sa_tab *tabs;
    size_t ntabs;
    /* X = Annotated[T, mapped_column(...)] at module level, and the
     * entries of a type_annotation_map dict: names the Mapped[]
     * annotations may use. */
    const char **alias;
    TSNode *alias_type, *alias_call;
    size_t nalias;
    const char **map_key;
    TSNode *map_type;
    size_t nmap;
    TSNode root;
    /* other files of the project read for the base classes they define */
    struct sa_other *others;
    size_t nothers;
} sa_ctx;

/* A project file read for a base class of a model. */
typedef struct sa_other {
    char *text;
    TSTree *tree;
} sa_other;

static orm_table *tab_table(sa_ctx *c, sa_tab *st)
{
    return &c->f.s->tables[st->t];
}

static TSNode field(TSNode n, const char *name)
{
    return ormx_field(n, name);
}

static bool is_kind(TSNode n, const char *kind)
{
    return !ts_node_is_null(n) && !strcmp(ts_node_type(n), kind);
}

/* The callee's last name when n is a call, else NULL. */
static const char *call_name(sa_ctx *c, TSNode n)
{
    return is_kind(n, "call") ? ormx_last_name(&c->f, field(n, "function")) : NULL;
}

static TSNode class_named(sa_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nclasses; i++)
        if (ormx_is(&c->f, field(c->classes[i], "name"), name))
            return c->classes[i];
    TSNode none = {0};
    return none;
}

/* A Python enum class: one of its bases is Enum, IntEnum or StrEnum. */
static bool is_enum_class(sa_ctx *c, TSNode cls)
{
    TSNode supers = field(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < n; i++) {
        const char *b = ormx_last_name(&c->f, ts_node_named_child(supers, i));
        if (b && (!strcmp(b, "Enum") || !strcmp(b, "IntEnum") || !strcmp(b, "StrEnum")))
            return true;
    }
    return false;
}

/* The assignment statements of a class body, one at a time. */
static TSNode next_assignment(TSNode body, uint32_t *i)
{
    uint32_t n = ts_node_named_child_count(body);
    for (; *i < n; (*i)++) {
        TSNode st = ts_node_named_child(body, *i);
        if (is_kind(st, "expression_statement") &&
            is_kind(ts_node_named_child(st, 0), "assignment")) {
            (*i)++;
            return ts_node_named_child(st, 0);
        }
    }
    TSNode none = {0};
    return none;
}

static bool other_open(sa_ctx *c, const char *name, sa_ctx *sub);
static void other_close(sa_ctx *sub);

/* Enum(PyEnumClass): SQLAlchemy names the type after the lowercased class
 * and uses the member names as labels. Returns the type name or NULL. */
static const char *enum_from_class(sa_ctx *c, TSNode at, const char *cls_name, const char *name)
{
    TSNode cls = class_named(c, cls_name);
    sa_ctx sub;
    if (ts_node_is_null(cls) && other_open(c, cls_name, &sub)) {
        const char *t = ts_node_is_null(class_named(&sub, cls_name))
                            ? NULL
                            : enum_from_class(&sub, at, cls_name, name);
        other_close(&sub);
        if (t)
            return t;
    }
    char *tname = arena_strdup(c->f.s->a, name ? name : cls_name);
    if (!name)
        for (char *p = tname; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    for (size_t i = 0; i < c->f.s->nenums; i++)
        if (!strcmp(c->f.s->enums[i].name, tname))
            return tname;
    if (ts_node_is_null(cls)) {
        /* the type's name is still the class's: the labels are unknown */
        ormx_note(&c->f, at,
                  "enum class %s is not defined in a file migralint can read; its labels are not "
                  "compared",
                  cls_name);
        orm_add_enum(c->f.s, NULL, tname, ormx_loc(&c->f, at))->skipped = true;
        return tname;
    }
    /* a class passed to Enum() is an enum class, whatever its base (an
     * enum.Enum subclass of the project: ihatemoney's FormEnum) */
    orm_enum *e = orm_add_enum(c->f.s, NULL, tname, ormx_loc(&c->f, cls));
    uint32_t k = 0;
    TSNode as;
    while (!ts_node_is_null(as = next_assignment(field(cls, "body"), &k))) {
        TSNode left = field(as, "left");
        if (is_kind(left, "identifier"))
            orm_enum_add_value(c->f.s, e, ormx_text(&c->f, left));
    }
    return tname;
}

/* Enum("a", "b", name="mood") or Enum(MoodClass, name=...). */
static const char *enum_type(sa_ctx *c, TSNode call)
{
    TSNode args = field(call, "arguments");
    const char *name = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "name"));
    TSNode first = ormx_py_positional(args, 0);
    if (ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "native_enum")) == 0) {
        ormx_note(
            &c->f, call,
            "non-native Enum (a varchar with a CHECK) is not modelled; its type is not compared");
        return NULL;
    }
    if (is_kind(first, "identifier") || is_kind(first, "attribute"))
        return enum_from_class(c, call, ormx_last_name(&c->f, first), name);
    if (!name) {
        ormx_note(&c->f, call,
                  "Enum of strings without name=: PostgreSQL needs a type name; its type is not "
                  "compared");
        return NULL;
    }
    for (size_t i = 0; i < c->f.s->nenums; i++)
        if (!strcmp(c->f.s->enums[i].name, name))
            return name;
    orm_enum *e = orm_add_enum(c->f.s, NULL, name, ormx_loc(&c->f, call));
    TSNode v;
    for (uint32_t i = 0; !ts_node_is_null(v = ormx_py_positional(args, i)); i++) {
        const char *label = ormx_string(&c->f, v);
        if (!label) {
            ormx_note(&c->f, v, "enum label is not a string literal; enum %s is incomplete", name);
            continue;
        }
        orm_enum_add_value(c->f.s, e, label);
    }
    return name;
}

/* The n-th positional argument of a type call as literal digits, or NULL. */
static const char *int_arg(sa_ctx *c, TSNode call, uint32_t n, const char *kw)
{
    if (!is_kind(call, "call"))
        return NULL;
    TSNode args = field(call, "arguments");
    TSNode v = ormx_py_kwarg(&c->f, args, kw);
    if (ts_node_is_null(v))
        v = ormx_py_positional(args, n);
    return is_kind(v, "integer") ? ormx_text(&c->f, v) : NULL;
}

static bool timezone_arg(sa_ctx *c, TSNode call)
{
    if (!is_kind(call, "call"))
        return false;
    TSNode args = field(call, "arguments");
    TSNode v = ormx_py_kwarg(&c->f, args, "timezone");
    if (ts_node_is_null(v))
        v = ormx_py_positional(args, 0);
    return ormx_py_bool(&c->f, v) == 1;
}

static const char *sa_type(sa_ctx *c, TSNode typ);

static const char *sized(sa_ctx *c, TSNode call, const char *base)
{
    const char *n = int_arg(c, call, 0, "length");
    return n ? arena_printf(c->f.s->a, "%s(%s)", base, n) : base;
}

static const char *sa_type(sa_ctx *c, TSNode typ);
static const char *sa_type_named(sa_ctx *c, TSNode typ, const char *name);
static TSNode class_attr(sa_ctx *c, TSNode body, const char *name, TSNode *stmt);

/* The first call to <x>.type_descriptor(T) under n: T. */
static TSNode type_descriptor_arg(sa_ctx *c, TSNode n)
{
    if (is_kind(n, "call")) {
        const char *fn = call_name(c, n);
        if (fn && !strcmp(fn, "type_descriptor"))
            return ormx_py_positional(field(n, "arguments"), 0);
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        TSNode r = type_descriptor_arg(c, ts_node_named_child(n, i));
        if (!ts_node_is_null(r))
            return r;
    }
    return (TSNode){0};
}

/* A TypeDecorator of the project, as the PostgreSQL dialect sees it: the
 * type load_dialect_impl gives under `if dialect.name == "postgresql"`,
 * else its `impl` (given the arguments of typ, as TypeDecorator passes
 * them on: UTCDateTime(timezone=True) is DateTime(timezone=True)). NULL
 * when it is not one or cannot be read. */
static const char *type_decorator_in(sa_ctx *c, TSNode typ, TSNode cls, int depth)
{
    TSNode supers = field(cls, "superclasses");
    const char *b0 = ts_node_is_null(supers) || !ts_node_named_child_count(supers)
                         ? NULL
                         : ormx_last_name(&c->f, ts_node_named_child(supers, 0));
    if (!b0 || strcmp(b0, "TypeDecorator"))
        return NULL;
    TSNode body = field(cls, "body");
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode d = ts_node_named_child(body, i);
        if (is_kind(d, "decorated_definition"))
            d = field(d, "definition");
        if (!is_kind(d, "function_definition") ||
            !ormx_is(&c->f, field(d, "name"), "load_dialect_impl"))
            continue;
        TSNode fb = field(d, "body");
        for (uint32_t k = 0; k < ts_node_named_child_count(fb); k++) {
            TSNode st = ts_node_named_child(fb, k);
            if (is_kind(st, "if_statement") &&
                strstr(ormx_text(&c->f, field(st, "condition")), "postgresql")) {
                TSNode t = type_descriptor_arg(c, field(st, "consequence"));
                return ts_node_is_null(t) ? NULL : sa_type(c, t);
            }
        }
        return NULL;
    }
    TSNode impl = class_attr(c, body, "impl", NULL);
    if (ts_node_is_null(impl) || depth > 4)
        return NULL;
    if (is_kind(impl, "call"))
        return sa_type(c, impl);
    return sa_type_named(c, typ, ormx_last_name(&c->f, impl));
}

static const char *type_decorator(sa_ctx *c, TSNode typ, const char *name, int depth)
{
    TSNode cls = class_named(c, name);
    if (!ts_node_is_null(cls))
        return type_decorator_in(c, typ, cls, depth);
    sa_ctx sub;
    if (depth > 4 || !other_open(c, name, &sub))
        return NULL;
    cls = class_named(&sub, name);
    const char *t = NULL;
    if (!ts_node_is_null(cls)) {
        /* the impl's arguments come from typ, which is in c's file: only
         * `impl = X` without arguments needs them */
        TSNode impl = class_attr(&sub, field(cls, "body"), "impl", NULL);
        if (!ts_node_is_null(impl) && !is_kind(impl, "call") &&
            !strstr(ormx_text(&sub.f, field(cls, "body")), "load_dialect_impl"))
            t = sa_type_named(c, typ, ormx_last_name(&sub.f, impl));
        else
            t = type_decorator_in(&sub, typ, cls, depth + 1);
    } else {
        t = type_decorator(&sub, typ, name, depth + 1);
    }
    other_close(&sub);
    return t;
}

static const char *sa_type_named(sa_ctx *c, TSNode typ, const char *name)
{
    TSNode call = is_kind(typ, "call") ? typ : (TSNode){0};
    const char *plain = orm_sa_plain_type(name);
    if (plain)
        return plain;
    if (!strcmp(name, "String") || !strcmp(name, "Unicode") || !strcmp(name, "VARCHAR"))
        return sized(c, call, "varchar");
    if (!strcmp(name, "CHAR") || !strcmp(name, "NCHAR"))
        return sized(c, call, "char");
    if (!strcmp(name, "DateTime") || !strcmp(name, "TIMESTAMP") || !strcmp(name, "Time") ||
        !strcmp(name, "TIME")) {
        const char *base =
            !strcmp(name, "DateTime") || !strcmp(name, "TIMESTAMP") ? "timestamp" : "time";
        const char *p = strcmp(name, "TIMESTAMP") && strcmp(name, "TIME")
                            ? NULL
                            : int_arg(c, call, 99, "precision");
        return arena_printf(c->f.s->a, "%s%s%s%s %s time zone", base, p ? "(" : "", p ? p : "",
                            p ? ")" : "", timezone_arg(c, call) ? "with" : "without");
    }
    if (!strcmp(name, "Numeric") || !strcmp(name, "NUMERIC") || !strcmp(name, "DECIMAL")) {
        const char *p = int_arg(c, call, 0, "precision"), *s = int_arg(c, call, 1, "scale");
        if (p && s)
            return arena_printf(c->f.s->a, "numeric(%s, %s)", p, s);
        return p ? arena_printf(c->f.s->a, "numeric(%s)", p) : "numeric";
    }
    if (!strcmp(name, "Enum") || !strcmp(name, "ENUM")) {
        if (!is_kind(typ, "call")) {
            ormx_note(&c->f, typ, "Enum without arguments; its type is not compared");
            return NULL;
        }
        return enum_type(c, typ);
    }
    if (!strcmp(name, "ARRAY") && is_kind(typ, "call")) {
        const char *inner = sa_type(c, ormx_py_positional(field(typ, "arguments"), 0));
        return inner ? arena_printf(c->f.s->a, "%s[]", inner) : NULL;
    }
    const char *dec = type_decorator(c, typ, name, 0);
    if (dec)
        return dec;
    ormx_note(&c->f, typ,
              "type %s is not known to the SQLAlchemy extractor; its type is not compared", name);
    return NULL;
}

/* The PostgreSQL spelling of a type expression (String(255), sa.Text,
 * postgresql.JSONB, Enum(...)); NULL after a note when it cannot tell. */
static const char *sa_type(sa_ctx *c, TSNode typ)
{
    if (ts_node_is_null(typ))
        return NULL;
    TSNode callee = is_kind(typ, "call") ? field(typ, "function") : typ;
    const char *name = ormx_last_name(&c->f, callee);
    if (!name) {
        ormx_note(&c->f, typ, "column type is computed; its type is not compared");
        return NULL;
    }
    return sa_type_named(c, typ, name);
}

/* The type a Mapped[...] annotation implies: the type_annotation_map of
 * this file, an Annotated alias (whose mapped_column(...) call is returned
 * in *alias_call), or SQLAlchemy's default map. *nullable is set for
 * Optional[...] and X | None. NULL when there is none (with a note when
 * `need`). */
/* X of a `Mapped[X]` or `so.Mapped[X]` (sqlalchemy.orm imported as a
 * module) annotation; a null node for any other. Tree-sitter parses the
 * first as a generic_type, the second as a subscript; its child lookups
 * dereference a null node, so each node is tested first. */
static TSNode mapped_param(sa_ctx *c, TSNode annotation)
{
    TSNode gen = ts_node_is_null(annotation) ? annotation : ts_node_named_child(annotation, 0);
    if (is_kind(gen, "generic_type") && ts_node_named_child_count(gen) > 1 &&
        ormx_is(&c->f, ts_node_named_child(gen, 0), "Mapped"))
        return ts_node_named_child(ts_node_named_child(gen, 1), 0);
    if (is_kind(gen, "subscript")) {
        TSNode v = field(gen, "value");
        if ((is_kind(v, "attribute") && ormx_is(&c->f, field(v, "attribute"), "Mapped")) ||
            (is_kind(v, "identifier") && ormx_is(&c->f, v, "Mapped")))
            return field(gen, "subscript");
    }
    return (TSNode){0};
}

static const char *annotation_type(sa_ctx *c, TSNode at, const char *inner, bool *nullable,
                                   bool need, TSNode *alias_call, int depth)
{
    char *t = arena_strdup(c->f.s->a, inner), *w = t;
    for (char *p = t; *p; p++)
        if (*p != ' ' && *p != '"' && *p != '\'')
            *w++ = *p;
    *w = '\0';
    size_t n = strlen(t);
    if (!strncmp(t, "Optional[", 9) && n > 9 && t[n - 1] == ']') {
        *nullable = true;
        t[n - 1] = '\0';
        t += 9;
    }
    char *bar = strstr(t, "|None");
    if (bar && !bar[5]) {
        *nullable = true;
        *bar = '\0';
    } else if (!strncmp(t, "None|", 5)) {
        *nullable = true;
        t += 5;
    }
    for (size_t i = 0; i < c->nmap; i++)
        if (!strcmp(c->map_key[i], t))
            return sa_type(c, c->map_type[i]);
    for (size_t i = 0; i < c->nalias && depth < 4; i++)
        if (!strcmp(c->alias[i], t)) {
            if (!ts_node_is_null(c->alias_call[i]) && ts_node_is_null(*alias_call))
                *alias_call = c->alias_call[i];
            return annotation_type(c, at, ormx_text(&c->f, c->alias_type[i]), nullable, need,
                                   alias_call, depth + 1);
        }
    const char *last = strrchr(t, '.') ? strrchr(t, '.') + 1 : t;
    static const struct {
        const char *py, *pg;
    } map[] = {
        {"int", "integer"},
        {"str", "varchar"},
        {"bool", "boolean"},
        {"float", "float"},
        {"Decimal", "numeric"},
        {"date", "date"},
        {"time", "time without time zone"},
        {"timedelta", "interval"},
        {"UUID", "uuid"},
        {"bytes", "bytea"},
    };
    if (!strcmp(t, "datetime") || !strcmp(t, "datetime.datetime"))
        return "timestamp without time zone";
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(last, map[i].py))
            return map[i].pg;
    TSNode cls = class_named(c, last);
    if (!ts_node_is_null(cls) && is_enum_class(c, cls))
        return need ? enum_from_class(c, at, last, NULL) : NULL;
    if (need)
        ormx_note(&c->f, at,
                  "Mapped[%s] has no type SQLAlchemy infers by default; its type is not compared",
                  inner);
    return NULL;
}

/* server_default as SQL: a string literal, text("..."), func.now(),
 * sa.true()/false(). NULL (after a note) for anything else. */
static const char *server_default(sa_ctx *c, TSNode v)
{
    const char *str = ormx_string(&c->f, v);
    if (str)
        return sql_quote_literal(c->f.s->a, str);
    const char *fn = call_name(c, v);
    TSNode args = is_kind(v, "call") ? field(v, "arguments") : (TSNode){0};
    if (fn && !strcmp(fn, "text")) {
        const char *sql = ormx_string(&c->f, ormx_py_positional(args, 0));
        if (sql)
            return sql;
    } else if (fn && (!strcmp(fn, "true") || !strcmp(fn, "false")) &&
               ts_node_named_child_count(args) == 0) {
        return fn;
    } else if (fn && ts_node_named_child_count(args) == 0) {
        /* func.now(): func.<name>() is the SQL function <name>() */
        TSNode callee = field(v, "function");
        if (is_kind(callee, "attribute") && ormx_last_name(&c->f, field(callee, "object")) &&
            !strcmp(ormx_last_name(&c->f, field(callee, "object")), "func"))
            return arena_printf(c->f.s->a, "%s()", fn);
    }
    ormx_note(&c->f, v,
              "server_default is not a literal SQLAlchemy spells statically; default skipped");
    return NULL;
}

static void tab_add_attr(sa_ctx *c, sa_tab *st, const char *attr, const char *col)
{
    size_t n = st->nattr + 1;
    st->attr = realloc(st->attr, n * sizeof *st->attr);
    st->col = realloc(st->col, n * sizeof *st->col);
    st->autoinc = realloc(st->autoinc, n * sizeof *st->autoinc);
    st->has_fk = realloc(st->has_fk, n * sizeof *st->has_fk);
    if (!st->attr || !st->col || !st->autoinc || !st->has_fk)
        abort();
    st->attr[st->nattr] = attr ? arena_strdup(c->f.s->a, attr) : NULL;
    st->col[st->nattr] = col;
    st->autoinc[st->nattr] = -1;
    st->has_fk[st->nattr] = false;
    st->nattr = n;
}

/* The column `name` of the table, new, or the one a mixin declared, which
 * the subclass's attribute of the same name overrides. */
static orm_column *tab_column(sa_ctx *c, sa_tab *st, const char *attr, const char *name,
                              const char *type, TSNode at)
{
    orm_table *t = tab_table(c, st);
    for (size_t i = 0; i < t->ncolumns && i < st->nattr; i++)
        if (!strcmp(t->columns[i].name, name)) {
            orm_column *col = &t->columns[i];
            memset(col, 0, sizeof *col);
            col->name = st->col[i];
            col->sql_type = type ? arena_strdup(c->f.s->a, type) : NULL;
            col->loc = ormx_loc(&c->f, at);
            st->attr[i] = attr ? arena_strdup(c->f.s->a, attr) : NULL;
            st->autoinc[i] = -1;
            st->has_fk[i] = false;
            return col;
        }
    orm_column *col = orm_add_column(c->f.s, t, name, type, ormx_loc(&c->f, at));
    tab_add_attr(c, st, attr, col->name);
    return col;
}

/* ForeignKey(User.id): the column of a mapped class of this file read
 * before (microblog's models). */
static bool class_attr_target(sa_ctx *c, TSNode target, const char **schema, const char **table,
                              const char **col)
{
    if (!is_kind(target, "attribute") || !is_kind(field(target, "object"), "identifier"))
        return false;
    const char *cls = ormx_text(&c->f, field(target, "object"));
    const char *attr = ormx_text(&c->f, field(target, "attribute"));
    for (size_t k = 0; k < c->ntabs; k++) {
        sa_tab *st = &c->tabs[k];
        if (!st->var || strcmp(st->var, cls))
            continue;
        const orm_table *t = tab_table(c, st);
        *schema = t->schema;
        *table = t->name;
        *col = attr;
        for (size_t i = 0; i < st->nattr; i++)
            if (st->attr[i] && !strcmp(st->attr[i], attr))
                *col = st->col[i];
        return true;
    }
    return false;
}

/* ForeignKey("table.col") or ("schema.table.col"), with ondelete/onupdate. */
static bool foreign_key_target(sa_ctx *c, TSNode target, const char **schema, const char **table,
                               const char **col)
{
    const char *ref = ormx_string(&c->f, target);
    if (!ref && class_attr_target(c, target, schema, table, col))
        return true;
    if (!ref) {
        ormx_note(&c->f, target,
                  "foreign key target is not a \"table.column\" string; foreign key skipped");
        return false;
    }
    char *r = arena_strdup(c->f.s->a, ref);
    char *last = strrchr(r, '.');
    if (!last) {
        ormx_note(&c->f, target, "foreign key target \"%s\" names no table; foreign key skipped",
                  ref);
        return false;
    }
    *last = '\0';
    *col = last + 1;
    char *dot = strrchr(r, '.');
    *schema = dot ? r : NULL;
    if (dot)
        *dot = '\0';
    *table = dot ? dot + 1 : r;
    return true;
}

static const char *fk_action(sa_ctx *c, TSNode args, const char *kw)
{
    const char *a = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, kw));
    if (!a)
        return NULL;
    char *l = arena_strdup(c->f.s->a, a);
    for (char *p = l; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    return l;
}

/* The type of the column a ForeignKey("table.col") of this file points
 * at, as a plain type (serial is integer); NULL when it is not known. */
static const char *fk_target_type(sa_ctx *c, TSNode fk)
{
    const char *sch, *tab, *rc;
    TSNode target = ormx_py_positional(field(fk, "arguments"), 0);
    if (!ormx_string(&c->f, target) || !foreign_key_target(c, target, &sch, &tab, &rc))
        return NULL;
    orm_table *t = orm_find_table(c->f.s, sch, tab);
    orm_column *col = t ? orm_find_column(t, rc) : NULL;
    if (!col)
        return NULL;
    const char *ty = col->sql_type;
    if (!ty)
        return NULL;
    return !strcmp(ty, "serial")        ? "integer"
           : !strcmp(ty, "bigserial")   ? "bigint"
           : !strcmp(ty, "smallserial") ? "smallint"
                                        : ty;
}

/* Keyword `name` of a column call, else of its Annotated alias's call. */
static TSNode kw(sa_ctx *c, TSNode args, TSNode alias_args, const char *name)
{
    TSNode v = ormx_py_kwarg(&c->f, args, name);
    return ts_node_is_null(v) ? ormx_py_kwarg(&c->f, alias_args, name) : v;
}

/* One Column(...)/mapped_column(...) call (or a bare Mapped[...]
 * annotation when call is null). `attr` is the Python attribute name. */
static void sa_column(sa_ctx *c, sa_tab *st, const char *attr, TSNode call, TSNode annotation,
                      TSNode at)
{
    TSNode args = ts_node_is_null(call) ? (TSNode){0} : field(call, "arguments");
    TSNode alias_args = {0};
    const char *name = attr, *type = NULL;
    TSNode typ = {0}, fk = {0};
    bool has_name_node = false, computed = false, unread = false;
    signed char autoinc = -1;
    TSNode v;
    for (uint32_t i = 0;
         !ts_node_is_null(args) && !ts_node_is_null(v = ormx_py_positional(args, i)); i++) {
        const char *s = ormx_string(&c->f, v);
        const char *fn = call_name(c, v);
        if (i == 0 && s) {
            name = s;
            has_name_node = true;
        } else if (fn && !strcmp(fn, "ForeignKey")) {
            fk = v;
        } else if (fn && (!strcmp(fn, "Identity") || !strcmp(fn, "Sequence"))) {
            autoinc = !strcmp(fn, "Identity") ? 2 : 0;
        } else if (is_kind(v, "none")) {
            /* Column(None, ForeignKey(...)): the type comes from the target */
        } else if (fn && !strcmp(fn, "Computed")) {
            ormx_note(&c->f, v, "computed column %s is not modelled; it is not compared",
                      name ? name : "?");
            computed = true;
        } else if (ts_node_is_null(typ)) {
            typ = v;
        }
    }
    if (!ts_node_is_null(args)) {
        const char *kwname = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "name"));
        if (kwname)
            name = kwname, has_name_node = true;
        TSNode tkw = ormx_py_kwarg(&c->f, args, "type_");
        if (!ts_node_is_null(tkw))
            typ = tkw;
    }
    (void)has_name_node;
    if (!name) {
        ormx_note(&c->f, at, "Column without a name in a Table(); its type is not compared");
        return;
    }
    bool nullable = true, annotated = !ts_node_is_null(annotation);
    TSNode alias_call = {0};
    if (annotated) {
        /* Mapped[X]: NOT NULL unless Optional[X] or X | None */
        TSNode param = mapped_param(c, annotation);
        if (ts_node_is_null(param)) {
            ormx_note(&c->f, at, "annotation is not Mapped[...]; its type is not compared");
            return;
        }
        bool opt = false;
        const char *inferred =
            annotation_type(c, annotation, ormx_text(&c->f, param), &opt, false, &alias_call, 0);
        nullable = opt;
        TSNode aargs = field(alias_call, "arguments");
        /* an Annotated alias's mapped_column(...) gives what the column's
         * own call does not: type, ForeignKey, keywords */
        for (uint32_t i = 0; !ts_node_is_null(v = ormx_py_positional(aargs, i)); i++) {
            const char *fn = call_name(c, v);
            if (fn && !strcmp(fn, "ForeignKey"))
                fk = ts_node_is_null(fk) ? v : fk;
            else if (!ormx_string(&c->f, v) && ts_node_is_null(typ))
                typ = v;
        }
        if (ts_node_is_null(args))
            args = aargs;
        else
            alias_args = aargs;
        if (ts_node_is_null(typ)) {
            if (!inferred)
                inferred = annotation_type(c, annotation, ormx_text(&c->f, param), &opt, true,
                                           &alias_call, 0);
            unread = !inferred;
            type = inferred;
        }
    }
    if (!type && ts_node_is_null(typ) && !ts_node_is_null(fk))
        type = fk_target_type(c, fk); /* Column(ForeignKey(...)) takes the target's type */
    if (!type && !unread) {
        if (ts_node_is_null(typ))
            ormx_note(&c->f, at, "column %s has no type migralint can read; it is not compared",
                      name);
        else
            type = sa_type(c, typ);
    }
    orm_table *t = tab_table(c, st);
    orm_column *col = tab_column(c, st, attr, name, type, at);
    /* NULL type: the column exists, nothing else of it is compared */
    if (computed)
        col->sql_type = NULL;
    bool pk =
        !ts_node_is_null(args) && ormx_py_bool(&c->f, kw(c, args, alias_args, "primary_key")) == 1;
    int explicit_null =
        ts_node_is_null(args) ? -1 : ormx_py_bool(&c->f, kw(c, args, alias_args, "nullable"));
    col->primary_key = pk;
    col->not_null = pk || (explicit_null == -1 ? !nullable : explicit_null == 0);
    if (ts_node_is_null(args))
        return;
    TSNode ai = kw(c, args, alias_args, "autoincrement");
    /* a Python-side default= is not a Sequence: SQLAlchemy does not make it SERIAL */
    if (autoinc == -1 && !ts_node_is_null(kw(c, args, alias_args, "default")))
        autoinc = 0;
    if (ormx_py_bool(&c->f, ai) >= 0)
        autoinc = (signed char)ormx_py_bool(&c->f, ai);
    st->autoinc[col - t->columns] = autoinc;
    TSNode sd = kw(c, args, alias_args, "server_default");
    if (!ts_node_is_null(sd)) {
        col->default_sql = server_default(c, sd);
        if (!col->default_sql)
            col->skip |= ORM_SKIP_DEFAULT;
    }
    if (!ts_node_is_null(fk)) {
        TSNode fargs = field(fk, "arguments");
        const char *sch, *tab, *rc;
        if (foreign_key_target(c, ormx_py_positional(fargs, 0), &sch, &tab, &rc)) {
            col->ref_schema = sch;
            col->ref_table = tab;
            col->ref_column = rc;
            col->on_delete = fk_action(c, fargs, "ondelete");
            col->on_update = fk_action(c, fargs, "onupdate");
            st->has_fk[col - t->columns] = true;
        }
    }
    bool unique = ormx_py_bool(&c->f, kw(c, args, alias_args, "unique")) == 1;
    bool index = ormx_py_bool(&c->f, kw(c, args, alias_args, "index")) == 1;
    if (index) {
        /* the default naming convention "ix_%(column_0_label)s" */
        orm_index *ix = orm_add_index(
            c->f.s, t,
            t->schema ? arena_printf(c->f.s->a, "ix_%s_%s_%s", t->schema, t->name, name)
                      : arena_printf(c->f.s->a, "ix_%s_%s", t->name, name),
            unique, ormx_loc(&c->f, at));
        orm_index_add_column(c->f.s, ix, name);
    } else if (unique) {
        col->unique = true;
    }
}

/* Integer single-column primary keys become SERIAL (SQLAlchemy's
 * autoincrement="auto"), Identity() an identity column. */
static void apply_autoincrement(sa_ctx *c, sa_tab *st)
{
    orm_table *t = tab_table(c, st);
    size_t npk = 0, pk = 0;
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].primary_key)
            npk++, pk = i;
    if (npk > 1) /* primary_key=True on several columns: one composite key */
        for (size_t i = 0; i < t->ncolumns; i++)
            if (t->columns[i].primary_key) {
                t->columns[i].primary_key = false;
                t->primary_key =
                    ormx_list_add(&c->f, t->primary_key, t->nprimary_key++, t->columns[i].name);
            }
    npk += t->nprimary_key;
    for (size_t i = 0; i < t->ncolumns && i < st->nattr; i++) {
        orm_column *col = &t->columns[i];
        const char *ty = col->sql_type;
        if (!ty) { /* a type migralint cannot read may be one SQLAlchemy makes SERIAL */
            if (npk == 1 && i == pk)
                col->skip |= ORM_SKIP_DEFAULT;
            continue;
        }
        bool intish = !strcmp(ty, "integer") || !strcmp(ty, "bigint") || !strcmp(ty, "smallint");
        if (st->autoinc[i] == 2 && intish) {
            col->sql_type = arena_printf(c->f.s->a, "%s GENERATED BY DEFAULT AS IDENTITY", ty);
            continue;
        }
        if (npk != 1 || i != pk || !intish || col->default_sql || st->autoinc[i] == 0 ||
            (st->has_fk[i] && st->autoinc[i] != 1))
            continue;
        col->sql_type = !strcmp(ty, "integer")  ? "serial"
                        : !strcmp(ty, "bigint") ? "bigserial"
                                                : "smallserial";
    }
}

/* The column a string or Model.attr / table.c.col argument names. */
static const char *index_column(sa_ctx *c, sa_tab *st, TSNode v)
{
    /* strings name a column's key, which is its name (the Table is built
     * before declarative maps attribute names) */
    const char *s = ormx_string(&c->f, v);
    if (s)
        return s;
    if (is_kind(v, "attribute")) {
        const char *attr = ormx_last_name(&c->f, v);
        for (size_t i = 0; i < st->nattr; i++)
            if (st->attr[i] && !strcmp(st->attr[i], attr))
                return st->col[i];
        for (size_t i = 0; i < st->nattr; i++)
            if (!strcmp(st->col[i], attr))
                return st->col[i];
    }
    return NULL;
}

static sa_tab *tab_for_expr(sa_ctx *c, TSNode v)
{
    /* users.c.email or User.email */
    if (!is_kind(v, "attribute"))
        return NULL;
    TSNode obj = field(v, "object");
    if (is_kind(obj, "attribute") && ormx_is(&c->f, field(obj, "attribute"), "c"))
        obj = field(obj, "object");
    for (size_t i = 0; i < c->ntabs; i++)
        if (c->tabs[i].var && ormx_is(&c->f, obj, c->tabs[i].var))
            return &c->tabs[i];
    return NULL;
}

/* Index(...), UniqueConstraint(...), PrimaryKeyConstraint(...),
 * ForeignKeyConstraint(...) inside a Table() or __table_args__, or Index at
 * module level (st NULL: found from the column expressions). */
static void sa_constraint(sa_ctx *c, sa_tab *st, TSNode call)
{
    const char *fn = call_name(c, call);
    if (!fn)
        return;
    TSNode args = field(call, "arguments");
    if (!strcmp(fn, "Index") || !strcmp(fn, "UniqueConstraint")) {
        bool is_index = !strcmp(fn, "Index");
        const char *name = ormx_string(&c->f, is_index ? ormx_py_positional(args, 0)
                                                       : ormx_py_kwarg(&c->f, args, "name"));
        if (is_index && !name) {
            ormx_note(&c->f, call, "Index name is not a string literal; index skipped");
            return;
        }
        if (!st)
            st = tab_for_expr(c, ormx_py_positional(args, 1));
        if (!st) {
            ormx_note(&c->f, call, "Index on a table this file does not define; index skipped");
            return;
        }
        const char **cols = NULL;
        size_t ncols = 0;
        bool skipped = false;
        TSNode v;
        for (uint32_t i = is_index; !ts_node_is_null(v = ormx_py_positional(args, i)); i++) {
            const char *col = index_column(c, st, v);
            if (!col) {
                if (!skipped)
                    ormx_note(&c->f, v, "index key is an expression; %s is not compared", fn);
                skipped = true;
                continue;
            }
            cols = realloc(cols, (ncols + 1) * sizeof *cols);
            cols[ncols++] = col;
        }
        bool unique = !is_index || ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "unique")) == 1;
        orm_index *ix =
            orm_add_index(c->f.s, tab_table(c, st), name, unique, ormx_loc(&c->f, call));
        for (size_t i = 0; i < ncols; i++)
            orm_index_add_column(c->f.s, ix, cols[i]);
        ix->skipped = skipped;
        free(cols);
    } else if (!strcmp(fn, "PrimaryKeyConstraint") && st) {
        orm_table *t = tab_table(c, st);
        TSNode v;
        for (uint32_t i = 0; !ts_node_is_null(v = ormx_py_positional(args, i)); i++) {
            const char *col = index_column(c, st, v);
            if (!col)
                continue;
            t->primary_key = ormx_list_add(&c->f, t->primary_key, t->nprimary_key++, col);
            orm_column *oc = orm_find_column(t, col);
            if (oc)
                oc->not_null = true;
        }
    } else if (!strcmp(fn, "ForeignKeyConstraint") && st) {
        TSNode from = ormx_py_positional(args, 0), to = ormx_py_positional(args, 1);
        if (!is_kind(from, "list") || !is_kind(to, "list")) {
            ormx_note(&c->f, call, "ForeignKeyConstraint columns are not literal lists; skipped");
            return;
        }
        orm_foreign_key *fk = orm_add_foreign_key(c->f.s, tab_table(c, st), ormx_loc(&c->f, call));
        fk->name = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "name"));
        fk->on_delete = fk_action(c, args, "ondelete");
        fk->on_update = fk_action(c, args, "onupdate");
        for (uint32_t i = 0; i < ts_node_named_child_count(from); i++) {
            const char *col = index_column(c, st, ts_node_named_child(from, i));
            fk->columns = ormx_list_add(&c->f, fk->columns, fk->ncolumns++, col ? col : "?");
        }
        for (uint32_t i = 0; i < ts_node_named_child_count(to); i++) {
            const char *sch, *tab, *rc;
            if (!foreign_key_target(c, ts_node_named_child(to, i), &sch, &tab, &rc))
                return;
            fk->ref_schema = sch, fk->ref_table = tab;
            fk->ref_columns = ormx_list_add(&c->f, fk->ref_columns, fk->nref_columns++, rc);
        }
    }
}

static sa_tab *tab_new(sa_ctx *c, const char *var, const char *schema, const char *name, TSNode at)
{
    c->tabs = realloc(c->tabs, (c->ntabs + 1) * sizeof *c->tabs);
    if (!c->tabs)
        abort();
    sa_tab *st = &c->tabs[c->ntabs++];
    memset(st, 0, sizeof *st);
    st->var = var ? arena_strdup(c->f.s->a, var) : NULL;
    st->t = c->f.s->ntables;
    orm_add_table(c->f.s, schema, name, ormx_loc(&c->f, at));
    return st;
}

/* Table("name", metadata, Column(...), Index(...), ..., schema="x"). */
static void sa_core_table(sa_ctx *c, const char *var, TSNode call)
{
    TSNode args = field(call, "arguments");
    const char *name = ormx_string(&c->f, ormx_py_positional(args, 0));
    if (!name) {
        ormx_note(&c->f, call, "Table name is not a string literal; table skipped");
        return;
    }
    const char *schema = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "schema"));
    sa_tab *st = tab_new(c, var, schema, name, call);
    size_t idx = (size_t)(st - c->tabs);
    TSNode v;
    /* Flask-SQLAlchemy's db.Table("name", db.Column(...)) has no metadata */
    uint32_t first = is_kind(ormx_py_positional(args, 1), "call") ? 1 : 2;
    for (uint32_t i = first; !ts_node_is_null(v = ormx_py_positional(args, i)); i++) {
        const char *fn = call_name(c, v);
        st = &c->tabs[idx];
        if (fn && !strcmp(fn, "Column"))
            sa_column(c, st, NULL, v, (TSNode){0}, v);
        else if (fn && strcmp(fn, "CheckConstraint"))
            sa_constraint(c, st, v);
        else if (!fn)
            ormx_note(&c->f, v, "Table argument is not a Column or constraint call; skipped");
    }
    apply_autoincrement(c, &c->tabs[idx]);
}

/* The value assigned to `name` in a class body; null node when none. */
static TSNode class_attr(sa_ctx *c, TSNode body, const char *name, TSNode *stmt)
{
    uint32_t i = 0;
    TSNode as;
    while (!ts_node_is_null(as = next_assignment(body, &i)))
        if (ormx_is(&c->f, field(as, "left"), name)) {
            if (stmt)
                *stmt = as;
            return field(as, "right");
        }
    TSNode none = {0};
    return none;
}

static bool defines_function(sa_ctx *c, TSNode body, const char *name)
{
    uint32_t n = ts_node_named_child_count(body);
    for (uint32_t i = 0; i < n; i++) {
        TSNode d = ts_node_named_child(body, i);
        if (is_kind(d, "decorated_definition"))
            d = field(d, "definition");
        if (is_kind(d, "function_definition") && ormx_is(&c->f, field(d, "name"), name))
            return true;
    }
    return false;
}

static void sa_table_args(sa_ctx *c, size_t idx, TSNode v)
{
    if (is_kind(v, "dictionary"))
        return; /* schema, read when the table was made */
    if (!is_kind(v, "tuple") && !is_kind(v, "list")) {
        ormx_note(&c->f, v,
                  "__table_args__ is not a literal tuple; indexes and foreign keys only the "
                  "migrations have are not compared");
        tab_table(c, &c->tabs[idx])->skip |= ORM_SKIP_EXTRA_INDEXES | ORM_SKIP_EXTRA_FKS;
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode item = ts_node_named_child(v, i);
        const char *fn = call_name(c, item);
        if (fn && strcmp(fn, "CheckConstraint"))
            sa_constraint(c, &c->tabs[idx], item);
        else if (!fn && !is_kind(item, "dictionary") && !is_kind(item, "comment"))
            ormx_note(&c->f, item, "__table_args__ item is not a constraint call; skipped");
    }
}

static const char *table_args_schema(sa_ctx *c, TSNode v)
{
    TSNode dict = v;
    if (is_kind(v, "tuple") && ts_node_named_child_count(v))
        dict = ts_node_named_child(v, ts_node_named_child_count(v) - 1);
    if (!is_kind(dict, "dictionary"))
        return NULL;
    uint32_t i = 0;
    TSNode p;
    while (!ts_node_is_null(p = ormx_next_child(dict, "pair", &i))) {
        const char *k = ormx_string(&c->f, field(p, "key"));
        if (k && !strcmp(k, "schema"))
            return ormx_string(&c->f, field(p, "value"));
    }
    return NULL;
}

/* The module an import_from_statement names, as a path without ".py"
 * relative to dir (relative imports) or NULL for an absolute one whose
 * dotted path is put in *abs. */
static char *import_module_path(sa_ctx *c, TSNode stmt, char **abs)
{
    TSNode mod = field(stmt, "module_name");
    *abs = NULL;
    if (is_kind(mod, "dotted_name")) {
        *abs = ormx_text(&c->f, mod);
        for (char *p = *abs; *p; p++)
            *p = *p == '.' ? '/' : *p;
        return NULL;
    }
    if (!is_kind(mod, "relative_import"))
        return NULL;
    char *text = ormx_text(&c->f, mod);
    size_t dots = strspn(text, ".");
    char *dir = arena_strdup(c->f.s->a, c->f.path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir = arena_strdup(c->f.s->a, ".");
    for (size_t i = 1; i < dots; i++) {
        slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else if (strcmp(dir, "."))
            dir = arena_strdup(c->f.s->a, ".");
        else
            dir = arena_strdup(c->f.s->a, "..");
    }
    char *rest = arena_strdup(c->f.s->a, text + dots);
    for (char *p = rest; *p; p++)
        *p = *p == '.' ? '/' : *p;
    return *rest ? arena_printf(c->f.s->a, "%s/%s", dir, rest) : dir;
}

/* Whether the import statement imports `name` (as itself). */
static bool imports_name(sa_ctx *c, TSNode stmt, const char *name)
{
    uint32_t n = ts_node_named_child_count(stmt);
    for (uint32_t i = 1; i < n; i++) {
        TSNode it = ts_node_named_child(stmt, i);
        if (is_kind(it, "aliased_import"))
            it = field(it, "alias");
        if (ormx_is(&c->f, it, name))
            return true;
    }
    return false;
}

/* base/mod.py or base/mod/__init__.py when it exists. */
static const char *module_file(sa_ctx *c, const char *mod)
{
    const char *py = arena_printf(c->f.s->a, "%s.py", mod);
    FILE *f = fopen(py, "rb");
    if (!f) {
        py = arena_printf(c->f.s->a, "%s/__init__.py", mod);
        f = fopen(py, "rb");
    }
    if (!f)
        return NULL;
    fclose(f);
    return !strncmp(py, "./", 2) ? py + 2 : py;
}

/* The project file `from X import name` reads name from: X relative to
 * this file, or an absolute X from this file's folder or one above it. */
static const char *import_file(sa_ctx *c, const char *name)
{
    uint32_t n = ts_node_named_child_count(c->root);
    for (uint32_t i = 0; i < n; i++) {
        TSNode st = ts_node_named_child(c->root, i);
        if (!is_kind(st, "import_from_statement") || !imports_name(c, st, name))
            continue;
        char *abs;
        char *rel = import_module_path(c, st, &abs);
        if (rel)
            return module_file(c, rel);
        if (!abs)
            return NULL;
        char *dir = arena_strdup(c->f.s->a, c->f.path);
        for (char *slash; (slash = strrchr(dir, '/'));) {
            *slash = '\0';
            const char *found = module_file(c, arena_printf(c->f.s->a, "%s/%s", dir, abs));
            if (found)
                return found;
        }
        return module_file(c, abs);
    }
    return NULL;
}

static void collect_classes(sa_ctx *c, TSNode n)
{
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode d = ts_node_named_child(n, i);
        if (is_kind(d, "decorated_definition"))
            d = field(d, "definition");
        if (is_kind(d, "class_definition")) {
            c->classes = realloc(c->classes, (c->nclasses + 1) * sizeof *c->classes);
            if (!c->classes)
                abort();
            c->classes[c->nclasses++] = d;
        }
    }
}

static void sa_class_columns(sa_ctx *c, size_t idx, TSNode cls, int depth);

/* Bases with no columns that are not worth a note. */
static bool plain_base(const char *name)
{
    static const char *const names[] = {
        "object",          "Model",   "Base", "DeclarativeBase", "UserMixin", "RoleMixin",
        "SerializerMixin", "Generic", "ABC",  "AsyncAttrs",      NULL};
    for (const char *const *p = names; *p; p++)
        if (!strcmp(*p, name))
            return true;
    return false;
}

/* Opens the project file `name` is imported from as *sub (sharing c's
 * tables); false when there is none. other_close() frees it. */
static bool other_open(sa_ctx *c, const char *name, sa_ctx *sub)
{
    const char *path = import_file(c, name);
    size_t len = 0;
    char *text = path ? file_read_all(path, &len) : NULL;
    if (!text)
        return false;
    TSTree *tree = tsq_parse("python", text, (uint32_t)len);
    c->others = realloc(c->others, (c->nothers + 1) * sizeof *c->others);
    if (!c->others)
        abort();
    c->others[c->nothers++] = (sa_other){text, tree};
    *sub = (sa_ctx){.f = {c->f.s, path, text, len}, .q = c->q, .tabs = c->tabs, .ntabs = c->ntabs};
    sub->root = ts_tree_root_node(tree);
    collect_classes(sub, sub->root);
    return true;
}

static void other_close(sa_ctx *sub)
{
    free(sub->classes);
    for (size_t i = 0; i < sub->nothers; i++) {
        ts_tree_delete(sub->others[i].tree);
        free(sub->others[i].text);
    }
    free(sub->others);
}

/* A base class from another file of the project: its columns (and its
 * own bases') come first, as SQLAlchemy puts them. A base migralint
 * cannot find is a note: the table may have columns drift does not see. */
static bool mapped_class(sa_ctx *c, TSNode cls);

static void other_file_base(sa_ctx *c, size_t idx, const char *name, TSNode at, int depth)
{
    sa_ctx sub;
    if (!other_open(c, name, &sub)) {
        if (!plain_base(name)) {
            ormx_note(&c->f, at,
                      "base class %s is not defined in a project file migralint can read; "
                      "columns, indexes and foreign keys only the migrations have are not "
                      "compared",
                      name);
            tab_table(c, &c->tabs[idx])->skip |=
                ORM_SKIP_EXTRA_COLUMNS | ORM_SKIP_EXTRA_INDEXES | ORM_SKIP_EXTRA_FKS;
        }
        return;
    }
    TSNode cls = class_named(&sub, name);
    if (!ts_node_is_null(cls)) {
        /* a model with its own table is joined inheritance: its columns
         * stay there (CTFd's plugin DynamicChallenge(Challenges)) */
        if (!mapped_class(&sub, cls))
            sa_class_columns(&sub, idx, cls, depth + 1);
    } else if (depth < 8) /* re-exported by a package's __init__.py */
        other_file_base(&sub, idx, name, sub.root, depth + 1);
    other_close(&sub);
}

/* @declared_attr def col(cls): return Column(...): a column built when
 * the class is mapped, which migralint does not run. */
static void declared_attr_columns(sa_ctx *c, size_t idx, TSNode body)
{
    uint32_t n = ts_node_named_child_count(body);
    for (uint32_t i = 0; i < n; i++) {
        TSNode d = ts_node_named_child(body, i);
        if (!is_kind(d, "decorated_definition"))
            continue;
        char *text = ormx_text(&c->f, d);
        TSNode fn = field(d, "definition");
        const char *name = ormx_text(&c->f, field(fn, "name"));
        if (!strstr(text, "declared_attr") || !strncmp(name, "__", 2) ||
            (!strstr(text, "Column(") && !strstr(text, "mapped_column(")))
            continue;
        ormx_note(&c->f, fn,
                  "@declared_attr %s builds a column when the class is mapped; columns, indexes "
                  "and foreign keys only the migrations have on this table are not compared",
                  name);
        tab_table(c, &c->tabs[idx])->skip |=
            ORM_SKIP_EXTRA_COLUMNS | ORM_SKIP_EXTRA_INDEXES | ORM_SKIP_EXTRA_FKS;
    }
}

/* Calls in a class body that declare no column. */
/* fn is imported from a project file that does not use SQLAlchemy at all
 * (ihatemoney's `currency_helper = CurrencyConverter()`): what it returns
 * cannot be a column. */
static bool plain_python_import(sa_ctx *c, const char *fn)
{
    const char *path = import_file(c, fn);
    size_t len;
    char *text = path ? file_read_all(path, &len) : NULL;
    bool plain = text && !strstr(text, "sqlalchemy") && !strstr(text, "Column");
    free(text);
    return plain;
}

static bool not_a_column(const char *fn)
{
    static const char *const names[] = {"relationship",
                                        "relation",
                                        "backref",
                                        "synonym",
                                        "association_proxy",
                                        "composite",
                                        "query_expression",
                                        "dynamic_loader",
                                        "hybrid_property",
                                        "declared_attr",
                                        "Index",
                                        "UniqueConstraint",
                                        "CheckConstraint",
                                        "ForeignKeyConstraint",
                                        "PrimaryKeyConstraint",
                                        "Table",
                                        "TypeVar",
                                        "Enum",
                                        "property",
                                        "staticmethod",
                                        "classmethod",
                                        "field",
                                        NULL};
    for (const char *const *p = names; *p; p++)
        if (!strcmp(*p, fn))
            return true;
    return fn[0] >= 'A' && fn[0] <= 'Z' && strstr(fn, "Query"); /* query_class = ... */
}

/* The columns a class body declares, after those of its mixins (classes
 * of this file without a __tablename__, or of another project file). */
static void sa_class_columns(sa_ctx *c, size_t idx, TSNode cls, int depth)
{
    TSNode supers = field(cls, "superclasses");
    uint32_t nsupers = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; depth < 8 && i < nsupers; i++) {
        TSNode sup = ts_node_named_child(supers, i);
        if (!is_kind(sup, "identifier"))
            continue;
        TSNode mix = class_named(c, ormx_text(&c->f, sup));
        if (ts_node_is_null(mix)) {
            other_file_base(c, idx, ormx_text(&c->f, sup), sup, depth);
            continue;
        }
        if (!ts_node_eq(mix, cls) &&
            ts_node_is_null(class_attr(c, field(mix, "body"), "__tablename__", NULL)) &&
            !is_enum_class(c, mix))
            sa_class_columns(c, idx, mix, depth + 1);
    }
    TSNode body = field(cls, "body");
    declared_attr_columns(c, idx, body);
    uint32_t k = 0;
    TSNode as;
    while (!ts_node_is_null(as = next_assignment(body, &k))) {
        TSNode left = field(as, "left"), right = field(as, "right"), type = field(as, "type");
        if (!is_kind(left, "identifier"))
            continue;
        const char *fn = call_name(c, right);
        const char *attr = ormx_text(&c->f, left);
        if (fn && (!strcmp(fn, "column_property") || !strcmp(fn, "deferred"))) {
            /* column_property(Column(...), ...): the column inside */
            TSNode inner = ormx_py_positional(field(right, "arguments"), 0);
            const char *ifn = call_name(c, inner);
            if (ifn && (!strcmp(ifn, "Column") || !strcmp(ifn, "mapped_column")))
                right = inner, fn = ifn;
        }
        if (fn && (!strcmp(fn, "Column") || !strcmp(fn, "mapped_column")))
            sa_column(c, &c->tabs[idx], attr, right,
                      !strcmp(fn, "mapped_column") ? type : (TSNode){0}, as);
        else if (fn && !not_a_column(fn) && !plain_python_import(c, fn)) {
            ormx_note(&c->f, right,
                      "%s = %s(...) may declare a column migralint cannot read; columns only the "
                      "migrations have on this table are not compared",
                      attr, fn);
            tab_table(c, &c->tabs[idx])->skip |= ORM_SKIP_EXTRA_COLUMNS;
        } else if (ts_node_is_null(right) && !ts_node_is_null(type) &&
                   !ts_node_is_null(mapped_param(c, type)))
            sa_column(c, &c->tabs[idx], attr, (TSNode){0}, type, as);
    }
}

/* The table of a base class (of this file) that has one: a class without
 * __tablename__ below it is single-table inheritance. */
static sa_tab *sti_base(sa_ctx *c, TSNode cls)
{
    TSNode supers = field(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < n; i++) {
        TSNode sup = ts_node_named_child(supers, i);
        for (size_t k = 0; is_kind(sup, "identifier") && k < c->ntabs; k++)
            if (c->tabs[k].var && ormx_is(&c->f, sup, c->tabs[k].var))
                return &c->tabs[k];
    }
    return NULL;
}

/* A base class of this file computes __tablename__ (@declared_attr). */
static bool inherits_computed_name(sa_ctx *c, TSNode cls, int depth)
{
    TSNode supers = field(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < n && depth < 8; i++) {
        TSNode sup = ts_node_named_child(supers, i);
        TSNode base =
            is_kind(sup, "identifier") ? class_named(c, ormx_text(&c->f, sup)) : (TSNode){0};
        if (ts_node_is_null(base) || ts_node_eq(base, cls))
            continue;
        if (defines_function(c, field(base, "body"), "__tablename__") ||
            inherits_computed_name(c, base, depth + 1))
            return true;
    }
    return false;
}

/* Flask-SQLAlchemy 3's camel_to_snake_case: "_" before a capital that
 * follows a lowercase letter or digit, or that starts a capitalised word
 * ("HTTPResponse" -> "http_response"), then lowercase. */
static const char *flask_table_name(sa_ctx *c, const char *cls)
{
    size_t n = strlen(cls);
    char *out = arena_alloc(c->f.s->a, 2 * n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        char ch = cls[i], prev = i ? cls[i - 1] : 0, next = cls[i + 1];
        bool up = ch >= 'A' && ch <= 'Z';
        bool prev_low = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
        if (up && (prev_low || (i > 0 && next >= 'a' && next <= 'z')))
            *w++ = '_';
        *w++ = up ? (char)(ch + 32) : ch;
    }
    *w = '\0';
    while (*out == '_')
        out++;
    return out;
}

static bool other_flask_model(sa_ctx *c, const char *name, int depth);

/* A base written db.Model (Flask-SQLAlchemy's declarative base). */
static bool flask_model_base(sa_ctx *c, TSNode cls, int depth)
{
    TSNode supers = field(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < n && depth < 8; i++) {
        TSNode sup = ts_node_named_child(supers, i);
        if (is_kind(sup, "attribute") && ormx_is(&c->f, field(sup, "attribute"), "Model"))
            return true;
        TSNode base =
            is_kind(sup, "identifier") ? class_named(c, ormx_text(&c->f, sup)) : (TSNode){0};
        if (!ts_node_is_null(base) && !ts_node_eq(base, cls) &&
            flask_model_base(c, base, depth + 1))
            return true;
        if (is_kind(sup, "identifier") && ts_node_is_null(base) &&
            other_flask_model(c, ormx_text(&c->f, sup), depth + 1))
            return true;
    }
    return false;
}

/* A base class imported from another project file is a Flask-SQLAlchemy
 * model (a plugin's model subclassing the application's). */
static bool other_flask_model(sa_ctx *c, const char *name, int depth)
{
    sa_ctx sub;
    if (depth >= 8 || !other_open(c, name, &sub))
        return false;
    TSNode cls = class_named(&sub, name);
    bool flask = ts_node_is_null(cls) ? other_flask_model(&sub, name, depth + 1)
                                      : flask_model_base(&sub, cls, depth + 1);
    other_close(&sub);
    return flask;
}

/* The class body declares a primary key column itself, which is when
 * Flask-SQLAlchemy gives a model without __tablename__ its own table. */
static bool declares_primary_key(sa_ctx *c, TSNode body)
{
    uint32_t k = 0;
    TSNode as;
    while (!ts_node_is_null(as = next_assignment(body, &k))) {
        TSNode right = field(as, "right");
        const char *fn = call_name(c, right);
        if (fn && (!strcmp(fn, "Column") || !strcmp(fn, "mapped_column")) &&
            ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, field(right, "arguments"), "primary_key")) ==
                1)
            return true;
    }
    return false;
}

static bool is_abstract(sa_ctx *c, TSNode body)
{
    return ormx_py_bool(&c->f, class_attr(c, body, "__abstract__", NULL)) == 1;
}

/* The class has a table of its own: __tablename__, or a Flask-SQLAlchemy
 * model declaring its primary key. */
static bool mapped_class(sa_ctx *c, TSNode cls)
{
    TSNode body = field(cls, "body");
    return !ts_node_is_null(class_attr(c, body, "__tablename__", NULL)) ||
           (!is_abstract(c, body) && declares_primary_key(c, body) && flask_model_base(c, cls, 0));
}

/* SQLAlchemy 2's declarative scan adds a class's plain Column attributes
 * to the table as it meets them and its mapped_column()s (and inherited
 * ones) after: in a class mixing both, the plain Columns come first, which
 * orders a composite primary key (mealie's users_to_recipes). */
static void plain_columns_first(sa_ctx *c, size_t idx, TSNode body)
{
    const char **plain = NULL;
    size_t nplain = 0;
    bool mapped = false;
    uint32_t k = 0;
    TSNode as;
    while (!ts_node_is_null(as = next_assignment(body, &k))) {
        TSNode right = field(as, "right");
        const char *fn = call_name(c, right);
        if (fn && !strcmp(fn, "mapped_column"))
            mapped = true;
        if (!fn || strcmp(fn, "Column") || !is_kind(field(as, "left"), "identifier"))
            continue;
        const char *name = ormx_string(&c->f, ormx_py_positional(field(right, "arguments"), 0));
        plain = ormx_list_add(&c->f, plain, nplain++,
                              name ? name : ormx_text(&c->f, field(as, "left")));
    }
    orm_table *t = tab_table(c, &c->tabs[idx]);
    if (!mapped || !nplain || !t)
        return;
    orm_column *sorted = malloc(t->ncolumns * sizeof *sorted);
    if (!sorted)
        abort();
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < t->ncolumns; i++) {
            bool is_plain = false;
            for (size_t j = 0; j < nplain && !is_plain; j++)
                is_plain = !strcmp(t->columns[i].name, plain[j]);
            if (is_plain == (pass == 0))
                sorted[n++] = t->columns[i];
        }
    memcpy(t->columns, sorted, n * sizeof *sorted);
    free(sorted);
}

static void sa_class(sa_ctx *c, TSNode cls)
{
    TSNode body = field(cls, "body"), stmt = {0};
    if (is_enum_class(c, cls))
        return;
    TSNode core = class_attr(c, body, "__table__", &stmt);
    const char *cname = ormx_text(&c->f, field(cls, "name"));
    if (call_name(c, core) && !strcmp(call_name(c, core), "Table")) {
        sa_core_table(c, cname, core);
        return;
    }
    TSNode tn = class_attr(c, body, "__tablename__", &stmt);
    const char *name = NULL;
    if (ts_node_is_null(tn) && !defines_function(c, body, "__tablename__") &&
        !is_abstract(c, body) && flask_model_base(c, cls, 0) && declares_primary_key(c, body))
        name = flask_table_name(c, cname);
    if (ts_node_is_null(tn) && !name) {
        if (defines_function(c, body, "__tablename__"))
            ormx_note(&c->f, cls, "class %s computes __tablename__; table skipped", cname);
        else if (inherits_computed_name(c, cls, 0))
            ormx_note(&c->f, cls,
                      "class %s gets a computed __tablename__ from its base; table "
                      "skipped",
                      cname);
        else if (sti_base(c, cls))
            /* single-table inheritance: its columns go to the base's table */
            sa_class_columns(c, (size_t)(sti_base(c, cls) - c->tabs), cls, 8);
        return; /* a mixin or a base */
    }
    if (!name && flask_model_base(c, cls, 0) && sti_base(c, cls) &&
        !declares_primary_key(c, body)) {
        /* Flask-SQLAlchemy's __table_cls__: a subclass of a mapped model
         * with no primary key column of its own is single-table
         * inheritance, __tablename__ or not (CTFd's Admins(Users)) */
        sa_class_columns(c, (size_t)(sti_base(c, cls) - c->tabs), cls, 8);
        return;
    }
    if (!name)
        name = ormx_string(&c->f, tn);
    if (!name) {
        ormx_note(&c->f, tn, "__tablename__ of %s is not a string literal; table skipped", cname);
        return;
    }
    TSNode targs = class_attr(c, body, "__table_args__", NULL);
    sa_tab *st = tab_new(c, cname, table_args_schema(c, targs), name, cls);
    size_t idx = (size_t)(st - c->tabs);
    sa_class_columns(c, idx, cls, 0);
    plain_columns_first(c, idx, body);
    if (!ts_node_is_null(targs))
        sa_table_args(c, idx, targs);
    apply_autoincrement(c, &c->tabs[idx]);
}

/* Annotated[T, mapped_column(...), ...]: T and the mapped_column call. */
static void sa_add_alias(sa_ctx *c, TSNode name, TSNode sub)
{
    TSNode type = {0}, call = {0};
    uint32_t n = ts_node_named_child_count(sub);
    for (uint32_t i = 1; i < n; i++) { /* child 0 is `Annotated` */
        TSNode a = ts_node_named_child(sub, i);
        const char *fn = call_name(c, a);
        if (i == 1)
            type = a;
        else if (fn && !strcmp(fn, "mapped_column"))
            call = a;
    }
    if (ts_node_is_null(type))
        return;
    c->alias = ormx_list_add(&c->f, c->alias, c->nalias, ormx_text(&c->f, name));
    c->alias_type = realloc(c->alias_type, (c->nalias + 1) * sizeof *c->alias_type);
    c->alias_call = realloc(c->alias_call, (c->nalias + 1) * sizeof *c->alias_call);
    if (!c->alias_type || !c->alias_call)
        abort();
    c->alias_type[c->nalias] = type;
    c->alias_call[c->nalias++] = call;
}

/* type_annotation_map = {str50: String(50), ...} in a class body. */
static void sa_add_type_map(sa_ctx *c, TSNode cls)
{
    TSNode dict = class_attr(c, field(cls, "body"), "type_annotation_map", NULL);
    if (!is_kind(dict, "dictionary"))
        return;
    uint32_t i = 0;
    TSNode p;
    while (!ts_node_is_null(p = ormx_next_child(dict, "pair", &i))) {
        TSNode k = field(p, "key");
        char *key = ormx_text(&c->f, k), *w = key;
        for (char *q = key; *q; q++) /* Annotated keys compare without spaces */
            if (*q != ' ' && *q != '"' && *q != '\'')
                *w++ = *q;
        *w = '\0';
        c->map_key = ormx_list_add(&c->f, c->map_key, c->nmap, key);
        c->map_type = realloc(c->map_type, (c->nmap + 1) * sizeof *c->map_type);
        if (!c->map_type)
            abort();
        c->map_type[c->nmap++] = field(p, "value");
    }
}

static void sa_free(sa_ctx *c)
{
    free(c->alias_type);
    free(c->alias_call);
    free(c->map_type);
    for (size_t i = 0; i < c->ntabs; i++) {
        free(c->tabs[i].attr);
        free(c->tabs[i].col);
        free(c->tabs[i].autoinc);
        free(c->tabs[i].has_fk);
    }
    free(c->tabs);
    free(c->classes);
    for (size_t i = 0; i < c->nothers; i++) {
        ts_tree_delete(c->others[i].tree);
        free(c->others[i].text);
    }
    free(c->others);
}

/* SQLAlchemy-Continuum (`__versioned__` on a model) creates, at mapper
 * configuration, a <table>_version table for the versioned models and the
 * association tables between them: the migrations' tables of that name
 * are not compared. */
static void continuum_tables(sa_ctx *c, size_t first_table)
{
    TSNode at = {0};
    for (size_t i = 0; i < c->nclasses && ts_node_is_null(at); i++) {
        TSNode stmt;
        if (!ts_node_is_null(class_attr(c, field(c->classes[i], "body"), "__versioned__", &stmt)))
            at = c->classes[i];
    }
    if (ts_node_is_null(at))
        return;
    ormx_note(&c->f, at,
              "SQLAlchemy-Continuum's <table>_version tables are made at run time; not compared");
    for (size_t i = first_table; i < c->f.s->ntables; i++) {
        const orm_table *t = &c->f.s->tables[i];
        orm_skip_table(c->f.s, t->schema, arena_printf(c->f.s->a, "%s_version", t->name));
    }
}

bool orm_extract_sqlalchemy(orm_schema *s, const char *path, const char *text, size_t len)
{
    sa_ctx c = {.f = {s, path, text, len}};
    char err[256];
    c.q = ormx_query("python", "orm_sqlalchemy.scm", err, sizeof err);
    if (!c.q) {
        orm_add_note(s, (orm_loc){.path = path, .line = 1, .col = 1}, "%s", err);
        return false;
    }
    c.c_class = tsq_capture_id(c.q, "classdef");
    c.c_var = tsq_capture_id(c.q, "var");
    c.c_fn = tsq_capture_id(c.q, "fn");
    c.c_call = tsq_capture_id(c.q, "call");
    TSTree *tree = tsq_parse("python", text, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    c.root = root;
    /* Pass 1: classes (enum classes and mixins are looked up by name). */
    uint32_t c_alias = tsq_capture_id(c.q, "alias"), c_annsub = tsq_capture_id(c.q, "annsub");
    TSNode *calls = NULL, *vars = NULL;
    size_t ncalls = 0;
    tsq_cursor *cur = tsq_exec(c.q, root, text);
    TSQueryMatch m;
    while (tsq_next(cur, &m)) {
        TSNode n, v = {0};
        if (tsq_capture(&m, c.c_class, &n)) {
            c.classes = realloc(c.classes, (c.nclasses + 1) * sizeof *c.classes);
            c.classes[c.nclasses++] = n;
        } else if (tsq_capture(&m, c_alias, &n) && tsq_capture(&m, c_annsub, &v)) {
            sa_add_alias(&c, n, v);
        } else if (tsq_capture(&m, c.c_call, &n)) {
            tsq_capture(&m, c.c_var, &v);
            calls = realloc(calls, (ncalls + 1) * sizeof *calls);
            vars = realloc(vars, (ncalls + 1) * sizeof *vars);
            calls[ncalls] = n, vars[ncalls++] = v;
        }
    }
    tsq_cursor_free(cur);
    for (size_t i = 0; i < c.nclasses; i++)
        sa_add_type_map(&c, c.classes[i]);
    /* Pass 2: tables in file order; pass 3: module-level indexes. */
    size_t ci = 0, ki = 0, first_table = s->ntables;
    while (ci < c.nclasses || ki < ncalls) {
        bool take_class = ki >= ncalls || (ci < c.nclasses && ts_node_start_byte(c.classes[ci]) <
                                                                  ts_node_start_byte(calls[ki]));
        if (take_class) {
            sa_class(&c, c.classes[ci++]);
            continue;
        }
        const char *fn = call_name(&c, calls[ki]);
        if (fn && !strcmp(fn, "Table"))
            sa_core_table(&c, ts_node_is_null(vars[ki]) ? NULL : ormx_text(&c.f, vars[ki]),
                          calls[ki]);
        ki++;
    }
    for (size_t i = 0; i < ncalls; i++) {
        const char *fn = call_name(&c, calls[i]);
        if (fn && !strcmp(fn, "Index"))
            sa_constraint(&c, NULL, calls[i]);
    }
    continuum_tables(&c, first_table);
    ormx_note_syntax_errors(&(ormx_file){s, path, text, len}, root);
    free(calls);
    free(vars);
    ts_tree_delete(tree);
    sa_free(&c);
    return true;
}
