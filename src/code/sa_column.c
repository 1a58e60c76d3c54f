/* sa_column.c - SQLAlchemy columns as PostgreSQL column definitions, for
 * Alembic's op.create_table and op.add_column: sa.Column('email',
 * sa.String(length=255), nullable=False) is "email" varchar(255) NOT NULL.
 * Types map the way SQLAlchemy's PostgreSQL dialect renders them; a type
 * or server_default migralint cannot read makes the column unreadable.
 * An Integer primary key becomes SERIAL by SQLAlchemy's autoincrement
 * rules (sqlalchemy/sql/schema.py PrimaryKeyConstraint._autoincrement_column,
 * 1.4 as Debian ships it), which the caller applies once it knows the
 * table's whole primary key. */
#include <stdio.h>

#include <stdlib.h>

#include "py.h"
#include "../orm/pytypes.h"
#include "../orm/tsq.h"
#include "../sql/sql.h"
#include "../core/file.h"

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

static bool is_int_type(const char *t)
{
    return t && (!strcmp(t, "integer") || !strcmp(t, "bigint") || !strcmp(t, "smallint"));
}

/* sa.Enum("a", "b", name="mood") and postgresql.ENUM(...): the type is
 * `name`; with string labels and create_type not False, SQLAlchemy creates
 * it before the table (*create). Enum(PyEnum) names it after the class,
 * lowercased, with labels this file cannot see. */
/* The member names of `class <name>(...)` among root's statements, as
 * SQLAlchemy's Enum(PyEnumClass) labels; NULL when there is no such class. */
static const char *class_labels(arena *a, const char *text, TSNode root, const char *name)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode cls = ts_node_named_child(root, i);
        TSNode id = field(cls, "name"), body = field(cls, "body");
        if (strcmp(ts_node_type(cls), "class_definition") || ts_node_is_null(body) ||
            ts_node_is_null(id) || ts_node_end_byte(id) - ts_node_start_byte(id) != strlen(name) ||
            strncmp(text + ts_node_start_byte(id), name, strlen(name)))
            continue;
        const char *labels = NULL;
        for (uint32_t k = 0; k < ts_node_named_child_count(body); k++) {
            TSNode as = ts_node_named_child(ts_node_named_child(body, k), 0);
            TSNode left = ts_node_is_null(as) || strcmp(ts_node_type(as), "assignment")
                              ? (TSNode){0}
                              : field(as, "left");
            if (ts_node_is_null(left) || strcmp(ts_node_type(left), "identifier"))
                continue;
            const char *l = sql_quote_literal(
                a, arena_strndup(a, text + ts_node_start_byte(left),
                                 ts_node_end_byte(left) - ts_node_start_byte(left)));
            labels = labels ? arena_printf(a, "%s, %s", labels, l) : l;
        }
        return labels;
    }
    return NULL;
}

/* `from pkg.mod import Name` in the revision: the labels of that class in
 * pkg/mod.py (or pkg/mod/__init__.py), looked for from the revision's
 * folder up to the working directory. */
static const char *imported_labels(const code_ctx *c, TSNode root, const char *name)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode st = ts_node_named_child(root, i);
        if (!code_node_is(st, "import_from_statement"))
            continue;
        bool has = false;
        for (uint32_t k = 1; k < ts_node_named_child_count(st) && !has; k++)
            has = code_text_is(c, ts_node_named_child(st, k), name);
        TSNode mod = field(st, "module_name");
        if (!has || !code_node_is(mod, "dotted_name"))
            continue;
        char *rel = code_node_text(c, mod);
        for (char *p = rel; *p; p++)
            *p = *p == '.' ? '/' : *p;
        char *dir = arena_strdup(c->a, c->host->path);
        for (char *slash; (slash = strrchr(dir, '/'));) {
            *slash = '\0';
            const char *labels = NULL;
            const char *cands[2] = {arena_printf(c->a, "%s/%s.py", dir, rel),
                                    arena_printf(c->a, "%s/%s/__init__.py", dir, rel)};
            for (int k = 0; k < 2 && !labels; k++) {
                size_t len;
                char *text = file_read_all(cands[k], &len);
                TSTree *tree = text ? tsq_parse("python", text, (uint32_t)len) : NULL;
                if (tree)
                    labels = class_labels(c->a, text, ts_tree_root_node(tree), name);
                if (tree)
                    ts_tree_delete(tree);
                free(text);
            }
            if (labels)
                return labels;
        }
        const char *top = arena_printf(c->a, "%s.py", rel);
        size_t len;
        char *text = file_read_all(top, &len);
        TSTree *tree = text ? tsq_parse("python", text, (uint32_t)len) : NULL;
        const char *labels = tree ? class_labels(c->a, text, ts_tree_root_node(tree), name) : NULL;
        if (tree)
            ts_tree_delete(tree);
        free(text);
        return labels;
    }
    return NULL;
}

