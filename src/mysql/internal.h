/* internal.h - what the MySQL front end's files share: a reader over one
 * statement's tokens, the node builders (libpg_query's JSON shapes), and
 * the statement translators. */
#ifndef MIGRALINT_MYSQL_INTERNAL_H
#define MIGRALINT_MYSQL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mysql.h"

/* A statement being read: its non-comment tokens, a cursor over them, and
 * where translated statements go. One MySQL statement may become several
 * (CREATE TABLE with inline KEY clauses: a CreateStmt and IndexStmts). */
typedef struct rd {
    sql_file *f;
    const char *text;   /* the whole source text (offsets are absolute) */
    size_t *tok;        /* indexes into f->tokens, comments left out */
    size_t n, i;        /* count, cursor */
    size_t first, last; /* the statement's tokens in f->tokens (first, last inclusive) */
    arena *a;
    cJSON *owned; /* array that owns every translated node */
    void *out;    /* the statement vector (stmt_vec, build.c) */
    /* Byte ranges the reader took out of tree-sitter's view (clauses the
     * grammar lacks and this reader reads itself). */
    struct {
        size_t start, end;
    } masks[64];
    size_t nmasks;
    bool grammar_skip; /* nothing is left for the grammar (every clause masked) */
    const char *error; /* why the statement could not be read */
    size_t error_at;
} rd;

/* ---- the cursor (reader.c) ---- */
bool rd_done(const rd *r);
size_t rd_start(const rd *r, size_t i); /* byte offset of token i (r->n: statement end) */
size_t rd_end(const rd *r, size_t i);
const char *rd_text(const rd *r, size_t from, size_t to); /* source of tokens [from, to) */
bool rd_is(const rd *r, size_t i, const char *word);      /* a bare word, case-insensitive */
bool rd_peek(const rd *r, const char *word);
bool rd_accept(rd *r, const char *word);
bool rd_accept2(rd *r, const char *w1, const char *w2);
bool rd_is_punct(const rd *r, size_t i, char c);
bool rd_accept_punct(rd *r, char c);
bool rd_is_ident(const rd *r, size_t i); /* a bare word or `quoted` name */
bool rd_is_string(const rd *r, size_t i);
/* The name at the cursor, unquoted; NULL (and an error) when there is none. */
const char *rd_name(rd *r, const char *what);
/* [schema.]name at the cursor; *loc is its offset. */
bool rd_qualified(rd *r, const char **schema, const char **name, size_t *loc);
/* Skips a parenthesised group at the cursor; returns the index after it. */
size_t rd_group_end(const rd *r, size_t i);
/* The string literal's value (quotes and escapes resolved). */
const char *rd_string_value(const rd *r, size_t i);
/* Reads one value expression (a literal, a name, a call, a parenthesised
 * expression); returns its MariaDB-style text ("'x'", "current_timestamp()"). */
const char *rd_expr(rd *r, bool *is_null);
/* Reads "(a, b(10) DESC, ...)": the column names. */
cJSON *rd_column_list(rd *r);
bool rd_fail(rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes tokens [from, to) out of tree-sitter's view. */
void rd_mask(rd *r, size_t from, size_t to);

/* ---- nodes (build.c) ---- */
cJSON *nd_str(const char *s); /* {"String": {"sval": s}} */
cJSON *nd_rangevar(const char *schema, const char *name, size_t loc);
cJSON *nd_typename(const char *mysql_type, const char *base, size_t loc);
cJSON *nd_constraint(const char *contype, size_t loc);
cJSON *nd_expr(const char *text, size_t loc); /* {"MysqlExpr": {"text": ...}} */
cJSON *nd_int_const(long v, size_t loc);
/* Adds a translated statement {kind: node} covering the whole statement. */
void nd_emit(rd *r, const char *kind, cJSON *node);
/* The statements of a file being split (rd.out points at one). */
typedef struct stmt_vec {
    sql_stmt *items;
    size_t n, cap;
} stmt_vec;
/* A new zeroed statement at the end of v. */
sql_stmt *nd_stmt_push(stmt_vec *v);
/* Gives s the range of r's statement. */
void nd_bind_range(const rd *r, sql_stmt *s);

/* ---- translators ---- */
/* A column definition at the cursor (name type attributes...) as a
 * ColumnDef; inline PRIMARY KEY / UNIQUE / REFERENCES become its
 * constraints. NULL on error. */
cJSON *my_column_def(rd *r, const char *table);
bool my_create_table(rd *r);
bool my_alter_table(rd *r);
bool my_create_index(rd *r);
/* Every other statement (stmt.c); false when the head is not MySQL. */
bool my_other(rd *r);

/* tree-sitter's verdict on the statement with the masked clauses taken
 * out (parse.c): true when it parses. On false, *near is the offset of its
 * first error. expect is the top node type ("create_table"). */
bool my_grammar_accepts(rd *r, const char *expect, size_t *near);

#endif
