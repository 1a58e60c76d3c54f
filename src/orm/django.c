/* django.c - the Django extractor: models.Model subclasses of a models
 * module (and abstract bases of the same file), their fields with the
 * PostgreSQL types of Django's postgresql backend, ForeignKey and
 * OneToOneField columns (<name>_id, the FK and its index), Meta.db_table,
 * unique_together, indexes and UniqueConstraint. The default table name is
 * <app_label>_<model lowercased>, the app label being the folder of
 * models.py (or of the models/ package). Assumptions (docs/orm.md):
 * DEFAULT_AUTO_FIELD is BigAutoField, spelled bigserial as Django before
 * 4.1 emits it; `default=` is applied by Django, never a DB default. */
#include <stdlib.h>
#include <string.h>

#include "code_extractors.h"
#include "ormx.h"
#include "pytypes.h"
#include "tsq.h"
#include "../code/code.h"
#include "../sql/sql.h"

/* A ManyToManyField, whose join table is made once every model is. */
typedef struct dj_m2m {
    TSNode model, at, call;
    const char *attr;
} dj_m2m;

typedef struct dj_ctx {
    ormx_file f;
    const char *app; /* app label, NULL when the path has no folder */
    TSNode *classes;
    size_t nclasses;
    dj_m2m *m2m;
    size_t nm2m;
    struct {
        const char *name, *app;
    } * imports; /* classes imported from other apps' models */
    size_t nimports;
    bool unknown_field; /* field_type() met a field class it does not know */
} dj_ctx;

#define F(n, name) ormx_field(n, name)
#define KIND(n, k) ormx_kind(n, k)

static TSNode class_named(dj_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nclasses; i++)
        if (ormx_is(&c->f, F(c->classes[i], "name"), name))
            return c->classes[i];
    return (TSNode){0};
}

static TSNode meta_of(dj_ctx *c, TSNode cls)
{
    TSNode body = F(cls, "body");
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode d = ts_node_named_child(body, i);
        if (KIND(d, "class_definition") && ormx_is(&c->f, F(d, "name"), "Meta"))
            return d;
    }
    return (TSNode){0};
}

static TSNode meta_own(dj_ctx *c, TSNode meta, const char *name)
{
    uint32_t i = 0;
    TSNode as;
    while (!ts_node_is_null(as = ormx_py_next_assignment(F(meta, "body"), &i)))
        if (ormx_is(&c->f, F(as, "left"), name))
            return F(as, "right");
    return (TSNode){0};
}

static TSNode meta_inherited(dj_ctx *c, TSNode cls, const char *name, int depth);

/* A Meta option. A child of an abstract base inherits the base's Meta
 * (abstract excepted) when it has none, or through `class
 * Meta(Base.Meta)`. */
static TSNode meta_option_at(dj_ctx *c, TSNode cls, const char *name, int depth)
{
    TSNode meta = meta_of(c, cls);
    if (ts_node_is_null(meta))
        return strcmp(name, "abstract") ? meta_inherited(c, cls, name, depth) : (TSNode){0};
    TSNode v = meta_own(c, meta, name);
    if (!ts_node_is_null(v) || !strcmp(name, "abstract") || depth > 8)
        return v;
    TSNode supers = F(meta, "superclasses");
    for (uint32_t k = 0; !ts_node_is_null(supers) && k < ts_node_named_child_count(supers); k++) {
        TSNode sup = ts_node_named_child(supers, k);
        TSNode owner = KIND(sup, "attribute") ? F(sup, "object") : (TSNode){0};
        const char *oname = KIND(owner, "identifier") ? ormx_text(&c->f, owner) : NULL;
        TSNode base = oname ? class_named(c, oname) : (TSNode){0};
        if (!ts_node_is_null(base) && !ts_node_eq(base, cls))
            v = meta_option_at(c, base, name, depth + 1);
        if (!ts_node_is_null(v))
            return v;
    }
    return v;
}

static TSNode meta_option(dj_ctx *c, TSNode cls, const char *name)
{
    return meta_option_at(c, cls, name, 0);
}

static TSNode meta_inherited(dj_ctx *c, TSNode cls, const char *name, int depth)
{
    TSNode supers = F(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t k = 0; k < n && depth < 8; k++) {
        const char *bname = ormx_last_name(&c->f, ts_node_named_child(supers, k));
        TSNode base = bname ? class_named(c, bname) : (TSNode){0};
        if (ts_node_is_null(base) || ts_node_eq(base, cls) ||
            ormx_py_bool(&c->f, meta_own(c, meta_of(c, base), "abstract")) != 1)
            continue;
        TSNode v = meta_option_at(c, base, name, depth + 1);
        if (!ts_node_is_null(v))
            return v;
    }
    return (TSNode){0};
}

static bool meta_true(dj_ctx *c, TSNode cls, const char *name)
{
    return ormx_py_bool(&c->f, meta_option(c, cls, name)) == 1;
}

/* A model class: models.Model, or a model class of this file, among its
 * bases. */
static bool is_model(dj_ctx *c, TSNode cls, int depth)
{
    TSNode supers = F(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < n && depth < 8; i++) {
        TSNode sup = ts_node_named_child(supers, i);
        const char *name = ormx_last_name(&c->f, sup);
        if (!name)
            continue;
        if (!strcmp(name, "Model"))
            return true;
        TSNode local = class_named(c, name);
        if (!ts_node_is_null(local) && !ts_node_eq(local, cls) && is_model(c, local, depth + 1))
            return true;
    }
    return false;
}

