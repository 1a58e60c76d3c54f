/* types.c - type names as PostgreSQL's format_type() prints them.
 *
 * The grammar already maps SQL-standard spellings to internal names
 * (INTEGER -> pg_catalog.int4, CHARACTER VARYING -> pg_catalog.varchar), so
 * this maps internal names back to the display names pg_catalog and
 * information_schema use, and adds typmods and array brackets. Also a
 * function signature's argument types (function_args), which the CREATE,
 * DROP and ALTER of functions all print. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct builtin {
    const char *name;    /* internal name */
    const char *display; /* format_type() name */
    int style;           /* how typmods are printed, see render_typmods() */
} builtin;

enum { TM_PLAIN, TM_NUMERIC, TM_TIME_ZONE, TM_TIME, TM_INTERVAL };

/* Sorted by name for bsearch. Types not listed print as written. */
static const builtin builtins[] = {
    {"bit", "bit", TM_PLAIN},
    {"bool", "boolean", TM_PLAIN},
    {"bpchar", "character", TM_PLAIN},
    {"float4", "real", TM_PLAIN},
    {"float8", "double precision", TM_PLAIN},
    {"int2", "smallint", TM_PLAIN},
    {"int4", "integer", TM_PLAIN},
    {"int8", "bigint", TM_PLAIN},
    {"interval", "interval", TM_INTERVAL},
    {"numeric", "numeric", TM_NUMERIC},
    {"time", "time", TM_TIME},
    {"timestamp", "timestamp", TM_TIME},
    {"timestamptz", "timestamp", TM_TIME_ZONE},
    {"timetz", "time", TM_TIME_ZONE},
    {"varbit", "bit varying", TM_PLAIN},
    {"varchar", "character varying", TM_PLAIN},
};

/* Types every database has: an unqualified name resolves here before
 * public. Sorted (strcmp order) for bsearch. */
static const char *const known_types[] = {"aclitem",
                                          "anyarray",
                                          "anycompatible",
                                          "anycompatiblearray",
                                          "anyelement",
                                          "anyenum",
                                          "anynonarray",
                                          "anyrange",
                                          "bit",
                                          "bool",
                                          "box",
                                          "bpchar",
                                          "bytea",
                                          "char",
                                          "cid",
                                          "cidr",
                                          "circle",
                                          "cstring",
                                          "date",
                                          "datemultirange",
                                          "daterange",
                                          "event_trigger",
                                          "float4",
                                          "float8",
                                          "gtsvector",
                                          "inet",
                                          "int2",
                                          "int2vector",
                                          "int4",
                                          "int4multirange",
                                          "int4range",
                                          "int8",
                                          "int8multirange",
                                          "int8range",
                                          "internal",
                                          "interval",
                                          "json",
                                          "jsonb",
                                          "jsonpath",
                                          "line",
                                          "lseg",
                                          "macaddr",
                                          "macaddr8",
                                          "money",
                                          "name",
                                          "numeric",
                                          "nummultirange",
                                          "numrange",
                                          "oid",
                                          "oidvector",
                                          "path",
                                          "pg_lsn",
                                          "pg_node_tree",
                                          "pg_snapshot",
                                          "point",
                                          "polygon",
                                          "record",
                                          "refcursor",
                                          "regclass",
                                          "regcollation",
                                          "regconfig",
                                          "regdictionary",
                                          "regnamespace",
                                          "regoper",
                                          "regoperator",
                                          "regproc",
                                          "regprocedure",
                                          "regrole",
                                          "regtype",
                                          "text",
                                          "tid",
                                          "time",
                                          "timestamp",
                                          "timestamptz",
                                          "timetz",
                                          "trigger",
                                          "tsmultirange",
                                          "tsquery",
                                          "tsrange",
                                          "tstzmultirange",
                                          "tstzrange",
                                          "tsvector",
                                          "txid_snapshot",
                                          "unknown",
                                          "uuid",
                                          "varbit",
                                          "varchar",
                                          "void",
                                          "xid",
                                          "xid8",
                                          "xml"};

static int builtin_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const builtin *)elem)->name);
}

static const builtin *find_builtin(const char *name)
{
    return bsearch(name, builtins, sizeof builtins / sizeof *builtins, sizeof *builtins,
                   builtin_cmp);
}

static int known_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

/* Asked for most columns a migration adds. */
static bool is_known(const char *name)
{
    return bsearch(name, known_types, sizeof known_types / sizeof *known_types, sizeof *known_types,
                   known_cmp) != NULL;
}

