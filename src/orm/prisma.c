/* prisma.c - the Prisma schema extractor (schema.prisma, tree-sitter-prisma).
 *
 * Writes what `prisma migrate dev` would create on PostgreSQL: table and
 * column names verbatim (quoted, case kept) unless @@map/@map, the default
 * type of each scalar or its @db native type, autoincrement() as serial,
 * now() as CURRENT_TIMESTAMP, uuid()/cuid()/nanoid() as no database default
 * (Prisma fills them in), @@index/@@unique as indexes, @relation as a
 * foreign key named <Model>_<fields>_fkey whose default actions are ON
 * DELETE RESTRICT (SET NULL when the relation is optional) ON UPDATE
 * CASCADE, none at all with relationMode = "prisma". Relation fields
 * themselves have no column. Implicit many-to-many relations (a list on
 * both sides, no fields:) get Prisma's join table "_AToB". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ormx.h"
#include "prisma_mysql.h"
#include "tsq.h"
#include "../sql/sql.h"

/* An enum's @@map, lifted out of the text before parsing (below). */
typedef struct enum_map {
    const char *name, *db_name;
    struct enum_map *next;
} enum_map;

typedef struct px {
    orm_schema *s;
    const char *path, *text;
    enum_map *enum_maps;
    TSNode root;
    ormx_file f; /* the same file, for the helpers the extractors share */
    bool mysql;  /* provider = "mysql": MySQL's types (prisma_mysql.c) */
} px;

/* Both take a null node (a declaration cut short by a syntax error):
 * tree-sitter's own functions would dereference it. */
static const char *node_text(px *x, TSNode n)
{
    return ormx_text(&x->f, n);
}

static orm_loc loc_of(px *x, TSNode n)
{
    return ormx_loc(&x->f, n);
}

static bool is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static TSNode named(TSNode n, uint32_t i)
{
    return ts_node_is_null(n) ? n : ts_node_named_child(n, i);
}

/* A string literal's contents, escapes resolved. */
static const char *unquote(px *x, TSNode n)
{
    const char *t = node_text(x, n);
    size_t len = strlen(t);
    if (len < 2)
        return t;
    char *out = arena_alloc(x->s->a, len);
    size_t o = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (t[i] == '\\' && i + 2 < len)
            i++;
        out[o++] = t[i];
    }
    out[o] = 0;
    return out;
}

/* ---- attributes ---- */

/* An attribute's name ("id", "default", "db.VarChar", "relation") and its
 * arguments node (null when it has none). */
static const char *attr_name(px *x, TSNode attr, TSNode *args)
{
    TSNode e = named(attr, 0);
    *args = (TSNode){0};
    if (is(e, "call_expression")) {
        *args = named(e, 1);
        e = named(e, 0);
    }
    return node_text(x, e);
}

/* The argument named `key` (key: value), or the first positional one when key is NULL. */
static TSNode arg(px *x, TSNode args, const char *key)
{
    if (ts_node_is_null(args))
        return (TSNode){0};
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode a = named(args, i);
        if (is(a, "type_expression")) {
            if (key && !strcmp(node_text(x, named(a, 0)), key))
                return named(a, 1);
        } else if (!key) {
            return a;
        }
    }
    return (TSNode){0};
}

/* @map("x") or @map(name: "x"): the string, or a null node. */
static TSNode map_arg(px *x, TSNode args)
{
    TSNode v = arg(x, args, NULL);
    if (!is(v, "string"))
        v = arg(x, args, "name");
    return is(v, "string") ? v : (TSNode){0};
}

/* The identifiers of an array argument ([a, b(sort: Desc)]), as field names. */
static size_t name_list(px *x, TSNode arr, const char ***out)
{
    size_t n = 0;
    if (!is(arr, "array")) {
        *out = NULL;
        return 0;
    }
    uint32_t count = ts_node_named_child_count(arr);
    const char **names = arena_calloc(x->s->a, count + 1, sizeof *names);
    for (uint32_t i = 0; i < count; i++) {
        TSNode e = named(arr, i);
        if (is(e, "call_expression"))
            e = named(e, 0);
        names[n++] = node_text(x, e);
    }
    *out = names;
    return n;
}

/* ---- models and fields, before anything is written ---- */

typedef struct field {
    const char *name, *column; /* Prisma name, database name (@map) */
    const char *type;          /* Prisma type: Int, String, a model or enum name */
    bool optional, list;
    TSNode decl, type_node;
} field;

