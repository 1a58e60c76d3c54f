/* schema_rb.c - the ActiveRecord db/schema.rb extractor: create_table with
 * its implicit bigint id (or id:/primary_key:), the t.<type> column calls
 * with null:, default:, limit:, precision:, scale:, array:, t.references,
 * t.timestamps, t.index, add_index, add_foreign_key and create_enum
 * (Rails 7). Types are those of Rails' PostgreSQL adapter; a schema written
 * by Rails 7 or later (ActiveRecord::Schema[7.x]) gives datetime columns
 * precision 6 unless it says `precision: nil`. */
#include <stdlib.h>
#include <string.h>

#include "code_extractors.h"
#include "ormx.h"
#include "tsq.h"
#include "../sql/sql.h"

#define F(n, name) ormx_field(n, name)
#define KIND(n, k) ormx_kind(n, k)

typedef struct rb_ctx {
    ormx_file f;
    int rails_major; /* from ActiveRecord::Schema[7.1]; 0 when not given */
} rb_ctx;

/* The value of a symbol or string argument (:cascade, "users"). */
static const char *rb_word(rb_ctx *c, TSNode n)
{
    return ormx_string(&c->f, n);
}

static const char *rb_int(rb_ctx *c, TSNode n)
{
    return KIND(n, "integer") ? ormx_text(&c->f, n) : NULL;
}

/* The table name, with its schema split off ("audit.events"). */
static const char *split_schema(rb_ctx *c, const char *name, const char **schema)
{
    const char *dot = strchr(name, '.');
    *schema = dot ? arena_strndup(c->f.s->a, name, (size_t)(dot - name)) : NULL;
    return dot ? dot + 1 : name;
}

/* timestamp[(p)] for datetime/timestamp columns, per the schema's Rails
 * version (precision 6 by default from 7.0 on). */
static const char *timestamp_type(rb_ctx *c, TSNode args, const char *zone)
{
    TSNode p = ormx_rb_pair(&c->f, args, "precision");
    const char *prec = rb_int(c, p);
    if (!prec && ts_node_is_null(p) && c->rails_major >= 7)
        prec = "6";
    return arena_printf(c->f.s->a, "timestamp%s%s%s %s time zone", prec ? "(" : "",
                        prec ? prec : "", prec ? ")" : "", zone);
}

static const struct {
    const char *rails, *pg;
} plain[] = {
    {"text", "text"},
    {"bigint", "bigint"},
    {"float", "float"},
    {"date", "date"},
    {"boolean", "boolean"},
    {"binary", "bytea"},
    {"json", "json"},
    {"jsonb", "jsonb"},
    {"uuid", "uuid"},
    {"inet", "inet"},
    {"cidr", "cidr"},
    {"macaddr", "macaddr"},
    {"hstore", "hstore"},
    {"citext", "citext"},
    {"ltree", "ltree"},
    {"tsvector", "tsvector"},
    {"interval", "interval"},
    {"money", "money"},
    {"point", "point"},
    {"xml", "xml"},
    {"oid", "oid"},
    {"serial", "serial"},
    {"bigserial", "bigserial"},
    {"int4range", "int4range"},
    {"int8range", "int8range"},
    {"tsrange", "tsrange"},
    {"tstzrange", "tstzrange"},
    {"daterange", "daterange"},
    {"numrange", "numrange"},
};

/* The PostgreSQL type of a Rails column type with its options; NULL when
 * the type is not known. */
static const char *rb_type(rb_ctx *c, const char *type, TSNode args, const char *column)
{
    const char *limit = rb_int(c, ormx_rb_pair(&c->f, args, "limit"));
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (!strcmp(type, plain[i].rails))
            return plain[i].pg;
    if (!strcmp(type, "string"))
        return limit ? arena_printf(c->f.s->a, "varchar(%s)", limit) : "varchar";
    if (!strcmp(type, "integer"))
        return !limit || !strcmp(limit, "4") ? "integer"
               : !strcmp(limit, "8")         ? "bigint"
               : !strcmp(limit, "2")         ? "smallint"
                                             : "integer";
    if (!strcmp(type, "datetime") || !strcmp(type, "timestamp"))
        return timestamp_type(c, args, "without");
    if (!strcmp(type, "timestamptz"))
        return timestamp_type(c, args, "with");
    if (!strcmp(type, "time")) {
        const char *p = rb_int(c, ormx_rb_pair(&c->f, args, "precision"));
        return p ? arena_printf(c->f.s->a, "time(%s) without time zone", p)
                 : "time without time zone";
    }
    if (!strcmp(type, "decimal") || !strcmp(type, "numeric")) {
        const char *p = rb_int(c, ormx_rb_pair(&c->f, args, "precision"));
        const char *s = rb_int(c, ormx_rb_pair(&c->f, args, "scale"));
        if (p && s)
            return arena_printf(c->f.s->a, "numeric(%s, %s)", p, s);
        return p ? arena_printf(c->f.s->a, "numeric(%s)", p) : "numeric";
    }
    if (!strcmp(type, "enum")) {
        const char *e = rb_word(c, ormx_rb_pair(&c->f, args, "enum_type"));
        return e ? e : column;
    }
    return NULL;
}

