/* store_write.c - catalog_save(): the catalog in the byte format store.c
 * describes. Objects are numbered first (so any pointer can be written as
 * a reference, whatever the order), strings are written once each into
 * the string table, and the sections are assembled behind the header. */
#include "internal.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* Object pointer -> its 1-based number within its kind. */
typedef struct objmap {
    const void **keys;
    size_t *values;
    size_t cap;
} objmap;

typedef struct writer {
    strbuf payload; /* the sections after S */
    strbuf body;    /* the section being written */
    strbuf strtab;  /* S's strings, NUL-terminated */
    size_t nstrings;
    cat_map strings; /* ("", text) -> number */
    objmap objs;
    const char *last_path; /* most origins repeat the one before's path */
    uint64_t last_path_no;
} writer;

static size_t obj_slot(const objmap *m, const void *key)
{
    uint64_t h = (uint64_t)(uintptr_t)key;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 7) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void obj_init(objmap *m, size_t n)
{
    m->cap = 64;
    while (m->cap < n * 2)
        m->cap *= 2;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->values = calloc(m->cap, sizeof *m->values);
    if (!m->keys || !m->values)
        abort();
}

static void obj_put(objmap *m, const void *key, size_t number)
{
    size_t i = obj_slot(m, key);
    m->keys[i] = key;
    m->values[i] = number;
}

static void put_u(strbuf *b, uint64_t v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n] = (char)(v & 0x7f);
        v >>= 7;
        if (v)
            tmp[n] = (char)(tmp[n] | 0x80);
        n++;
    } while (v);
    strbuf_add(b, tmp, n);
}

static void put_i(writer *w, long v)
{
    uint64_t u = (uint64_t)v << 1;
    put_u(&w->body, v < 0 ? ~u : u);
}

static void put_b(writer *w, int byte)
{
    strbuf_putc(&w->body, (char)byte);
}

static void put_n(writer *w, size_t n)
{
    put_u(&w->body, n);
}

/* The string's number in the table, added on first use; 0 for NULL. */
static uint64_t string_no(writer *w, const char *s)
{
    if (!s)
        return 0;
    size_t k = (size_t)(uintptr_t)cat_map_get(&w->strings, "", s);
    if (!k) {
        k = ++w->nstrings;
        strbuf_add(&w->strtab, s, strlen(s) + 1);
        cat_map_put(&w->strings, "", s, (void *)(uintptr_t)k);
    }
    return k;
}

static void put_s(writer *w, const char *s)
{
    put_u(&w->body, string_no(w, s));
}

/* A reference: 0 for NULL (or an object the catalog does not hold). */
static void put_ref(writer *w, const void *obj)
{
    put_u(&w->body, obj ? w->objs.values[obj_slot(&w->objs, obj)] : 0);
}

static void put_refs(writer *w, void *const *objs, size_t n)
{
    put_n(w, n);
    for (size_t i = 0; i < n; i++)
        put_ref(w, objs[i]);
}

static void put_origin(writer *w, const cat_origin *o)
{
    if (!o->path || o->path != w->last_path) {
        w->last_path = o->path;
        w->last_path_no = string_no(w, o->path);
    }
    put_u(&w->body, w->last_path_no);
    put_u(&w->body, o->start);
    put_u(&w->body, o->end);
    put_i(w, o->pos.line);
    put_i(w, o->pos.col);
    put_i(w, o->end_pos.line);
    put_i(w, o->end_pos.col);
}

static void section_end(writer *w, strbuf *to, int tag)
{
    strbuf_putc(to, (char)tag);
    put_u(to, w->body.len);
    if (w->body.len)
        strbuf_add(to, w->body.data, w->body.len);
    strbuf_reset(&w->body);
}

