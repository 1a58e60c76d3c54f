/* gorm.c - the GORM extractor: Go structs with gorm tags (column, type,
 * size, precision, scale, not null, default, primaryKey, unique,
 * uniqueIndex, index, autoIncrement, embedded, embeddedPrefix, -), GORM's
 * default naming (snake_case plural table names, snake_case columns,
 * TableName() methods returning a literal), gorm.Model and embedded
 * structs of the same file, belongs-to foreign keys, and the types of
 * GORM's postgres dialect. A struct is a model when it embeds gorm.Model,
 * has a gorm tag or a TableName() method. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "code_extractors.h"
#include "ormx.h"
#include "tsq.h"

#define F(n, name) ormx_field(n, name)
#define KIND(n, k) ormx_kind(n, k)

typedef struct gm_struct {
    const char *name;
    TSNode spec, fields;
    const char *table; /* from TableName(), else NULL */
    TSNode table_at;
} gm_struct;

/* A has-many field: Posts []Post in User. */
typedef struct gm_has_many {
    size_t owner; /* table index */
    TSNode at;
    const char *tag, *field, *target;
} gm_has_many;

typedef struct gm_ctx {
    ormx_file f;
    gm_struct *structs;
    size_t nstructs;
    const char **alias, **alias_base; /* type Status string */
    size_t nalias;
    gm_has_many *has_many;
    size_t nhas_many;
} gm_ctx;

/* The value of `key` in a gorm tag ("size:100;not null"): the text after
 * "key:" (or "" for a bare key), NULL when absent. Keys compare without
 * case, as GORM's ParseTagSetting uppercases them. */
static const char *tag_get(gm_ctx *c, const char *tag, const char *key)
{
    if (!tag)
        return NULL;
    size_t kl = strlen(key);
    const char *p = tag;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        if (n >= kl && !strncasecmp(p, key, kl) && (n == kl || p[kl] == ':'))
            return n == kl ? "" : arena_strndup(c->f.s->a, p + kl + 1, n - kl - 1);
        if (!end)
            break;
        p = end + 1;
    }
    return NULL;
}

/* The gorm:"..." part of a struct tag literal. */
static const char *gorm_tag(gm_ctx *c, TSNode tag)
{
    const char *all = ormx_string(&c->f, tag);
    if (!all)
        return NULL;
    const char *g = strstr(all, "gorm:\"");
    if (!g)
        return NULL;
    g += 6;
    const char *end = strchr(g, '"');
    return end ? arena_strndup(c->f.s->a, g, (size_t)(end - g)) : NULL;
}

static gm_struct *find_struct(gm_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nstructs; i++)
        if (!strcmp(c->structs[i].name, name))
            return &c->structs[i];
    return NULL;
}

/* jinzhu/inflection's plural for the common English endings. */
static const char *plural(gm_ctx *c, const char *w)
{
    size_t n = strlen(w);
    static const char *const irregular[][2] = {
        {"person", "people"}, {"man", "men"},    {"child", "children"},
        {"sex", "sexes"},     {"move", "moves"}, {"mouse", "mice"},
    };
    for (size_t i = 0; i < sizeof irregular / sizeof *irregular; i++) {
        size_t il = strlen(irregular[i][0]);
        if (n >= il && !strcmp(w + n - il, irregular[i][0]) && (n == il || w[n - il - 1] == '_'))
            return arena_printf(c->f.s->a, "%.*s%s", (int)(n - il), w, irregular[i][1]);
    }
    if (n > 1 && w[n - 1] == 'y' && !strchr("aeiou", w[n - 2]))
        return arena_printf(c->f.s->a, "%.*sies", (int)(n - 1), w);
    if ((n && strchr("sxz", w[n - 1])) ||
        (n > 1 && (!strcmp(w + n - 2, "ch") || !strcmp(w + n - 2, "sh"))))
        return arena_printf(c->f.s->a, "%ses", w);
    return arena_printf(c->f.s->a, "%ss", w);
}

static const char *table_of(gm_ctx *c, gm_struct *st)
{
    return st->table ? st->table : plural(c, ormx_snake(&c->f, st->name));
}

/* The PostgreSQL type of a Go type per GORM's postgres dialect; *auto is
 * the serial spelling when the column auto-increments. NULL when the Go
 * type is not one GORM maps by itself. */
