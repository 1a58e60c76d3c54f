/* rule.h - the interface between the lint engine and one rule file.
 *
 * A rule looks at one statement at a time and reports through lint_report().
 * It never prints, never keeps state of its own between statements, and asks
 * the engine for what it knows beyond the statement (is this table new in
 * this migration, is there an open transaction). Adding a rule: write
 * src/rules/<id>.c defining `const rule rule_<id_with_underscores>`, add one
 * line to registry.def, add rules/<id>.md and fixtures/rules/<id>/. */
#ifndef MIGRALINT_RULE_H
#define MIGRALINT_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/diag.h"
#include "../layout/layout.h"
#include "../sql/sql.h"

typedef struct lint_ctx lint_ctx;

/* What the engine knows about the migration being linted. */
typedef struct catalog catalog;

/* What Git says about a migration compared with the --base commit (see
 * docs/git.md). Filled only when a base is known. */
typedef enum mig_state {
    MIG_APPLIED = 0, /* on the base, same content */
    MIG_NEW,         /* not on the base */
    MIG_EDITED,      /* on the base at this path, different content */
    MIG_RENAMED,     /* on the base at another path, same content */
    MIG_DELETED,     /* on the base, gone now (m is the base's migration) */
} mig_state;

typedef struct lint_history {
    mig_state state;
    const migration *base; /* the base's migration (edited, renamed, deleted), else NULL */
    /* New and sorting below newest_base, the newest version on the base. */
    bool out_of_order;
    const char *newest_base;
    /* Another migration with the same version: on the branch, or on the
     * base (dup_on_base) when the base's is not this one. */
    const migration *dup;
    bool dup_on_base;
} lint_history;

typedef struct lint_migration {
    framework fw;
    catalog *cat; /* the schema so far; each statement is applied after the rules saw it */
    bool partial; /* linted without the migrations before it: the catalog is not complete */
    /* Names ("schema.name") of the relations and types the replay has built
     * so far in this migration set. An object it never built may come from
     * outside the migrations, so "does not exist" is only said of these. */
    const struct strset *built;
    const migration *m; /* NULL for a loose file */
    bool flyway_undo;   /* the project has Flyway U__ files (so down steps are expected) */
    bool set_has_down;  /* some migration of its set has a down step */
    /* Filled by the engine while linting, for the migration-level rules. */
    size_t up_statements, down_statements; /* besides BEGIN/COMMIT */
    bool down_parse_error, up_parse_error; /* a statement of that step does not parse */
    bool up_linted, down_linted; /* which steps were linted (a file argument may name one) */
    /* What the down step leaves different from the schema before the up
     * step ("table orders exists, was absent"), when both were replayed. */
    const char **not_reversed;
    size_t nnot_reversed;
    const lint_history *history; /* NULL without --base */
    /* Relations ("schema.name") created by migrations new relative to
     * --base: empty in production, so new for the locking rules. */
    const struct strset *new_relations;
    /* migration-filename: why a stray file in the folder is not a
     * migration (then m is a stand-in naming the file), and the config's
     * filename_pattern (a pcre2_code *) the migration's files must match. */
    const char *stray_why;
    const void *filename_re;
    /* Up statements that change data only (INSERT, UPDATE, DELETE, MERGE,
     * COPY, SELECT) and those that are neither that nor session settings
     * (SET, LOCK, ANALYZE...): an up step with the first and none of the
     * second has no schema change for a down step to undo. */
    size_t up_data_statements, up_schema_statements;
    /* The up step has a DO block the replay followed only in part (a
     * loop, dynamic SQL, an IF it cannot decide): set by the engine. */
    bool up_do_block;
    /* The up step's replay conflicts the first time it ran (hashes of
     * offset and message; overflow: more than fit), so that a conflict
     * when it is re-applied after the down step is known to come from the
     * down step. */
    unsigned long long up_conflicts[32];
    size_t nup_conflicts;
    bool up_conflicts_overflow;
    /* The statements of the up step that fail when re-applied after the
     * down step (as the next deploy after a rollback would), with the
     * replay's reason, first first (where that deploy stops); nreapply is 0
     * when re-applying works. */
    struct lint_reapply {
        const char *message;
        size_t start, end;
    } reapply[8];
    size_t nreapply;
    const source *reapply_src;
} lint_migration;

/* The up step changes rows and nothing in the schema (a backfill). */
bool lint_up_only_changes_data(const lint_migration *mig);
/* The up step only sets the session or the planner (SET, ANALYZE...). */
bool lint_up_changes_nothing(const lint_migration *mig);
/* The replay of the up step changed nothing in the schema: not_reversed
 * was computed and is empty although the down step did nothing (every
 * statement was a no-op on this schema: CREATE INDEX IF NOT EXISTS of an
 * index that exists, DROP ... IF EXISTS of what is gone), without conflicts
 * and without a DO block (which the replay only partly follows). */
