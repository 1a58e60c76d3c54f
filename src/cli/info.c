/* info.c - `migralint explain ID` and `migralint rules`. */
#include <stdio.h>
#include <string.h>

#include "../core/exitcode.h"
#include "../rules/ruledoc.h"
#include "cli.h"

int cli_explain(const cli_options *o)
{
    if (o->npaths != 1) {
        fputs("migralint: explain needs exactly one rule id (see `migralint rules`)\n", stderr);
        return EXIT_USAGE;
    }
    const rule_doc *d = ruledoc_find(o->paths[0]);
    if (!d) {
        fprintf(stderr, "migralint: explain: unknown rule '%s' (see `migralint rules`)\n",
                o->paths[0]);
        return EXIT_USAGE;
    }
    printf("%s  (%s, default level %s%s)\n\n", d->id, d->category, diag_level_name(d->level),
           d->opt_in ? ", opt-in" : "");
    fputs(d->markdown, stdout);
    return EXIT_CLEAN;
}

int cli_rules(const cli_options *o)
{
    (void)o;
    size_t width = 0;
    for (size_t i = 0; i < ruledoc_count(); i++)
        if (strlen(ruledoc_at(i)->id) > width)
            width = strlen(ruledoc_at(i)->id);
    for (size_t i = 0; i < ruledoc_count(); i++) {
        const rule_doc *d = ruledoc_at(i);
        printf("%-*s  %-13s %-8s %s%s\n", (int)width, d->id, d->category,
               d->opt_in ? "off" : diag_level_name(d->level), d->summary,
               d->opt_in ? " (opt-in)" : "");
    }
    return EXIT_CLEAN;
}
