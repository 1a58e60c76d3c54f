/* workspace.c - Git-backed inputs and history facts (see workspace.h and
 * docs/git.md). Texts read from Git become sources owned by the workspace,
 * so reporters can quote them after the pipeline is done. */
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/exitcode.h"

static source *keep(workspace *ws, source *src)
{
    if (ws->nsources == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 64;
        ws->sources = realloc(ws->sources, ws->cap * sizeof *ws->sources);
        if (!ws->sources)
            abort();
    }
    return ws->sources[ws->nsources++] = src;
}

/* The base to compare with: --base, the pull request's base in GitHub
 * Actions, the config's "base"; NULL for none. An unresolvable
 * GITHUB_BASE_REF is still returned (as origin/<ref>) so that the shallow
 * clone of a default actions/checkout gets the error that explains it. */
static const char *choose_base(workspace *ws, const cli_options *o, const config *cfg)
{
    if (o->base)
        return o->base;
    const char *gh = getenv("GITHUB_BASE_REF");
    if (gh && *gh) {
        const char *rev = vcs_github_base(ws->repo, ws->a);
        return rev ? rev : arena_printf(ws->a, "origin/%s", gh);
    }
    return cfg->base;
}

int workspace_open(workspace *ws, const cli_options *o, const config *cfg, arena *a)
{
    memset(ws, 0, sizeof *ws);
    ws->a = a;
    ws->staged = o->staged;
    ws->changed_only = o->changed_only;
    const char *gh = getenv("GITHUB_BASE_REF");
    bool asked = o->base || o->staged || o->changed_only;
    if (!asked && !(gh && *gh) && !cfg->base)
        return EXIT_CLEAN;
    ws->repo = vcs_open(NULL, o->staged);
    if (!ws->repo) {
        if (asked)
            return EXIT_INPUT;
        /* A base from the environment or config outside a repository:
         * nothing to compare with, and the lint itself still works. */
        fputs("migralint: note: not a git repository, so no --base comparison\n", stderr);
        return EXIT_CLEAN;
    }
    ws->base_rev = choose_base(ws, o, cfg);
    if (o->changed_only && !ws->base_rev) {
        fputs("migralint: --changed-only needs a base to compare with (--base REV, or \"base\" "
              "in .migralint.json)\n",
              stderr);
        return EXIT_USAGE;
    }
    if (ws->base_rev) {
        int rc = vcs_merge_base(ws->repo, ws->base_rev, ws->base_oid, ws->tip_oid);
        if (rc != 0)
            return rc;
    }
    return EXIT_CLEAN;
}

void workspace_close(workspace *ws)
{
    for (size_t i = 0; i < ws->nsources; i++)
        source_free(ws->sources[i]);
    free(ws->sources);
    strset_free(&ws->staged_dirs);
    for (size_t i = 0; i < ws->nstaged; i++)
        vcs_files_free(&ws->staged_sets[i]);
    vcs_close(ws->repo);
    memset(ws, 0, sizeof *ws);
}

bool workspace_has_staged(workspace *ws, const char *const *rel_dirs, size_t n)
{
    bool any = false;
    const size_t max = sizeof ws->staged_sets / sizeof ws->staged_sets[0];
    for (size_t i = 0; i < n && ws->nstaged < max; i++) {
        vcs_files *f = &ws->staged_sets[ws->nstaged++];
        /* A repository that cannot be read is not "nothing staged": the
         * lint goes on and says what it cannot read (exit 3). */
        bool ok = vcs_staged_paths(ws->repo, rel_dirs[i], ws->a, f);
        any = any || !ok || f->count > 0;
    }
    return any;
}

static bool is_staged(const workspace *ws, const char *path)
{
    for (size_t i = 0; path && i < ws->nstaged; i++)
        if (vcs_files_find(&ws->staged_sets[i], path))
            return true;
    return false;
}

/* Hidden files and node_modules are skipped, as in the work tree. */
static bool skipped(const char *path)
{
    for (const char *p = path; p; p = strchr(p, '/')) {
        if (*p == '/')
            p++;
        if (*p == '.' || !strncmp(p, "node_modules/", 13))
            return true;
    }
    return false;
}

