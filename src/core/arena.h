/* arena.h - bump allocator for objects that live as long as one lint run.
 *
 * Most of migralint's data (sources, parse results, diagnostics) is built once
 * and dropped together at exit, so an arena saves per-object free() calls and
 * makes leak-free sanitizer runs cheap. */
#ifndef MIGRALINT_ARENA_H
#define MIGRALINT_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t size);
void *arena_calloc(arena *a, size_t n, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

#endif
