/* drizzle.c - the Drizzle ORM extractor (drizzle-orm/pg-core schema files,
 * TypeScript or JavaScript, read with tree-sitter).
 *
 * Writes what drizzle-kit generate would: pgTable / <schema>.table tables,
 * each column builder's type as getSQLType() spells it, .notNull(),
 * .primaryKey(), .unique(), .default() / .defaultNow() / .defaultRandom(),
 * .references(), identity columns, pgEnum, and the third argument's
 * index(), uniqueIndex(), primaryKey(), unique() and foreignKey() (array or
 * object form). $defaultFn/$onUpdate are filled in by the application: no
 * database default. What cannot be read without running the code (a
 * computed name, a spread of shared columns, a custom type) is skipped with
 * a note.
 *
 * Tables refer to each other through their variables, possibly across
 * files, so foreign key targets are resolved through a registry of
 * variables built during one call; drift passes a project's schema files
 * as one text (src/drift/run.c) so every file's variables are known. */
#include <stdlib.h>
#include <string.h>

#include "drizzle_mysql.h"
#include "extractors.h"
#include "model.h"
#include "ormx.h"
#include "tsq.h"
#include "../sql/sql.h"

/* ---- the variable registry (tables by variable, their keys' columns) ---- */

typedef struct tvar {
    const char *var, *schema, *table;
    const char **keys, **columns; /* object key -> column name */
    size_t nkeys;
} tvar;

typedef struct evar {
    const char *var, *schema, *name;
} evar;

typedef struct registry {
    const orm_schema *owner;
    tvar *tables;
    size_t ntables, cap;
    evar *enums;
    size_t nenums, capenums;
    const char **schemas; /* pgSchema variables: pairs var, name */
    size_t nschemas, capschemas;
} registry;

static registry reg;
static bool snake_case;

/* customType() builders with a literal dataType(): variable -> type. */
typedef struct custom {
    const char *var, *type;
} custom;
static custom *customs;
static size_t ncustoms, capcustoms;

static const char *find_custom(const char *var)
{
    for (size_t i = ncustoms; i-- > 0;)
        if (!strcmp(customs[i].var, var))
            return customs[i].type;
    return NULL;
}

void orm_drizzle_set_casing(bool snake)
{
    snake_case = snake;
}

static void reg_reset(const orm_schema *s)
{
    free(reg.tables);
    free(reg.enums);
    free(reg.schemas);
    memset(&reg, 0, sizeof reg);
    reg.owner = s;
}

static void *grow(void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 16;
    void *p = realloc(items, *cap * size);
    if (!p)
        abort();
    return p;
}

static const tvar *find_tvar(const char *var)
{
    for (size_t i = reg.ntables; i-- > 0;)
        if (!strcmp(reg.tables[i].var, var))
            return &reg.tables[i];
    return NULL;
}

static const evar *find_evar(const char *var)
{
    for (size_t i = reg.nenums; i-- > 0;)
        if (!strcmp(reg.enums[i].var, var))
            return &reg.enums[i];
    return NULL;
}

static const char *find_schema_var(const char *var)
{
    for (size_t i = 0; i + 1 < reg.nschemas; i += 2)
        if (!strcmp(reg.schemas[i], var))
            return reg.schemas[i + 1];
    return NULL;
}

static const char *tvar_column(const tvar *t, const char *key)
{
    for (size_t i = 0; i < t->nkeys; i++)
        if (!strcmp(t->keys[i], key))
            return t->columns[i];
    return NULL;
}

/* A foreign key target not known yet is written as "\x01var.key" and
 * resolved once the variable's table is seen (maybe in a later file). */
#define PENDING '\x01'

static void resolve_ref(const char **schema, const char **table, const char **column)
{
    if (!*table || (*table)[0] != PENDING)
        return;
    const tvar *t = find_tvar(*table + 1);
    if (!t)
        return;
    *schema = t->schema;
    *table = t->table;
    if (*column && (*column)[0] == PENDING) {
        const char *c = tvar_column(t, *column + 1);
        if (c)
            *column = c;
    }
}

static void resolve_pending(orm_schema *s)
{
    for (size_t i = 0; i < s->ntables; i++) {
        orm_table *t = &s->tables[i];
        for (size_t k = 0; k < t->ncolumns; k++)
            resolve_ref(&t->columns[k].ref_schema, &t->columns[k].ref_table,
                        &t->columns[k].ref_column);
        for (size_t k = 0; k < t->nfks; k++) {
            orm_foreign_key *fk = &t->fks[k];
            const char *first = fk->nref_columns ? fk->ref_columns[0] : NULL;
            const char *tbl = fk->ref_table;
            resolve_ref(&fk->ref_schema, &fk->ref_table, &first);
            const tvar *tv = tbl && tbl[0] == PENDING ? find_tvar(tbl + 1) : NULL;
            for (size_t c = 0; tv && c < fk->nref_columns; c++)
                if (fk->ref_columns[c][0] == PENDING) {
                    const char *col = tvar_column(tv, fk->ref_columns[c] + 1);
                    if (col)
                        fk->ref_columns[c] = col;
                }
        }
    }
}

/* ---- tree helpers ---- */

typedef struct dx {
    orm_schema *s;
    const char *path, *text;
    ormx_file f; /* the same file, for the helpers the extractors share */
    TSNode root;
    bool mysql; /* mysql-core: types and defaults from drizzle_mysql.c */
} dx;

static const char *node_text(dx *x, TSNode n)
{
    return ormx_text(&x->f, n);
}

static bool is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static orm_loc loc_of(dx *x, TSNode n)
{
    return ormx_loc(&x->f, n);
}

static TSNode named(TSNode n, uint32_t i)
{
    return ts_node_named_child(n, i);
}

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* Skips comments among arguments and elements. */
static TSNode nth_arg(TSNode args, uint32_t i)
{
    uint32_t k = 0;
    for (uint32_t j = 0; j < ts_node_named_child_count(args); j++) {
        TSNode a = named(args, j);
        if (is(a, "comment"))
            continue;
        if (k++ == i)
            return a;
    }
    return (TSNode){0};
}

/* A string literal's value (quotes removed; simple escapes), or NULL. */
static const char *str_value(dx *x, TSNode n)
{
    if (!is(n, "string") && !is(n, "template_string"))
        return NULL;
    if (is(n, "template_string") && ts_node_named_child_count(n) > 0)
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
            if (is(named(n, i), "template_substitution"))
                return NULL;
    const char *t = node_text(x, n);
    size_t len = strlen(t);
    char *out = arena_alloc(x->s->a, len + 1);
    size_t o = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (t[i] == '\\' && i + 2 < len)
            i++;
        out[o++] = t[i];
    }
    out[o] = 0;
    return out;
}

