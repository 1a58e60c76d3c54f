/* ptrset.h - a set of pointers (open addressing), for "seen this object
 * already?" questions asked once per file of a 3,000-migration folder, where
 * a linear search would make the run quadratic. */
#ifndef MIGRALINT_PTRSET_H
#define MIGRALINT_PTRSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ptrset {
    const void **slots;
    size_t cap, count;
} ptrset;

/* Adds p (not NULL); returns false when it was already there. */
bool ptrset_add(ptrset *s, const void *p);
bool ptrset_has(const ptrset *s, const void *p);
void ptrset_free(ptrset *s);

#endif
