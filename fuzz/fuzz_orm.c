/* fuzz_orm.c - libFuzzer target: an ORM schema file through one of the
 * extractors (the first input byte picks which, and so the file name and
 * extension), then the model written as DDL and that DDL replayed into a
 * catalog, the way drift compares an ORM schema with the migrations. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/catalog/catalog.h"
#include "../src/core/arena.h"
#include "../src/core/source.h"
#include "../src/orm/ddl.h"
#include "../src/orm/extractors.h"
#include "../src/sql/sql.h"
#include "util.h"

/* A path each extractor accepts, by its position in extractors.def. */
static const char *path_for(const char *orm)
{
    static const struct {
        const char *orm, *path;
    } paths[] = {
        {"drizzle", "src/db/schema.ts"},   {"prisma", "prisma/schema.prisma"},
        {"sqlalchemy", "app/models.py"},   {"django", "shop/models.py"},
        {"typeorm", "src/entity/User.ts"}, {"activerecord", "db/schema.rb"},
        {"gorm", "models/user.go"},
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        if (!strcmp(paths[i].orm, orm))
            return paths[i].path;
    return "schema.txt";
}

static void on_conflict(void *ud, size_t start, size_t end, const char *message)
{
    const orm_ddl *ddl = ud;
    if (start > end || end > ddl->len || !message)
        abort(); /* a conflict range outside the generated DDL */
    (void)orm_ddl_loc_at(ddl, start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const orm_extractor *x = orm_extractor_at(data[0] % orm_extractor_count());
    /* The extractors take text that may hold NUL bytes but ends with one. */
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    arena *a = arena_new();
    orm_schema model;
    orm_schema_init(&model, a, x->name);
    (void)x->extract(&model, path_for(x->name), text, size - 1);
    orm_ddl ddl;
    orm_schema_to_sql(&model, &ddl);
    if (ddl.sql[ddl.len] != '\0')
        abort();
    source *gen = source_new("<orm schema as SQL>", ddl.sql, ddl.len);
    sql_file *f = sql_file_parse(gen, 0, gen->len);
    catalog *cat = catalog_new();
    catalog_apply_file(cat, f, on_conflict, &ddl);
    catalog_free(cat);
    sql_file_free(f);
    source_free(gen);
    orm_ddl_free(&ddl);
    orm_schema_free(&model);
    arena_free(a);
    free(text);
    return 0;
}