/* The value of property `key` in an object literal, or a null node. */
static TSNode prop(dx *x, TSNode obj, const char *key)
{
    if (!is(obj, "object"))
        return (TSNode){0};
    for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
        TSNode p = named(obj, i);
        if (!is(p, "pair"))
            continue;
        TSNode k = field(p, "key");
        const char *ks = is(k, "string") ? str_value(x, k) : node_text(x, k);
        if (ks && !strcmp(ks, key))
            return field(p, "value");
    }
    return (TSNode){0};
}

/* camelCase -> snake_case, as drizzle's casing: 'snake_case' does. */
static const char *to_snake(dx *x, const char *key)
{
    size_t n = strlen(key), o = 0;
    char *out = arena_alloc(x->s->a, 2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (c >= 'A' && c <= 'Z') {
            if (o && out[o - 1] != '_')
                out[o++] = '_';
            c = (char)(c - 'A' + 'a');
        }
        out[o++] = c;
    }
    out[o] = 0;
    return out;
}

/* ---- builder chains: base(args).m1(a).m2(b) ---- */

#define MAX_CHAIN 24

typedef struct link {
    const char *name;
    TSNode args;
    TSNode node;
} link;

typedef struct chain {
    link base; /* the builder: varchar, t.varchar, moodEnum */
    link calls[MAX_CHAIN];
    size_t ncalls; /* in source order */
    bool ok;
} chain;

static chain read_chain(dx *x, TSNode n)
{
    chain ch = {0};
    link rev[MAX_CHAIN];
    size_t nrev = 0;
    while (is(n, "call_expression")) {
        TSNode fn = field(n, "function"), args = field(n, "arguments");
        if (is(fn, "member_expression") && is(field(fn, "object"), "call_expression") &&
            nrev < MAX_CHAIN) {
            rev[nrev++] = (link){node_text(x, field(fn, "property")), args, n};
            n = field(fn, "object");
            continue;
        }
        /* the builder itself: an identifier, or t.varchar in the callback form */
        ch.base = (link){is(fn, "member_expression") ? node_text(x, field(fn, "property"))
                                                     : node_text(x, fn),
                         args, n};
        ch.ok = true;
        break;
    }
    for (size_t i = 0; i < nrev; i++)
        ch.calls[i] = rev[nrev - 1 - i];
    ch.ncalls = nrev;
    return ch;
}

static const link *chain_call(const chain *ch, const char *name)
{
    for (size_t i = ch->ncalls; i-- > 0;)
        if (!strcmp(ch->calls[i].name, name))
            return &ch->calls[i];
    return NULL;
}

/* ---- column types (drizzle-orm pg-core getSQLType) ---- */

static long num_prop(dx *x, TSNode cfg, const char *key)
{
    TSNode v = prop(x, cfg, key);
    return is(v, "number") ? strtol(node_text(x, v), NULL, 10) : -1;
}

static bool true_prop(dx *x, TSNode cfg, const char *key)
{
    return is(prop(x, cfg, key), "true");
}

static const char *with_len(dx *x, const char *base, long n)
{
    return n >= 0 ? arena_printf(x->s->a, "%s(%ld)", base, n) : base;
}

static const char *sql_type(dx *x, const char *b, TSNode cfg)
{
    static const char *const same[] = {
        "serial",  "smallserial", "bigserial", "integer", "smallint", "bigint",   "text",
        "boolean", "date",        "json",      "jsonb",   "uuid",     "real",     "inet",
        "cidr",    "macaddr",     "macaddr8",  "point",   "line",     "interval", "geometry",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (!strcmp(b, same[i]))
            return same[i];
    if (!strcmp(b, "doublePrecision"))
        return "double precision";
    if (!strcmp(b, "varchar") || !strcmp(b, "char"))
        return with_len(x, b, num_prop(x, cfg, "length"));
    if (!strcmp(b, "vector") || !strcmp(b, "halfvec") || !strcmp(b, "sparsevec"))
        return with_len(x, b, num_prop(x, cfg, "dimensions"));
    if (!strcmp(b, "bit"))
        return with_len(x, b, num_prop(x, cfg, "dimensions"));
    if (!strcmp(b, "timestamp") || !strcmp(b, "time")) {
        const char *t = with_len(x, b, num_prop(x, cfg, "precision"));
        return true_prop(x, cfg, "withTimezone") ? arena_printf(x->s->a, "%s with time zone", t)
                                                 : t;
    }
    if (!strcmp(b, "numeric") || !strcmp(b, "decimal")) {
        long p = num_prop(x, cfg, "precision"), s = num_prop(x, cfg, "scale");
        if (p >= 0 && s >= 0)
            return arena_printf(x->s->a, "numeric(%ld, %ld)", p, s);
        return with_len(x, "numeric", p);
    }
    return NULL;
}

/* ---- defaults ---- */

/* sql`...` without substitutions: its text. */
static const char *sql_template(dx *x, TSNode v)
{
    if (!is(v, "call_expression") || strcmp(node_text(x, field(v, "function")), "sql") != 0)
        return NULL;
    TSNode t = field(v, "arguments");
    return is(t, "template_string") ? str_value(x, t) : NULL;
}

/* A literal object or array as JSON.stringify writes it, or NULL. */
static const char *to_json(dx *x, TSNode v)
{
    if (is(v, "number") || is(v, "true") || is(v, "false") || is(v, "null"))
        return node_text(x, v);
    const char *s = str_value(x, v);
    if (s) {
        const char *out = "\"";
        for (const char *p = s; *p; p++)
            out = arena_printf(x->s->a, "%s%s%c", out, *p == '"' || *p == '\\' ? "\\" : "", *p);
        return arena_printf(x->s->a, "%s\"", out);
    }
    bool obj = is(v, "object");
    if (!obj && !is(v, "array"))
        return NULL;
    const char *out = obj ? "{" : "[";
    size_t k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode e = named(v, i);
        if (is(e, "comment"))
            continue;
        const char *item;
        if (obj) {
            if (!is(e, "pair"))
                return NULL;
            TSNode key = field(e, "key");
            const char *ks = is(key, "string") ? str_value(x, key) : node_text(x, key);
            const char *val = to_json(x, field(e, "value"));
            if (!ks || !val)
                return NULL;
            item = arena_printf(x->s->a, "\"%s\":%s", ks, val);
        } else if (!(item = to_json(x, e))) {
            return NULL;
        }
        out = arena_printf(x->s->a, "%s%s%s", out, k++ ? "," : "", item);
    }
    return arena_printf(x->s->a, "%s%s", out, obj ? "}" : "]");
}

