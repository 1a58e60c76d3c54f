/* grammars.c - the table of linked tree-sitter grammars (see grammars.h). */
#include "grammars.h"

#include <string.h>

const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_ruby(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_prisma(void);
const TSLanguage *tree_sitter_sql(void);

static const orm_grammar grammars[] = {
    {"typescript", tree_sitter_typescript},
    {"tsx", tree_sitter_tsx},
    {"javascript", tree_sitter_javascript},
    {"python", tree_sitter_python},
    {"ruby", tree_sitter_ruby},
    {"go", tree_sitter_go},
    {"prisma", tree_sitter_prisma},
    {"sql", tree_sitter_sql}, /* MySQL (src/mysql) */
};

size_t orm_grammar_count(void)
{
    return sizeof grammars / sizeof grammars[0];
}

const orm_grammar *orm_grammar_at(size_t i)
{
    return i < orm_grammar_count() ? &grammars[i] : NULL;
}

const TSLanguage *orm_grammar_find(const char *name)
{
    for (size_t i = 0; i < orm_grammar_count(); i++)
        if (strcmp(grammars[i].name, name) == 0)
            return grammars[i].language();
    return NULL;
}

bool orm_grammar_loads(const orm_grammar *g)
{
    TSParser *p = ts_parser_new();
    bool ok = ts_parser_set_language(p, g->language());
    ts_parser_delete(p);
    return ok;
}