static const char *go_type(gm_ctx *c, const char *go, const char *tag, bool autoinc)
{
    const char *size = tag_get(c, tag, "size");
    const char *prec = tag_get(c, tag, "precision"), *scale = tag_get(c, tag, "scale");
    for (size_t i = 0; i < c->nalias; i++)
        if (!strcmp(go, c->alias[i]))
            go = c->alias_base[i];
    int bits = 0;
    if (!strcmp(go, "bool") || !strcmp(go, "sql.NullBool"))
        return "boolean";
    if (!strcmp(go, "int") || !strcmp(go, "int64") || !strcmp(go, "uint") ||
        !strcmp(go, "uint64") || !strcmp(go, "uint32") || !strcmp(go, "sql.NullInt64"))
        bits = 64;
    else if (!strcmp(go, "int32") || !strcmp(go, "uint16") || !strcmp(go, "sql.NullInt32") ||
             !strcmp(go, "rune"))
        bits = 32;
    else if (!strcmp(go, "int16") || !strcmp(go, "int8") || !strcmp(go, "uint8") ||
             !strcmp(go, "byte") || !strcmp(go, "sql.NullInt16"))
        bits = 16;
    if (bits && size && atoi(size) > 0) /* size: sets the bit size of integers */
        bits = atoi(size) <= 16 ? 16 : atoi(size) <= 32 ? 32 : 64;
    if (bits == 16)
        return autoinc ? "smallserial" : "smallint";
    if (bits == 32)
        return autoinc ? "serial" : "integer";
    if (bits == 64)
        return autoinc ? "bigserial" : "bigint";
    if (!strcmp(go, "float32") || !strcmp(go, "float64") || !strcmp(go, "sql.NullFloat64")) {
        if (prec && scale)
            return arena_printf(c->f.s->a, "numeric(%s, %s)", prec, scale);
        return prec ? arena_printf(c->f.s->a, "numeric(%s)", prec) : "decimal";
    }
    if (!strcmp(go, "string") || !strcmp(go, "sql.NullString"))
        return size ? arena_printf(c->f.s->a, "varchar(%s)", size) : "text";
    if (!strcmp(go, "time.Time") || !strcmp(go, "sql.NullTime") || !strcmp(go, "gorm.DeletedAt"))
        return prec ? arena_printf(c->f.s->a, "timestamptz(%s)", prec) : "timestamptz";
    if (!strcmp(go, "[]byte"))
        return "bytea";
    if (!strcmp(go, "datatypes.JSON"))
        return "jsonb";
    if (!strcmp(go, "datatypes.Date"))
        return "date";
    return NULL;
}

/* DEFAULT as GORM writes it: quoted for strings, verbatim otherwise. */
/* default: as GORM writes it: a string field's value quoted (also for
 * `type Role string`); a number parsed and printed back as Go does
 * (strconv: default:0.0 is 0, 1.50 is 1.5), as schema/field.go parses
 * DefaultValueInterface and the migrator explains it. */
static const char *go_default(gm_ctx *c, const char *dflt, const char *go)
{
    go += *go == '*';
    for (size_t i = 0; i < c->nalias; i++)
        if (!strcmp(go, c->alias[i]))
            go = c->alias_base[i];
    bool is_float = !strncmp(go, "float", 5),
         is_int = !strncmp(go, "int", 3) || !strncmp(go, "uint", 4);
    if (is_float || is_int) {
        char *end;
        double v = strtod(dflt, &end);
        if (end != dflt && !*end && strchr(dflt, '(') == NULL) {
            char buf[64];
            if (is_int && v == (double)(long long)v)
                snprintf(buf, sizeof buf, "%lld", (long long)v);
            else
                snprintf(buf, sizeof buf, "%.15g", v);
            return arena_strdup(c->f.s->a, buf);
        }
        return dflt;
    }
    if (!strcmp(go, "string") || !strcmp(go, "sql.NullString")) {
        size_t n = strlen(dflt);
        if (n >= 2 && dflt[0] == '\'' && dflt[n - 1] == '\'')
            return dflt;
        if ((strchr(dflt, '(') && strchr(dflt, ')')) || !strcasecmp(dflt, "null"))
            return dflt; /* gen_random_uuid(), null: GORM writes them as they are */
        if (n >= 2 && dflt[0] == '"' && dflt[n - 1] == '"')
            return arena_printf(c->f.s->a, "'%.*s'", (int)(n - 2), dflt + 1);
        return arena_printf(c->f.s->a, "'%s'", dflt);
    }
    return dflt;
}

