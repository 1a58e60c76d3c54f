/* do_block.c - the schema changes inside a DO block of the shape older
 * drizzle-kit (and many hand-written migrations) wrap statements in to
 * make them idempotent:
 *
 *   DO $$ BEGIN
 *    ALTER TABLE "a" ADD CONSTRAINT ... FOREIGN KEY ...;
 *   EXCEPTION
 *    WHEN duplicate_object THEN null;
 *   END $$;
 *
 * The body is read with the SQL parser itself: after its leading BEGIN,
 * each plain SQL statement parses as SQL until
 * the first PL/pgSQL-only construct (EXCEPTION, IF, PERFORM...) fails to
 * parse, where applying stops. Bodies that start any other way (DECLARE,
 * IF ... THEN) are left alone, as before: what the replay cannot follow it
 * does not guess. The statements are applied without conflicts, since the
 * block exists to tolerate them. */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The dollar-quoted body's byte range inside the statement, if it has one. */
static bool body_range(const sql_file *f, const sql_stmt *s, size_t *start, size_t *end)
{
    const char *text = f->src->text;
    for (size_t i = s->first_token; i < s->first_token + s->ntokens; i++) {
        const sql_token *t = &f->tokens[i];
        if (t->kind != SQL_TOK_STRING || text[t->start] != '$')
            continue;
        size_t tag = 1;
        while (t->start + tag < t->end && text[t->start + tag] != '$')
            tag++;
        tag++; /* the closing '$' of the opening tag */
        if (t->end - t->start < 2 * tag)
            return false;
        *start = t->start + tag;
        *end = t->end - tag;
        return true;
    }
    return false;
}

/* The end of the body's leading BEGIN keyword (comments may precede it), or 0. */
static size_t after_begin(const sql_file *f, size_t start, size_t end)
{
    sql_file *scan = sql_file_parse(f->src, start, end);
    size_t at = 0;
    for (size_t i = 0; scan && i < scan->ntokens; i++) {
        const sql_token *t = &scan->tokens[i];
        if (t->kind == SQL_TOK_COMMENT || t->kind == SQL_TOK_BLOCK_COMMENT)
            continue;
        if (t->end - t->start == 5 && !strncasecmp(f->src->text + t->start, "begin", 5))
            at = t->end;
        break;
    }
    if (scan)
        sql_file_free(scan);
    return at;
}

void rp_do(replay *r)
{
    size_t start, end;
    if (!r->f || !r->f->src || !body_range(r->f, r->s, &start, &end))
        return;
    size_t from = after_begin(r->f, start, end);
    if (!from)
        return;
    sql_file *body = sql_file_parse(r->f->src, from, end);
    for (size_t i = 0; body && i < body->nstmts; i++) {
        const sql_stmt *s = &body->stmts[i];
        if (s->parse_error || !s->kind || !strcmp(s->kind, "TransactionStmt"))
            break;
        catalog_apply(r->c, body, s, NULL, NULL);
    }
    if (body)
        sql_file_free(body);
}
