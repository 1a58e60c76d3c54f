/* ddl_mysql.c - a MySQL ORM model (Drizzle mysql-core, Prisma on MySQL) as
 * MySQL DDL, in the forms drizzle-kit generate writes: backquoted names,
 * `type AUTO_INCREMENT NOT NULL DEFAULT x ON UPDATE y`, the primary key and
 * unique keys as table constraints, CREATE INDEX, then foreign keys as
 * ALTER TABLE ... ADD CONSTRAINT once every table exists. Drift replays it
 * with the MySQL parser that reads the migrations, so both sides share one
 * normalization (serial, boolean = tinyint(1), defaults). MySQL has no
 * enum types: a column whose type names a model enum (Prisma) gets
 * enum('a','b') inline. Schemas (databases) are not written: one MySQL
 * database is one migrations folder. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../sql/sql.h"
#include "ddl.h"

static void put_ident(strbuf *b, const char *name)
{
    strbuf_putc(b, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            strbuf_putc(b, '`');
        strbuf_putc(b, *p);
    }
    strbuf_putc(b, '`');
}

static void put_list(strbuf *b, const char *const *items, size_t n)
{
    strbuf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_putc(b, ',');
        put_ident(b, items[i]);
    }
    strbuf_putc(b, ')');
}

typedef struct writer {
    strbuf b;
    orm_ddl *d;
    size_t start;
    arena *a;
} writer;

static void span_end(writer *w, orm_loc loc)
{
    orm_ddl *d = w->d;
    strbuf_puts(&w->b, ";\n");
    if (d->nspans == d->capspans) {
        d->capspans = d->capspans ? d->capspans * 2 : 16;
        d->spans = realloc(d->spans, d->capspans * sizeof *d->spans);
        if (!d->spans)
            abort();
    }
    d->spans[d->nspans++] = (orm_ddl_span){w->start, w->b.len, loc};
    w->start = w->b.len;
}

/* A Prisma enum named as a column type: written as MySQL's inline enum. */
static void put_type(strbuf *b, const orm_schema *s, const char *type)
{
    for (size_t i = 0; i < s->nenums; i++) {
        const orm_enum *e = &s->enums[i];
        if (strcmp(e->name, type) != 0)
            continue;
        strbuf_puts(b, "enum(");
        for (size_t k = 0; k < e->nvalues; k++) {
            if (k)
                strbuf_putc(b, ',');
            sql_put_literal(b, e->values[k]);
        }
        strbuf_putc(b, ')');
        return;
    }
    strbuf_puts(b, type);
}

static void write_column(writer *w, const orm_schema *s, const orm_column *c)
{
    strbuf_puts(&w->b, "\n\t");
    put_ident(&w->b, c->name);
    strbuf_putc(&w->b, ' ');
    put_type(&w->b, s, c->sql_type ? c->sql_type : "text"); /* unknown: not compared */
    if (c->auto_increment)
        strbuf_puts(&w->b, " AUTO_INCREMENT");
    if (c->not_null)
        strbuf_puts(&w->b, " NOT NULL");
    if (c->default_sql)
        strbuf_printf(&w->b, " DEFAULT %s", c->default_sql);
    if (c->on_update_sql)
        strbuf_printf(&w->b, " ON UPDATE %s", c->on_update_sql);
}

static void write_unique(writer *w, const char *name, const char *const *cols, size_t n)
{
    strbuf_puts(&w->b, ",\n\t");
    if (name) {
        strbuf_puts(&w->b, "CONSTRAINT ");
        put_ident(&w->b, name);
        strbuf_putc(&w->b, ' ');
    }
    strbuf_puts(&w->b, "UNIQUE");
    put_list(&w->b, cols, n);
}

