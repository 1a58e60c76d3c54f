/* test_sql.c - the libpg_query front end: statements, ranges, locations,
 * tokens, and recovery from parse errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/strbuf.h"
#include "../../src/sql/sql.h"
#include "unit.h"

static sql_file *parse(source **src, const char *text)
{
    *src = source_new("t.sql", text, strlen(text));
    return sql_file_parse(*src, 0, (*src)->len);
}

void unit_suite_sql(void)
{
    TEST("sql: statements get kinds and exact ranges without comments")
    {
        source *src;
        sql_file *f = parse(&src, "-- first\nCREATE TABLE t (id int);\n\n/* x */ DROP TABLE t;");
        CHECK_INT(2, f->nstmts);
        CHECK_STR("CreateStmt", f->stmts[0].kind);
        CHECK_STR("DropStmt", f->stmts[1].kind);
        CHECK_INT(9, f->stmts[0].start);
        CHECK_INT(32, f->stmts[0].end); /* before the ";" */
        CHECK_INT(43, f->stmts[1].start);
        sql_file_free(f);
        source_free(src);
    }
    TEST("sql: node locations are absolute in the source")
    {
        source *src;
        sql_file *f = parse(&src, "SELECT 1;\nCREATE INDEX i ON orders (a);");
        const cJSON *rel = sql_get(f->stmts[1].node, "relation");
        CHECK_INT(28, sql_location(rel));
        CHECK_STR("orders", sql_get_str(rel, "relname"));
        sql_file_free(f);
        source_free(src);
    }
    TEST("sql: a parse error is one statement; the others still parse")
    {
        source *src;
        sql_file *f = parse(&src, "DROP TABLE a;\nCREATE TABLE t (id int,, x int);\nDROP TABLE b;");
        CHECK_INT(3, f->nstmts);
        CHECK(!f->stmts[0].parse_error);
        CHECK(f->stmts[1].parse_error);
        CHECK_INT(37, f->stmts[1].error_offset); /* the second comma */
        CHECK(strstr(f->stmts[1].error_message, "syntax error") != NULL);
        CHECK_STR("DropStmt", f->stmts[2].kind);
        CHECK_INT(3, source_position(src, f->stmts[2].start).line);
        CHECK_INT(1, source_position(src, f->stmts[2].start).col);
        sql_file_free(f);
        source_free(src);
    }
    TEST("sql: error position counts characters, mapped back to bytes")
    {
        source *src;
        /* Two-byte characters before the error: PostgreSQL's cursor counts them once. */
        sql_file *f = parse(&src, "SELECT '\xc3\xa9\xc3\xa9' FROM FROM;");
        CHECK_INT(1, f->nstmts);
        CHECK(f->stmts[0].parse_error);
        CHECK_INT(19, f->stmts[0].error_offset); /* the second FROM: 7 ASCII bytes, quote, 2x2
                                                    bytes, quote, " FROM " */
        sql_file_free(f);
        source_free(src);
    }
    TEST("sql: comments and strings are tokens of their own kind")
    {
        source *src;
        sql_file *f = parse(&src, "SELECT 'DROP TABLE x' -- note\n, $$ drop $$;");
        int comments = 0, strings = 0;
        for (size_t i = 0; i < f->ntokens; i++) {
            comments += f->tokens[i].kind == SQL_TOK_COMMENT;
            strings += f->tokens[i].kind == SQL_TOK_STRING;
        }
        CHECK_INT(1, comments);
        CHECK_INT(2, strings);
        sql_file_free(f);
        source_free(src);
    }
    TEST("sql: every token's range, kind and number, past offset 127 (two-byte varints)")
    {
        /* The scanner's output is read from its wire format by sql.c:
         * offsets past 127 and 16383 take two and three varint bytes. */
        char text[20000];
        size_t n = 0;
        n += (size_t)snprintf(text + n, sizeof text - n, "/* %0150d */ ", 0);
        n += (size_t)snprintf(text + n, sizeof text - n, "SELECT é, \"Q\" + 1 FROM t; -- c\n");
        memset(text + n, ' ', 17000);
        n += 17000;
        snprintf(text + n, sizeof text - n, "DROP TABLE x;");
        source *src;
        sql_file *f = parse(&src, text);
        static const struct {
            size_t start, end;
            sql_token_kind kind;
        } want[] = {{0, 156, SQL_TOK_BLOCK_COMMENT}, {157, 163, SQL_TOK_KEYWORD},
                    {164, 166, SQL_TOK_IDENT},       {166, 167, SQL_TOK_PUNCT},
                    {168, 171, SQL_TOK_IDENT},       {172, 173, SQL_TOK_PUNCT},
                    {174, 175, SQL_TOK_OTHER},       {176, 180, SQL_TOK_KEYWORD},
                    {181, 182, SQL_TOK_IDENT},       {182, 183, SQL_TOK_PUNCT},
                    {184, 188, SQL_TOK_COMMENT},     {17189, 17193, SQL_TOK_KEYWORD},
                    {17194, 17199, SQL_TOK_KEYWORD}, {17200, 17201, SQL_TOK_IDENT},
                    {17201, 17202, SQL_TOK_PUNCT}};
        CHECK_INT(sizeof want / sizeof want[0], f->ntokens);
        for (size_t i = 0; i < f->ntokens && i < sizeof want / sizeof want[0]; i++) {
            CHECK_INT(want[i].start, f->tokens[i].start);
            CHECK_INT(want[i].end, f->tokens[i].end);
            CHECK_INT(want[i].kind, f->tokens[i].kind);
        }
        CHECK_INT(',', f->tokens[3].pg_token);
        CHECK_INT(';', f->tokens[14].pg_token);
        sql_file_free(f);
        source_free(src);
    }
    TEST("sql: a sub-range keeps absolute offsets")
    {
        source *src = source_new("g.sql", "-- +goose Up\nDROP TABLE x;\n", 27);
        sql_file *f = sql_file_parse(src, 13, src->len);
        CHECK_INT(1, f->nstmts);
        CHECK_INT(13, f->stmts[0].start);
        CHECK_INT(2, source_position(src, f->stmts[0].start).line);
        sql_file_free(f);
        source_free(src);
    }
    TEST(
        "sql: a large range keeps one window of trees, each parsed again as a whole parse gives it")
    {
        /* Over 64 KiB after a goose header: parsed in windows, with
         * locations shifted by each window's start. ';' inside strings is
         * never a cut. */
        strbuf b = {0};
        strbuf_puts(&b, "-- +goose Up\n");
        for (int i = 0; i < 1500; i++)
            strbuf_printf(&b,
                          "CREATE TABLE t%d (id int, note text DEFAULT 'a;b');\n"
                          "ALTER TABLE t%d ADD COLUMN c int REFERENCES t%d (id);\n",
                          i, i, i);
        source *src = source_new("w.sql", b.data, b.len);
        sql_file *f = sql_file_parse(src, 13, src->len);
        CHECK(f->windows != NULL);
        CHECK_INT(3000, f->nstmts);
        size_t live = 0, last = f->nstmts - 1;
        for (size_t i = 0; i < f->nstmts; i++) {
            sql_file_hold(f, i);
            const sql_stmt *s = &f->stmts[i];
            CHECK_STR(i % 2 ? "AlterTableStmt" : "CreateStmt", s->kind);
            /* The statement alone, parsed whole: the same tree. */
            sql_file *one = sql_file_parse(src, s->start, s->end);
            char *want = cJSON_PrintUnformatted(one->stmts[0].node);
            char *got = cJSON_PrintUnformatted(s->node);
            CHECK(want && got && strcmp(want, got) == 0);
            free(want);
            free(got);
            sql_file_free(one);
        }
        for (size_t i = 0; i < f->nstmts; i++)
            live += f->stmts[i].node != NULL;
        CHECK(live > 0 && live < f->nstmts / 4); /* the last window's only */
        CHECK(f->stmts[last].node != NULL && f->stmts[0].node == NULL);
        sql_file_hold(f, 0); /* back to the first: the last window's trees go */
        CHECK(f->stmts[0].node != NULL && f->stmts[last].node == NULL);
        sql_file_release(f);
        CHECK(f->stmts[0].node == NULL);
        sql_file_free(f);
        source_free(src);
        strbuf_free(&b);
    }
    TEST("sql: string literals double their quotes")
    {
        arena *a = arena_new();
        CHECK_STR("'it''s'", sql_quote_literal(a, "it's"));
        CHECK_STR("''", sql_quote_literal(a, ""));
        CHECK_STR("''''''", sql_quote_literal(a, "''"));
        arena_free(a);
    }
}