/* A JS array of literals as a PostgreSQL array literal ('{}', '{"a","b"}'),
 * as drizzle-kit writes the default of an .array() column; NULL otherwise. */
static const char *pg_array_literal(dx *x, TSNode v)
{
    const char *out = "{";
    size_t k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode e = named(v, i);
        if (is(e, "comment"))
            continue;
        const char *s = str_value(x, e);
        const char *item = s ? arena_printf(x->s->a, "\"%s\"", s)
                           : is(e, "number") || is(e, "true") || is(e, "false") ? node_text(x, e)
                                                                                : NULL;
        if (!item)
            return NULL;
        out = arena_printf(x->s->a, "%s%s%s", out, k++ ? "," : "", item);
    }
    return sql_quote_literal(x->s->a, arena_printf(x->s->a, "%s}", out));
}

static TSNode top_const(dx *x, const char *name);

static const char *default_value(dx *x, TSNode v, const char *type, bool *unknown)
{
    if (is(v, "identifier")) { /* a constant of the schema text: const DEFAULT_LOCALE = "en" */
        TSNode c = top_const(x, node_text(x, v));
        if (!ts_node_is_null(c) && !is(c, "identifier"))
            v = c;
    }
    size_t tl = strlen(type);
    if (is(v, "array") && tl > 2 && !strcmp(type + tl - 2, "[]")) {
        const char *lit = pg_array_literal(x, v);
        if (lit)
            return lit;
    }
    if ((is(v, "object") || is(v, "array")) && (!strcmp(type, "jsonb") || !strcmp(type, "json"))) {
        const char *j = to_json(x, v);
        if (j)
            return arena_printf(x->s->a, "%s::%s", sql_quote_literal(x->s->a, j), type);
    }
    const char *s = str_value(x, v);
    if (s)
        return !strcmp(type, "jsonb") || !strcmp(type, "json")
                   ? arena_printf(x->s->a, "%s::%s", sql_quote_literal(x->s->a, s), type)
                   : sql_quote_literal(x->s->a, s);
    if (is(v, "number") || is(v, "true") || is(v, "false"))
        return node_text(x, v);
    if (is(v, "unary_expression") && is(named(v, 0), "number"))
        return node_text(x, v);
    const char *t = sql_template(x, v);
    if (t)
        return arena_printf(x->s->a, "(%s)", t);
    *unknown = true;
    return NULL;
}

/* ---- columns ---- */

static const char *action(dx *x, TSNode opts, const char *key)
{
    const char *a = str_value(x, prop(x, opts, key));
    if (!a)
        return NULL;
    char *up = arena_strdup(x->s->a, a);
    for (char *p = up; *p; p++)
        *p = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    return up;
}

/* `() => users.id` (or `(): AnyPgColumn => users.id`): variable and key. */
static bool ref_target(dx *x, TSNode fn, const char **var, const char **key)
{
    if (!is(fn, "arrow_function"))
        return false;
    TSNode body = field(fn, "body");
    if (is(body, "statement_block") && ts_node_named_child_count(body) == 1 &&
        is(named(body, 0), "return_statement"))
        body = named(named(body, 0), 0);
    if (!is(body, "member_expression") || !is(field(body, "object"), "identifier"))
        return false;
    *var = node_text(x, field(body, "object"));
    *key = node_text(x, field(body, "property"));
    return true;
}

static bool mysql_modifier(dx *x, orm_table *t, orm_column *c, const link *l);

static void column_modifiers(dx *x, orm_table *t, orm_column *c, const chain *ch)
{
    for (size_t i = 0; i < ch->ncalls; i++) {
        const link *l = &ch->calls[i];
        TSNode a0 = nth_arg(l->args, 0);
        if (x->mysql && mysql_modifier(x, t, c, l))
            continue;
        if (!strcmp(l->name, "notNull")) {
            c->not_null = true;
        } else if (!strcmp(l->name, "primaryKey")) {
            c->primary_key = true;
            c->not_null = true;
        } else if (!strcmp(l->name, "unique")) {
            const char *name = str_value(x, a0);
            orm_index *ix = orm_add_index(
                x->s, t, name ? name : arena_printf(x->s->a, "%s_%s_unique", t->name, c->name),
                true, loc_of(x, l->node));
            orm_index_add_column(x->s, ix, c->name);
        } else if (!strcmp(l->name, "defaultNow")) {
            c->default_sql = "now()";
        } else if (!strcmp(l->name, "defaultRandom")) {
            c->default_sql = "gen_random_uuid()";
        } else if (!strcmp(l->name, "default")) {
            bool unknown = false;
            c->default_sql = default_value(x, a0, c->sql_type, &unknown);
            if (unknown) {
                c->skip |= ORM_SKIP_DEFAULT;
                orm_add_note(x->s, loc_of(x, a0),
                             "default of %s.%s is computed in code; its SQL is not compared",
                             t->name, c->name);
            }
        } else if (!strcmp(l->name, "array")) {
            /* .array() returns a new builder: what was set on the element
             * builder before it is lost (json().notNull().array() is a
             * nullable json[], as drizzle-kit writes it) */
            c->sql_type = arena_printf(x->s->a, "%s[]", c->sql_type);
            c->not_null = c->primary_key = false;
            c->default_sql = NULL;
            c->skip &= ~(unsigned)ORM_SKIP_DEFAULT;
            c->ref_table = c->ref_column = c->on_delete = c->on_update = NULL;
        } else if (!strcmp(l->name, "generatedAlwaysAsIdentity") ||
                   !strcmp(l->name, "generatedByDefaultAsIdentity")) {
            c->sql_type = arena_printf(x->s->a, "%s GENERATED %s AS IDENTITY", c->sql_type,
                                       l->name[9] == 'A' ? "ALWAYS" : "BY DEFAULT");
            c->not_null = true;
        } else if (!strcmp(l->name, "references")) {
            const char *var, *key;
            if (!ref_target(x, a0, &var, &key)) {
                orm_add_note(x->s, loc_of(x, l->node),
                             "foreign key of %s.%s: its target is not `() => table.column`",
                             t->name, c->name);
                continue;
            }
            c->ref_table = arena_printf(x->s->a, "%c%s", PENDING, var);
            c->ref_column = arena_printf(x->s->a, "%c%s", PENDING, key);
            TSNode opts = nth_arg(l->args, 1);
            c->on_delete = action(x, opts, "onDelete");
            c->on_update = action(x, opts, "onUpdate");
        }
    }
}

