/* fw_plain.c - folders without a framework's layout.
 *
 * Supabase (supabase/migrations): <timestamp>_name.sql, up only, in version
 * order; the CLI skips other names with a warning, so they are stray. It
 * sends each file's statements as one pipelined batch together with the
 * insert into its history table, which PostgreSQL runs as one implicit
 * transaction: transactional.
 *
 * Plain: every .sql file under the folder in path order, version = the
 * leading digits of the file name, no down, no known transaction. */
#include <string.h>

#include "internal.h"

#define SUPABASE_FILE "^([0-9]+)_(.*)\\.sql$"
#define PLAIN_NAME    "^([0-9]*)[-_.]?(.*?)\\.sql$"

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

bool layout_read_plain(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (!rel || !lay_path_has_suffix(rel, ".sql"))
            continue;
        const char *base = lay_path_base(rel);
        lre_match m;
        if (lre_find(c, PLAIN_NAME, base, strlen(base), &m))
            add_whole(c, i, base, &m);
    }
    lctx_sort(c, plain_cmp);
    return true;
}
