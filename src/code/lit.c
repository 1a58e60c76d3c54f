/* lit.c - decoding string literals of JavaScript/TypeScript and Python into
 * virtual SQL, escape by escape, so every decoded byte knows where it was
 * written. Only constant strings are decoded: a template literal with ${},
 * an f-string with {expr}, or concatenation with anything but a string is
 * LIT_RUNTIME. */
#include <ctype.h>
#include <string.h>

#include "vsql.h"

static bool is_ident_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '$';
}

/* ${name} of a constant the resolver knows: its value, mapped to the $. */
static bool substitute(vsql *v, const char *t, size_t *i, size_t end)
{
    size_t s = *i + 2, e = s;
    while (s < end && t[s] == ' ')
        s++;
    e = s;
    while (e < end && is_ident_char(t[e]))
        e++;
    size_t close = e;
    while (close < end && t[close] == ' ')
        close++;
    if (!v->resolve || e == s || close >= end || t[close] != '}')
        return false;
    const char *val = v->resolve(v->resolve_ud, t + s, e - s);
    if (!val)
        return false;
    vsql_fixed(v, val, strlen(val), *i);
    *i = close + 1;
    return true;
}

typedef struct lit_body {
    const char *t; /* host text */
    size_t start, end;
    code_lang lang;
    bool raw;      /* Python r"" */
    bool fstring;  /* Python f"" */
    bool template; /* JavaScript `` */
} lit_body;

static bool node_is(TSNode n, const char *type)
{
    return strcmp(ts_node_type(n), type) == 0;
}

