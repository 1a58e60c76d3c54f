/* mysql.h - the MySQL 8 / MariaDB front end: lex, split, parse with
 * tree-sitter's SQL grammar, and translate each statement into the node
 * shapes libpg_query gives for PostgreSQL (docs/mysql.md), so the catalog
 * replay and the lint engine read both dialects. MySQL-only facts are extra
 * members whose names start with "mysql" ("mysqlAlgorithm", "mysqlAfter"). */
#ifndef MIGRALINT_MYSQL_H
#define MIGRALINT_MYSQL_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../sql/sql.h"

/* Parses src->text[start, end) as MySQL. Never fails: a statement it cannot
 * read becomes a stmt with parse_error set and a message saying why. */
sql_file *mysql_file_parse(const source *src, size_t start, size_t end);
/* Frees what mysql_file_parse() kept in f->owned (sql_file_free calls it). */
void mysql_file_release(sql_file *f);

/* ---- lexer (lex.c) ---- */

/* The tokens of text[start, end) (offsets absolute, comments included), in
 * a malloc'ed array; *n is their count. MySQL's lexical rules: `quoted`
 * identifiers, '...' and "..." strings with backslash escapes, -- (followed
 * by a space), # and C comments. */
sql_token *mysql_lex(const char *text, size_t start, size_t end, size_t *n);
/* pg_token values of the lexer's own: the statement terminator DELIMITER set
 * (`END$$` lexes as END and $$), and the terminator a DELIMITER line names. */
enum { MYSQL_TOK_DELIMITER = 0x7000, MYSQL_TOK_DELIMITER_DEF = 0x7001 }; /* int16_t (sql.h) */

/* ---- dialect detection (dialect.c) ---- */

/* What a migrations folder's files say about its dialect. files are the
 * repository-relative paths and texts of the folder (any may have a NULL
 * text); root is the absolute work tree root; dir the folder, relative to
 * it. Looks at, in order: Prisma's migration_lock.toml, a drizzle.config.*
 * in the folder or its parents up to root, Prisma's schema.prisma
 * datasource, and the SQL itself (backquoted names, ENGINE=,
 * AUTO_INCREMENT). Returns true and sets *d and *why ("drizzle.config.ts:
 * dialect mysql") when one of them decides; false when nothing does. */
typedef struct mysql_file_ref {
    const char *path;
    const char *text;
    size_t len;
} mysql_file_ref;
bool mysql_dialect_detect(arena *a, const char *root, const char *dir, const mysql_file_ref *files,
                          size_t nfiles, sql_dialect *d, const char **why);

#endif
