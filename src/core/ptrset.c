/* ptrset.c - a set of pointers (see ptrset.h). */
#include "ptrset.h"

#include <stdint.h>
#include <stdlib.h>

static size_t slot_of(const void *const *slots, size_t cap, const void *p)
{
    /* Allocations are aligned, so the low bits carry no information. */
    uint64_t h = ((uint64_t)(uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (cap - 1);
    while (slots[i] && slots[i] != p)
        i = (i + 1) & (cap - 1);
    return i;
}

static void grow(ptrset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64;
    const void **slots = calloc(cap, sizeof *slots);
    if (!slots)
        abort();
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            slots[slot_of(slots, cap, s->slots[i])] = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
}

bool ptrset_add(ptrset *s, const void *p)
{
    if ((s->count + 1) * 2 > s->cap)
        grow(s);
    size_t i = slot_of(s->slots, s->cap, p);
    if (s->slots[i])
        return false;
    s->slots[i] = p;
    s->count++;
    return true;
}

bool ptrset_has(const ptrset *s, const void *p)
{
    return s->cap && s->slots[slot_of(s->slots, s->cap, p)] == p;
}

void ptrset_free(ptrset *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->count = 0;
}
