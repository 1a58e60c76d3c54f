/* fw_code.c - the code-migration frameworks: TypeORM, Knex,
 * node-pg-migrate, Alembic and Django. Files are recognized by name and
 * content; src/code reads each into virtual SQL for its up and down steps.
 *
 * TypeORM   <13-digit timestamp>-Name.ts|js, a MigrationInterface class;
 *           transactional unless the class sets `transaction = false`.
 * Knex      YYYYMMDDhhmmss_name.js|ts, applied in file name order;
 *           transactional unless `config = { transaction: false }`.
 * node-pg-migrate  <timestamp>_name.js|ts (pgm.* calls), in name order;
 *           transactional unless pgm.noTransaction().
 * Alembic   *.py with revision / down_revision, ordered along the
 *           down_revision chain (file names carry no order); transactional
 *           (PostgreSQL has transactional DDL) unless an autocommit_block.
 * Django    [<app>/]migrations/NNNN_name.py with class Migration, ordered by
 *           dependencies; atomic unless `atomic = False`. */
#include <string.h>

#include "../code/code.h"
#include "internal.h"

#define TYPEORM_FILE "^([0-9]{10,})-(.+)\\.(ts|js)$"
#define KNEX_FILE    "^([0-9]{14})_(.+)\\.(js|ts|cjs|mjs)$"
#define PGM_FILE     "^([0-9]+)[_-](.+)\\.(js|ts|cjs|mjs)$"
#define DJANGO_FILE  "^(?:(.+)/)?migrations/([0-9]{4})_(\\w+)\\.py$"
#define CODE_NAME    "^[0-9]+[-_].+\\.(js|ts|cjs|mjs)$"

/* The path of rel including the folder, for the Django pattern. */
static char *full_path(lctx *c, const char *rel)
{
    return c->dirlen ? arena_printf(c->a, "%s/%s", c->dir, rel) : arena_strdup(c->a, rel);
}

static bool text_has(lctx *c, const source *src, const char *pattern)
{
    return src && lre_find(c, pattern, src->text, src->len, NULL);
}

bool layout_code_needs_text(const char *path)
{
    const char *base = lay_path_base(path);
    size_t n = strlen(base);
    size_t k = 0;
    while (k < n && base[k] >= '0' && base[k] <= '9')
        k++;
    bool digits = k > 0 && k < n && (base[k] == '_' || base[k] == '-');
    if (digits && (lay_path_has_suffix(base, ".js") || lay_path_has_suffix(base, ".ts") ||
                   lay_path_has_suffix(base, ".cjs") || lay_path_has_suffix(base, ".mjs")))
        return true;
    if (!lay_path_has_suffix(base, ".py") || !strcmp(base, "__init__.py"))
        return false;
    return strstr(path, "versions/") || strstr(path, "migrations/");
}

framework layout_code_vote(lctx *c, size_t i, const char *rel)
{
    const source *src = c->files[i].src;
    const char *base = lay_path_base(rel);
    size_t n = strlen(base);
    if (!src)
        return FW_COUNT;
    /* Most folders hold .sql files only: skip the patterns for them. */
    if (!lay_path_has_suffix(base, "js") && !lay_path_has_suffix(base, ".ts") &&
        !lay_path_has_suffix(base, ".py"))
        return FW_COUNT;
    if (lre_find(c, CODE_NAME, base, n, NULL)) {
        if (text_has(c, src, "\\bMigrationInterface\\b"))
            return FW_TYPEORM;
        if (text_has(c, src, "\\bpgm\\b|\\bMigrationBuilder\\b|node-pg-migrate"))
            return FW_NODE_PG_MIGRATE;
        if (text_has(c, src, "\\b[Kk]nex\\b"))
            return FW_KNEX;
        return FW_COUNT;
    }
    if (!lay_path_has_suffix(base, ".py"))
        return FW_COUNT;
    if (text_has(c, src, "(?m)^down_revision\\s*[:=]"))
        return FW_ALEMBIC;
    char *full = full_path(c, rel);
    if (lre_find(c, DJANGO_FILE, full, strlen(full), NULL) &&
        text_has(c, src, "(?m)^class\\s+Migration\\s*\\("))
        return FW_DJANGO;
    return FW_COUNT;
}

