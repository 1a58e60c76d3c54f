/* strset.h - a set of strings (open addressing, FNV-1a), for the name sets
 * that grow with the number of migrations and would make linear lookups
 * quadratic. Keys are not copied: they must outlive the set. */
#ifndef MIGRALINT_STRSET_H
#define MIGRALINT_STRSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strset {
    const char **slots;
    size_t cap, count;
} strset;

#define STRSET_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Adds key; returns false when it was already there. */
bool strset_add(strset *s, const char *key);
bool strset_has(const strset *s, const char *key);
void strset_free(strset *s);

#endif
