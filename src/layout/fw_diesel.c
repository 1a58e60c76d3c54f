/* fw_diesel.c - diesel: one folder per migration, <version>_<name>/up.sql
 * and down.sql, with an optional metadata.toml ("run_in_transaction =
 * false"). The version is the folder name before the first '_' with its
 * dashes removed (2024-01-05-093000_x is 20240105093000), ordered as
 * diesel does. diesel wraps both steps in a transaction by default and runs
 * each file with batch_execute, as one multi-statement query. */
#include <string.h>

#include "internal.h"

#define DIESEL_PART  "^([^/]+)/(up\\.sql|down\\.sql|metadata\\.toml)$"
#define DIESEL_NO_TX "^\\s*run_in_transaction\\s*=\\s*false\\s*(#.*)?$"

static int diesel_cmp(const migration *x, const migration *y)
{
    return lay_version_cmp_numeric(x->version, y->version);
}

static char *undash(lctx *c, const char *s, size_t n)
{
    char *v = arena_alloc(c->a, n + 1), *o = v;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '-')
            *o++ = s[i];
    *o = '\0';
    return v;
}

/* The migration of folder, created on first sight. */
static migration *diesel_folder(lctx *c, const char *folder)
{
    char *path = c->dirlen ? arena_printf(c->a, "%s/%s", c->dir, folder) : (char *)folder;
    for (size_t k = 0; k < c->count; k++)
        if (strcmp(c->items[k].path, path) == 0)
            return &c->items[k];
    migration *mig = lctx_push(c);
    const char *us = strchr(folder, '_');
    size_t vlen = us ? (size_t)(us - folder) : strlen(folder);
    mig->version = undash(c, folder, vlen);
    mig->name = us ? us + 1 : "";
    mig->path = path;
    mig->nup = 0; /* until up.sql shows up */
    mig->transactional = mig->down_transactional = true;
    mig->implicit_tx = true; /* batch_execute, in a transaction or not */
    return mig;
}

static void diesel_file(lctx *c, size_t i, migration *mig, const char *what)
{
    const source *src = c->files[i].src;
    c->claimed[i] = true;
    if (strcmp(what, "up.sql") == 0) {
        mig->up[0] = lay_part_whole(src);
        mig->nup = 1;
    } else if (strcmp(what, "down.sql") == 0) {
        mig->has_down = true;
        mig->down = lay_part_whole(src);
    } else if (lre_find_line(c, DIESEL_NO_TX, src, 1, NULL)) {
        mig->transactional = mig->down_transactional = false;
    }
}

bool layout_read_diesel(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        lre_match m;
        if (!rel || !lre_find(c, DIESEL_PART, rel, strlen(rel), &m))
            continue;
        migration *mig = diesel_folder(c, lre_group(c, &m, rel, 1));
        diesel_file(c, i, mig, rel + m.start[2]);
    }
    for (size_t k = 0; k < c->count; k++)
        if (c->items[k].nup == 0)
            return lctx_fail(c, c->items[k].path, 0,
                             "a diesel migration folder without up.sql: diesel cannot run it");
    lctx_sort(c, diesel_cmp);
    return true;
}
