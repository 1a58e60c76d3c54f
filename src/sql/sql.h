/* sql.h - the SQL front end: libpg_query split, parse, scan, and node access.
 *
 * A file (or a range of it, for goose/dbmate sections and SQL embedded in
 * code) becomes a list of statements. Each statement keeps its byte range in
 * the original source and its parse tree as cJSON, with every node
 * `location` made absolute (relative to the start of the source) so rules
 * never do offset arithmetic themselves. */
#ifndef MIGRALINT_SQL_H
#define MIGRALINT_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "../core/arena.h"
#include "../core/source.h"

/* The SQL dialect a migrations folder is written in (docs/mysql.md). A
 * MySQL statement is translated into the same node shapes libpg_query
 * gives (src/mysql), so the catalog, the lint engine and the reporters
 * read both; MySQL-only facts are members prefixed "mysql". */
typedef enum sql_dialect {
    SQL_DIALECT_POSTGRESQL = 0,
    SQL_DIALECT_MYSQL, /* MySQL 8 and MariaDB */
    SQL_DIALECT_COUNT
} sql_dialect;

/* "postgresql", "mysql". */
const char *sql_dialect_name(sql_dialect d);
/* Takes "postgresql", "postgres", "mysql", "mariadb" (case-insensitive). */
bool sql_dialect_parse(const char *name, sql_dialect *out);

typedef enum sql_token_kind {
    SQL_TOK_OTHER = 0,
    SQL_TOK_COMMENT, /* -- line comment */
    SQL_TOK_BLOCK_COMMENT,
    SQL_TOK_IDENT, /* identifier or non-reserved keyword used as one */
    SQL_TOK_KEYWORD,
    SQL_TOK_STRING,
    SQL_TOK_PUNCT, /* ( ) , ; . and operators */
} sql_token_kind;

/* 12 bytes, not 24: a file keeps one per word while it is linted. Offsets
 * fit 32 bits because libpg_query's scanner and parser take int positions:
 * no text over 2 GiB is scanned at all. */
typedef struct sql_token {
    uint32_t start, end; /* absolute byte offsets */
    uint8_t kind;        /* an sql_token_kind */
    int16_t pg_token;    /* libpg_query's token number (PG_QUERY__TOKEN__*, under 1,000) */
} sql_token;

typedef struct sql_stmt {
    const char *kind;  /* node type name: "IndexStmt", "AlterTableStmt", ... */
    cJSON *node;       /* the node's fields, e.g. {"idxname":"i", ...}; NULL on parse error */
    size_t start, end; /* absolute byte range, without the trailing ';' */
    size_t first_token, ntokens; /* this statement's tokens in sql_file.tokens */
    bool parse_error;
    /* What rules ask about statements other than the one they lint, noted
     * while the tree is alive (a large file's trees are not: sql_file_hold).
     * The flag sits in parse_error's padding: 80 bytes a statement. */
    bool ends_transaction;     /* COMMIT, ROLLBACK, PREPARE TRANSACTION */
    const char *error_message; /* PostgreSQL's message */
    size_t error_offset;       /* absolute offset of PostgreSQL's cursor position */
    const char *temp_table;    /* CREATE TEMP TABLE [AS] x: x */
} sql_stmt;

typedef struct sql_file {
    const source *src;
    size_t start, end; /* the range that was parsed */
    sql_stmt *stmts;
    size_t nstmts;
    sql_token *tokens; /* every token of the range, comments included */
    size_t ntokens;
    arena *arena; /* error messages and other small strings */
    sql_dialect dialect;
    void *owned; /* the MySQL translation's trees (src/mysql), freed with the file */
    /* A range over 64 KiB parsed a window of statements at a time keeps
     * only one window's trees: a statement's node is NULL until
     * sql_file_hold loads its window. NULL: every tree lives with the file. */
    struct sql_windows *windows;
    void *observed; /* what the window observer kept of the trees, in arena */
} sql_file;