static const char *lower(dj_ctx *c, const char *s)
{
    char *l = arena_strdup(c->f.s->a, s);
    for (char *p = l; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    return l;
}

/* The table a model class (of this file) gets. */
static const char *table_name(dj_ctx *c, TSNode cls)
{
    TSNode dbt = meta_option(c, cls, "db_table");
    if (!ts_node_is_null(dbt))
        return ormx_string(&c->f, dbt);
    if (!c->app)
        return NULL;
    return arena_printf(c->f.s->a, "%s_%s", c->app, lower(c, ormx_text(&c->f, F(cls, "name"))));
}

static const char *int_kw(dj_ctx *c, TSNode args, const char *kw)
{
    TSNode v = ormx_py_kwarg(&c->f, args, kw);
    return KIND(v, "integer") ? ormx_text(&c->f, v) : NULL;
}

/* The PostgreSQL type of a non-relation field call; NULL after a note. */
static const char *field_type(dj_ctx *c, TSNode call, const char *fn)
{
    TSNode args = F(call, "arguments");
    const char *plain = orm_django_field_type(fn);
    if (plain)
        return plain;
    int dflt = orm_django_varchar_length(fn);
    if (dflt >= 0) {
        TSNode ml = ormx_py_kwarg(&c->f, args, "max_length");
        if (KIND(ml, "none") || (ts_node_is_null(ml) && !dflt))
            return "varchar";
        if (ts_node_is_null(ml))
            return arena_printf(c->f.s->a, "varchar(%d)", dflt);
        if (KIND(ml, "integer"))
            return arena_printf(c->f.s->a, "varchar(%s)", ormx_text(&c->f, ml));
        ormx_note(&c->f, ml, "max_length is not a literal; its type is not compared");
        return NULL;
    }
    if (!strcmp(fn, "DecimalField")) {
        const char *p = int_kw(c, args, "max_digits"), *s = int_kw(c, args, "decimal_places");
        if (p && s)
            return arena_printf(c->f.s->a, "numeric(%s, %s)", p, s);
        ormx_note(
            &c->f, call,
            "DecimalField without literal max_digits and decimal_places; its type is not compared");
        return NULL;
    }
    if (!strcmp(fn, "ArrayField")) {
        TSNode base = ormx_py_kwarg(&c->f, args, "base_field");
        if (ts_node_is_null(base))
            base = ormx_py_positional(args, 0);
        const char *bfn = KIND(base, "call") ? ormx_last_name(&c->f, F(base, "function")) : NULL;
        const char *bt = bfn ? field_type(c, base, bfn) : NULL;
        if (!bfn)
            ormx_note(&c->f, call, "ArrayField base is not a field call; its type is not compared");
        return bt ? arena_printf(c->f.s->a, "%s[]", bt) : NULL;
    }
    ormx_note(&c->f, call,
              "field type %s is not known to the Django extractor: its type is not compared, nor "
              "the columns only the migrations have on this table (it may add some)",
              fn);
    c->unknown_field = true;
    return NULL;
}

/* The implicit primary key of an app's models: DEFAULT_AUTO_FIELD, or the
 * app's AppConfig.default_auto_field (drift's discovery reads both;
 * without them, BigAutoField as startproject writes since Django 3.2). */
static const char *auto_type(const char *app, bool serial)
{
    const char *f = code_django_app_default_auto_field(app);
    if (!strcmp(f, "AutoField"))
        return serial ? "serial" : "integer";
    if (!strcmp(f, "SmallAutoField"))
        return serial ? "smallserial" : "smallint";
    return serial ? "bigserial" : "bigint";
}

/* The primary key type a model of this file has, as an FK column type. */
static const char *pk_type_of(dj_ctx *c, TSNode cls, const char **pk_col, int depth)
{
    TSNode body = F(cls, "body");
    uint32_t i = 0;
    TSNode as;
    while (!ts_node_is_null(as = ormx_py_next_assignment(body, &i))) {
        TSNode right = F(as, "right");
        if (!KIND(right, "call") ||
            ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, F(right, "arguments"), "primary_key")) != 1)
            continue;
        const char *fn = ormx_last_name(&c->f, F(right, "function"));
        const char *t = fn ? field_type(c, right, fn) : NULL;
        const char *col =
            ormx_string(&c->f, ormx_py_kwarg(&c->f, F(right, "arguments"), "db_column"));
        *pk_col = col ? col : ormx_text(&c->f, F(as, "left"));
        if (!t)
            return NULL;
        if (!strcmp(t, "serial"))
            return "integer";
        if (!strcmp(t, "bigserial"))
            return "bigint";
        return !strcmp(t, "smallserial") ? "smallint" : t;
    }
    TSNode supers = F(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t k = 0; k < n && depth < 8; k++) {
        const char *name = ormx_last_name(&c->f, ts_node_named_child(supers, k));
        TSNode local = name ? class_named(c, name) : (TSNode){0};
        if (!ts_node_is_null(local) && !ts_node_eq(local, cls))
            return pk_type_of(c, local, pk_col, depth + 1);
    }
    *pk_col = "id";
    return auto_type(c->app, false);
}

