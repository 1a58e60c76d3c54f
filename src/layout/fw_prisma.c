/* fw_prisma.c - Prisma Migrate: <timestamp>_<name>/migration.sql folders
 * (plus migration_lock.toml), applied in folder-name order. No down steps
 * by design; a down.sql someone generated with `prisma migrate diff` for
 * recovery is kept as the down part so it can be checked, though Prisma
 * never runs it.
 *
 * The schema engine sends migration.sql to PostgreSQL as one simple query
 * (prisma-engines, apply_migration_script): no BEGIN, but the server runs a
 * multi-statement string as one implicit transaction, hence implicit_tx. */
#include <string.h>

#include "internal.h"

#define PRISMA_PART   "^([^/]+)/(migration|down)\\.sql$"
#define PRISMA_FOLDER "^([0-9]+)_(.*)$"

static int prisma_cmp(const migration *x, const migration *y)
{
    return strcmp(x->path, y->path);
}

static migration *prisma_find(lctx *c, const char *path)
{
    for (size_t k = 0; k < c->count; k++)
        if (strcmp(c->items[k].path, path) == 0)
            return &c->items[k];
    return NULL;
}

static void prisma_add(lctx *c, size_t i, const char *folder)
{
    migration *mig = lctx_push(c);
    lre_match m;
    if (lre_find(c, PRISMA_FOLDER, folder, strlen(folder), &m)) {
        mig->version = lre_group(c, &m, folder, 1);
        mig->name = lre_group(c, &m, folder, 2);
    } else {
        mig->name = folder;
    }
    mig->path = c->dirlen ? arena_printf(c->a, "%s/%s", c->dir, folder) : folder;
    mig->up[0] = lay_part_whole(c->files[i].src);
    mig->implicit_tx = true;
    c->claimed[i] = true;
}

static void prisma_attach_down(lctx *c, size_t i, const char *folder)
{
    migration *mig =
        prisma_find(c, c->dirlen ? arena_printf(c->a, "%s/%s", c->dir, folder) : folder);
    if (!mig) {
        c->why[i] = "a down.sql without a migration.sql beside it";
        return;
    }
    mig->has_down = true;
    mig->down = lay_part_whole(c->files[i].src);
    c->claimed[i] = true;
}

bool layout_read_prisma(lctx *c)
{
    long lock = lctx_find(c, "migration_lock.toml");
    if (lock >= 0)
        c->claimed[lock] = true;
    for (int pass = 0; pass < 2; pass++) { /* migrations first, so downs find them */
        for (size_t i = 0; i < c->nfiles; i++) {
            const char *rel = lctx_rel(c, i);
            lre_match m;
            if (!rel || !lre_find(c, PRISMA_PART, rel, strlen(rel), &m))
                continue;
            bool up = rel[m.start[2]] == 'm';
            if (pass == 0 && up)
                prisma_add(c, i, lre_group(c, &m, rel, 1));
            else if (pass == 1 && !up)
                prisma_attach_down(c, i, lre_group(c, &m, rel, 1));
        }
    }
    lctx_sort(c, prisma_cmp);
    return true;
}
