/* risk.c - a migration's risk level from its findings (see risk.h). */
#include "risk.h"

#include <string.h>

#include "ruledoc.h"

static const char *const names[] = {"low", "medium", "high", "critical"};

const char *risk_name(risk_level r)
{
    return names[r];
}

/* Errors that mean lost data, broken running code, or a migration that
 * fails outright, as opposed to one that only holds a lock too long. */
static bool is_critical(const diag *d)
{
    const rule_doc *doc = ruledoc_find(d->rule_id);
    return (doc && strcmp(doc->category, "destructive") == 0) ||
           strcmp(d->rule_id, "parse-error") == 0 ||
           strcmp(d->rule_id, "concurrent-in-transaction") == 0 ||
           strcmp(d->rule_id, "replay-conflict") == 0;
}

risk_level risk_of(diag *const *items, size_t n)
{
    risk_level r = RISK_LOW;
    for (size_t i = 0; i < n; i++) {
        const diag *d = items[i];
        risk_level here = RISK_LOW;
        if (d->suppressed)
            continue;
        if (d->level == LEVEL_ERROR)
            here = is_critical(d) ? RISK_CRITICAL : RISK_HIGH;
        else if (d->level == LEVEL_WARNING)
            here = RISK_MEDIUM;
        if (here > r)
            r = here;
    }
    return r;
}