static void put_utf8(vsql *v, unsigned long cp, size_t at)
{
    char b[4];
    size_t n;
    if (cp < 0x80)
        b[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    vsql_fixed(v, b, n, at);
}

/* Reads up to max digits of base at s[*i, end); false when there is none. */
static bool read_num(const lit_body *b, size_t *i, int base, size_t max, unsigned long *out)
{
    size_t k = 0;
    unsigned long val = 0;
    for (; k < max && *i < b->end; k++, (*i)++) {
        int c = (unsigned char)b->t[*i], d;
        if (isdigit(c))
            d = c - '0';
        else if (isxdigit(c))
            d = tolower(c) - 'a' + 10;
        else
            break;
        if (d >= base)
            break;
        val = val * (unsigned long)base + (unsigned long)d;
    }
    *out = val;
    return k > 0;
}

static const char *simple_escape(char c)
{
    switch (c) {
    case 'n':
        return "\n";
    case 't':
        return "\t";
    case 'r':
        return "\r";
    case 'b':
        return "\b";
    case 'f':
        return "\f";
    case 'v':
        return "\v";
    case '\\':
        return "\\";
    case '\'':
        return "'";
    case '"':
        return "\"";
    default:
        return NULL;
    }
}

/* Decodes the escape at b->t[*i] (a backslash); moves *i past it. */
static void decode_escape(vsql *v, const lit_body *b, size_t *i)
{
    size_t at = *i;
    char c = *i + 1 < b->end ? b->t[*i + 1] : '\\';
    *i += 2;
    unsigned long cp;
    if (c == '\n' || c == '\r') { /* line continuation */
        if (c == '\r' && *i < b->end && b->t[*i] == '\n')
            (*i)++;
        return;
    }
    const char *s = simple_escape(c);
    if (s) {
        vsql_fixed(v, s, 1, at);
        return;
    }
    if (c == 'x' && read_num(b, i, 16, 2, &cp)) {
        put_utf8(v, cp, at);
        return;
    }
    if (c == 'u' && b->lang == CODE_JS && *i < b->end && b->t[*i] == '{') {
        (*i)++;
        read_num(b, i, 16, 6, &cp);
        if (*i < b->end && b->t[*i] == '}')
            (*i)++;
        put_utf8(v, cp, at);
        return;
    }
    if ((c == 'u' && read_num(b, i, 16, 4, &cp)) ||
        (c == 'U' && b->lang == CODE_PY && read_num(b, i, 16, 8, &cp))) {
        put_utf8(v, cp, at);
        return;
    }
    if (b->lang == CODE_PY && c >= '0' && c <= '7') {
        (*i)--;
        read_num(b, i, 8, 3, &cp);
        put_utf8(v, cp, at);
        return;
    }
    if (b->lang == CODE_JS) { /* \0, \` \$ and any other: the character itself */
        if (c == '0')
            vsql_fixed(v, "\0", 1, at);
        else
            vsql_copy(v, b->t + at + 1, 1, at + 1);
        return;
    }
    vsql_copy(v, b->t + at, 2, at); /* Python keeps unknown escapes as written */
}

static lit_result decode_body(vsql *v, const lit_body *b)
{
    size_t i = b->start;
    while (i < b->end) {
        size_t run = i;
        while (run < b->end && b->t[run] != '\\' && !(b->template && b->t[run] == '$') &&
               !(b->fstring && (b->t[run] == '{' || b->t[run] == '}')))
            run++;
        vsql_copy(v, b->t + i, run - i, i);
        i = run;
        if (i >= b->end)
            break;
        char c = b->t[i], next = i + 1 < b->end ? b->t[i + 1] : '\0';
        if (b->template && c == '$') {
            if (next == '{' && substitute(v, b->t, &i, b->end))
                continue;
            if (next == '{')
                return LIT_RUNTIME;
            vsql_copy(v, "$", 1, i++);
        } else if (b->fstring && c == next) { /* {{ and }} */
            vsql_copy(v, b->t + i, 1, i);
            i += 2;
        } else if (b->fstring) {
            return LIT_RUNTIME;
        } else if (b->raw) {
            vsql_copy(v, b->t + i, next ? 2 : 1, i);
            i += next ? 2 : 1;
        } else {
            decode_escape(v, b, &i);
        }
    }
    return LIT_OK;
}

static lit_result js_string(vsql *v, TSNode n, bool template)
{
    lit_body b = {
        v->host->text, ts_node_start_byte(n) + 1, ts_node_end_byte(n) - 1, CODE_JS, false, false,
        template};
    if (b.end < b.start)
        return LIT_NOT_STRING;
    return decode_body(v, &b);
}

static lit_result py_string(vsql *v, TSNode n)
{
    const char *t = v->host->text;
    size_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    lit_body b = {t, s, e, CODE_PY, false, false, false};
    while (b.start < e && isalpha((unsigned char)t[b.start])) {
        char p = (char)tolower((unsigned char)t[b.start++]);
        b.raw = b.raw || p == 'r';
        b.fstring = b.fstring || p == 'f';
    }
    if (b.start >= e)
        return LIT_NOT_STRING;
    char q = t[b.start];
    size_t ql = b.start + 2 < e && t[b.start + 1] == q && t[b.start + 2] == q ? 3 : 1;
    b.start += ql;
    if (e < b.start + ql)
        return LIT_NOT_STRING;
    b.end = e - ql;
    return decode_body(v, &b);
}

static lit_result append_node(vsql *v, code_lang lang, TSNode n)
{
    if (ts_node_is_null(n))
        return LIT_NOT_STRING;
    if (node_is(n, "parenthesized_expression") && ts_node_named_child_count(n) == 1)
        return append_node(v, lang, ts_node_named_child(n, 0));
    if (lang == CODE_JS && node_is(n, "string"))
        return js_string(v, n, false);
    if (lang == CODE_JS && node_is(n, "template_string"))
        return js_string(v, n, true);
    if (lang == CODE_PY && node_is(n, "string"))
        return py_string(v, n);
    bool concat = lang == CODE_PY && node_is(n, "concatenated_string");
    if (concat) {
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
            lit_result r = append_node(v, lang, ts_node_named_child(n, i));
            if (r != LIT_OK)
                return r == LIT_NOT_STRING ? LIT_RUNTIME : r;
        }
        return LIT_OK;
    }
    if (node_is(n, "identifier") && v->resolve) {
        size_t s = ts_node_start_byte(n);
        const char *val = v->resolve(v->resolve_ud, v->host->text + s, ts_node_end_byte(n) - s);
        if (!val)
            return LIT_RUNTIME;
        vsql_fixed(v, val, strlen(val), s);
        return LIT_OK;
    }
    if (node_is(n, lang == CODE_JS ? "binary_expression" : "binary_operator")) {
        TSNode op = ts_node_child_by_field_name(n, "operator", 8);
        if (ts_node_is_null(op) || !node_is(op, "+"))
            return LIT_RUNTIME;
        lit_result r = append_node(v, lang, ts_node_child_by_field_name(n, "left", 4));
        if (r == LIT_OK)
            r = append_node(v, lang, ts_node_child_by_field_name(n, "right", 5));
        return r == LIT_NOT_STRING ? LIT_RUNTIME : r;
    }
    return LIT_RUNTIME;
}

lit_result code_lit_append(vsql *v, code_lang lang, TSNode node)
{
    size_t len = v->text.len, nsegs = v->nsegs;
    size_t last_len = nsegs ? v->segs[nsegs - 1].len : 0; /* a merge may grow it */
    lit_result r = append_node(v, lang, node);
    if (r != LIT_OK) {
        v->text.len = len;
        if (v->text.data)
            v->text.data[len] = '\0';
        v->nsegs = nsegs;
        if (nsegs)
            v->segs[nsegs - 1].len = last_len;
    }
    return r;
}

char *code_lit_string(arena *a, const source *host, code_lang lang, TSNode node,
                      vsql_resolver resolve, void *ud)
{
    vsql v;
    vsql_init(&v, host);
    v.resolve = resolve;
    v.resolve_ud = ud;
    char *out = NULL;
    if (code_lit_append(&v, lang, node) == LIT_OK)
        out = arena_strndup(a, v.text.data ? v.text.data : "", v.text.len);
    vsql_free(&v);
    return out;
}
