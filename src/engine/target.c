/* target.c - settles the PostgreSQL version a command targets, and why
 * (src/config/pg_target.h): --pg-version, else the config's pgVersion, else
 * the repository's pin, else the newest version migralint parses. */
#include <string.h>

#include "../config/config.h"
#include "../config/pg_target.h"
#include "options.h"

void cli_settle_pg_version(cli_options *o, const config *cfg, const char *root,
                           const char *const *skip, size_t nskip, arena *a)
{
    if (o->has_pg_version) {
        o->pg_version_why = "--pg-version";
        return;
    }
    if (cfg && cfg->pg_version) {
        const char *file = cfg->file ? cfg->file : ".migralint.json";
        size_t n = root ? strlen(root) : 0;
        if (n && !strncmp(file, root, n) && file[n] == '/')
            file += n + 1;
        o->pg_version = cfg->pg_version;
        o->pg_version_why = arena_printf(a, "\"pgVersion\" in %s", file);
        return;
    }
    pg_target t;
    if (root && pg_target_detect(root, skip, nskip, a, &t)) {
        o->pg_version = t.version;
        o->pg_version_why = t.why;
        return;
    }
    o->pg_version = PG_TARGET_DEFAULT;
    o->pg_version_why = "default: the repository pins no version";
}

const char *cli_pg_version_text(const cli_options *o, arena *a)
{
    pg_target t = {o->pg_version, o->pg_version_why ? o->pg_version_why : "default"};
    return pg_target_describe(&t, a);
}