static const char *mysql_type(dx *x, const chain *ch, TSNode cfg);

static void add_column(dx *x, orm_table *t, tvar *tv, TSNode pair)
{
    TSNode k = field(pair, "key"), v = field(pair, "value");
    const char *key = is(k, "string") ? str_value(x, k) : node_text(x, k);
    chain ch = read_chain(x, v);
    if (!ch.ok || !key) {
        t->skip |= ORM_SKIP_EXTRA_COLUMNS; /* its column is among the migrations' */
        orm_add_note(x->s, loc_of(x, pair),
                     "column %s of table %s is not a column builder call; skipped", key ? key : "?",
                     t->name);
        return;
    }
    TSNode a0 = nth_arg(ch.base.args, 0), a1 = nth_arg(ch.base.args, 1);
    const char *name = str_value(x, a0);
    TSNode cfg = is(a0, "object") ? a0 : a1;
    if (!name)
        name = snake_case ? to_snake(x, key) : key;
    const evar *e = find_evar(ch.base.name);
    const char *type = e ? e->name : find_custom(ch.base.name);
    if (!type)
        type = x->mysql ? mysql_type(x, &ch, cfg) : sql_type(x, ch.base.name, cfg);
    if (!type) {
        /* Kept without a type, so the column is not reported missing; its
         * type, default and NOT NULL are not compared. */
        orm_add_note(
            x->s, loc_of(x, pair), "column %s.%s: builder %s() %s; its type is not compared",
            t->name, name, ch.base.name,
            strcmp(ch.base.name, "mysqlEnum") ? "is not known" : "has labels computed in code");
        orm_column *c = orm_add_column(x->s, t, name, NULL, loc_of(x, pair));
        tv->keys[tv->nkeys] = key;
        tv->columns[tv->nkeys++] = c->name;
        return;
    }
    bool serial = strstr(type, "serial") != NULL;
    orm_column *c = orm_add_column(x->s, t, name, type, loc_of(x, pair));
    c->not_null = serial;
    c->auto_increment = serial && x->mysql;
    column_modifiers(x, t, c, &ch);
    tv->keys[tv->nkeys] = key;
    tv->columns[tv->nkeys++] = c->name;
}

/* ---- the third argument: indexes and constraints ---- */

/* t.a -> a's column; the table's own keys. */
static const char *key_column(dx *x, const tvar *tv, TSNode n)
{
    if (is(n, "member_expression")) {
        const char *c = tvar_column(tv, node_text(x, field(n, "property")));
        if (c)
            return c;
    }
    if (is(n, "call_expression")) { /* t.a.asc(), t.a.desc().nullsLast() */
        TSNode fn = field(n, "function");
        if (is(fn, "member_expression"))
            return key_column(x, tv, field(fn, "object"));
    }
    return NULL;
}

static size_t key_list(dx *x, const tvar *tv, TSNode args_or_array, const char ***out)
{
    if (ts_node_is_null(args_or_array)) /* a missing argument or property */
        return 0;
    uint32_t n = ts_node_named_child_count(args_or_array);
    const char **cols = arena_calloc(x->s->a, n + 1, sizeof *cols);
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        TSNode e = named(args_or_array, i);
        if (is(e, "comment"))
            continue;
        const char *c = key_column(x, tv, e);
        if (!c)
            return 0;
        cols[k++] = c;
    }
    *out = cols;
    return k;
}

/* The keys of .on(...) or .using('method', ...): the plain columns into
 * *out; *unknown when any key is something else (sql`...`, a call). */
static size_t index_keys(dx *x, const tvar *tv, const link *on, const char ***out, bool *unknown)
{
    if (!on || ts_node_is_null(on->args)) {
        *unknown = true;
        return 0;
    }
    uint32_t n = ts_node_named_child_count(on->args);
    const char **cols = arena_calloc(x->s->a, n + 1, sizeof *cols);
    size_t k = 0;
    bool method = !strcmp(on->name, "using");
    for (uint32_t i = 0; i < n; i++) {
        TSNode e = named(on->args, i);
        if (is(e, "comment"))
            continue;
        if (method) { /* using('gin', ...): the method comes first */
            method = false;
            if (str_value(x, e))
                continue;
        }
        const char *c = key_column(x, tv, e);
        if (c)
            cols[k++] = c;
        else
            *unknown = true;
    }
    *out = cols;
    return k;
}

static const char *joined(dx *x, const char **cols, size_t n)
{
    const char *s = "";
    for (size_t i = 0; i < n; i++)
        s = arena_printf(x->s->a, "%s%s%s", s, i ? "_" : "", cols[i]);
    return s;
}

