/* names.c - finds names and subcommands among a statement's tokens.
 *
 * libpg_query gives no location for many names (DROP TABLE's objects, ALTER
 * TABLE DROP COLUMN's column). The scanner's tokens are exact, so we look the
 * name up there rather than pointing at the whole statement. */
#include "lint_internal.h"

#include <ctype.h>
#include <string.h>

const char *ident_fold(const sql_file *f, size_t tok, char *buf, size_t size)
{
    const sql_token *t = &f->tokens[tok];
    const char *s = f->src->text + t->start;
    size_t n = t->end - t->start, o = 0;
    if (size == 0)
        return buf;
    if (n >= 2 && s[0] == '`') { /* MySQL: `name`, case kept */
        for (size_t i = 1; i + 1 < n && o + 1 < size; i++) {
            buf[o++] = s[i];
            if (s[i] == '`' && s[i + 1] == '`')
                i++;
        }
    } else if (f->dialect == SQL_DIALECT_MYSQL) { /* names are not folded */
        for (size_t i = 0; i < n && o + 1 < size; i++)
            buf[o++] = s[i];
    } else if (n >= 2 && s[0] == '"') {
        for (size_t i = 1; i + 1 < n && o + 1 < size; i++) {
            buf[o++] = s[i];
            if (s[i] == '"' && s[i + 1] == '"')
                i++;
        }
    } else {
        for (size_t i = 0; i < n && o + 1 < size; i++)
            buf[o++] = (char)tolower((unsigned char)s[i]);
    }
    buf[o] = '\0';
    return buf;
}

static bool is_name_token(const sql_token *t)
{
    return t->kind == SQL_TOK_IDENT || t->kind == SQL_TOK_KEYWORD;
}

/* Does the dotted name start at token i? Sets *last to its final token. */
static bool name_at(const sql_file *f, size_t i, size_t end, const char *name, size_t *last)
{
    char buf[256];
    const char *p = name;
    for (;;) {
        if (i >= end || !is_name_token(&f->tokens[i]))
            return false;
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        ident_fold(f, i, buf, sizeof buf);
        if (strlen(buf) != n || strncmp(buf, p, n) != 0)
            return false;
        if (!dot) {
            *last = i;
            return true;
        }
        if (i + 1 >= end || f->tokens[i + 1].pg_token != '.')
            return false;
        i += 2;
        p = dot + 1;
    }
}

static lint_span token_span(const sql_file *f, size_t first, size_t last)
{
    lint_span sp = {f->tokens[first].start, f->tokens[last].end};
    return sp;
}

lint_span lint_stmt_head(const lint_ctx *ctx, const sql_stmt *s)
{
    const sql_file *f = ctx->file;
    if (s->ntokens == 0) {
        lint_span sp = {s->start, s->start};
        return sp;
    }
    return token_span(f, s->first_token, s->first_token);
}

lint_span lint_find_name(const lint_ctx *ctx, const sql_stmt *s, size_t from, const char *name)
{
    const sql_file *f = ctx->file;
    size_t end = s->first_token + s->ntokens, last;
    for (size_t i = sql_token_at(f, s, from); i < end; i++)
        if (name_at(f, i, end, name, &last))
            return token_span(f, i, last);
    return lint_stmt_head(ctx, s);
}

lint_span lint_find_keyword(const lint_ctx *ctx, const sql_stmt *s, size_t from, const char *word)
{
    const sql_file *f = ctx->file;
    size_t end = s->first_token + s->ntokens;
    for (size_t i = sql_token_at(f, s, from); i < end; i++)
        if (f->tokens[i].kind == SQL_TOK_KEYWORD && sql_token_is(f, i, word))
            return token_span(f, i, i);
    return lint_stmt_head(ctx, s);
}

lint_span lint_subcommand(const lint_ctx *ctx, const sql_stmt *s, size_t after, int index)
{
    const sql_file *f = ctx->file;
    size_t end = s->first_token + s->ntokens;
    size_t i = sql_token_at(f, s, after), first = i;
    int depth = 0, n = 0;
    for (; i < end; i++) {
        int tok = f->tokens[i].pg_token;
        if (f->tokens[i].kind == SQL_TOK_COMMENT || f->tokens[i].kind == SQL_TOK_BLOCK_COMMENT)
            continue;
        if (tok == '(')
            depth++;
        else if (tok == ')')
            depth--;
        else if (tok == ',' && depth == 0) {
            if (n == index && i > first)
                return token_span(f, first, i - 1);
            n++;
            first = i + 1;
        }
    }
    if (n == index && first < end)
        return token_span(f, first, end - 1);
    return lint_stmt_head(ctx, s);
}

lint_span lint_name_at(const lint_ctx *ctx, const sql_stmt *s, size_t offset)
{
    const sql_file *f = ctx->file;
    size_t end = s->first_token + s->ntokens;
    size_t i = sql_token_at(f, s, offset), last = i;
    if (i >= end)
        return lint_stmt_head(ctx, s);
    while (last + 2 < end && f->tokens[last + 1].pg_token == '.' &&
           is_name_token(&f->tokens[last + 2]))
        last += 2;
    return token_span(f, i, last);
}

char *lint_object_name(const lint_ctx *ctx, const cJSON *object)
{
    arena *a = lint_arena(ctx);
    cJSON *inner;
    const char *kind = sql_node_kind(object, &inner);
    if (!kind)
        return arena_strdup(a, "?");
    if (!strcmp(kind, "String"))
        return arena_strdup(a, sql_string_value(object));
    if (!strcmp(kind, "List"))
        return sql_name_list(a, sql_get(inner, "items"));
    if (!strcmp(kind, "TypeName"))
        return sql_name_list(a, sql_get(inner, "names"));
    return arena_strdup(a, "?");
}

const char *lint_split_name(const lint_ctx *ctx, const char *dotted, const char **schema)
{
    const char *dot = strrchr(dotted, '.');
    if (!dot) {
        *schema = NULL;
        return dotted;
    }
    *schema = arena_strndup(lint_arena(ctx), dotted, (size_t)(dot - dotted));
    return dot + 1;
}

const char *lint_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