typedef struct model {
    const char *name, *table; /* @@map */
    const char *schema;       /* @@schema */
    field *fields;
    size_t nfields;
    TSNode name_node, body;
} model;

typedef struct enum_info {
    const char *name, *db_name;
    TSNode decl;
} enum_info;

typedef struct world {
    model *models;
    size_t nmodels;
    enum_info *enums;
    size_t nenums;
} world;

static const model *find_model(const world *w, const char *name)
{
    for (size_t i = 0; i < w->nmodels; i++)
        if (!strcmp(w->models[i].name, name))
            return &w->models[i];
    return NULL;
}

static const enum_info *find_enum(const world *w, const char *name)
{
    for (size_t i = 0; i < w->nenums; i++)
        if (!strcmp(w->enums[i].name, name))
            return &w->enums[i];
    return NULL;
}

static const field *find_field(const model *m, const char *name)
{
    for (size_t i = 0; m && i < m->nfields; i++)
        if (!strcmp(m->fields[i].name, name))
            return &m->fields[i];
    return NULL;
}

static const char *column_of(const model *m, const char *fname)
{
    const field *f = find_field(m, fname);
    return f ? f->column : fname;
}

static void read_field(px *x, TSNode decl, field *f)
{
    f->decl = decl;
    f->name = node_text(x, named(decl, 0));
    f->column = f->name;
    TSNode ct = named(decl, 1);
    f->type_node = ct;
    TSNode base = named(ct, 0);
    if (is(base, "call_expression")) /* Unsupported("...") */
        base = named(base, 0);
    f->type = node_text(x, base);
    for (uint32_t i = 1; i < ts_node_named_child_count(ct); i++) {
        f->optional = f->optional || is(named(ct, i), "maybe");
        f->list = f->list || is(named(ct, i), "array");
    }
    for (uint32_t i = 2; i < ts_node_named_child_count(decl); i++) {
        TSNode args, a = named(decl, i);
        if (!is(a, "attribute"))
            continue;
        if (!strcmp(attr_name(x, a, &args), "map")) {
            TSNode v = map_arg(x, args);
            if (!ts_node_is_null(v))
                f->column = unquote(x, v);
        }
    }
}

static void read_model(px *x, TSNode name, TSNode body, model *m)
{
    memset(m, 0, sizeof *m);
    m->name = node_text(x, name);
    m->table = m->name;
    m->name_node = name;
    m->body = body;
    uint32_t n = ts_node_named_child_count(body);
    m->fields = arena_calloc(x->s->a, n + 1, sizeof *m->fields);
    for (uint32_t i = 0; i < n; i++) {
        TSNode c = named(body, i), args;
        if (is(c, "column_declaration") && ts_node_named_child_count(c) >= 2) {
            read_field(x, c, &m->fields[m->nfields++]);
        } else if (is(c, "block_attribute_declaration")) {
            const char *an = attr_name(x, c, &args);
            TSNode v = arg(x, args, NULL);
            if (!strcmp(an, "map") && !ts_node_is_null(map_arg(x, args)))
                m->table = unquote(x, map_arg(x, args));
            else if (!strcmp(an, "schema") && is(v, "string"))
                m->schema = unquote(x, v);
        }
    }
}

/* ---- types and defaults ---- */

static const char *scalar_type(px *x, const char *t)
{
    if (x->mysql)
        return orm_prisma_mysql_scalar(t);
    static const char *const map[][2] = {
        {"String", "text"},
        {"Boolean", "boolean"},
        {"Int", "integer"},
        {"BigInt", "bigint"},
        {"Float", "double precision"},
        {"Decimal", "decimal(65,30)"},
        {"DateTime", "timestamp(3)"},
        {"Json", "jsonb"},
        {"Bytes", "bytea"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], t))
            return map[i][1];
    return NULL;
}

