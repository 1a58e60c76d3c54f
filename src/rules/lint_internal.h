/* lint_internal.h - the engine's state, shared by lint.c, emit.c, names.c and ignore.c
 * only; rule files see rule.h. */
#ifndef MIGRALINT_LINT_INTERNAL_H
#define MIGRALINT_LINT_INTERNAL_H

#include "../core/strset.h"
#include "lint.h"

struct linter {
    diag_list *out;
    diag_level *levels; /* by ruledoc index */
    int pg_version;
    sql_dialect dialect;
    const char *pg_version_why; /* where pg_version came from, for help texts */
    bool *skip_in_down;         /* by ruledoc index: destructive, locking and style rules */
    int *registry_doc;          /* by registry index: the rule's ruledoc index (-1: no document) */
    struct ignore_matcher *ignores;
    lint_migration *mig; /* the migration being linted, NULL outside one */
    /* Ignore directives seen in the migration's files, for findings about
     * the migration as a whole (missing-down), which have no statement. */
    struct seen_ignore *seen;
    size_t nseen, capseen;
    /* A step linted so far had a statement that did not parse: the replay
     * may miss what it did, so conflicts after it are not certain. */
    bool replay_unsure;
    const char **rule_kinds; /* by registry index: the rule's kinds */
    struct kind_memo *kinds; /* which rules look at each kind (kindmemo.h) */
    /* By registry index, which rules run (rule_runs) in an up step, a down
     * step and after a migration: worked out when first asked after a
     * level or the dialect was set, instead of per statement and rule. */
    bool *runs[3];
    size_t *migration_rules; /* the registry indices runs[2] holds true for */
    size_t nmigration_rules;
    bool runs_known;
};

struct seen_ignore {
    const source *src;
    const char *rule; /* the ruledoc's id string */
};

/* Remembers that src holds a valid ignore of rule (ignore.c calls this). */
void linter_note_ignore(linter *l, const source *src, const char *rule);

struct lint_ctx {
    linter *linter;
    const sql_file *file;
    const sql_stmt *stmt;
    int stmt_index;
    char **created; /* "schema.name" of relations created earlier in the file */
    size_t ncreated, capcreated;
    strset created_set;  /* the same names, for lookups that stay fast in big files */
    bool in_transaction; /* an explicit BEGIN is open */
    size_t begin_offset; /* where that BEGIN is */
    bool down;
    bool framework_tx;    /* the framework wraps this step in a transaction */
    bool implicit_tx;     /* the step is sent as one multi-statement query */
    size_t statements;    /* in this step, besides transaction control */
    bool saw_parse_error; /* a statement before this one in the step did not parse */
    /* stepfacts.c: forward facts, from step_setup's pass over the step */
    long last_tx_end; /* the last statement ending a transaction (or not parsing), or -1 */
    struct lint_temp {
        size_t index;
        const char *name;
    } * temps; /* CREATE TEMP TABLE, in statement order */
    size_t ntemps, captemps;
    /* backward facts, noted after each statement is linted */
    strset new_domains;        /* "schema\x1fname" of domains created */
    strset robust_drops;       /* "schema\x1ftable\x1fconstraint" dropped IF EXISTS */
    lint_not_valid *not_valid; /* since the last transaction statement */
    size_t nnot_valid, capnot_valid;
};

/* The forward facts of the step's statements (step_setup). */
void stepfacts_forward(lint_ctx *ctx, const sql_file *f);
/* Backward facts, from state_update (lint.c), for a statement that parsed. */
void stepfacts_transaction(lint_ctx *ctx, const cJSON *node);
void stepfacts_domain(lint_ctx *ctx, const cJSON *node);
void stepfacts_free(lint_ctx *ctx);

/* Adds a finding at the level configured for rule_id; NULL when it is off. */
diag *linter_emit(linter *l, const char *rule_id, const sql_file *file, const sql_stmt *stmt,
                  int stmt_index, size_t start, size_t end, const char *message);
/* The same for the rule whose ruledoc index is doc_index (known already). */
diag *linter_emit_doc(linter *l, int doc_index, const sql_file *file, const sql_stmt *stmt,
                      int stmt_index, size_t start, size_t end, const char *message);

struct ignore_matcher *ignore_matcher_new(void);
void ignore_matcher_free(struct ignore_matcher *m);
/* Reads the file's ignore comments, suppresses the findings they cover among
 * out->items[first..], and reports malformed ignores. */
void ignore_apply(linter *l, const sql_file *file, size_t first);

/* Folds an identifier token as PostgreSQL does (unquoted: lower case;
 * quoted: verbatim without quotes) into buf. */
const char *ident_fold(const sql_file *f, size_t tok, char *buf, size_t size);

#endif
