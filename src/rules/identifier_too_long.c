/* identifier-too-long: PostgreSQL truncates identifiers to 63 bytes
 * (NAMEDATALEN - 1) with only a NOTICE. Two long names that share their
 * first 63 bytes collide, and code using the full name no longer finds the
 * object. The parse tree already holds the truncated name, so the check reads
 * the name tokens as written. */
#include <string.h>

#include "rule.h"

#define PG_MAX_IDENT 63

/* The length of the name a token spells, in the bytes PostgreSQL counts;
 * 0 for a token that is not an identifier. */
static size_t ident_len(const sql_file *f, const sql_token *t)
{
    if (t->kind != SQL_TOK_IDENT)
        return 0;
    size_t len = t->end - t->start;
    if (len >= 2 && f->src->text[t->start] == '"')
        len -= 2; /* the quotes; "" escapes are rare enough to count double */
    return len;
}

/* Does any identifier of the statement pass the limit? Only those tokens
 * can be reported, and a look at each token is cheaper than finding the
 * names in the tree (most statements have none). */
static bool has_long_ident(const sql_file *f, const sql_stmt *s)
{
    const sql_token *t = f->tokens + s->first_token, *end = t + s->ntokens;
    for (; t < end; t++)
        if (t->end - t->start > PG_MAX_IDENT && ident_len(f, t) > PG_MAX_IDENT)
            return true;
    return false;
}

static void check_token(lint_ctx *ctx, const sql_stmt *s, size_t tok)
{
    const sql_file *f = lint_file(ctx);
    if (tok >= s->first_token + s->ntokens)
        return;
    const sql_token *t = &f->tokens[tok];
    size_t len = ident_len(f, t);
    if (len <= PG_MAX_IDENT)
        return;
    diag *d = lint_report(ctx, "identifier-too-long", t->start, t->end,
                          "identifier is %zu bytes; PostgreSQL silently truncates it to its "
                          "first %d bytes",
                          len, PG_MAX_IDENT);
    lint_help(ctx, d, "choose a name of at most %d bytes", PG_MAX_IDENT);
}

/* Checks each part of the dotted name whose first token is at offset. */
static void check_name_at(lint_ctx *ctx, const sql_stmt *s, long offset)
{
    if (offset < 0)
        return;
    const sql_file *f = lint_file(ctx);
    lint_span sp = lint_name_at(ctx, s, (size_t)offset);
    for (size_t i = sql_token_at(f, s, sp.start); i < f->ntokens && f->tokens[i].end <= sp.end; i++)
        check_token(ctx, s, i);
}

/* A named constraint's location is its CONSTRAINT keyword; the name follows. */
static void check_constraint(lint_ctx *ctx, const sql_stmt *s, const cJSON *c)
{
    if (!sql_get_str(c, "conname") || sql_location(c) < 0)
        return;
    const sql_file *f = lint_file(ctx);
    size_t tok = sql_token_at(f, s, (size_t)sql_location(c));
    if (sql_token_is(f, tok, "constraint"))
        check_token(ctx, s, tok + 1);
}

static void check_element(lint_ctx *ctx, const sql_stmt *s, const cJSON *wrapped)
{
    cJSON *n;
    const char *kind = sql_node_kind(wrapped, &n);
    if (!kind)
        return;
    if (!strcmp(kind, "ColumnDef")) {
        check_name_at(ctx, s, sql_location(n));
        const cJSON *c;
        cJSON_ArrayForEach(c, sql_get(n, "constraints"))
            check_constraint(ctx, s, sql_get(c, "Constraint"));
    } else if (!strcmp(kind, "Constraint")) {
        check_constraint(ctx, s, n);
    }
}

/* CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON ... */
static void check_index_name(lint_ctx *ctx, const sql_stmt *s)
{
    if (!sql_get_str(s->node, "idxname"))
        return;
    const sql_file *f = lint_file(ctx);
    lint_span kw = lint_find_keyword(ctx, s, s->start, "index");
    size_t tok = sql_token_at(f, s, kw.end);
    static const char *const skip[] = {"concurrently", "if", "not", "exists"};
    for (size_t k = 0; k < 4; k++)
        if (sql_token_is(f, tok, skip[k]))
            tok++;
    check_token(ctx, s, tok);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *n = s->node, *item;
    if (!has_long_ident(lint_file(ctx), s))
        return;
    if (!strcmp(s->kind, "CreateStmt")) {
        check_name_at(ctx, s, sql_location(sql_get(n, "relation")));
        cJSON_ArrayForEach(item, sql_get(n, "tableElts")) check_element(ctx, s, item);
    } else if (!strcmp(s->kind, "AlterTableStmt")) {
        cJSON_ArrayForEach(item, sql_get(n, "cmds"))
            check_element(ctx, s, sql_get(sql_get(item, "AlterTableCmd"), "def"));
    } else if (!strcmp(s->kind, "IndexStmt")) {
        check_index_name(ctx, s);
    } else if (!strcmp(s->kind, "ViewStmt")) {
        check_name_at(ctx, s, sql_location(sql_get(n, "view")));
    } else if (!strcmp(s->kind, "CreateTableAsStmt")) {
        check_name_at(ctx, s, sql_location(sql_get(sql_get(n, "into"), "rel")));
    }
}

const rule rule_identifier_too_long = {
    .id = "identifier-too-long",
    .kinds = "CreateStmt AlterTableStmt IndexStmt ViewStmt CreateTableAsStmt",
    .check = check};