/* A text from Git with the checks files_load makes on the work tree. */
static const source *git_source(workspace *ws, const vcs_file *f, bool quiet)
{
    size_t bad;
    source *src = source_new(f->path, f->data, f->len);
    if (source_has_nul(src, &bad) || !source_valid_utf8(src, &bad)) {
        if (!quiet) {
            source_pos p = source_position(src, bad);
            fprintf(stderr, "migralint: %s:%d:%d: %s\n", f->path, p.line, p.col,
                    source_has_nul(src, &bad) ? "binary file (NUL byte), not SQL text"
                                              : "invalid UTF-8; migrations must be UTF-8 text");
        }
        source_free(src);
        return NULL;
    }
    memcpy(src->blob_id, f->oid, sizeof src->blob_id);
    return keep(ws, src);
}

static layout_file *to_layout_files(workspace *ws, const vcs_files *files, size_t *count,
                                    bool quiet)
{
    layout_file *items = arena_calloc(ws->a, files->count + 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < files->count; i++) {
        const vcs_file *f = &files->items[i];
        if (skipped(f->path))
            continue;
        items[n].path = f->path;
        items[n].src = layout_needs_text(f->path) ? git_source(ws, f, quiet) : NULL;
        n++;
    }
    *count = n;
    return items;
}

bool workspace_index_files(workspace *ws, const char *rel_dir, layout_file **items, size_t *count)
{
    vcs_files files = {0};
    bool ok = vcs_read_index_dir(ws->repo, rel_dir, ws->a, &files);
    *items = to_layout_files(ws, &files, count, false);
    vcs_files_free(&files);
    return ok;
}

bool workspace_index_list(workspace *ws, const char *rel_dir, vcs_files *out)
{
    bool ok = vcs_list_index_dir(ws->repo, rel_dir, ws->a, out);
    size_t n = 0;
    for (size_t i = 0; i < out->count; i++)
        if (!skipped(out->items[i].path))
            out->items[n++] = out->items[i];
    out->count = n;
    return ok;
}

const source *workspace_index_text(workspace *ws, vcs_file *f)
{
    if (!vcs_read_blob(ws->repo, f, ws->a))
        return NULL;
    return git_source(ws, f, false);
}

/* The migration set of dir at a commit; an empty set when the folder did
 * not exist there or its layout cannot be read (said on stderr). */
static void set_at(workspace *ws, const char *commit, const migration_set *now, migration_set *out)
{
    vcs_files files = {0};
    size_t n = 0;
    memset(out, 0, sizeof *out);
    vcs_read_commit_dir(ws->repo, commit, now->dir, ws->a, &files);
    layout_file *items = to_layout_files(ws, &files, &n, true);
    vcs_files_free(&files);
    layout_error err = {0};
    if (n && !layout_build(ws->a, now->dir, items, n, now->fw, out, &err)) {
        fprintf(stderr, "migralint: note: %s at %.12s: %s; history rules see it as empty\n",
                err.path ? err.path : now->dir, commit, err.message);
        memset(out, 0, sizeof *out);
    }
}

static const source *up_src(const migration *m)
{
    return m->nup ? m->up[0].src : NULL;
}