static const char *enum_type(const code_ctx *c, const py_args *a, const char **create)
{
    char *name = py_str(c, py_arg(a, 99, "name"));
    TSNode first = a->npos ? a->pos[0] : (TSNode){0};
    if (py_is_false(c, py_arg(a, 99, "native_enum")))
        return "varchar";
    if (!name && (code_node_is(first, "identifier") || code_node_is(first, "attribute"))) {
        char *cls = code_node_text(c, first);
        const char *dot = strrchr(cls, '.');
        name = arena_strdup(c->a, dot ? dot + 1 : cls);
        for (char *p = name; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        /* Enum(BillType): the class of the revision or of the module it is
         * imported from gives the labels (its member names) */
        TSNode root = first;
        while (!ts_node_is_null(ts_node_parent(root)))
            root = ts_node_parent(root);
        const char *cname = dot ? dot + 1 : cls;
        const char *labels = class_labels(c->a, c->host->text, root, cname);
        if (!labels && !dot)
            labels = imported_labels(c, root, cname);
        if (create && labels && !py_is_false(c, py_arg(a, 99, "create_type")))
            *create =
                arena_printf(c->a, "CREATE TYPE %s AS ENUM (%s)", code_ident(c->a, name), labels);
        return code_ident(c->a, name);
    }
    if (!name)
        return NULL;
    const char *labels = NULL;
    for (size_t i = 0; i < a->npos; i++) {
        char *l = py_str(c, a->pos[i]);
        if (!l)
            return code_ident(c->a, name);
        const char *q = sql_quote_literal(c->a, l);
        labels = labels ? arena_printf(c->a, "%s, %s", labels, q) : q;
    }
    if (create && labels && !py_is_false(c, py_arg(a, 99, "create_type")))
        *create = arena_printf(c->a, "CREATE TYPE %s AS ENUM (%s)", code_ident(c->a, name), labels);
    return code_ident(c->a, name);
}

/* The call last assigned to name among the statements of block before
 * the byte `before`; a null node when none. */
static TSNode assigned_call(const code_ctx *c, TSNode block, const char *name, uint32_t before)
{
    TSNode found = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(block); i++) {
        TSNode st = ts_node_named_child(block, i);
        if (ts_node_start_byte(st) >= before)
            break;
        TSNode as = ts_node_named_child(st, 0);
        if (code_node_is(as, "assignment") && code_text_is(c, field(as, "left"), name) &&
            code_node_is(field(as, "right"), "call"))
            found = field(as, "right");
    }
    return found;
}

/* status_enum = sa.Enum(...) in the function (upgrade()) or at module
 * level: the call a name stands for. */
TSNode sa_module_value(const code_ctx *c, TSNode n)
{
    if (!code_node_is(n, "identifier"))
        return n;
    char *name = code_node_text(c, n);
    TSNode root = n, fn = {0};
    while (!ts_node_is_null(ts_node_parent(root))) {
        root = ts_node_parent(root);
        if (ts_node_is_null(fn) && code_node_is(root, "function_definition"))
            fn = root;
    }
    TSNode v =
        ts_node_is_null(fn) ? fn : assigned_call(c, field(fn, "body"), name, ts_node_start_byte(n));
    if (ts_node_is_null(v))
        v = assigned_call(c, root, name, UINT32_MAX);
    return ts_node_is_null(v) ? n : v;
}

const char *sa_enum_create(const code_ctx *c, TSNode n)
{
    TSNode call = sa_module_value(c, n), fn;
    if (!code_node_is(call, "call"))
        return NULL;
    const char *name = type_name(c, call, &fn);
    if (strcmp(name, "Enum") && strcmp(name, "ENUM"))
        return NULL;
    py_args a;
    py_args_read(c, call, &a);
    const char *create = NULL;
    enum_type(c, &a, &create);
    return create;
}

static const char *type_named(const code_ctx *c, const char *name, const py_args *args, TSNode call,
                              const char **create);
