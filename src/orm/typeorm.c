/* typeorm.c - the TypeORM extractor: @Entity classes and their property
 * decorators (@PrimaryGeneratedColumn, @PrimaryColumn, @Column,
 * @CreateDateColumn, @UpdateDateColumn, @DeleteDateColumn,
 * @VersionColumn, @ManyToOne/@OneToOne with @JoinColumn, @Index, @Unique)
 * with TypeORM's default naming (snake_case class names, property names
 * as they are, <relation>Id join columns, <table>_<column>_enum enum
 * types) and the types of its postgres driver. Columns are NOT NULL
 * unless nullable: true; a type missing from the options comes from the
 * property's TypeScript type. */
#include <stdlib.h>
#include <string.h>

#include "code_extractors.h"
#include "extractors.h"
#include "ormx.h"
#include "tsq.h"
#include "typeorm_links.h"
#include "../core/file.h"
#include "../sql/sql.h"

#define F(n, name) ormx_field(n, name)
#define KIND(n, k) ormx_kind(n, k)

/* Property name -> column name of the entity being read (for @Index). */
typedef struct to_props {
    const char **prop, **col;
    size_t n;
} to_props;

typedef struct to_entity {
    const char *cls;
    TSNode decl, outer, body; /* outer: the export statement, or decl */
    const char *table, *schema;
    size_t ti; /* SIZE_MAX until made */
    to_props props;
} to_entity;

typedef struct to_ctx {
    ormx_file f;
    to_entity *ents;
    size_t nents;
    TSNode *enums, *enum_bodies;
    const char **enum_names;
    size_t nenums;
    TSTree *tree; /* the file's, for its imports and other classes */
} to_ctx;

/* The call of decorator @name among the decorators of node n. */
static TSNode decorator(to_ctx *c, TSNode n, const char *name)
{
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode d = ts_node_child(n, i);
        if (!KIND(d, "decorator"))
            continue;
        TSNode call = ts_node_named_child(d, 0);
        if (KIND(call, "call_expression") && ormx_is(&c->f, F(call, "function"), name))
            return call;
    }
    return (TSNode){0};
}

/* A decorator call on n named like a column (`...Column`) that is none of
 * TypeORM's own: a project's wrapper around @Column. */
static TSNode wrapped_column(to_ctx *c, TSNode n)
{
    static const char *const own[] = {
        "Column",           "PrimaryColumn",    "PrimaryGeneratedColumn", "CreateDateColumn",
        "UpdateDateColumn", "DeleteDateColumn", "VersionColumn",          "JoinColumn",
        "ViewColumn",       "ObjectIdColumn",   "VirtualColumn",          NULL};
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode d = ts_node_child(n, i);
        TSNode call = KIND(d, "decorator") ? ts_node_named_child(d, 0) : (TSNode){0};
        const char *fn =
            KIND(call, "call_expression") ? ormx_text(&c->f, F(call, "function")) : NULL;
        size_t len = fn ? strlen(fn) : 0;
        if (len <= 6 || strcmp(fn + len - 6, "Column") != 0 || strchr(fn, '.'))
            continue;
        bool known = false;
        for (const char *const *o = own; *o; o++)
            known |= !strcmp(*o, fn);
        if (!known && !strstr(fn, "Tree"))
            return call;
    }
    return (TSNode){0};
}

static TSNode arg(TSNode call, uint32_t i)
{
    TSNode args = F(call, "arguments");
    return ts_node_is_null(args) || i >= ts_node_named_child_count(args)
               ? (TSNode){0}
               : ts_node_named_child(args, i);
}

/* The options object of a decorator: the first object argument. */
static TSNode options(TSNode call)
{
    for (uint32_t i = 0; i < 4; i++) {
        TSNode a = arg(call, i);
        if (KIND(a, "object"))
            return a;
    }
    return (TSNode){0};
}

static const char *opt_str(to_ctx *c, TSNode opts, const char *key)
{
    return ormx_string(&c->f, ormx_ts_prop(&c->f, opts, key));
}

static bool opt_true(to_ctx *c, TSNode opts, const char *key)
{
    return KIND(ormx_ts_prop(&c->f, opts, key), "true");
}

static const char *opt_int(to_ctx *c, TSNode opts, const char *key)
{
    TSNode v = ormx_ts_prop(&c->f, opts, key);
    return KIND(v, "number") ? ormx_text(&c->f, v) : NULL;
}

/* TypeORM's postgres spelling of a column type with length, precision,
 * scale; NULL when the type is not known. */