static bool same_text(const source *a, const source *b)
{
    if (!a || !b)
        return a == b;
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static bool same_content(const migration *a, const migration *b)
{
    if (!same_text(up_src(a), up_src(b)) || a->has_down != b->has_down)
        return false;
    return !a->has_down || same_text(a->down.src, b->down.src);
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp((*(const migration *const *)a)->path, (*(const migration *const *)b)->path);
}

/* The set's migrations sorted by path, for bisecting (3,000 migrations). */
static const migration **by_path(workspace *ws, const migration_set *s)
{
    const migration **v = arena_calloc(ws->a, s->count + 1, sizeof *v);
    for (size_t i = 0; i < s->count; i++)
        v[i] = &s->items[i];
    qsort(v, s->count, sizeof *v, path_cmp);
    return v;
}

static const migration *find_path(const migration **v, size_t n, const char *path)
{
    migration key = {.path = path};
    const migration *k = &key;
    const migration **hit = n ? bsearch(&k, v, n, sizeof *v, path_cmp) : NULL;
    return hit ? *hit : NULL;
}

/* A Flyway baseline shares its version with the V it stands for: that is
 * no duplicate, and it is not what the history rules order by. */
static bool has_version(const migration *m)
{
    return m->version && *m->version && !m->repeatable && !m->baseline;
}

static const char *newest_version(framework fw, const migration_set *s, const char *best)
{
    for (size_t i = 0; i < s->count; i++)
        if (has_version(&s->items[i]) &&
            (!best || layout_version_cmp(fw, s->items[i].version, best) > 0))
            best = s->items[i].version;
    return best;
}

/* A migration of other (the base or its tip) with m's version at a path
 * the branch no longer has. */
static const migration *base_duplicate(framework fw, const migration *m, const migration_set *other,
                                       const migration **now, size_t nnow)
{
    for (size_t i = 0; i < other->count; i++) {
        const migration *b = &other->items[i];
        if (has_version(b) && !layout_version_cmp(fw, b->version, m->version) &&
            !find_path(now, nnow, b->path) && !same_content(b, m))
            return b;
    }
    return NULL;
}

static void match_migration(workspace *ws, const migration_set *set, size_t i, set_history *out,
                            const migration **base_paths, const migration **now_paths,
                            const migration_set *tip, const char *newest)
{
    const migration *m = &set->items[i];
    lint_history *h = &out->items[i];
    const migration *b = find_path(base_paths, out->base.count, m->path);
    (void)ws;
    if (b) {
        h->state = same_content(m, b) ? MIG_APPLIED : MIG_EDITED;
        h->base = b;
    } else {
        h->state = MIG_NEW;
        for (size_t k = 0; k < out->base.count && !h->base; k++) {
            const migration *c = &out->base.items[k];
            if (!find_path(now_paths, set->count, c->path) && same_content(m, c)) {
                h->state = MIG_RENAMED;
                h->base = c;
            }
        }
    }
    if (h->state == MIG_NEW && has_version(m)) {
        h->newest_base = newest;
        h->out_of_order = newest && layout_version_cmp(set->fw, m->version, newest) < 0;
        const migration *d = base_duplicate(set->fw, m, &out->base, now_paths, set->count);
        if (!d && tip)
            d = base_duplicate(set->fw, m, tip, now_paths, set->count);
        if (d) {
            h->dup = d;
            h->dup_on_base = true;
        }
    }
    /* Frameworks apply in version order, so equal versions are neighbours. */
    if (!h->dup && i > 0 && has_version(m) && has_version(&set->items[i - 1]) &&
        !layout_version_cmp(set->fw, m->version, set->items[i - 1].version))
        h->dup = &set->items[i - 1];
}

bool workspace_history(workspace *ws, const migration_set *set, set_history *out)
{
    memset(out, 0, sizeof *out);
    if (!ws->repo || !ws->base_oid[0])
        return false;
    set_at(ws, ws->base_oid, set, &out->base);
    migration_set tip_set;
    bool tip = strcmp(ws->tip_oid, ws->base_oid) != 0;
    if (tip)
        set_at(ws, ws->tip_oid, set, &tip_set);
    /* Out of order against the newest version of the base and of its tip:
     * environments deployed from the base branch have run those. */
    const char *newest = newest_version(set->fw, &out->base, NULL);
    if (tip)
        newest = newest_version(set->fw, &tip_set, newest);
    const migration **base_paths = by_path(ws, &out->base), **now_paths = by_path(ws, set);
    out->items = arena_calloc(ws->a, set->count + 1, sizeof *out->items);
    for (size_t i = 0; i < set->count; i++)
        match_migration(ws, set, i, out, base_paths, now_paths, tip ? &tip_set : NULL, newest);
    out->deleted = arena_calloc(ws->a, out->base.count + 1, sizeof *out->deleted);
    for (size_t k = 0; k < out->base.count; k++) {
        const migration *b = &out->base.items[k];
        if (find_path(now_paths, set->count, b->path))
            continue;
        bool renamed = false;
        for (size_t i = 0; i < set->count && !renamed; i++)
            renamed = out->items[i].state == MIG_RENAMED && out->items[i].base == b;
        if (!renamed)
            out->deleted[out->ndeleted++] = (lint_history){.state = MIG_DELETED, .base = b};
    }
    return true;
}

bool workspace_reports(const workspace *ws, const migration *m, const lint_history *h)
{
    if (ws->changed_only && h && h->state == MIG_APPLIED)
        return false;
    if (!ws->staged)
        return true;
    return is_staged(ws, m->path) || is_staged(ws, up_src(m) ? up_src(m)->path : NULL) ||
           (m->has_down && m->down.src && is_staged(ws, m->down.src->path));
}

const char *workspace_state_name(const lint_history *h)
{
    static const char *const names[] = {"applied", "new", "edited", "renamed", "deleted"};
    if (!h)
        return NULL;
    if (h->state == MIG_NEW && h->out_of_order)
        return "out-of-order";
    return names[h->state];
}
