/* json.c - libpg_query's JSON into cJSON nodes in one pass (see json.h).
 *
 * cJSON_Parse cost a sixth of a check: a malloc per node, another per key
 * and per string, and a copy of each. This reader follows cJSON 1.7's
 * parser rule for rule (what it accepts and rejects, number saturation,
 * \u escapes, the head's prev pointing at the last item, the nesting
 * limit), so its trees are indistinguishable from cJSON's; tests/unit
 * compares the two on every fixture's JSON. */
#include "json.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Nodes are taken from the arena a block at a time. */
#define SLAB 64

typedef struct reader {
    char *p;
    arena *a;
    cJSON *slab;
    size_t left;
    int depth;
} reader;

static cJSON *node_new(reader *r)
{
    if (r->left == 0) {
        r->slab = arena_alloc(r->a, SLAB * sizeof(cJSON));
        r->left = SLAB;
    }
    r->left--;
    cJSON *n = r->slab++;
    memset(n, 0, sizeof *n);
    return n;
}

static void skip_ws(reader *r)
{
    /* cJSON skips every byte from 1 to 32, not just JSON's four. */
    while ((unsigned char)(*r->p - 1) < 32)
        r->p++;
}

/* cJSON's parse_hex4: 0 for a sequence that is not four hex digits. */
static unsigned hex4(const char *s)
{
    unsigned h = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        h <<= 4;
        if (c >= '0' && c <= '9')
            h += (unsigned)(c - '0');
        else if (c >= 'A' && c <= 'F')
            h += (unsigned)(c - 'A' + 10);
        else if (c >= 'a' && c <= 'f')
            h += (unsigned)(c - 'a' + 10);
        else
            return 0;
    }
    return h;
}

/* A \uXXXX escape (two for a surrogate pair) at in, written as UTF-8 at
 * *out. Returns the escape's length, 0 when cJSON rejects it. */
static size_t utf16_to_utf8(const char *in, const char *end, char **out)
{
    if (end - in < 6)
        return 0;
    unsigned code = hex4(in + 2), len = 6;
    if (code >= 0xDC00 && code <= 0xDFFF)
        return 0;
    if (code >= 0xD800 && code <= 0xDBFF) {
        const char *second = in + 6;
        if (end - second < 6 || second[0] != '\\' || second[1] != 'u')
            return 0;
        unsigned low = hex4(second + 2);
        if (low < 0xDC00 || low > 0xDFFF)
            return 0;
        code = 0x10000 + (((code & 0x3FF) << 10) | (low & 0x3FF));
        len = 12;
    }
    unsigned char *o = (unsigned char *)*out;
    int n = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : code <= 0x10FFFF ? 4 : 0;
    static const unsigned char mark[5] = {0, 0, 0xC0, 0xE0, 0xF0};
    if (n == 0)
        return 0;
    for (int i = n - 1; i > 0; i--) {
        o[i] = (unsigned char)((code | 0x80) & 0xBF);
        code >>= 6;
    }
    o[0] = (unsigned char)(n > 1 ? (code | mark[n]) & 0xFF : code & 0x7F);
    *out += n;
    return len;
}

/* Unescapes the string whose opening quote is at r->p where it stands
 * (the result is never longer than its escaped form) and NUL-terminates it. */
static char *read_string(reader *r)
{
    if (*r->p != '"')
        return NULL;
    char *start = r->p + 1, *end = start;
    bool escaped = false;
    while (*end && *end != '"') {
        if (*end == '\\') {
            if (!end[1])
                return NULL;
            escaped = true;
            end++;
        }
        end++;
    }
    if (*end != '"')
        return NULL;
    r->p = end + 1;
    if (!escaped) {
        *end = '\0';
        return start;
    }
    char *in = start, *out = start;
    while (in < end) {
        if (*in != '\\') {
            *out++ = *in++;
            continue;
        }
        size_t len = 2;
        switch (in[1]) {
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 't':
            *out++ = '\t';
            break;
        case '"':
        case '\\':
        case '/':
            *out++ = in[1];
            break;
        case 'u':
            len = utf16_to_utf8(in, end, &out);
            if (len == 0)
                return NULL;
            break;
        default:
            return NULL;
        }
        in += len;
    }
    *out = '\0';
    return start;
}

