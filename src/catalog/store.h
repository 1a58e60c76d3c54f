/* store.h - what catalog_save() (store_write*.c, store_encode.c) and catalog_load()
 * (store_read.c, store_objects.c, store_decode.c) share: the byte format's constants and framing.
 * store.c documents the format.
 *
 * CAT_STORE_VERSION must go up by one with any change to what the format
 * holds or how: a new or changed field of a catalog struct (catalog.h,
 * struct catalog in internal.h) counts, even one the writer does not save
 * yet, so caches written by an older migralint read as a miss, never as a
 * wrong catalog. */
#ifndef MIGRALINT_CATALOG_STORE_H
#define MIGRALINT_CATALOG_STORE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ptrmap.h"
#include "internal.h"

#define CAT_STORE_VERSION 4
#define CAT_STORE_MAGIC   "MLCATLG\x1a"
/* magic (8), version (u32), reserved (u32, 0), payload length (u64), checksum (u64). */
#define CAT_STORE_HEADER 32

/* Section tags, in the order they appear. */
enum {
    CAT_SEC_STRINGS = 'S',
    CAT_SEC_COUNTS = 'N',
    CAT_SEC_GLOBALS = 'G',
    CAT_SEC_TYPES = 'Y',
    CAT_SEC_TABLES = 'T',
    CAT_SEC_SEQUENCES = 'Q',
    CAT_SEC_INDEXES = 'I',
    CAT_SEC_FUNCTIONS = 'F',
};

/* Column flags; a set bit outside CAT_COL_FLAGS makes the data invalid. */
enum { CAT_COL_ARRAY = 1, CAT_COL_NOT_NULL = 2, CAT_COL_VOLATILE = 4, CAT_COL_FLAGS = 7 };
enum { CAT_CON_VALIDATED = 1, CAT_CON_NO_INHERIT = 2, CAT_CON_FLAGS = 3 };
enum {
    CAT_IX_UNIQUE = 1,
    CAT_IX_PRIMARY = 2,
    CAT_IX_CONCURRENTLY = 4,
    CAT_IX_INNODB_FK = 8,
    CAT_IX_FLAGS = 15
};

/* A 64-bit sum of data[0..len): keyhash64 (store.c). */
uint64_t cat_store_checksum(const void *data, size_t len);
/* Writes the header of buf[0..len) (len >= CAT_STORE_HEADER) for the payload
 * after it: the fuzz target uses it so its inputs reach the parser. */
void cat_store_seal(unsigned char *buf, size_t len);
/* The payload of data[0..len) when the header is right, else NULL. */
const unsigned char *cat_store_payload(const unsigned char *data, size_t len, size_t *payload_len);
/* The same, the checksum left unchecked when !sum (catalog_load_summed). */
const unsigned char *cat_store_payload_of(const unsigned char *data, size_t len,
                                          size_t *payload_len, bool sum);

void cat_store_put_u32(unsigned char *p, uint32_t v);
void cat_store_put_u64(unsigned char *p, uint64_t v);

/* ---- writing (store_write.c, store_write_objects.c) ---- */

typedef struct cat_writer {
    strbuf payload; /* the sections after S */
    strbuf body;    /* the section being written */
    strbuf strtab;  /* S's strings, NUL-terminated */
    size_t nstrings;
    cat_map strings;       /* ("", text) -> number */
    ptrmap objs;           /* object -> its 1-based number within its kind */
    const char *last_path; /* most origins repeat the one before's path */
    uint64_t last_path_no;
} cat_writer;

/* The values (store_encode.c). Appends the section written so far to *to, tagged. */
void cat_wr_section_end(cat_writer *w, strbuf *to, int tag);
void cat_wr_u(strbuf *b, uint64_t v);
void cat_wr_i(cat_writer *w, long v);
void cat_wr_b(cat_writer *w, int byte);
void cat_wr_n(cat_writer *w, size_t n);
void cat_wr_s(cat_writer *w, const char *s);
/* A reference: 0 for NULL (or an object the catalog does not hold). */
void cat_wr_ref(cat_writer *w, const void *obj);
void cat_wr_refs(cat_writer *w, void *const *objs, size_t n);
void cat_wr_origin(cat_writer *w, const cat_origin *o);

