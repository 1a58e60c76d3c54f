/* history_util.h - small helpers shared by the history rules (the rules
 * that need --base: applied-migration-*, migration-out-of-order,
 * duplicate-migration-version). */
#ifndef MIGRALINT_HISTORY_UTIL_H
#define MIGRALINT_HISTORY_UTIL_H

#include "rule.h"

/* The file a migration-level history finding points at: its up file (or
 * its down file when it has no up file). NULL when unreadable. */
static inline const source *history_src(const migration *m)
{
    if (m->nup && m->up[0].src)
        return m->up[0].src;
    return m->has_down ? m->down.src : NULL;
}

#endif