static void gm_fields(gm_ctx *c, size_t ti, gm_struct *st, TSNode fields, const char *prefix,
                      int depth, bool *has_pk);

/* The columns of gorm.Model. */
static void gorm_model(gm_ctx *c, size_t ti, TSNode at, bool *has_pk)
{
    orm_table *t = &c->f.s->tables[ti];
    orm_loc loc = ormx_loc(&c->f, at);
    orm_column *id = orm_add_column(c->f.s, t, "id", "bigserial", loc);
    id->primary_key = id->not_null = true;
    orm_add_column(c->f.s, t, "created_at", "timestamptz", loc);
    orm_add_column(c->f.s, t, "updated_at", "timestamptz", loc);
    orm_add_column(c->f.s, t, "deleted_at", "timestamptz", loc);
    orm_index *ix =
        orm_add_index(c->f.s, t, arena_printf(c->f.s->a, "idx_%s_deleted_at", t->name), false, loc);
    orm_index_add_column(c->f.s, ix, "deleted_at");
    *has_pk = true;
}

/* index / uniqueIndex tags: "idx_name" or "" (GORM's idx_<table>_<column>);
 * fields that share a name make one composite index. */
static void gm_index(gm_ctx *c, orm_table *t, const char *spec, const char *col, bool unique,
                     TSNode at)
{
    char *name = arena_strdup(c->f.s->a, spec);
    char *comma = strchr(name, ',');
    if (comma)
        *comma = '\0';
    if (!*name)
        name = arena_printf(c->f.s->a, "idx_%s_%s", t->name, col);
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].name && !strcmp(t->indexes[i].name, name)) {
            orm_index_add_column(c->f.s, &t->indexes[i], col);
            return;
        }
    orm_index *ix = orm_add_index(c->f.s, t, name, unique, ormx_loc(&c->f, at));
    orm_index_add_column(c->f.s, ix, col);
}

/* Tables of other files whose comparison is incomplete (a has-many from
 * this file puts its foreign key there): marked when the table exists,
 * now or after a later file of the same schema. */
/* A belongs-to's foreign key column without a type: tag takes the type of
 * the key it references (GORM's parseRelation copies the primary field's
 * DataType), once that table is known. */
typedef struct gm_fk_type {
    const char *table, *column, *target;
} gm_fk_type;

static struct {
    unsigned long serial; /* the schema's (orm_schema.serial) */
    const char **table;
    unsigned *skip;
    size_t n;
    gm_fk_type *fk; /* table NULL once applied */
    size_t nfk;
    const char **untyped; /* "table.column" of columns without a type: tag */
    size_t nuntyped;
} pending;

static bool untyped(const char *table, const char *column)
{
    for (size_t i = 0; i < pending.nuntyped; i++) {
        const char *u = pending.untyped[i];
        size_t n = strlen(table);
        if (!strncmp(u, table, n) && u[n] == '.' && !strcmp(u + n + 1, column))
            return true;
    }
    return false;
}

static void fk_type_apply(orm_schema *s, gm_fk_type *k)
{
    orm_table *t = orm_find_table(s, NULL, k->table), *to = orm_find_table(s, NULL, k->target);
    if (!t || !to)
        return;
    const orm_column *pk = NULL;
    size_t npk = 0;
    for (size_t i = 0; i < to->ncolumns; i++)
        if (to->columns[i].primary_key)
            pk = &to->columns[i], npk++;
    for (size_t i = 0; npk == 1 && pk->sql_type && i < t->ncolumns; i++) {
        orm_column *col = &t->columns[i];
        if (strcmp(col->name, k->column) || !untyped(k->table, k->column))
            continue;
        const char *ty = pk->sql_type;
        col->sql_type = !strcasecmp(ty, "serial")        ? "integer"
                        : !strcasecmp(ty, "bigserial")   ? "bigint"
                        : !strcasecmp(ty, "smallserial") ? "smallint"
                                                         : ty;
    }
    k->table = NULL;
}