/* default: as SQL: literals, -> { "sql" }, {} and [] (empty json/array). */
static const char *rb_default(rb_ctx *c, TSNode v, bool *ok)
{
    *ok = true;
    if (KIND(v, "nil"))
        return NULL;
    if (KIND(v, "string")) {
        const char *s = ormx_string(&c->f, v);
        if (s)
            return sql_quote_literal(c->f.s->a, s);
    } else if (KIND(v, "integer") || KIND(v, "float") || KIND(v, "true") || KIND(v, "false")) {
        return ormx_text(&c->f, v);
    } else if (KIND(v, "unary") && KIND(ts_node_named_child(v, 0), "integer")) {
        return ormx_text(&c->f, v);
    } else if ((KIND(v, "hash") || KIND(v, "array")) && ts_node_named_child_count(v) == 0) {
        return "'{}'"; /* jsonb {} and array [] are both '{}' */
    } else if (KIND(v, "lambda")) {
        TSNode body = F(v, "body"); /* -> { "sql" }: block > block_body > string */
        if (KIND(body, "block") || KIND(body, "do_block"))
            body = F(body, "body");
        uint32_t n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
        const char *sql = n == 1 ? ormx_string(&c->f, ts_node_named_child(body, 0)) : NULL;
        if (sql)
            return sql;
    }
    *ok = false;
    ormx_note(&c->f, v, "default is not a literal schema.rb writes; default skipped");
    return NULL;
}

static void rb_index(rb_ctx *c, orm_table *t, TSNode cols, TSNode args, TSNode at);

/* Options every column call shares: null:, default:, array:, index:. */
static orm_column *rb_add_column(rb_ctx *c, size_t ti, const char *name, const char *type,
                                 TSNode args, TSNode at)
{
    if (KIND(ormx_rb_pair(&c->f, args, "array"), "true"))
        type = arena_printf(c->f.s->a, "%s[]", type);
    orm_table *t = &c->f.s->tables[ti];
    orm_column *col = orm_add_column(c->f.s, t, name, type, ormx_loc(&c->f, at));
    col->not_null = KIND(ormx_rb_pair(&c->f, args, "null"), "false");
    TSNode d = ormx_rb_pair(&c->f, args, "default");
    if (!ts_node_is_null(d)) {
        bool ok;
        col->default_sql = rb_default(c, d, &ok);
    }
    return col;
}

/* One statement of a create_table block: t.<type>, t.references,
 * t.timestamps, t.index. */
