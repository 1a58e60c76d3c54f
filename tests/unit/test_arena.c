/* test_arena.c - the bump allocator and the growable buffer: arena_printf
 * and strbuf_printf write into the free space when the text fits, else
 * size it first; either way the text comes out whole and nothing after it
 * is overwritten. */
#include "../../src/core/arena.h"
#include "../../src/core/strbuf.h"
#include "unit.h"

#include <stdlib.h>

enum { NSTR = 3000 };

/* The text arena_printf is asked for in round i. */
static void expected(char *out, size_t size, int i, const char *pattern)
{
    snprintf(out, size, "%d:%.*s", i, i % 97, pattern);
}

void unit_suite_arena(void)
{
    TEST("arena: printed strings stay whole across chunk ends, however close")
    {
        char pattern[100];
        memset(pattern, 'p', sizeof pattern - 1);
        pattern[sizeof pattern - 1] = '\0';
        arena *a = arena_new();
        char **got = malloc(NSTR * sizeof *got);
        /* Rounds of varying length, each followed by a raw allocation that
         * is filled, so chunk ends fall at every offset of a string. */
        for (int i = 0; i < NSTR; i++) {
            got[i] = arena_printf(a, "%d:%.*s", i, i % 97, pattern);
            size_t n = (size_t)(i % 53);
            memset(arena_alloc(a, n), 0xAA, n);
        }
        int bad = 0;
        for (int i = 0; i < NSTR; i++) {
            char want[200];
            expected(want, sizeof want, i, pattern);
            bad += strcmp(want, got[i]) != 0;
        }
        CHECK_INT(0, bad);
        free(got);
        arena_free(a);
    }
    TEST("arena: a string that just fits, one that just does not, and a big one")
    {
        for (size_t room = 1; room <= 40; room++) {
            arena *a = arena_new();
            memset(arena_alloc(a, 64 * 1024 - room), 0x55, 64 * 1024 - room);
            char *s1 = arena_printf(a, "%s", "0123456789abcdefghijklmnopqrstu");        /* 31 */
            char *s2 = arena_printf(a, "%s%s", "0123456789", "abcdefghijklmnopqrstuv"); /* 32 */
            memset(arena_alloc(a, 100), 0xAA, 100);
            CHECK_STR("0123456789abcdefghijklmnopqrstu", s1);
            CHECK_STR("0123456789abcdefghijklmnopqrstuv", s2);
            arena_free(a);
        }
        arena *a = arena_new();
        char *big = malloc(40000);
        memset(big, 'b', 39999);
        big[39999] = '\0';
        char *s = arena_printf(a, "<%s>", big);
        memset(arena_alloc(a, 64), 0xAA, 64);
        CHECK_INT(40001, strlen(s));
        CHECK(s[0] == '<' && s[40000] == '>' && s[1] == 'b' && s[39999] == 'b');
        CHECK_STR("", arena_printf(a, "%s", ""));
        free(big);
        arena_free(a);
    }
    TEST("strbuf: printf fills the buffer to its last byte, and grows past it")
    {
        /* Every length from empty to twice the first capacity (64), after
         * every fill: each printf lands on, just before or just after the
         * end of the buffer at some point. */
        for (int fill = 0; fill < 70; fill++)
            for (int len = 0; len < 130; len++) {
                strbuf b = STRBUF_INIT;
                char want[256];
                for (int i = 0; i < fill; i++)
                    strbuf_putc(&b, 'f');
                strbuf_printf(&b, "%.*s|%d", len,
                              "0123456789012345678901234567890123456789"
                              "0123456789012345678901234567890123456789"
                              "0123456789012345678901234567890123456789"
                              "0123456789",
                              len);
                snprintf(want, sizeof want, "%.*s%.*s|%d", fill,
                         "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                         len,
                         "0123456789012345678901234567890123456789"
                         "0123456789012345678901234567890123456789"
                         "0123456789012345678901234567890123456789"
                         "0123456789",
                         len);
                if (strcmp(want, b.data) || b.len != strlen(want)) {
                    CHECK_STR(want, b.data);
                    CHECK_INT(strlen(want), b.len);
                }
                strbuf_free(&b);
            }
        strbuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s", ""); /* nothing added, as before */
        CHECK(b.len == 0);
        strbuf_puts(&b, "x");
        strbuf_printf(&b, "%s", "");
        CHECK_STR("x", b.data);
        strbuf_free(&b);
    }
    TEST("str_join3: what snprintf's %s%s%s writes, cut at every size")
    {
        const char *a = "public", *sep = ".", *b = "users";
        for (size_t size = 1; size <= 16; size++) {
            char got[16], want[16];
            str_join3(got, size, a, sep, b);
            snprintf(want, size, "%s%s%s", a, sep, b);
            CHECK_STR(want, got);
        }
    }
}