void cat_wr_types(cat_writer *w, const catalog *c);
void cat_wr_tables(cat_writer *w, const catalog *c);
void cat_wr_sequences(cat_writer *w, const catalog *c);
void cat_wr_indexes(cat_writer *w, const catalog *c);
void cat_wr_functions(cat_writer *w, const catalog *c);

/* ---- reading (store_read.c, store_objects.c) ---- */

/* Bytes p..end of one section. A read past end, or of a value out of its
 * range, sets bad and yields 0 from then on. */
typedef struct cat_reader {
    const unsigned char *p, *end;
    bool bad;
} cat_reader;

static inline uint64_t cat_rd_u(cat_reader *r)
{
    /* Most values are below 128: one byte, one test. */
    if (r->p < r->end && *r->p < 0x80)
        return *r->p++;
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
        unsigned char byte = *r->p++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return shift == 63 && byte > 1 ? (r->bad = true, 0) : v;
    }
    r->bad = true;
    r->p = r->end;
    return 0;
}

static inline unsigned char cat_rd_b(cat_reader *r)
{
    if (r->p < r->end)
        return *r->p++;
    r->bad = true;
    return 0;
}

/* The objects being read: allocated from the counts, before the sections
 * that fill them, so a reference can point at an object not read yet.
 * Columns, constraints and triggers are handed out to tables in order. */
typedef struct cat_loader {
    cat_reader r; /* the section being read */
    catalog *c;
    size_t payload_len;
    const char **strings; /* the string table; reference k is strings[k - 1] */
    size_t nstrings;
    unsigned char *interned; /* bit k: strings[k] is in the catalog's path map */
    cat_type *types;
    cat_table *tables;
    cat_column *columns;
    cat_constraint *constraints;
    cat_trigger *triggers;
    cat_index *indexes;
    cat_sequence *sequences;
    cat_function *functions;
    size_t ntypes, ntables, ncolumns, nconstraints, ntriggers, nindexes, nsequences, nfunctions;
    size_t columns_used, constraints_used, triggers_used;
} cat_loader;

/* The values (inline below, the rest in store_decode.c). A count of things
 * still to read: no more than the bytes left. */
static inline size_t cat_ld_count(cat_loader *ld)
{
    uint64_t n = cat_rd_u(&ld->r);
    if (n > (uint64_t)(ld->r.end - ld->r.p)) {
        ld->r.bad = true;
        return 0;
    }
    return (size_t)n;
}

static inline int cat_ld_int(cat_loader *ld)
{
    uint64_t u = cat_rd_u(&ld->r);
    uint64_t mag = u >> 1;
    if (mag > (uint64_t)INT_MAX) {
        ld->r.bad = true;
        return 0;
    }
    return u & 1 ? -(int)mag - 1 : (int)mag;
}

/* A number from 0 to n. */
static inline size_t cat_ld_index(cat_loader *ld, size_t n)
{
    uint64_t k = cat_rd_u(&ld->r);
    if (k > n) {
        ld->r.bad = true;
        return 0;
    }
    return (size_t)k;
}

/* A string reference: NULL for 0. */
static inline const char *cat_ld_str(cat_loader *ld)
{
    size_t k = cat_ld_index(ld, ld->nstrings);
    return k ? ld->strings[k - 1] : NULL;
}

/* A string that must be there (a name). */
static inline const char *cat_ld_name(cat_loader *ld)
{
    const char *s = cat_ld_str(ld);
    if (!s)
        ld->r.bad = true;
    return s;
}

/* A reference to one of n objects of size bytes at base: NULL for 0, and
 * NULL with bad set when required and 0. */
static inline void *cat_ld_ref(cat_loader *ld, void *base, size_t n, size_t size, bool required)
{
    size_t k = cat_ld_index(ld, n);
    if (!k) {
        if (required)
            ld->r.bad = true;
        return NULL;
    }
    return (char *)base + (k - 1) * size;
}

void cat_ld_origin(cat_loader *ld, cat_origin *o);
#define CAT_LD_REF(ld, pool, n, required)                                                          \
    cat_ld_ref((ld), (ld)->pool, (ld)->n, sizeof *(ld)->pool, (required))
/* A counted array of required column references. */
cat_column **cat_ld_columns(cat_loader *ld, size_t *n);

void cat_ld_types(cat_loader *ld);
void cat_ld_tables(cat_loader *ld);
void cat_ld_sequences(cat_loader *ld);
void cat_ld_indexes(cat_loader *ld);
void cat_ld_functions(cat_loader *ld);

#endif
