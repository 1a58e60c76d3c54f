/* compare.c - the two catalogs side by side: tables, columns (type, NOT
 * NULL, default), indexes, foreign keys and enums. Indexes and foreign keys
 * are matched by what they do (columns, uniqueness, target, actions), not by
 * name, since ORMs and hand-written migrations name them differently and
 * the difference does not change the schema's behaviour. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "../catalog/iter.h"
#include "../mysql/mysql.h"
#include "../core/strbuf.h"
#include "internal.h"

typedef struct cmp {
    drift_ctx *ctx;
    const drift_side *side;
    const catalog *mig;
    size_t count;
} cmp;

static bool is_public(const char *schema)
{
    return !schema || !strcmp(schema, "public");
}

static bool plain_lower(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* A keyword PostgreSQL's quote_identifier() quotes: any but the
 * unreserved ones (user, order, select...), by libpg_query's scanner. */
static bool is_keyword(const char *name)
{
    PgQueryScanResult r = pg_query_scan(name);
    bool kw = false;
    if (!r.error) {
        PgQuery__ScanResult *s =
            pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
        if (s) {
            kw = s->n_tokens == 1 &&
                 s->tokens[0]->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD &&
                 s->tokens[0]->keyword_kind != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD;
            pg_query__scan_result__free_unpacked(s, NULL);
        }
    }
    pg_query_free_scan_result(r);
    return kw;
}

/* An identifier as SQL needs it written (help text): quoted unless it is
 * lower-case letters, digits and underscores and no keyword. */
static const char *qi(cmp *c, const char *name)
{
    if (plain_lower(name) && !is_keyword(name))
        return name;
    if (c->side->mysql) /* MySQL's reserved words are near enough PostgreSQL's */
        return arena_printf(c->ctx->a, "`%s`", name);
    strbuf b = STRBUF_INIT;
    orm_ddl_quote_ident(&b, name);
    const char *out = arena_strdup(c->ctx->a, b.data);
    strbuf_free(&b);
    return out;
}

static const char *qtable(cmp *c, const cat_table *t)
{
    if (is_public(t->rel.schema))
        return qi(c, t->rel.name);
    return arena_printf(c->ctx->a, "%s.%s", qi(c, t->rel.schema), qi(c, t->rel.name));
}

static const char *tname(cmp *c, const cat_table *t)
{
    char buf[512];
    return arena_strdup(c->ctx->a, cat_display_name(&t->rel, buf, sizeof buf));
}

static const char *where_declared(cmp *c, const orm_loc *loc)
{
    return loc && loc->path ? loc->path : c->side->label;
}

static const orm_table *model_table(cmp *c, const cat_table *t)
{
    return c->side->model ? orm_find_table(c->side->model, t->rel.schema, t->rel.name) : NULL;
}

static const orm_loc *table_loc(cmp *c, const cat_table *t)
{
    const orm_table *ot = model_table(c, t);
    return ot ? &ot->loc : NULL;
}

static const orm_loc *column_loc(cmp *c, const cat_table *t, const cat_column *col)
{
    const orm_table *ot = model_table(c, t);
    const orm_column *oc = ot ? orm_find_column(ot, col->name) : NULL;
    return oc ? &oc->loc : ot ? &ot->loc : NULL;
}

/* A finding on the declared side: at the ORM line, else at the DDL
 * statement the object came from. */
static diag *at_declared(cmp *c, const char *rule, const orm_loc *loc, const cat_origin *o,
                         const char *msg)
{
    diag *d = NULL;
    if (!loc && c->side->ddl)
        loc = orm_ddl_loc_at(c->side->ddl, o->start);
    if (loc)
        d = drift_report_loc(c->ctx, rule, loc, "%s", msg);
    else
        d = drift_report_origin(c->ctx, rule, o, "%s", msg);
    if (d)
        c->count++;
    return d;
}

static diag *at_migration(cmp *c, const char *rule, const cat_origin *o, const char *msg)
{
    diag *d = drift_report_origin(c->ctx, rule, o, "%s", msg);
    if (d)
        c->count++;
    return d;
}

static bool is_table(const cat_table *t)
{
    return (t->rel.kind == CAT_TABLE || t->rel.kind == CAT_PARTITIONED_TABLE) &&
           strcmp(t->rel.schema ? t->rel.schema : "", "pg_temp") != 0;
}

/* ---- columns ---- */

