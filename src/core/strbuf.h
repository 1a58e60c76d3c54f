/* strbuf.h - growable byte buffer used by reporters and message builders. */
#ifndef MIGRALINT_STRBUF_H
#define MIGRALINT_STRBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
} strbuf;

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void strbuf_add(strbuf *b, const char *s, size_t n);
void strbuf_puts(strbuf *b, const char *s);
void strbuf_putc(strbuf *b, char c);
/* v as 8 bytes, least significant first (the caches' byte forms). */
void strbuf_put_u64le(strbuf *b, uint64_t v);
void strbuf_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(strbuf *b);
void strbuf_free(strbuf *b);
/* a, sep and b joined into buf, cut at size - 1 bytes as snprintf's
 * "%s%s%s" would, without its cost (about 1,000 instructions a call:
 * paths of a folder's files, relation keys the rules ask for). */
void str_join3(char *buf, size_t size, const char *a, const char *sep, const char *b);
/* Returns the contents (never NULL); the caller owns it and the buffer is reset. */
char *strbuf_detach(strbuf *b);

#endif
