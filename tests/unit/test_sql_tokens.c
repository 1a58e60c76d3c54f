/* test_sql_tokens.c - the tokens a raw parse records as it lexes
 * (scripts/pg_query_tokens.c's pg_query_tokens_core_yylex, which setup.sh
 * puts between the parser and core_yylex) against a separate scan's
 * (pg_query_scan_tokens), on every .sql file under fixtures/ and on
 * strings made to be hard to lex. A parse that succeeds must have recorded
 * exactly the scan's tokens (sql_file_parse then skips the scan); one that
 * fails, a prefix of them. And sql_file_parse's tokens, whichever way it
 * got them, are sql_file_scan's. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pg_query.h>

#include "../../src/sql/sql.h"
#include "unit.h"

typedef void (*token_fn)(void *ud, int start, int end, int token, int keyword_kind);
int pg_query_scan_tokens(const char *input, token_fn fn, void *ud, int *cursorpos);
void pg_query_tokens_record(token_fn fn, void *ud);
typedef void *(*tree_alloc_fn)(void *ud, size_t size);
cJSON *pg_query_parse_tree(const char *input, tree_alloc_fn alloc, void *ud, PgQueryError **error);
void pg_query_free_error(PgQueryError *error);

typedef struct tok {
    int start, end, token, keyword_kind;
} tok;

typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

static void take(void *ud, int start, int end, int token, int keyword_kind)
{
    toks *t = ud;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        if (!t->v)
            abort();
    }
    t->v[t->n++] = (tok){start, end, token, keyword_kind};
}

static void *tree_alloc(void *ud, size_t size)
{
    return arena_alloc(ud, size);
}

typedef struct tally {
    int files, parsed, failed_parses, differ;
} tally;

static bool same_tok(const tok *a, const tok *b)
{
    return a->start == b->start && a->end == b->end && a->token == b->token &&
           a->keyword_kind == b->keyword_kind;
}

/* The raw parse's recording against the scan: all of it when the parse
 * succeeded, a prefix when it failed. The scan's tokens before a lexical
 * error count (the parse stops at that error too). */
static bool recording_agrees(const char *sql, bool *parsed)
{
    toks rec = {0}, scan = {0};
    arena *a = arena_new();
    PgQueryError *e = NULL;
    pg_query_tokens_record(take, &rec);
    cJSON *tree = pg_query_parse_tree(sql, tree_alloc, a, &e);
    pg_query_tokens_record(NULL, NULL);
    /* Not recorded once the recorder is off. */
    size_t before = rec.n;
    PgQueryError *e2 = NULL;
    pg_query_parse_tree(sql, tree_alloc, a, &e2);
    int cursorpos = 0;
    pg_query_scan_tokens(sql, take, &scan, &cursorpos);
    *parsed = !e;
    bool ok = rec.n == before && (e ? rec.n <= scan.n : rec.n == scan.n);
    for (size_t i = 0; ok && i < rec.n; i++)
        ok = same_tok(&rec.v[i], &scan.v[i]);
    (void)tree;
    if (e)
        pg_query_free_error(e);
    if (e2)
        pg_query_free_error(e2);
    arena_free(a);
    free(rec.v);
    free(scan.v);
    return ok;
}

/* sql_file_parse's tokens (recorded when the parse succeeds) against
 * sql_file_scan's, every field. */
static bool file_tokens_agree(const char *path, const char *sql, size_t len)
{
    source *src = source_new(path, sql, len);
    sql_file *p = sql_file_parse(src, 0, src->len);
    sql_file *s = sql_file_scan(src, 0, src->len);
    bool ok = p->ntokens == s->ntokens && (p->tokens != NULL) == (s->tokens != NULL);
    for (size_t i = 0; ok && i < p->ntokens; i++) { /* (not memcmp: the padding) */
        const sql_token *a = &p->tokens[i], *b = &s->tokens[i];
        ok = a->start == b->start && a->end == b->end && a->kind == b->kind &&
             a->pg_token == b->pg_token;
    }
    sql_file_free(p);
    sql_file_free(s);
    source_free(src);
    return ok;
}