static const char *pg_type(to_ctx *c, const char *t, TSNode opts)
{
    const char *len = opt_int(c, opts, "length"), *p = opt_int(c, opts, "precision"),
               *s = opt_int(c, opts, "scale");
    static const struct {
        const char *to, *pg;
    } plain[] = {
        {"int", "integer"},
        {"int4", "integer"},
        {"integer", "integer"},
        {"int2", "smallint"},
        {"smallint", "smallint"},
        {"int8", "bigint"},
        {"bigint", "bigint"},
        {"text", "text"},
        {"bool", "boolean"},
        {"boolean", "boolean"},
        {"float", "double precision"},
        {"float8", "double precision"},
        {"double precision", "double precision"},
        {"float4", "real"},
        {"real", "real"},
        {"json", "json"},
        {"jsonb", "jsonb"},
        {"uuid", "uuid"},
        {"bytea", "bytea"},
        {"date", "date"},
        {"inet", "inet"},
        {"cidr", "cidr"},
        {"interval", "interval"},
        {"simple-array", "text"},
        {"simple-json", "text"},
        {"citext", "citext"},
        {"hstore", "hstore"},
        {"tsvector", "tsvector"},
        {"money", "money"},
        {"xml", "xml"},
        {"macaddr", "macaddr"},
        {"ltree", "ltree"},
        {"macaddr8", "macaddr8"},
        {"point", "point"},
        {"line", "line"},
        {"lseg", "lseg"},
        {"box", "box"},
        {"path", "path"},
        {"polygon", "polygon"},
        {"circle", "circle"},
        {"jsonpath", "jsonpath"},
        {"int4range", "int4range"},
        {"int8range", "int8range"},
        {"numrange", "numrange"},
        {"tsrange", "tsrange"},
        {"tstzrange", "tstzrange"},
        {"daterange", "daterange"},
        {"int4multirange", "int4multirange"},
        {"int8multirange", "int8multirange"},
        {"nummultirange", "nummultirange"},
        {"tsmultirange", "tsmultirange"},
        {"tstzmultirange", "tstzmultirange"},
        {"datemultirange", "datemultirange"},
        {"tsquery", "tsquery"},
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (!strcmp(t, plain[i].to))
            return plain[i].pg;
    if (!strcmp(t, "varchar") || !strcmp(t, "character varying"))
        return len ? arena_printf(c->f.s->a, "varchar(%s)", len) : "varchar";
    if (!strcmp(t, "bit") || !strcmp(t, "varbit") || !strcmp(t, "bit varying")) {
        const char *b = t[0] == 'v' || t[3] == ' ' ? "bit varying" : "bit";
        return len ? arena_printf(c->f.s->a, "%s(%s)", b, len) : b;
    }
    if (!strcmp(t, "char") || !strcmp(t, "character"))
        return len ? arena_printf(c->f.s->a, "char(%s)", len) : "char";
    if (!strcmp(t, "decimal") || !strcmp(t, "numeric")) {
        if (p && s)
            return arena_printf(c->f.s->a, "numeric(%s, %s)", p, s);
        return p ? arena_printf(c->f.s->a, "numeric(%s)", p) : "numeric";
    }
    const char *zone = !strcmp(t, "timestamptz") || !strcmp(t, "timestamp with time zone") ||
                               !strcmp(t, "timetz") || !strcmp(t, "time with time zone")
                           ? "with"
                           : "without";
    const char *base = !strncmp(t, "timestamp", 9) ? "timestamp"
                       : !strncmp(t, "time", 4)    ? "time"
                                                   : NULL;
    if (base)
        return arena_printf(c->f.s->a, "%s%s%s%s %s time zone", base, p ? "(" : "", p ? p : "",
                            p ? ")" : "", zone);
    return NULL;
}

/* The type TypeORM reads from the TypeScript type of the property. */
/* The column type TypeORM gives a JavaScript type (String, number...). */
static const char *js_type(const char *name)
{
    if (!name)
        return NULL;
    if (!strcmp(name, "number") || !strcmp(name, "Number"))
        return "integer";
    if (!strcmp(name, "string") || !strcmp(name, "String"))
        return "varchar";
    if (!strcmp(name, "boolean") || !strcmp(name, "Boolean"))
        return "boolean";
    if (!strcmp(name, "Date"))
        return "timestamp";
    if (!strcmp(name, "Buffer"))
        return "bytea";
    return NULL;
}

static const char *ts_type(to_ctx *c, TSNode prop)
{
    TSNode ann = F(prop, "type");
    TSNode t = KIND(ann, "type_annotation") ? ts_node_named_child(ann, 0) : (TSNode){0};
    if (KIND(t, "union_type")) /* string | null */
        t = ts_node_named_child(t, 0);
    return js_type(ts_node_is_null(t) ? NULL : ormx_text(&c->f, t));
}

static TSNode find_enum(to_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nenums; i++)
        if (!strcmp(c->enum_names[i], name))
            return c->enum_bodies[i];
    return (TSNode){0};
}

