/* grammars.h - the tree-sitter grammars linked into migralint, by language
 * name. The ORM extractors and code-migration readers get their parsers
 * here; `migralint version --verbose` lists them to prove they load. */
#ifndef MIGRALINT_GRAMMARS_H
#define MIGRALINT_GRAMMARS_H

#include <stdbool.h>
#include <stddef.h>

#include <tree_sitter/api.h>

typedef struct orm_grammar {
    const char *name; /* "typescript", "tsx", "javascript", "python", "ruby", "go", "prisma" */
    const TSLanguage *(*language)(void);
} orm_grammar;

size_t orm_grammar_count(void);
const orm_grammar *orm_grammar_at(size_t i);
const TSLanguage *orm_grammar_find(const char *name);
/* True when the runtime accepts the grammar's ABI (ts_parser_set_language). */
bool orm_grammar_loads(const orm_grammar *g);

#endif
