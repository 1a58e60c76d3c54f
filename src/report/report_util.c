/* report_util.c - the helpers the output formats share (report_util.h):
 * totals and their wording, terminal-safe text, JSON output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_util.h"

void report_count(const report_input *in, report_totals *t)
{
    diag_list_count(in->diags, t->level);
    t->all = t->level[LEVEL_NOTE] + t->level[LEVEL_WARNING] + t->level[LEVEL_ERROR];
}

void report_plural(strbuf *b, size_t n, const char *noun)
{
    strbuf_printf(b, "%zu %s%s", n, noun, n == 1 ? "" : "s");
}

void report_levels(strbuf *b, const report_totals *t)
{
    report_plural(b, t->level[LEVEL_ERROR], "error");
    strbuf_puts(b, ", ");
    report_plural(b, t->level[LEVEL_WARNING], "warning");
    strbuf_puts(b, ", ");
    report_plural(b, t->level[LEVEL_NOTE], "note");
}

/* Eight bytes that are all printable ASCII (0x20..0x7e) go in as they are
 * without a look at each: a report of 10,000 findings cleans a message, a
 * help text and a path each, byte by byte before. Tab, DEL, the controls
 * and any byte of a UTF-8 sequence are looked at one by one. */
static bool chunk_plain(const unsigned char *p)
{
    uint64_t x, ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    memcpy(&x, p, 8);
    uint64_t below_space = (x - 0x20 * ones) & ~x & highs; /* a byte < 0x20 */
    uint64_t y = x ^ (0x7f * ones);
    uint64_t del = (y - ones) & ~y & highs; /* a byte == 0x7f */
    return ((x & highs) | below_space | del) == 0;
}

void report_put_clean(strbuf *b, const char *s, size_t n, bool keep_newlines)
{
    /* Runs of bytes that stay as they are go in with one copy. */
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    while (p < end) {
        while (end - p >= 8 && chunk_plain(p))
            p += 8;
        const unsigned char *stop = end - p > 8 ? p + 8 : end;
        for (; p < stop; p++) {
            unsigned char c = *p;
            bool c1 = c == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f;
            if ((c >= 0x20 && c != 0x7f && !c1) || c == '\t')
                continue;
            if (p > run)
                strbuf_add(b, (const char *)run, (size_t)(p - run));
            if (c == '\r' && p + 1 < end && p[1] == '\n')
                ; /* CRLF is one line break: the LF puts it */
            else if (c == '\n' || c == '\r')
                strbuf_putc(b, keep_newlines ? '\n' : ' ');
            else if (c1)
                strbuf_putc(b, '?'), p++; /* U+0080..U+009F, the C1 controls */
            else
                strbuf_putc(b, '?'); /* the C0 controls and DEL, NUL included */
            run = p + 1;
        }
    }
    if (end > run)
        strbuf_add(b, (const char *)run, (size_t)(end - run));
}

void report_put_cleans(strbuf *b, const char *s, bool keep_newlines)
{
    report_put_clean(b, s ? s : "", s ? strlen(s) : 0, keep_newlines);
}

void report_put_int(strbuf *b, long v)
{
    char digits[24], *p = digits + sizeof digits;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    strbuf_add(b, p, (size_t)(digits + sizeof digits - p));
}

int report_flush(FILE *out, const strbuf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        return -1;
    return ferror(out) ? -1 : 0;
}

/* Scalars and keys go through cJSON, which knows JSON's string escaping. */
static void put_json_scalar(strbuf *b, const cJSON *item)
{
    char *text = cJSON_PrintUnformatted(item);
    if (!text)
        abort();
    strbuf_puts(b, text);
    cJSON_free(text);
}

static void put_json_key(strbuf *b, const char *key)
{
    cJSON *k = cJSON_CreateStringReference(key);
    put_json_scalar(b, k);
    cJSON_Delete(k);
    strbuf_puts(b, ": ");
}

/* Two-space indentation, "key": value, the layout of `jq .` and Python's
 * json.dumps(indent=2); cJSON_Print's tabs read poorly in a terminal or a
 * diff. */
static void put_json(strbuf *b, const cJSON *item, int depth)
{
    bool obj = cJSON_IsObject(item);
    if (!obj && !cJSON_IsArray(item)) {
        put_json_scalar(b, item);
        return;
    }
    if (!item->child) {
        strbuf_puts(b, obj ? "{}" : "[]");
        return;
    }
    strbuf_putc(b, obj ? '{' : '[');
    for (const cJSON *c = item->child; c; c = c->next) {
        strbuf_printf(b, "\n%*s", 2 * (depth + 1), "");
        if (obj)
            put_json_key(b, c->string);
        put_json(b, c, depth + 1);
        if (c->next)
            strbuf_putc(b, ',');
    }
    strbuf_printf(b, "\n%*s%c", 2 * depth, "", obj ? '}' : ']');
}

int report_print_json(FILE *out, cJSON *json)
{
    strbuf b = STRBUF_INIT;
    put_json(&b, json, 0);
    strbuf_putc(&b, '\n');
    cJSON_Delete(json);
    int rc = report_flush(out, &b);
    strbuf_free(&b);
    return rc;
}

void report_json_str(cJSON *obj, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(obj, key, s);
    else
        cJSON_AddNullToObject(obj, key);
}