/* An enum column: the type <table>_<column>_enum (or enumName), with the
 * labels of `enum:` (an array of strings or a TypeScript enum). */
static const char *enum_type(to_ctx *c, orm_table *t, const char *col, TSNode opts, TSNode at)
{
    const char *name = opt_str(c, opts, "enumName");
    if (!name)
        name = arena_printf(c->f.s->a, "%s_%s_enum", t->name, col);
    TSNode e = ormx_ts_prop(&c->f, opts, "enum");
    const char **labels = NULL;
    size_t n = 0;
    if (KIND(e, "array")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(e); i++) {
            const char *v = ormx_string(&c->f, ts_node_named_child(e, i));
            if (!v)
                goto computed;
            labels = ormx_list_add(&c->f, labels, n++, v);
        }
    } else if (KIND(e, "identifier") && !ts_node_is_null(find_enum(c, ormx_text(&c->f, e)))) {
        TSNode body = find_enum(c, ormx_text(&c->f, e));
        long next = 0;
        for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
            TSNode m = ts_node_named_child(body, i);
            TSNode v = KIND(m, "enum_assignment") ? F(m, "value") : (TSNode){0};
            const char *s = ormx_string(&c->f, v);
            if (KIND(m, "comment"))
                continue;
            if (!s && KIND(v, "number"))
                next = atol(ormx_text(&c->f, v));
            if (!s && !ts_node_is_null(v) && !KIND(v, "number"))
                goto computed;
            labels =
                ormx_list_add(&c->f, labels, n++, s ? s : arena_printf(c->f.s->a, "%ld", next));
            next++;
        }
    } else {
        goto computed;
    }
    for (size_t i = 0; i < c->f.s->nenums; i++)
        if (!strcmp(c->f.s->enums[i].name, name))
            return name;
    orm_enum *en = orm_add_enum(c->f.s, t->schema, name, ormx_loc(&c->f, at));
    en->values = labels;
    en->nvalues = n;
    return name;
computed:
    /* the type's name is known, its labels are not: the column is compared
     * as of that type, the labels are not */
    ormx_note(&c->f, at, "enum labels of %s.%s are not literal; not compared", t->name, col);
    if (!orm_find_enum(c->f.s, t->schema, name))
        orm_add_enum(c->f.s, t->schema, name, ormx_loc(&c->f, at))->skipped = true;
    return name;
}

/* default: as SQL: literals quoted as TypeORM does, () => "sql" verbatim.
 * *unknown when it is computed (a constant of another file). */
static const char *to_default(to_ctx *c, TSNode v, bool *unknown)
{
    const char *s = ormx_string(&c->f, v);
    if (s && KIND(v, "string"))
        return sql_quote_literal(c->f.s->a, s);
    if (KIND(v, "number") || KIND(v, "true") || KIND(v, "false"))
        return ormx_text(&c->f, v);
    if (KIND(v, "arrow_function")) {
        const char *sql = ormx_string(&c->f, F(v, "body"));
        if (sql)
            return sql;
    }
    if (KIND(v, "member_expression")) { /* Role.User: the enum member's value */
        TSNode body = find_enum(c, ormx_text(&c->f, F(v, "object")));
        for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
            TSNode m = ts_node_named_child(body, i);
            if (KIND(m, "enum_assignment") &&
                ormx_is(&c->f, F(m, "name"), ormx_last_name(&c->f, v))) {
                const char *val = ormx_string(&c->f, F(m, "value"));
                if (val)
                    return arena_printf(c->f.s->a, "'%s'", val);
            }
        }
    }
    ormx_note(&c->f, v, "default is not a literal; not compared");
    *unknown = true;
    return NULL;
}

/* The primary key column of an entity of this file, as a join column
 * type; NULL when it has none this extractor can tell. */
