/* ormx.c - helpers shared by the tree-sitter ORM extractors (see ormx.h). */
#include "ormx.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    const char *grammar, *scm;
    tsq *q;
} queries[8];
static size_t nqueries;

static void queries_free(void)
{
    for (size_t i = 0; i < nqueries; i++)
        tsq_free(queries[i].q);
    nqueries = 0;
}

tsq *ormx_query(const char *grammar, const char *scm, char *err, size_t errsize)
{
    for (size_t i = 0; i < nqueries; i++)
        if (!strcmp(queries[i].grammar, grammar) && !strcmp(queries[i].scm, scm))
            return queries[i].q;
    if (nqueries == sizeof queries / sizeof *queries) {
        snprintf(err, errsize, "%s: too many ORM queries (raise the cache in ormx.c)", scm);
        return NULL;
    }
    tsq *q = tsq_load(grammar, scm, err, errsize);
    if (!q)
        return NULL;
    if (!nqueries)
        atexit(queries_free);
    queries[nqueries].grammar = grammar;
    queries[nqueries].scm = scm;
    queries[nqueries++].q = q;
    return q;
}

orm_loc ormx_loc(const ormx_file *f, TSNode n)
{
    orm_loc l = {.path = f->path};
    if (ts_node_is_null(n)) {
        l.line = l.col = l.end_line = l.end_col = 1;
        return l;
    }
    uint32_t b[2] = {ts_node_start_byte(n), ts_node_end_byte(n)};
    TSPoint p[2] = {ts_node_start_point(n), ts_node_end_point(n)};
    uint32_t col[2];
    for (int k = 0; k < 2; k++) {
        /* The point's column is in bytes: count the code points instead. */
        uint32_t cps = 0;
        for (uint32_t i = b[k] - p[k].column; i < b[k] && i < f->len; i++)
            cps += ((unsigned char)f->text[i] & 0xC0) != 0x80;
        col[k] = cps + 1;
    }
    l.line = p[0].row + 1;
    l.col = col[0];
    l.end_line = p[1].row + 1;
    l.end_col = col[1];
    return l;
}

char *ormx_text(const ormx_file *f, TSNode n)
{
    /* tree-sitter's accessors crash on a null node, and an error-recovered
     * tree leaves fields out that the grammar says are always there. */
    if (ts_node_is_null(n))
        return arena_strdup(f->s->a, "");
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    return arena_strndup(f->s->a, f->text + a, b - a);
}

bool ormx_is(const ormx_file *f, TSNode n, const char *word)
{
    if (ts_node_is_null(n))
        return false;
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    return strlen(word) == b - a && !memcmp(f->text + a, word, b - a);
}

static bool kind_is(TSNode n, const char *kind)
{
    return !ts_node_is_null(n) && !strcmp(ts_node_type(n), kind);
}

/* The text between the first and last byte of n, when no child is an
 * escape or interpolation. */
static const char *unquote(const ormx_file *f, TSNode n, uint32_t open, uint32_t close)
{
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        const char *k = ts_node_type(ts_node_named_child(n, i));
        if (strstr(k, "escape") || strstr(k, "interpolation") || strstr(k, "substitution"))
            return NULL;
    }
    uint32_t a = ts_node_start_byte(n) + open, b = ts_node_end_byte(n);
    if (b < a + close)
        return NULL;
    return arena_strndup(f->s->a, f->text + a, b - close - a);
}