/* Numbers every object and writes the counts section. */
static void number_objects(writer *w, const catalog *c)
{
    size_t ncols = 0, ncons = 0, ntrig = 0;
    for (size_t i = 0; i < c->ntables; i++) {
        ncols += c->tables[i]->ncolumns;
        ncons += c->tables[i]->nconstraints;
        ntrig += c->tables[i]->ntriggers;
    }
    obj_init(&w->objs, c->ntypes + c->ntables + ncols + ncons + c->nindexes + c->nsequences);
    for (size_t i = 0; i < c->ntypes; i++)
        obj_put(&w->objs, c->types[i], i + 1);
    size_t col = 0, con = 0;
    for (size_t i = 0; i < c->ntables; i++) {
        const cat_table *t = c->tables[i];
        obj_put(&w->objs, t, i + 1);
        for (size_t j = 0; j < t->ncolumns; j++)
            obj_put(&w->objs, t->columns[j], ++col);
        for (size_t j = 0; j < t->nconstraints; j++)
            obj_put(&w->objs, t->constraints[j], ++con);
    }
    for (size_t i = 0; i < c->nindexes; i++)
        obj_put(&w->objs, c->indexes[i], i + 1);
    for (size_t i = 0; i < c->nsequences; i++)
        obj_put(&w->objs, c->sequences[i], i + 1);
    size_t counts[] = {c->ntypes, c->ntables,  ncols,         ncons,
                       ntrig,     c->nindexes, c->nsequences, c->nfunctions};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        put_n(w, counts[i]);
    section_end(w, &w->payload, CAT_SEC_COUNTS);
}

static void write_globals(writer *w, const catalog *c)
{
    put_b(w, c->temp_used);
    put_n(w, c->nschemas);
    for (size_t i = 0; i < c->nschemas; i++)
        put_s(w, c->schemas[i]);
    put_n(w, c->nextensions);
    for (size_t i = 0; i < c->nextensions; i++)
        put_s(w, c->extensions[i]);
    section_end(w, &w->payload, CAT_SEC_GLOBALS);
}

static void write_types(writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->ntypes; i++) {
        const cat_type *t = c->types[i];
        put_b(w, t->kind);
        put_s(w, t->schema);
        put_s(w, t->name);
        put_s(w, t->base);
        put_n(w, t->nvalues);
        for (size_t j = 0; j < t->nvalues; j++)
            put_s(w, t->values[j]);
        put_origin(w, &t->origin);
    }
    section_end(w, &w->payload, CAT_SEC_TYPES);
}

static void write_column(writer *w, const cat_column *col)
{
    put_s(w, col->name);
    put_i(w, col->attnum);
    put_s(w, col->type);
    put_s(w, col->type_label);
    put_ref(w, col->user_type);
    put_b(w, (col->array ? CAT_COL_ARRAY : 0) | (col->not_null ? CAT_COL_NOT_NULL : 0) |
                 (col->default_volatile ? CAT_COL_VOLATILE : 0));
    put_s(w, col->default_expr);
    put_ref(w, col->serial);
    put_b(w, (unsigned char)col->identity);
    put_s(w, col->generated);
    put_s(w, col->collation);
    put_origin(w, &col->origin);
}

static void write_constraint(writer *w, const cat_constraint *con)
{
    put_s(w, con->name);
    put_b(w, con->type);
    put_refs(w, (void *const *)con->columns, con->ncolumns);
    put_s(w, con->expr);
    put_b(w, (con->validated ? CAT_CON_VALIDATED : 0) | (con->no_inherit ? CAT_CON_NO_INHERIT : 0));
    put_ref(w, con->index);
    put_ref(w, con->ref_table);
    put_ref(w, con->ref_index);
    put_refs(w, (void *const *)con->ref_columns, con->nref_columns);
    put_b(w, (unsigned char)con->on_delete);
    put_b(w, (unsigned char)con->on_update);
    put_origin(w, &con->origin);
}

