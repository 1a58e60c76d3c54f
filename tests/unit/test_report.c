/* test_report.c - the report's hand-made pieces give what the byte loop and
 * printf gave before them: terminal-safe text eight bytes at a time, numbers
 * as "%ld", and the findings' fingerprints ("#%u" occurrence numbers,
 * "%016llx" digits). Each is compared with a copy of the code it replaced. */
#include "../../src/core/diag.h"
#include "../../src/core/source.h"
#include "../../src/core/strbuf.h"
#include "../../src/report/report_util.h"
#include "unit.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

/* report_put_clean as it was: one look at each byte. */
static void clean_by_byte(strbuf *b, const char *s, size_t n, bool keep_newlines)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    for (; p < end; p++) {
        unsigned char c = *p;
        bool c1 = c == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f;
        if ((c >= 0x20 && c != 0x7f && !c1) || c == '\t')
            continue;
        if (p > run)
            strbuf_add(b, (const char *)run, (size_t)(p - run));
        if (c == '\r' && p + 1 < end && p[1] == '\n')
            ;
        else if (c == '\n' || c == '\r')
            strbuf_putc(b, keep_newlines ? '\n' : ' ');
        else if (c1)
            strbuf_putc(b, '?'), p++;
        else
            strbuf_putc(b, '?');
        run = p + 1;
    }
    if (p > run)
        strbuf_add(b, (const char *)run, (size_t)(p - run));
}

/* Both cleanings of s[0..n), compared; 1 when they differ. */
static int clean_differs(const char *s, size_t n, bool keep_newlines)
{
    strbuf want = STRBUF_INIT, got = STRBUF_INIT;
    clean_by_byte(&want, s, n, keep_newlines);
    report_put_clean(&got, s, n, keep_newlines);
    int bad = want.len != got.len || (want.len && memcmp(want.data, got.data, want.len) != 0);
    strbuf_free(&want);
    strbuf_free(&got);
    return bad;
}

/* The fingerprint code as it was, for one finding of a list. */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void old_fingerprint(const diag *d, unsigned occurrence, char out[17])
{
    uint64_t h = 14695981039346656037ULL;
    h = fnv(h, d->rule_id, strlen(d->rule_id) + 1);
    h = fnv(h, d->src->path, strlen(d->src->path) + 1);
    bool space = false;
    for (size_t i = d->stmt_start; i < d->stmt_end; i++) {
        char c = d->src->text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space)
            h = fnv(h, " ", 1);
        space = false;
        h = fnv(h, &c, 1);
    }
    h = fnv(h, d->src->text + d->start, d->end - d->start);
    char num[16];
    int n = snprintf(num, sizeof num, "#%u", occurrence);
    h = fnv(h, num, (size_t)n);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void unit_suite_report(void)
{
    TEST("report: cleaning eight bytes at a time puts what the byte loop put")
    {
        /* Every byte that needs a look, at every offset of every length
         * up to three chunks, alone and before a C1 continuation byte. */
        static const unsigned char special[] = {0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1b,
                                                0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x9f,
                                                0xa0, 0xc2, 0xc3, 0xe2, 0xff};
        char s[32];
        int bad = 0;
        for (size_t len = 0; len <= 26; len++)
            for (size_t at = 0; at < len; at++)
                for (size_t k = 0; k < sizeof special; k++)
                    for (int next = 0; next < 3; next++) {
                        memset(s, 'a', len);
                        s[at] = (char)special[k];
                        if (at + 1 < len)
                            s[at + 1] = next == 0 ? 'b' : next == 1 ? (char)0x85 : '\n';
                        bad += clean_differs(s, len, false) + clean_differs(s, len, true);
                    }
        /* Random bytes, mostly printable, with the specials mixed in. */
        srand(21);
        for (int round = 0; round < 5000; round++) {
            size_t len = (size_t)(rand() % 31);
            for (size_t i = 0; i < len; i++)
                s[i] = rand() % 4 ? (char)(0x20 + rand() % 95)
                                  : (char)special[(size_t)rand() % sizeof special];
            bad += clean_differs(s, len, round % 2);
        }
        CHECK_INT(0, bad);
        strbuf b = STRBUF_INIT;
        static const char sample[] = "abcdefgh\r\nij\x1b[2Jkl\xc2\x9bmnopqrstu\x7f";
        report_put_clean(&b, sample, sizeof sample - 1, false);
        CHECK_STR("abcdefgh ij?[2Jkl?mnopqrstu?", b.data);
        strbuf_free(&b);
    }
    TEST("report: numbers put as %ld prints them")
    {
        static const long values[] = {0, 1, 9, 10, 99, 100, 12345, -1, -10, LONG_MAX, LONG_MIN};
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
            strbuf b = STRBUF_INIT;
            char want[32];
            snprintf(want, sizeof want, "%ld", values[i]);
            report_put_int(&b, values[i]);
            CHECK_STR(want, b.data);
            strbuf_free(&b);
        }
    }
    TEST("report: fingerprints as snprintf made them, occurrences past nine included")
    {
        /* Twelve findings of one rule on one statement (occurrence numbers
         * 0 to 11) and one of another rule. */
        const char *text = "ALTER  TABLE t\n\tDROP COLUMN c;\n";
        source *src = source_new("db/1_x.up.sql", text, strlen(text));
        arena *a = arena_new();
        diag_list l;
        diag_list_init(&l, a);
        for (int i = 0; i < 13; i++) {
            diag *d =
                diag_list_add(&l, i ? "drop-column" : "other-rule", LEVEL_WARNING, src, 27, 28);
            d->stmt_start = 0;
            d->stmt_end = 29;
        }
        diag_list_finalize(&l);
        unsigned seen[2] = {0, 0};
        int bad = 0;
        for (size_t i = 0; i < l.count; i++) {
            const diag *d = l.items[i];
            char want[17];
            old_fingerprint(d, seen[d->rule_id[0] == 'd']++, want);
            bad += strcmp(want, d->fingerprint) != 0;
        }
        /* Blanks first and last, other control bytes between words, text
         * of every length up to three groups of four. */
        const char *texts[] = {" \t\r\n",
                               "\n  CREATE\fTABLE\v\x01 x ( a int )\t\r\n ",
                               "a",
                               "ab c",
                               "abc  d",
                               "abcdefghijklm",
                               "\x7f\xc2\x85 x"};
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
            size_t n = strlen(texts[t]);
            source *one = source_new("db/2_y.up.sql", texts[t], n);
            diag_list ol;
            diag_list_init(&ol, a);
            for (size_t start = 0; start <= n; start++) {
                diag *d = diag_list_add(&ol, "drop-column", LEVEL_WARNING, one, start, n);
                d->stmt_start = start;
                d->stmt_end = n;
            }
            diag_list_finalize(&ol);
            for (size_t i = 0; i < ol.count; i++) {
                char want[17];
                old_fingerprint(ol.items[i], 0, want);
                bad += strcmp(want, ol.items[i]->fingerprint) != 0;
            }
            diag_list_free(&ol);
            source_free(one);
        }
        CHECK_INT(0, bad);
        CHECK_INT(1, seen[0]);
        CHECK_INT(12, seen[1]);
        diag_list_free(&l);
        arena_free(a);
        source_free(src);
    }
}
