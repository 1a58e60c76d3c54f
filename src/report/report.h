/* report.h - output formats. Each format lives in its own file and only
 * prints what it is given: deciding what is a finding happens before. */
#ifndef MIGRALINT_REPORT_H
#define MIGRALINT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/diag.h"

#define MIGRALINT_VERSION "0.1.0"
#define MIGRALINT_URL     "https://github.com/migralint/migralint"

typedef struct report_input {
    const diag_list *diags;     /* finalized: sorted, positions set; skip d->suppressed */
    const source *const *files; /* every file that was linted, in order */
    size_t nfiles;
    bool color; /* text only: ANSI colours */
} report_input;

typedef int (*report_fn)(FILE *out, const report_input *in);

int report_text(FILE *out, const report_input *in);
int report_gcc(FILE *out, const report_input *in);
int report_json(FILE *out, const report_input *in);
int report_sarif(FILE *out, const report_input *in);
int report_github(FILE *out, const report_input *in);
int report_junit(FILE *out, const report_input *in);

/* Looks a format up by name ("text", "gcc", ...); NULL if unknown. */
report_fn report_find(const char *name);

#endif