/* Per-migration dependencies for the frameworks ordered by a graph. */
typedef struct code_deps {
    const char **key;
    const char ***deps;
    size_t *ndeps;
    size_t *file; /* the file of each migration, and its Django app */
    const char **app;
    size_t cap;
} code_deps;

static bool code_add(lctx *c, size_t i, framework fw, const char *version, const char *name,
                     const char *app, code_deps *g)
{
    const source *src = c->files[i].src;
    code_migration cm;
    c->claimed[i] = true;
    if (!src)
        return true; /* unreadable: the loader reported it */
    if (!code_read(c->a, fw, src, app, &cm)) {
        const char *what = fw == FW_ALEMBIC  ? "no `def upgrade()` function"
                           : fw == FW_DJANGO ? "no `class Migration`"
                                             : "no up function";
        return lctx_fail(c, src->path, 1, "%s: %s cannot run this migration", what,
                         framework_name(fw));
    }
    migration *m = lctx_push(c);
    m->version = version;
    m->name = fw == FW_ALEMBIC && cm.title ? cm.title : name;
    m->path = c->files[i].path;
    m->up[0] = (mig_part){cm.up.src, 0, cm.up.src->len};
    m->nup = 1;
    m->has_down = cm.has_down;
    if (cm.down.src)
        m->down = (mig_part){cm.down.src, 0, cm.down.src->len};
    m->transactional = m->down_transactional = !cm.no_transaction;
    m->up_partial = cm.up.partial;
    m->down_partial = cm.down.partial || cm.down_derived;
    m->notes = cm.notes;
    m->nnotes = cm.nnotes;
    if (g) {
        size_t k = c->count - 1;
        if (k >= g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 64;
            const char **key = arena_calloc(c->a, cap, sizeof *key);
            const char ***deps = arena_calloc(c->a, cap, sizeof *deps);
            size_t *nd = arena_calloc(c->a, cap, sizeof *nd);
            size_t *file = arena_calloc(c->a, cap, sizeof *file);
            const char **apps = arena_calloc(c->a, cap, sizeof *apps);
            if (g->cap) {
                memcpy(key, g->key, g->cap * sizeof *key);
                memcpy(deps, g->deps, g->cap * sizeof *deps);
                memcpy(nd, g->ndeps, g->cap * sizeof *nd);
                memcpy(file, g->file, g->cap * sizeof *file);
                memcpy(apps, g->app, g->cap * sizeof *apps);
            }
            g->key = key, g->deps = deps, g->ndeps = nd, g->cap = cap;
            g->file = file, g->app = apps;
        }
        g->file[k] = i;
        g->app[k] = app;
        g->key[k] = fw == FW_ALEMBIC
                        ? cm.revision
                        : arena_printf(c->a, "%s/%s_%s", app ? app : "", version, name);
        g->deps[k] = cm.deps;
        g->ndeps[k] = cm.ndeps;
    }
    return true;
}

static int name_cmp(const migration *x, const migration *y)
{
    return strcmp(lay_path_base(x->path), lay_path_base(y->path));
}

static int numeric_cmp(const migration *x, const migration *y)
{
    return lay_version_cmp_numeric(x->version, y->version);
}

static bool read_js(lctx *c, framework fw, const char *pattern)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        lre_match m;
        if (!rel || strchr(rel, '/') || !lre_find(c, pattern, rel, strlen(rel), &m))
            continue;
        if (lay_path_has_suffix(rel, ".d.ts"))
            continue;
        if (!code_add(c, i, fw, lre_group(c, &m, rel, 1), lre_group(c, &m, rel, 2), NULL, NULL))
            return false;
    }
    lctx_sort(c, fw == FW_TYPEORM ? numeric_cmp : name_cmp);
    return true;
}

bool layout_read_typeorm(lctx *c)
{
    return read_js(c, FW_TYPEORM, TYPEORM_FILE);
}

bool layout_read_knex(lctx *c)
{
    return read_js(c, FW_KNEX, KNEX_FILE);
}

bool layout_read_node_pg_migrate(lctx *c)
{
    return read_js(c, FW_NODE_PG_MIGRATE, PGM_FILE);
}

/* Django's ("app", "__first__") and ("app", "__latest__"): the app's
 * first or last migration (by name); the dependency itself otherwise. */
