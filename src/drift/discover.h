/* discover.h - finding a project's drift sources without configuration:
 * Prisma's schema.prisma beside its migrations folder, Drizzle's
 * drizzle.config.ts (its `schema` files and `out` folder). */
#ifndef MIGRALINT_DRIFT_DISCOVER_H
#define MIGRALINT_DRIFT_DISCOVER_H

#include <stdbool.h>

#include "../core/arena.h"
#include "run.h"

/* For the migrations folder mig_dir (a file system path; NULL: look from
 * cwd for a project), fills decl and, when mig_dir is NULL, *found_dir with
 * the migrations folder the project uses. False when nothing is found. */
bool drift_discover(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir);

/* discover_alembic.c: alembic.ini's versions folder and the SQLAlchemy
 * files of the package env.py takes target_metadata from. */
bool drift_discover_alembic(arena *a, const char *mig_dir, drift_decl *decl,
                            const char **found_dir);
/* discover_atlas.c: atlas.hcl's atlas-provider-gorm --path (the GORM
 * models' package) and its migration dir. */
bool drift_discover_atlas(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir);
/* After drift_discover: why nothing usable was found (a config whose paths
 * are computed) and what to pass instead; NULL when there is nothing to say. */
const char *drift_discover_hint(void);
/* discover_django.c: a Django project at root (manage.py): its apps'
 * model files, the root as the migrations folder; reads the settings
 * (drift_django_settings) first. */
bool drift_discover_django(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir);
/* Reads DEFAULT_AUTO_FIELD and AUTH_USER_MODEL from the settings module
 * manage.py at root names; false when root has no manage.py. */
bool drift_django_settings(arena *a, const char *root);

/* A declaration from configuration: kind and entries (files, folders or
 * globs, relative to root). False when no file matches. */
bool drift_decl_from(arena *a, const char *root, const char *kind, const char *const *entries,
                     size_t n, drift_decl *decl);
/* True when the two paths name the same folder. */
bool drift_same_dir(const char *x, const char *y);

#endif
