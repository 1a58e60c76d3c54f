/* dj_name.c - the names Django gives what its schema editor creates, so the
 * replayed catalog holds the same names as the database (a later RunSQL
 * that drops `api_check_project_id_7f3c2a1b` by name finds it):
 * _create_index_name() (django/db/backends/base/schema.py) with
 * names_digest(), an MD5 of the parts, and truncate_name() for join
 * tables (django/db/backends/utils.py), PostgreSQL's 63-byte limit. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dj_state.h"

#define PG_MAX_NAME 63

typedef struct md5 {
    uint32_t h[4];
    uint64_t len;
    unsigned char buf[64];
} md5;

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const unsigned char md5_r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                        5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_block(md5 *m, const unsigned char *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[i * 4] | (uint32_t)p[i * 4 + 1] << 8 | (uint32_t)p[i * 4 + 2] << 16 |
               (uint32_t)p[i * 4 + 3] << 24;
    uint32_t a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16)
            f = (b & c) | (~b & d), g = i;
        else if (i < 32)
            f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
        else if (i < 48)
            f = b ^ c ^ d, g = (3 * i + 5) % 16;
        else
            f = c ^ (b | ~d), g = (7 * i) % 16;
        uint32_t t = d;
        d = c;
        c = b;
        uint32_t x = a + f + md5_k[i] + w[g];
        b = b + (x << md5_r[i] | x >> (32 - md5_r[i]));
        a = t;
    }
    m->h[0] += a, m->h[1] += b, m->h[2] += c, m->h[3] += d;
}

static void md5_update(md5 *m, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        m->buf[m->len % 64] = (unsigned char)s[i];
        m->len++;
        if (m->len % 64 == 0)
            md5_block(m, m->buf);
    }
}

static void md5_hex(md5 *m, char out[33])
{
    uint64_t bits = m->len * 8;
    md5_update(m, "\x80", 1);
    while (m->len % 64 != 56)
        md5_update(m, "", 1);
    for (int i = 0; i < 8; i++) {
        char byte = (char)(bits >> (8 * i));
        md5_update(m, &byte, 1);
    }
    for (int i = 0; i < 16; i++)
        snprintf(out + i * 2, 3, "%02x", (m->h[i / 4] >> (8 * (i % 4))) & 0xff);
}

static void md5_init(md5 *m)
{
    *m = (md5){{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, 0, {0}};
}

/* names_digest(table, *columns, length=8) */
static void digest(const char *table, const char *const *cols, size_t n, char out[33])
{
    md5 m;
    md5_init(&m);
    md5_update(&m, table, strlen(table));
    for (size_t i = 0; i < n; i++)
        md5_update(&m, cols[i], strlen(cols[i]));
    md5_hex(&m, out);
}

const char *dj_index_name(arena *a, const char *table, const char *const *cols, size_t n,
                          const char *suffix)
{
    char hex[33];
    digest(table, cols, n, hex);
    char *joined = arena_strdup(a, "");
    for (size_t i = 0; i < n; i++)
        joined = arena_printf(a, "%s%s%s", joined, i ? "_" : "", cols[i]);
    const char *hash = arena_printf(a, "%.8s%s", hex, suffix);
    const char *name = arena_printf(a, "%s_%s_%s", table, joined, hash);
    if (strlen(name) <= PG_MAX_NAME)
        return name;
    if (strlen(hash) > PG_MAX_NAME / 3)
        hash = arena_printf(a, "%.*s", PG_MAX_NAME / 3, hash);
    int other = (int)((PG_MAX_NAME - strlen(hash)) / 2 - 1);
    char *out = arena_printf(a, "%.*s_%.*s_%s", other, table, other, joined, hash);
    if (out[0] == '_' || (out[0] >= '0' && out[0] <= '9')) {
        out[strlen(out) - 1] = '\0';
        out = arena_printf(a, "D%s", out);
    }
    return out;
}

const char *dj_truncate_name(arena *a, const char *name)
{
    if (strlen(name) <= PG_MAX_NAME)
        return name;
    md5 m;
    char hex[33];
    md5_init(&m);
    md5_update(&m, name, strlen(name));
    md5_hex(&m, hex);
    return arena_printf(a, "%.*s%.4s", PG_MAX_NAME - 4, name, hex);
}
