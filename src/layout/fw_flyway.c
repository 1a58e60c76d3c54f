/* fw_flyway.c - Flyway: V<version>__<desc>.sql (versioned), U<version>__...
 * (undo of the V with the same version), R__<desc>.sql (repeatable, applied
 * after all versioned ones, by description). Flyway scans its locations
 * recursively, so does this reader. Versions compare part by part, with '.'
 * and '_' as separators ("1_1" is version 1.1).
 *
 * B<version>__<desc>.sql is a baseline migration (Flyway Teams): an empty
 * database starts from the newest one, and the versioned migrations at or
 * below it are ignored there (below_baseline).
 *
 * Flyway runs each migration in a transaction unless its script
 * configuration says executeInTransaction=false: in a V1__x.sql.conf file
 * beside it, or in a "-- flyway:executeInTransaction=false" comment line. */
#include <string.h>

#include "internal.h"

#define FW_VERSIONED  "^([VUB])([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql$"
#define FW_REPEATABLE "^R__(.+)\\.sql$"
#define FW_NO_TX_SQL  "(?i)^--\\s*flyway:executeInTransaction\\s*=\\s*false\\s*$"
#define FW_NO_TX_CONF "(?i)^\\s*executeInTransaction\\s*=\\s*false\\s*$"

static int flyway_cmp(const migration *x, const migration *y)
{
    if (x->repeatable != y->repeatable)
        return x->repeatable ? 1 : -1;
    if (x->repeatable)
        return strcmp(x->name, y->name);
    int r = lay_version_cmp_dotted(x->version, y->version);
    if (r || x->baseline == y->baseline)
        return r;
    return x->baseline ? -1 : 1; /* B5 stands for V5 and what came before */
}

/* Flyway prints versions with dots: V1_1 is "1.1". */
static char *dotted(lctx *c, const char *s, size_t n)
{
    char *v = arena_strndup(c->a, s, n);
    for (char *p = v; *p; p++)
        if (*p == '_')
            *p = '.';
    return v;
}

static bool flyway_no_tx(lctx *c, size_t i)
{
    if (lre_find_line(c, FW_NO_TX_SQL, c->files[i].src, 1, NULL))
        return true;
    char *conf = arena_printf(c->a, "%s.conf", lctx_rel(c, i));
    long k = lctx_find(c, conf);
    if (k < 0)
        return false;
    c->claimed[k] = true;
    return lre_find_line(c, FW_NO_TX_CONF, c->files[k].src, 1, NULL) != 0;
}

static migration *flyway_add(lctx *c, size_t i, const char *version, const char *name,
                             bool repeatable)
{
    migration *mig = lctx_push(c);
    mig->version = version;
    mig->name = name;
    mig->path = c->files[i].path;
    mig->up[0] = lay_part_whole(c->files[i].src);
    mig->repeatable = repeatable;
    mig->transactional = !flyway_no_tx(c, i);
    c->claimed[i] = true;
    return mig;
}

static void flyway_attach_undo(lctx *c, size_t i, const char *version)
{
    for (size_t k = 0; k < c->count; k++) {
        migration *mig = &c->items[k];
        if (mig->repeatable || mig->baseline || mig->has_down ||
            lay_version_cmp_dotted(mig->version, version))
            continue;
        mig->has_down = true;
        mig->down = lay_part_whole(c->files[i].src);
        mig->down_transactional = !flyway_no_tx(c, i);
        c->claimed[i] = true;
        return;
    }
    c->why[i] = arena_printf(c->a, "an undo script without a V%s__ migration", version);
}

static void flyway_scan(lctx *c, bool undo)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (!rel)
            continue;
        const char *base = lay_path_base(rel);
        lre_match m;
        if (lre_find(c, FW_VERSIONED, base, strlen(base), &m)) {
            bool is_undo = base[0] == 'U';
            char *version = dotted(c, base + m.start[2], m.end[2] - m.start[2]);
            if (!undo && !is_undo)
                flyway_add(c, i, version, lre_group(c, &m, base, 3), false)->baseline =
                    base[0] == 'B';
            else if (undo && is_undo)
                flyway_attach_undo(c, i, version);
        } else if (!undo && lre_find(c, FW_REPEATABLE, base, strlen(base), &m)) {
            flyway_add(c, i, "", lre_group(c, &m, base, 1), true);
        }
    }
}

/* Flyway migrates an empty database from the newest baseline migration:
 * every versioned migration at or below its version, and every older
 * baseline, is ignored there (Redgate's "Baseline migrations" page:
 * "new environments will pick the latest baseline migration as the
 * starting point"; B5 is the state after V5). */
static void flyway_mark_baseline(lctx *c)
{
    const migration *newest = NULL;
    for (size_t k = 0; k < c->count; k++)
        if (c->items[k].baseline &&
            (!newest || lay_version_cmp_dotted(c->items[k].version, newest->version) > 0))
            newest = &c->items[k];
    for (size_t k = 0; newest && k < c->count; k++) {
        migration *m = &c->items[k];
        if (m != newest && !m->repeatable &&
            lay_version_cmp_dotted(m->version, newest->version) <= 0)
            m->below_baseline = true;
    }
}

bool layout_read_flyway(lctx *c)
{
    flyway_scan(c, false);
    flyway_scan(c, true);
    flyway_mark_baseline(c);
    lctx_sort(c, flyway_cmp);
    return true;
}