static void add_extra(dx *x, orm_table *t, const tvar *tv, TSNode n)
{
    chain ch = read_chain(x, n);
    if (!ch.ok)
        return;
    const char *b = ch.base.name;
    TSNode a0 = nth_arg(ch.base.args, 0);
    const char **cols = NULL;
    size_t ncols = 0;
    if (!strcmp(b, "index") || !strcmp(b, "uniqueIndex") || !strcmp(b, "unique")) {
        const link *on = chain_call(&ch, "on");
        if (!on)
            on = chain_call(&ch, "using");
        bool unknown = false;
        ncols = index_keys(x, tv, on, &cols, &unknown);
        const char *name = str_value(x, a0);
        bool uniq = strcmp(b, "index") != 0;
        if (!name && !strcmp(b, "unique") && !unknown)
            name = arena_printf(x->s->a, "%s_%s_unique", t->name, joined(x, cols, ncols));
        orm_index *ix = orm_add_index(x->s, t, name, uniq, loc_of(x, n));
        for (size_t i = 0; i < ncols; i++)
            orm_index_add_column(x->s, ix, cols[i]);
        if (unknown || !ncols) {
            /* An expression key (sql`...`) is not read: the index is left
             * out of the comparison, and so is the migrations' index it is. */
            ix->skipped = true;
            orm_add_note(x->s, loc_of(x, n),
                         "index %s on %s: its keys are not all plain columns; not compared",
                         name ? name : "(unnamed)", t->name);
        }
    } else if (!strcmp(b, "primaryKey")) {
        TSNode arr = is(a0, "object") ? prop(x, a0, "columns") : ch.base.args;
        ncols = key_list(x, tv, arr, &cols);
        if (ncols) {
            t->primary_key = cols;
            t->nprimary_key = ncols;
        }
    } else if (!strcmp(b, "foreignKey")) {
        TSNode fcols = prop(x, a0, "foreignColumns");
        ncols = key_list(x, tv, prop(x, a0, "columns"), &cols);
        uint32_t nf = ts_node_is_null(fcols) ? 0 : ts_node_named_child_count(fcols);
        bool plain = nf > 0; /* every foreign column a table.column expression */
        for (uint32_t i = 0; i < nf && plain; i++)
            plain = is(named(fcols, i), "member_expression") &&
                    !ts_node_is_null(field(named(fcols, i), "property"));
        if (!ncols || !plain) {
            orm_add_note(x->s, loc_of(x, n), "foreign key on %s: not read; not compared", t->name);
            return;
        }
        orm_foreign_key *fk = orm_add_foreign_key(x->s, t, loc_of(x, n));
        fk->name = str_value(x, prop(x, a0, "name"));
        fk->columns = cols;
        fk->ncolumns = ncols;
        fk->ref_table =
            arena_printf(x->s->a, "%c%s", PENDING, node_text(x, field(named(fcols, 0), "object")));
        fk->ref_columns = arena_calloc(x->s->a, nf, sizeof *fk->ref_columns);
        for (uint32_t i = 0; i < nf; i++)
            fk->ref_columns[fk->nref_columns++] = arena_printf(
                x->s->a, "%c%s", PENDING, node_text(x, field(named(fcols, i), "property")));
        const link *od = chain_call(&ch, "onDelete"), *ou = chain_call(&ch, "onUpdate");
        if (od) {
            const char *v = str_value(x, nth_arg(od->args, 0));
            fk->on_delete = v ? arena_strdup(x->s->a, v) : NULL;
        }
        if (ou) {
            const char *v = str_value(x, nth_arg(ou->args, 0));
            fk->on_update = v ? arena_strdup(x->s->a, v) : NULL;
        }
    }
}

static void add_extras(dx *x, orm_table *t, const tvar *tv, TSNode fn)
{
    if (!is(fn, "arrow_function") && !is(fn, "function_expression") && !is(fn, "function"))
        return;
    TSNode body = field(fn, "body");
    if (is(body, "statement_block")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(body); i++)
            if (is(named(body, i), "return_statement"))
                body = named(named(body, i), 0);
    }
    while (is(body, "parenthesized_expression"))
        body = named(body, 0);
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode e = named(body, i);
        if (is(body, "object")) {
            if (!is(e, "pair"))
                continue;
            e = field(e, "value");
        }
        if (is(e, "call_expression"))
            add_extra(x, t, tv, e);
    }
}

/* ---- declarations ---- */

/* Columns spread in from a helper (...timestamps): not read, so the
 * migrations' columns the table lacks are not reported either. */
static void note_spread(dx *x, orm_table *t, TSNode p)
{
    t->skip |= ORM_SKIP_EXTRA_COLUMNS;
    orm_add_note(x->s, loc_of(x, p),
                 "table %s: columns from `%s` are not read (a spread or a shorthand); columns "
                 "only the migrations have are not reported",
                 t->name, node_text(x, p));
}

static void add_table_named(dx *x, const char *var, const char *schema, TSNode call, TSNode args,
                            const char *name)
{
    TSNode cols = nth_arg(args, 1), extra = nth_arg(args, 2);
    if (is(cols, "arrow_function")) { /* (t) => ({ ... }) */
        TSNode body = field(cols, "body");
        while (is(body, "parenthesized_expression"))
            body = named(body, 0);
        cols = body;
    }
    if (!is(cols, "object")) {
        orm_add_note(x->s, loc_of(x, call),
                     "table %s: its columns are not an object literal; skipped", name);
        return;
    }
    orm_table *t = orm_add_table(x->s, schema, name, loc_of(x, call));
    reg.tables = grow(reg.tables, reg.ntables, &reg.cap, sizeof *reg.tables);
    tvar *tv = &reg.tables[reg.ntables++];
    uint32_t n = ts_node_named_child_count(cols);
    *tv = (tvar){var,
                 schema,
                 t->name,
                 arena_calloc(x->s->a, n + 1, sizeof(char *)),
                 arena_calloc(x->s->a, n + 1, sizeof(char *)),
                 0};
    for (uint32_t i = 0; i < n; i++) {
        TSNode p = named(cols, i);
        if (is(p, "pair"))
            add_column(x, t, tv, p);
        else if (!is(p, "comment"))
            note_spread(x, t, p);
    }
    add_extras(x, t, tv, extra);
}

static TSNode unwrap_expr(TSNode v)
{
    while (is(v, "as_expression") || is(v, "satisfies_expression") ||
           is(v, "parenthesized_expression") || is(v, "non_null_expression"))
        v = named(v, 0);
    return v;
}

/* The value of a top-level `const NAME = ...` (exported or not) of the
 * schema text, or a null node. */
static TSNode top_const(dx *x, const char *name)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(x->root); i++) {
        TSNode d = named(x->root, i);
        if (is(d, "export_statement"))
            d = field(d, "declaration");
        if (!is(d, "lexical_declaration") && !is(d, "variable_declaration"))
            continue;
        for (uint32_t j = 0; j < ts_node_named_child_count(d); j++) {
            TSNode v = named(d, j);
            if (is(v, "variable_declarator") && !strcmp(node_text(x, field(v, "name")), name))
                return unwrap_expr(field(v, "value"));
        }
    }
    return (TSNode){0};
}

/* A top-level TypeScript `enum NAME { A = "a" }`, or a null node. */
static TSNode top_enum(dx *x, const char *name)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(x->root); i++) {
        TSNode d = named(x->root, i);
        if (is(d, "export_statement"))
            d = field(d, "declaration");
        if (is(d, "enum_declaration") && !strcmp(node_text(x, field(d, "name")), name))
            return field(d, "body");
    }
    return (TSNode){0};
}

/* Enum labels: a literal array, a constant array of the schema text
 * (`const ROLES = ["a", "b"] as const`), or Object.values() of a constant
 * object or a string enum. False when any label is not a literal. */
