/* vsql.c - building virtual SQL with its offset map (see vsql.h). */
#include "vsql.h"

#include <stdlib.h>
#include <string.h>

void vsql_init(vsql *v, const source *host)
{
    memset(v, 0, sizeof *v);
    v->host = host;
}

void vsql_free(vsql *v)
{
    strbuf_free(&v->text);
    free(v->segs);
    v->segs = NULL;
    v->nsegs = v->cap = 0;
}

static void push_seg(vsql *v, size_t n, size_t host_off, int fixed)
{
    source_seg *last = v->nsegs ? &v->segs[v->nsegs - 1] : NULL;
    if (last && !fixed && !last->fixed && last->virt + last->len == v->text.len &&
        last->host + last->len == host_off) {
        last->len += n;
        return;
    }
    if (v->nsegs == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->segs = realloc(v->segs, v->cap * sizeof *v->segs);
        if (!v->segs)
            abort();
    }
    v->segs[v->nsegs++] = (source_seg){v->text.len, host_off, n, fixed};
}

void vsql_copy(vsql *v, const char *s, size_t n, size_t host_off)
{
    if (!n)
        return;
    push_seg(v, n, host_off, 0);
    strbuf_add(&v->text, s, n);
}

void vsql_fixed(vsql *v, const char *s, size_t n, size_t host_off)
{
    if (!n)
        return;
    push_seg(v, n, host_off, 1);
    strbuf_add(&v->text, s, n);
}

source *vsql_finish(vsql *v, arena *a)
{
    source *src = source_new_virtual(a, v->host, v->text.data ? v->text.data : "", v->text.len,
                                     v->segs, v->nsegs);
    vsql_free(v);
    return src;
}