/* @db.X(args) as PostgreSQL spells it. */
static const char *native_type(px *x, const char *name, TSNode args)
{
    if (x->mysql)
        return orm_prisma_mysql_native(
            x->s->a, name,
            ts_node_is_null(args) || !ts_node_named_child_count(args) ? NULL : node_text(x, args));
    static const char *const map[][2] = {
        {"Text", "text"},
        {"VarChar", "varchar"},
        {"Char", "char"},
        {"Uuid", "uuid"},
        {"Timestamptz", "timestamptz"},
        {"Timestamp", "timestamp"},
        {"Date", "date"},
        {"Time", "time"},
        {"Timetz", "timetz"},
        {"SmallInt", "smallint"},
        {"Integer", "integer"},
        {"BigInt", "bigint"},
        {"Real", "real"},
        {"DoublePrecision", "double precision"},
        {"Decimal", "decimal"},
        {"Money", "money"},
        {"Json", "json"},
        {"JsonB", "jsonb"},
        {"Inet", "inet"},
        {"Citext", "citext"},
        {"Bit", "bit"},
        {"VarBit", "varbit"},
        {"Xml", "xml"},
        {"Oid", "oid"},
        {"ByteA", "bytea"},
        {"Boolean", "boolean"},
    };
    const char *base = NULL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], name))
            base = map[i][1];
    if (!base)
        return NULL;
    if (ts_node_is_null(args) || ts_node_named_child_count(args) == 0)
        return base;
    const char *inner = node_text(x, args); /* "(255)" or "(10, 2)" */
    return arena_printf(x->s->a, "%s%s", base, inner);
}

/* The database default of @default(v), or NULL (none, or made by Prisma). */
static const char *default_sql(px *x, const world *w, const field *f, TSNode v, const char *type,
                               bool *serial, bool *unknown)
{
    if (is(v, "call_expression")) {
        const char *fn = node_text(x, named(v, 0));
        TSNode a = arg(x, named(v, 1), NULL);
        if (!strcmp(fn, "autoincrement")) {
            *serial = true;
            return NULL;
        }
        if (!strcmp(fn, "now"))
            return x->mysql ? orm_prisma_mysql_now(x->s->a, type) : "CURRENT_TIMESTAMP";
        if (!strcmp(fn, "dbgenerated")) {
            if (is(a, "string"))
                return unquote(x, a);
            *unknown = true; /* a database default Prisma does not describe */
            return NULL;
        }
        return NULL; /* uuid(), cuid(), nanoid(), ulid(): filled in by Prisma */
    }
    if (is(v, "string"))
        return sql_quote_literal(x->s->a, unquote(x, v));
    if (is(v, "array")) {
        size_t n = ts_node_named_child_count(v);
        const char *items = "";
        for (size_t i = 0; i < n; i++) {
            TSNode e = named(v, (uint32_t)i);
            const char *one = is(e, "string") ? sql_quote_literal(x->s->a, unquote(x, e))
                              : is(e, "identifier") && find_enum(w, f->type)
                                  ? sql_quote_literal(x->s->a, node_text(x, e))
                                  : node_text(x, e);
            items = arena_printf(x->s->a, "%s%s%s", items, i ? ", " : "", one);
        }
        return arena_printf(x->s->a, "ARRAY[%s]::%s", items, type);
    }
    if (is(v, "identifier") && find_enum(w, f->type))
        return sql_quote_literal(x->s->a, node_text(x, v));
    return node_text(x, v); /* numbers, true, false */
}

static const char *serial_of(const char *type)
{
    if (!strcmp(type, "bigint"))
        return "bigserial";
    if (!strcmp(type, "smallint"))
        return "smallserial";
    return "serial";
}

/* ---- writing the model ---- */

static void add_fk(px *x, const world *w, const model *m, orm_table *t, const field *rel,
                   TSNode attr, TSNode args)
{
    const char **fields, **refs;
    size_t nf = name_list(x, arg(x, args, "fields"), &fields);
    size_t nr = name_list(x, arg(x, args, "references"), &refs);
    if (!nf)
        return; /* the other side of the relation: no column here */
    const model *target = find_model(w, rel->type);
    orm_foreign_key *fk = orm_add_foreign_key(x->s, t, loc_of(x, attr));
    TSNode mapped = arg(x, args, "map");
    const char *cols = "";
    fk->columns = arena_calloc(x->s->a, nf, sizeof *fk->columns);
    for (size_t i = 0; i < nf; i++) {
        fk->columns[i] = column_of(m, fields[i]);
        cols = arena_printf(x->s->a, "%s%s%s", cols, i ? "_" : "", fk->columns[i]);
    }
    fk->ncolumns = nf;
    fk->name = is(mapped, "string") ? unquote(x, mapped)
                                    : arena_printf(x->s->a, "%s_%s_fkey", m->table, cols);
    fk->ref_table = target ? target->table : rel->type;
    fk->ref_schema = target ? target->schema : NULL;
    fk->ref_columns = arena_calloc(x->s->a, nr + 1, sizeof *fk->ref_columns);
    for (size_t i = 0; i < nr; i++)
        fk->ref_columns[i] = target ? column_of(target, refs[i]) : refs[i];
    fk->nref_columns = nr;
    static const char *const actions[][2] = {{"Cascade", "CASCADE"},
                                             {"Restrict", "RESTRICT"},
                                             {"NoAction", "NO ACTION"},
                                             {"SetNull", "SET NULL"},
                                             {"SetDefault", "SET DEFAULT"}};
    fk->on_delete = rel->optional ? "SET NULL" : "RESTRICT";
    fk->on_update = "CASCADE";
    TSNode od = arg(x, args, "onDelete"), ou = arg(x, args, "onUpdate");
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (!ts_node_is_null(od) && !strcmp(node_text(x, od), actions[i][0]))
            fk->on_delete = actions[i][1];
        if (!ts_node_is_null(ou) && !strcmp(node_text(x, ou), actions[i][0]))
            fk->on_update = actions[i][1];
    }
}