static void write_table(writer *w, const orm_schema *s, const orm_table *t)
{
    strbuf_puts(&w->b, "CREATE TABLE ");
    put_ident(&w->b, t->name);
    strbuf_puts(&w->b, " (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (i)
            strbuf_putc(&w->b, ',');
        write_column(w, s, &t->columns[i]);
    }
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].primary_key && !t->nprimary_key) {
            strbuf_puts(&w->b, ",\n\tPRIMARY KEY");
            put_list(&w->b, &t->columns[i].name, 1);
        }
    if (t->nprimary_key) {
        strbuf_puts(&w->b, ",\n\tPRIMARY KEY");
        put_list(&w->b, t->primary_key, t->nprimary_key);
    }
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].unique)
            write_unique(w, NULL, &t->columns[i].name, 1);
    strbuf_puts(&w->b, "\n)");
    span_end(w, t->loc);
}

/* Unique indexes: a table constraint would be written inside CREATE TABLE,
 * where its statement (and so its ORM line) is the table's; a statement of
 * its own keeps the index's line. MySQL makes both the same index. */
static void write_index(writer *w, const orm_table *t, const orm_index *ix)
{
    strbuf_puts(&w->b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    put_ident(&w->b, ix->name ? ix->name
                              : arena_printf(w->a, "%s_%s_idx", t->name,
                                             ix->ncolumns ? ix->columns[0] : "key"));
    strbuf_puts(&w->b, " ON ");
    put_ident(&w->b, t->name);
    strbuf_putc(&w->b, ' ');
    put_list(&w->b, ix->columns, ix->ncolumns);
    span_end(w, ix->loc);
}

static void put_action(strbuf *b, const char *what, const char *action)
{
    if (action && *action)
        strbuf_printf(b, " ON %s %s", what, action);
}

static void write_fk(writer *w, const orm_table *t, const char *name, const char *const *cols,
                     size_t n, const char *ref_table, const char *const *ref_cols, size_t nref,
                     const char *on_delete, const char *on_update, orm_loc loc)
{
    strbuf_puts(&w->b, "ALTER TABLE ");
    put_ident(&w->b, t->name);
    strbuf_puts(&w->b, " ADD ");
    if (name) {
        strbuf_puts(&w->b, "CONSTRAINT ");
        put_ident(&w->b, name);
        strbuf_putc(&w->b, ' ');
    }
    strbuf_puts(&w->b, "FOREIGN KEY ");
    put_list(&w->b, cols, n);
    strbuf_puts(&w->b, " REFERENCES ");
    put_ident(&w->b, ref_table);
    if (nref)
        put_list(&w->b, ref_cols, nref);
    put_action(&w->b, "DELETE", on_delete);
    put_action(&w->b, "UPDATE", on_update);
    span_end(w, loc);
}

static void write_fks(writer *w, const orm_table *t)
{
    for (size_t j = 0; j < t->ncolumns; j++) {
        const orm_column *c = &t->columns[j];
        if (c->ref_table)
            write_fk(w, t, NULL, &c->name, 1, c->ref_table, &c->ref_column, c->ref_column ? 1 : 0,
                     c->on_delete, c->on_update, c->loc);
    }
    for (size_t j = 0; j < t->nfks; j++) {
        const orm_foreign_key *fk = &t->fks[j];
        write_fk(w, t, fk->name, fk->columns, fk->ncolumns, fk->ref_table, fk->ref_columns,
                 fk->nref_columns, fk->on_delete, fk->on_update, fk->loc);
    }
}

void orm_schema_to_mysql(const orm_schema *s, orm_ddl *out)
{
    memset(out, 0, sizeof *out);
    writer w = {STRBUF_INIT, out, 0, s->a};
    strbuf_puts(&w.b, "");
    for (size_t i = 0; i < s->ntables; i++)
        write_table(&w, s, &s->tables[i]);
    for (size_t i = 0; i < s->ntables; i++)
        for (size_t j = 0; j < s->tables[i].nindexes; j++)
            if (!s->tables[i].indexes[j].skipped)
                write_index(&w, &s->tables[i], &s->tables[i].indexes[j]);
    for (size_t i = 0; i < s->ntables && !s->no_foreign_keys; i++)
        write_fks(&w, &s->tables[i]);
    out->len = w.b.len;
    out->sql = strbuf_detach(&w.b);
}