/* Django's PostgreSQL backend gives every indexed, unique or primary key
 * varchar and text column a second index, `<name>_like`, with the
 * *_pattern_ops operator class so LIKE 'x%' can use it outside the C
 * locale (arrays excepted). */
static void like_index(dj_ctx *c, orm_table *t, const orm_column *oc, orm_loc loc)
{
    const char *ty = oc->sql_type;
    if (!ty || strchr(ty, '[') || (strncmp(ty, "varchar", 7) != 0 && strcmp(ty, "text") != 0))
        return;
    orm_index *ix = orm_add_index(c->f.s, t, NULL, false, loc);
    orm_index_add_column(c->f.s, ix, oc->name);
}

/* Foreign keys to models of other files, typed as an implicit id until
 * the file that declares the target is read: after each file, those whose
 * target table is now known take its primary key's name and type. The
 * list lives in the schema's arena and follows one schema. */
typedef struct dj_pending {
    const char *table, *column;
} dj_pending;
static struct {
    unsigned long serial; /* the schema's (orm_schema.serial) */
    dj_pending *items;
    size_t n, cap;
} pending;

static void add_pending(dj_ctx *c, const char *table, const char *column)
{
    if (pending.serial != c->f.s->serial)
        pending.serial = c->f.s->serial, pending.n = pending.cap = 0;
    if (pending.n == pending.cap) {
        size_t cap = pending.cap ? pending.cap * 2 : 32;
        dj_pending *grown = arena_alloc(c->f.s->a, cap * sizeof *grown);
        if (pending.n)
            memcpy(grown, pending.items, pending.n * sizeof *grown);
        pending.items = grown, pending.cap = cap;
    }
    pending.items[pending.n++] = (dj_pending){table, column};
}

static const orm_column *table_pk(const orm_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].primary_key)
            return &t->columns[i];
    return NULL;
}

/* A foreign key column that turned out varchar or text gets the `_like`
 * index when it is indexed (as every ForeignKey is unless db_index=False). */
static void link_like_index(orm_schema *s, orm_table *t, const orm_column *col)
{
    const char *ty = col->sql_type;
    if (strchr(ty, '[') || (strncmp(ty, "varchar", 7) != 0 && strcmp(ty, "text") != 0))
        return;
    bool indexed = col->unique || col->primary_key;
    for (size_t i = 0; !indexed && i < t->nindexes; i++)
        indexed = t->indexes[i].ncolumns == 1 && !strcmp(t->indexes[i].columns[0], col->name);
    if (!indexed)
        return;
    orm_index *ix = orm_add_index(s, t, NULL, false, col->loc);
    orm_index_add_column(s, ix, col->name);
}

static void link_pending(orm_schema *s)
{
    if (pending.serial != s->serial)
        return;
    for (size_t i = 0; i < pending.n; i++) {
        orm_table *t = orm_find_table(s, NULL, pending.items[i].table);
        orm_column *col = t ? orm_find_column(t, pending.items[i].column) : NULL;
        orm_table *target = col && col->ref_table ? orm_find_table(s, NULL, col->ref_table) : NULL;
        const orm_column *pk = target ? table_pk(target) : NULL;
        if (!pk || !pk->sql_type)
            continue;
        const char *ty = pk->sql_type;
        col->sql_type = !strcmp(ty, "serial")        ? "integer"
                        : !strcmp(ty, "bigserial")   ? "bigint"
                        : !strcmp(ty, "smallserial") ? "smallint"
                                                     : ty;
        col->ref_column = pk->name;
        link_like_index(s, t, col);
        pending.items[i--] = pending.items[--pending.n];
    }
}

/* A class imported from another app's models (`from shop.models import
 * Cart`, `from ..shop.models import Cart`) as "shop.Cart"; name itself
 * when it is not imported so. */
static const char *imported(dj_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nimports; i++)
        if (!strcmp(c->imports[i].name, name))
            return arena_printf(c->f.s->a, "%s.%s", c->imports[i].app, name);
    return name;
}

/* The app label of a module path: the part before `models` (a.b.models ->
 * b), else its last part; a relative `.models` is this app. */
static const char *module_app(dj_ctx *c, const char *mod)
{
    char *m = arena_strdup(c->f.s->a, mod);
    size_t n = strlen(m);
    if (n >= 7 && !strcmp(m + n - 7, ".models"))
        m[n - 7] = '\0';
    else if (!strcmp(m, "models") || !strcmp(m, ".models"))
        m[0] = '\0';
    char *dot = strrchr(m, '.');
    const char *last = dot ? dot + 1 : m;
    return *last ? last : c->app;
}

static void read_imports(dj_ctx *c, TSNode root)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode st = ts_node_named_child(root, i);
        if (!KIND(st, "import_from_statement"))
            continue;
        TSNode mod = F(st, "module_name");
        const char *app = module_app(c, ormx_text(&c->f, mod));
        for (uint32_t k = 0; app && k < ts_node_named_child_count(st); k++) {
            TSNode n = ts_node_named_child(st, k);
            if (ts_node_eq(n, mod) || !KIND(n, "dotted_name"))
                continue;
            c->imports = realloc(c->imports, (c->nimports + 1) * sizeof *c->imports);
            if (!c->imports)
                abort();
            c->imports[c->nimports].name = ormx_text(&c->f, n);
            c->imports[c->nimports++].app = app;
        }
    }
}

