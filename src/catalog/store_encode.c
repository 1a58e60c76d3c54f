/* store_encode.c - the values catalog_save() writes, one function per
 * kind (varint, byte, string, reference, origin, section): what
 * store_write.c and store_write_objects.c both call, so neither calls the
 * other back. The byte format is store.c's. */
#include "internal.h"
#include "store.h"

#include <string.h>

void cat_wr_u(strbuf *b, uint64_t v)
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

void cat_wr_i(cat_writer *w, long v)
{
    uint64_t u = (uint64_t)v << 1;
    cat_wr_u(&w->body, v < 0 ? ~u : u);
}

void cat_wr_b(cat_writer *w, int byte)
{
    strbuf_putc(&w->body, (char)byte);
}

void cat_wr_n(cat_writer *w, size_t n)
{
    cat_wr_u(&w->body, n);
}

/* The string's number in the table, added on first use; 0 for NULL. */
static uint64_t string_no(cat_writer *w, const char *s)
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

void cat_wr_s(cat_writer *w, const char *s)
{
    cat_wr_u(&w->body, string_no(w, s));
}

/* A reference: 0 for NULL (or an object the catalog does not hold). */
void cat_wr_ref(cat_writer *w, const void *obj)
{
    cat_wr_u(&w->body, obj ? (uintptr_t)ptrmap_get(&w->objs, obj) : 0);
}

void cat_wr_refs(cat_writer *w, void *const *objs, size_t n)
{
    cat_wr_n(w, n);
    for (size_t i = 0; i < n; i++)
        cat_wr_ref(w, objs[i]);
}

void cat_wr_origin(cat_writer *w, const cat_origin *o)
{
    if (!o->path || o->path != w->last_path) {
        w->last_path = o->path;
        w->last_path_no = string_no(w, o->path);
    }
    cat_wr_u(&w->body, w->last_path_no);
    cat_wr_u(&w->body, o->start);
    cat_wr_u(&w->body, o->end);
    cat_wr_i(w, o->pos.line);
    cat_wr_i(w, o->pos.col);
    cat_wr_i(w, o->end_pos.line);
    cat_wr_i(w, o->end_pos.col);
}

void cat_wr_section_end(cat_writer *w, strbuf *to, int tag)
{
    strbuf_putc(to, (char)tag);
    cat_wr_u(to, w->body.len);
    if (w->body.len)
        strbuf_add(to, w->body.data, w->body.len);
    strbuf_reset(&w->body);
}
