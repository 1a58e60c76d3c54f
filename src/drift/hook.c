/* hook.c - drift inside an engine run (see hook.h): the comparison once a
 * migrations folder has been replayed. */
#include "hook.h"

#include <stdio.h>
#include <string.h>

#include "../engine/pipeline.h"
#include "../rules/ruledoc.h"
#include "discover.h"

bool drift_configured(arena *a, const config *cfg, const char *root, const char *fs_dir,
                      drift_decl *decl)
{
    const config_drift *cd = &cfg->drift;
    if (!cd->orm)
        return false;
    if (fs_dir && cd->migrations &&
        !drift_same_dir(arena_printf(a, "%s/%s", root, cd->migrations), fs_dir))
        return false;
    if (!drift_decl_from(a, root, cd->orm, cd->schema, cd->nschema, decl)) {
        fprintf(stderr, "migralint: %s: \"drift.schema\" matches no file\n",
                cfg->file ? cfg->file : ".migralint.json");
        return false;
    }
    return true;
}

static const source *pipeline_source(void *ud, const char *path)
{
    const pipeline *p = ud;
    for (size_t i = 0; i < p->nsources; i++)
        if (!strcmp(p->sources[i]->path, path))
            return p->sources[i];
    return NULL;
}

/* pipeline.set_done: compares the folder's catalog with its declaration. */
static void set_done(pipeline *p, const char *fs_dir)
{
    drift_hook *d = p->done_ud;
    drift_decl decl = d->decl;
    if (!decl.kind && !drift_configured(p->a, p->cfg, p->root, fs_dir, &decl) &&
        !drift_discover(p->a, fs_dir, &decl, NULL))
        return;
    d->run.a = p->a;
    d->run.root = p->root;
    d->run.diags = p->diags;
    d->run.l = p->l;
    d->run.max_file_size = p->o->max_file_size;
    d->run.more = pipeline_source;
    d->run.more_ud = p;
    if (!drift_run_compare(&d->run, p->cat, &decl))
        p->input_error = true;
    if (d->run.input_error)
        p->input_error = true;
    d->compared = true;
}

/* Sets the linter's levels for drift findings (no per-file linting ran). */
static void set_levels(pipeline *p)
{
    for (size_t i = 0; i < ruledoc_count(); i++) {
        const rule_doc *doc = ruledoc_at(i);
        diag_level level = doc->opt_in ? LEVEL_NONE : doc->level;
        config_level_for(p->cfg, doc->id, "", &level);
        linter_set_level(p->l, doc->id, level);
    }
    for (size_t i = 0; i < p->o->nenable; i++)
        if (linter_level(p->l, p->o->enable[i]) == LEVEL_NONE)
            linter_set_level(p->l, p->o->enable[i], ruledoc_find(p->o->enable[i])->level);
    for (size_t i = 0; i < p->o->ndisable; i++)
        linter_set_level(p->l, p->o->disable[i], LEVEL_NONE);
}

static void start_check(pipeline *p, void *ud)
{
    (void)ud;
    drift_django_settings(p->a, "."); /* before the replay, as `drift` does */
}

static void start_drift(pipeline *p, void *ud)
{
    (void)ud;
    set_levels(p);
}

engine_hook drift_hook_for(drift_hook *d, engine_mode mode, const char *first_dir)
{
    d->first_dir = first_dir;
    if (mode == ENGINE_CHECK)
        return (engine_hook){start_check, set_done, d};
    return (engine_hook){mode == ENGINE_DRIFT ? start_drift : NULL, NULL, d};
}

void drift_hook_compare(drift_hook *d, engine_result *r)
{
    if (!r->input_error)
        set_done(r->run, d->first_dir);
    r->input_error = r->run->input_error;
}

const source **drift_hook_files(const drift_hook *d, const engine_result *r, size_t *n)
{
    size_t extra = d->run.nsources;
    const source **files = arena_calloc(r->a, r->nlinted + extra + 1, sizeof *files);
    for (size_t i = 0; i < r->nlinted; i++)
        files[i] = r->linted[i];
    for (size_t i = 0; i < extra; i++)
        files[r->nlinted + i] = d->run.sources[i];
    *n = r->nlinted + extra;
    return files;
}

void drift_hook_free(drift_hook *d)
{
    drift_run_free(&d->run);
}