static void add_column(px *x, const world *w, const model *m, orm_table *t, const field *f)
{
    const enum_info *e = find_enum(w, f->type);
    const char *type = e ? e->db_name : scalar_type(x, f->type);
    bool serial = false, pk = false, unique = false, updated_at = false, dflt_unknown = false;
    const char *dflt = NULL;
    TSNode default_arg = {0};
    if (is(named(f->type_node, 0), "call_expression")) /* Unsupported("circle") */
        type = unquote(x, arg(x, named(named(f->type_node, 0), 1), NULL));
    for (uint32_t i = 2; i < ts_node_named_child_count(f->decl); i++) {
        TSNode args, a = named(f->decl, i);
        if (!is(a, "attribute"))
            continue;
        const char *an = attr_name(x, a, &args);
        if (!strncmp(an, "db.", 3)) {
            const char *nt = native_type(x, an + 3, args);
            if (nt)
                type = nt;
        } else if (!strcmp(an, "id")) {
            pk = true;
        } else if (!strcmp(an, "unique")) {
            unique = true;
        } else if (!strcmp(an, "default")) {
            default_arg = arg(x, args, NULL);
        } else if (!strcmp(an, "updatedAt")) {
            updated_at = true;
        }
    }
    (void)updated_at;
    if (!type) {
        orm_add_note(x->s, loc_of(x, f->decl), "field %s.%s: type %s is not known, skipped",
                     m->name, f->name, f->type);
        return;
    }
    const char *full = f->list ? arena_printf(x->s->a, "%s[]", type) : type;
    if (!ts_node_is_null(default_arg)) {
        /* an enum's name keeps its case in a cast too */
        const char *cast =
            e ? arena_printf(x->s->a, "\"%s\"%s", e->db_name, f->list ? "[]" : "") : full;
        dflt = default_sql(x, w, f, default_arg, cast, &serial, &dflt_unknown);
    }
    orm_column *c = orm_add_column(x->s, t, f->column, serial && !x->mysql ? serial_of(type) : full,
                                   loc_of(x, f->decl));
    c->auto_increment = serial && x->mysql;         /* MySQL: INTEGER NOT NULL AUTO_INCREMENT */
    c->not_null = (!f->optional && !f->list) || pk; /* Prisma never makes a list NOT NULL */
    c->primary_key = pk;
    c->default_sql = dflt;
    /* The schema cannot say NOT NULL for a list, and Prisma's own diff
     * reads every array column as a list, nullable or not: nothing was
     * left unread, so no note. */
    if (f->list && !pk)
        c->skip |= ORM_SKIP_NOT_NULL;
    if (dflt_unknown) {
        c->skip |= ORM_SKIP_DEFAULT;
        orm_add_note(x->s, loc_of(x, default_arg),
                     "default of %s.%s is dbgenerated() without its SQL; not compared", t->name,
                     c->name);
    }
    if (unique) {
        orm_index *ix = orm_add_index(x->s, t, arena_printf(x->s->a, "%s_%s_key", t->name, c->name),
                                      true, loc_of(x, f->decl));
        orm_index_add_column(x->s, ix, c->name);
    }
}