static void gm_pending_apply(orm_schema *s)
{
    if (pending.serial != s->serial) {
        free(pending.table);
        free(pending.skip);
        free(pending.fk);
        free(pending.untyped);
        memset(&pending, 0, sizeof pending);
        pending.serial = s->serial;
    }
    for (size_t i = 0; i < pending.n; i++) {
        orm_table *t = orm_find_table(s, NULL, pending.table[i]);
        if (t)
            t->skip |= pending.skip[i];
    }
    for (size_t i = 0; i < pending.nfk; i++)
        if (pending.fk[i].table)
            fk_type_apply(s, &pending.fk[i]);
}

static void gm_pending_fk_type(gm_ctx *c, const char *table, const char *column, const char *target)
{
    pending.fk = realloc(pending.fk, (pending.nfk + 1) * sizeof *pending.fk);
    if (!pending.fk)
        abort();
    arena *a = c->f.s->a;
    pending.fk[pending.nfk++] =
        (gm_fk_type){arena_strdup(a, table), arena_strdup(a, column), arena_strdup(a, target)};
}

static void gm_pending_untyped(gm_ctx *c, const char *table, const char *column)
{
    pending.untyped = realloc(pending.untyped, (pending.nuntyped + 1) * sizeof *pending.untyped);
    if (!pending.untyped)
        abort();
    pending.untyped[pending.nuntyped++] = arena_printf(c->f.s->a, "%s.%s", table, column);
}

static void gm_pending_skip(gm_ctx *c, const char *table, unsigned skip)
{
    pending.table = realloc(pending.table, (pending.n + 1) * sizeof *pending.table);
    pending.skip = realloc(pending.skip, (pending.n + 1) * sizeof *pending.skip);
    if (!pending.table || !pending.skip)
        abort();
    pending.table[pending.n] = arena_strdup(c->f.s->a, table);
    pending.skip[pending.n++] = skip;
}

/* type:faction names a type the models do not create (Atlas, a migration
 * or a loader does): an enum whose labels are not compared. */
static void declare_custom_type(gm_ctx *c, const char *sqltype)
{
    static const char *const builtin[] = {
        "int",         "integer",   "bigint",    "smallint", "serial",   "bigserial", "smallserial",
        "text",        "varchar",   "character", "char",     "bool",     "boolean",   "timestamp",
        "timestamptz", "date",      "time",      "interval", "numeric",  "decimal",   "real",
        "double",      "float",     "bytea",     "json",     "jsonb",    "uuid",      "inet",
        "cidr",        "macaddr",   "money",     "bit",      "tsvector", "xml",       "point",
        "geometry",    "geography", "hstore",    "citext",   "oid",      NULL};
    size_t n = strcspn(sqltype, " ([");
    for (const char *const *b = builtin; *b; b++)
        if (strlen(*b) == n && !strncasecmp(sqltype, *b, n))
            return;
    const char *name = arena_strndup(c->f.s->a, sqltype, n);
    if (sqltype[n] || orm_find_enum(c->f.s, NULL, name))
        return;
    orm_enum *e = orm_add_enum(c->f.s, NULL, name, (orm_loc){0});
    e->skipped = true;
}

/* A field whose type is a struct of another file of the package: with a
 * <Field>ID field, belongs-to (the foreign key on this table, to the
 * struct's table by GORM's naming); else has-one, whose foreign key is on
 * the other table, which drift then does not hold to its foreign keys. */
static void other_file_relation(gm_ctx *c, size_t ti, gm_struct *st, TSNode fd, const char *field,
                                const char *base, const char *tag)
{
    const char *fkf = tag_get(c, tag, "foreignKey");
    const char *idf = fkf ? fkf : arena_printf(c->f.s->a, "%sID", field);
    const char *target = plural(c, ormx_snake(&c->f, base));
    char *fields = ormx_text(&c->f, st->fields);
    /* GORM looks up <Field>ID, <Field>Id and the column <field>_id */
    bool belongs = strstr(fields, idf) != NULL ||
                   (!fkf && strstr(fields, arena_printf(c->f.s->a, "%sId", field)));
    orm_table *t = &c->f.s->tables[ti];
    if (belongs)
        gm_pending_fk_type(c, t->name, ormx_snake(&c->f, fkf ? fkf : idf), target);
    /* GORM leaves a belongs-to's constraint out when the other struct has
     * the has-one/has-many back, whose constraint: tag then gives the
     * actions: that struct is in a file of its own, so neither is known */
    ormx_note(&c->f, fd,
              "%s.%s: %s relation to %s of another file; foreign keys only the migrations have "
              "on %s are not compared",
              st->name, field, belongs ? "belongs-to" : "has-one", base,
              belongs ? t->name : target);
    if (belongs)
        t->skip |= ORM_SKIP_EXTRA_FKS;
    else
        gm_pending_skip(c, target, ORM_SKIP_EXTRA_FKS);
}

