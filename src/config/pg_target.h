/* pg_target.h - the PostgreSQL major version the migrations target, and why.
 *
 * In order: --pg-version, the config's "pgVersion", a version the repository
 * pins (a postgres image in docker compose files or CI workflow services,
 * .tool-versions, Supabase's config.toml), else the newest version whose
 * grammar migralint parses. See docs/decisions.md. */
#ifndef MIGRALINT_PG_TARGET_H
#define MIGRALINT_PG_TARGET_H

#include <stdbool.h>

#include "../core/arena.h"
#include "../sql/pgversion.h" /* PG_TARGET_MIN, PG_TARGET_MAX, PG_TARGET_DEFAULT */

typedef struct pg_target {
    int version;
    /* Where it came from, for people: "--pg-version", ".migralint.json",
     * "docker-compose.yml:5: image postgres:16", "default". */
    const char *why;
} pg_target;

/* Looks for a pinned PostgreSQL version in the repository at root (see
 * pg_target.c for the files and the order). A pin outside PG_TARGET_MIN..MAX
 * is brought into the range and the why says so. False when nothing pins
 * one. skip names nskip folders at the root that hold migrations: they are
 * not listed for compose files (a folder of 6,000 migrations costs 4 ms to
 * list on ext4, and a project keeps no compose file among its migrations). */
bool pg_target_detect(const char *root, const char *const *skip, size_t nskip, arena *a,
                      pg_target *out);

/* The major version an image reference names ("postgres:16-alpine" -> 16,
 * "postgis/postgis:16-3.4" -> 16, "timescale/timescaledb:2.14.2-pg16" -> 16),
 * or 0 when it is not a PostgreSQL image or its tag names no version. */
int pg_target_image_version(const char *image);

/* "PostgreSQL 16 (docker-compose.yml:5: image postgres:16)". */
const char *pg_target_describe(const pg_target *t, arena *a);

#endif