static const char *entity_pk(to_ctx *c, to_entity *e, const char **col)
{
    if (e->ti == SIZE_MAX)
        return NULL;
    orm_table *t = &c->f.s->tables[e->ti];
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].primary_key) {
            *col = t->columns[i].name;
            const char *ty = t->columns[i].sql_type;
            if (!strcmp(ty, "serial"))
                return "integer";
            if (!strcmp(ty, "bigserial"))
                return "bigint";
            if (!strcmp(ty, "smallserial"))
                return "smallint";
            const char *gen = strstr(ty, " GENERATED");
            return gen ? arena_strndup(c->f.s->a, ty, (size_t)(gen - ty)) : ty;
        }
    return NULL;
}

static char *lowered(to_ctx *c, const char *s)
{
    char *l = arena_strdup(c->f.s->a, s);
    for (char *p = l; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    return l;
}

static const char *relation_column(to_ctx *c, to_entity *e, const char *prop, orm_index *ix);

/* @ManyToOne / @OneToOne with a join column: recorded, and made a column
 * once the target entity (maybe of another file) is known. */
static void relation(to_ctx *c, to_entity *e, TSNode prop, TSNode rel, bool one_to_one)
{
    orm_table *t = &c->f.s->tables[e->ti];
    const char *pname = ormx_text(&c->f, F(prop, "name"));
    TSNode join = decorator(c, prop, "JoinColumn");
    if (one_to_one && ts_node_is_null(join))
        return; /* the inverse side has no column */
    TSNode target_fn = arg(rel, 0);
    TSNode target = KIND(target_fn, "arrow_function") ? F(target_fn, "body") : target_fn;
    const char *tname =
        KIND(target, "identifier") ? ormx_text(&c->f, target) : ormx_string(&c->f, target);
    if (!tname) {
        ormx_note(&c->f, prop, "%s.%s: the related entity is computed; join column skipped",
                  t->name, pname);
        return;
    }
    TSNode jopts = options(join), ropts = options(rel);
    const char *od = opt_str(c, ropts, "onDelete"), *ou = opt_str(c, ropts, "onUpdate");
    to_link l = {
        .schema = t->schema,
        .table = t->name,
        .prop = pname,
        .target = tname,
        .col_name = opt_str(c, jopts, "name"),
        .ref_col = opt_str(c, jopts, "referencedColumnName"),
        .not_null =
            KIND(ormx_ts_prop(&c->f, ropts, "nullable"), "false") || opt_true(c, ropts, "primary"),
        .unique = one_to_one,
        .on_delete = od && strcmp(od, "NO ACTION") ? lowered(c, od) : NULL,
        .on_update = ou && strcmp(ou, "NO ACTION") ? lowered(c, ou) : NULL,
        .loc = ormx_loc(&c->f, prop),
    };
    to_links_add(&l);
    TSNode ixd = decorator(c, prop, "Index");
    if (!ts_node_is_null(ixd)) { /* @Index() on the relation: its join column */
        orm_index *x = orm_add_index(c->f.s, t, ormx_string(&c->f, arg(ixd, 0)),
                                     opt_true(c, options(ixd), "unique"),
                                     ormx_loc(&c->f, ts_node_parent(ixd)));
        orm_index_add_column(c->f.s, x, relation_column(c, e, pname, x));
    }
}

static void column(to_ctx *c, to_entity *e, TSNode prop, to_props *pp, bool relations)
{
    static const char *const kinds[] = {
        "PrimaryGeneratedColumn", "PrimaryColumn",    "Column",
        "CreateDateColumn",       "UpdateDateColumn", "DeleteDateColumn",
        "VersionColumn",          "ManyToOne",        "OneToOne"};
    TSNode dec = {0};
    size_t k;
    for (k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (!ts_node_is_null(dec = decorator(c, prop, kinds[k])))
            break;
    bool wrapped = false;
    if (ts_node_is_null(dec)) {
        /* A project's own decorator around @Column (DbAwareColumn(opts)
         * returning Column(...)): its options are TypeORM's, its type may
         * be changed by the wrapper. */
        dec = wrapped_column(c, prop);
        wrapped = !ts_node_is_null(dec);
        k = 2;
    }
    if (ts_node_is_null(dec))
        return; /* @OneToMany, @ManyToMany, plain properties */
    const char *kind = kinds[k];
    bool is_relation = !strcmp(kind, "ManyToOne") || !strcmp(kind, "OneToOne");
    if (is_relation != relations)
        return;
    if (is_relation) {
        relation(c, e, prop, dec, kind[0] == 'O');
        return;
    }
    orm_table *t = &c->f.s->tables[e->ti];
    const char *pname = ormx_text(&c->f, F(prop, "name"));
    TSNode opts = options(dec);
    const char *tstr = ormx_string(&c->f, arg(dec, 0));
    const char *type = opt_str(c, opts, "type");
    TSNode type_id = ormx_ts_prop(&c->f, opts, "type");
    if (!type &&
        KIND(type_id, "identifier")) /* { type: String }: the property's type is not asked */
        type = js_type(ormx_text(&c->f, type_id));
    if (!type && tstr && strcmp(kind, "PrimaryGeneratedColumn"))
        type = tstr;
    const char *col = opt_str(c, opts, "name");
    if (!col)
        col = orm_typeorm_snake_naming() ? ormx_snake(&c->f, pname) : pname;
    const char *sql = NULL, *dflt = NULL;
    bool not_null = !opt_true(c, opts, "nullable"), pk = false;
    if (!strcmp(kind, "PrimaryGeneratedColumn")) {
        const char *strategy = tstr ? tstr : "increment";
        pk = not_null = true;
        const char *base = type ? pg_type(c, type, opts) : "integer";
        if (!strcmp(strategy, "uuid")) {
            sql = "uuid", dflt = "uuid_generate_v4()";
        } else if (!strcmp(strategy, "identity")) {
            sql = arena_printf(c->f.s->a, "%s GENERATED BY DEFAULT AS IDENTITY",
                               base ? base : "integer");
        } else if (base && (!strcmp(base, "integer") || !strcmp(base, "bigint") ||
                            !strcmp(base, "smallint"))) {
            sql = !strcmp(base, "integer")  ? "serial"
                  : !strcmp(base, "bigint") ? "bigserial"
                                            : "smallserial";
        } else if (!strcmp(strategy, "rowid")) {
            sql = NULL;
        }
    } else if (!strcmp(kind, "CreateDateColumn") || !strcmp(kind, "UpdateDateColumn") ||
               !strcmp(kind, "DeleteDateColumn")) {
        sql = pg_type(c, type ? type : "timestamp", opts);
        if (kind[0] != 'D')
            dflt = "now()";
        else
            not_null = false;
    } else if (!strcmp(kind, "VersionColumn")) {
        sql = pg_type(c, type ? type : "integer", opts);
    } else {
        pk = !strcmp(kind, "PrimaryColumn") || opt_true(c, opts, "primary");
        if (type && !strcmp(type, "enum"))
            sql = enum_type(c, t, col, opts, prop);
        else if (!type && !ts_node_is_null(ormx_ts_prop(&c->f, opts, "enum")))
            sql = enum_type(c, t, col, opts, prop);
        else if (type)
            sql = pg_type(c, type, opts);
        else {
            const char *inferred = ts_type(c, prop);
            sql = inferred ? pg_type(c, inferred, opts) : NULL;
        }
        if (!sql && wrapped)
            sql = "text"; /* a placeholder: the wrapper's type is not compared */
        if (!sql && !(type && !strcmp(type, "enum"))) {
            ormx_note(&c->f, prop, "%s.%s: column type %s is not known; column skipped", t->name,
                      col, type ? type : "(from the TypeScript type)");
            return;
        }
        if (pk)
            not_null = true;
    }
    if (!sql)
        return;
    if (opt_true(c, opts, "array"))
        sql = arena_printf(c->f.s->a, "%s[]", sql);
    t = &c->f.s->tables[e->ti];
    orm_column *oc = orm_add_column(c->f.s, t, col, sql, ormx_loc(&c->f, prop));
    oc->not_null = not_null;
    oc->primary_key = pk;
    oc->unique = opt_true(c, opts, "unique");
    TSNode d = ormx_ts_prop(&c->f, opts, "default");
    bool unknown = false;
    oc->default_sql = !ts_node_is_null(d) ? to_default(c, d, &unknown) : dflt;
    oc->any_uuid_default = dflt && !strcmp(dflt, "uuid_generate_v4()") && ts_node_is_null(d);
    if (unknown)
        oc->skip |= ORM_SKIP_DEFAULT;
    if (wrapped) {
        oc->skip |= ORM_SKIP_TYPE;
        ormx_note(&c->f, dec,
                  "%s.%s: @%s is not TypeORM's own decorator: read as @Column, its type is not "
                  "compared",
                  t->name, col, ormx_text(&c->f, F(dec, "function")));
    }
    pp->prop = ormx_list_add(&c->f, pp->prop, pp->n, pname);
    pp->col = ormx_list_add(&c->f, pp->col, pp->n++, col);
    TSNode ix = decorator(c, prop, "Index");
    if (!ts_node_is_null(ix)) {
        orm_index *x =
            orm_add_index(c->f.s, &c->f.s->tables[e->ti], ormx_string(&c->f, arg(ix, 0)),
                          opt_true(c, options(ix), "unique"), ormx_loc(&c->f, ts_node_parent(ix)));
        orm_index_add_column(c->f.s, x, col);
    }
}

/* The join column of relation property `prop` of entity e, for an index
 * naming the property: @JoinColumn({name}), else a placeholder
 * TO_PENDING_PROP + prop that typeorm_links.c replaces once it names the
 * column (<prop><ReferencedColumn>, from the target's primary key); the
 * index is skipped until then. NULL when prop is no relation. */
static const char *relation_column(to_ctx *c, to_entity *e, const char *prop, orm_index *ix)
{
    uint32_t i = 0;
    TSNode p;
    while (!ts_node_is_null(p = ormx_next_child(e->body, "public_field_definition", &i))) {
        if (!ormx_is(&c->f, F(p, "name"), prop))
            continue;
        if (ts_node_is_null(decorator(c, p, "ManyToOne")) &&
            ts_node_is_null(decorator(c, p, "OneToOne")))
            return NULL;
        const char *name = opt_str(c, options(decorator(c, p, "JoinColumn")), "name");
        if (name)
            return name;
        ix->skipped = true;
        return arena_printf(c->f.s->a, "%c%s", TO_PENDING_PROP, prop);
    }
    return NULL;
}

/* Class-level @Index([...]) / @Index("name", [...]) / @Unique(...). */
static void class_indexes(to_ctx *c, to_entity *e, const to_props *pp)
{
    for (int pass = 0; pass < 2; pass++) {
        TSNode holder = pass ? e->outer : e->decl;
        if (pass && ts_node_eq(e->outer, e->decl))
            break;
        uint32_t count = ts_node_child_count(holder);
        for (uint32_t i = 0; i < count; i++) {
            TSNode d = ts_node_child(holder, i);
            TSNode call = KIND(d, "decorator") ? ts_node_named_child(d, 0) : (TSNode){0};
            if (!KIND(call, "call_expression"))
                continue;
            bool unique = ormx_is(&c->f, F(call, "function"), "Unique");
            if (!unique && !ormx_is(&c->f, F(call, "function"), "Index"))
                continue;
            const char *name = ormx_string(&c->f, arg(call, 0));
            TSNode cols = arg(call, name ? 1 : 0);
            if (!KIND(cols, "array")) {
                ormx_note(&c->f, call, "index columns are not a literal array; index skipped");
                continue;
            }
            orm_table *t = &c->f.s->tables[e->ti];
            orm_index *ix =
                orm_add_index(c->f.s, t, name, unique || opt_true(c, options(call), "unique"),
                              ormx_loc(&c->f, d));
            for (uint32_t j = 0; j < ts_node_named_child_count(cols); j++) {
                const char *p = ormx_string(&c->f, ts_node_named_child(cols, j));
                const char *col = p;
                bool found = false;
                for (size_t k = 0; p && k < pp->n; k++)
                    if (!strcmp(pp->prop[k], p))
                        col = pp->col[k], found = true;
                if (p && !found)
                    col = relation_column(c, e, p, ix);
                orm_index_add_column(c->f.s, ix, col ? col : "?");
            }
        }
    }
}

/* ---- columns inherited from a base class (AbstractEntity in another file) ---- */

/* "a/b/../c" -> "a/c", "./a" -> "a": paths for locations. */
static char *tidy_path(arena *a, const char *p)
{
    char *out = arena_alloc(a, strlen(p) + 1);
    size_t o = 0;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 1 && p[0] == '.') {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && o && strncmp(out, "..", 2)) {
            while (o && out[o - 1] != '/')
                o--;
            o = o ? o - 1 : 0;
        } else {
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n + (end ? 1 : 0);
    }
    out[o] = 0;
    return out;
}

/* Does the subtree hold an identifier spelled name (an import's binding)? */
static bool binds(to_ctx *c, TSNode n, const char *name)
{
    if ((KIND(n, "identifier") || KIND(n, "type_identifier")) && ormx_is(&c->f, n, name))
        return true;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (binds(c, ts_node_named_child(n, i), name))
            return true;
    return false;
}

/* The file a relative import of `name` in this file points at, read. */
static bool import_file(to_ctx *c, const char *name, ormx_file *out)
{
    TSNode root = ts_tree_root_node(c->tree);
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode imp = ts_node_named_child(root, i);
        const char *spec =
            KIND(imp, "import_statement") ? ormx_string(&c->f, F(imp, "source")) : NULL;
        if (!spec || spec[0] != '.' || !binds(c, ts_node_named_child(imp, 0), name))
            continue;
        const char *slash = strrchr(c->f.path, '/');
        const char *dir =
            slash ? arena_strndup(c->f.s->a, c->f.path, (size_t)(slash - c->f.path)) : ".";
        size_t sl = strlen(spec);
        const char *stem =
            sl > 3 && !strcmp(spec + sl - 3, ".js") ? arena_strndup(c->f.s->a, spec, sl - 3) : spec;
        const char *tries[] = {"", ".ts", "/index.ts"};
        for (size_t k = 0; k < 3; k++) {
            const char *p = tidy_path(
                c->f.s->a, arena_printf(c->f.s->a, "%s/%s%s", dir, k ? stem : spec, tries[k]));
            size_t len;
            char *text = file_read_all(p, &len);
            if (!text)
                continue;
            char *kept = arena_strndup(c->f.s->a, text, len);
            free(text);
            *out = (ormx_file){c->f.s, p, kept, len};
            return true;
        }
    }
    return false;
}

