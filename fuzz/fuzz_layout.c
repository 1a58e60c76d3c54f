/* fuzz_layout.c - libFuzzer target: a goose or dbmate file (up and down in
 * one file, split by marker comments) through the layout module, then each
 * part it finds through the SQL front end, checking the ranges it hands out. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/core/arena.h"
#include "../src/layout/layout.h"
#include "../src/sql/sql.h"
#include "util.h"

static void parse_part(const mig_part *p)
{
    if (!p->src)
        return;
    if (p->start > p->end || p->end > p->src->len)
        abort(); /* a range outside the file: the bug this target looks for */
    sql_file_free(sql_file_parse(p->src, p->start, p->end));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The low bit of the length picks the framework, so both see every shape. */
    framework fw = size & 1 ? FW_DBMATE : FW_GOOSE;
    source *src = source_new("db/migrations/20240101120000_fuzz.sql", (const char *)data, size);
    layout_file file = {src->path, src};
    arena *a = arena_new();
    migration_set set;
    layout_error err;
    if (layout_build(a, "db/migrations", &file, 1, fw, &set, &err)) {
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
