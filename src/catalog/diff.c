/* diff.c - catalog_diff(): the differences between two catalogs as
 * sentences. Both catalogs are flattened into sorted "facts" (one line per
 * object or column: a key naming it and a value describing it) and merged,
 * so a difference reads the same however the catalogs were built. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct facts {
    arena *a;
    cat_fact *items;
    size_t n;
} facts;

static const char *disp(facts *f, const char *schema, const char *name)
{
    return cat_is_public(schema) ? name : arena_printf(f->a, "%s.%s", schema, name);
}

static void fact(facts *f, const char *key, const char *value)
{
    cat_fact x = {(char *)key, (char *)value};
    CAT_PUSH(f->a, f->items, f->n, x);
}

static void column_facts(facts *f, const cat_table *t, const char *tname)
{
    for (size_t i = 0; i < t->ncolumns; i++) {
        const cat_column *col = t->columns[i];
        strbuf b = STRBUF_INIT;
        strbuf_puts(&b, col->type ? col->type : "(type unknown)");
        if (col->not_null)
            strbuf_puts(&b, " NOT NULL");
        if (col->default_expr)
            strbuf_printf(&b, " DEFAULT %s", col->default_expr);
        if (col->identity)
            strbuf_printf(&b, " GENERATED %s AS IDENTITY",
                          col->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
        if (col->generated)
            strbuf_printf(&b, " GENERATED ALWAYS AS (%s) STORED", col->generated);
        fact(f, arena_printf(f->a, "column %s.%s", tname, col->name), arena_strdup(f->a, b.data));
        strbuf_free(&b);
    }
}

static void put_columns(strbuf *b, cat_column *const *cols, size_t n)
{
    strbuf_putc(b, '(');
    for (size_t i = 0; i < n; i++)
        strbuf_printf(b, "%s%s", i ? ", " : "", cols[i]->name);
    strbuf_putc(b, ')');
}

/* A foreign key action as the DDL spells it; NO ACTION, the default, is left out. */
static void put_action(strbuf *b, const char *clause, char action)
{
    const char *word = action == 'r'   ? "RESTRICT"
                       : action == 'c' ? "CASCADE"
                       : action == 'n' ? "SET NULL"
                       : action == 'd' ? "SET DEFAULT"
                                       : NULL;
    if (word)
        strbuf_printf(b, " %s %s", clause, word);
}

static void constraint_facts(facts *f, const cat_table *t, const char *tname)
{
    static const char *const words[] = {['p'] = "PRIMARY KEY",
                                        ['u'] = "UNIQUE",
                                        ['c'] = "CHECK",
                                        ['f'] = "FOREIGN KEY",
                                        ['x'] = "EXCLUDE"};
    for (size_t i = 0; i < t->nconstraints; i++) {
        const cat_constraint *con = t->constraints[i];
        strbuf b = STRBUF_INIT;
        strbuf_puts(&b, words[con->type]);
        if (con->type == CAT_CON_CHECK) {
            strbuf_printf(&b, " %s", con->expr);
        } else {
            strbuf_putc(&b, ' ');
            put_columns(&b, con->columns, con->ncolumns);
        }
        if (con->type == CAT_CON_FOREIGN) {
            strbuf_printf(&b, " REFERENCES %s ",
                          disp(f, con->ref_table->rel.schema, con->ref_table->rel.name));
            put_columns(&b, con->ref_columns, con->nref_columns);
            put_action(&b, "ON DELETE", con->on_delete);
            put_action(&b, "ON UPDATE", con->on_update);
        }
        if (!con->validated)
            strbuf_puts(&b, " NOT VALID");
        fact(f, arena_printf(f->a, "constraint %s on table %s", con->name, tname),
             arena_strdup(f->a, b.data));
        strbuf_free(&b);
    }
}

static void index_facts(facts *f, const cat_table *t, const char *tname)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        const cat_index *ix = t->indexes[i];
        strbuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s%s ON %s (", ix->unique ? "UNIQUE " : "", ix->method, tname);
        for (size_t k = 0; k < ix->nkeys; k++)
            strbuf_printf(&b, "%s%s", k ? ", " : "",
                          ix->keys[k].column ? ix->keys[k].column->name : ix->keys[k].expr);
        strbuf_putc(&b, ')');
        if (ix->ninclude) {
            strbuf_puts(&b, " INCLUDE ");
            put_columns(&b, ix->include, ix->ninclude);
        }
        if (ix->where)
            strbuf_printf(&b, " WHERE %s", ix->where);
        fact(f, arena_printf(f->a, "index %s", disp(f, ix->rel.schema, ix->rel.name)),
             arena_strdup(f->a, b.data));
        strbuf_free(&b);
    }
}

static void table_facts(facts *f, const cat_table *t)
{
    const char *tname = disp(f, t->rel.schema, t->rel.name);
    const char *kind = t->rel.kind == CAT_VIEW                ? "view"
                       : t->rel.kind == CAT_MATVIEW           ? "materialized view"
                       : t->rel.kind == CAT_PARTITIONED_TABLE ? "table"
                                                              : "table";
    const char *value = t->partition_by ? arena_printf(f->a, "partitioned by %s", t->partition_by)
                        : t->parent
                            ? arena_printf(f->a, "partition of %s",
                                           disp(f, t->parent->rel.schema, t->parent->rel.name))
                            : "";
    if (t->rel.kind == CAT_VIEW || t->rel.kind == CAT_MATVIEW) {
        strbuf b = STRBUF_INIT;
        for (size_t i = 0; i < t->ncolumns; i++)
            strbuf_printf(&b, "%s%s", i ? ", " : "(", t->columns[i]->name);
        strbuf_puts(&b, t->ncolumns ? ")" : "()");
        value = arena_strdup(f->a, b.data);
        strbuf_free(&b);
    }
    fact(f, arena_printf(f->a, "%s %s", kind, tname), value);
    if (t->rel.kind != CAT_VIEW && t->rel.kind != CAT_MATVIEW)
        column_facts(f, t, tname);
    constraint_facts(f, t, tname);
    index_facts(f, t, tname);
    for (size_t i = 0; i < t->ntriggers; i++)
        fact(f, arena_printf(f->a, "trigger %s on table %s", t->triggers[i]->name, tname), "");
}