static void write_table(writer *w, const cat_table *t)
{
    put_b(w, t->rel.kind);
    put_s(w, t->rel.schema);
    put_s(w, t->rel.name);
    put_s(w, t->partition_by);
    put_origin(w, &t->rel.origin);
    put_i(w, t->next_attnum);
    put_ref(w, t->parent);
    put_n(w, t->ncolumns);
    for (size_t i = 0; i < t->ncolumns; i++)
        write_column(w, t->columns[i]);
    put_n(w, t->ntriggers);
    for (size_t i = 0; i < t->ntriggers; i++) {
        put_s(w, t->triggers[i]->name);
        put_origin(w, &t->triggers[i]->origin);
    }
    put_refs(w, (void *const *)t->indexes, t->nindexes);
    put_n(w, t->nconstraints);
    for (size_t i = 0; i < t->nconstraints; i++)
        write_constraint(w, t->constraints[i]);
    put_n(w, t->nreads);
    for (size_t i = 0; i < t->nreads; i++) {
        put_ref(w, t->reads[i].rel);
        put_ref(w, t->reads[i].column);
    }
}

static void write_sequences(writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->nsequences; i++) {
        const cat_sequence *s = c->sequences[i];
        put_s(w, s->rel.schema);
        put_s(w, s->rel.name);
        put_origin(w, &s->rel.origin);
        put_ref(w, s->owner_table);
        put_ref(w, s->owner_column);
        put_b(w, s->identity);
    }
    section_end(w, &w->payload, CAT_SEC_SEQUENCES);
}

static void write_index(writer *w, const cat_index *ix)
{
    put_s(w, ix->rel.schema);
    put_s(w, ix->rel.name);
    put_origin(w, &ix->rel.origin);
    put_ref(w, ix->table);
    put_n(w, ix->nkeys);
    for (size_t i = 0; i < ix->nkeys; i++) {
        put_ref(w, ix->keys[i].column);
        put_s(w, ix->keys[i].expr);
    }
    put_refs(w, (void *const *)ix->include, ix->ninclude);
    put_refs(w, (void *const *)ix->reads, ix->nreads);
    put_s(w, ix->method);
    put_s(w, ix->where);
    put_b(w, (ix->unique ? CAT_IX_UNIQUE : 0) | (ix->primary ? CAT_IX_PRIMARY : 0) |
                 (ix->concurrently ? CAT_IX_CONCURRENTLY : 0));
    put_ref(w, ix->constraint);
    put_ref(w, ix->parent);
}

static void write_functions(writer *w, const catalog *c)
{
    for (size_t i = 0; i < c->nfunctions; i++) {
        const cat_function *fn = c->functions[i];
        put_s(w, fn->schema);
        put_s(w, fn->name);
        put_s(w, fn->args);
        put_b(w, (unsigned char)fn->volatility);
        put_b(w, fn->procedure);
        put_origin(w, &fn->origin);
    }
    section_end(w, &w->payload, CAT_SEC_FUNCTIONS);
}

static void write_sections(writer *w, const catalog *c)
{
    number_objects(w, c);
    write_globals(w, c);
    write_types(w, c);
    for (size_t i = 0; i < c->ntables; i++)
        write_table(w, c->tables[i]);
    section_end(w, &w->payload, CAT_SEC_TABLES);
    write_sequences(w, c);
    for (size_t i = 0; i < c->nindexes; i++)
        write_index(w, c->indexes[i]);
    section_end(w, &w->payload, CAT_SEC_INDEXES);
    write_functions(w, c);
}

void catalog_save(const catalog *c, char **out, size_t *len)
{
    writer w = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, {0}, {0}, NULL, 0};
    write_sections(&w, c);
    strbuf head = STRBUF_INIT;
    put_u(&w.body, w.nstrings);
    if (w.strtab.len)
        strbuf_add(&w.body, w.strtab.data, w.strtab.len);
    section_end(&w, &head, CAT_SEC_STRINGS);
    *len = CAT_STORE_HEADER + head.len + w.payload.len;
    unsigned char *buf = malloc(*len);
    if (!buf)
        abort();
    memcpy(buf + CAT_STORE_HEADER, head.data, head.len);
    memcpy(buf + CAT_STORE_HEADER + head.len, w.payload.data, w.payload.len);
    cat_store_seal(buf, *len);
    *out = (char *)buf;
    strbuf_free(&head);
    strbuf_free(&w.payload);
    strbuf_free(&w.body);
    strbuf_free(&w.strtab);
    cat_map_free(&w.strings);
    free(w.objs.keys);
    free(w.objs.values);
}
