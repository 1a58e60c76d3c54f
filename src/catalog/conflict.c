/* conflict.c - what every replay handler reports a conflict with: the
 * statement's range narrowed to the name at fault, and names printed as
 * PostgreSQL's messages print them. Below the handlers and their
 * dispatcher (replay.c), so both call down into it. */
#include "internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

static void report(replay *r, size_t start, size_t end, const char *fmt, va_list ap)
{
    r->failed = true;
    if (!r->conflict)
        return;
    char *msg = arena_vprintf(r->c->a, fmt, ap);
    r->conflict(r->ud, start, end, msg);
}

void rp_conflict(replay *r, size_t start, size_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(r, start, end, fmt, ap);
    va_end(ap);
}

static bool is_name_token(const sql_token *t)
{
    return t->kind == SQL_TOK_IDENT || t->kind == SQL_TOK_KEYWORD;
}

static size_t stmt_end_token(const replay *r)
{
    return r->s->first_token + r->s->ntokens;
}

/* The statement's first token: where a conflict points when nothing better is known. */
static void head_range(const replay *r, size_t *start, size_t *end)
{
    const sql_file *f = r->f;
    if (!f || r->s->ntokens == 0) {
        *start = *end = r->s->start;
        return;
    }
    *start = f->tokens[r->s->first_token].start;
    *end = f->tokens[r->s->first_token].end;
}

void rp_conflict_at(replay *r, long offset, const char *fmt, ...)
{
    size_t start, end;
    head_range(r, &start, &end);
    if (offset >= 0 && r->f) {
        size_t i = sql_token_at(r->f, r->s, (size_t)offset), last = i, stop = stmt_end_token(r);
        if (i < stop) {
            while (last + 2 < stop && r->f->tokens[last + 1].pg_token == '.' &&
                   is_name_token(&r->f->tokens[last + 2]))
                last += 2;
            start = r->f->tokens[i].start;
            end = r->f->tokens[last].end;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    report(r, start, end, fmt, ap);
    va_end(ap);
}

/* Folds an identifier token as the parser does: unquoted lower-cased,
 * quoted taken as written. */
static bool token_is_ident(const sql_file *f, size_t tok, const char *name)
{
    const sql_token *t = &f->tokens[tok];
    const char *s = f->src->text + t->start;
    size_t n = t->end - t->start, o = 0, len = strlen(name);
    if (!is_name_token(t) && t->kind != SQL_TOK_OTHER)
        return false;
    if (n >= 2 && s[0] == '"') {
        for (size_t i = 1; i + 1 < n; i++, o++) {
            if (o >= len || s[i] != name[o])
                return false;
            if (s[i] == '"')
                i++;
        }
        return o == len;
    }
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != (unsigned char)name[i])
            return false;
    return true;
}

void rp_conflict_name(replay *r, size_t from, const char *name, const char *fmt, ...)
{
    size_t start, end;
    head_range(r, &start, &end);
    if (r->f && name) {
        size_t stop = stmt_end_token(r);
        for (size_t i = sql_token_at(r->f, r->s, from); i < stop; i++) {
            if (token_is_ident(r->f, i, name)) {
                start = r->f->tokens[i].start;
                end = r->f->tokens[i].end;
                break;
            }
        }
    }
    va_list ap;
    va_start(ap, fmt);
    report(r, start, end, fmt, ap);
    va_end(ap);
}

const char *rp_qname(replay *r, const char *schema, const char *name)
{
    if (cat_is_public(schema))
        return name;
    return arena_printf(r->c->a, "%s.%s", schema, name);
}

const char *rp_relname(replay *r, const cat_rel *rel)
{
    return rp_qname(r, rel->schema, rel->name);
}