/* The body of class `name` among a file's top-level declarations. */
static TSNode class_body(const ormx_file *f, TSNode root, const char *name, TSNode *decl)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode d = ts_node_named_child(root, i);
        if (KIND(d, "export_statement"))
            d = F(d, "declaration");
        if ((KIND(d, "class_declaration") || KIND(d, "abstract_class_declaration")) &&
            ormx_is(f, F(d, "name"), name)) {
            *decl = d;
            return F(d, "body");
        }
    }
    return (TSNode){0};
}

/* The class a declaration extends (`extends AbstractEntity<Dto>`), or NULL. */
static const char *base_name(const ormx_file *f, TSNode decl)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(decl); i++) {
        TSNode h = ts_node_named_child(decl, i);
        if (!KIND(h, "class_heritage"))
            continue;
        for (uint32_t k = 0; k < ts_node_named_child_count(h); k++) {
            TSNode ext = ts_node_named_child(h, k);
            TSNode v = KIND(ext, "extends_clause") ? F(ext, "value") : (TSNode){0};
            if (KIND(v, "identifier"))
                return ormx_text(f, v);
        }
    }
    return NULL;
}

static void column(to_ctx *c, to_entity *e, TSNode prop, to_props *pp, bool relations);

/* Is name imported from typeorm itself (BaseEntity: no columns)? */
static bool from_typeorm(to_ctx *c, const char *name)
{
    TSNode root = ts_tree_root_node(c->tree);
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode imp = ts_node_named_child(root, i);
        const char *spec =
            KIND(imp, "import_statement") ? ormx_string(&c->f, F(imp, "source")) : NULL;
        if (spec && !strcmp(spec, "typeorm") && binds(c, ts_node_named_child(imp, 0), name))
            return true;
    }
    return false;
}