/* ForeignKey/OneToOneField: the column <name>_id typed as the target's
 * primary key, the FK constraint (Django enforces on_delete itself, so
 * the constraint has no action), and the index. */
static void relation_field(dj_ctx *c, orm_table **tp, size_t ti, TSNode cls, const char *attr,
                           TSNode call, bool one_to_one, TSNode at)
{
    TSNode args = F(call, "arguments");
    TSNode to = ormx_py_kwarg(&c->f, args, "to");
    if (ts_node_is_null(to))
        to = ormx_py_positional(args, 0);
    const char *target = ormx_string(&c->f, to);
    if (!target && (KIND(to, "identifier") || KIND(to, "attribute")) &&
        strcmp(ormx_last_name(&c->f, to), "AUTH_USER_MODEL"))
        target = imported(c, ormx_last_name(&c->f, to));
    if (!target && (KIND(to, "identifier") || KIND(to, "attribute")))
        target = code_django_auth_user_model();
    const char *ref_table = NULL, *ref_col = "id", *type = NULL;
    bool pending = false;
    if (target && !strcmp(target, "auth.User")) {
        ref_table = "auth_user", type = "integer"; /* django.contrib.auth uses AutoField */
    } else if (target) {
        const char *dot = strrchr(target, '.');
        TSNode local = !strcmp(target, "self") ? cls : class_named(c, dot ? dot + 1 : target);
        if (!ts_node_is_null(local) &&
            (!dot || (c->app && !strncmp(target, c->app, (size_t)(dot - target))))) {
            ref_table = table_name(c, local);
            type = pk_type_of(c, local, &ref_col, 0);
        } else if (dot) {
            const char *app = arena_strndup(c->f.s->a, target, (size_t)(dot - target));
            ref_table = arena_printf(c->f.s->a, "%s_%s", app, lower(c, dot + 1));
            type = auto_type(app, false); /* its implicit id until link_pending() */
            pending = true;
        }
    }
    if (!type) {
        /* the same assumption as every implicit id: BigAutoField */
        type = "bigint";
        ormx_note(&c->f, call,
                  "%s.%s refers to a model outside this file: its key is assumed to be the "
                  "default bigint id%s",
                  (*tp)->name, attr, ref_table ? "" : ", and the foreign key is not modelled");
    }
    const char *col = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "db_column"));
    if (!col)
        col = arena_printf(c->f.s->a, "%s_id", attr);
    *tp = &c->f.s->tables[ti];
    orm_column *oc = orm_add_column(c->f.s, *tp, col, type, ormx_loc(&c->f, at));
    oc->not_null = ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "null")) != 1;
    bool pk = ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "primary_key")) == 1;
    oc->primary_key = pk;
    oc->not_null |= pk;
    if (ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "db_constraint")) != 0 && ref_table) {
        oc->ref_table = ref_table;
        oc->ref_column = ref_col;
        const char *to_field = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "to_field"));
        if (to_field)
            oc->ref_column = to_field;
    }
    if (pending && oc->ref_table && oc->ref_column == ref_col)
        add_pending(c, (*tp)->name, col);
    bool unique = one_to_one || ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "unique")) == 1;
    if (unique && !pk)
        oc->unique = true;
    bool indexed = ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "db_index")) != 0;
    if (!unique && !pk && indexed) {
        orm_index *ix = orm_add_index(c->f.s, *tp, NULL, false, ormx_loc(&c->f, at));
        orm_index_add_column(c->f.s, ix, col);
    }
    if (pk || unique || indexed)
        like_index(c, *tp, oc, ormx_loc(&c->f, at));
}

/* The fields a class body declares, after those of its abstract bases of
 * this file. Returns whether one of them is the primary key. */