static const char *project_type(const code_ctx *c, TSNode t, const py_args *a, TSNode call,
                                int depth);

static const char *type_sql(const code_ctx *c, TSNode t, const char **create)
{
    TSNode call;
    t = sa_module_value(c, t); /* status_enum = sa.Enum(...) at module level */
    const char *name = type_name(c, t, &call);
    py_args a = {0};
    if (!ts_node_is_null(call))
        py_args_read(c, call, &a);
    const char *out = type_named(c, name, &a, call, create);
    return out ? out : project_type(c, t, &a, call, 0);
}

static const char *type_named(const code_ctx *c, const char *name, const py_args *args, TSNode call,
                              const char **create)
{
    py_args a = *args;
    if (!strcmp(name, "String") || !strcmp(name, "VARCHAR") || !strcmp(name, "Unicode") ||
        !strcmp(name, "NVARCHAR")) {
        const char *n = int_arg(c, &a, 0, "length");
        return n ? arena_printf(c->a, "varchar(%s)", n) : "varchar";
    }
    if (!strcmp(name, "CHAR") || !strcmp(name, "NCHAR")) {
        const char *n = int_arg(c, &a, 0, "length");
        return arena_printf(c->a, "char(%s)", n ? n : "1");
    }
    if (!strcmp(name, "Numeric") || !strcmp(name, "NUMERIC") || !strcmp(name, "DECIMAL")) {
        const char *p = int_arg(c, &a, 0, "precision"), *s = int_arg(c, &a, 1, "scale");
        return p ? arena_printf(c->a, "numeric(%s%s%s)", p, s ? ", " : "", s ? s : "") : "numeric";
    }
    if (!strcmp(name, "DateTime") || !strcmp(name, "TIMESTAMP"))
        return py_is_true(c, py_arg(&a, 0, "timezone")) ? "timestamptz" : "timestamp";
    if (!strcmp(name, "Time") || !strcmp(name, "TIME"))
        return py_is_true(c, py_arg(&a, 0, "timezone")) ? "timetz" : "time";
    if (!strcmp(name, "ARRAY")) {
        const char *inner = a.npos ? type_sql(c, a.pos[0], NULL) : NULL;
        return inner ? arena_printf(c->a, "%s[]", inner) : NULL;
    }
    if (!strcmp(name, "Enum") || !strcmp(name, "ENUM"))
        return ts_node_is_null(call) ? NULL : enum_type(c, &a, create);
    return orm_sa_plain_type(name);
}

/* The project file of a dotted module path, relative to the working
 * directory (the project root, from where Alembic imports it). */
static char *module_text(const code_ctx *c, const char *dotted, size_t *len, const char **path)
{
    char *p = arena_strdup(c->a, dotted);
    for (char *q = p; *q; q++)
        *q = *q == '.' ? '/' : *q;
    const char *cands[] = {arena_printf(c->a, "%s.py", p), arena_printf(c->a, "%s/__init__.py", p)};
    for (size_t i = 0; i < 2; i++) {
        char *buf = file_read_all(cands[i], len);
        if (!buf)
            continue;
        *path = cands[i];
        return buf;
    }
    return NULL;
}

/* The module `from X import name` at the top of root imports name from. */
static const char *imported_from(const code_ctx *c, TSNode root, const char *name)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode st = ts_node_named_child(root, i);
        if (!code_node_is(st, "import_from_statement"))
            continue;
        TSNode mod = field(st, "module_name");
        for (uint32_t k = 1; code_node_is(mod, "dotted_name") && k < ts_node_named_child_count(st);
             k++)
            if (code_text_is(c, ts_node_named_child(st, k), name))
                return code_node_text(c, mod);
    }
    return NULL;
}

/* The first call to <x>.type_descriptor(T) under n: T. */
static TSNode type_descriptor_arg(const code_ctx *c, TSNode n)
{
    TSNode fn;
    if (code_node_is(n, "call") && !strcmp(type_name(c, n, &fn), "type_descriptor")) {
        py_args a;
        py_args_read(c, n, &a);
        return a.npos ? a.pos[0] : (TSNode){0};
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        TSNode r = type_descriptor_arg(c, ts_node_named_child(n, i));
        if (!ts_node_is_null(r))
            return r;
    }
    return (TSNode){0};
}

/* A TypeDecorator class as the PostgreSQL dialect sees it (cc reads its
 * file): load_dialect_impl's postgresql branch, else `impl`, given the
 * arguments the column passes (a, of the migration's file). */