static void rb_block_call(rb_ctx *c, size_t ti, const char *tvar, TSNode call)
{
    TSNode recv = F(call, "receiver");
    if (!ormx_is(&c->f, recv, tvar)) {
        ormx_note(&c->f, call, "statement in create_table is not a column call; skipped");
        return;
    }
    const char *m = ormx_text(&c->f, F(call, "method"));
    TSNode args = F(call, "arguments");
    TSNode first = ts_node_is_null(args) ? (TSNode){0} : ts_node_named_child(args, 0);
    if (!strcmp(m, "timestamps")) {
        const char *type = timestamp_type(c, args, "without");
        const char *names[] = {"created_at", "updated_at"};
        for (int i = 0; i < 2; i++) {
            orm_column *col = rb_add_column(c, ti, names[i], type, args, call);
            col->not_null = !KIND(ormx_rb_pair(&c->f, args, "null"), "true");
        }
        return;
    }
    if (!strcmp(m, "index")) {
        rb_index(c, &c->f.s->tables[ti], first, args, call);
        return;
    }
    if (!strcmp(m, "unique_constraint")) { /* Rails 7.1 */
        orm_index *ix = NULL;
        rb_index(c, &c->f.s->tables[ti], first, args, call);
        orm_table *t = &c->f.s->tables[ti];
        if (t->nindexes)
            ix = &t->indexes[t->nindexes - 1];
        if (ix)
            ix->unique = true;
        return;
    }
    if (!strcmp(m, "check_constraint") || !strcmp(m, "exclusion_constraint"))
        return; /* CHECK and EXCLUDE constraints are not part of the model (docs/orm.md) */
    if (!strcmp(m, "virtual")) {
        ormx_note(&c->f, call, "generated (virtual) column is not modelled; column skipped");
        return;
    }
    /* every other call names its columns first: t.string "a", "b", opts */
    for (uint32_t i = 0; !ts_node_is_null(args) && i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (KIND(a, "pair") || KIND(a, "hash"))
            break;
        const char *name = rb_word(c, a);
        if (!name) {
            ormx_note(&c->f, a, "column name is not a literal; column skipped");
            continue;
        }
        if (!strcmp(m, "references") || !strcmp(m, "belongs_to")) {
            const char *rt = rb_word(c, ormx_rb_pair(&c->f, args, "type"));
            const char *type = rt ? rb_type(c, rt, args, name) : "bigint";
            const char *cname = arena_printf(c->f.s->a, "%s_id", name);
            orm_column *col = rb_add_column(c, ti, cname, type ? type : "bigint", args, call);
            if (KIND(ormx_rb_pair(&c->f, args, "polymorphic"), "true")) {
                orm_column *tc = rb_add_column(c, ti, arena_printf(c->f.s->a, "%s_type", name),
                                               "varchar", args, call);
                (void)tc;
            }
            (void)col;
            TSNode ix = ormx_rb_pair(&c->f, args, "index");
            if (!KIND(ix, "false")) {
                orm_table *t = &c->f.s->tables[ti];
                orm_index *x = orm_add_index(c->f.s, t, NULL,
                                             KIND(ix, "hash") &&
                                                 KIND(ormx_rb_pair(&c->f, ix, "unique"), "true"),
                                             ormx_loc(&c->f, call));
                orm_index_add_column(c->f.s, x, cname);
            }
            TSNode fk = ormx_rb_pair(&c->f, args, "foreign_key");
            if (!ts_node_is_null(fk) && !KIND(fk, "false")) {
                orm_table *t = &c->f.s->tables[ti];
                orm_column *fc =
                    &t->columns[t->ncolumns - 1 -
                                (KIND(ormx_rb_pair(&c->f, args, "polymorphic"), "true") ? 1 : 0)];
                const char *to =
                    KIND(fk, "hash") ? rb_word(c, ormx_rb_pair(&c->f, fk, "to_table")) : NULL;
                fc->ref_table = to ? to : arena_printf(c->f.s->a, "%ss", name);
                fc->ref_column = "id";
            }
            continue;
        }
        const char *type = rb_type(c, m, args, name);
        if (!type) {
            ormx_note(&c->f, call,
                      "column type %s is not known to the schema.rb extractor; column skipped", m);
            continue;
        }
        rb_add_column(c, ti, name, type, args, call);
    }
}

/* t.index [cols] / add_index "t", [cols]: name:, unique:. */
static void rb_index(rb_ctx *c, orm_table *t, TSNode cols, TSNode args, TSNode at)
{
    const char *one = rb_word(c, cols);
    if (!KIND(cols, "array") && !(one && !strchr(one, '('))) {
        ormx_note(&c->f, at, "index on an expression is not modelled; index skipped");
        return;
    }
    if (!ts_node_is_null(ormx_rb_pair(&c->f, args, "where")))
        ormx_note(&c->f, at, "the index's where: condition is not modelled");
    const char *name = rb_word(c, ormx_rb_pair(&c->f, args, "name"));
    bool unique = KIND(ormx_rb_pair(&c->f, args, "unique"), "true");
    orm_index *ix = orm_add_index(c->f.s, t, name, unique, ormx_loc(&c->f, at));
    if (one) {
        orm_index_add_column(c->f.s, ix, one);
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(cols); i++) {
        const char *col = rb_word(c, ts_node_named_child(cols, i));
        orm_index_add_column(c->f.s, ix, col ? col : "?");
    }
}

