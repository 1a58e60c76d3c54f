/* ptrmap.c - a map from pointers to pointers (see ptrmap.h). */
#include "ptrmap.h"

#include <stdint.h>
#include <stdlib.h>

static size_t slot_of(const void *const *keys, size_t cap, const void *key)
{
    /* Allocations are aligned, so the low bits carry little: mix first. */
    uint64_t h = (uint64_t)(uintptr_t)key;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 7) & (cap - 1);
    while (keys[i] && keys[i] != key)
        i = (i + 1) & (cap - 1);
    return i;
}

static void grow(ptrmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const void **keys = calloc(cap, sizeof *keys);
    void **values = calloc(cap, sizeof *values);
    if (!keys || !values)
        abort();
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t k = slot_of(keys, cap, m->keys[i]);
        keys[k] = m->keys[i];
        values[k] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
}

void ptrmap_put(ptrmap *m, const void *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot_of(m->keys, m->cap, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->count++;
    }
    m->values[i] = value;
}

bool ptrmap_has(const ptrmap *m, const void *key)
{
    return m->cap && m->keys[slot_of(m->keys, m->cap, key)] == key;
}

void *ptrmap_get(const ptrmap *m, const void *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot_of(m->keys, m->cap, key);
    return m->keys[i] ? m->values[i] : NULL;
}

void ptrmap_free(ptrmap *m)
{
    free(m->keys);
    free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->cap = m->count = 0;
}