static const char *decorator_type(const code_ctx *cc, TSNode cls, const code_ctx *c,
                                  const py_args *a, TSNode call)
{
    TSNode body = field(cls, "body");
    TSNode impl = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode d = ts_node_named_child(body, i);
        if (code_node_is(d, "decorated_definition"))
            d = field(d, "definition");
        if (code_node_is(d, "function_definition") &&
            code_text_is(cc, field(d, "name"), "load_dialect_impl")) {
            TSNode fb = field(d, "body");
            for (uint32_t k = 0; k < ts_node_named_child_count(fb); k++) {
                TSNode st = ts_node_named_child(fb, k);
                if (code_node_is(st, "if_statement") &&
                    strstr(code_node_text(cc, field(st, "condition")), "postgresql")) {
                    TSNode t = type_descriptor_arg(cc, field(st, "consequence"));
                    return ts_node_is_null(t) ? NULL : type_sql(cc, t, NULL);
                }
            }
            return NULL;
        }
        TSNode as = ts_node_named_child(d, 0);
        if (code_node_is(d, "expression_statement") && code_node_is(as, "assignment") &&
            code_text_is(cc, field(as, "left"), "impl"))
            impl = field(as, "right");
    }
    if (ts_node_is_null(impl))
        return NULL;
    if (code_node_is(impl, "call"))
        return type_sql(cc, impl, NULL);
    TSNode none;
    return type_named(c, type_name(cc, impl, &none), a, call, NULL);
}

/* A type class of the project (app.types.UTCDateTime(...), or a name
 * imported from a project module): a TypeDecorator read from its file,
 * through re-exports. NULL when it is not one. */
static const char *project_type(const code_ctx *c, TSNode t, const py_args *a, TSNode call,
                                int depth)
{
    TSNode fn = code_node_is(t, "call") ? field(t, "function") : t;
    char *text = code_node_text(c, fn);
    char *dot = strrchr(text, '.');
    const char *name = dot ? dot + 1 : text, *mod = NULL;
    if (dot) {
        *dot = '\0';
        mod = text;
    } else {
        TSNode root = t;
        while (!ts_node_is_null(ts_node_parent(root)))
            root = ts_node_parent(root);
        mod = imported_from(c, root, name);
    }
    const char *out = NULL;
    for (int hop = 0; mod && hop < 4 && !out; hop++) {
        size_t len;
        const char *path;
        char *src = module_text(c, mod, &len, &path);
        if (!src)
            return NULL;
        source *s = source_new(path, src, len);
        free(src);
        code_ctx cc = *c;
        cc.host = s;
        TSTree *tree = tsq_parse("python", s->text, (uint32_t)s->len);
        TSNode root = ts_tree_root_node(tree), cls = {0};
        for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
            TSNode d = ts_node_named_child(root, i);
            if (code_node_is(d, "class_definition") && code_text_is(&cc, field(d, "name"), name))
                cls = d;
        }
        mod = NULL;
        if (!ts_node_is_null(cls))
            out = decorator_type(&cc, cls, c, a, call);
        else
            mod = imported_from(&cc, root, name); /* re-exported */
        ts_tree_delete(tree);
        source_free(s);
        if (!ts_node_is_null(cls))
            break;
    }
    (void)depth;
    return out;
}