/* The base classes' columns, from this file or a relative import; a base
 * that cannot be found is a note, and the table's extra columns, indexes
 * and foreign keys are not reported. */
static void inherit(to_ctx *c, to_entity *e, TSNode decl, to_props *pp, int depth)
{
    const char *base = base_name(&c->f, decl);
    if (!base || depth > 4 || from_typeorm(c, base))
        return;
    to_ctx bc = {.f = c->f, .tree = c->tree};
    TSNode bdecl, body = class_body(&c->f, ts_tree_root_node(c->tree), base, &bdecl);
    TSTree *own = NULL;
    if (ts_node_is_null(body) && import_file(c, base, &bc.f)) {
        own = tsq_parse("typescript", bc.f.text, (uint32_t)bc.f.len);
        bc.tree = own;
        body = class_body(&bc.f, ts_tree_root_node(own), base, &bdecl);
    }
    if (ts_node_is_null(body)) {
        c->f.s->tables[e->ti].skip |=
            ORM_SKIP_EXTRA_COLUMNS | ORM_SKIP_EXTRA_INDEXES | ORM_SKIP_EXTRA_FKS;
        ormx_note(&c->f, decl, "%s extends %s, which is not read: its columns are not compared",
                  e->cls, base);
    } else {
        inherit(&bc, e, bdecl, pp, depth + 1);
        uint32_t i = 0;
        TSNode prop;
        while (!ts_node_is_null(prop = ormx_next_child(body, "public_field_definition", &i)))
            column(&bc, e, prop, pp, false);
    }
    if (own)
        ts_tree_delete(own);
}

