/* strbuf.c - growable byte buffer (see strbuf.h). */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void strbuf_grow(strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("migralint: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void strbuf_add(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) /* the call only when it grows: snapshots add by the 100,000 */
        strbuf_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_put_u64le(strbuf *b, uint64_t v)
{
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    strbuf_add(b, (const char *)le, 8);
}

void str_join3(char *buf, size_t size, const char *a, const char *sep, const char *b)
{
    const char *part[3] = {a, sep, b};
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(part[i]);
        if (n > size - 1 - at)
            n = size - 1 - at;
        memcpy(buf + at, part[i], n);
        at += n;
    }
    buf[at] = '\0';
}

void strbuf_puts(strbuf *b, const char *s)
{
    strbuf_add(b, s, strlen(s));
}

void strbuf_putc(strbuf *b, char c)
{
    strbuf_add(b, &c, 1);
}

void strbuf_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    /* Printed straight into the free space when it fits: the sizing pass
     * costs as much as the printing (a report line each). */
    if (b->cap - b->len > 1) {
        va_start(ap, fmt);
        int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->data[b->len] = '\0';
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->data[b->len] = '\0';
    }
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    strbuf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void strbuf_reset(strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void strbuf_free(strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *strbuf_detach(strbuf *b)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (!p)
            abort();
        p[0] = '\0';
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