static bool enum_labels(dx *x, TSNode v, orm_enum *e)
{
    v = unwrap_expr(v);
    if (is(v, "identifier"))
        v = top_const(x, node_text(x, v));
    if (is(v, "call_expression") && !strcmp(node_text(x, field(v, "function")), "Object.values")) {
        TSNode a = nth_arg(field(v, "arguments"), 0);
        TSNode body = is(a, "identifier") ? top_enum(x, node_text(x, a)) : (TSNode){0};
        v = ts_node_is_null(body) && is(a, "identifier") ? top_const(x, node_text(x, a)) : body;
        if (ts_node_is_null(v))
            return false;
        for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
            TSNode p = named(v, i);
            if (is(p, "comment"))
                continue;
            const char *l = is(p, "pair") || is(p, "enum_assignment")
                                ? str_value(x, unwrap_expr(field(p, "value")))
                                : NULL;
            if (!l)
                return false;
            orm_enum_add_value(x->s, e, l);
        }
        return true;
    }
    if (!is(v, "array"))
        return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode item = named(v, i);
        if (is(item, "comment"))
            continue;
        const char *l = str_value(x, item);
        if (!l)
            return false;
        orm_enum_add_value(x->s, e, l);
    }
    return true;
}

static void add_table(dx *x, const char *var, const char *schema, TSNode call, TSNode args)
{
    const char *name = str_value(x, nth_arg(args, 0));
    if (!name) {
        orm_add_note(x->s, loc_of(x, call), "table %s: its name is computed; skipped", var);
        return;
    }
    add_table_named(x, var, schema, call, args, name);
}

static void add_enum(dx *x, const char *var, const char *schema, TSNode call, TSNode args)
{
    const char *name = str_value(x, nth_arg(args, 0));
    TSNode values = nth_arg(args, 1);
    if (!name) {
        orm_add_note(x->s, loc_of(x, call), "enum %s: its name is computed; skipped", var);
        return;
    }
    orm_enum *e = orm_add_enum(x->s, schema, name, loc_of(x, call));
    if (!enum_labels(x, values, e)) {
        /* The type exists (columns use it); its labels are not compared. */
        e->values = NULL;
        e->nvalues = 0;
        e->skipped = true;
        orm_add_note(x->s, loc_of(x, ts_node_is_null(values) ? call : values),
                     "enum %s: its labels are computed in code; not compared", name);
    }
    reg.enums = grow(reg.enums, reg.nenums, &reg.capenums, sizeof *reg.enums);
    reg.enums[reg.nenums++] = (evar){var, schema, e->name};
}

/* ---- telling declarations apart ---- */

typedef enum { D_NONE, D_TABLE, D_ENUM, D_SCHEMA, D_CREATOR, D_CUSTOM } dkind;

typedef struct dcall {
    dkind kind;
    TSNode call, args;           /* the declaring call (inside any .enableRLS()) */
    const char *schema;          /* <schema>.table / .enum */
    const char *prefix, *suffix; /* a pgTableCreator's name template */
    bool unknown_name;           /* a creator whose template is not read */
} dcall;

typedef struct creator {
    const char *var, *prefix, *suffix; /* prefix NULL: not read */
} creator;

static creator *creators;
static size_t ncreators, capcreators;

static const creator *find_creator(const char *var)
{
    for (size_t i = ncreators; i-- > 0;)
        if (!strcmp(creators[i].var, var))
            return &creators[i];
    return NULL;
}

/* What a call declares, if anything: the Drizzle declarations above. */
static dcall decl_of(dx *x, TSNode value)
{
    dcall d = {0};
    /* pgTable(...).enableRLS(): the table is the inner call */
    while (is(value, "call_expression")) {
        TSNode fn = field(value, "function");
        if (is(fn, "member_expression") && is(field(fn, "object"), "call_expression") &&
            !strcmp(node_text(x, field(fn, "property")), "enableRLS"))
            value = field(fn, "object");
        else
            break;
    }
    if (!is(value, "call_expression"))
        return d;
    TSNode fn = field(value, "function");
    d.call = value;
    d.args = field(value, "arguments");
    if (is(fn, "identifier")) {
        const char *f = node_text(x, fn);
        const creator *c = find_creator(f);
        d.kind = !strcmp(f, "pgTable") || !strcmp(f, "mysqlTable")                 ? D_TABLE
                 : !strcmp(f, "pgEnum")                                            ? D_ENUM
                 : !strcmp(f, "pgSchema") || !strcmp(f, "mysqlSchema")             ? D_SCHEMA
                 : !strcmp(f, "pgTableCreator") || !strcmp(f, "mysqlTableCreator") ? D_CREATOR
                 : !strcmp(f, "customType")                                        ? D_CUSTOM
                 : c                                                               ? D_TABLE
                                                                                   : D_NONE;
        if (c) {
            d.prefix = c->prefix;
            d.suffix = c->suffix;
            d.unknown_name = !c->prefix;
        }
        return d;
    }
    if (!is(fn, "member_expression"))
        return d;
    TSNode obj = field(fn, "object");
    const char *prop = node_text(x, field(fn, "property"));
    if (!strcmp(prop, "withRLS") && is(obj, "identifier") &&
        !strcmp(node_text(x, obj), "pgTable")) {
        d.kind = D_TABLE;
        return d;
    }
    if (strcmp(prop, "table") != 0 && strcmp(prop, "enum") != 0)
        return d;
    if (is(obj, "identifier"))
        d.schema = find_schema_var(node_text(x, obj));
    else if (is(obj, "call_expression") &&
             (!strcmp(node_text(x, field(obj, "function")), "pgSchema") ||
              !strcmp(node_text(x, field(obj, "function")), "mysqlSchema")))
        d.schema = str_value(x, nth_arg(field(obj, "arguments"), 0)); /* pgSchema("x").table() */
    if (d.schema)
        d.kind = prop[0] == 't' ? D_TABLE : D_ENUM;
    return d;
}

/* customType({ dataType() { return "tsvector"; } }) (or dataType: () =>
 * "bytea"): the builder's literal type; a type computed from the
 * column's config is not read (the column's type is then not compared). */