const char *ormx_string(const ormx_file *f, TSNode n)
{
    if (ts_node_is_null(n))
        return NULL;
    const char *k = ts_node_type(n);
    if (!strcmp(k, "string") && ts_node_named_child_count(n) &&
        kind_is(ts_node_named_child(n, 0), "string_start")) {
        /* python: a prefix (r, b, f, u) and one or three quotes */
        TSNode start = ts_node_named_child(n, 0);
        uint32_t sl = ts_node_end_byte(start) - ts_node_start_byte(start);
        const char *st = f->text + ts_node_start_byte(start);
        for (uint32_t i = 0; i < sl; i++)
            if (st[i] == 'f' || st[i] == 'F' || st[i] == 'b' || st[i] == 'B')
                return NULL;
        uint32_t quotes = sl >= 3 && st[sl - 1] == st[sl - 2] && st[sl - 2] == st[sl - 3] ? 3 : 1;
        return unquote(f, n, sl, quotes);
    }
    if (!strcmp(k, "string")) /* typescript '...' "...", ruby "..." '...' */
        return unquote(f, n, 1, 1);
    if (!strcmp(k, "simple_symbol")) /* ruby :name */
        return unquote(f, n, 1, 0);
    if (!strcmp(k, "interpreted_string_literal") || !strcmp(k, "raw_string_literal") ||
        !strcmp(k, "template_string"))
        return unquote(f, n, 1, 1);
    return NULL;
}

const char *ormx_last_name(const ormx_file *f, TSNode n)
{
    if (ts_node_is_null(n))
        return NULL;
    const char *k = ts_node_type(n);
    if (!strcmp(k, "identifier") || !strcmp(k, "type_identifier") ||
        !strcmp(k, "property_identifier") || !strcmp(k, "constant") ||
        !strcmp(k, "field_identifier"))
        return ormx_text(f, n);
    if (!strcmp(k, "attribute"))
        return ormx_last_name(f, ts_node_child_by_field_name(n, "attribute", 9));
    if (!strcmp(k, "member_expression"))
        return ormx_last_name(f, ts_node_child_by_field_name(n, "property", 8));
    if (!strcmp(k, "qualified_type") || !strcmp(k, "selector_expression") ||
        !strcmp(k, "scope_resolution")) {
        uint32_t c = ts_node_named_child_count(n);
        return c ? ormx_last_name(f, ts_node_named_child(n, c - 1)) : NULL;
    }
    return NULL;
}

TSNode ormx_next_child(TSNode parent, const char *kind, uint32_t *i)
{
    uint32_t count = ts_node_is_null(parent) ? 0 : ts_node_named_child_count(parent);
    for (; *i < count; (*i)++) {
        TSNode c = ts_node_named_child(parent, *i);
        if (kind_is(c, kind)) {
            (*i)++;
            return c;
        }
    }
    TSNode none = {0};
    return none;
}

TSNode ormx_py_kwarg(const ormx_file *f, TSNode args, const char *name)
{
    uint32_t i = 0;
    TSNode kw;
    while (!ts_node_is_null(kw = ormx_next_child(args, "keyword_argument", &i)))
        if (ormx_is(f, ts_node_child_by_field_name(kw, "name", 4), name))
            return ts_node_child_by_field_name(kw, "value", 5);
    TSNode none = {0};
    return none;
}

TSNode ormx_py_positional(TSNode args, uint32_t want)
{
    uint32_t count = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args), seen = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(args, i);
        const char *k = ts_node_type(c);
        if (!strcmp(k, "keyword_argument") || !strcmp(k, "comment") ||
            !strcmp(k, "dictionary_splat") || !strcmp(k, "list_splat"))
            continue;
        if (seen++ == want)
            return c;
    }
    TSNode none = {0};
    return none;
}

int ormx_py_bool(const ormx_file *f, TSNode n)
{
    (void)f;
    if (kind_is(n, "true"))
        return 1;
    if (kind_is(n, "false"))
        return 0;
    return -1;
}

TSNode ormx_ts_prop(const ormx_file *f, TSNode object, const char *key)
{
    uint32_t i = 0;
    TSNode p;
    while (!ts_node_is_null(p = ormx_next_child(object, "pair", &i))) {
        TSNode k = ts_node_child_by_field_name(p, "key", 3);
        const char *ks = ormx_string(f, k);
        if (ormx_is(f, k, key) || (ks && !strcmp(ks, key)))
            return ts_node_child_by_field_name(p, "value", 5);
    }
    TSNode none = {0};
    return none;
}

