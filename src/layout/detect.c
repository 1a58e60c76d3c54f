/* detect.c - which framework a migrations folder uses.
 *
 * Every file votes with the one framework its name or content proves
 * (a "-- +goose Up" line, a .up.sql name, meta/_journal.json...). Files
 * that prove nothing (0001_init.sql) do not vote. One framework: that one.
 * None: Supabase for supabase/migrations, plain otherwise. Several: an
 * error listing each framework's files, because guessing would lint the
 * folder the wrong way (and the frameworks themselves would misread it). */
#include <string.h>

#include "internal.h"

#define MAX_LISTED 3

static bool is_sql(const char *rel)
{
    return lay_path_has_suffix(rel, ".sql");
}

static framework vote_by_content(lctx *c, const source *src)
{
    if (!src)
        return FW_COUNT;
    if (lre_find_line(c, "(?i)^--\\s*\\+goose\\s+up\\s*$", src, 1, NULL))
        return FW_GOOSE;
    if (lre_find_line(c, "^--\\s*migrate:up(\\s|$)", src, 1, NULL))
        return FW_DBMATE;
    return FW_COUNT;
}

static framework vote(lctx *c, size_t i, const char *rel)
{
    const char *base = lay_path_base(rel);
    bool top = base == rel;
    /* The names by their first letter before strcmp: every file asks. */
    if (rel[0] == 's' && strcmp(rel, "sqitch.plan") == 0)
        return FW_SQITCH;
    if (rel[0] == 'm' && strcmp(rel, "meta/_journal.json") == 0)
        return FW_DRIZZLE;
    /* Cheap tests on the name first: a folder of 6,000 files runs this
     * 6,000 times, and PCRE2 (without its JIT, which valgrind cannot
     * follow) is the slow part. */
    if ((rel[0] == 'm' && strcmp(rel, "migration_lock.toml") == 0) ||
        (lay_path_has_suffix(rel, "/migration.sql") &&
         lre_find(c, "^[^/]+/migration\\.sql$", rel, strlen(rel), NULL)))
        return FW_PRISMA;
    /* Only up.sql: a Prisma folder may hold a recovery down.sql. */
    if (lay_path_has_suffix(rel, "/up.sql") &&
        lre_find(c, "^[^/]+/up\\.sql$", rel, strlen(rel), NULL))
        return FW_DIESEL;
    if (base[0] && strchr("VURB", base[0]) &&
        lre_find(c, "^([VUB][0-9]+([._][0-9]+)*|R)__.+\\.sql$", base, strlen(base), NULL))
        return FW_FLYWAY;
    framework code = layout_code_vote(c, i, rel);
    if (code != FW_COUNT)
        return code;
    if (!top || !is_sql(rel))
        return FW_COUNT;
    if (base[0] >= '0' && base[0] <= '9' &&
        (lay_path_has_suffix(base, ".up.sql") || lay_path_has_suffix(base, ".down.sql")) &&
        lay_gm_name(c, base, strlen(base), NULL))
        return FW_GOLANG_MIGRATE;
    return vote_by_content(c, c->files[i].src);
}

static bool in_supabase_folder(const lctx *c)
{
    return strcmp(c->dir, "supabase/migrations") == 0 ||
           lay_path_has_suffix(c->dir, "/supabase/migrations");
}

/* "golang-migrate (1_a.up.sql, 1_a.down.sql and 4 more)" */
static char *describe_votes(lctx *c, const framework *votes, framework fw)
{
    char *s = arena_printf(c->a, "%s (", framework_name(fw));
    size_t n = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        if (votes[i] != fw)
            continue;
        if (n < MAX_LISTED)
            s = arena_printf(c->a, "%s%s%s", s, n ? ", " : "", lctx_rel(c, i));
        n++;
    }
    if (n > MAX_LISTED)
        s = arena_printf(c->a, "%s and %zu more", s, n - MAX_LISTED);
    return arena_printf(c->a, "%s)", s);
}

static bool fail_mixed(lctx *c, const framework *votes, const size_t *count)
{
    char *list = "";
    size_t listed = 0;
    for (int fw = 0; fw < FW_COUNT; fw++) {
        if (!count[fw])
            continue;
        list = arena_printf(c->a, "%s%s%s", list, listed++ ? ", " : "",
                            describe_votes(c, votes, (framework)fw));
    }
    return lctx_fail(c, c->dir[0] ? c->dir : ".", 0,
                     "migrations of several frameworks in one folder: %s; keep one framework "
                     "per folder, or name the framework of this folder in .migralint.json",
                     list);
}

/* N_x.up.sql files beside numbered N_y.sql files and not one .down.sql:
 * golang-migrate would run half of the folder, so the project has its own
 * runner that takes every file in name order (fider's dbx.Migrate).
 * Plain, whose reader pairs X.up.sql with X.down.sql when there are any. */
static bool own_runner(lctx *c)
{
    size_t numbered = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (!rel || strchr(rel, '/') || !is_sql(rel))
            continue;
        if (lay_path_has_suffix(rel, ".down.sql"))
            return false;
        if (rel[0] >= '0' && rel[0] <= '9' && !lay_path_has_suffix(rel, ".up.sql"))
            numbered++;
    }
    return numbered >= 2;
}

bool layout_detect(lctx *c, framework *out)
{
    framework *votes = arena_alloc(c->a, (c->nfiles ? c->nfiles : 1) * sizeof *votes);
    size_t count[FW_COUNT] = {0};
    size_t kinds = 0;
    framework found = FW_COUNT;
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        votes[i] = rel ? vote(c, i, rel) : FW_COUNT;
        if (votes[i] == FW_COUNT)
            continue;
        if (!count[votes[i]]++) {
            kinds++;
            found = votes[i];
        }
    }
    if (kinds > 1)
        return fail_mixed(c, votes, count);
    if (kinds == 0)
        found = in_supabase_folder(c) ? FW_SUPABASE : FW_PLAIN;
    if (found == FW_GOLANG_MIGRATE && own_runner(c))
        found = FW_PLAIN;
    *out = found;
    return true;
}