static bool class_fields(dj_ctx *c, size_t ti, TSNode cls, TSNode model, int depth)
{
    bool has_pk = false;
    TSNode supers = F(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t k = 0; k < n && depth < 8; k++) {
        const char *name = ormx_last_name(&c->f, ts_node_named_child(supers, k));
        TSNode local = name ? class_named(c, name) : (TSNode){0};
        if (!ts_node_is_null(local) && !ts_node_eq(local, cls) && meta_true(c, local, "abstract"))
            has_pk |= class_fields(c, ti, local, model, depth + 1);
    }
    TSNode body = F(cls, "body");
    uint32_t i = 0;
    TSNode as;
    while (!ts_node_is_null(as = ormx_py_next_assignment(body, &i))) {
        TSNode left = F(as, "left"), right = F(as, "right");
        if (!KIND(left, "identifier") || !KIND(right, "call"))
            continue;
        const char *fn = ormx_last_name(&c->f, F(right, "function"));
        if (!fn ||
            ((strlen(fn) < 5 || strcmp(fn + strlen(fn) - 5, "Field")) && strcmp(fn, "ForeignKey")))
            continue; /* managers, properties, choices */
        const char *attr = ormx_text(&c->f, left);
        orm_table *t = &c->f.s->tables[ti];
        TSNode args = F(right, "arguments");
        if (!strcmp(fn, "ManyToManyField")) {
            c->m2m = realloc(c->m2m, (c->nm2m + 1) * sizeof *c->m2m);
            if (!c->m2m)
                abort();
            c->m2m[c->nm2m++] = (dj_m2m){model, as, right, attr};
            continue;
        }
        if (!strcmp(fn, "GeneratedField")) {
            /* typed by output_field; nullable on both sides (the migrations
             * reader says so too): the expression is not compared */
            TSNode out = ormx_py_kwarg(&c->f, args, "output_field");
            const char *ofn = KIND(out, "call") ? ormx_last_name(&c->f, F(out, "function")) : NULL;
            const char *col = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "db_column"));
            orm_add_column(c->f.s, t, col ? col : attr, ofn ? field_type(c, out, ofn) : NULL,
                           ormx_loc(&c->f, as));
            continue;
        }
        if (!ts_node_is_null(ormx_py_kwarg(&c->f, args, "through")) && strcmp(fn, "ForeignKey"))
            continue; /* a many-to-many of a package (taggit): its through model is the table */
        bool pk = ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "primary_key")) == 1;
        has_pk |= pk;
        if (!strcmp(fn, "ForeignKey") || !strcmp(fn, "OneToOneField")) {
            relation_field(c, &t, ti, model, attr, right, fn[0] == 'O', as);
            continue;
        }
        /* an unreadable type (a custom field class...): the column is
         * there, its type, default and NULL are not compared (NULL type) */
        c->unknown_field = false;
        const char *type = field_type(c, right, fn);
        if (c->unknown_field)
            t->skip |= ORM_SKIP_EXTRA_COLUMNS;
        const char *col = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "db_column"));
        orm_column *oc = orm_add_column(c->f.s, t, col ? col : attr, type, ormx_loc(&c->f, as));
        oc->primary_key = pk;
        oc->not_null = pk || ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "null")) != 1;
        TSNode dbd = ormx_py_kwarg(&c->f, args, "db_default");
        if (!ts_node_is_null(dbd)) {
            const char *s = ormx_string(&c->f, dbd);
            if (s)
                oc->default_sql = sql_quote_literal(c->f.s->a, s);
            else if (KIND(dbd, "integer") || KIND(dbd, "float") || KIND(dbd, "true") ||
                     KIND(dbd, "false"))
                oc->default_sql = lower(c, ormx_text(&c->f, dbd));
            else {
                ormx_note(&c->f, dbd, "db_default is not a literal; default not compared");
                oc->skip |= ORM_SKIP_DEFAULT;
            }
        }
        bool unique = ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "unique")) == 1;
        /* SlugField is indexed unless told otherwise */
        int dbi = ormx_py_bool(&c->f, ormx_py_kwarg(&c->f, args, "db_index"));
        bool indexed = dbi == 1 || (dbi == -1 && !strcmp(fn, "SlugField"));
        if (unique && !pk)
            oc->unique = true;
        else if (!pk && indexed) {
            orm_index *ix = orm_add_index(c->f.s, t, NULL, false, ormx_loc(&c->f, as));
            orm_index_add_column(c->f.s, ix, oc->name);
        }
        if (pk || unique || indexed)
            like_index(c, t, oc, ormx_loc(&c->f, as));
    }
    return has_pk;
}

/* A field name of the model as its column name (ForeignKeys get _id). */
static const char *column_of(dj_ctx *c, orm_table *t, const char *field)
{
    if (orm_find_column(t, field))
        return field;
    const char *fk = arena_printf(c->f.s->a, "%s_id", field);
    return orm_find_column(t, fk) ? fk : field;
}

/* A list of field names (strings) as columns; false when not literal. */
static bool name_list(dj_ctx *c, orm_table *t, TSNode list, orm_index *ix)
{
    if (!KIND(list, "list") && !KIND(list, "tuple"))
        return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(list); i++) {
        const char *f = ormx_string(&c->f, ts_node_named_child(list, i));
        if (!f)
            return false;
        /* "-created": descending, which drift does not compare */
        orm_index_add_column(c->f.s, ix, column_of(c, t, f[0] == '-' ? f + 1 : f));
    }
    return true;
}

/* unique_together / index_together: a tuple of names, or a list of them. */
static void meta_together(dj_ctx *c, size_t ti, TSNode cls, const char *option, bool unique)
{
    TSNode ut = meta_option(c, cls, option);
    if (ts_node_is_null(ut))
        return;
    TSNode first = ts_node_named_child(ut, 0);
    bool flat = ormx_string(&c->f, first) != NULL;
    uint32_t n = flat ? 1 : ts_node_named_child_count(ut);
    for (uint32_t i = 0; i < n; i++) {
        TSNode group = flat ? ut : ts_node_named_child(ut, i);
        orm_table *t = &c->f.s->tables[ti];
        orm_index *ix = orm_add_index(c->f.s, t, NULL, unique, ormx_loc(&c->f, group));
        if (!name_list(c, t, group, ix)) {
            ix->ncolumns = 0;
            ix->skipped = true;
            ormx_note(&c->f, group, "%s entry is not a literal list; not compared", option);
        }
    }
}