/* serializer:json stores any Go value in one column, typed by type: (else
 * by GORM's rules for the serializer, which are not read). */
static void serialized_column(gm_ctx *c, size_t ti, gm_struct *st, TSNode fd, const char *field,
                              const char *tag)
{
    const char *colname = tag_get(c, tag, "column");
    orm_table *t = &c->f.s->tables[ti];
    const char *type = tag_get(c, tag, "type");
    if (!type)
        ormx_note(&c->f, fd, "%s.%s: a serialized field's column type is not compared", st->name,
                  field);
    orm_column *col = orm_add_column(c->f.s, t, colname ? colname : ormx_snake(&c->f, field), type,
                                     ormx_loc(&c->f, fd));
    col->not_null = tag_get(c, tag, "not null") || tag_get(c, tag, "notnull");
    col->skip |= ORM_SKIP_DEFAULT;
}

/* many2many:name: the join table exists; its columns, keys and indexes
 * are not modelled, so only its existence is compared. */
static void many2many_table(gm_ctx *c, gm_struct *st, TSNode fd, const char *field, const char *tag)
{
    const char *name = tag_get(c, tag, "many2many");
    ormx_note(&c->f, fd, "%s.%s: the many2many join table %s is not modelled beyond its name",
              st->name, field, name);
    if (!*name || orm_find_table(c->f.s, NULL, name))
        return;
    orm_table *t = orm_add_table(c->f.s, NULL, name, ormx_loc(&c->f, fd));
    t->skip = ORM_SKIP_EXTRA_COLUMNS | ORM_SKIP_EXTRA_INDEXES | ORM_SKIP_EXTRA_FKS;
}