static void check_text(const char *name, const char *sql, size_t len, tally *t)
{
    bool parsed = false;
    t->files++;
    bool rec_ok = strlen(sql) != len || recording_agrees(sql, &parsed);
    bool file_ok = file_tokens_agree(name, sql, len);
    if (!rec_ok || !file_ok) {
        printf("  %s: %s differ\n", name,
               !rec_ok ? "the recorded and the scanned tokens" : "sql_file_parse's tokens");
        t->differ++;
    }
    parsed ? t->parsed++ : t->failed_parses++;
}

static void check_file(const char *path, void *ud)
{
    size_t len;
    char *sql = unit_read_file(path, &len);
    if (sql)
        check_text(path, sql, len, ud);
    free(sql);
}

void unit_suite_sql_tokens(void)
{
    TEST("sql tokens: a parse records the scan's tokens, on every fixture")
    {
        const char *fixtures = getenv("FIXTURES");
        tally t = {0};
        unit_each_sql_file(fixtures ? fixtures : "fixtures", check_file, &t);
        CHECK(t.files > 300);
        CHECK(t.parsed > 300);      /* the recording was used, not only the scan */
        CHECK(t.failed_parses > 5); /* and the fallback too */
        CHECK_INT(0, t.differ);
    }
    TEST("sql tokens: comments, quotes, escapes, lookahead and errors recorded as scanned")
    {
        static const char *const parse[] = {
            "-- a line comment\nSELECT 1; -- after\n/* block */ SELECT /* in */ 2 /* end */",
            "/* outer /* nested */ still outer */ SELECT 1 /* a /* b /* c */ */ */;",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 -- not a comment\n $$ LANGUAGE sql;"
            "DO $body$ BEGIN RAISE NOTICE '$$'; END $body$; SELECT $q$it's$q$, $$$$",
            "SELECT E'a\\'b\\\\', E'\\n', 'it''s', B'101', X'1f', N'nat', 'a'\n'b'",
            "SELECT U&'d\\0061t\\+000061', U&'d!0061t' UESCAPE '!', U&\"d!0061\" UESCAPE '!' "
            "FROM U&\"t\\0061\"",
            "SELECT 1 WHERE a NOT IN (1) AND b NOT LIKE 'x' AND c NOT BETWEEN 1 AND 2 "
            "ORDER BY d NULLS FIRST, e NULLS LAST; CREATE TABLE t (a timestamp WITH TIME ZONE, "
            "b time WITHOUT TIME ZONE); SELECT * FROM f() WITH ORDINALITY; SELECT NOT x, NULLS",
            "SELECT 1;\r\n-- crlf comment\r\nCREATE TABLE t (\r\n  a int /* c\r\n */\r\n);\r\n",
            "SELECT \"quoted \"\"ident\"\"\", $1, 1.5e3, .5, 1::int, a->>'k', b @> c, d <> e, f != "
            "g",
            "",
            "   \n\t  ",
            "-- only a comment",
            "/* only a block */",
            "SELECT 1 -- no newline at the end",
        };
        static const char *const fail[] = {
            "SELECT 'unterminated",
            "SELECT 1; /* unterminated comment",
            "SELECT $$ unterminated dollar",
            "SELECT \"unterminated ident",
            "SELECT 1; SELEC 2; SELECT 3 -- a syntax error in the middle",
            "CREATE TABLE t (a int,, b int); /* after */ SELECT 1",
            "SELECT U&'x' UESCAPE 1",
            "SELECT U&'x' UESCAPE '+'",
            "\xEF\xBB\xBFSELECT 1; -- a BOM",
            "SELECT E'\\x",
            "SELECT 1 /* a /* nested, unclosed */",
        };
        tally t = {0};
        char name[64];
        for (size_t i = 0; i < sizeof parse / sizeof parse[0]; i++) {
            snprintf(name, sizeof name, "parse case %zu", i);
            int before = t.parsed;
            check_text(name, parse[i], strlen(parse[i]), &t);
            if (t.parsed == before) {
                printf("  %s: did not parse\n", name);
                unit_failed_now = 1;
            }
        }
        for (size_t i = 0; i < sizeof fail / sizeof fail[0]; i++) {
            snprintf(name, sizeof name, "failing case %zu", i);
            check_text(name, fail[i], strlen(fail[i]), &t);
        }
        CHECK_INT(0, t.differ);
        CHECK_INT((int)(sizeof fail / sizeof fail[0]), t.failed_parses);
    }
}
