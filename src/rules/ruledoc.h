/* ruledoc.h - rule metadata and documentation, embedded from rules/<id>.md.
 *
 * Each document starts with a front matter block:
 *
 *   ---
 *   id: drop-column
 *   category: destructive
 *   level: error
 *   opt-in: false
 *   summary: Dropping a column breaks code that still reads it
 *   ---
 *
 * followed by Markdown. The front matter is the single source of truth for a
 * rule's default level and summary: CLI, SARIF and README all read it here. */
#ifndef MIGRALINT_RULEDOC_H
#define MIGRALINT_RULEDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/diag.h"

typedef struct rule_doc {
    const char *id;
    const char *category; /* reversibility, destructive, locking, correctness, style, history,
                             drift, meta */
    const char *summary;  /* one line, no trailing period */
    diag_level level;     /* default level */
    bool opt_in;          /* off unless enabled in config or with --rule */
    const char *markdown; /* the document after the front matter */
} rule_doc;

/* Parses the embedded documents once; returns false and prints which document
 * is malformed (a build bug, caught by the tests). */
bool ruledoc_init(void);
void ruledoc_shutdown(void);
size_t ruledoc_count(void);
const rule_doc *ruledoc_at(size_t i); /* sorted by id */
const rule_doc *ruledoc_find(const char *id);
/* Index of id in the sorted table (SARIF ruleIndex), or -1. */
int ruledoc_index(const char *id);
/* Link to the rule's document in the repository, for SARIF helpUri and LSP. */
const char *ruledoc_url(const rule_doc *doc, char *buf, size_t size);

#endif
