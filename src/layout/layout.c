/* layout.c - layout_build: normalize the folder, detect or take the
 * framework, run its reader, then list what is left over. It sits on top of
 * detection and the readers and calls down only (names: framework.c). */
#include <string.h>

#include "internal.h"

/* The reader of each framework (framework.c has their names). */
static const layout_reader readers[FW_COUNT] = {
    [FW_PLAIN] = layout_read_plain,
    [FW_GOLANG_MIGRATE] = layout_read_golang_migrate,
    [FW_GOOSE] = layout_read_goose,
    [FW_DBMATE] = layout_read_dbmate,
    [FW_FLYWAY] = layout_read_flyway,
    [FW_SQITCH] = layout_read_sqitch,
    [FW_DIESEL] = layout_read_diesel,
    [FW_PRISMA] = layout_read_prisma,
    [FW_DRIZZLE] = layout_read_drizzle,
    [FW_SUPABASE] = layout_read_supabase,
    [FW_TYPEORM] = layout_read_typeorm,
    [FW_KNEX] = layout_read_knex,
    [FW_NODE_PG_MIGRATE] = layout_read_node_pg_migrate,
    [FW_ALEMBIC] = layout_read_alembic,
    [FW_DJANGO] = layout_read_django,
};

bool layout_needs_text(const char *path)
{
    const char *base = lay_path_base(path);
    return lay_path_has_suffix(base, ".sql") || lay_path_has_suffix(base, ".sql.conf") ||
           strcmp(base, "sqitch.plan") == 0 || strcmp(base, "metadata.toml") == 0 ||
           lay_path_has_suffix(path, "meta/_journal.json") || layout_code_needs_text(path);
}

/* A sqitch project named by its deploy/ (or revert/, verify/) folder. */
static void sqitch_climb(lctx *c)
{
    const char *base = lay_path_base(c->dir);
    if (base == c->dir ||
        (strcmp(base, "deploy") && strcmp(base, "revert") && strcmp(base, "verify")))
        return;
    char *parent = arena_strndup(c->a, c->dir, (size_t)(base - 1 - c->dir));
    char *plan = arena_printf(c->a, "%s/sqitch.plan", parent);
    for (size_t i = 0; i < c->nfiles; i++) {
        if (strcmp(c->files[i].path, plan) == 0) {
            c->dir = parent;
            c->dirlen = strlen(parent);
            return;
        }
    }
}

static const char *default_why(framework fw)
{
    switch (fw) {
    case FW_GOLANG_MIGRATE:
        return "not named like a golang-migrate migration (N_name.up.sql / N_name.down.sql)";
    case FW_GOOSE:
        return "not named like a goose migration (N_name.sql)";
    case FW_DBMATE:
        return "not named like a dbmate migration (YYYYMMDDhhmmss_name.sql)";
    case FW_FLYWAY:
        return "not named like a Flyway migration (V<version>__desc.sql, U<version>__desc.sql, "
               "B<version>__desc.sql, R__desc.sql)";
    case FW_SQITCH:
        return "not a script of a change in sqitch.plan";
    case FW_DIESEL:
        return "not an up.sql or down.sql of a diesel migration folder";
    case FW_PRISMA:
        return "not the migration.sql of a Prisma migration folder";
    case FW_DRIZZLE:
        return "not listed in meta/_journal.json: drizzle-kit never applies it";
    case FW_SUPABASE:
        return "not named like a Supabase migration (<timestamp>_name.sql): the Supabase CLI "
               "skips it";
    default:
        return "not a migration";
    }
}

#define BOM_FIX                                                                                    \
    "save the file as UTF-8 without a byte-order mark (\"UTF-8\", not \"UTF-8 with BOM\")"

/* What fw does with a byte-order mark, NULL when it strips it or the file
 * is read by psql, which skips it (docs/layouts.md has the sources). */
static const char *bom_fate(framework fw)
{
    switch (fw) {
    case FW_GOLANG_MIGRATE:
    case FW_DIESEL:
    case FW_PRISMA:
    case FW_DRIZZLE:
    case FW_SUPABASE:
        return "sends the file's text as it is, and PostgreSQL rejects it: syntax error at line 1";
    case FW_DBMATE:
        return "does not strip it, so it reads text before '-- migrate:up' on line 1 and refuses "
               "the file";
    case FW_GOOSE:
        return "does not strip it, so it reads line 1 as a statement before '-- +goose Up' and "
               "refuses the file";
    default:
        return NULL;
    }
}

void layout_check_bom(lctx *c, framework fw, migration *m)
{
    const char *fate = bom_fate(fw);
    const source *files[2] = {m->nup ? m->up[0].src : NULL,
                              m->has_down && m->down.src != m->up[0].src ? m->down.src : NULL};
    for (size_t i = 0; fate && i < 2; i++)
        if (files[i] && !files[i]->host && source_bom_len(files[i]))
            lctx_refuse(c, m, files[i], 1, 1, BOM_FIX,
                        "the file starts with a UTF-8 byte-order mark; %s %s", framework_name(fw),
                        fate);
}

/* Only .sql files can be stray: a README or a snapshot beside the
 * migrations is not a mistake worth a finding. */
static void collect_stray(lctx *c, migration_set *out)
{
    out->stray = arena_calloc(c->a, c->nfiles ? c->nfiles : 1, sizeof *out->stray);
    out->stray_why = arena_calloc(c->a, c->nfiles ? c->nfiles : 1, sizeof *out->stray_why);
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (!rel || c->claimed[i] || !lay_path_has_suffix(rel, ".sql"))
            continue;
        out->stray[out->nstray] = &c->files[i];
        out->stray_why[out->nstray++] = c->why[i] ? c->why[i] : default_why(out->fw);
    }
}

bool layout_build(arena *a, const char *dir, const layout_file *files, size_t nfiles, framework fw,
                  migration_set *out, layout_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    lctx c;
    lctx_init(&c, a, dir, files, nfiles, err);
    sqitch_climb(&c);
    bool ok = (unsigned)fw <= FW_COUNT;
    if (!ok)
        lctx_fail(&c, NULL, 0, "unknown migration framework %d", (int)fw);
    if (ok && fw == FW_COUNT)
        ok = layout_detect(&c, &fw);
    if (ok)
        ok = readers[fw](&c);
    for (size_t k = 0; ok && k < c.count; k++)
        layout_check_bom(&c, fw, &c.items[k]);
    if (ok) {
        out->fw = fw;
        out->dir = c.dir;
        out->items = c.items;
        out->count = c.count;
        collect_stray(&c, out);
    }
    lctx_free(&c);
    return ok;
}
