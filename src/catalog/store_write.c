/* store_write.c - catalog_save(): the catalog in the byte format store.c
 * describes. Objects are numbered first (so any pointer can be written as
 * a reference, whatever the order), strings are written once each into
 * the string table, and the sections are assembled behind the header. The
 * object sections are store_write_objects.c's. */
#include "internal.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* An object's number within its kind, kept as the map's value. */
static void obj_put(ptrmap *m, const void *key, size_t number)
{
    ptrmap_put(m, key, (void *)(uintptr_t)number);
}

/* Numbers every object and writes the counts section. */
static void number_objects(cat_writer *w, const catalog *c)
{
    size_t ncols = 0, ncons = 0, ntrig = 0;
    for (size_t i = 0; i < c->ntables; i++) {
        ncols += c->tables[i]->ncolumns;
        ncons += c->tables[i]->nconstraints;
        ntrig += c->tables[i]->ntriggers;
    }
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
        cat_wr_n(w, counts[i]);
    cat_wr_section_end(w, &w->payload, CAT_SEC_COUNTS);
}

static void write_globals(cat_writer *w, const catalog *c)
{
    cat_wr_b(w, c->temp_used);
    cat_wr_n(w, c->nschemas);
    for (size_t i = 0; i < c->nschemas; i++)
        cat_wr_s(w, c->schemas[i]);
    cat_wr_n(w, c->nextensions);
    for (size_t i = 0; i < c->nextensions; i++)
        cat_wr_s(w, c->extensions[i]);
    cat_wr_n(w, c->nplatform_schemas);
    for (size_t i = 0; i < c->nplatform_schemas; i++)
        cat_wr_s(w, c->platform_schemas[i]);
    cat_wr_section_end(w, &w->payload, CAT_SEC_GLOBALS);
}

static void write_sections(cat_writer *w, const catalog *c)
{
    number_objects(w, c);
    write_globals(w, c);
    cat_wr_types(w, c);
    cat_wr_tables(w, c);
    cat_wr_sequences(w, c);
    cat_wr_indexes(w, c);
    cat_wr_functions(w, c);
}

void catalog_save(const catalog *c, char **out, size_t *len)
{
    cat_writer w = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, {0}, {0}, NULL, 0};
    write_sections(&w, c);
    strbuf head = STRBUF_INIT;
    cat_wr_u(&w.body, w.nstrings);
    if (w.strtab.len)
        strbuf_add(&w.body, w.strtab.data, w.strtab.len);
    cat_wr_section_end(&w, &head, CAT_SEC_STRINGS);
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
    ptrmap_free(&w.objs);
}