static void entity(to_ctx *c, to_entity *e)
{
    TSNode ent = decorator(c, e->decl, "Entity");
    if (ts_node_is_null(ent))
        ent = decorator(c, e->outer, "Entity");
    TSNode first = arg(ent, 0);
    TSNode opts = options(ent);
    e->table = ormx_string(&c->f, first);
    if (!e->table)
        e->table = opt_str(c, opts, "name");
    if (!e->table && !ts_node_is_null(first) && !KIND(first, "object")) {
        ormx_note(&c->f, ent, "@Entity name of %s is not a literal; entity skipped", e->cls);
        return;
    }
    if (!e->table)
        e->table = ormx_snake(&c->f, e->cls);
    e->schema = opt_str(c, opts, "schema");
    e->ti = c->f.s->ntables;
    orm_add_table(c->f.s, e->schema, e->table, ormx_loc(&c->f, e->outer));
    to_props pp = {0};
    inherit(c, e, e->decl, &pp, 0);
    uint32_t i = 0;
    TSNode prop;
    while (!ts_node_is_null(prop = ormx_next_child(e->body, "public_field_definition", &i)))
        column(c, e, prop, &pp, false);
    e->props = pp;
    const char *pk_col = NULL;
    const char *pk_type = entity_pk(c, e, &pk_col);
    to_links_entity(e->cls, e->schema, e->table, pk_col, pk_type);
}

