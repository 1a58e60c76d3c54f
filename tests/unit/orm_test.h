/* orm_test.h - runs an extractor on a fixture file under fixtures/orm/ and
 * prints the model (orm_print.h) for the extractor tests to compare. */
#ifndef MIGRALINT_ORM_TEST_H
#define MIGRALINT_ORM_TEST_H

#include "../../src/orm/code_extractors.h"
#include "orm_oracle.h"
#include "unit.h"

/* Extracts each of the `n` files into one schema and prints it into out.
 * Paths are relative to the repository root (where the tests run). */
static inline bool orm_test_extract(orm_extract_fn fn, orm_schema *s, const char *const *paths,
                                    size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *text = oracle_read(paths[i], &len);
        if (!text)
            return false;
        bool ok = fn(s, paths[i], text, len);
        free(text);
        if (!ok)
            return false;
    }
    return true;
}

static inline void orm_test_print(orm_extract_fn fn, const char *orm, const char *path, char *out,
                                  size_t size)
{
    arena *a = arena_new();
    orm_schema s;
    orm_schema_init(&s, a, orm);
    if (orm_test_extract(fn, &s, &path, 1))
        orm_print(&s, out, size);
    else
        snprintf(out, size, "extract failed: %s", path);
    orm_schema_free(&s);
    arena_free(a);
}

#endif
