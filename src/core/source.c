/* source.c - file text with a line index (see source.h). */
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fputs("migralint: out of memory\n", stderr);
        abort();
    }
    return p;
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 1;
    const char *end = text + len;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    return n;
}

static void source_index_lines(source *src)
{
    size_t n = 0;
    src->line_starts[n++] = 0;
    const char *end = src->text + src->len;
    for (const char *p = src->text; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        src->line_starts[n++] = (size_t)(p - src->text) + 1;
    src->nlines = n;
}

/* One allocation: the struct, the line index (counted first, so exact),
 * the path and the text. A pre-commit run makes 6,000 sources; four
 * allocations each and a 64-line index for a one-line file were 3 MB and
 * a tenth of its main thread. source_free frees the one block. */
source *source_new(const char *display_path, const char *data, size_t len)
{
    size_t nlines = count_lines(data ? data : "", len), npath = strlen(display_path) + 1;
    source *src = xrealloc(NULL, sizeof *src + nlines * sizeof(size_t) + npath + len + 1);
    src->line_starts = (size_t *)(src + 1);
    src->path = (char *)(src->line_starts + nlines);
    memcpy(src->path, display_path, npath);
    src->text = src->path + npath;
    if (len)
        memcpy(src->text, data, len);
    src->text[len] = '\0';
    src->len = len;
    src->host = NULL;
    src->segs = NULL;
    src->nsegs = 0;
    src->blob_id[0] = '\0';
    source_index_lines(src);
    return src;
}

source *source_new_virtual(arena *a, const source *host, const char *text, size_t len,
                           const source_seg *segs, size_t nsegs)
{
    source *src = arena_calloc(a, 1, sizeof *src);
    src->path = host->path;
    src->text = arena_alloc(a, len + 1);
    if (len)
        memcpy(src->text, text, len);
    src->text[len] = '\0';
    src->len = len;
    src->host = host;
    source_seg *copy = arena_alloc(a, (nsegs ? nsegs : 1) * sizeof *copy);
    if (nsegs)
        memcpy(copy, segs, nsegs * sizeof *copy);
    src->segs = copy;
    src->nsegs = nsegs;
    return src;
}

/* The last segment starting at or before offset; an offset past its end
 * (the exclusive end of a range) stays at the end of that segment. */
size_t source_host_offset(const source *src, size_t offset)
{
    if (!src->host)
        return offset;
    if (!src->nsegs)
        return 0;
    size_t lo = 0, hi = src->nsegs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->segs[mid].virt <= offset)
            lo = mid;
        else
            hi = mid;
    }
    const source_seg *s = &src->segs[lo];
    if (s->fixed || offset < s->virt)
        return s->host;
    size_t k = offset - s->virt;
    return s->host + (k < s->len ? k : s->len);
}

void source_free(source *src)
{
    if (!src)
        return;
    free(src); /* with its index, path and text (source_new) */
}

/* A UTF-8 continuation byte does not start a code point. */
static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t source_bom_len(const source *src)
{
    const unsigned char *t = (const unsigned char *)src->text;
    return !src->host && src->len >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF ? 3 : 0;
}

source_pos source_position(const source *src, size_t offset)
{
    if (src->host)
        return source_position(src->host, source_host_offset(src, offset));
    if (offset > src->len)
        offset = src->len;
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    int col = 1;
    size_t from = src->line_starts[lo];
    if (lo == 0 && offset >= source_bom_len(src))
        from = source_bom_len(src); /* an editor shows no column for the mark */
    for (size_t i = from; i < offset; i++)
        if (!is_cont((unsigned char)src->text[i]))
            col++;
    source_pos p = {(int)lo + 1, col};
    return p;
}

const char *source_line(const source *src, int line, size_t *len)
{
    if (src->host)
        return source_line(src->host, line, len);
    if (line < 1 || (size_t)line > src->nlines) {
        *len = 0;
        return "";
    }
    size_t start = line == 1 ? source_bom_len(src) : src->line_starts[line - 1];
    size_t end = (size_t)line < src->nlines ? src->line_starts[line] - 1 : src->len;
    if (end > start && src->text[end - 1] == '\r')
        end--;
    *len = end - start;
    return src->text + start;
}

bool source_has_nul(const source *src, size_t *offset)
{
    const char *p = memchr(src->text, '\0', src->len);
    if (!p)
        return false;
    *offset = (size_t)(p - src->text);
    return true;
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF. */
bool source_valid_utf8(const source *src, size_t *offset)
{
    const unsigned char *s = (const unsigned char *)src->text;
    size_t i = 0, n = src->len;
    while (i < n) {
        unsigned char c = s[i];
        size_t need;
        unsigned min;
        unsigned cp;
        if (c < 0x80) {
            /* Migrations are mostly ASCII: skip it eight bytes at a time. */
            for (i++; i + 8 <= n; i += 8) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
            }
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3, min = 0x10000, cp = c & 0x07;
        } else {
            *offset = i;
            return false;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || !is_cont(s[i + k])) {
                *offset = i;
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *offset = i;
            return false;
        }
        i += need + 1;
    }
    return true;
}
