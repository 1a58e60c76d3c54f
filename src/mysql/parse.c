/* parse.c - mysql_file_parse(): lex, split into statements, translate each
 * one (table.c, stmt.c), and hold the DDL against tree-sitter's SQL grammar.
 *
 * Splitting honours DELIMITER lines and the BEGIN ... END bodies of
 * triggers and routines. The grammar (@derekstride/tree-sitter-sql, pinned
 * in deps.lock) sees each CREATE TABLE, ALTER TABLE and CREATE INDEX with
 * the clauses it lacks masked out (ALGORITHM=, LOCK=, ON UPDATE, CHARACTER
 * SET, table options...: the reader reads those). docs/decisions.md says
 * why the translation reads tokens and what the grammar's verdict is for. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_sql(void);

/* ---- the grammar ---- */

/* One parser per thread (the parse-ahead worker parses too), deleted when
 * its thread ends. */
static pthread_key_t ts_key;
static pthread_once_t ts_once = PTHREAD_ONCE_INIT;

static void parser_free(void *p)
{
    ts_parser_delete(p);
}

static void key_create(void)
{
    pthread_key_create(&ts_key, parser_free);
}

static TSParser *grammar(void)
{
    pthread_once(&ts_once, key_create);
    TSParser *p = pthread_getspecific(ts_key);
    if (!p) {
        p = ts_parser_new();
        if (!ts_parser_set_language(p, tree_sitter_sql())) {
            ts_parser_delete(p);
            return NULL;
        }
        pthread_setspecific(ts_key, p);
    }
    return p;
}

static TSRange range_of(size_t start, size_t end)
{
    TSRange g = {{0, (uint32_t)start}, {0, (uint32_t)end}, (uint32_t)start, (uint32_t)end};
    return g;
}

/* The first node with an error, for where the grammar stops. */
static size_t first_error(TSNode n)
{
    if (ts_node_is_error(n) || ts_node_is_missing(n))
        return ts_node_start_byte(n);
    for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
        TSNode c = ts_node_child(n, i);
        if (ts_node_has_error(c))
            return first_error(c);
    }
    return ts_node_start_byte(n);
}

bool my_grammar_accepts(rd *r, const char *expect, size_t *near)
{
    TSParser *p = grammar();
    const source *src = r->f->src;
    if (!p || src->len > UINT32_MAX)
        return true;
    TSRange ranges[65];
    size_t n = 0, at = rd_start(r, 0), end = rd_end(r, r->n - 1);
    for (size_t m = 0; m < r->nmasks; m++) {
        if (r->masks[m].start < at)
            continue;
        if (r->masks[m].start > at)
            ranges[n++] = range_of(at, r->masks[m].start);
        at = r->masks[m].end;
    }
    if (end > at)
        ranges[n++] = range_of(at, end);
    ts_parser_set_included_ranges(p, ranges, (uint32_t)n);
    TSTree *tree = ts_parser_parse_string(p, NULL, src->text, (uint32_t)src->len);
    bool ok = false;
    if (tree) {
        TSNode root = ts_tree_root_node(tree);
        TSNode stmt = ts_node_named_child(root, 0);
        TSNode top = ts_node_named_child(stmt, 0);
        ok =
            !ts_node_has_error(root) && !ts_node_is_null(top) && !strcmp(ts_node_type(top), expect);
        *near = ts_node_has_error(root) ? first_error(root) : rd_start(r, 0);
        ts_tree_delete(tree);
    }
    ts_parser_set_included_ranges(p, NULL, 0);
    return ok;
}

/* ---- one statement ---- */

static bool is_create_index(const rd *r)
{
    size_t i = 1;
    if (rd_is(r, i, "UNIQUE") || rd_is(r, i, "FULLTEXT") || rd_is(r, i, "SPATIAL"))
        i++;
    return rd_is(r, i, "INDEX");
}

/* Translates r's statement; returns the grammar node type its DDL is held
 * against, or NULL. */
static const char *translate(rd *r, bool *ok)
{
    if (rd_is(r, 0, "CREATE") &&
        (rd_is(r, 1, "TABLE") || (rd_is(r, 1, "TEMPORARY") && rd_is(r, 2, "TABLE")))) {
        r->i = 1;
        *ok = my_create_table(r);
        return "create_table";
    }
    if (rd_is(r, 0, "CREATE") && is_create_index(r)) {
        r->i = 1;
        *ok = my_create_index(r);
        return "create_index";
    }
    if (rd_is(r, 0, "ALTER") &&
        (rd_is(r, 1, "TABLE") || rd_is(r, 1, "ONLINE") || rd_is(r, 1, "IGNORE"))) {
        r->i = 1;
        *ok = my_alter_table(r);
        return "alter_table";
    }
    *ok = my_other(r);
    return NULL;
}

