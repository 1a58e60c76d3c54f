/* ormx.h - helpers the tree-sitter ORM extractors share: node text,
 * locations in code points, string literal values, call arguments. They
 * know the node names of the python, typescript, ruby and go grammars. */
#ifndef MIGRALINT_ORMX_H
#define MIGRALINT_ORMX_H

#include <stdbool.h>
#include <stddef.h>

#include <tree_sitter/api.h>

#include "model.h"
#include "tsq.h"

/* One file being extracted. */
typedef struct ormx_file {
    orm_schema *s;
    const char *path;
    const char *text;
    size_t len;
} ormx_file;

/* The embedded query `scm` for `grammar`, compiled once per process (a
 * drift run extracts hundreds of files) and freed at exit; NULL with err
 * filled when it does not compile. Not to be freed by the caller. */
tsq *ormx_query(const char *grammar, const char *scm, char *err, size_t errsize);
/* The node's place, columns counted in code points. */
orm_loc ormx_loc(const ormx_file *f, TSNode n);
/* The node's source text, copied into the schema's arena. */
char *ormx_text(const ormx_file *f, TSNode n);
/* True when the node's source text is exactly `word`. */
bool ormx_is(const ormx_file *f, TSNode n, const char *word);
/* The value of a string literal without interpolation or escapes that
 * change it (python, typescript, ruby, go); NULL for anything else. */
const char *ormx_string(const ormx_file *f, TSNode n);
/* The last name of a callee or type: `sa.Column` and `Column` give
 * "Column"; NULL when the node is neither an identifier nor an attribute. */
const char *ormx_last_name(const ormx_file *f, TSNode n);
/* Named child of `parent` whose kind is `kind`, from index *i on; advances
 * *i. Null node when none is left. */
TSNode ormx_next_child(TSNode parent, const char *kind, uint32_t *i);
/* A keyword argument (python `name=value`) of an argument_list; null node
 * when absent. */
TSNode ormx_py_kwarg(const ormx_file *f, TSNode args, const char *name);
/* The i-th positional argument of a python argument_list (null node when
 * there are fewer). */
TSNode ormx_py_positional(TSNode args, uint32_t i);
/* Python truth literal: 1 for True, 0 for False, -1 for anything else. */
int ormx_py_bool(const ormx_file *f, TSNode n);
/* A property `key` of an object literal (typescript `{ key: value }`) or a
 * pair of a ruby hash/argument list (`key: value`); null node when absent. */
TSNode ormx_ts_prop(const ormx_file *f, TSNode object, const char *key);
TSNode ormx_rb_pair(const ormx_file *f, TSNode args, const char *key);
/* "snake_case" from "CamelCase" (runs of capitals stay one word: "HTTPLog"
 * gives "http_log"), into the arena. */
char *ormx_snake(const ormx_file *f, const char *name);
/* The child in field `name`, and whether n is of kind `kind`. */
TSNode ormx_field(TSNode n, const char *name);
bool ormx_kind(TSNode n, const char *kind);
/* The next `x = ...` statement of a python block from *i on (advances *i). */
TSNode ormx_py_next_assignment(TSNode block, uint32_t *i);
/* list plus str, copied into the arena (lists of names are short). */
const char **ormx_list_add(const ormx_file *f, const char **list, size_t n, const char *str);
/* A note at node n. */
/* A note at the file's first syntax error, when it has one. */
void ormx_note_syntax_errors(const ormx_file *f, TSNode root);
void ormx_note(const ormx_file *f, TSNode n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