static void gm_field(gm_ctx *c, size_t ti, gm_struct *st, TSNode fd, const char *prefix, int depth,
                     bool *has_pk)
{
    TSNode name = F(fd, "name"), type = F(fd, "type");
    const char *tag = gorm_tag(c, F(fd, "tag"));
    if (tag && (!strcmp(tag, "-") || !strncmp(tag, "-:", 2)))
        return;
    const char *gotype = ormx_text(&c->f, type);
    bool pointer = KIND(type, "pointer_type");
    const char *base = pointer ? gotype + 1 : gotype;
    if (ts_node_is_null(name)) { /* an embedded struct */
        if (!strcmp(base, "gorm.Model")) {
            gorm_model(c, ti, fd, has_pk);
            return;
        }
        gm_struct *emb = find_struct(c, base);
        if (!emb || depth > 4) {
            ormx_note(&c->f, fd, "embedded %s is not defined in this file; its columns are skipped",
                      base);
            return;
        }
        gm_fields(c, ti, st, emb->fields, prefix, depth + 1, has_pk);
        return;
    }
    const char *field = ormx_text(&c->f, name);
    gm_struct *rel = tag_get(c, tag, "serializer") ? NULL : find_struct(c, base);
    if (tag_get(c, tag, "serializer")) {
        serialized_column(c, ti, st, fd, field, tag);
        return;
    }
    if (rel || (KIND(type, "slice_type") && find_struct(c, ormx_text(&c->f, F(type, "element"))))) {
        if (rel && tag_get(c, tag, "embedded")) {
            const char *ep = tag_get(c, tag, "embeddedPrefix");
            gm_fields(c, ti, st, rel->fields, arena_printf(c->f.s->a, "%s%s", prefix, ep ? ep : ""),
                      depth + 1, has_pk);
            return;
        }
        if (tag_get(c, tag, "many2many"))
            many2many_table(c, st, fd, field, tag);
        if (rel) { /* belongs-to: the FK on <Field>ID (or foreignKey:) */
            const char *fkf = tag_get(c, tag, "foreignKey");
            const char *fkcol =
                ormx_snake(&c->f, fkf ? fkf : arena_printf(c->f.s->a, "%sID", field));
            orm_table *t = &c->f.s->tables[ti];
            orm_foreign_key *fk = orm_add_foreign_key(c->f.s, t, ormx_loc(&c->f, fd));
            fk->name = arena_printf(c->f.s->a, "fk_%s_%s", t->name, ormx_snake(&c->f, field));
            fk->columns = ormx_list_add(&c->f, NULL, 0, fkcol);
            fk->ncolumns = 1;
            fk->ref_table = table_of(c, rel);
            fk->ref_columns = ormx_list_add(&c->f, NULL, 0, "id");
            fk->nref_columns = 1;
            gm_pending_fk_type(c, t->name, fkcol, fk->ref_table);
            const char *cons = tag_get(c, tag, "constraint");
            if (cons) {
                const char *od = strstr(cons, "OnDelete:"), *ou = strstr(cons, "OnUpdate:");
                if (od)
                    fk->on_delete = arena_strndup(c->f.s->a, od + 9, strcspn(od + 9, ",;"));
                if (ou)
                    fk->on_update = arena_strndup(c->f.s->a, ou + 9, strcspn(ou + 9, ",;"));
                for (char *p = (char *)fk->on_delete; p && *p; p++)
                    *p = (char)tolower((unsigned char)*p);
                for (char *p = (char *)fk->on_update; p && *p; p++)
                    *p = (char)tolower((unsigned char)*p);
            }
        }
        if (!rel && !tag_get(c, tag, "many2many")) {
            /* has-many: the FK <Owner>ID on the other table, made once
             * every table is */
            c->has_many = realloc(c->has_many, (c->nhas_many + 1) * sizeof *c->has_many);
            if (!c->has_many)
                abort();
            c->has_many[c->nhas_many++] =
                (gm_has_many){ti, fd, tag, field, ormx_text(&c->f, F(type, "element"))};
        }
        return;
    }
    if (KIND(type, "slice_type") && strcmp(base, "[]byte")) {
        const char *elem = ormx_text(&c->f, F(type, "element"));
        elem += *elem == '*'; /* []*Struct */
        const char *last = strrchr(elem, '.') ? strrchr(elem, '.') + 1 : elem;
        if (!tag_get(c, tag, "type") && (last[0] >= 'A' && last[0] <= 'Z')) {
            /* []Struct of another file: a has-many or many2many relation */
            ormx_note(&c->f, fd,
                      "%s.%s: relation to %s, which is not in this file; its foreign key or "
                      "join table is not modelled, and foreign keys only the migrations have on "
                      "its table are not compared",
                      st->name, field, elem);
            if (!strchr(elem, '.') && !tag_get(c, tag, "many2many"))
                gm_pending_skip(c, plural(c, ormx_snake(&c->f, last)), ORM_SKIP_EXTRA_FKS);
            if (tag_get(c, tag, "many2many"))
                many2many_table(c, st, fd, field, tag);
            return;
        }
        if (!tag_get(c, tag, "type")) {
            ormx_note(&c->f, fd, "%s.%s: slice of %s has no column type GORM knows; field skipped",
                      st->name, field, ormx_text(&c->f, F(type, "element")));
            return;
        }
    }
    const char *colname = tag_get(c, tag, "column");
    if (!colname)
        colname = arena_printf(c->f.s->a, "%s%s", prefix, ormx_snake(&c->f, field));
    bool pk = tag_get(c, tag, "primaryKey") || tag_get(c, tag, "primary_key") ||
              (!*has_pk && !strcmp(field, "ID"));
    const char *ai = tag_get(c, tag, "autoIncrement");
    bool autoinc = pk && (!ai || strcmp(ai, "false")) && !tag_get(c, tag, "default");
    const char *sqltype = tag_get(c, tag, "type");
    if (!sqltype && !pk)
        gm_pending_untyped(c, c->f.s->tables[ti].name, colname);
    if (!sqltype)
        sqltype = go_type(c, base, tag, autoinc);
    else if (autoinc && (!strcasecmp(sqltype, "int") || !strcasecmp(sqltype, "integer")))
        sqltype = "serial";
    else if (autoinc && !strcasecmp(sqltype, "bigint"))
        sqltype = "bigserial";
    if (!sqltype && !strchr(base, '.') && base[0] >= 'A' && base[0] <= 'Z') {
        other_file_relation(c, ti, st, fd, field, base, tag);
        return;
    }
    if (!sqltype) /* a named type of another package (enum.Status): a column of a type not read */
        ormx_note(&c->f, fd,
                  "%s.%s: Go type %s is not one GORM maps to a column by itself; its type is not "
                  "compared",
                  st->name, field, gotype);
    else
        declare_custom_type(c, sqltype);
    orm_table *t = &c->f.s->tables[ti];
    orm_column *col = orm_add_column(c->f.s, t, colname, sqltype, ormx_loc(&c->f, fd));
    col->primary_key = pk;
    col->not_null = pk || tag_get(c, tag, "not null") || tag_get(c, tag, "notnull");
    const char *dflt = tag_get(c, tag, "default");
    if (dflt && strcmp(dflt, "(-)"))
        col->default_sql = go_default(c, dflt, base);
    if (tag_get(c, tag, "unique"))
        col->unique = true;
    const char *ix = tag_get(c, tag, "index");
    if (ix)
        gm_index(c, t, ix, colname, false, fd);
    const char *uix = tag_get(c, tag, "uniqueIndex");
    if (!uix) /* GORM v1's spelling, still common in older models */
        uix = tag_get(c, tag, "unique_index");
    if (uix)
        gm_index(c, &c->f.s->tables[ti], uix, colname, true, fd);
    if (pk)
        *has_pk = true;
}

