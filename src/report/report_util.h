/* report_util.h - small pieces the output formats share: counting and
 * wording totals, JSON output through cJSON, and positions as JSON. */
#ifndef MIGRALINT_REPORT_UTIL_H
#define MIGRALINT_REPORT_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "../core/strbuf.h"
#include "report.h"

/* Unsuppressed findings per level (index by diag_level) and in total. */
typedef struct report_totals {
    size_t level[4];
    size_t all;
} report_totals;

void report_count(const report_input *in, report_totals *t);

/* Appends "1 error" / "2 errors": a count and a noun, pluralised with "s". */
void report_plural(strbuf *b, size_t n, const char *noun);

/* "E errors, W warnings, K notes", the tail every summary line shares. */
void report_levels(strbuf *b, const report_totals *t);

/* Appends n bytes of s with terminal control characters (C0 but tab, DEL, C1)
 * replaced by '?', so a crafted identifier or file name cannot move the
 * cursor or recolour a terminal. A line break becomes a space unless
 * keep_newlines. */
void report_put_clean(strbuf *b, const char *s, size_t n, bool keep_newlines);
/* The same for a NUL-terminated string; NULL appends nothing. */
void report_put_cleans(strbuf *b, const char *s, bool keep_newlines);

/* Appends v in decimal, as "%ld" prints it. */
void report_put_int(strbuf *b, long v);

/* Writes the whole buffer; returns -1 on a write error, else 0. */
int report_flush(FILE *out, const strbuf *b);

/* Prints json indented by two spaces, with a final newline, and frees it;
 * -1 on a write error. */
int report_print_json(FILE *out, cJSON *json);

/* Adds a string member, or null when s is NULL. */
void report_json_str(cJSON *obj, const char *key, const char *s);

#endif