/* Parses src->text[start, end). Never fails on bad SQL: a statement that does
 * not parse becomes a stmt with parse_error set (PostgreSQL's message and
 * position), and the other statements are still parsed. */
sql_file *sql_file_parse(const source *src, size_t start, size_t end);
/* The same in a dialect: PostgreSQL goes to sql_file_parse, MySQL to
 * mysql_file_parse (src/mysql/mysql.h). */
sql_file *sql_file_parse_dialect(const source *src, size_t start, size_t end, sql_dialect d);
/* The tokens of src->text[start, end) only, no statements (a function
 * body to compare, say): much cheaper than sql_file_parse(). */
sql_file *sql_file_scan(const source *src, size_t start, size_t end);
void sql_file_free(sql_file *f);
/* Makes statement i's tree alive (f->stmts[i].node), parsing its window
 * again if need be and freeing the trees of the window held before: a
 * pointer into another window's trees is dead after it. Passes that read
 * every tree call it for each statement in order, which parses each window
 * once; a no-op for files whose trees all live (every file under 64 KiB). */
void sql_file_hold_window(const sql_file *f, size_t i);
static inline void sql_file_hold(const sql_file *f, size_t i)
{
    if (f->windows) /* a call per statement and pass: inline for the rest */
        sql_file_hold_window(f, i);
}
/* Frees the held window's trees (a pass over the file is done). */
void sql_file_release_window(const sql_file *f);
static inline void sql_file_release(const sql_file *f)
{
    if (f->windows)
        sql_file_release_window(f);
}
/* Called during the first parse of a file parsed in windows, for each
 * statement while its tree is alive, then once with s NULL when the parse
 * is done or given up (the range is then parsed whole and f->observed
 * dropped with the arena). It lets what needs every tree of a step (the
 * names it touches: catalog_touched_names) have it without parsing every
 * window again. Set once, before the first parse; NULL: none. */
typedef void (*sql_window_observer)(sql_file *f, const sql_stmt *s);
void sql_set_window_observer(sql_window_observer fn);
/* Notes the facts above on a statement whose node is set (strings copied
 * into a: they outlive the tree). */
void sql_stmt_note_facts(sql_stmt *s, arena *a);
/* cJSON_Parse, safe to call from two threads at once (see sql.c). */
cJSON *sql_json_parse(const char *text);
/* Releases libpg_query's memory at exit (keeps valgrind and LSan quiet). */
void sql_shutdown(void);

/* ---- node access (all tolerate NULL) ---- */

/* For a wrapped node {"TypeName": {...}} returns "TypeName" and sets *inner. */
const char *sql_node_kind(const cJSON *wrapped, cJSON **inner);
cJSON *sql_get(const cJSON *obj, const char *field);
const char *sql_get_str(const cJSON *obj, const char *field);
int sql_get_int(const cJSON *obj, const char *field, int dflt);
bool sql_get_bool(const cJSON *obj, const char *field);
/* Absolute location of a node's "location" field, or -1. */
long sql_location(const cJSON *obj);
/* The string of a {"String": {"sval": "x"}} node. */
const char *sql_string_value(const cJSON *wrapped);
/* s as a PostgreSQL string literal, quotes doubled: it's -> 'it''s'. */
char *sql_quote_literal(arena *a, const char *s);
struct strbuf;
void sql_put_literal(struct strbuf *b, const char *s);
/* Joins a list of String nodes with '.', e.g. ["public","users"] -> "public.users". */
char *sql_name_list(arena *a, const cJSON *list);
/* "schema.name" for a RangeVar (schema omitted when not written). */
char *sql_rangevar_name(arena *a, const cJSON *rangevar);

/* ---- tokens ---- */

/* Index of the first token of stmt at or after offset, or stmt's end. */
size_t sql_token_at(const sql_file *f, const sql_stmt *s, size_t offset);
/* Case-insensitive comparison of a token's text with a word. */
bool sql_token_is(const sql_file *f, size_t tok, const char *word);

#endif