/* @@index, @@unique, @@id. */
static void add_block_attr(px *x, const model *m, orm_table *t, TSNode a)
{
    TSNode args;
    const char *an = attr_name(x, a, &args);
    bool index = !strcmp(an, "index"), unique = !strcmp(an, "unique"), id = !strcmp(an, "id");
    if (!index && !unique && !id)
        return;
    TSNode list = arg(x, args, "fields");
    if (ts_node_is_null(list))
        list = arg(x, args, NULL);
    const char **names;
    size_t n = name_list(x, list, &names);
    if (!n)
        return;
    if (id) {
        t->primary_key = arena_calloc(x->s->a, n, sizeof *t->primary_key);
        for (size_t i = 0; i < n; i++)
            t->primary_key[i] = column_of(m, names[i]);
        t->nprimary_key = n;
        return;
    }
    TSNode mapped = arg(x, args, "map"), named_arg = arg(x, args, "name");
    const char *cols = "";
    for (size_t i = 0; i < n; i++)
        cols = arena_printf(x->s->a, "%s%s%s", cols, i ? "_" : "", column_of(m, names[i]));
    const char *name =
        is(mapped, "string") ? unquote(x, mapped)
        : is(named_arg, "string") && index
            ? unquote(x, named_arg)
            : arena_printf(x->s->a, "%s_%s_%s", t->name, cols, unique ? "key" : "idx");
    orm_index *ix = orm_add_index(x->s, t, name, unique, loc_of(x, a));
    for (size_t i = 0; i < n; i++)
        orm_index_add_column(x->s, ix, column_of(m, names[i]));
}

/* The column type of a scalar field (its @db native type, an enum's
 * name), as a key of another table would have it; NULL when unknown. */
static const char *field_type(px *x, const world *w, const field *f)
{
    const enum_info *e = find_enum(w, f->type);
    const char *type = e ? e->db_name : scalar_type(x, f->type);
    for (uint32_t i = 2; i < ts_node_named_child_count(f->decl); i++) {
        TSNode args, a = named(f->decl, i);
        const char *an = is(a, "attribute") ? attr_name(x, a, &args) : "";
        if (!strncmp(an, "db.", 3) && native_type(x, an + 3, args))
            type = native_type(x, an + 3, args);
    }
    return type;
}

static bool has_attr(px *x, const field *f, const char *name)
{
    for (uint32_t i = 2; i < ts_node_named_child_count(f->decl); i++) {
        TSNode args, a = named(f->decl, i);
        if (is(a, "attribute") && !strcmp(attr_name(x, a, &args), name))
            return true;
    }
    return false;
}

static const field *id_field(px *x, const model *m)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (has_attr(x, &m->fields[i], "id"))
            return &m->fields[i];
    return NULL;
}

/* @relation("Name") or @relation(name: "Name") of a field, or NULL. */
static const char *relation_name(px *x, const field *f)
{
    for (uint32_t i = 2; i < ts_node_named_child_count(f->decl); i++) {
        TSNode args, a = named(f->decl, i);
        if (!is(a, "attribute") || strcmp(attr_name(x, a, &args), "relation") != 0)
            continue;
        TSNode v = arg(x, args, NULL);
        if (!is(v, "string"))
            v = arg(x, args, "name");
        return is(v, "string") ? unquote(x, v) : NULL;
    }
    return NULL;
}

static void m2m_fk(px *x, orm_table *t, const char *col, const model *target, const field *id,
                   orm_loc loc)
{
    orm_foreign_key *fk = orm_add_foreign_key(x->s, t, loc);
    fk->name = arena_printf(x->s->a, "%s_%s_fkey", t->name, col);
    fk->columns = arena_calloc(x->s->a, 1, sizeof *fk->columns);
    fk->columns[fk->ncolumns++] = col;
    fk->ref_schema = target->schema;
    fk->ref_table = target->table;
    fk->ref_columns = arena_calloc(x->s->a, 1, sizeof *fk->ref_columns);
    fk->ref_columns[fk->nref_columns++] = id->column;
    fk->on_delete = "CASCADE";
    fk->on_update = "CASCADE";
}

/* The join table of an implicit many-to-many relation, as Prisma creates
 * it: "_<A>To<B>" (model names in order) or "_<relation name>", columns
 * "A" and "B" referencing each model's @id with ON DELETE CASCADE, an index
 * on "B". The pair (A, B) is a unique index before Prisma 6 and the primary
 * key since: declared as a skipped unique index, so either matches. */
