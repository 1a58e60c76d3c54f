/* drift.c - the CLI side of drift: PATHS, discovery, and running the
 * comparison once a migrations folder has been replayed (see drift.h). */
#include "drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../drift/discover.h"
#include "../rules/ruledoc.h"

/* The configured declaration ("drift" in .migralint.json), if it goes with
 * the folder fs_dir (NULL: any). */
static bool configured(arena *a, const config *cfg, const char *root, const char *fs_dir,
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

bool cli_drift_paths(cli_drift *d, arena *a, const config *cfg, const char *root,
                     const char *const *paths, size_t npaths, const char ***dirs, size_t *ndirs)
{
    const char **dl = arena_calloc(a, npaths + 1, sizeof *dl);
    const char **files = arena_calloc(a, npaths + 1, sizeof *files);
    size_t nd = 0, nf = 0;
    drift_django_settings(a, "."); /* before the replay: Django's join tables follow them */
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "migralint: %s: cannot read it\n", paths[i]);
            return false;
        }
        if (S_ISDIR(st.st_mode)) {
            dl[nd++] = paths[i];
            continue;
        }
        const char *kind = drift_kind_of(paths[i]);
        if (!kind) {
            fprintf(stderr,
                    "migralint: %s: not a migrations folder nor a schema file drift reads "
                    "(.prisma, Drizzle or TypeORM .ts/.js, SQLAlchemy or Django .py, db/schema.rb, "
                    "GORM "
                    ".go, or a .sql schema dump)\n",
                    paths[i]);
            return false;
        }
        if (d->decl.kind && strcmp(d->decl.kind, kind) != 0) {
            fprintf(
                stderr,
                "migralint: %s: drift compares one kind of schema at a time (%s and %s given)\n",
                paths[i], d->decl.kind, kind);
            return false;
        }
        d->decl.kind = kind;
        files[nf++] = paths[i];
    }
    d->decl.paths = files;
    d->decl.npaths = nf;
    if (!nf && configured(a, cfg, root, NULL, &d->decl) && !nd && cfg->drift.migrations)
        dl[nd++] = arena_printf(a, "%s/%s", root, cfg->drift.migrations);
    if (!nd) {
        drift_decl found = {0};
        const char *dir = NULL;
        if (!drift_discover(a, NULL, &found, &dir)) {
            if (drift_discover_hint())
                fprintf(stderr, "%s\n", drift_discover_hint());
            fputs("migralint: drift: no migrations folder given and none found (looked for "
                  "drizzle.config.*, schema.prisma beside a migrations folder and TypeORM data "
                  "sources, in this folder and below, and manage.py, alembic.ini and atlas.hcl "
                  "here or one folder down); pass the migrations folder and the schema files\n",
                  stderr);
            return false;
        }
        dl[nd++] = dir;
        if (found.nchains) { /* replayed after the main folder, into its catalog */
            const char **all = arena_calloc(a, nd + found.nchains + 1, sizeof *all);
            memcpy(all, dl, nd * sizeof *all);
            memcpy(all + nd, found.chains, found.nchains * sizeof *all);
            dl = all;
            nd += found.nchains;
        }
        if (!d->decl.kind)
            d->decl = found;
    }
    *dirs = dl;
    *ndirs = nd;
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

void cli_drift_set_done(pipeline *p, const char *fs_dir)
{
    cli_drift *d = p->drift;
    drift_decl decl = d->decl;
    if (!decl.kind && !configured(p->a, p->cfg, p->root, fs_dir, &decl) &&
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

void cli_drift_levels(pipeline *p)
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

const source **cli_drift_files(const pipeline *p, size_t *n)
{
    const cli_drift *d = p->drift;
    size_t extra = d ? d->run.nsources : 0;
    const source **files = arena_calloc(p->a, p->nlinted + extra + 1, sizeof *files);
    for (size_t i = 0; i < p->nlinted; i++)
        files[i] = p->linted[i];
    for (size_t i = 0; i < extra; i++)
        files[p->nlinted + i] = d->run.sources[i];
    *n = p->nlinted + extra;
    return files;
}
