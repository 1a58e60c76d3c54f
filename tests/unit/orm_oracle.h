/* orm_oracle.h - compares an extracted ORM model with the DDL the ORM
 * itself generates (SQLAlchemy's CreateTable, Django's schema editor, run
 * by the scripts in tests/orm/ with Debian's packages). Both sides are replayed into
 * catalogs (src/catalog), so types and defaults compare in PostgreSQL's
 * normalized spelling; the model side goes through a plain CREATE TABLE
 * written here, which is enough for columns, types, nullability and
 * defaults (drift's own model-to-DDL step is not this code). */
#ifndef MIGRALINT_ORM_ORACLE_H
#define MIGRALINT_ORM_ORACLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/catalog/catalog.h"
#include "orm_print.h"

static inline void oracle_replay(catalog *c, const char *sql)
{
    source *src = source_new("oracle.sql", sql, strlen(sql));
    sql_file *f = sql_file_parse(src, 0, src->len);
    catalog_apply_file(c, f, NULL, NULL);
    sql_file_free(f);
    source_free(src);
}

static inline char *oracle_model_ddl(const orm_schema *s)
{
    size_t size = 1 << 16;
    char *b = calloc(1, size);
    for (size_t i = 0; i < s->nenums; i++) {
        orm_print_add(b, size, "CREATE TYPE \"%s\" AS ENUM (", s->enums[i].name);
        for (size_t j = 0; j < s->enums[i].nvalues; j++)
            orm_print_add(b, size, "%s'%s'", j ? ", " : "", s->enums[i].values[j]);
        orm_print_add(b, size, ");\n");
    }
    for (size_t i = 0; i < s->ntables; i++) {
        const orm_table *t = &s->tables[i];
        if (t->schema)
            orm_print_add(b, size, "CREATE SCHEMA IF NOT EXISTS \"%s\";\n", t->schema);
        orm_print_add(b, size, "CREATE TABLE %s%s%s\"%s\" (", t->schema ? "\"" : "",
                      t->schema ? t->schema : "", t->schema ? "\"." : "", t->name);
        for (size_t j = 0; j < t->ncolumns; j++) {
            const orm_column *c = &t->columns[j];
            orm_print_add(b, size, "%s\"%s\" %s%s", j ? ", " : "", c->name, c->sql_type,
                          c->not_null ? " NOT NULL" : "");
            if (c->default_sql)
                orm_print_add(b, size, " DEFAULT %s", c->default_sql);
        }
        orm_print_add(b, size, ");\n");
    }
    return b;
}

/* Writes the differences (one per line) into out; empty when none. */
static inline void oracle_compare(const orm_schema *s, const char *oracle_sql, char *out,
                                  size_t size)
{
    out[0] = '\0';
    catalog *want = catalog_new(), *got = catalog_new();
    oracle_replay(want, oracle_sql);
    char *ddl = oracle_model_ddl(s);
    oracle_replay(got, ddl);
    free(ddl);
    for (size_t i = 0; i < s->ntables; i++) {
        const orm_table *mt = &s->tables[i];
        const cat_table *w = catalog_find_table(want, mt->schema, mt->name);
        const cat_table *g = catalog_find_table(got, mt->schema, mt->name);
        if (!g) {
            orm_print_add(out, size, "model table %s does not replay\n", mt->name);
            continue;
        }
        if (!w) {
            orm_print_add(out, size, "table %s is not in the ORM's DDL\n", mt->name);
            continue;
        }
        for (size_t j = 0; j < w->ncolumns; j++) {
            const cat_column *wc = w->columns[j], *gc = cat_table_find_column(g, wc->name);
            if (!gc) {
                orm_print_add(out, size, "%s.%s missing\n", mt->name, wc->name);
                continue;
            }
            if (strcmp(wc->type, gc->type))
                orm_print_add(out, size, "%s.%s type %s, ORM says %s\n", mt->name, wc->name,
                              gc->type, wc->type);
            if (wc->not_null != gc->not_null)
                orm_print_add(out, size, "%s.%s not null %d, ORM says %d\n", mt->name, wc->name,
                              gc->not_null, wc->not_null);
            const char *wd = wc->default_expr ? wc->default_expr : "-";
            const char *gd = gc->default_expr ? gc->default_expr : "-";
            if (strcmp(wd, gd))
                orm_print_add(out, size, "%s.%s default %s, ORM says %s\n", mt->name, wc->name, gd,
                              wd);
        }
        for (size_t j = 0; j < g->ncolumns; j++)
            if (!cat_table_find_column(w, g->columns[j]->name))
                orm_print_add(out, size, "%s.%s extra\n", mt->name, g->columns[j]->name);
    }
    catalog_free(want);
    catalog_free(got);
}

/* The output of a command (the ORM's DDL), or NULL when it failed. */
static inline char *oracle_run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t got;
    while ((got = fread(b + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap)
            b = realloc(b, cap *= 2);
    }
    b[n] = '\0';
    if (pclose(p) != 0) {
        free(b);
        return NULL;
    }
    return b;
}

/* The whole file, or NULL. */
static inline char *oracle_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

#endif