static void rb_create_table(rb_ctx *c, TSNode call, TSNode args)
{
    const char *full = rb_word(c, ts_node_named_child(args, 0));
    if (!full) {
        ormx_note(&c->f, call, "create_table name is not a literal; table skipped");
        return;
    }
    const char *schema, *name = split_schema(c, full, &schema);
    size_t ti = c->f.s->ntables;
    orm_add_table(c->f.s, schema, name, ormx_loc(&c->f, call));
    /* the primary key: id: false | :uuid | :serial ..., primary_key: */
    TSNode idv = ormx_rb_pair(&c->f, args, "id");
    TSNode pkv = ormx_rb_pair(&c->f, args, "primary_key");
    if (KIND(pkv, "array")) {
        orm_table *t = &c->f.s->tables[ti];
        for (uint32_t i = 0; i < ts_node_named_child_count(pkv); i++) {
            const char *col = rb_word(c, ts_node_named_child(pkv, i));
            if (col)
                t->primary_key = ormx_list_add(&c->f, t->primary_key, t->nprimary_key++, col);
        }
    } else if (!KIND(idv, "false")) {
        const char *idtype = ts_node_is_null(idv) ? "bigserial" : rb_word(c, idv);
        const char *type = idtype && !strcmp(idtype, "bigserial")     ? "bigserial"
                           : idtype && !strcmp(idtype, "primary_key") ? "bigserial"
                           : idtype ? rb_type(c, idtype, args, "id")
                                    : NULL;
        const char *pkname = rb_word(c, pkv);
        if (!type) {
            ormx_note(&c->f, idv, "id: type is not known; primary key skipped");
        } else {
            orm_column *id = rb_add_column(c, ti, pkname ? pkname : "id", type, args, call);
            id->primary_key = id->not_null = true;
        }
    }
    TSNode block = F(call, "block");
    if (ts_node_is_null(block))
        return;
    TSNode params = F(block, "parameters");
    const char *tvar = !ts_node_is_null(params) && ts_node_named_child_count(params)
                           ? ormx_text(&c->f, ts_node_named_child(params, 0))
                           : "t";
    TSNode body = F(block, "body");
    for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
        TSNode st = ts_node_named_child(body, i);
        if (KIND(st, "comment"))
            continue;
        if (!KIND(st, "call")) {
            ormx_note(&c->f, st, "statement in create_table is not a column call; skipped");
            continue;
        }
        rb_block_call(c, ti, tvar, st);
    }
    orm_table *t = &c->f.s->tables[ti];
    for (size_t k = 0; k < t->nprimary_key; k++) {
        orm_column *col = orm_find_column(t, t->primary_key[k]);
        if (col)
            col->not_null = true;
    }
}

/* Rails' singular of a table name, for add_foreign_key's default column. */
static const char *singular(rb_ctx *c, const char *plural)
{
    size_t n = strlen(plural);
    if (n > 3 && !strcmp(plural + n - 3, "ies"))
        return arena_printf(c->f.s->a, "%.*sy", (int)(n - 3), plural);
    if (n > 4 && (!strcmp(plural + n - 4, "sses") || !strcmp(plural + n - 4, "shes") ||
                  !strcmp(plural + n - 4, "ches") || !strcmp(plural + n - 3, "xes")))
        return arena_strndup(c->f.s->a, plural, n - 2);
    if (n > 1 && plural[n - 1] == 's' && plural[n - 2] != 's')
        return arena_strndup(c->f.s->a, plural, n - 1);
    return plural;
}

static const char *rb_action(rb_ctx *c, TSNode v)
{
    const char *a = rb_word(c, v);
    if (!a)
        return NULL;
    if (!strcmp(a, "nullify"))
        return "set null";
    if (!strcmp(a, "cascade") || !strcmp(a, "restrict"))
        return a;
    return NULL;
}

