/* ddl.c - an ORM schema model as replayable PostgreSQL DDL (see ddl.h). */
#include "ddl.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../sql/sql.h"

void orm_ddl_quote_ident(strbuf *b, const char *name)
{
    strbuf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            strbuf_putc(b, '"');
        strbuf_putc(b, *p);
    }
    strbuf_putc(b, '"');
}

static bool is_plain_ident(const char *s)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || *p == '$' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80))
            return false;
    return true;
}

/* A key column, or an expression an extractor wrote as SQL (lower(email)). */
static void put_key(strbuf *b, const char *key)
{
    if (is_plain_ident(key))
        orm_ddl_quote_ident(b, key);
    else
        strbuf_puts(b, key);
}

static void put_qualified(strbuf *b, const char *schema, const char *name)
{
    if (schema && strcmp(schema, "public") != 0) {
        orm_ddl_quote_ident(b, schema);
        strbuf_putc(b, '.');
    }
    orm_ddl_quote_ident(b, name);
}

static void put_list(strbuf *b, const char *const *items, size_t n)
{
    strbuf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(b, ", ");
        put_key(b, items[i]);
    }
    strbuf_putc(b, ')');
}

/* The enum a type spelling names ("mood", "mood[]"), if the model declares it:
 * its name is then quoted, since ORMs keep enum names' case. */
static const orm_enum *type_enum(const orm_schema *s, const char *type, size_t *namelen)
{
    size_t n = strlen(type);
    while (n > 2 && type[n - 2] == '[' && type[n - 1] == ']')
        n -= 2;
    for (size_t i = 0; i < s->nenums; i++)
        if (strlen(s->enums[i].name) == n && strncmp(s->enums[i].name, type, n) == 0) {
            *namelen = n;
            return &s->enums[i];
        }
    return NULL;
}

static void put_type(strbuf *b, const orm_schema *s, const char *type)
{
    size_t n;
    const orm_enum *e = type_enum(s, type, &n);
    if (!e) {
        strbuf_puts(b, type);
        return;
    }
    put_qualified(b, e->schema, e->name);
    strbuf_puts(b, type + n);
}

static void put_action(strbuf *b, const char *what, const char *action)
{
    if (action && *action)
        strbuf_printf(b, " ON %s %s", what, action);
}

typedef struct writer {
    strbuf b;
    orm_ddl *d;
} writer;

static void span_begin(writer *w, size_t *start)
{
    *start = w->b.len;
}

static void span_end(writer *w, size_t start, orm_loc loc)
{
    orm_ddl *d = w->d;
    strbuf_puts(&w->b, ";\n");
    if (d->nspans == d->capspans) {
        d->capspans = d->capspans ? d->capspans * 2 : 16;
        d->spans = realloc(d->spans, d->capspans * sizeof *d->spans);
        if (!d->spans)
            abort();
    }
    d->spans[d->nspans++] = (orm_ddl_span){start, w->b.len, loc};
}

static bool schema_seen(const orm_schema *s, size_t upto_table, size_t upto_enum, const char *name)
{
    for (size_t i = 0; i < upto_enum; i++)
        if (s->enums[i].schema && !strcmp(s->enums[i].schema, name))
            return true;
    for (size_t i = 0; i < upto_table; i++)
        if (s->tables[i].schema && !strcmp(s->tables[i].schema, name))
            return true;
    return false;
}

static void write_schema(writer *w, const orm_schema *s, const char *name, size_t ti, size_t ei,
                         orm_loc loc)
{
    if (!name || !strcmp(name, "public") || schema_seen(s, ti, ei, name))
        return;
    size_t start;
    span_begin(w, &start);
    strbuf_puts(&w->b, "CREATE SCHEMA IF NOT EXISTS ");
    orm_ddl_quote_ident(&w->b, name);
    span_end(w, start, loc);
}

static void write_enum(writer *w, const orm_enum *e)
{
    size_t start;
    span_begin(w, &start);
    strbuf_puts(&w->b, "CREATE TYPE ");
    put_qualified(&w->b, e->schema, e->name);
    strbuf_puts(&w->b, " AS ENUM (");
    for (size_t i = 0; i < e->nvalues; i++) {
        if (i)
            strbuf_puts(&w->b, ", ");
        sql_put_literal(&w->b, e->values[i]);
    }
    strbuf_putc(&w->b, ')');
    span_end(w, start, e->loc);
}

static void write_column(writer *w, const orm_schema *s, const orm_column *c)
{
    strbuf_puts(&w->b, "\n  ");
    orm_ddl_quote_ident(&w->b, c->name);
    strbuf_putc(&w->b, ' ');
    put_type(&w->b, s, c->sql_type ? c->sql_type : "text"); /* unknown: not compared */
    if (c->default_sql)
        strbuf_printf(&w->b, " DEFAULT %s", c->default_sql);
    if (c->not_null)
        strbuf_puts(&w->b, " NOT NULL");
    if (c->primary_key)
        strbuf_puts(&w->b, " PRIMARY KEY");
    if (c->unique)
        strbuf_puts(&w->b, " UNIQUE");
}