static void meta_indexes(dj_ctx *c, size_t ti, TSNode cls)
{
    meta_together(c, ti, cls, "unique_together", true);
    meta_together(c, ti, cls, "index_together", false);
    const char *opts[] = {"indexes", "constraints"};
    for (int o = 0; o < 2; o++) {
        TSNode list = meta_option(c, cls, opts[o]);
        bool seq = KIND(list, "list") || KIND(list, "tuple");
        for (uint32_t i = 0; seq && i < ts_node_named_child_count(list); i++) {
            TSNode item = ts_node_named_child(list, i);
            if (KIND(item, "comment"))
                continue;
            const char *fn = KIND(item, "call") ? ormx_last_name(&c->f, F(item, "function")) : NULL;
            if (fn && !strcmp(fn, "CheckConstraint"))
                continue;
            size_t fl = fn ? strlen(fn) : 0;
            bool any_index = fn && fl >= 5 && !strcmp(fn + fl - 5, "Index"); /* GinIndex... */
            if (!fn || (!any_index && strcmp(fn, "UniqueConstraint"))) {
                ormx_note(&c->f, item, "Meta.%s item is not modelled; skipped", opts[o]);
                continue;
            }
            TSNode args = F(item, "arguments");
            /* a condition= (a partial index) is kept: drift does not compare
             * predicates */
            if (ts_node_is_null(ormx_py_kwarg(&c->f, args, "fields"))) {
                ormx_note(&c->f, item, "%s with expressions is not modelled; not compared", fn);
                orm_index *ix =
                    orm_add_index(c->f.s, &c->f.s->tables[ti],
                                  ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "name")),
                                  fn[0] == 'U', ormx_loc(&c->f, item));
                ix->skipped = true;
                continue;
            }
            orm_table *t = &c->f.s->tables[ti];
            orm_index *ix =
                orm_add_index(c->f.s, t, ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "name")),
                              fn[0] == 'U', ormx_loc(&c->f, item));
            if (!name_list(c, t, ormx_py_kwarg(&c->f, args, "fields"), ix)) {
                ix->ncolumns = 0;
                ix->skipped = true;
                ormx_note(&c->f, item, "%s fields are not a literal list; not compared", fn);
            }
        }
    }
}

/* Whether a class body declares model fields (x = SomeField(...)). */
static bool declares_fields(dj_ctx *c, TSNode cls)
{
    uint32_t i = 0;
    TSNode as;
    while (!ts_node_is_null(as = ormx_py_next_assignment(F(cls, "body"), &i))) {
        TSNode right = F(as, "right");
        const char *fn = KIND(right, "call") ? ormx_last_name(&c->f, F(right, "function")) : NULL;
        size_t n = fn ? strlen(fn) : 0;
        if (fn && ((n > 5 && !strcmp(fn + n - 5, "Field")) || !strcmp(fn, "ForeignKey")) &&
            !ormx_is(&c->f, F(as, "left"), "output_field")) /* an Aggregate or Func */
            return true;
    }
    return false;
}

/* A base class that is neither models.Model nor a class of this file: a
 * model (abstract or not) of another module. */
static const char *foreign_base_at(dj_ctx *c, TSNode cls, int depth)
{
    TSNode supers = F(cls, "superclasses");
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t k = 0; k < n && depth < 8; k++) {
        const char *name = ormx_last_name(&c->f, ts_node_named_child(supers, k));
        TSNode local = name ? class_named(c, name) : (TSNode){0};
        if (name && strcmp(name, "Model") && ts_node_is_null(local))
            return name;
        /* the base of an abstract base of this file adds its fields too */
        const char *deeper =
            !ts_node_is_null(local) && !ts_node_eq(local, cls) && meta_true(c, local, "abstract")
                ? foreign_base_at(c, local, depth + 1)
                : NULL;
        if (deeper)
            return deeper;
    }
    return NULL;
}

static const char *foreign_base(dj_ctx *c, TSNode cls)
{
    return foreign_base_at(c, cls, 0);
}

/* Multi-table inheritance: <parent>_ptr_id, the primary key and a foreign
 * key to the parent's table (Django's implicit parent_link
 * OneToOneField). */
static void parent_link(dj_ctx *c, orm_table *t, TSNode cls, TSNode parent)
{
    const char *ref_col = "id";
    const char *type = pk_type_of(c, parent, &ref_col, 0);
    const char *pname = lower(c, ormx_text(&c->f, F(parent, "name")));
    orm_column *col = orm_add_column(c->f.s, t, arena_printf(c->f.s->a, "%s_ptr_id", pname), type,
                                     ormx_loc(&c->f, cls));
    col->primary_key = col->not_null = true;
    col->ref_table = table_name(c, parent);
    col->ref_column = ref_col;
}

static void auth_joins(dj_ctx *c, TSNode cls);