static void add_m2m(px *x, const world *w, const model *m, const field *f, const model *other)
{
    const char *rel = relation_name(x, f);
    const model *a = strcmp(m->name, other->name) <= 0 ? m : other;
    const model *b = a == m ? other : m;
    const field *ida = id_field(x, a), *idb = id_field(x, b);
    const char *name =
        arena_printf(x->s->a, "_%s", rel ? rel : arena_printf(x->s->a, "%sTo%s", a->name, b->name));
    if (orm_find_table(x->s, a->schema, name))
        return; /* seen from the other side */
    const char *ta = ida ? field_type(x, w, ida) : NULL, *tb = idb ? field_type(x, w, idb) : NULL;
    if (!ta || !tb) {
        orm_add_note(x->s, loc_of(x, f->decl),
                     "implicit many-to-many relation %s.%s: the @id of %s or %s is not read; its "
                     "join table is not compared",
                     m->name, f->name, a->name, b->name);
        return;
    }
    orm_loc loc = loc_of(x, f->decl);
    orm_table *t = orm_add_table(x->s, a->schema, name, loc);
    orm_column *ca = orm_add_column(x->s, t, "A", ta, loc);
    ca->not_null = true;
    orm_column *cb = orm_add_column(x->s, t, "B", tb, loc);
    cb->not_null = true;
    orm_index *pair = orm_add_index(x->s, t, NULL, true, loc);
    orm_index_add_column(x->s, pair, "A");
    orm_index_add_column(x->s, pair, "B");
    pair->skipped = true;
    orm_index *ib = orm_add_index(x->s, t, arena_printf(x->s->a, "%s_B_index", name), false, loc);
    orm_index_add_column(x->s, ib, "B");
    m2m_fk(x, t, "A", a, ida, loc);
    m2m_fk(x, t, "B", b, idb, loc);
}

/* After every model's table: adding tables moves them. */
static void write_m2m(px *x, const world *w, const model *m)
{
    for (size_t i = 0; i < m->nfields; i++) {
        const field *f = &m->fields[i];
        const model *other = find_model(w, f->type);
        if (!other || !f->list)
            continue;
        /* the other side: a list of this model under the same relation name */
        const char *rel = relation_name(x, f);
        bool other_list = false;
        for (size_t k = 0; k < other->nfields; k++) {
            const field *o = &other->fields[k];
            const char *orel = relation_name(x, o);
            if (!strcmp(o->type, m->name) && o->list && (other != m || k != i) &&
                (rel ? orel && !strcmp(rel, orel) : !orel))
                other_list = true;
        }
        if (other_list)
            add_m2m(x, w, m, f, other);
    }
}

static void write_model(px *x, const world *w, const model *m)
{
    orm_table *t = orm_add_table(x->s, m->schema, m->table, loc_of(x, m->name_node));
    for (size_t i = 0; i < m->nfields; i++) {
        const field *f = &m->fields[i];
        if (find_model(w, f->type))
            continue; /* relation field: no column */
        add_column(x, w, m, t, f);
    }
    for (size_t i = 0; i < m->nfields; i++) {
        const field *f = &m->fields[i];
        if (!find_model(w, f->type))
            continue;
        for (uint32_t k = 2; k < ts_node_named_child_count(f->decl); k++) {
            TSNode args, a = named(f->decl, k);
            if (is(a, "attribute") && !strcmp(attr_name(x, a, &args), "relation"))
                add_fk(x, w, m, t, f, a, args);
        }
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(m->body); i++) {
        TSNode c = named(m->body, i);
        if (is(c, "block_attribute_declaration"))
            add_block_attr(x, m, t, c);
    }
}

static void write_enum(px *x, const enum_info *e, TSNode body)
{
    TSNode name = named(e->decl, 0);
    orm_enum *oe = orm_add_enum(x->s, NULL, e->db_name, loc_of(x, name));
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode v = named(body, i);
        if (!is(v, "enumeral"))
            continue;
        const char *label = node_text(x, named(v, 0));
        for (uint32_t k = 1; k < ts_node_named_child_count(v); k++) {
            TSNode args, a = named(v, k);
            if (is(a, "attribute") && !strcmp(attr_name(x, a, &args), "map") &&
                !ts_node_is_null(map_arg(x, args)))
                label = unquote(x, map_arg(x, args));
        }
        orm_enum_add_value(x->s, oe, label);
    }
}

