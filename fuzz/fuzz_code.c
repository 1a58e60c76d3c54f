/* fuzz_code.c - libFuzzer target: a code migration (TypeORM, Knex,
 * node-pg-migrate, Alembic or Django; the first input byte picks which)
 * through the layout module, which reads it into virtual SQL with an offset
 * map, then each step through the SQL front end, checking the ranges. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/core/arena.h"
#include "../src/layout/layout.h"
#include "../src/sql/sql.h"
#include "util.h"

static const struct {
    framework fw;
    const char *dir, *path;
} kinds[] = {
    {FW_TYPEORM, "src/migrations", "src/migrations/1700000000000-Fuzz.ts"},
    {FW_KNEX, "migrations", "migrations/20240101120000_fuzz.js"},
    {FW_NODE_PG_MIGRATE, "migrations", "migrations/1700000000000_fuzz.js"},
    {FW_ALEMBIC, "alembic/versions", "alembic/versions/a1b2c3d4e5f6_fuzz.py"},
    {FW_DJANGO, "shop/migrations", "shop/migrations/0001_fuzz.py"},
};

static void parse_part(const mig_part *p)
{
    if (!p->src)
        return;
    if (p->start > p->end || p->end > p->src->len)
        abort(); /* a range outside the virtual SQL */
    sql_file_free(sql_file_parse(p->src, p->start, p->end));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t k = data[0] % (sizeof kinds / sizeof *kinds);
    source *src = source_new(kinds[k].path, (const char *)data + 1, size - 1);
    layout_file file = {src->path, src};
    arena *a = arena_new();
    migration_set set;
    layout_error err;
    if (layout_build(a, kinds[k].dir, &file, 1, kinds[k].fw, &set, &err)) {
        for (size_t i = 0; i < set.count; i++) {
            for (size_t j = 0; j < set.items[i].nup; j++)
                parse_part(&set.items[i].up[j]);
            if (set.items[i].has_down)
                parse_part(&set.items[i].down);
        }
    } else if (!err.message) {
        abort(); /* a refusal must say why */
    }
    arena_free(a);
    source_free(src);
    return 0;
}
