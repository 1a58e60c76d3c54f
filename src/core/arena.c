/* arena.c - chunked bump allocator (see arena.h). */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct arena {
    struct chunk *head;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        /* Out of memory has no sensible recovery in a CLI linter. */
        fputs("migralint: out of memory\n", stderr);
        abort();
    }
    return p;
}

arena *arena_new(void)
{
    arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    return a;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

static struct chunk *chunk_new(size_t cap)
{
    struct chunk *c = xmalloc(sizeof *c + cap);
    c->used = 0;
    c->cap = cap;
    c->next = NULL;
    return c;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    struct chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        /* Big requests get a chunk of their own behind the head, so the
         * head's free space is not wasted. */
        if (size > ARENA_CHUNK / 4 && c) {
            struct chunk *big = chunk_new(size);
            big->used = size;
            big->next = c->next;
            c->next = big;
            return big->data;
        }
        c = chunk_new(size > ARENA_CHUNK ? size : ARENA_CHUNK);
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

void *arena_calloc(arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    void *p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    /* Printed straight into the head chunk's free space when it fits: the
     * sizing pass costs as much as the printing (messages, helps). */
    struct chunk *c = a->head;
    if (c && c->cap - c->used > 1) {
        char *p = (char *)c->data + c->used;
        int n = vsnprintf(p, c->cap - c->used, fmt, ap2);
        size_t align = sizeof(max_align_t);
        size_t need = ((size_t)n + 1 + align - 1) & ~(align - 1);
        if (n >= 0 && need <= c->cap - c->used) {
            va_end(ap2);
            c->used += need; /* what arena_alloc(a, n + 1) would take */
            return p;
        }
    }
    va_end(ap2);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
