/* strset.c - open-addressing string set (see strset.h). */
#include "strset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

static size_t slot_of(const strset *s, const char *key)
{
    size_t i = hash(key) & (s->cap - 1);
    while (s->slots[i] && strcmp(s->slots[i], key) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static void grow(strset *s)
{
    strset bigger = {NULL, s->cap ? s->cap * 2 : 64, 0};
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots) {
        fputs("migralint: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            bigger.slots[slot_of(&bigger, s->slots[i])] = s->slots[i];
    bigger.count = s->count;
    free(s->slots);
    *s = bigger;
}

bool strset_add(strset *s, const char *key)
{
    if ((s->count + 1) * 2 > s->cap)
        grow(s);
    size_t i = slot_of(s, key);
    if (s->slots[i])
        return false;
    s->slots[i] = key;
    s->count++;
    return true;
}

bool strset_has(const strset *s, const char *key)
{
    return s->cap && s->slots[slot_of(s, key)] != NULL;
}

void strset_free(strset *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->count = 0;
}
