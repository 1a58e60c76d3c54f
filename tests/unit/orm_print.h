/* orm_print.h - the ORM model as text, one object per line, so the
 * extractor tests compare a whole model with the expectation they spell
 * out (tables, columns with type, NOT NULL, PK, UNIQUE, DEFAULT, FK,
 * indexes, enums, notes, each with its line:col). */
#ifndef MIGRALINT_ORM_PRINT_H
#define MIGRALINT_ORM_PRINT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../src/orm/model.h"

static inline void orm_print_add(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void orm_print_add(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    if (len < size)
        vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

static inline void orm_print_list(char *buf, size_t size, const char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        orm_print_add(buf, size, "%s%s", i ? "," : "", items[i]);
}

static inline void orm_print(const orm_schema *s, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t e = 0; e < s->nenums; e++) {
        const orm_enum *en = &s->enums[e];
        orm_print_add(buf, size, "enum %s%s%s ", en->schema ? en->schema : "",
                      en->schema ? "." : "", en->name);
        orm_print_list(buf, size, en->values, en->nvalues);
        orm_print_add(buf, size, " @%u:%u\n", en->loc.line, en->loc.col);
    }
    for (size_t i = 0; i < s->ntables; i++) {
        const orm_table *t = &s->tables[i];
        orm_print_add(buf, size, "table %s%s%s @%u:%u\n", t->schema ? t->schema : "",
                      t->schema ? "." : "", t->name, t->loc.line, t->loc.col);
        for (size_t j = 0; j < t->ncolumns; j++) {
            const orm_column *c = &t->columns[j];
            orm_print_add(buf, size, "  %s %s%s%s%s", c->name, c->sql_type,
                          c->not_null ? " NOT NULL" : "", c->primary_key ? " PK" : "",
                          c->unique ? " UNIQUE" : "");
            if (c->default_sql)
                orm_print_add(buf, size, " DEFAULT %s", c->default_sql);
            if (c->ref_table)
                orm_print_add(buf, size, " FK %s%s%s(%s)", c->ref_schema ? c->ref_schema : "",
                              c->ref_schema ? "." : "", c->ref_table,
                              c->ref_column ? c->ref_column : "");
            if (c->on_delete)
                orm_print_add(buf, size, " ON DELETE %s", c->on_delete);
            if (c->on_update)
                orm_print_add(buf, size, " ON UPDATE %s", c->on_update);
            orm_print_add(buf, size, " @%u:%u\n", c->loc.line, c->loc.col);
        }
        if (t->nprimary_key) {
            orm_print_add(buf, size, "  pk ");
            orm_print_list(buf, size, t->primary_key, t->nprimary_key);
            orm_print_add(buf, size, "\n");
        }
        for (size_t j = 0; j < t->nindexes; j++) {
            const orm_index *ix = &t->indexes[j];
            orm_print_add(buf, size, "  %s %s (", ix->unique ? "unique" : "index",
                          ix->name ? ix->name : "-");
            orm_print_list(buf, size, ix->columns, ix->ncolumns);
            orm_print_add(buf, size, ") @%u:%u\n", ix->loc.line, ix->loc.col);
        }
        for (size_t j = 0; j < t->nfks; j++) {
            const orm_foreign_key *fk = &t->fks[j];
            orm_print_add(buf, size, "  fk %s (", fk->name ? fk->name : "-");
            orm_print_list(buf, size, fk->columns, fk->ncolumns);
            orm_print_add(buf, size, ") %s%s%s(", fk->ref_schema ? fk->ref_schema : "",
                          fk->ref_schema ? "." : "", fk->ref_table ? fk->ref_table : "?");
            orm_print_list(buf, size, fk->ref_columns, fk->nref_columns);
            orm_print_add(buf, size, ")%s%s%s%s @%u:%u\n", fk->on_delete ? " ON DELETE " : "",
                          fk->on_delete ? fk->on_delete : "", fk->on_update ? " ON UPDATE " : "",
                          fk->on_update ? fk->on_update : "", fk->loc.line, fk->loc.col);
        }
    }
    for (size_t i = 0; i < s->nnotes; i++)
        orm_print_add(buf, size, "note %s:%u:%u %s\n", s->notes[i].loc.path, s->notes[i].loc.line,
                      s->notes[i].loc.col, s->notes[i].message);
}

#endif