static const char *enum_db_name(px *x, TSNode body, const char *name)
{
    for (const enum_map *m = x->enum_maps; m; m = m->next)
        if (!strcmp(m->name, name))
            return m->db_name;
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode args, c = named(body, i);
        if (is(c, "block_attribute_declaration") && !strcmp(attr_name(x, c, &args), "map") &&
            !ts_node_is_null(map_arg(x, args)))
            return unquote(x, map_arg(x, args));
    }
    return name;
}

/* The datasource's `key` when it is a string literal, else NULL. */
static const char *datasource_value(px *x, const char *key)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(x->root); i++) {
        TSNode d = named(x->root, i);
        if (!is(d, "datasource_declaration"))
            continue;
        TSNode body = named(d, 1);
        for (uint32_t k = 0; k < ts_node_named_child_count(body); k++) {
            TSNode a = named(body, k);
            if (is(a, "assignment_expression") && !strcmp(node_text(x, named(a, 0)), key) &&
                is(named(a, 1), "string"))
                return unquote(x, named(a, 1));
        }
    }
    return NULL;
}

/* relationMode = "prisma" (referentialIntegrity before Prisma 4) in the
 * datasource: Prisma emulates relations and creates no foreign keys. */
static bool prisma_relation_mode(px *x)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(x->root); i++) {
        TSNode d = named(x->root, i);
        if (!is(d, "datasource_declaration"))
            continue;
        TSNode body = named(d, 1);
        for (uint32_t k = 0; k < ts_node_named_child_count(body); k++) {
            TSNode a = named(body, k);
            if (!is(a, "assignment_expression"))
                continue;
            const char *key = node_text(x, named(a, 0));
            TSNode v = named(a, 1);
            if ((!strcmp(key, "relationMode") || !strcmp(key, "referentialIntegrity")) &&
                is(v, "string") && !strcmp(unquote(x, v), "prisma"))
                return true;
        }
    }
    return false;
}

/* A copy of text with each block comment blanked out, its newlines kept
 * (so lines and columns stay right): Prisma reads block comments since
 * 6.x, tree-sitter-prisma does not, and every declaration after one
 * was lost in its syntax error. */
