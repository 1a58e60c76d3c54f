/* vsql.h - "virtual SQL": the SQL a code migration step sends, gathered
 * from the string literals and helper calls of its host file, with a map
 * from every byte back to the host file (see source_new_virtual).
 *
 * code_lit_append decodes one string expression (a JavaScript string or
 * template literal, a Python string of any quoting, constant concatenation
 * of those) into a vsql; escapes map to the backslash that starts them. */
#ifndef MIGRALINT_CODE_VSQL_H
#define MIGRALINT_CODE_VSQL_H

#include <stdbool.h>
#include <stddef.h>

#include <tree_sitter/api.h>

#include "../core/arena.h"
#include "../core/source.h"
#include "../core/strbuf.h"

/* Looks up a constant by name (a module-level `const tableName = 'x'`);
 * NULL when there is none. */
typedef const char *(*vsql_resolver)(void *ud, const char *name, size_t len);

typedef struct vsql {
    const source *host;
    vsql_resolver resolve; /* optional: identifiers and ${name} of constants */
    void *resolve_ud;
    strbuf text;
    source_seg *segs;
    size_t nsegs, cap;
} vsql;

void vsql_init(vsql *v, const source *host);
void vsql_free(vsql *v);
/* Bytes copied from the host file at host_off, one for one. */
void vsql_copy(vsql *v, const char *s, size_t n, size_t host_off);
/* Bytes the program writes (a decoded escape, a synthesized statement):
 * all of them point at host_off. */
void vsql_fixed(vsql *v, const char *s, size_t n, size_t host_off);
/* The virtual source (allocated in a); v is emptied. */
source *vsql_finish(vsql *v, arena *a);

typedef enum code_lang { CODE_JS, CODE_PY } code_lang;

typedef enum lit_result {
    LIT_OK,
    LIT_RUNTIME,    /* built at run time: interpolation, a variable, a call */
    LIT_NOT_STRING, /* not a string expression at all */
} lit_result;

/* Appends the decoded value of node (from host->text) to v. On anything but
 * LIT_OK, v is left as it was. */
lit_result code_lit_append(vsql *v, code_lang lang, TSNode node);
/* The decoded value into a fresh arena string (names in helper calls);
 * NULL unless the node is a constant string. */
char *code_lit_string(arena *a, const source *host, code_lang lang, TSNode node,
                      vsql_resolver resolve, void *ud);

#endif