static bool is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

static void set_number(cJSON *n, double v)
{
    n->type = cJSON_Number;
    n->valuedouble = v;
    n->valueint = v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
}

/* cJSON copies up to 63 number characters and hands them to strtod (in
 * the C locale migralint runs in, '.' is the decimal point). A plain
 * integer of up to 15 digits, almost every number libpg_query writes, is
 * exact in a double and read here without strtod. */
static bool read_number(reader *r, cJSON *n)
{
    const char *s = r->p;
    bool neg = *s == '-';
    size_t i = neg, digits = 0;
    double v = 0;
    while (s[i] >= '0' && s[i] <= '9' && digits < 16) {
        v = v * 10 + (s[i] - '0');
        i++, digits++;
    }
    if (digits > 0 && digits <= 15 && !is_number_char(s[i])) {
        set_number(n, neg ? -v : v);
        r->p += i;
        return true;
    }
    char buf[64];
    size_t k = 0;
    while (k < sizeof buf - 1 && is_number_char(s[k])) {
        buf[k] = s[k];
        k++;
    }
    buf[k] = '\0';
    char *after;
    v = strtod(buf, &after);
    if (after == buf)
        return false;
    set_number(n, v);
    r->p += after - buf;
    return true;
}

static bool read_value(reader *r, cJSON *n);

/* The members of an object or the items of an array, up to close. */
static bool read_items(reader *r, cJSON *n, char close, bool keyed)
{
    if (r->depth >= CJSON_NESTING_LIMIT)
        return false;
    r->depth++;
    r->p++; /* '{' or '[' */
    skip_ws(r);
    cJSON *head = NULL, *last = NULL;
    if (*r->p != close) {
        for (;;) {
            cJSON *item = node_new(r);
            if (!head)
                head = item;
            else
                last->next = item, item->prev = last;
            last = item;
            skip_ws(r);
            if (keyed) {
                if (!(item->string = read_string(r)))
                    return false;
                skip_ws(r);
                if (*r->p != ':')
                    return false;
                r->p++;
                skip_ws(r);
            }
            if (!read_value(r, item))
                return false;
            skip_ws(r);
            if (*r->p != ',')
                break;
            r->p++;
        }
        if (*r->p != close)
            return false;
    }
    r->p++;
    r->depth--;
    if (head)
        head->prev = last;
    n->type = keyed ? cJSON_Object : cJSON_Array;
    n->child = head;
    return true;
}

static bool read_word(reader *r, const char *word, size_t len)
{
    if (strncmp(r->p, word, len) != 0)
        return false;
    r->p += len;
    return true;
}

static bool read_value(reader *r, cJSON *n)
{
    switch (*r->p) {
    case '"':
        n->type = cJSON_String;
        return (n->valuestring = read_string(r)) != NULL;
    case '{':
        return read_items(r, n, '}', true);
    case '[':
        return read_items(r, n, ']', false);
    case 'n':
        n->type = cJSON_NULL;
        return read_word(r, "null", 4);
    case 'f':
        n->type = cJSON_False;
        return read_word(r, "false", 5);
    case 't':
        n->type = cJSON_True;
        n->valueint = 1;
        return read_word(r, "true", 4);
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
            return read_number(r, n);
        return false;
    }
}

cJSON *sql_json_read(arena *a, char *text)
{
    reader r = {text, a, NULL, 0, 0};
    /* cJSON skips a UTF-8 byte order mark first. */
    if (!strncmp(r.p, "\xEF\xBB\xBF", 3))
        r.p += 3;
    skip_ws(&r);
    cJSON *root = node_new(&r);
    return read_value(&r, root) ? root : NULL;
}
