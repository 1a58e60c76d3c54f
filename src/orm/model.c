/* model.c - building an ORM schema model (see model.h). The element arrays
 * grow with realloc (tables hold arrays of their own), strings go to the
 * arena. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows *items (of elem bytes each) to hold one more, returns the new one. */
static void *grow(void **items, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *items = realloc(*items, *cap * elem);
        if (!*items)
            abort();
    }
    void *it = (char *)*items + (*n)++ * elem;
    memset(it, 0, elem);
    return it;
}

static const char *dup(orm_schema *s, const char *str)
{
    return str ? arena_strdup(s->a, str) : NULL;
}

void orm_schema_init(orm_schema *s, arena *a, const char *orm)
{
    static _Atomic unsigned long next_serial;
    memset(s, 0, sizeof *s);
    s->a = a;
    s->orm = orm;
    s->serial = ++next_serial;
}

void orm_schema_free(orm_schema *s)
{
    for (size_t i = 0; i < s->ntables; i++) {
        free(s->tables[i].columns);
        free(s->tables[i].indexes);
        free(s->tables[i].fks);
    }
    free(s->tables);
    free(s->enums);
    free(s->notes);
    memset(s, 0, sizeof *s);
}

orm_table *orm_add_table(orm_schema *s, const char *schema, const char *name, orm_loc loc)
{
    orm_table *t = grow((void **)&s->tables, &s->ntables, &s->captables, sizeof *t);
    t->schema = dup(s, schema);
    t->name = dup(s, name);
    t->loc = loc;
    return t;
}

orm_column *orm_add_column(orm_schema *s, orm_table *t, const char *name, const char *sql_type,
                           orm_loc loc)
{
    orm_column *c = grow((void **)&t->columns, &t->ncolumns, &t->capcolumns, sizeof *c);
    c->name = dup(s, name);
    c->sql_type = dup(s, sql_type);
    c->loc = loc;
    return c;
}

orm_index *orm_add_index(orm_schema *s, orm_table *t, const char *name, bool unique, orm_loc loc)
{
    orm_index *ix = grow((void **)&t->indexes, &t->nindexes, &t->capindexes, sizeof *ix);
    ix->name = dup(s, name);
    ix->unique = unique;
    ix->loc = loc;
    return ix;
}

/* Index and foreign key column lists are short and built once: each
 * addition copies the list into the arena. */
static const char **append(orm_schema *s, const char **list, size_t n, const char *str)
{
    const char **grown = arena_alloc(s->a, (n + 1) * sizeof *grown);
    if (n)
        memcpy(grown, list, n * sizeof *grown);
    grown[n] = dup(s, str);
    return grown;
}

void orm_index_add_column(orm_schema *s, orm_index *ix, const char *column)
{
    ix->columns = append(s, ix->columns, ix->ncolumns++, column);
}

orm_foreign_key *orm_add_foreign_key(orm_schema *s, orm_table *t, orm_loc loc)
{
    (void)s;
    orm_foreign_key *fk = grow((void **)&t->fks, &t->nfks, &t->capfks, sizeof *fk);
    fk->loc = loc;
    return fk;
}

orm_enum *orm_add_enum(orm_schema *s, const char *schema, const char *name, orm_loc loc)
{
    orm_enum *e = grow((void **)&s->enums, &s->nenums, &s->capenums, sizeof *e);
    e->schema = dup(s, schema);
    e->name = dup(s, name);
    e->loc = loc;
    return e;
}

void orm_enum_add_value(orm_schema *s, orm_enum *e, const char *value)
{
    e->values = append(s, e->values, e->nvalues++, value);
}

void orm_add_note(orm_schema *s, orm_loc loc, const char *fmt, ...)
{
    orm_note *n = grow((void **)&s->notes, &s->nnotes, &s->capnotes, sizeof *n);
    va_list ap;
    va_start(ap, fmt);
    n->message = arena_vprintf(s->a, fmt, ap);
    va_end(ap);
    n->loc = loc;
}

static bool same_schema(const char *a, const char *b)
{
    return !strcmp(a ? a : "public", b ? b : "public");
}

orm_table *orm_find_table(const orm_schema *s, const char *schema, const char *name)
{
    for (size_t i = 0; i < s->ntables; i++)
        if (same_schema(s->tables[i].schema, schema) && !strcmp(s->tables[i].name, name))
            return &s->tables[i];
    return NULL;
}

orm_column *orm_find_column(const orm_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i].name, name))
            return &t->columns[i];
    return NULL;
}

orm_enum *orm_find_enum(const orm_schema *s, const char *schema, const char *name)
{
    for (size_t i = 0; i < s->nenums; i++)
        if (same_schema(s->enums[i].schema, schema) && !strcmp(s->enums[i].name, name))
            return &s->enums[i];
    return NULL;
}

unsigned orm_column_skip(const orm_column *c)
{
    return c->sql_type ? c->skip : c->skip | ORM_SKIP_COLUMN;
}

/* Skipped tables are kept as "schema.name" (public for none). */
static const char *qualified(arena *a, const char *schema, const char *name)
{
    return arena_printf(a, "%s.%s", schema ? schema : "public", name);
}

void orm_skip_table(orm_schema *s, const char *schema, const char *name)
{
    s->skipped_tables =
        append(s, s->skipped_tables, s->nskipped_tables++, qualified(s->a, schema, name));
}

bool orm_table_skipped(const orm_schema *s, const char *schema, const char *name)
{
    if (!s->nskipped_tables)
        return false;
    char buf[512];
    snprintf(buf, sizeof buf, "%s.%s", schema ? schema : "public", name);
    for (size_t i = 0; i < s->nskipped_tables; i++)
        if (!strcmp(s->skipped_tables[i], buf))
            return true;
    return false;
}