static void write_table(writer *w, const orm_schema *s, const orm_table *t)
{
    size_t start;
    span_begin(w, &start);
    strbuf_puts(&w->b, "CREATE TABLE ");
    put_qualified(&w->b, t->schema, t->name);
    strbuf_puts(&w->b, " (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        write_column(w, s, &t->columns[i]);
        if (i + 1 < t->ncolumns || t->nprimary_key)
            strbuf_putc(&w->b, ',');
    }
    if (t->nprimary_key) {
        strbuf_puts(&w->b, "\n  PRIMARY KEY ");
        put_list(&w->b, t->primary_key, t->nprimary_key);
    }
    strbuf_puts(&w->b, "\n)");
    span_end(w, start, t->loc);
}

static void write_index(writer *w, const orm_table *t, const orm_index *ix)
{
    size_t start;
    span_begin(w, &start);
    strbuf_puts(&w->b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (ix->name) {
        orm_ddl_quote_ident(&w->b, ix->name);
        strbuf_putc(&w->b, ' ');
    }
    strbuf_puts(&w->b, "ON ");
    put_qualified(&w->b, t->schema, t->name);
    strbuf_putc(&w->b, ' ');
    put_list(&w->b, ix->columns, ix->ncolumns);
    span_end(w, start, ix->loc);
}

static void write_fk_head(writer *w, const orm_table *t, const char *name)
{
    strbuf_puts(&w->b, "ALTER TABLE ");
    put_qualified(&w->b, t->schema, t->name);
    strbuf_puts(&w->b, " ADD ");
    if (name) {
        strbuf_puts(&w->b, "CONSTRAINT ");
        orm_ddl_quote_ident(&w->b, name);
        strbuf_putc(&w->b, ' ');
    }
    strbuf_puts(&w->b, "FOREIGN KEY ");
}

static void write_inline_fk(writer *w, const orm_table *t, const orm_column *c)
{
    size_t start;
    span_begin(w, &start);
    write_fk_head(w, t, NULL);
    put_list(&w->b, &c->name, 1);
    strbuf_puts(&w->b, " REFERENCES ");
    put_qualified(&w->b, c->ref_schema, c->ref_table);
    if (c->ref_column) {
        strbuf_putc(&w->b, ' ');
        put_list(&w->b, &c->ref_column, 1);
    }
    put_action(&w->b, "DELETE", c->on_delete);
    put_action(&w->b, "UPDATE", c->on_update);
    span_end(w, start, c->loc);
}

static void write_fk(writer *w, const orm_table *t, const orm_foreign_key *fk)
{
    size_t start;
    span_begin(w, &start);
    write_fk_head(w, t, fk->name);
    put_list(&w->b, fk->columns, fk->ncolumns);
    strbuf_puts(&w->b, " REFERENCES ");
    put_qualified(&w->b, fk->ref_schema, fk->ref_table);
    if (fk->nref_columns) {
        strbuf_putc(&w->b, ' ');
        put_list(&w->b, fk->ref_columns, fk->nref_columns);
    }
    put_action(&w->b, "DELETE", fk->on_delete);
    put_action(&w->b, "UPDATE", fk->on_update);
    span_end(w, start, fk->loc);
}

void orm_schema_to_sql(const orm_schema *s, orm_ddl *out)
{
    if (s->mysql) {
        orm_schema_to_mysql(s, out);
        return;
    }
    memset(out, 0, sizeof *out);
    writer w = {STRBUF_INIT, out};
    strbuf_puts(&w.b, "");
    for (size_t i = 0; i < s->nenums; i++)
        write_schema(&w, s, s->enums[i].schema, 0, i, s->enums[i].loc);
    for (size_t i = 0; i < s->ntables; i++)
        write_schema(&w, s, s->tables[i].schema, i, s->nenums, s->tables[i].loc);
    for (size_t i = 0; i < s->nenums; i++)
        write_enum(&w, &s->enums[i]);
    for (size_t i = 0; i < s->ntables; i++)
        write_table(&w, s, &s->tables[i]);
    for (size_t i = 0; i < s->ntables; i++)
        for (size_t j = 0; j < s->tables[i].nindexes; j++)
            if (!s->tables[i].indexes[j].skipped) /* keys unknown: not declared, not compared */
                write_index(&w, &s->tables[i], &s->tables[i].indexes[j]);
    for (size_t i = 0; i < s->ntables && !s->no_foreign_keys; i++) {
        const orm_table *t = &s->tables[i];
        for (size_t j = 0; j < t->ncolumns; j++)
            if (t->columns[j].ref_table)
                write_inline_fk(&w, t, &t->columns[j]);
        for (size_t j = 0; j < t->nfks; j++)
            write_fk(&w, t, &t->fks[j]);
    }
    out->len = w.b.len;
    out->sql = strbuf_detach(&w.b);
}

void orm_ddl_free(orm_ddl *d)
{
    free(d->sql);
    free(d->spans);
    memset(d, 0, sizeof *d);
}

const orm_loc *orm_ddl_loc_at(const orm_ddl *d, size_t at)
{
    for (size_t i = 0; i < d->nspans; i++)
        if (at >= d->spans[i].start && at < d->spans[i].end)
            return &d->spans[i].loc;
    return NULL;
}