static void dj_model(dj_ctx *c, TSNode cls)
{
    const char *other = foreign_base(c, cls);
    bool model = is_model(c, cls, 0) || (other && declares_fields(c, cls));
    if (!model || meta_true(c, cls, "abstract") || meta_true(c, cls, "proxy") ||
        ormx_py_bool(&c->f, meta_option(c, cls, "managed")) == 0)
        return;
    const char *cname = ormx_text(&c->f, F(cls, "name"));
    if (other)
        ormx_note(&c->f, cls,
                  "%s: base class %s is not defined in this file; the columns only the migrations "
                  "have on this table (and their indexes and foreign keys) are not compared",
                  cname, other);
    /* multi-table inheritance: a concrete model of this file as a base */
    TSNode supers = F(cls, "superclasses"), parent = {0};
    uint32_t nsupers = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t k = 0; k < nsupers; k++) {
        const char *name = ormx_last_name(&c->f, ts_node_named_child(supers, k));
        TSNode local = name ? class_named(c, name) : (TSNode){0};
        if (!ts_node_is_null(local) && is_model(c, local, 0) && !meta_true(c, local, "abstract") &&
            !meta_true(c, local, "proxy"))
            parent = local;
    }
    const char *name = table_name(c, cls);
    if (!name) {
        ormx_note(&c->f, cls,
                  ts_node_is_null(meta_option(c, cls, "db_table"))
                      ? "%s: no app folder to name the table after; model skipped"
                      : "%s: Meta.db_table is not a string literal; model skipped",
                  cname);
        return;
    }
    size_t ti = c->f.s->ntables;
    orm_table *t = orm_add_table(c->f.s, NULL, name, ormx_loc(&c->f, cls));
    if (other) /* its fields are unknown, and so their indexes and keys */
        t->skip |= ORM_SKIP_EXTRA_COLUMNS;
    if (other && (!strcmp(other, "AbstractUser") || !strcmp(other, "PermissionsMixin")))
        auth_joins(c, cls);
    bool has_pk = !ts_node_is_null(parent);
    if (has_pk)
        parent_link(c, t, cls, parent);
    has_pk |= class_fields(c, ti, cls, cls, 0);
    t = &c->f.s->tables[ti];
    if (!has_pk) {
        /* the implicit `id`: DEFAULT_AUTO_FIELD, assumed BigAutoField */
        orm_column *id =
            orm_add_column(c->f.s, t, "id", auto_type(c->app, true), ormx_loc(&c->f, cls));
        id->primary_key = id->not_null = true;
        /* Django puts it first */
        orm_column tmp = t->columns[t->ncolumns - 1];
        memmove(t->columns + 1, t->columns, (t->ncolumns - 1) * sizeof *t->columns);
        t->columns[0] = tmp;
    }
    if (!ts_node_is_null(meta_option(c, cls, "order_with_respect_to"))) {
        /* Django's own `_order` column */
        orm_column *o = orm_add_column(c->f.s, t, "_order", "integer", ormx_loc(&c->f, cls));
        o->not_null = true;
    }
    meta_indexes(c, ti, cls);
}

/* The join table of a ManyToManyField without through=: <table>_<field>
 * with an id, <model>_id and <target>_id (their FKs, indexes and the
 * unique pair). */
/* One end of a join table: its model's table, key column and type. */
typedef struct dj_end {
    const char *name, *table, *col, *type;
    bool pending; /* another file's model: typed as an implicit id for now */
} dj_end;

static bool local_end(dj_ctx *c, TSNode cls, dj_end *e)
{
    e->name = lower(c, ormx_text(&c->f, F(cls, "name")));
    e->table = table_name(c, cls);
    e->col = "id";
    e->type = pk_type_of(c, cls, &e->col, 0);
    return e->table && e->type;
}

/* The target of a ManyToManyField: a model of this file, "app.Model", a
 * class imported from another app, or AUTH_USER_MODEL. */
static bool target_end(dj_ctx *c, const dj_m2m *m, TSNode to, dj_end *e)
{
    const char *target = ormx_string(&c->f, to);
    if (!target && (KIND(to, "identifier") || KIND(to, "attribute")))
        target = strcmp(ormx_last_name(&c->f, to), "AUTH_USER_MODEL")
                     ? imported(c, ormx_last_name(&c->f, to))
                     : code_django_auth_user_model();
    if (!target)
        return false;
    const char *dot = strrchr(target, '.');
    TSNode cls = !strcmp(target, "self") ? m->model : class_named(c, dot ? dot + 1 : target);
    if (!ts_node_is_null(cls) &&
        (!dot || (c->app && !strncmp(target, c->app, (size_t)(dot - target)))))
        return local_end(c, cls, e);
    if (!dot)
        return false;
    const char *app = arena_strndup(c->f.s->a, target, (size_t)(dot - target));
    e->name = lower(c, dot + 1);
    e->table = arena_printf(c->f.s->a, "%s_%s", app, e->name);
    e->col = "id";
    e->type = auto_type(app, false);
    if (!strcmp(target, "auth.User"))
        e->type = "integer";
    else
        e->pending = true;
    return true;
}

static void add_join(dj_ctx *c, const char *name, const dj_end ends[2], const char *from,
                     const char *to_name, orm_loc loc);