static void add_custom(dx *x, const char *var, TSNode args)
{
    TSNode obj = nth_arg(args, 0), body = {0};
    for (uint32_t i = 0; is(obj, "object") && i < ts_node_named_child_count(obj); i++) {
        TSNode m = named(obj, i);
        if (is(m, "method_definition") && !strcmp(node_text(x, field(m, "name")), "dataType"))
            body = field(m, "body");
        else if (is(m, "pair") && !strcmp(node_text(x, field(m, "key")), "dataType"))
            body = field(field(m, "value"), "body");
    }
    if (is(body, "statement_block")) {
        TSNode only = {0};
        uint32_t n = 0;
        for (uint32_t i = 0; i < ts_node_named_child_count(body); i++)
            if (!is(named(body, i), "comment"))
                only = named(body, i), n++;
        body = n == 1 && is(only, "return_statement") ? named(only, 0) : (TSNode){0};
    }
    const char *type = str_value(x, unwrap_expr(body));
    if (!type)
        return;
    if (ncustoms == capcustoms) {
        capcustoms = capcustoms ? capcustoms * 2 : 4;
        customs = realloc(customs, capcustoms * sizeof *customs);
        if (!customs)
            abort();
    }
    customs[ncustoms].var = var;
    customs[ncustoms++].type = type;
}

/* pgTableCreator((name) => `prefix_${name}`): the name's prefix and suffix. */
static void add_creator(dx *x, const char *var, TSNode args)
{
    if (ncreators == capcreators) {
        capcreators = capcreators ? capcreators * 2 : 4;
        creators = realloc(creators, capcreators * sizeof *creators);
        if (!creators)
            abort();
    }
    creator *c = &creators[ncreators++];
    *c = (creator){var, NULL, NULL};
    TSNode fn = nth_arg(args, 0);
    TSNode params = field(fn, "parameters"), body = field(fn, "body");
    TSNode param = is(fn, "arrow_function") ? field(fn, "parameter") : (TSNode){0};
    if (ts_node_is_null(param) && !ts_node_is_null(params) &&
        ts_node_named_child_count(params) == 1)
        param = named(named(params, 0), 0);
    if (!is(param, "identifier") || !is(body, "template_string"))
        return;
    uint32_t subs = 0;
    TSNode sub = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++)
        if (is(named(body, i), "template_substitution")) {
            subs++;
            sub = named(body, i);
        }
    if (subs != 1 || strcmp(node_text(x, named(sub, 0)), node_text(x, param)) != 0)
        return;
    uint32_t b0 = ts_node_start_byte(body) + 1, s0 = ts_node_start_byte(sub),
             s1 = ts_node_end_byte(sub), b1 = ts_node_end_byte(body) - 1;
    c->prefix = arena_strndup(x->s->a, x->text + b0, s0 - b0);
    c->suffix = arena_strndup(x->s->a, x->text + s1, b1 - s1);
}

/* Calls that were read, by start byte: any other table or enum
 * declaration (inside a helper function, not assigned to a variable) is a
 * note, never silently dropped. */
typedef struct seen {
    uint32_t *at;
    size_t n, cap;
} seen;

static void seen_add(seen *s, uint32_t at)
{
    s->at = grow(s->at, s->n, &s->cap, sizeof *s->at);
    s->at[s->n++] = at;
}

static bool seen_has(const seen *s, uint32_t at)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->at[i] == at)
            return true;
    return false;
}

/* The name of the function around n (function declaration, or a
 * variable holding an arrow function), or NULL. */
static const char *enclosing_function(dx *x, TSNode n)
{
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
        if (is(p, "function_declaration"))
            return node_text(x, field(p, "name"));
        if ((is(p, "arrow_function") || is(p, "function_expression")) &&
            is(ts_node_parent(p), "variable_declarator"))
            return node_text(x, field(ts_node_parent(p), "name"));
    }
    return NULL;
}

/* Calls fn("literal", ...) anywhere under n: the tables a helper builds
 * with that name are skipped, not reported as only in the migrations. */
static void skip_helper_tables(dx *x, TSNode n, const char *fn, const char *schema)
{
    if (is(n, "call_expression") && !strcmp(node_text(x, field(n, "function")), fn)) {
        const char *name = str_value(x, nth_arg(field(n, "arguments"), 0));
        if (name)
            orm_skip_table(x->s, schema, name);
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        skip_helper_tables(x, named(n, i), fn, schema);
}

static void note_unread(dx *x, TSNode n, const seen *done)
{
    if (is(n, "call_expression")) {
        dcall d = decl_of(x, n);
        if ((d.kind == D_TABLE || d.kind == D_ENUM) &&
            !seen_has(done, ts_node_start_byte(d.call))) {
            const char *fn = enclosing_function(x, n);
            if (fn && d.kind == D_TABLE)
                skip_helper_tables(x, x->root, fn, d.schema);
            const char *name = str_value(x, nth_arg(d.args, 0));
            orm_add_note(x->s, loc_of(x, n),
                         "%s %s is not assigned to a top-level variable (built in %s); not read, "
                         "not compared",
                         d.kind == D_TABLE ? "table" : "enum", name ? name : "(computed name)",
                         fn ? arena_printf(x->s->a, "function %s", fn) : "an expression");
            return;
        }
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        note_unread(x, named(n, i), done);
}

static void add_declared_table(dx *x, const char *var, const dcall *d)
{
    if (d->unknown_name) {
        orm_add_note(x->s, loc_of(x, d->call),
                     "table %s: its name comes from a pgTableCreator whose template is not read; "
                     "skipped",
                     var);
        return;
    }
    if (!d->prefix) {
        add_table(x, var, d->schema, d->call, d->args);
        return;
    }
    const char *name = str_value(x, nth_arg(d->args, 0));
    if (!name) {
        orm_add_note(x->s, loc_of(x, d->call), "table %s: its name is computed; skipped", var);
        return;
    }
    add_table_named(x, var, d->schema, d->call, d->args,
                    arena_printf(x->s->a, "%s%s%s", d->prefix, name, d->suffix));
}

/* ---- mysql-core: the same builder chains, MySQL's types and defaults ---- */

/* A string TypeScript enum's values (mysqlEnum("s", Status) takes
 * Object.values(Status)); false when one is not a string literal. */
static bool ts_enum_labels(dx *x, TSNode body, orm_enum *e)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode p = named(body, i);
        if (is(p, "comment"))
            continue;
        const char *l =
            is(p, "enum_assignment") ? str_value(x, unwrap_expr(field(p, "value"))) : NULL;
        if (!l)
            return false;
        orm_enum_add_value(x->s, e, l);
    }
    return e->nvalues > 0;
}

/* mysqlEnum("mood", ["a", "b"]) or mysqlEnum(["a", "b"]): enum('a','b');
 * other builders through drizzle_mysql.c. NULL when not read. */