bool lint_up_leaves_schema_as_is(const lint_migration *mig);
/* The hash up_conflicts holds for a conflict at offset start. */
unsigned long long lint_conflict_hash(size_t start, const char *message);

/* The dialects a rule runs on (rule.dialects, bits by sql_dialect). */
#define RULE_DIALECT(d)   (1u << (d))
#define RULE_POSTGRESQL   RULE_DIALECT(SQL_DIALECT_POSTGRESQL)
#define RULE_MYSQL        RULE_DIALECT(SQL_DIALECT_MYSQL)
#define RULE_ALL_DIALECTS (RULE_POSTGRESQL | RULE_MYSQL)

typedef struct rule {
    const char *id;
    /* Space-separated statement kinds the rule looks at ("DropStmt
     * RenameStmt"), or NULL for every statement, parse errors included. */
    const char *kinds;
    void (*check)(lint_ctx *ctx, const sql_stmt *stmt);
    /* Optional: called once per migration after its steps were linted. */
    void (*check_migration)(lint_ctx *ctx, const lint_migration *mig);
    /* RULE_* dialect bits the rule means something in; 0 is PostgreSQL
     * only (a rule says so before it runs on MySQL: docs/mysql.md). */
    unsigned dialects;
} rule;

/* ---- what the engine knows ---- */
const sql_file *lint_file(const lint_ctx *ctx);
arena *lint_arena(const lint_ctx *ctx);
/* The schema as the migrations built it up to this statement (NULL when
 * not replaying). With lint_migration.partial, objects it lacks may still
 * exist in production. */
const catalog *lint_catalog(const lint_ctx *ctx);
/* The type a TypeName node of the current statement names, as
 * format_type() prints it ("character varying(20)"); NULL when unknown. */
const char *lint_format_type(const lint_ctx *ctx, const cJSON *type_name);
/* The PostgreSQL major version the migrations target (13 to 17: --pg-version,
 * pgVersion, the repository's pin, else 17): some rules' truth depends on it
 * (DETACH PARTITION CONCURRENTLY since 14), and syntax newer than it is a
 * finding. lint_pg_version_why says where it came from, for help texts. */
int lint_pg_version(const lint_ctx *ctx);
/* The dialect of the migrations being linted (the folder's: docs/mysql.md). */
sql_dialect lint_dialect(const lint_ctx *ctx);
const char *lint_pg_version_why(const lint_ctx *ctx);
/* True when the relation (table, view, index...) was created earlier in the
 * migration being linted: it is new and empty in production, so locking and
 * destructive rules stay quiet on it. schema may be NULL (search_path). */
bool lint_relation_is_new(const lint_ctx *ctx, const char *schema, const char *name);
bool lint_rangevar_is_new(const lint_ctx *ctx, const cJSON *rangevar);
/* True when the replay knows the relation or type (schema NULL = public) is
 * not there, so dropping it cannot drop live data: the migrations built it
 * and dropped it since, or this migration creates it later as a TEMP table
 * (a DROP IF EXISTS before CREATE TEMP TABLE). False in a partial run and
 * for names the migrations never built (they may exist in production). */
bool lint_object_known_absent(const lint_ctx *ctx, const char *schema, const char *name);
/* True when column col of the table is known absent: the table is known
 * absent, or the migrations built it and it has no such column now. */
bool lint_column_known_absent(const lint_ctx *ctx, const cJSON *rangevar, const char *col);
/* True inside an explicit BEGIN ... COMMIT before this statement, or in a
 * step the migration framework wraps in a transaction. */
bool lint_in_transaction(const lint_ctx *ctx);
/* Why this statement runs inside a transaction block, for messages: the
 * explicit BEGIN, the framework's wrapping, or a multi-statement step that
 * PostgreSQL runs as one implicit transaction. NULL when it does not. */
const char *lint_transaction_reason(const lint_ctx *ctx);
/* Facts about the step's other statements (stepfacts.c): rules read no
 * other statement's tree, since a large file keeps its trees one window
 * of statements at a time (sql.h). */
/* A COMMIT, ROLLBACK or PREPARE TRANSACTION after s in the step, or a
 * statement that does not parse (it may be one). */
bool lint_transaction_ends_after(const lint_ctx *ctx, const sql_stmt *s);
/* A later statement of the step creates a temporary table `name`. */
bool lint_created_later_as_temp(const lint_ctx *ctx, const char *name);
/* An earlier statement of the step creates the domain of this name list. */
bool lint_domain_created_before(const lint_ctx *ctx, const cJSON *names);
/* An earlier ALTER TABLE of the step drops constraint `name` of the
 * table (a RangeVar) IF EXISTS: what lint_note_robust_drops noted. */
bool lint_dropped_if_exists_before(const lint_ctx *ctx, const cJSON *rel, const char *name);
/* Notes the DROP CONSTRAINT IF EXISTS subcommands of ALTER TABLE s, for
 * the step's later statements (prefer-robust-stmts, for each ALTER TABLE). */
