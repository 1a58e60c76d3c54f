/* unit.h - a minimal unit test harness. Each suite is a function listed in
 * suites.def; each TEST prints "PASS name" or "FAIL name: why", which
 * tests/run.sh counts. */
#ifndef MIGRALINT_UNIT_H
#define MIGRALINT_UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_failed_now;

#define TEST(name)                                                                                 \
    for (int unit_once = (unit_failed_now = 0, 1); unit_once;                                      \
         unit_once = 0, printf("%s %s\n", unit_failed_now ? "FAIL" : "PASS", name))

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                      \
            unit_failed_now = 1;                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_INT(want, got)                                                                       \
    do {                                                                                           \
        long long w_ = (long long)(want), g_ = (long long)(got);                                   \
        if (w_ != g_) {                                                                            \
            printf("  %s:%d: %s: want %lld, got %lld\n", __FILE__, __LINE__, #got, w_, g_);        \
            unit_failed_now = 1;                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STR(want, got)                                                                       \
    do {                                                                                           \
        const char *w_ = (want), *g_ = (got);                                                      \
        if (!g_ || strcmp(w_, g_) != 0) {                                                          \
            printf("  %s:%d: %s: want '%s', got '%s'\n", __FILE__, __LINE__, #got, w_,             \
                   g_ ? g_ : "(null)");                                                            \
            unit_failed_now = 1;                                                                   \
        }                                                                                          \
    } while (0)

/* The whole file at path, NUL-terminated, its length in *len (may be
 * NULL); NULL when it cannot be read. The caller frees it. */
char *unit_read_file(const char *path, size_t *len);

/* Calls fn on every .sql file under dir, folders first-come (readdir
 * order), hidden entries skipped. */
void unit_each_sql_file(const char *dir, void (*fn)(const char *path, void *ud), void *ud);

#define SUITE(name) void unit_suite_##name(void);
#include "suites.def"
#undef SUITE

#endif
