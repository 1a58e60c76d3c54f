/* drift.c - the CLI side of drift: its PATHS, and the discovery of the
 * migrations folder and declaration when they are not given (drift.h). */
#include "drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../drift/discover.h"

bool cli_drift_paths(drift_hook *d, arena *a, const config *cfg, const char *root,
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
    if (!nf && drift_configured(a, cfg, root, NULL, &d->decl) && !nd && cfg->drift.migrations)
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