const char *sa_type_sql(const code_ctx *c, TSNode t)
{
    return type_sql(c, t, NULL);
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

/* sa.ForeignKey("schema.table.col", ondelete=..., onupdate=...) as a
 * column constraint. */
static const char *fk_sql(const code_ctx *c, TSNode call)
{
    py_args a;
    py_args_read(c, call, &a);
    char *target = py_str(c, py_arg(&a, 0, "column"));
    target = target ? arena_strdup(c->a, target) : NULL;
    char *dot = target ? strrchr(target, '.') : NULL;
    if (!dot)
        return NULL;
    *dot = '\0';
    const char *out = arena_printf(c->a, "REFERENCES %s (%s)", sa_qualified(c, target),
                                   code_ident(c->a, dot + 1));
    return sa_fk_actions(c, &a, out);
}

const char *sa_qualified(const code_ctx *c, const char *dotted)
{
    const char *dot = strchr(dotted, '.');
    if (!dot)
        return code_ident(c->a, dotted);
    return arena_printf(c->a, "%s.%s",
                        code_ident(c->a, arena_strndup(c->a, dotted, (size_t)(dot - dotted))),
                        code_ident(c->a, dot + 1));
}

const char *sa_fk_actions(const code_ctx *c, const py_args *a, const char *sql)
{
    char *del = py_str(c, py_arg(a, 99, "ondelete")), *upd = py_str(c, py_arg(a, 99, "onupdate"));
    if (del)
        sql = arena_printf(c->a, "%s ON DELETE %s", sql, del);
    if (upd)
        sql = arena_printf(c->a, "%s ON UPDATE %s", sql, upd);
    return sql;
}

/* use_alter=True: CREATE TABLE leaves the foreign key out for a later
 * ALTER that metadata.create_all emits and Alembic's create_table never
 * does, so in a migration it is not created at all. */
bool sa_use_alter(const code_ctx *c, TSNode call)
{
    py_args a;
    py_args_read(c, call, &a);
    return py_is_true(c, py_arg(&a, 99, "use_alter"));
}

bool sa_column_read(const code_ctx *c, TSNode col, sa_col *out)
{
    memset(out, 0, sizeof *out);
    py_args a;
    py_args_read(c, col, &a);
    out->name = py_str(c, py_arg(&a, 0, "name"));
    for (size_t i = 1; i < a.npos; i++) {
        TSNode call;
        const char *n = type_name(c, a.pos[i], &call);
        if (!strcmp(n, "ForeignKey") && !ts_node_is_null(call)) {
            out->fk = true;
            if (sa_use_alter(c, call))
                continue;
            out->ref = fk_sql(c, call);
            if (!out->ref)
                return false;
        } else if (!strcmp(n, "Identity") && !ts_node_is_null(call)) {
            py_args ia;
            py_args_read(c, call, &ia);
            out->identity = py_is_true(c, py_arg(&ia, 0, "always")) ? "ALWAYS" : "BY DEFAULT";
        } else if (!strcmp(n, "Sequence")) {
            out->sequence = true;
        } else if (!out->type) {
            out->type = type_sql(c, a.pos[i], &out->create_type);
            if (!out->type)
                return false;
        }
    }
    if (!out->type && py_has(&a, 99, "type_"))
        out->type = type_sql(c, py_arg(&a, 99, "type_"), &out->create_type);
    bool ok;
    out->dflt = server_default(c, py_arg(&a, 99, "server_default"), &ok);
    out->dflt_unknown = !ok;
    if (!out->name || !out->type)
        return false;
    out->pk = py_is_true(c, py_arg(&a, 99, "primary_key"));
    TSNode nullable = py_arg(&a, 99, "nullable");
    out->not_null = py_is_false(c, nullable) || (out->pk && ts_node_is_null(nullable));
    out->unique = py_is_true(c, py_arg(&a, 99, "unique"));
    out->index = py_is_true(c, py_arg(&a, 99, "index"));
    out->py_default = py_has(&a, 99, "default");
    TSNode ai = py_arg(&a, 99, "autoincrement");
    out->autoinc = py_is_true(c, ai) ? 1 : py_is_false(c, ai) ? 0 : -1;
    return true;
}

bool sa_column_serial(const sa_col *col)
{
    if (!is_int_type(col->type) || col->identity || col->sequence || col->autoinc == 0)
        return false;
    if (col->autoinc == 1)
        return true;
    return !col->py_default && !col->dflt && !col->fk;
}

const char *sa_column_def(const code_ctx *c, const sa_col *col, bool serial, bool inline_pk)
{
    const char *type = col->type;
    if (serial)
        type = !strcmp(type, "bigint")     ? "bigserial"
               : !strcmp(type, "smallint") ? "smallserial"
                                           : "serial";
    const char *out = arena_printf(c->a, "%s %s", code_ident(c->a, col->name), type);
    if (col->identity && is_int_type(col->type))
        out = arena_printf(c->a, "%s GENERATED %s AS IDENTITY", out, col->identity);
    if (col->not_null)
        out = arena_printf(c->a, "%s NOT NULL", out);
    if (col->dflt)
        out = arena_printf(c->a, "%s DEFAULT %s", out, col->dflt);
    if (inline_pk && col->pk)
        out = arena_printf(c->a, "%s PRIMARY KEY", out);
    if (col->unique && !col->index) /* both: one unique index, made apart */
        out = arena_printf(c->a, "%s UNIQUE", out);
    if (col->ref)
        out = arena_printf(c->a, "%s %s", out, col->ref);
    return out;
}