static void dj_join_table(dj_ctx *c, const dj_m2m *m)
{
    TSNode args = F(m->call, "arguments");
    const char *model_table = table_name(c, m->model);
    if (!ts_node_is_null(ormx_py_kwarg(&c->f, args, "through")) || !model_table)
        return; /* the through model is a model of its own */
    TSNode to = ormx_py_kwarg(&c->f, args, "to");
    if (ts_node_is_null(to))
        to = ormx_py_positional(args, 0);
    dj_end ends[2];
    memset(ends, 0, sizeof ends);
    if (!local_end(c, m->model, &ends[0]) || !target_end(c, m, to, &ends[1])) {
        ormx_note(&c->f, m->at, "%s.%s: the join table's target is not readable; not modelled",
                  model_table, m->attr);
        return;
    }
    const char *from = ends[0].name, *to_name = ends[1].name;
    if (!strcmp(from, to_name) && !strcmp(ends[0].table, ends[1].table))
        /* a self relation: from_x_id and to_x_id */
        from = arena_printf(c->f.s->a, "from_%s", from),
        to_name = arena_printf(c->f.s->a, "to_%s", to_name);
    const char *jt = ormx_string(&c->f, ormx_py_kwarg(&c->f, args, "db_table"));
    add_join(c, jt ? jt : arena_printf(c->f.s->a, "%s_%s", model_table, m->attr), ends, from,
             to_name, ormx_loc(&c->f, m->at));
}

/* The join table itself: an id, <from>_id and <to>_id with their foreign
 * keys and indexes, and the unique pair. */
static void add_join(dj_ctx *c, const char *name, const dj_end ends[2], const char *from,
                     const char *to_name, orm_loc loc)
{
    const char *cols[2] = {arena_printf(c->f.s->a, "%s_id", from),
                           arena_printf(c->f.s->a, "%s_id", to_name)};
    orm_table *t = orm_add_table(c->f.s, NULL, name, loc);
    orm_column *id = orm_add_column(c->f.s, t, "id", auto_type(c->app, true), loc);
    id->primary_key = id->not_null = true;
    for (int k = 0; k < 2; k++) {
        orm_column *col = orm_add_column(c->f.s, t, cols[k], ends[k].type, loc);
        col->not_null = true;
        col->ref_table = ends[k].table;
        col->ref_column = ends[k].col;
        if (ends[k].pending)
            add_pending(c, t->name, cols[k]);
        orm_index *ix = orm_add_index(c->f.s, t, NULL, false, loc);
        orm_index_add_column(c->f.s, ix, cols[k]);
        like_index(c, t, col, loc);
    }
    orm_index *pair = orm_add_index(c->f.s, t, NULL, true, loc);
    orm_index_add_column(c->f.s, pair, cols[0]);
    orm_index_add_column(c->f.s, pair, cols[1]);
}

/* django.contrib.auth's PermissionsMixin (and so AbstractUser) declares
 * groups and user_permissions, many-to-many to auth's own models (whose
 * ids are AutoField): a custom user model gets their two join tables. */
static void auth_joins(dj_ctx *c, TSNode cls)
{
    static const char *const rel[][2] = {{"groups", "group"}, {"user_permissions", "permission"}};
    dj_end ends[2];
    for (int k = 0; k < 2; k++) {
        memset(ends, 0, sizeof ends);
        if (!local_end(c, cls, &ends[0]))
            return;
        ends[1].name = rel[k][1];
        ends[1].table = arena_printf(c->f.s->a, "auth_%s", rel[k][1]);
        ends[1].col = "id";
        ends[1].type = "integer";
        add_join(c, arena_printf(c->f.s->a, "%s_%s", ends[0].table, rel[k][0]), ends, ends[0].name,
                 rel[k][1], ormx_loc(&c->f, cls));
    }
}

/* The app label: the folder of models.py, or of the models/ package. */
static const char *app_label(dj_ctx *c)
{
    char *dir = arena_strdup(c->f.s->a, c->f.path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    slash = strrchr(dir, '/');
    const char *last = slash ? slash + 1 : dir;
    if (!strcmp(last, "models")) {
        if (!slash)
            return NULL;
        *slash = '\0';
        slash = strrchr(dir, '/');
        last = slash ? slash + 1 : dir;
    }
    return *last ? last : NULL;
}

bool orm_extract_django(orm_schema *s, const char *path, const char *text, size_t len)
{
    dj_ctx c = {.f = {s, path, text, len}};
    c.app = app_label(&c);
    char err[256];
    tsq *q = ormx_query("python", "orm_django.scm", err, sizeof err);
    if (!q) {
        orm_add_note(s, (orm_loc){.path = path, .line = 1, .col = 1}, "%s", err);
        return false;
    }
    uint32_t cid = tsq_capture_id(q, "classdef");
    TSTree *tree = tsq_parse("python", text, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    tsq_cursor *cur = tsq_exec(q, root, text);
    TSQueryMatch m;
    while (tsq_next(cur, &m)) {
        TSNode n;
        if (!tsq_capture(&m, cid, &n))
            continue;
        TSNode parent = ts_node_parent(n);
        if (KIND(parent, "decorated_definition"))
            parent = ts_node_parent(parent);
        if (!KIND(parent, "module"))
            continue; /* Meta and other nested classes */
        c.classes = realloc(c.classes, (c.nclasses + 1) * sizeof *c.classes);
        if (!c.classes)
            abort();
        c.classes[c.nclasses++] = n;
    }
    tsq_cursor_free(cur);
    read_imports(&c, root);
    for (size_t i = 0; i < c.nclasses; i++)
        dj_model(&c, c.classes[i]);
    for (size_t i = 0; i < c.nm2m; i++)
        dj_join_table(&c, &c.m2m[i]);
    link_pending(s);
    ormx_note_syntax_errors(&(ormx_file){s, path, text, len}, root);
    ts_tree_delete(tree);
    free(c.classes);
    free(c.m2m);
    free(c.imports);
    return true;
}