static void gm_fields(gm_ctx *c, size_t ti, gm_struct *st, TSNode fields, const char *prefix,
                      int depth, bool *has_pk)
{
    uint32_t i = 0;
    TSNode fd;
    while (!ts_node_is_null(fd = ormx_next_child(fields, "field_declaration", &i)))
        gm_field(c, ti, st, fd, prefix, depth, has_pk);
}

/* The FK of a has-many: on the target's table, column <Owner>ID (or
 * foreignKey:), named fk_<owner table>_<field>. */
static void gm_add_has_many(gm_ctx *c, const gm_has_many *h)
{
    gm_struct *target = find_struct(c, h->target);
    const char *owner_table = c->f.s->tables[h->owner].name;
    orm_table *t = orm_find_table(c->f.s, NULL, table_of(c, target));
    if (!t)
        return;
    const char *owner_struct = NULL;
    for (size_t i = 0; i < c->nstructs; i++)
        if (!strcmp(table_of(c, &c->structs[i]), owner_table))
            owner_struct = c->structs[i].name;
    const char *fkf = tag_get(c, h->tag, "foreignKey");
    const char *col = ormx_snake(&c->f, fkf ? fkf : arena_printf(c->f.s->a, "%sID", owner_struct));
    orm_foreign_key *fk = orm_add_foreign_key(c->f.s, t, ormx_loc(&c->f, h->at));
    fk->name = arena_printf(c->f.s->a, "fk_%s_%s", owner_table, ormx_snake(&c->f, h->field));
    fk->columns = ormx_list_add(&c->f, NULL, 0, col);
    fk->ncolumns = 1;
    fk->ref_table = owner_table;
    fk->ref_columns = ormx_list_add(&c->f, NULL, 0, "id");
    fk->nref_columns = 1;
}

/* Whether a struct is a GORM model (see the file comment). */
static bool is_model(gm_ctx *c, gm_struct *st)
{
    if (st->table)
        return true;
    uint32_t i = 0;
    TSNode fd;
    while (!ts_node_is_null(fd = ormx_next_child(st->fields, "field_declaration", &i))) {
        if (ormx_is(&c->f, F(fd, "type"), "gorm.Model") && ts_node_is_null(F(fd, "name")))
            return true;
        if (gorm_tag(c, F(fd, "tag")))
            return true;
    }
    return false;
}

/* An embedded-only struct (used inside another model of the file) is not
 * a table of its own unless it is a model by itself. */
static bool used_as_embedded(gm_ctx *c, gm_struct *st)
{
    for (size_t k = 0; k < c->nstructs; k++) {
        uint32_t i = 0;
        TSNode fd;
        while (
            !ts_node_is_null(fd = ormx_next_child(c->structs[k].fields, "field_declaration", &i)))
            if (ts_node_is_null(F(fd, "name")) && ormx_is(&c->f, F(fd, "type"), st->name))
                return true;
    }
    return false;
}

