/* reader.c - a cursor over one MySQL statement's tokens (see internal.h):
 * names, literals and the small expressions that column defaults hold. */
#include "internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/strbuf.h"

static const sql_token *tk(const rd *r, size_t i)
{
    return &r->f->tokens[r->tok[i]];
}

bool rd_done(const rd *r)
{
    return r->i >= r->n;
}

size_t rd_start(const rd *r, size_t i)
{
    if (i >= r->n)
        return r->n ? tk(r, r->n - 1)->end : r->f->tokens[r->first].start;
    return tk(r, i)->start;
}

size_t rd_end(const rd *r, size_t i)
{
    if (i >= r->n)
        return rd_start(r, i);
    return tk(r, i)->end;
}

const char *rd_text(const rd *r, size_t from, size_t to)
{
    if (from >= to || from >= r->n)
        return "";
    size_t s = rd_start(r, from), e = rd_end(r, to - 1);
    return arena_strndup(r->a, r->text + s, e - s);
}

bool rd_is(const rd *r, size_t i, const char *word)
{
    if (i >= r->n)
        return false;
    const sql_token *t = tk(r, i);
    size_t n = t->end - t->start;
    const char *s = r->text + t->start;
    return t->kind == SQL_TOK_IDENT && s[0] != '`' && strlen(word) == n &&
           strncasecmp(s, word, n) == 0;
}

bool rd_peek(const rd *r, const char *word)
{
    return rd_is(r, r->i, word);
}

bool rd_accept(rd *r, const char *word)
{
    if (!rd_peek(r, word))
        return false;
    r->i++;
    return true;
}

bool rd_accept2(rd *r, const char *w1, const char *w2)
{
    if (!rd_is(r, r->i, w1) || !rd_is(r, r->i + 1, w2))
        return false;
    r->i += 2;
    return true;
}

bool rd_is_punct(const rd *r, size_t i, char c)
{
    return i < r->n && tk(r, i)->kind == SQL_TOK_PUNCT && tk(r, i)->pg_token == (unsigned char)c;
}

bool rd_accept_punct(rd *r, char c)
{
    if (!rd_is_punct(r, r->i, c))
        return false;
    r->i++;
    return true;
}

bool rd_is_ident(const rd *r, size_t i)
{
    return i < r->n && tk(r, i)->kind == SQL_TOK_IDENT && r->text[tk(r, i)->start] != '@';
}

bool rd_is_string(const rd *r, size_t i)
{
    return i < r->n && tk(r, i)->kind == SQL_TOK_STRING;
}

bool rd_fail(rd *r, const char *fmt, ...)
{
    if (r->error)
        return false;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->error = arena_strdup(r->a, buf);
    r->error_at = rd_start(r, r->i);
    return false;
}

