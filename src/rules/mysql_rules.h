/* mysql_rules.h - what the rules need to judge MySQL 8 / InnoDB migrations
 * (rules/mysql-*.md, and the "MySQL and MariaDB" sections of the rules that
 * mean the same on both dialects).
 *
 * A MySQL statement reaches the rules translated into libpg_query's node
 * shapes (src/mysql), with MySQL-only facts as "mysql..." members; one MySQL
 * statement may become several statements, the later ones marked
 * "mysqlPart". The MySQL halves of the shared rules live in mysql_*.c and are
 * called from the shared rule's check when lint_dialect() is MySQL, so the
 * PostgreSQL code paths stay as they were. */
#ifndef MIGRALINT_MYSQL_RULES_H
#define MIGRALINT_MYSQL_RULES_H

#include <stdbool.h>

#include "rule.h"

/* ---- helpers (mysql_common.c) ---- */

/* The migrations being linted are MySQL's. */
bool mysql_linting(const lint_ctx *ctx);
/* The statement is a later part of one MySQL statement (a finding about the
 * MySQL statement as a whole is made on its first part only). */
bool mysql_is_part(const sql_stmt *s);
/* The table a statement works on: its relation, or for DROP INDEX and
 * RENAME INDEX the table named in "mysqlTable". NULL when none. */
const cJSON *mysql_stmt_table(const sql_stmt *s);
/* The value the migration's own session has for a system variable just
 * before statement s: the last SET [SESSION|LOCAL] name = v or
 * SET @@[session.]name = v of the file before s. NULL when the file does
 * not set it, or sets it back to DEFAULT. SET GLOBAL and PERSIST do not
 * change the running session, so they do not count. */
const char *mysql_session_value(const lint_ctx *ctx, const sql_stmt *s, const char *name);
/* For one statement: true when it sets name for the session; *value is the
 * value (NULL for DEFAULT). */
bool mysql_sets_session(const sql_stmt *s, const char *name, const char **value);
/* A boolean system variable's value is off: 0, OFF, FALSE (quoted or not). */
bool mysql_value_is_off(const char *value);
/* The span of the first name or word token equal to word (case-insensitive,
 * `backquotes` removed) at or after offset from; the statement's first token
 * when there is none. */
lint_span mysql_find_word(const lint_ctx *ctx, const sql_stmt *s, size_t from, const char *word);
/* The name token at offset (its `backquotes` included). */
lint_span mysql_token_at(const lint_ctx *ctx, const sql_stmt *s, size_t offset);
/* The widest character of a character set, in bytes (utf8mb4 4, utf8mb3 3,
 * latin1 1); 4 for a name it does not know. A collation name works too
 * ("latin1_swedish_ci"). */
int mysql_charset_width(const char *charset);
/* The character set a collation belongs to ("utf8mb4_0900_ai_ci" ->
 * "utf8mb4"); utf8 is utf8mb3. A character set name comes back as is. */
const char *mysql_charset_of(const lint_ctx *ctx, const char *collation);

/* ---- the MySQL halves of the rules shared with PostgreSQL ---- */
void mysql_check_drop_table(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_drop_column(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_rename_table(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_rename_column(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_truncate_table(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_add_primary_key(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_alter_column_type(lint_ctx *ctx, const sql_stmt *s);
void mysql_check_missing_lock_timeout(lint_ctx *ctx, const sql_stmt *s);

/* The table an existing-table DDL statement needs an exclusive metadata
 * lock on (ALTER, CREATE INDEX, DROP, RENAME, TRUNCATE, OPTIMIZE), as a
 * RangeVar or a DROP name list; NULL when it needs none on an existing
 * table. *dotted is its name. Shared by missing-lock-timeout and
 * mysql-multiple-ddl. */
bool mysql_needs_exclusive_mdl(lint_ctx *ctx, const sql_stmt *s, const char **dotted);
/* A statement that changes the schema (and so commits implicitly). */
bool mysql_is_ddl(const sql_stmt *s);

#endif