bool orm_extract_gorm(orm_schema *s, const char *path, const char *text, size_t len)
{
    gm_ctx c = {.f = {s, path, text, len}};
    gm_pending_apply(s); /* a new schema starts a new list */
    char err[256];
    tsq *q = ormx_query("go", "orm_gorm.scm", err, sizeof err);
    if (!q) {
        orm_add_note(s, (orm_loc){.path = path, .line = 1, .col = 1}, "%s", err);
        return false;
    }
    uint32_t cs = tsq_capture_id(q, "struct"), cf = tsq_capture_id(q, "fields"),
             csp = tsq_capture_id(q, "spec"), ca = tsq_capture_id(q, "alias"),
             cb = tsq_capture_id(q, "base"), cr = tsq_capture_id(q, "recv"),
             cbody = tsq_capture_id(q, "body");
    TSTree *tree = tsq_parse("go", text, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    tsq_cursor *cur = tsq_exec(q, root, text);
    TSQueryMatch m;
    TSNode *recv = NULL, *bodies = NULL;
    size_t nrecv = 0;
    while (tsq_next(cur, &m)) {
        TSNode a, b;
        if (tsq_capture(&m, cs, &a) && tsq_capture(&m, cf, &b)) {
            c.structs = realloc(c.structs, (c.nstructs + 1) * sizeof *c.structs);
            gm_struct *st = &c.structs[c.nstructs++];
            memset(st, 0, sizeof *st);
            st->name = ormx_text(&c.f, a);
            st->fields = b;
            tsq_capture(&m, csp, &st->spec);
        } else if (tsq_capture(&m, ca, &a) && tsq_capture(&m, cb, &b)) {
            c.alias = ormx_list_add(&c.f, c.alias, c.nalias, ormx_text(&c.f, a));
            c.alias_base = ormx_list_add(&c.f, c.alias_base, c.nalias++, ormx_text(&c.f, b));
        } else if (tsq_capture(&m, cr, &a) && tsq_capture(&m, cbody, &b)) {
            recv = realloc(recv, (nrecv + 1) * sizeof *recv);
            bodies = realloc(bodies, (nrecv + 1) * sizeof *bodies);
            recv[nrecv] = a, bodies[nrecv++] = b;
        }
    }
    tsq_cursor_free(cur);
    for (size_t i = 0; i < nrecv; i++) {
        gm_struct *st = find_struct(&c, ormx_text(&c.f, recv[i]));
        if (!st)
            continue;
        /* func (T) TableName() string { return "name" } */
        TSNode list = ts_node_named_child(bodies[i], 0);
        TSNode ret = KIND(list, "statement_list") ? ts_node_named_child(list, 0) : list;
        /* a bare `return` has no expression list to look into */
        TSNode val = KIND(ret, "return_statement") && ts_node_named_child_count(ret)
                         ? ts_node_named_child(ts_node_named_child(ret, 0), 0)
                         : (TSNode){0};
        const char *name = ormx_string(&c.f, val);
        if (name && ts_node_named_child_count(list) == 1)
            st->table = name;
        else
            ormx_note(&c.f, bodies[i], "%s.TableName() does not return a literal; table skipped",
                      st->name);
        st->table_at = bodies[i];
    }
    for (size_t i = 0; i < c.nstructs; i++) {
        gm_struct *st = &c.structs[i];
        if (!ts_node_is_null(st->table_at) && !st->table)
            continue;
        if (!is_model(&c, st) || (used_as_embedded(&c, st) && !st->table))
            continue;
        size_t ti = s->ntables;
        orm_add_table(s, NULL, table_of(&c, st), ormx_loc(&c.f, st->spec));
        bool has_pk = false;
        gm_fields(&c, ti, st, st->fields, "", 0, &has_pk);
    }
    for (size_t i = 0; i < c.nhas_many; i++)
        gm_add_has_many(&c, &c.has_many[i]);
    gm_pending_apply(s);
    ormx_note_syntax_errors(&(ormx_file){s, path, text, len}, root);
    free(c.has_many);
    free(recv);
    free(bodies);
    free(c.structs);
    ts_tree_delete(tree);
    return true;
}