static void statement(sql_file *f, stmt_vec *out, cJSON *owned, size_t first, size_t last)
{
    size_t *idx = malloc((last - first + 1) * sizeof *idx);
    if (!idx)
        abort();
    size_t n = 0;
    for (size_t i = first; i <= last; i++)
        if (f->tokens[i].kind != SQL_TOK_COMMENT && f->tokens[i].kind != SQL_TOK_BLOCK_COMMENT)
            idx[n++] = i;
    rd r = {.f = f,
            .text = f->src->text,
            .tok = idx,
            .n = n,
            .first = first,
            .last = last,
            .a = f->arena,
            .owned = owned,
            .out = out};
    size_t before = out->n;
    bool ok;
    const char *expect = translate(&r, &ok);
    if (ok && r.error)
        ok = false;
    if (!ok) {
        for (size_t i = before; i < out->n; i++)
            out->items[i].node = NULL; /* their nodes stay owned; the statement is one error */
        out->n = before;
        sql_stmt *s = nd_stmt_push(out);
        nd_bind_range(&r, s);
        s->parse_error = true;
        s->error_message = r.error ? r.error : "this MySQL statement could not be read";
        s->error_offset = r.error ? r.error_at : s->start;
    } else if (expect && out->n > before && !r.grammar_skip) {
        size_t near;
        if (!my_grammar_accepts(&r, expect, &near))
            cJSON_AddNumberToObject(out->items[before].node, "mysqlGrammarGap", (double)near);
    }
    free(idx);
}

/* ---- splitting ---- */

static bool tok_is(const sql_file *f, size_t i, const char *word)
{
    const sql_token *t = &f->tokens[i];
    size_t n = t->end - t->start;
    return t->kind == SQL_TOK_IDENT && strlen(word) == n &&
           !strncasecmp(f->src->text + t->start, word, n);
}

static bool is_comment(const sql_token *t)
{
    return t->kind == SQL_TOK_COMMENT || t->kind == SQL_TOK_BLOCK_COMMENT;
}

/* CREATE ... TRIGGER|PROCEDURE|FUNCTION|EVENT: its body may hold BEGIN ...
 * END with semicolons inside. */
static bool is_routine(const sql_file *f, size_t first, size_t limit)
{
    if (!tok_is(f, first, "CREATE"))
        return false;
    for (size_t i = first + 1; i < limit && i < first + 12; i++)
        if (tok_is(f, i, "TRIGGER") || tok_is(f, i, "PROCEDURE") || tok_is(f, i, "FUNCTION") ||
            tok_is(f, i, "EVENT"))
            return true;
    return false;
}

/* Block depth change at token i of a routine body. */
static int block_delta(const sql_file *f, size_t i, size_t limit)
{
    if (tok_is(f, i, "BEGIN"))
        return 1;
    if (tok_is(f, i, "CASE") || tok_is(f, i, "LOOP") || tok_is(f, i, "WHILE") ||
        tok_is(f, i, "REPEAT"))
        return i > 0 && tok_is(f, i - 1, "END") ? 0 : 1;
    if (tok_is(f, i, "IF")) {
        if (i > 0 && tok_is(f, i - 1, "END"))
            return 0;
        size_t j = i + 1;
        bool call = j < limit && f->tokens[j].pg_token == '(';
        bool exists = j < limit && (tok_is(f, j, "EXISTS") || tok_is(f, j, "NOT"));
        return call || exists ? 0 : 1;
    }
    if (tok_is(f, i, "END"))
        return -1;
    return 0;
}

/* A statement ends at ';', or, after a DELIMITER line naming another
 * terminator, only at that one (the lexer marks it). */
static bool at_delimiter(const sql_file *f, size_t i, bool custom)
{
    int t = f->tokens[i].pg_token;
    return t == MYSQL_TOK_DELIMITER || (!custom && t == ';');
}

static void split(sql_file *f, stmt_vec *out, cJSON *owned)
{
    bool custom = false;
    size_t i = 0;
    while (i < f->ntokens) {
        if (f->tokens[i].pg_token == MYSQL_TOK_DELIMITER_DEF) {
            const sql_token *t = &f->tokens[i];
            custom = !(t->end - t->start == 1 && f->src->text[t->start] == ';');
            i++;
            continue;
        }
        if (is_comment(&f->tokens[i]) || at_delimiter(f, i, custom) ||
            (tok_is(f, i, "DELIMITER") && i + 1 < f->ntokens &&
             f->tokens[i + 1].pg_token == MYSQL_TOK_DELIMITER_DEF)) {
            i++;
            continue;
        }
        size_t first = i, last = i, n = 0;
        bool routine = !custom && is_routine(f, first, f->ntokens);
        int depth = 0;
        for (; i < f->ntokens; i++) {
            const sql_token *t = &f->tokens[i];
            if (t->pg_token == MYSQL_TOK_DELIMITER_DEF ||
                (at_delimiter(f, i, custom) && depth <= 0))
                break;
            if (routine && !is_comment(t))
                depth += block_delta(f, i, f->ntokens);
            if (!is_comment(t))
                last = i, n++;
        }
        if (i < f->ntokens && f->tokens[i].pg_token == MYSQL_TOK_DELIMITER_DEF && i > first &&
            tok_is(f, last, "DELIMITER")) /* the DELIMITER word ends the run */
            last = last > first ? last - 1 : last, n--;
        if (n)
            statement(f, out, owned, first, last);
    }
}

sql_file *mysql_file_parse(const source *src, size_t start, size_t end)
{
    sql_file *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->src = src;
    f->start = start;
    f->end = end;
    f->arena = arena_new();
    f->dialect = SQL_DIALECT_MYSQL;
    f->tokens = mysql_lex(src->text, start, end, &f->ntokens);
    cJSON *owned = cJSON_CreateArray();
    stmt_vec out = {0};
    split(f, &out, owned);
    f->stmts = out.items;
    f->nstmts = out.n;
    f->owned = owned;
    return f;
}

void mysql_file_release(sql_file *f)
{
    cJSON_Delete(f->owned);
    f->owned = NULL;
}
