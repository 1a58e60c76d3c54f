/* history_util.h - small helpers shared by the history rules (the rules
 * that need --base: applied-migration-*, migration-out-of-order,
 * duplicate-migration-version). */
#ifndef MIGRALINT_HISTORY_UTIL_H
#define MIGRALINT_HISTORY_UTIL_H

#include <string.h>

#include "rule.h"

/* The file a migration-level history finding points at: its up file (or
 * its down file when it has no up file). NULL when unreadable. */
static inline const source *history_src(const migration *m)
{
    if (m->nup && m->up[0].src)
        return m->up[0].src;
    return m->has_down ? m->down.src : NULL;
}

/* How a finding names a file of migration m: "0001_users.up.sql", or
 * "2024-01-01-000000_users/up.sql" when the migration is a folder (diesel,
 * Prisma), where a bare "up.sql" would not say which one. */
static inline const char *history_file_name(lint_ctx *ctx, const migration *m, const source *src)
{
    size_t n = strlen(m->path);
    if (!strncmp(src->path, m->path, n) && src->path[n] == '/')
        return arena_printf(lint_arena(ctx), "%s%s", lint_basename(m->path), src->path + n);
    return lint_basename(src->path);
}

#endif