/* Join columns come once every entity has its primary key, then the
 * class-level indexes (which may name them). */
static void entity_relations(to_ctx *c, to_entity *e)
{
    if (e->ti == SIZE_MAX)
        return;
    uint32_t i = 0;
    TSNode prop;
    while (!ts_node_is_null(prop = ormx_next_child(e->body, "public_field_definition", &i)))
        column(c, e, prop, &e->props, true);
    class_indexes(c, e, &e->props);
}

bool orm_extract_typeorm(orm_schema *s, const char *path, const char *text, size_t len)
{
    to_ctx c = {.f = {s, path, text, len}};
    to_links_begin(s);
    char err[256];
    const char *grammar =
        len > 3 && !strcmp(path + strlen(path) - 4, ".tsx") ? "tsx" : "typescript";
    tsq *q = ormx_query(grammar, "orm_typeorm.scm", err, sizeof err);
    if (!q) {
        orm_add_note(s, (orm_loc){.path = path, .line = 1, .col = 1}, "%s", err);
        return false;
    }
    uint32_t ccls = tsq_capture_id(q, "class"), cdecl = tsq_capture_id(q, "classdecl"),
             cexp = tsq_capture_id(q, "export"), cbody = tsq_capture_id(q, "body"),
             cen = tsq_capture_id(q, "enum"), ceb = tsq_capture_id(q, "enumbody");
    TSTree *tree = tsq_parse(grammar, text, (uint32_t)len);
    c.tree = tree;
    TSNode root = ts_tree_root_node(tree);
    tsq_cursor *cur = tsq_exec(q, root, text);
    TSQueryMatch m;
    while (tsq_next(cur, &m)) {
        TSNode a, b, d;
        if (tsq_capture(&m, cen, &a) && tsq_capture(&m, ceb, &b)) {
            c.enum_names = ormx_list_add(&c.f, c.enum_names, c.nenums, ormx_text(&c.f, a));
            c.enum_bodies = realloc(c.enum_bodies, (c.nenums + 1) * sizeof *c.enum_bodies);
            c.enum_bodies[c.nenums++] = b;
        } else if (tsq_capture(&m, ccls, &a) && tsq_capture(&m, cdecl, &d) &&
                   tsq_capture(&m, cbody, &b)) {
            bool dup = false;
            for (size_t i = 0; i < c.nents; i++)
                dup |= ts_node_eq(c.ents[i].decl, d);
            if (dup)
                continue;
            c.ents = realloc(c.ents, (c.nents + 1) * sizeof *c.ents);
            to_entity *e = &c.ents[c.nents++];
            memset(e, 0, sizeof *e);
            e->cls = ormx_text(&c.f, a);
            e->decl = d;
            e->body = b;
            e->ti = SIZE_MAX;
            if (!tsq_capture(&m, cexp, &e->outer))
                e->outer = d;
        }
    }
    tsq_cursor_free(cur);
    for (size_t i = 0; i < c.nents; i++)
        entity(&c, &c.ents[i]);
    for (size_t i = 0; i < c.nents; i++)
        entity_relations(&c, &c.ents[i]);
    to_links_resolve(s);
    ormx_note_syntax_errors(&(ormx_file){s, path, text, len}, root);
    free(c.ents);
    free(c.enum_bodies);
    ts_tree_delete(tree);
    return true;
}