static void type_facts(facts *f, const cat_type *t)
{
    strbuf b = STRBUF_INIT;
    if (t->kind == CAT_ENUM) {
        strbuf_puts(&b, "enum (");
        for (size_t i = 0; i < t->nvalues; i++)
            strbuf_printf(&b, "%s'%s'", i ? ", " : "", t->values[i]);
        strbuf_putc(&b, ')');
    } else if (t->kind == CAT_DOMAIN) {
        strbuf_printf(&b, "domain over %s", t->base);
    } else {
        strbuf_puts(&b, "composite");
    }
    fact(f, arena_printf(f->a, "type %s", disp(f, t->schema, t->name)), arena_strdup(f->a, b.data));
    strbuf_free(&b);
}

static int fact_cmp(const void *a, const void *b)
{
    return strcmp(((const cat_fact *)a)->key, ((const cat_fact *)b)->key);
}

cat_fact *catalog_facts(const catalog *c, arena *a, size_t *n)
{
    facts f = {a, NULL, 0};
    for (size_t i = 0; i < c->nschemas; i++)
        fact(&f, arena_printf(a, "schema %s", c->schemas[i]), "");
    for (size_t i = 0; i < c->nextensions; i++)
        fact(&f, arena_printf(a, "extension %s", c->extensions[i]), "");
    for (size_t i = 0; i < c->ntypes; i++)
        type_facts(&f, c->types[i]);
    for (size_t i = 0; i < c->nsequences; i++)
        fact(&f,
             arena_printf(a, "sequence %s",
                          disp(&f, c->sequences[i]->rel.schema, c->sequences[i]->rel.name)),
             "");
    for (size_t i = 0; i < c->ntables; i++)
        table_facts(&f, c->tables[i]);
    for (size_t i = 0; i < c->nfunctions; i++)
        fact(&f,
             arena_printf(a, "function %s(%s)",
                          disp(&f, c->functions[i]->schema, c->functions[i]->name),
                          c->functions[i]->args),
             "");
    qsort(f.items, f.n, sizeof *f.items, fact_cmp);
    *n = f.n;
    return f.items;
}

/* Facts about the named relations and types only: what a snapshot keeps. An
 * index name stands for its table; a name that is absent adds nothing. */
cat_fact *catalog_facts_of(const catalog *c, arena *a, const char *const *names, size_t nnames,
                           size_t *n)
{
    facts f = {a, NULL, 0};
    for (size_t k = 0; k < nnames; k++) {
        const char *dot = strrchr(names[k], '.');
        const char *schema = dot ? arena_strndup(a, names[k], (size_t)(dot - names[k])) : NULL;
        const char *name = dot ? dot + 1 : names[k];
        const cat_table *t = catalog_find_table(c, schema, name);
        const cat_index *ix = t ? NULL : catalog_find_index(c, schema, name);
        const cat_type *ty = catalog_find_type(c, schema, name);
        const cat_sequence *seq = catalog_find_sequence(c, schema, name);
        if (ix)
            t = ix->table;
        if (t)
            table_facts(&f, t);
        if (ty)
            type_facts(&f, ty);
        if (seq)
            fact(&f, arena_printf(a, "sequence %s", disp(&f, schema, name)), "");
    }
    if (f.n)
        qsort(f.items, f.n, sizeof *f.items, fact_cmp);
    size_t out = 0; /* two names of one table add its facts twice */
    for (size_t i = 0; i < f.n; i++)
        if (out == 0 || strcmp(f.items[out - 1].key, f.items[i].key) != 0)
            f.items[out++] = f.items[i];
    *n = out;
    return f.items;
}

size_t cat_facts_diff(arena *a, const cat_fact *b, size_t nb, const cat_fact *f, size_t na,
                      void (*fn)(void *ud, const char *what), void *ud)
{
    size_t i = 0, j = 0, count = 0;
    while (i < nb || j < na) {
        int cmp = i >= nb ? 1 : j >= na ? -1 : strcmp(b[i].key, f[j].key);
        const char *msg = NULL;
        if (cmp < 0) {
            msg = b[i].value[0] ? arena_printf(a, "%s is absent, was %s", b[i].key, b[i].value)
                                : arena_printf(a, "%s is absent", b[i].key);
            i++;
        } else if (cmp > 0) {
            msg = f[j].value[0]
                      ? arena_printf(a, "%s exists (%s), was absent", f[j].key, f[j].value)
                      : arena_printf(a, "%s exists, was absent", f[j].key);
            j++;
        } else {
            if (strcmp(b[i].value, f[j].value) != 0)
                msg = arena_printf(a, "%s is %s, was %s", f[j].key, f[j].value, b[i].value);
            i++;
            j++;
        }
        if (msg) {
            count++;
            if (fn)
                fn(ud, msg);
        }
    }
    return count;
}

size_t catalog_diff(const catalog *before, const catalog *after,
                    void (*fn)(void *ud, const char *what), void *ud)
{
    arena *a = arena_new();
    size_t nb, na;
    cat_fact *b = catalog_facts(before, a, &nb), *f = catalog_facts(after, a, &na);
    size_t count = cat_facts_diff(a, b, nb, f, na, fn, ud);
    arena_free(a);
    return count;
}