void lint_note_robust_drops(lint_ctx *ctx, const sql_stmt *s);
/* An ADD CONSTRAINT ... NOT VALID in an earlier statement of the step,
 * with no transaction statement but SAVEPOINT and RELEASE since. */
typedef struct lint_not_valid {
    size_t index;             /* of its statement */
    const char *table, *name; /* the table's key, the constraint */
    bool fk;
    const char *pktable; /* the referenced table of a foreign key */
} lint_not_valid;
const lint_not_valid *lint_not_valid_before(const lint_ctx *ctx, const cJSON *rel,
                                            const char *name);
/* Notes Constraint c, added by statement s to table rel, when it is NOT
 * VALID (validate-in-same-transaction, for each ADD CONSTRAINT it sees). */
void lint_note_not_valid(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *c);
/* True while linting a down step (rules about harm to production data and
 * locks are not run there: undoing the up step is the down step's job). */
bool lint_in_down(const lint_ctx *ctx);

/* ---- reporting ---- */
/* Reports a finding of rule_id at [start, end) for the current statement.
 * Returns NULL when the rule is turned off; lint_help accepts NULL. */
diag *lint_report(lint_ctx *ctx, const char *rule_id, size_t start, size_t end, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
/* Reports a migration-level finding in src at [start, end). */
diag *lint_report_at(lint_ctx *ctx, const char *rule_id, const source *src, size_t start,
                     size_t end, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void lint_help(lint_ctx *ctx, diag *d, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds a related location to d at [start, end) of src (NULL: the file being
 * linted), e.g. each column of a statement that adds several. */
void lint_related(lint_ctx *ctx, diag *d, const source *src, size_t start, size_t end,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Names what depends on a table (column NULL), a column, or a type (type
 * true) in the catalog: appended to d's message ("; view active_users reads
 * it, so PostgreSQL refuses the drop without CASCADE") and attached as
 * related locations at the statements that created them. */
enum { LINT_DEP_CHANGE, LINT_DEP_DROP, LINT_DEP_DROP_CASCADE };
void lint_add_dependents(lint_ctx *ctx, diag *d, const char *schema, const char *object,
                         const char *column, bool type, int how);

typedef struct lint_span {
    size_t start, end;
} lint_span;

/* ---- column declarations ---- */

/* Calls fn for each column a CREATE TABLE declares, and each column an ALTER
 * TABLE adds or retypes (col is its name, type_name its TypeName node). */
typedef void (*lint_column_fn)(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const char *col,
                               const cJSON *type_name);
void lint_each_declared_column(lint_ctx *ctx, const sql_stmt *s, lint_column_fn fn);
/* A built-in type's internal name ("int4", "varchar", "serial"), or NULL for
 * a type qualified with a schema other than pg_catalog. */
const char *lint_builtin_type(const cJSON *type_name);

/* Calls fn for each constraint an ALTER TABLE adds to an existing table, as
 * ADD CONSTRAINT or inline in ADD COLUMN (col is that column, else NULL);
 * at runs from the constraint to the end of its subcommand. */
typedef void (*lint_constraint_fn)(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel,
                                   const cJSON *constraint, const char *col, lint_span at);
void lint_each_added_constraint(lint_ctx *ctx, const sql_stmt *s, lint_constraint_fn fn);

/* ---- locating names that the parse tree carries no location for ---- */

/* Finds the next occurrence of the dotted name (as the parse tree spells it,
 * folded) among the statement's tokens at or after offset `from`; falls back
 * to the statement start. */
lint_span lint_find_name(const lint_ctx *ctx, const sql_stmt *s, size_t from, const char *name);
/* Finds the next keyword token `word` at or after `from` (statement start if none). */
lint_span lint_find_keyword(const lint_ctx *ctx, const sql_stmt *s, size_t from, const char *word);
/* The byte range of the i-th comma-separated subcommand of an ALTER TABLE
 * (or similar) statement, counting from the token after offset `after`. */
lint_span lint_subcommand(const lint_ctx *ctx, const sql_stmt *s, size_t after, int i);
/* The first token of the statement. */
lint_span lint_stmt_head(const lint_ctx *ctx, const sql_stmt *s);
/* The extent of the dotted name starting at the token at `offset`. */
lint_span lint_name_at(const lint_ctx *ctx, const sql_stmt *s, size_t offset);
/* The dotted name of a DROP object (a List of Strings, a String or a TypeName). */
char *lint_object_name(const lint_ctx *ctx, const cJSON *object);
/* "t.a", "t.a and t.b", "t.a, t.b and t.c": columns of one table in a message. */
const char *lint_column_list(lint_ctx *ctx, const char *table, const char *const *cols, size_t n);
/* The last component of a '/'-separated path. */
const char *lint_basename(const char *path);
/* Splits "schema.name" into its parts (schema NULL when unqualified). */
const char *lint_split_name(const lint_ctx *ctx, const char *dotted, const char **schema);

#endif
