/* internal.h - what the code-migration readers share: the reading context
 * of one host file and helpers over tree-sitter nodes. */
#ifndef MIGRALINT_CODE_INTERNAL_H
#define MIGRALINT_CODE_INTERNAL_H

#include <string.h>

#include "code.h"
#include "vsql.h"

typedef struct code_ctx {
    arena *a;
    framework fw;
    const source *host;
    const char *app;
    code_migration *out;
    code_lang lang;
    size_t notes_cap;
    /* module-level string constants, for identifiers and ${name} */
    const char **const_names, **const_values;
    size_t nconsts, consts_cap;
    struct dj_state *dj; /* Django: the models the migrations read so far built */
} code_ctx;

/* One step being read. */
typedef struct step_reader {
    vsql v;
    code_step *step;
    const char *param; /* the step function's first parameter (queryRunner, knex, pgm) */
} step_reader;

bool code_node_is(TSNode n, const char *type);
/* The node's text as an arena string. */
char *code_node_text(const code_ctx *c, TSNode n);
bool code_text_is(const code_ctx *c, TSNode n, const char *s);
int code_node_line(const code_ctx *c, TSNode n);
void code_note(code_ctx *c, TSNode at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void step_begin(code_ctx *c, step_reader *r, code_step *step, size_t anchor);
void step_end(code_ctx *c, step_reader *r);
/* Appends the SQL string expression arg as one or more statements; notes
 * and marks the step partial when it is built at run time. */
void step_sql(code_ctx *c, step_reader *r, TSNode arg, TSNode call);
/* Appends a statement the program writes for a helper call. */
void step_synth(code_ctx *c, step_reader *r, TSNode call, const char *sql);

/* Records the module-level constants of root (JavaScript `const x = '...'`,
 * Python `X = "..."`), and the resolver that reads them. */
void code_collect_constants(code_ctx *c, TSNode root);
const char *code_resolve(void *ud, const char *name, size_t len);
char *code_string(code_ctx *c, TSNode n);

bool code_read_js(code_ctx *c);
bool code_read_alembic(code_ctx *c);
bool code_read_django(code_ctx *c);

/* A statement written in pieces, each pointing at its own node (a column
 * of op.create_table at its sa.Column): pieces, then step_synth_end. */
void step_synth_piece(step_reader *r, TSNode at, const char *text);
void step_synth_end(step_reader *r, TSNode call);

/* Quotes an identifier for synthesized SQL when it needs quoting. */
const char *code_ident(arena *a, const char *name);

#endif