static char *blank_block_comments(arena *a, const char *text, size_t len)
{
    char *out = arena_alloc(a, len + 1);
    memcpy(out, text, len);
    out[len] = 0;
    for (size_t i = 0; i < len; i++) {
        if (out[i] == '"') { /* a string: skip to its closing quote */
            for (i++; i < len && out[i] != '"' && out[i] != '\n'; i++)
                if (out[i] == '\\')
                    i++;
        } else if (out[i] == '/' && i + 1 < len && out[i + 1] == '/') {
            while (i < len && out[i] != '\n')
                i++;
        } else if (out[i] == '/' && i + 1 < len && out[i + 1] == '*') {
            const char *end = strstr(out + i + 2, "*/");
            size_t stop = end ? (size_t)(end - out) + 2 : len;
            for (; i < stop; i++)
                if (out[i] != '\n')
                    out[i] = ' ';
            i--;
        }
    }
    return out;
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t skip_space(const char *t, size_t i, size_t end)
{
    while (i < end && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
        i++;
    return i;
}

/* Reads and blanks the block attribute at t[i] ("@@map(...)") inside an
 * enum body ending at end; returns where it ends. @@map's name is kept. */
static size_t lift_enum_attr(arena *a, char *t, size_t i, size_t end, const char *enum_name,
                             enum_map **maps)
{
    size_t start = i, n = i + 2;
    while (n < end && ident_char(t[n]))
        n++;
    bool is_map = n - start == 5 && !strncmp(t + start, "@@map", 5);
    size_t k = skip_space(t, n, end);
    if (k < end && t[k] == '(') {
        int depth = 0;
        for (; k < end; k++) {
            if (t[k] == '"') {
                size_t q = k + 1;
                while (q < end && t[q] != '"')
                    q += t[q] == '\\' ? 2 : 1;
                if (is_map && q < end) {
                    enum_map *m = arena_alloc(a, sizeof *m);
                    m->name = enum_name;
                    m->db_name = arena_strndup(a, t + k + 1, q - k - 1);
                    m->next = *maps;
                    *maps = m;
                    is_map = false;
                }
                k = q;
            } else if (t[k] == '(') {
                depth++;
            } else if (t[k] == ')' && --depth == 0) {
                k++;
                break;
            }
        }
        n = k;
    }
    for (size_t b = start; b < n && b < end; b++)
        if (t[b] != '\n')
            t[b] = ' ';
    return n;
}

/* tree-sitter-prisma has no block attributes in an enum (@@map, @@schema)
 * and loses the enum to a syntax error: they are read here and blanked. */
static void lift_enum_attrs(arena *a, char *t, size_t len, enum_map **maps)
{
    for (size_t i = 0; i + 5 < len; i++) {
        if (strncmp(t + i, "enum", 4) || (i && ident_char(t[i - 1])) || ident_char(t[i + 4]))
            continue;
        size_t n0 = skip_space(t, i + 4, len), n1 = n0;
        while (n1 < len && ident_char(t[n1]))
            n1++;
        size_t open = skip_space(t, n1, len);
        if (n1 == n0 || open >= len || t[open] != '{')
            continue;
        const char *close = memchr(t + open, '}', len - open);
        size_t end = close ? (size_t)(close - t) : len;
        const char *name = arena_strndup(a, t + n0, n1 - n0);
        for (size_t k = open; k + 1 < end; k++)
            if (t[k] == '@' && t[k + 1] == '@')
                k = lift_enum_attr(a, t, k, end, name, maps) - 1;
        i = end;
    }
}

bool orm_extract_prisma(orm_schema *s, const char *path, const char *text, size_t len)
{
    enum_map *maps = NULL;
    char *copy = blank_block_comments(s->a, text, len);
    lift_enum_attrs(s->a, copy, len, &maps);
    text = copy;
    char err[256];
    tsq *q = tsq_load("prisma", "prisma.scm", err, sizeof err);
    if (!q) {
        orm_add_note(s, (orm_loc){path, 1, 1, 1, 1}, "prisma query: %s", err);
        return false;
    }
    TSTree *tree = tsq_parse("prisma", text, (uint32_t)len);
    px x = {s, path, text, maps, ts_tree_root_node(tree), {s, path, text, len}, false};
    world w = {0};
    size_t cap = ts_node_named_child_count(x.root) + 1;
    w.models = calloc(cap, sizeof *w.models);
    w.enums = calloc(cap, sizeof *w.enums);
    TSNode *enum_bodies = calloc(cap, sizeof *enum_bodies);
    if (!w.models || !w.enums || !enum_bodies)
        abort();
    tsq_cursor *c = tsq_exec(q, x.root, text);
    TSQueryMatch m;
    uint32_t mn = tsq_capture_id(q, "model.name"), mb = tsq_capture_id(q, "model.body");
    uint32_t en = tsq_capture_id(q, "enum.name"), eb = tsq_capture_id(q, "enum.body");
    while (tsq_next(c, &m)) {
        TSNode name, body;
        if (tsq_capture(&m, mn, &name) && tsq_capture(&m, mb, &body)) {
            read_model(&x, name, body, &w.models[w.nmodels++]);
        } else if (tsq_capture(&m, en, &name) && tsq_capture(&m, eb, &body)) {
            enum_info *e = &w.enums[w.nenums];
            e->name = node_text(&x, name);
            e->db_name = enum_db_name(&x, body, e->name);
            e->decl = ts_node_parent(name);
            enum_bodies[w.nenums++] = body;
        }
    }
    tsq_cursor_free(c);
    if (prisma_relation_mode(&x))
        s->no_foreign_keys = true;
    const char *provider = datasource_value(&x, "provider");
    x.mysql = s->mysql = s->mysql || (provider && !strcmp(provider, "mysql"));
    for (size_t i = 0; i < w.nenums; i++)
        write_enum(&x, &w.enums[i], enum_bodies[i]);
    for (size_t i = 0; i < w.nmodels; i++)
        write_model(&x, &w, &w.models[i]);
    for (size_t i = 0; i < w.nmodels; i++)
        write_m2m(&x, &w, &w.models[i]);
    if (ts_node_has_error(x.root))
        orm_add_note(s, (orm_loc){path, 1, 1, 1, 1},
                     "%s does not fully parse as a Prisma schema; parts may be missing", path);
    if (s->no_foreign_keys) /* also the tables of files read before the datasource */
        for (size_t i = 0; i < s->ntables; i++)
            s->tables[i].nfks = 0;
    free(w.models);
    free(w.enums);
    free(enum_bodies);
    ts_tree_delete(tree);
    tsq_free(q);
    return true;
}