static void rb_add_foreign_key(rb_ctx *c, TSNode call, TSNode args)
{
    const char *from = rb_word(c, ts_node_named_child(args, 0));
    const char *to = rb_word(c, ts_node_named_child(args, 1));
    const char *fs, *ts;
    const char *from_name = from ? split_schema(c, from, &fs) : NULL;
    orm_table *t = from ? orm_find_table(c->f.s, fs, from_name) : NULL;
    if (!t || !to) {
        ormx_note(&c->f, call, "add_foreign_key on a table this file does not create; skipped");
        return;
    }
    const char *to_name = split_schema(c, to, &ts);
    orm_foreign_key *fk = orm_add_foreign_key(c->f.s, t, ormx_loc(&c->f, call));
    const char *col = rb_word(c, ormx_rb_pair(&c->f, args, "column"));
    const char *pk = rb_word(c, ormx_rb_pair(&c->f, args, "primary_key"));
    fk->columns = ormx_list_add(&c->f, NULL, 0,
                                col ? col : arena_printf(c->f.s->a, "%s_id", singular(c, to_name)));
    fk->ncolumns = 1;
    fk->ref_schema = ts;
    fk->ref_table = to_name;
    fk->ref_columns = ormx_list_add(&c->f, NULL, 0, pk ? pk : "id");
    fk->nref_columns = 1;
    fk->name = rb_word(c, ormx_rb_pair(&c->f, args, "name"));
    fk->on_delete = rb_action(c, ormx_rb_pair(&c->f, args, "on_delete"));
    fk->on_update = rb_action(c, ormx_rb_pair(&c->f, args, "on_update"));
}

static void rb_create_enum(rb_ctx *c, TSNode call, TSNode args)
{
    const char *full = rb_word(c, ts_node_named_child(args, 0));
    TSNode values = ts_node_named_child(args, 1);
    if (!full || !KIND(values, "array")) {
        ormx_note(&c->f, call, "create_enum without a literal name and values; skipped");
        return;
    }
    const char *schema, *name = split_schema(c, full, &schema);
    orm_enum *e = orm_add_enum(c->f.s, schema, name, ormx_loc(&c->f, call));
    for (uint32_t i = 0; i < ts_node_named_child_count(values); i++) {
        const char *v = rb_word(c, ts_node_named_child(values, i));
        if (v)
            orm_enum_add_value(c->f.s, e, v);
    }
}

/* The major version in ActiveRecord::Schema[7.1].define. */
static int rails_major(const char *text, size_t len)
{
    const char *key = "ActiveRecord::Schema[";
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl < len; i++)
        if (!memcmp(text + i, key, kl))
            return atoi(text + i + kl);
    return 0;
}

bool orm_extract_schema_rb(orm_schema *s, const char *path, const char *text, size_t len)
{
    rb_ctx c = {.f = {s, path, text, len}, .rails_major = rails_major(text, len)};
    char err[256];
    tsq *q = ormx_query("ruby", "orm_schema_rb.scm", err, sizeof err);
    if (!q) {
        orm_add_note(s, (orm_loc){.path = path, .line = 1, .col = 1}, "%s", err);
        return false;
    }
    uint32_t cm = tsq_capture_id(q, "method"), cc = tsq_capture_id(q, "call"),
             ca = tsq_capture_id(q, "args");
    TSTree *tree = tsq_parse("ruby", text, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    tsq_cursor *cur = tsq_exec(q, root, text);
    TSQueryMatch m;
    while (tsq_next(cur, &m)) {
        TSNode method, call, args;
        if (!tsq_capture(&m, cm, &method) || !tsq_capture(&m, cc, &call) ||
            !tsq_capture(&m, ca, &args))
            continue;
        if (ormx_is(&c.f, method, "create_table"))
            rb_create_table(&c, call, args);
        else if (ormx_is(&c.f, method, "create_enum"))
            rb_create_enum(&c, call, args);
        else if (ormx_is(&c.f, method, "add_foreign_key"))
            rb_add_foreign_key(&c, call, args);
        else if (ormx_is(&c.f, method, "add_index")) {
            const char *tn = rb_word(&c, ts_node_named_child(args, 0)), *sc = NULL;
            const char *name = tn ? split_schema(&c, tn, &sc) : NULL;
            orm_table *t = tn ? orm_find_table(s, sc, name) : NULL;
            if (t)
                rb_index(&c, t, ts_node_named_child(args, 1), args, call);
            else
                ormx_note(&c.f, call, "add_index on a table this file does not create; skipped");
        }
    }
    tsq_cursor_free(cur);
    ormx_note_syntax_errors(&(ormx_file){s, path, text, len}, root);
    ts_tree_delete(tree);
    return true;
}