TSNode ormx_rb_pair(const ormx_file *f, TSNode args, const char *key)
{
    uint32_t count = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
    for (uint32_t i = 0; i < count; i++) {
        TSNode p = ts_node_named_child(args, i);
        if (kind_is(p, "hash")) { /* an explicit { } as the last argument */
            TSNode v = ormx_rb_pair(f, p, key);
            if (!ts_node_is_null(v))
                return v;
        }
        if (!kind_is(p, "pair"))
            continue;
        TSNode k = ts_node_child_by_field_name(p, "key", 3);
        uint32_t a = ts_node_start_byte(k), b = ts_node_end_byte(k);
        size_t kl = strlen(key);
        /* hash_key_symbol `null`, or a symbol `:null =>` */
        if ((b - a == kl && !memcmp(f->text + a, key, kl)) ||
            (b - a == kl + 1 && f->text[a] == ':' && !memcmp(f->text + a + 1, key, kl)))
            return ts_node_child_by_field_name(p, "value", 5);
    }
    TSNode none = {0};
    return none;
}

char *ormx_snake(const ormx_file *f, const char *name)
{
    size_t n = strlen(name);
    char *out = arena_alloc(f->s->a, 2 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (isupper(c)) {
            bool prev_lower = i > 0 && (islower((unsigned char)name[i - 1]) ||
                                        isdigit((unsigned char)name[i - 1]));
            bool next_lower = i + 1 < n && islower((unsigned char)name[i + 1]);
            bool prev_upper = i > 0 && isupper((unsigned char)name[i - 1]);
            if (o > out && o[-1] != '_' && (prev_lower || (prev_upper && next_lower)))
                *o++ = '_';
            *o++ = (char)tolower(c);
        } else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

const char **ormx_list_add(const ormx_file *f, const char **list, size_t n, const char *str)
{
    const char **out = arena_alloc(f->s->a, (n + 1) * sizeof *out);
    if (n)
        memcpy(out, list, n * sizeof *out);
    out[n] = arena_strdup(f->s->a, str);
    return out;
}

void ormx_note(const ormx_file *f, TSNode n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(f->s->a, fmt, ap);
    va_end(ap);
    orm_add_note(f->s, ormx_loc(f, n), "%s", msg);
}

TSNode ormx_field(TSNode n, const char *name)
{
    if (ts_node_is_null(n))
        return n;
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

bool ormx_kind(TSNode n, const char *kind)
{
    return kind_is(n, kind);
}

TSNode ormx_py_next_assignment(TSNode block, uint32_t *i)
{
    /* A null block (a class without a body, a Meta that is not there):
     * no assignment, rather than a crash in tree-sitter. */
    uint32_t n = ts_node_is_null(block) ? 0 : ts_node_named_child_count(block);
    for (; *i < n; (*i)++) {
        TSNode st = ts_node_named_child(block, *i);
        if (kind_is(st, "expression_statement") &&
            kind_is(ts_node_named_child(st, 0), "assignment")) {
            (*i)++;
            return ts_node_named_child(st, 0);
        }
    }
    TSNode none = {0};
    return none;
}

void ormx_note_syntax_errors(const ormx_file *f, TSNode root)
{
    if (!ts_node_has_error(root))
        return;
    /* Down the first erroneous branch to the ERROR or MISSING node itself,
     * iteratively: a fuzzed file can nest deeper than the stack allows. */
    TSNode n = root;
    while (!ts_node_is_error(n) && !ts_node_is_missing(n)) {
        TSNode next = {0};
        uint32_t k = ts_node_child_count(n);
        for (uint32_t i = 0; i < k && ts_node_is_null(next); i++)
            if (ts_node_has_error(ts_node_child(n, i)))
                next = ts_node_child(n, i);
        if (ts_node_is_null(next))
            break;
        n = next;
    }
    ormx_note(f, n, "syntax error; what it hides is not extracted");
}
