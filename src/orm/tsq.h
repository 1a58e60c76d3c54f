/* tsq.h - tree-sitter queries compiled from the .scm files embedded in the
 * binary, with their text predicates evaluated.
 *
 * The tree-sitter C runtime parses predicates such as (#eq? @a "x") but
 * leaves them to the caller; a match returned by tsq_next has passed all of
 * them. Supported: #eq? #not-eq? (capture against a string or another
 * capture), #match? #not-match? (PCRE2, unanchored like the CLI's), #any-of?
 * #not-any-of?. A capture that matched several nodes (a quantified capture)
 * passes when every node does. Any other predicate is a load error, so a typo
 * in a query fails the first test that loads it instead of matching more. */
#ifndef MIGRALINT_TSQ_H
#define MIGRALINT_TSQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tree_sitter/api.h>

#define TSQ_NO_CAPTURE UINT32_MAX

typedef struct tsq tsq;
typedef struct tsq_cursor tsq_cursor;

/* Compiles the embedded query file `scm_name` (e.g. "drizzle.scm") for the
 * grammar `grammar` (a name from grammars.h). On failure returns NULL and
 * writes "drizzle.scm:3:7: ..." into err. */
tsq *tsq_load(const char *grammar, const char *scm_name, char *err, size_t errsize);
/* Same, from query text in memory (tests, and queries built at run time). */
tsq *tsq_compile(const char *grammar, const char *name, const char *src, size_t len, char *err,
                 size_t errsize);
void tsq_free(tsq *q);

/* The id of capture @name, or TSQ_NO_CAPTURE. */
uint32_t tsq_capture_id(const tsq *q, const char *name);

/* Parses text with the named grammar; NULL when the grammar is unknown.
 * The tree has errors when the text does not parse (check
 * ts_node_has_error); it never fails on bad input. */
TSTree *tsq_parse(const char *grammar, const char *text, uint32_t len);

/* Runs q over node; `text` is the source the tree was parsed from. */
tsq_cursor *tsq_exec(const tsq *q, TSNode node, const char *text);
/* The next match that passes its predicates; false when there is none. The
 * match stays valid until the next call. */
bool tsq_next(tsq_cursor *c, TSQueryMatch *m);
void tsq_cursor_free(tsq_cursor *c);

/* The first node captured as `capture_id` in m; false when none was. */
bool tsq_capture(const TSQueryMatch *m, uint32_t capture_id, TSNode *out);

#endif
