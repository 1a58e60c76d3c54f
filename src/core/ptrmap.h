/* ptrmap.h - a map from pointers to pointers (open addressing, grows by
 * itself), for "which copy is this object" and "seen this object yet"
 * questions asked once per object of a catalog or per file of a 3,000-
 * migration folder, where a linear search would make the run quadratic. */
#ifndef MIGRALINT_PTRMAP_H
#define MIGRALINT_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ptrmap {
    const void **keys;
    void **values;
    size_t cap, count;
} ptrmap;

/* Sets key's value (key not NULL). */
void ptrmap_put(ptrmap *m, const void *key, void *value);
/* key's value, or NULL when key is absent. */
void *ptrmap_get(const ptrmap *m, const void *key);
bool ptrmap_has(const ptrmap *m, const void *key);
void ptrmap_free(ptrmap *m);

#endif