static int serial_size(const char *name)
{
    if (name[0] != 's' && name[0] != 'b')
        return 0;
    if (!strcmp(name, "serial") || !strcmp(name, "serial4"))
        return 4;
    if (!strcmp(name, "bigserial") || !strcmp(name, "serial8"))
        return 8;
    if (!strcmp(name, "smallserial") || !strcmp(name, "serial2"))
        return 2;
    return 0;
}

/* interval's typmod holds a field mask (INTERVAL_MASK bits of datetime.h). */
static const char *interval_fields(long mask)
{
    static const struct {
        long mask;
        const char *text;
    } fields[] = {
        {1 << 2, " year"},
        {1 << 1, " month"},
        {1 << 3, " day"},
        {1 << 10, " hour"},
        {1 << 11, " minute"},
        {1 << 12, " second"},
        {(1 << 2) | (1 << 1), " year to month"},
        {(1 << 3) | (1 << 10), " day to hour"},
        {(1 << 3) | (1 << 10) | (1 << 11), " day to minute"},
        {(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), " day to second"},
        {(1 << 10) | (1 << 11), " hour to minute"},
        {(1 << 10) | (1 << 11) | (1 << 12), " hour to second"},
        {(1 << 11) | (1 << 12), " minute to second"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (fields[i].mask == mask)
            return fields[i].text;
    return "";
}

/* format_type(oid, -1): the name a constant's ::cast shows. */
static const char *builtin_label(const builtin *bi)
{
    if (!strcmp(bi->name, "bpchar"))
        return "bpchar";
    if (bi->style == TM_TIME)
        return !strcmp(bi->name, "time") ? "time without time zone" : "timestamp without time zone";
    if (bi->style == TM_TIME_ZONE)
        return !strcmp(bi->name, "timetz") ? "time with time zone" : "timestamp with time zone";
    return bi->display;
}

/* A built-in type's text, built on the stack rather than in a strbuf's
 * malloc (once per column of every CREATE TABLE): its length is bounded,
 * the longest display name with two typmods of 20 digits, " without time
 * zone" and "[]" stay under 100 bytes, so the cut in tb_add never happens. */
typedef struct tbuf {
    char s[128];
    size_t n;
} tbuf;

static void tb_add(tbuf *b, const char *s, size_t n)
{
    if (n > sizeof b->s - 1 - b->n)
        n = sizeof b->s - 1 - b->n;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void tb_puts(tbuf *b, const char *s)
{
    tb_add(b, s, strlen(s));
}

/* "(n)" or, with two, "(n,m)", as "(%ld)" prints them: once per
 * varchar(255) or numeric(10,2) column, where printf cost more than the
 * rest of the type. */
static void put_long(tbuf *b, long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    tb_add(b, p, (size_t)(buf + sizeof buf - p));
}

static void put_mods(tbuf *b, long m0, long m1, bool two)
{
    tb_add(b, "(", 1);
    put_long(b, m0);
    if (two) {
        tb_add(b, ",", 1);
        put_long(b, m1);
    }
    tb_add(b, ")", 1);
}

static void render_builtin(replay *r, tbuf *b, const builtin *bi, const cJSON *typmods)
{
    long mods[2] = {-1, -1};
    int n = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, typmods)
    {
        if (n < 2)
            mods[n] = const_int(r->f, sql_get(m, "A_Const"));
        n++;
    }
    tb_puts(b, bi->display);
    switch (bi->style) {
    case TM_NUMERIC:
        if (n >= 1)
            put_mods(b, mods[0], n >= 2 ? mods[1] : 0L, true);
        break;
    case TM_TIME:
    case TM_TIME_ZONE:
        if (n >= 1)
            put_mods(b, mods[0], 0, false);
        tb_puts(b, bi->style == TM_TIME ? " without time zone" : " with time zone");
        break;
    case TM_INTERVAL:
        /* The grammar puts the field mask first and an optional precision second. */
        if (n >= 1)
            tb_puts(b, interval_fields(mods[0]));
        if (n >= 2)
            put_mods(b, mods[1], 0, false);
        break;
    default:
        if (n >= 1)
            put_mods(b, mods[0], 0, false);
        break;
    }
}

const char *cat_type_display(catalog *c, const cat_type *t)
{
    if (cat_is_public(t->schema))
        return cat_quote_ident(c, t->name);
    return arena_printf(c->a, "%s.%s", cat_quote_ident(c, t->schema), cat_quote_ident(c, t->name));
}

/* The members of a TypeName that cat_type_resolve reads, each the first of
 * its name as sql_get finds it, in one pass over the node. */
typedef struct type_fields {
    const cJSON *mysql_type, *names, *typmods, *bounds;
} type_fields;

static void type_field(const cJSON *c, const char *key, const cJSON **slot)
{
    if (!*slot && !strcmp(c->string, key))
        *slot = c;
}

static void type_fields_of(const cJSON *tn, type_fields *out)
{
    memset(out, 0, sizeof *out);
    for (const cJSON *c = tn ? tn->child : NULL; c && c->string; c = c->next) {
        switch (c->string[0]) {
        case 'm':
            type_field(c, "mysqlType", &out->mysql_type);
            break;
        case 'n':
            type_field(c, "names", &out->names);
            break;
        case 't':
            type_field(c, "typmods", &out->typmods);
            break;
        case 'a':
            type_field(c, "arrayBounds", &out->bounds);
            break;
        }
    }
}

/* A type the catalog does not model: a user type it has, else the name as
 * written (extension and unknown built-in types), with its typmods. */
static void render_other(replay *r, strbuf *b, const cJSON *tn, const char *schema,
                         const char *name, const cJSON *typmods, cat_typeinfo *out)
{
    const cat_type *ut = cat_type_get(r->c, schema, name);
    if (ut) {
        out->user_type = ut;
        strbuf_puts(b, cat_type_display(r->c, ut));
        return;
    }
    /* A schema the migrations created holds the types they created, and
     * those of the extensions installed into it, which the catalog does not
     * list (CREATE EXTENSION citext SCHEMA ext): say so, and keep the column
     * (open world). Unqualified unknown names and platform schemas are let
     * through silently. */
    if (schema && !cat_is_public(schema) && catalog_has_schema(r->c, schema) &&
        !catalog_is_platform_schema(r->c, schema))
        rp_conflict_at(r, sql_location(tn), "type %s does not exist", rp_qname(r, schema, name));
    if (schema && !cat_is_public(schema))
        strbuf_printf(b, "%s.", cat_quote_ident(r->c, schema));
    strbuf_puts(b, cat_quote_ident(r->c, name));
    const cJSON *m;
    int n = 0;
    cJSON_ArrayForEach(m, typmods)
    {
        strbuf_printf(b, "%s%ld", n++ ? "," : "(", const_int(r->f, sql_get(m, "A_Const")));
    }
    if (n)
        strbuf_putc(b, ')');
}

/* A built-in type named without typmods (bigint, text, uuid[]...) resolves
 * to the same interned strings every time: most columns of a history are
 * such, so the answers are kept in the catalog, direct-mapped by name and
 * array-ness. What they hold depends on the name alone (no user type is
 * looked up on this path) and on this catalog's interned strings, which
 * live as long as it does; a clone or a loaded catalog starts empty. */
enum { TYPE_MEMO_SLOTS = 64 };

typedef struct type_memo_slot {
    const char *name; /* the catalog's copy; NULL: empty */
    cat_typeinfo info;
} type_memo_slot;

struct cat_type_memo {
    type_memo_slot slots[TYPE_MEMO_SLOTS];
};

static type_memo_slot *type_memo_slot_of(catalog *c, const char *name, bool array)
{
    if (!c->type_memo)
        c->type_memo = arena_calloc(c->a, 1, sizeof *c->type_memo);
    uint32_t h = 2166136261u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    h = (h ^ (array ? 1u : 0u)) * 16777619u;
    return &c->type_memo->slots[h % TYPE_MEMO_SLOTS];
}

static bool type_memo_get(catalog *c, const char *name, bool array, cat_typeinfo *out)
{
    const type_memo_slot *s = type_memo_slot_of(c, name, array);
    if (!s->name || s->info.array != array || strcmp(s->name, name) != 0)
        return false;
    *out = s->info;
    return true;
}

static void type_memo_put(catalog *c, const char *name, const cat_typeinfo *info)
{
    type_memo_slot *s = type_memo_slot_of(c, name, info->array);
    s->name = arena_strdup(c->a, name);
    s->info = *info;
}

bool cat_type_resolve(replay *r, const cJSON *tn, cat_typeinfo *out)
{
    memset(out, 0, sizeof *out);
    type_fields tf;
    type_fields_of(tn, &tf);
    const char *mysql_type = cJSON_IsString(tf.mysql_type) ? tf.mysql_type->valuestring : NULL;
    if (mysql_type) { /* src/mysql: MySQL's own name */
        out->text = out->base = out->label = arena_strdup(r->c->a, mysql_type);
        return true;
    }
    const char *schema, *name;
    if (!name_list_split(tf.names, &schema, &name)) {
        out->text = out->base = out->label = "unknown";
        return true;
    }
    if (schema && !strcmp(schema, "pg_catalog"))
        schema = NULL;
    bool memo = !schema && !tf.typmods; /* the built-in paths below, if it is built in */
    if (memo && type_memo_get(r->c, name, tf.bounds != NULL, out))
        return true;
    tbuf tb;
    tb.s[0] = '\0';
    tb.n = 0;
    strbuf b = STRBUF_INIT;
    const builtin *bi = schema ? NULL : find_builtin(name);
    if (!schema && serial_size(name)) {
        out->serial = serial_size(name);
        tb_puts(&tb, out->serial == 2 ? "smallint" : out->serial == 4 ? "integer" : "bigint");
    } else if (bi) {
        render_builtin(r, &tb, bi, tf.typmods);
    } else if (!schema && is_known(name)) {
        tb_puts(&tb, name); /* a name is at most 63 bytes (NAMEDATALEN) */
    } else {
        render_other(r, &b, tn, schema, name, tf.typmods, out);
        memo = false; /* a user type, or one printed as written */
    }
    const char *text = b.data ? b.data : tb.s;
    out->base = cat_intern(r->c, text);
    out->label = bi && !out->serial ? builtin_label(bi) : out->base;
    out->array = tf.bounds != NULL;
    if (out->array) {
        if (b.data) {
            strbuf_puts(&b, "[]");
            out->text = cat_intern(r->c, b.data);
        } else {
            tb_add(&tb, "[]", 2);
            out->text = cat_intern(r->c, tb.s);
        }
    } else {
        out->text = out->base;
    }
    strbuf_free(&b);
    if (memo)
        type_memo_put(r->c, name, out);
    return true;
}

/* Does p (just after a "::") name the type old, not a longer one? */
static bool cast_to(const char *p, const char *old, size_t n)
{
    char after = p[n];
    return !strncmp(p, old, n) &&
           !(after == '_' || after == '.' || (after >= 'a' && after <= 'z') ||
             (after >= '0' && after <= '9'));
}

bool cat_text_casts_to(const char *text, const char *display)
{
    for (const char *p = text ? strstr(text, "::") : NULL; p; p = strstr(p + 2, "::"))
        if (cast_to(p + 2, display, strlen(display)))
            return true;
    return false;
}

/* text with every "::old" cast renamed to "::name". */
static const char *rename_cast(catalog *c, const char *text, const char *old, const char *name)
{
    if (!text)
        return NULL;
    strbuf b = STRBUF_INIT;
    size_t n = strlen(old);
    for (const char *p = text; *p;) {
        const char *hit = strstr(p, "::");
        if (!hit) {
            strbuf_puts(&b, p);
            break;
        }
        strbuf_add(&b, p, (size_t)(hit - p) + 2);
        p = hit + 2;
        if (cast_to(p, old, n)) {
            strbuf_puts(&b, name);
            p += n;
        }
    }
    const char *out = arena_strdup(c->a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}

void cat_type_renamed(catalog *c, const cat_type *t, const char *old_display)
{
    const char *display = cat_type_display(c, t);
    for (size_t i = 0; i < c->ntables; i++) {
        cat_table *tab = c->tables[i];
        for (size_t j = 0; j < tab->ncolumns; j++) {
            cat_column *col = tab->columns[j];
            if (col->user_type != t)
                continue;
            col->type = col->array ? arena_printf(c->a, "%s[]", display) : display;
            col->type_label = display;
            col->default_expr = rename_cast(c, col->default_expr, old_display, display);
        }
    }
}

/* Appends a type's text without its typmods: PostgreSQL keeps none for
 * function arguments ("character varying(20)" is "character varying",
 * "timestamp(3) without time zone" is "timestamp without time zone"). */
static void put_without_typmods(strbuf *b, const char *text)
{
    int depth = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '(' && depth == 0 && p > text && p[-1] != '"')
            depth = 1;
        else if (depth && *p == ')')
            depth = 0;
        else if (!depth)
            strbuf_putc(b, *p);
    }
}

/* Input argument types of a function signature, as oidvectortypes() prints them. */
const char *function_args(replay *r, const cJSON *types)
{
    strbuf b = STRBUF_INIT;
    const cJSON *item;
    replay quiet = *r;
    quiet.conflict = NULL;
    cJSON_ArrayForEach(item, types)
    {
        cat_typeinfo t;
        const cJSON *tn = sql_get(item, "TypeName");
        if (!cat_type_resolve(&quiet, tn ? tn : item, &t))
            t.text = "?";
        if (b.len)
            strbuf_puts(&b, ", ");
        put_without_typmods(&b, t.text);
    }
    const char *out = arena_strdup(r->c->a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}
