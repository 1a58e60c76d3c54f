/* framework.c - the migration frameworks by name: the name each goes by,
 * the spellings --framework accepts, and whether it has down migrations.
 * Below the readers and layout.c's dispatcher, which all name frameworks
 * in their messages. */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct {
    const char *name;
    bool has_down;
} frameworks[FW_COUNT] = {
    [FW_PLAIN] = {"plain", false},
    [FW_GOLANG_MIGRATE] = {"golang-migrate", true},
    [FW_GOOSE] = {"goose", true},
    [FW_DBMATE] = {"dbmate", true},
    [FW_FLYWAY] = {"flyway", true},
    [FW_SQITCH] = {"sqitch", true},
    [FW_DIESEL] = {"diesel", true},
    [FW_PRISMA] = {"prisma", false},
    [FW_DRIZZLE] = {"drizzle", false},
    [FW_SUPABASE] = {"supabase", false},
    [FW_TYPEORM] = {"typeorm", true},
    [FW_KNEX] = {"knex", true},
    [FW_NODE_PG_MIGRATE] = {"node-pg-migrate", true},
    [FW_ALEMBIC] = {"alembic", true},
    [FW_DJANGO] = {"django", true},
};

const char *framework_name(framework fw)
{
    return (unsigned)fw < FW_COUNT ? frameworks[fw].name : "unknown";
}

bool framework_parse(const char *name, framework *out)
{
    if (!name)
        return false;
    if (strcasecmp(name, "migrate") == 0 || strcasecmp(name, "golang_migrate") == 0) {
        *out = FW_GOLANG_MIGRATE;
        return true;
    }
    for (int fw = 0; fw < FW_COUNT; fw++) {
        if (strcasecmp(name, frameworks[fw].name) == 0) {
            *out = (framework)fw;
            return true;
        }
    }
    return false;
}

bool framework_has_down(framework fw)
{
    return (unsigned)fw < FW_COUNT && frameworks[fw].has_down;
}