static const char *column_sql(cmp *c, const cat_column *col)
{
    return arena_printf(c->ctx->a, "%s %s%s%s%s%s", qi(c, col->name),
                        col->type ? col->type : "text",
                        col->default_expr && !col->serial ? " DEFAULT " : "",
                        col->default_expr && !col->serial ? col->default_expr : "",
                        col->not_null ? " NOT NULL" : "",
                        /* MySQL's AUTO_INCREMENT is an identity in the catalog */
                        c->side->mysql && col->identity ? " AUTO_INCREMENT" : "");
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* now() and CURRENT_TIMESTAMP (Prisma writes one, hand-written SQL often the
 * other) print differently but give the same value. */
static bool is_now(const char *e)
{
    return e && (!strcmp(e, "now()") || !strcmp(e, "CURRENT_TIMESTAMP") ||
                 !strcmp(e, "transaction_timestamp()"));
}

/* A default that is a number as the catalog prints it ("0", "0.0",
 * "'1.50'::numeric", "(-1)"): its value. */
static bool numeric_default(const char *s, double *out)
{
    char buf[64];
    size_t n = 0;
    for (const char *p = s; p && *p && n + 1 < sizeof buf; p++) {
        if (p[0] == ':' && p[1] == ':')
            break;
        if (*p != '(' && *p != ')' && *p != '\'')
            buf[n++] = *p;
    }
    buf[n] = 0;
    char *end;
    *out = n ? strtod(buf, &end) : 0;
    return n && !*end;
}

static bool is_random_uuid(const char *d)
{
    return d && (!strcmp(d, "uuid_generate_v4()") || !strcmp(d, "gen_random_uuid()"));
}

static bool same_default(const cat_column *a, const cat_column *b)
{
    double x, y; /* 0.0 and 0 on one column type: the same value */
    if (same_str(a->type, b->type) && numeric_default(a->default_expr, &x) &&
        numeric_default(b->default_expr, &y) && x == y)
        return true;
    if (is_now(a->default_expr) && is_now(b->default_expr))
        return true;
    if (a->serial && b->serial)
        return true; /* sequence names follow table names, which renames keep */
    if (a->identity || b->identity)
        return a->identity == b->identity;
    return same_str(a->default_expr, b->default_expr);
}

static void compare_column(cmp *c, const cat_table *t, const cat_column *dc, const cat_column *mc)
{
    const orm_table *ot = model_table(c, t);
    const orm_column *oc = ot ? orm_find_column(ot, dc->name) : NULL;
    /* What the extractor could not read is left out (a drift-skipped note says so). */
    unsigned skip = oc ? orm_column_skip(oc) : 0;
    const orm_loc *loc = column_loc(c, t, dc);
    const char *tn = tname(c, t), *where = where_declared(c, loc), *qt = qtable(c, t);
    if (!(skip & ORM_SKIP_TYPE) && !same_str(dc->type, mc->type)) {
        diag *d = at_declared(c, "drift-column-type", loc, &dc->origin,
                              arena_printf(c->ctx->a, "%s.%s is %s in %s, %s in the migrations", tn,
                                           dc->name, dc->type ? dc->type : "?", where,
                                           mc->type ? mc->type : "?"));
        if (c->side->mysql) /* MODIFY restates the whole column, or loses the rest */
            drift_help(c->ctx, d, "ALTER TABLE %s MODIFY COLUMN %s; -- or change %s to %s", qt,
                       column_sql(c, dc), where, mc->type ? mc->type : "?");
        else
            drift_help(c->ctx, d, "ALTER TABLE %s ALTER COLUMN %s TYPE %s; -- or change %s to %s",
                       qt, qi(c, dc->name), dc->type ? dc->type : "?", where,
                       mc->type ? mc->type : "?");
    }
    if (!(skip & ORM_SKIP_NOT_NULL) && dc->not_null != mc->not_null) {
        diag *d = at_declared(c, "drift-nullability", loc, &dc->origin,
                              arena_printf(c->ctx->a, "%s.%s is %s in %s, %s in the migrations", tn,
                                           dc->name, dc->not_null ? "NOT NULL" : "nullable", where,
                                           mc->not_null ? "NOT NULL" : "nullable"));
        if (c->side->mysql)
            drift_help(c->ctx, d, "ALTER TABLE %s MODIFY COLUMN %s;", qt, column_sql(c, dc));
        else
            drift_help(c->ctx, d, "ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;", qt,
                       qi(c, dc->name), dc->not_null ? "SET" : "DROP");
    }
    if (!(skip & ORM_SKIP_DEFAULT) && !same_default(dc, mc) &&
        !(oc && oc->any_uuid_default && is_random_uuid(dc->default_expr) &&
          is_random_uuid(mc->default_expr))) {
        const char *ds = dc->identity ? "an identity" : dc->default_expr;
        const char *ms = mc->identity ? "an identity" : mc->default_expr;
        diag *d =
            at_declared(c, "drift-default", loc, &dc->origin,
                        arena_printf(c->ctx->a, "%s.%s has default %s in %s, %s in the migrations",
                                     tn, dc->name, ds ? ds : "none", where, ms ? ms : "none"));
        if (dc->default_expr && !dc->identity)
            drift_help(c->ctx, d, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", qt,
                       qi(c, dc->name), dc->default_expr);
        else if (!dc->identity)
            drift_help(c->ctx, d, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", qt,
                       qi(c, dc->name));
    }
}

/* Whether MySQL token t spells name (backquoted or bare; column names are
 * case-insensitive there). */
static bool token_names(const source *src, const sql_token *t, const char *name)
{
    const char *s = src->text + t->start;
    size_t n = t->end - t->start;
    if (n >= 2 && s[0] == '`' && s[n - 1] == '`')
        s++, n -= 2;
    return n == strlen(name) && !strncasecmp(s, name, n);
}

/* Where a MySQL column only the migrations have is written: its name
 * after the table's in the statement that made it (CREATE TABLE or ALTER
 * TABLE ADD), so the finding is at the column's line; the statement's
 * origin when it is not found. (PostgreSQL findings stay at the statement.) */
static cat_origin column_origin(cmp *c, const cat_table *t, const cat_column *col)
{
    cat_origin o = col->origin;
    const source *src =
        c->side->mysql && o.path && *o.path ? c->ctx->find(c->ctx->ud, o.path) : NULL;
    if (!src || src->host || o.end > src->len || o.end <= o.start)
        return o;
    size_t n = 0;
    sql_token *tok = mysql_lex(src->text, o.start, o.end, &n);
    bool after_table = false;
    for (size_t i = 0; tok && i < n; i++) {
        if (tok[i].kind != SQL_TOK_IDENT)
            continue;
        if (!after_table) {
            after_table = token_names(src, &tok[i], t->rel.name);
        } else if (token_names(src, &tok[i], col->name)) {
            o.start = tok[i].start;
            o.pos.line = 0; /* the offset says it: not a code migration's position */
            break;
        }
    }
    free(tok);
    return o;
}

/* The declaration left out some of the table's columns, indexes or
 * foreign keys (ORM_SKIP_EXTRA_*): what only the migrations have is not
 * reported. */
static bool extras_skipped(cmp *c, const cat_table *t, unsigned what)
{
    const orm_table *ot = model_table(c, t);
    return ot && (ot->skip & what);
}

static void compare_columns(cmp *c, const cat_table *dt, const cat_table *mt)
{
    const char *tn = tname(c, dt), *qt = qtable(c, dt);
    for (size_t i = 0; i < dt->ncolumns; i++) {
        const cat_column *dc = dt->columns[i];
        const cat_column *mc = cat_table_find_column(mt, dc->name);
        if (mc) {
            compare_column(c, dt, dc, mc);
            continue;
        }
        const orm_loc *loc = column_loc(c, dt, dc);
        diag *d = at_declared(c, "drift-missing-column", loc, &dc->origin,
                              arena_printf(c->ctx->a,
                                           "column %s.%s is declared in %s but no migration "
                                           "creates it",
                                           tn, dc->name, where_declared(c, loc)));
        drift_help(c->ctx, d, "ALTER TABLE %s ADD COLUMN %s;", qt, column_sql(c, dc));
    }
    for (size_t i = 0; i < mt->ncolumns; i++) {
        const cat_column *mc = mt->columns[i];
        if (cat_table_find_column(dt, mc->name) || extras_skipped(c, dt, ORM_SKIP_EXTRA_COLUMNS))
            continue;
        cat_origin where = column_origin(c, mt, mc);
        diag *d = at_migration(c, "drift-extra-column", &where,
                               arena_printf(c->ctx->a,
                                            "column %s.%s is created by the migrations but not "
                                            "declared in %s",
                                            tn, mc->name, where_declared(c, table_loc(c, dt))));
        drift_help(c->ctx, d, "declare %s %s in %s, or drop it: ALTER TABLE %s DROP COLUMN %s;",
                   mc->name, mc->type ? mc->type : "", where_declared(c, table_loc(c, dt)), qt,
                   qi(c, mc->name));
    }
}

/* ---- indexes ---- */

/* What an index does, as a comparable string: "u:email" or "p:id" or ":a,lower(b)". */
static const char *index_key(cmp *c, const cat_index *ix)
{
    strbuf b = STRBUF_INIT;
    strbuf_puts(&b, ix->primary ? "p:" : ix->unique ? "u:" : ":");
    for (size_t i = 0; i < ix->nkeys; i++) {
        if (i)
            strbuf_putc(&b, ',');
        strbuf_puts(&b, ix->keys[i].column ? ix->keys[i].column->name
                        : ix->keys[i].expr ? ix->keys[i].expr
                                           : "?");
    }
    const char *out = arena_strdup(c->ctx->a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}

/* On MySQL an index matches one index of the other side only: `.unique()`
 * beside a uniqueIndex() on the same column makes two identical unique
 * indexes there (MySQL keeps both), and dropping one is drift. taken marks
 * the other side's indexes already matched (NULL: any may match again, as
 * on PostgreSQL). */
static const cat_index *find_index_once(cmp *c, const cat_table *t, const cat_index *ix,
                                        bool *taken)
{
    const char *key = index_key(c, ix);
    /* the same name first, so the one reported is the one that went */
    for (int pass = taken ? 0 : 1; pass < 2; pass++)
        for (size_t i = 0; i < t->nindexes; i++)
            if ((!taken || !taken[i]) && !strcmp(index_key(c, t->indexes[i]), key) &&
                (pass || !strcmp(t->indexes[i]->rel.name, ix->rel.name))) {
                if (taken)
                    taken[i] = true;
                return t->indexes[i];
            }
    return NULL;
}

static const char *index_cols(cmp *c, const cat_index *ix)
{
    strbuf b = STRBUF_INIT;
    strbuf_putc(&b, '(');
    for (size_t i = 0; i < ix->nkeys; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "",
                      ix->keys[i].column ? qi(c, ix->keys[i].column->name)
                      : ix->keys[i].expr ? ix->keys[i].expr
                                         : "?");
    strbuf_putc(&b, ')');
    const char *out = arena_strdup(c->ctx->a, b.data);
    strbuf_free(&b);
    return out;
}

static const char *index_what(const cat_index *ix)
{
    return ix->primary ? "primary key" : ix->unique ? "unique index" : "index";
}

static const cat_origin *index_origin(const cat_index *ix)
{
    return ix->constraint ? &ix->constraint->origin : &ix->rel.origin;
}

/* The ORM location of an index: its statement in the model's DDL, or for a
 * column's own PRIMARY KEY / UNIQUE, that column's line. */
static const orm_loc *index_loc(cmp *c, const cat_table *t, const cat_index *ix)
{
    const orm_loc *loc =
        c->side->ddl ? orm_ddl_loc_at(c->side->ddl, index_origin(ix)->start) : NULL;
    const orm_loc *tl = table_loc(c, t);
    bool in_table = !loc || (tl && loc->line == tl->line && loc->col == tl->col &&
                             !strcmp(loc->path ? loc->path : "", tl->path ? tl->path : ""));
    if (in_table && ix->nkeys == 1 && ix->keys[0].column)
        return column_loc(c, t, ix->keys[0].column);
    return loc;
}

static bool has_key_column(const cat_index *ix, const char *name)
{
    for (size_t i = 0; i < ix->nkeys; i++)
        if (ix->keys[i].column && !strcmp(ix->keys[i].column->name, name))
            return true;
    return false;
}

/* Whether the skipped ORM index s could be the migrations' index ix: the
 * same name when the ORM gives one, else the same uniqueness and every key
 * column the extractor could read. */
static bool could_be(const orm_index *s, const cat_index *ix)
{
    if (s->name)
        return !strcmp(s->name, ix->rel.name) ||
               (ix->constraint && ix->constraint->name && !strcmp(s->name, ix->constraint->name));
    if (s->unique != (ix->unique || ix->primary)) /* a unique key may be the primary key */
        return false;
    for (size_t i = 0; i < s->ncolumns; i++)
        if (!has_key_column(ix, s->columns[i]))
            return false;
    return true;
}

/* A migrations index the declaration has as a skipped index (its keys not
 * read): left out of the comparison. Each skipped index excuses one. */
static bool excused_index(cmp *c, const cat_table *t, const cat_index *ix, bool *used)
{
    const orm_table *ot = model_table(c, t);
    if (!ot)
        return false;
    if (ot->skip & ORM_SKIP_EXTRA_INDEXES)
        return true;
    /* an index on a column left out (ORM_SKIP_EXTRA_COLUMNS) goes with it */
    for (size_t k = 0; (ot->skip & ORM_SKIP_EXTRA_COLUMNS) && k < ix->nkeys; k++)
        if (ix->keys[k].column && !cat_table_find_column(t, ix->keys[k].column->name))
            return true;
    for (size_t i = 0; i < ot->nindexes; i++)
        if (ot->indexes[i].skipped && !used[i] && could_be(&ot->indexes[i], ix)) {
            used[i] = true;
            return true;
        }
    return false;
}

static void compare_indexes(cmp *c, const cat_table *dt, const cat_table *mt)
{
    const char *tn = tname(c, dt), *qt = qtable(c, dt);
    const orm_table *ot = model_table(c, dt);
    bool *used = calloc(ot && ot->nindexes ? ot->nindexes : 1, sizeof *used);
    bool *taken_m = c->side->mysql ? calloc(mt->nindexes + 1, sizeof *taken_m) : NULL;
    if (!used || (c->side->mysql && !taken_m))
        abort();
    for (size_t i = 0; i < dt->nindexes; i++) {
        const cat_index *ix = dt->indexes[i];
        /* The index InnoDB adds for a foreign key no index serves is no
         * one's declaration: the foreign keys are compared instead. */
        if (ix->innodb_fk || find_index_once(c, mt, ix, taken_m))
            continue;
        const orm_loc *loc = index_loc(c, dt, ix);
        diag *d = at_declared(c, "drift-index", loc, index_origin(ix),
                              arena_printf(c->ctx->a,
                                           "%s %s on %s %s is declared in %s but no migration "
                                           "creates it",
                                           index_what(ix), ix->rel.name, tn, index_cols(c, ix),
                                           where_declared(c, loc)));
        if (ix->primary)
            drift_help(c->ctx, d, "ALTER TABLE %s ADD PRIMARY KEY %s;", qt, index_cols(c, ix));
        else if (c->side->mysql) /* InnoDB builds secondary indexes online */
            drift_help(c->ctx, d, "CREATE %sINDEX %s ON %s %s ALGORITHM=INPLACE LOCK=NONE;",
                       ix->unique ? "UNIQUE " : "", qi(c, ix->rel.name), qt, index_cols(c, ix));
        else
            drift_help(c->ctx, d, "CREATE %sINDEX CONCURRENTLY %s ON %s %s;",
                       ix->unique ? "UNIQUE " : "", qi(c, ix->rel.name), qt, index_cols(c, ix));
    }
    for (size_t i = 0; i < mt->nindexes; i++) {
        const cat_index *ix = mt->indexes[i];
        if (ix->innodb_fk || (taken_m ? taken_m[i] : find_index_once(c, dt, ix, NULL) != NULL) ||
            excused_index(c, dt, ix, used))
            continue;
        diag *d = at_migration(c, "drift-index", index_origin(ix),
                               arena_printf(c->ctx->a,
                                            "%s %s on %s %s is created by the migrations but not "
                                            "declared in %s",
                                            index_what(ix), ix->rel.name, tn, index_cols(c, ix),
                                            where_declared(c, table_loc(c, dt))));
        if (c->side->mysql) /* a unique key is an index there */
            drift_help(
                c->ctx, d, "declare it in %s, or: DROP INDEX %s ON %s;",
                where_declared(c, table_loc(c, dt)),
                qi(c, ix->constraint && ix->constraint->name ? ix->constraint->name : ix->rel.name),
                qt);
        else if (ix->constraint)
            drift_help(c->ctx, d, "declare it in %s, or: ALTER TABLE %s DROP CONSTRAINT %s;",
                       where_declared(c, table_loc(c, dt)), qt, qi(c, ix->constraint->name));
        else
            drift_help(c->ctx, d, "declare it in %s, or: DROP INDEX CONCURRENTLY %s;",
                       where_declared(c, table_loc(c, dt)), qi(c, ix->rel.name));
    }
    free(used);
    free(taken_m);
}

/* ---- foreign keys ---- */

static const char *fk_target(cmp *c, const cat_constraint *k)
{
    strbuf b = STRBUF_INIT;
    strbuf_putc(&b, '(');
    for (size_t i = 0; i < k->ncolumns; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", k->columns[i]->name);
    strbuf_puts(&b, ") -> ");
    char buf[512];
    strbuf_puts(&b, k->ref_table ? cat_display_name(&k->ref_table->rel, buf, sizeof buf) : "?");
    strbuf_putc(&b, '(');
    for (size_t i = 0; i < k->nref_columns; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", k->ref_columns[i]->name);
    strbuf_putc(&b, ')');
    const char *out = arena_strdup(c->ctx->a, b.data);
    strbuf_free(&b);
    return out;
}

static const char *action_name(char a)
{
    switch (a) {
    case 'r':
        return "RESTRICT";
    case 'c':
        return "CASCADE";
    case 'n':
        return "SET NULL";
    case 'd':
        return "SET DEFAULT";
    default:
        return "NO ACTION";
    }
}

static const cat_constraint *find_fk(cmp *c, const cat_table *t, const char *target)
{
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i]->type == CAT_CON_FOREIGN &&
            !strcmp(fk_target(c, t->constraints[i]), target))
            return t->constraints[i];
    return NULL;
}

static const char *fk_sql(cmp *c, const cat_table *t, const cat_constraint *k)
{
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "ALTER TABLE %s ADD FOREIGN KEY (", qtable(c, t));
    for (size_t i = 0; i < k->ncolumns; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", qi(c, k->columns[i]->name));
    strbuf_printf(&b, ") REFERENCES %s (", k->ref_table ? qtable(c, k->ref_table) : "?");
    for (size_t i = 0; i < k->nref_columns; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", qi(c, k->ref_columns[i]->name));
    strbuf_putc(&b, ')');
    if (k->on_delete && k->on_delete != 'a')
        strbuf_printf(&b, " ON DELETE %s", action_name(k->on_delete));
    if (k->on_update && k->on_update != 'a')
        strbuf_printf(&b, " ON UPDATE %s", action_name(k->on_update));
    strbuf_puts(&b, c->side->mysql ? ";" : " NOT VALID;");
    const char *out = arena_strdup(c->ctx->a, b.data);
    strbuf_free(&b);
    return out;
}

static char action_of(char a)
{
    return a ? a : 'a';
}

/* A foreign key on a column left out (ORM_SKIP_EXTRA_COLUMNS) goes with it. */
static bool on_left_out_column(cmp *c, const cat_table *dt, const cat_constraint *k)
{
    if (!extras_skipped(c, dt, ORM_SKIP_EXTRA_COLUMNS))
        return false;
    for (size_t i = 0; i < k->ncolumns; i++)
        if (!cat_table_find_column(dt, k->columns[i]->name))
            return true;
    return false;
}

static void compare_fks(cmp *c, const cat_table *dt, const cat_table *mt)
{
    const char *tn = tname(c, dt), *qt = qtable(c, dt);
    for (size_t i = 0; i < dt->nconstraints; i++) {
        const cat_constraint *k = dt->constraints[i];
        if (k->type != CAT_CON_FOREIGN)
            continue;
        const char *target = fk_target(c, k);
        const cat_constraint *m = find_fk(c, mt, target);
        const orm_loc *loc = c->side->ddl ? orm_ddl_loc_at(c->side->ddl, k->origin.start) : NULL;
        if (!m) {
            diag *d = at_declared(c, "drift-foreign-key", loc, &k->origin,
                                  arena_printf(c->ctx->a,
                                               "foreign key %s %s is declared in %s but no "
                                               "migration creates it",
                                               tn, target, where_declared(c, loc)));
            if (c->side->mysql) /* no NOT VALID: SET foreign_key_checks = 0 keeps it INPLACE */
                drift_help(c->ctx, d, "%s", fk_sql(c, dt, k));
            else
                drift_help(c->ctx, d, "%s then VALIDATE CONSTRAINT", fk_sql(c, dt, k));
            continue;
        }
        if (action_of(k->on_delete) != action_of(m->on_delete) ||
            action_of(k->on_update) != action_of(m->on_update)) {
            diag *d = at_declared(
                c, "drift-foreign-key", loc, &k->origin,
                arena_printf(c->ctx->a,
                             "foreign key %s %s is ON DELETE %s ON UPDATE %s in %s, ON DELETE %s "
                             "ON UPDATE %s in the migrations",
                             tn, target, action_name(k->on_delete), action_name(k->on_update),
                             where_declared(c, loc), action_name(m->on_delete),
                             action_name(m->on_update)));
            drift_help(c->ctx, d, "ALTER TABLE %s DROP %s %s; %s", qt,
                       c->side->mysql ? "FOREIGN KEY" : "CONSTRAINT", qi(c, m->name),
                       fk_sql(c, dt, k));
        }
    }
    for (size_t i = 0; i < mt->nconstraints; i++) {
        const cat_constraint *k = mt->constraints[i];
        if (k->type != CAT_CON_FOREIGN || find_fk(c, dt, fk_target(c, k)) ||
            extras_skipped(c, dt, ORM_SKIP_EXTRA_FKS) || on_left_out_column(c, dt, k))
            continue;
        diag *d =
            at_migration(c, "drift-foreign-key", &k->origin,
                         arena_printf(c->ctx->a,
                                      "foreign key %s %s is created by the migrations but "
                                      "not declared in %s",
                                      tn, fk_target(c, k), where_declared(c, table_loc(c, dt))));
        drift_help(c->ctx, d, "declare it in %s, or: ALTER TABLE %s DROP %s %s;",
                   where_declared(c, table_loc(c, dt)), qt,
                   c->side->mysql ? "FOREIGN KEY" : "CONSTRAINT", qi(c, k->name));
    }
}

/* ---- tables ---- */

static const char *create_table_sql(cmp *c, const cat_table *t)
{
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "CREATE TABLE %s (", qtable(c, t));
    for (size_t i = 0; i < t->ncolumns; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", column_sql(c, t->columns[i]));
    strbuf_puts(&b, ");");
    const char *out = arena_strdup(c->ctx->a, b.data);
    strbuf_free(&b);
    return out;
}

static void compare_tables(cmp *c)
{
    const catalog *dcat = c->side->cat;
    for (size_t i = 0; i < catalog_table_count(dcat); i++) {
        const cat_table *dt = catalog_table_at(dcat, i);
        if (!is_table(dt))
            continue;
        const cat_table *mt = catalog_find_table(c->mig, dt->rel.schema, dt->rel.name);
        if (!mt || !is_table(mt)) {
            const orm_loc *loc = table_loc(c, dt);
            diag *d = at_declared(c, "drift-missing-table", loc, &dt->rel.origin,
                                  arena_printf(c->ctx->a,
                                               "table %s is declared in %s but no migration "
                                               "creates it",
                                               tname(c, dt), where_declared(c, loc)));
            drift_help(c->ctx, d, "%s", create_table_sql(c, dt));
            continue;
        }
        compare_columns(c, dt, mt);
        compare_indexes(c, dt, mt);
        compare_fks(c, dt, mt);
    }
    for (size_t i = 0; i < catalog_table_count(c->mig); i++) {
        const cat_table *mt = catalog_table_at(c->mig, i);
        /* Tables the platform provides (Supabase's auth.users) are not the
         * migrations' to declare. */
        if (!is_table(mt) || cat_rel_is_platform(&mt->rel) ||
            catalog_find_table(dcat, mt->rel.schema, mt->rel.name) ||
            (c->side->model && orm_table_skipped(c->side->model, mt->rel.schema, mt->rel.name)))
            continue;
        diag *d = at_migration(c, "drift-extra-table", &mt->rel.origin,
                               arena_printf(c->ctx->a,
                                            "table %s is created by the migrations but not "
                                            "declared in %s",
                                            tname(c, mt), c->side->label));
        drift_help(c->ctx, d, "declare it in %s, or drop it: DROP TABLE %s;", c->side->label,
                   qtable(c, mt));
    }
}

/* ---- enums ---- */

static const char *type_name(cmp *c, const cat_type *t)
{
    return is_public(t->schema) ? t->name : arena_printf(c->ctx->a, "%s.%s", t->schema, t->name);
}

/* The type's name as SQL needs it written (help text). */
static const char *qtype(cmp *c, const cat_type *t)
{
    return is_public(t->schema)
               ? qi(c, t->name)
               : arena_printf(c->ctx->a, "%s.%s", qi(c, t->schema), qi(c, t->name));
}

static const char *enum_values(cmp *c, const cat_type *t)
{
    strbuf b = STRBUF_INIT;
    strbuf_putc(&b, '(');
    for (size_t i = 0; i < t->nvalues; i++)
        strbuf_printf(&b, "%s'%s'", i ? ", " : "", t->values[i]);
    strbuf_putc(&b, ')');
    const char *out = arena_strdup(c->ctx->a, b.data);
    strbuf_free(&b);
    return out;
}

static bool has_value(const cat_type *t, const char *v)
{
    for (size_t i = 0; i < t->nvalues; i++)
        if (!strcmp(t->values[i], v))
            return true;
    return false;
}

static void compare_enum(cmp *c, const cat_type *dt, const cat_type *mt)
{
    const orm_enum *oe =
        c->side->model ? orm_find_enum(c->side->model, dt->schema, dt->name) : NULL;
    if (oe && oe->skipped)
        return; /* its labels were not read (a drift-skipped note says so) */
    const orm_loc *loc = c->side->ddl ? orm_ddl_loc_at(c->side->ddl, dt->origin.start) : NULL;
    /* Labels compare as a set: ORMs do not declare the order PostgreSQL
     * keeps (ALTER TYPE ... ADD VALUE appends), and their own schema diffs
     * ignore it. */
    bool same = dt->nvalues == mt->nvalues;
    for (size_t i = 0; same && i < dt->nvalues; i++)
        same = has_value(mt, dt->values[i]);
    if (same)
        return;
    diag *d = at_declared(c, "drift-enum", loc, &dt->origin,
                          arena_printf(c->ctx->a, "enum %s is %s in %s, %s in the migrations",
                                       type_name(c, dt), enum_values(c, dt), where_declared(c, loc),
                                       enum_values(c, mt)));
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < dt->nvalues; i++)
        if (!has_value(mt, dt->values[i]))
            strbuf_printf(&b, "%sALTER TYPE %s ADD VALUE '%s';", b.len ? " " : "", qtype(c, dt),
                          dt->values[i]);
    for (size_t i = 0; i < mt->nvalues; i++)
        if (!has_value(dt, mt->values[i]))
            strbuf_printf(&b,
                          "%s-- '%s' is only in the migrations: removing an enum value "
                          "means recreating the type",
                          b.len ? " " : "", mt->values[i]);
    drift_help(c->ctx, d, "%s", b.data);
    strbuf_free(&b);
}

static void compare_enums(cmp *c)
{
    const catalog *dcat = c->side->cat;
    for (size_t i = 0; i < catalog_type_count(dcat); i++) {
        const cat_type *dt = catalog_type_at(dcat, i);
        if (dt->kind != CAT_ENUM)
            continue;
        const cat_type *mt = catalog_find_type(c->mig, dt->schema, dt->name);
        if (mt && mt->kind == CAT_ENUM) {
            compare_enum(c, dt, mt);
            continue;
        }
        const orm_loc *loc = c->side->ddl ? orm_ddl_loc_at(c->side->ddl, dt->origin.start) : NULL;
        diag *d = at_declared(c, "drift-enum", loc, &dt->origin,
                              arena_printf(c->ctx->a,
                                           "enum %s is declared in %s but no migration creates it",
                                           type_name(c, dt), where_declared(c, loc)));
        drift_help(c->ctx, d, "CREATE TYPE %s AS ENUM %s;", qtype(c, dt), enum_values(c, dt));
    }
    for (size_t i = 0; i < catalog_type_count(c->mig); i++) {
        const cat_type *mt = catalog_type_at(c->mig, i);
        if (mt->kind != CAT_ENUM || catalog_find_type(dcat, mt->schema, mt->name))
            continue;
        diag *d = at_migration(c, "drift-enum", &mt->origin,
                               arena_printf(c->ctx->a,
                                            "enum %s is created by the migrations but not "
                                            "declared in %s",
                                            type_name(c, mt), c->side->label));
        drift_help(c->ctx, d, "declare it in %s, or: DROP TYPE %s;", c->side->label, qtype(c, mt));
    }
}

size_t drift_compare(drift_ctx *ctx, const catalog *migrations, const drift_side *declared)
{
    cmp c = {ctx, declared, migrations, 0};
    compare_enums(&c);
    compare_tables(&c);
    return c.count;
}