static const char *mysql_type(dx *x, const chain *ch, TSNode cfg)
{
    if (!strcmp(ch->base.name, "mysqlEnum")) {
        TSNode a0 = nth_arg(ch->base.args, 0);
        TSNode values = str_value(x, a0) ? nth_arg(ch->base.args, 1) : a0;
        orm_enum labels = {0};
        TSNode body = is(values, "identifier") ? top_enum(x, node_text(x, values)) : (TSNode){0};
        if (!ts_node_is_null(body) ? !ts_enum_labels(x, body, &labels)
                                   : !enum_labels(x, values, &labels) || !labels.nvalues)
            return NULL;
        return orm_drizzle_mysql_enum(x->s->a, labels.values, labels.nvalues);
    }
    drizzle_mysql_cfg c = {num_prop(x, cfg, "length"), num_prop(x, cfg, "precision"),
                           num_prop(x, cfg, "scale"), num_prop(x, cfg, "fsp"),
                           true_prop(x, cfg, "unsigned")};
    return orm_drizzle_mysql_type(x->s->a, ch->base.name, &c);
}

/* .default(v) as drizzle-kit writes it for MySQL: sql`...` as written (no
 * parentheses added), a JSON value as a quoted string, a text or json
 * column's literal in parentheses. NULL when computed in code. */
static const char *mysql_default(dx *x, TSNode v, const char *type)
{
    if (is(v, "identifier")) {
        TSNode c = top_const(x, node_text(x, v));
        if (!ts_node_is_null(c) && !is(c, "identifier"))
            v = c;
    }
    if (is(v, "member_expression") && is(field(v, "object"), "identifier")) { /* Status.Active */
        TSNode body = top_enum(x, node_text(x, field(v, "object")));
        const char *member = node_text(x, field(v, "property"));
        for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
            TSNode p = named(body, i);
            if (is(p, "enum_assignment") && !strcmp(node_text(x, field(p, "name")), member))
                v = unwrap_expr(field(p, "value"));
        }
    }
    const char *t = sql_template(x, v);
    if (t)
        return t;
    const char *lit = NULL, *s = str_value(x, v);
    if (!strcmp(type, "json") && !s)
        lit = to_json(x, v) ? sql_quote_literal(x->s->a, to_json(x, v)) : NULL;
    else if (s)
        lit = sql_quote_literal(x->s->a, s);
    else if (is(v, "number") || is(v, "true") || is(v, "false") ||
             (is(v, "unary_expression") && is(named(v, 0), "number")))
        lit = node_text(x, v);
    return lit ? orm_drizzle_mysql_default(x->s->a, type, lit) : NULL;
}

/* The modifiers whose SQL differs on MySQL; false for the shared ones. */
static bool mysql_modifier(dx *x, orm_table *t, orm_column *c, const link *l)
{
    if (!strcmp(l->name, "autoincrement")) {
        c->auto_increment = true;
    } else if (!strcmp(l->name, "onUpdateNow")) {
        c->on_update_sql = "CURRENT_TIMESTAMP";
    } else if (!strcmp(l->name, "defaultNow")) {
        c->default_sql = "(now())";
    } else if (!strcmp(l->name, "default")) {
        TSNode a0 = nth_arg(l->args, 0);
        c->default_sql = mysql_default(x, a0, c->sql_type);
        if (!c->default_sql) {
            c->skip |= ORM_SKIP_DEFAULT;
            orm_add_note(x->s, loc_of(x, a0),
                         "default of %s.%s is computed in code; its SQL is not compared", t->name,
                         c->name);
        }
    } else {
        return false;
    }
    return true;
}

bool orm_extract_drizzle(orm_schema *s, const char *path, const char *text, size_t len)
{
    char err[256];
    tsq *q = tsq_load("typescript", "drizzle.scm", err, sizeof err);
    if (!q) {
        orm_add_note(s, (orm_loc){path, 1, 1, 1, 1}, "drizzle query: %s", err);
        return false;
    }
    reg_reset(s);
    TSTree *tree = tsq_parse("typescript", text, (uint32_t)len);
    dx x = {s, path, text, {s, path, text, len}, ts_tree_root_node(tree), false};
    x.mysql = orm_drizzle_is_mysql(text, len);
    s->mysql = s->mysql || x.mysql;
    uint32_t cv = tsq_capture_id(q, "var"), cval = tsq_capture_id(q, "value");
    seen done = {0};
    /* Passes: schemas and table creators, then enums, then tables (each may
     * be declared after what uses it). */
    for (int pass = 0; pass < 3; pass++) {
        tsq_cursor *c = tsq_exec(q, ts_tree_root_node(tree), text);
        TSQueryMatch m;
        while (tsq_next(c, &m)) {
            TSNode var, value;
            if (!tsq_capture(&m, cv, &var) || !tsq_capture(&m, cval, &value))
                continue;
            const char *vs = node_text(&x, var);
            dcall d = decl_of(&x, value);
            int want = d.kind == D_SCHEMA || d.kind == D_CREATOR || d.kind == D_CUSTOM ? 0
                       : d.kind == D_ENUM                                              ? 1
                                                                                       : 2;
            if (d.kind == D_NONE || want != pass)
                continue;
            seen_add(&done, ts_node_start_byte(d.call));
            if (d.kind == D_SCHEMA) {
                const char *name = str_value(&x, nth_arg(d.args, 0));
                if (name) {
                    reg.schemas =
                        grow(reg.schemas, reg.nschemas + 1, &reg.capschemas, sizeof *reg.schemas);
                    reg.schemas[reg.nschemas++] = vs;
                    reg.schemas[reg.nschemas++] = name;
                }
            } else if (d.kind == D_CREATOR) {
                add_creator(&x, vs, d.args);
            } else if (d.kind == D_CUSTOM) {
                add_custom(&x, vs, d.args);
            } else if (d.kind == D_TABLE) {
                add_declared_table(&x, vs, &d);
            } else {
                add_enum(&x, vs, d.schema, d.call, d.args);
            }
        }
        tsq_cursor_free(c);
    }
    note_unread(&x, x.root, &done);
    resolve_pending(s);
    free(done.at);
    free(creators);
    creators = NULL;
    ncreators = capcreators = 0;
    free(customs);
    customs = NULL;
    ncustoms = capcustoms = 0;
    free(reg.tables);
    free(reg.enums);
    free(reg.schemas);
    memset(&reg, 0, sizeof reg);
    ts_tree_delete(tree);
    tsq_free(q);
    return true;
}
