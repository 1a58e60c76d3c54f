/* fw_plain.c - folders without a framework's layout.
 *
 * Supabase (supabase/migrations): <timestamp>_name.sql, up only, in version
 * order; the CLI skips other names with a warning, so they are stray. It
 * sends each file's statements as one pipelined batch together with the
 * insert into its history table, which PostgreSQL runs as one implicit
 * transaction: transactional.
 *
 * Plain: every .sql file under the folder in path order, version = the
 * leading digits of the file name, no known transaction. A project's own
 * runner often keeps X.up.sql beside X.down.sql (names golang-migrate would
 * not take, such as 2023-01-05-add-users.up.sql): the down file is the up
 * file's down step, never a forward migration of its own. */
#include <string.h>

#include "internal.h"

#define SUPABASE_FILE "^([0-9]+)_(.*)\\.sql$"
#define PLAIN_NAME    "^([0-9]*)[-_.]?(.*?)\\.sql$"
/* 2023-01-05-add-users.sql, 2023-01-05-093000_x.sql: version 20230105(093000). */
#define PLAIN_DATED "^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[-_]?([0-9]{4,6}))?[-_.]?(.*?)\\.sql$"

static int supabase_cmp(const migration *x, const migration *y)
{
    int r = lay_version_cmp_numeric(x->version, y->version);
    return r ? r : strcmp(x->name, y->name);
}

static int plain_cmp(const migration *x, const migration *y)
{
    return strcmp(x->path, y->path);
}

static migration *add_whole(lctx *c, size_t i, const char *subject, const lre_match *m)
{
    migration *mig = lctx_push(c);
    mig->version = lre_group(c, m, subject, 1);
    mig->name = lre_group(c, m, subject, 2);
    mig->path = c->files[i].path;
    mig->up[0] = lay_part_whole(c->files[i].src);
    c->claimed[i] = true;
    return mig;
}

bool layout_read_supabase(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        lre_match m;
        if (rel && !strchr(rel, '/') && lre_find(c, SUPABASE_FILE, rel, strlen(rel), &m))
            add_whole(c, i, rel, &m)->transactional = true;
    }
    lctx_sort(c, supabase_cmp);
    return true;
}

/* "a/X.up.sql" -> "a/X" (a new string), NULL for other names. */
static char *pair_stem(lctx *c, const char *rel, const char *suffix)
{
    if (!lay_path_has_suffix(rel, suffix) || strlen(rel) == strlen(suffix))
        return NULL;
    return arena_strndup(c->a, rel, strlen(rel) - strlen(suffix));
}

/* X.down.sql: the down step of X.up.sql when there is one. */
static void plain_attach_down(lctx *c, size_t i, const char *stem)
{
    long up = lctx_find(c, arena_printf(c->a, "%s.up.sql", stem));
    for (size_t k = 0; up >= 0 && k < c->count; k++) {
        migration *mig = &c->items[k];
        if (mig->up[0].src != c->files[up].src || strcmp(mig->path, c->files[up].path) ||
            mig->has_down)
            continue;
        mig->has_down = true;
        mig->down = lay_part_whole(c->files[i].src);
        c->claimed[i] = true;
        return;
    }
    c->why[i] = arena_printf(c->a, "a down file without %s.up.sql", lay_path_base(stem));
}

bool layout_read_plain(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (!rel || !lay_path_has_suffix(rel, ".sql") || pair_stem(c, rel, ".down.sql"))
            continue;
        const char *base = lay_path_base(rel);
        lre_match m;
        if (!lre_find(c, PLAIN_NAME, base, strlen(base), &m))
            continue;
        migration *mig = add_whole(c, i, base, &m);
        lre_match d;
        if (base[0] >= '0' && base[0] <= '9' && lre_find(c, PLAIN_DATED, base, strlen(base), &d)) {
            mig->version =
                arena_printf(c->a, "%s%s%s%s", lre_group(c, &d, base, 1), lre_group(c, &d, base, 2),
                             lre_group(c, &d, base, 3), lre_group(c, &d, base, 4));
            mig->name = lre_group(c, &d, base, 5);
        }
        if (lay_path_has_suffix(mig->name, ".up")) /* X.up.sql is named X */
            mig->name = arena_strndup(c->a, mig->name, strlen(mig->name) - 3);
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        char *stem = rel ? pair_stem(c, rel, ".down.sql") : NULL;
        if (stem)
            plain_attach_down(c, i, stem);
    }
    lctx_sort(c, plain_cmp);
    return true;
}