/* The unquoted text of a name token: `a``b` -> a`b. */
static const char *name_value(const rd *r, size_t i)
{
    const sql_token *t = tk(r, i);
    const char *s = r->text + t->start;
    size_t n = t->end - t->start;
    if (s[0] != '`')
        return arena_strndup(r->a, s, n);
    strbuf b = STRBUF_INIT;
    for (size_t k = 1; k + 1 < n; k++) {
        strbuf_putc(&b, s[k]);
        if (s[k] == '`' && s[k + 1] == '`')
            k++;
    }
    const char *out = arena_strdup(r->a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}

const char *rd_name(rd *r, const char *what)
{
    if (!rd_is_ident(r, r->i)) {
        const char *near = r->i < r->n ? rd_text(r, r->i, r->i + 1) : "the end of the statement";
        rd_fail(r, "expected %s, found %s", what, near);
        return NULL;
    }
    return name_value(r, r->i++);
}

bool rd_qualified(rd *r, const char **schema, const char **name, size_t *loc)
{
    *loc = rd_start(r, r->i);
    *schema = NULL;
    const char *first = rd_name(r, "a table name");
    if (!first)
        return false;
    if (rd_accept_punct(r, '.')) {
        *schema = first;
        *name = rd_name(r, "a table name after the database name");
        return *name != NULL;
    }
    *name = first;
    return true;
}

size_t rd_group_end(const rd *r, size_t i)
{
    int depth = 0;
    for (; i < r->n; i++) {
        if (rd_is_punct(r, i, '('))
            depth++;
        else if (rd_is_punct(r, i, ')') && --depth <= 0)
            return i + 1;
    }
    return i;
}

const char *rd_string_value(const rd *r, size_t i)
{
    const sql_token *t = tk(r, i);
    const char *s = r->text + t->start;
    size_t n = t->end - t->start;
    char q = s[0];
    strbuf b = STRBUF_INIT;
    strbuf_puts(&b, "");
    for (size_t k = 1; k + 1 < n; k++) {
        if (s[k] == '\\' && k + 2 < n) {
            k++;
            char c = s[k];
            strbuf_putc(&b, c == 'n' ? '\n' : c == 't' ? '\t' : c == '0' ? '\0' : c);
        } else {
            strbuf_putc(&b, s[k]);
            if (s[k] == q && s[k + 1] == q)
                k++;
        }
    }
    const char *out = arena_strdup(r->a, b.data);
    strbuf_free(&b);
    return out;
}

static bool is_number_token(const rd *r, size_t i)
{
    return i < r->n && tk(r, i)->kind == SQL_TOK_OTHER;
}

/* MySQL's synonyms of CURRENT_TIMESTAMP, which MariaDB prints as
 * current_timestamp(). */
static bool is_now(const char *w)
{
    static const char *const names[] = {"current_timestamp", "now", "localtime", "localtimestamp",
                                        NULL};
    for (const char *const *n = names; *n; n++)
        if (!strcasecmp(w, *n))
            return true;
    return false;
}

/* A call or keyword value: now(), CURRENT_TIMESTAMP(3), uuid(). */
static const char *word_expr(rd *r)
{
    const char *w = rd_text(r, r->i, r->i + 1);
    r->i++;
    const char *args = "";
    bool call = rd_is_punct(r, r->i, '(');
    if (call) {
        size_t e = rd_group_end(r, r->i);
        args = rd_text(r, r->i + 1, e - 1);
        r->i = e;
    }
    if (is_now(w))
        return arena_printf(r->a, "current_timestamp(%s)", args);
    if (!call)
        return w;
    strbuf b = STRBUF_INIT;
    for (const char *p = w; *p; p++)
        strbuf_putc(&b, (char)tolower((unsigned char)*p));
    const char *out = arena_printf(r->a, "%s(%s)", b.data, args);
    strbuf_free(&b);
    return out;
}

static const char *quoted(rd *r, const char *value)
{
    strbuf b = STRBUF_INIT;
    sql_put_literal(&b, value);
    const char *out = arena_strdup(r->a, b.data);
    strbuf_free(&b);
    return out;
}

const char *rd_expr(rd *r, bool *is_null)
{
    *is_null = false;
    if (rd_done(r)) {
        rd_fail(r, "expected a value");
        return NULL;
    }
    if (rd_is_punct(r, r->i, '(')) { /* (expr): MariaDB prints it without the parentheses */
        size_t e = rd_group_end(r, r->i);
        size_t from = r->i + 1, to = e - 1;
        r->i = e;
        if (to == from + 1 && rd_is_string(r, from))
            return quoted(r, rd_string_value(r, from));
        if (to > from && rd_is_ident(r, from)) {
            rd sub = *r;
            sub.i = from;
            sub.n = to;
            bool n2;
            const char *t = rd_expr(&sub, &n2);
            if (t && sub.i == to)
                return t;
        }
        return rd_text(r, from, to);
    }
    if (rd_is_string(r, r->i))
        return quoted(r, rd_string_value(r, r->i++));
    bool neg = rd_is_punct(r, r->i, '-');
    if ((neg || rd_is_punct(r, r->i, '+')) && is_number_token(r, r->i + 1)) {
        const char *num = rd_text(r, r->i + 1, r->i + 2);
        r->i += 2;
        return neg ? arena_printf(r->a, "-%s", num) : num;
    }
    if (is_number_token(r, r->i)) {
        const char *num = rd_text(r, r->i, r->i + 1);
        r->i++;
        return num;
    }
    if (rd_accept(r, "NULL")) {
        *is_null = true;
        return "NULL";
    }
    if (rd_accept(r, "TRUE"))
        return "1";
    if (rd_accept(r, "FALSE"))
        return "0";
    /* b'0101', x'ff', _utf8mb4'text' */
    if (rd_is_ident(r, r->i) && rd_is_string(r, r->i + 1) &&
        rd_end(r, r->i) == rd_start(r, r->i + 1)) {
        const char *t = rd_text(r, r->i, r->i + 2);
        r->i += 2;
        return t;
    }
    if (rd_is_ident(r, r->i))
        return word_expr(r);
    rd_fail(r, "expected a value, found %s", rd_text(r, r->i, r->i + 1));
    return NULL;
}

cJSON *rd_column_list(rd *r)
{
    if (!rd_accept_punct(r, '(')) {
        rd_fail(r, "expected a parenthesised column list");
        return NULL;
    }
    cJSON *cols = cJSON_CreateArray();
    for (;;) {
        const char *c = rd_name(r, "a column name");
        if (!c) {
            cJSON_Delete(cols);
            return NULL;
        }
        cJSON_AddItemToArray(cols, nd_str(c));
        if (rd_is_punct(r, r->i, '(')) { /* prefix length: name(10), which the grammar lacks */
            size_t e = rd_group_end(r, r->i);
            rd_mask(r, r->i, e);
            r->i = e;
        }
        if (!rd_accept(r, "ASC"))
            rd_accept(r, "DESC");
        if (rd_accept_punct(r, ','))
            continue;
        if (rd_accept_punct(r, ')'))
            return cols;
        cJSON_Delete(cols);
        rd_fail(r, "expected , or ) in the column list");
        return NULL;
    }
}

void rd_mask(rd *r, size_t from, size_t to)
{
    if (from >= to || r->nmasks == sizeof r->masks / sizeof r->masks[0])
        return;
    r->masks[r->nmasks].start = rd_start(r, from);
    r->masks[r->nmasks].end = rd_end(r, to - 1);
    r->nmasks++;
}