static const char *resolve_dep(const code_deps *g, size_t n, const char *dep)
{
    const char *slash = strrchr(dep, '/');
    bool first = slash && !strcmp(slash, "/__first__"),
         last = slash && !strcmp(slash, "/__latest__");
    if (!first && !last)
        return dep;
    size_t plen = (size_t)(slash - dep) + 1;
    const char *best = NULL;
    for (size_t k = 0; k < n; k++)
        if (g->key[k] && !strncmp(g->key[k], dep, plen) && !strchr(g->key[k] + plen, '/') &&
            (!best || (strcmp(g->key[k], best) < 0) == first))
            best = g->key[k];
    return best ? best : dep;
}

/* Orders c->items so each comes after what it depends on; ties (and
 * anything left on a cycle) keep the path order they were sorted in. The
 * order is left in g->order. */
static void topo_sort(lctx *c, code_deps *g, size_t **order)
{
    size_t n = c->count;
    if (n < 2)
        return;
    size_t *idx = arena_calloc(c->a, n, sizeof *idx);
    bool *done = arena_calloc(c->a, n, sizeof *done);
    size_t out = 0;
    while (out < n) {
        bool progress = false;
        for (size_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            bool ready = true;
            for (size_t d = 0; d < g->ndeps[i] && ready; d++) {
                const char *dep = resolve_dep(g, n, g->deps[i][d]);
                for (size_t k = 0; k < n && ready; k++)
                    ready = done[k] || !g->key[k] || strcmp(g->key[k], dep) != 0;
            }
            if (ready) {
                done[i] = true;
                idx[out++] = i;
                progress = true;
                break;
            }
        }
        if (!progress) /* a cycle: take the first left */
            for (size_t i = 0; i < n && !progress; i++)
                if (!done[i])
                    done[i] = true, idx[out++] = i, progress = true;
    }
    migration *sorted = arena_alloc(c->a, n * sizeof *sorted);
    for (size_t i = 0; i < n; i++)
        sorted[i] = c->items[idx[i]];
    memcpy(c->items, sorted, n * sizeof *sorted);
    *order = idx;
}

/* Django: each file read again in dependency order over one migration
 * state, so an operation knows the fields earlier migrations of every app
 * made (a RemoveField of a ForeignKey drops <name>_id). */
static void django_replay(lctx *c, const code_deps *g, const size_t *order)
{
    dj_state *st = code_django_state_new(c->a);
    for (size_t k = 0; k < c->count; k++) {
        size_t i = order ? order[k] : k;
        code_migration cm;
        if (!code_read_django_in(c->a, c->files[g->file[i]].src, g->app[i], st, &cm))
            continue;
        migration *m = &c->items[k];
        m->up[0] = (mig_part){cm.up.src, 0, cm.up.src->len};
        m->up_partial = cm.up.partial;
        m->notes = cm.notes;
        m->nnotes = cm.nnotes;
    }
}

/* The files come in path order, which topo_sort keeps for ties. */
static bool read_graph(lctx *c, framework fw)
{
    code_deps g = {0};
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (!rel || !lay_path_has_suffix(rel, ".py") || layout_code_vote(c, i, rel) != fw)
            continue;
        const char *base = lay_path_base(rel);
        const char *version, *name, *app = NULL;
        lre_match m;
        char *full = full_path(c, rel);
        if (fw == FW_DJANGO && lre_find(c, DJANGO_FILE, full, strlen(full), &m)) {
            char *dir = m.start[1] == m.end[1] ? "" : lre_group(c, &m, full, 1);
            app = lay_path_base(dir);
            version = lre_group(c, &m, full, 2);
            name = lre_group(c, &m, full, 3);
        } else {
            version = "";
            name = arena_strndup(c->a, base, strlen(base) - 3);
        }
        if (!code_add(c, i, fw, version, name, app, &g))
            return false;
        if (fw == FW_ALEMBIC)
            c->items[c->count - 1].version = g.key[c->count - 1] ? g.key[c->count - 1] : "";
    }
    size_t *order = NULL;
    topo_sort(c, &g, &order);
    if (fw == FW_DJANGO)
        django_replay(c, &g, order);
    return true;
}

bool layout_read_alembic(lctx *c)
{
    return read_graph(c, FW_ALEMBIC);
}

bool layout_read_django(lctx *c)
{
    return read_graph(c, FW_DJANGO);
}
