/* report.c - the table of output formats behind --format. It sits on top
 * of the formats and calls down only: the helpers they share are below
 * them, in report_util.c. */
#include <string.h>

#include "report.h"

static const struct {
    const char *name;
    report_fn fn;
} formats[] = {
    {"text", report_text},   {"gcc", report_gcc},       {"json", report_json},
    {"sarif", report_sarif}, {"github", report_github}, {"junit", report_junit},
};

report_fn report_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0)
            return formats[i].fn;
    return NULL;
}
