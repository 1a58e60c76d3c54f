/* map.c - the catalog's containers: arena arrays with implicit capacity and
 * an open-addressing hash map keyed by (schema, name).
 *
 * Replaying thousands of migrations does a lookup for nearly every name a
 * statement mentions, so relations and types are hashed; per-table lists
 * (columns, constraints) stay short and are scanned. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static size_t capacity_for(size_t n)
{
    size_t cap = 4;
    while (cap < n)
        cap *= 2;
    return cap;
}

void *cat_alloc_array(arena *a, size_t n, size_t size)
{
    return arena_alloc(a, capacity_for(n) * size);
}

void *cat_grow(arena *a, void *items, size_t n, size_t size)
{
    /* Full exactly when n is 0 or a power of two from 4 up (see internal.h). */
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return items;
    void *grown = arena_alloc(a, capacity_for(n + 1) * size);
    if (n)
        memcpy(grown, items, n * size);
    return grown;
}

bool cat_remove_ptr(void **arr, size_t *n, const void *item)
{
    /* From the end: what goes is most often what came last (a down step
     * drops what its up step created), and an item is in an array once. */
    for (size_t i = *n; i-- > 0;) {
        if (arr[i] == item) {
            memmove(&arr[i], &arr[i + 1], (*n - i - 1) * sizeof *arr);
            (*n)--;
            return true;
        }
    }
    return false;
}

static const char tombstone_mark[] = "";
#define CAT_TOMBSTONE tombstone_mark

static uint32_t hash_key(const char *schema, const char *name)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = schema; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    h = (h ^ 0x1f) * 16777619u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

static bool slot_is(const cat_map_slot *s, uint32_t h, const char *schema, const char *name)
{
    return s->schema && s->schema != CAT_TOMBSTONE && s->hash == h &&
           strcmp(s->schema, schema) == 0 && strcmp(s->name, name) == 0;
}

void cat_map_free(cat_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static cat_map_slot *find_slot(const cat_map *m, const char *schema, const char *name, uint32_t h)
{
    if (!m->cap)
        return NULL;
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        cat_map_slot *s = &m->slots[i];
        if (!s->schema)
            return NULL;
        if (slot_is(s, h, schema, name))
            return s;
    }
}

void *cat_map_get(const cat_map *m, const char *schema, const char *name)
{
    if (!m->len) /* nothing to find, not even worth the hash: the user types of most histories */
        return NULL;
    cat_map_slot *s = find_slot(m, schema, name, hash_key(schema, name));
    return s ? s->value : NULL;
}

static void rehash(cat_map *m, size_t cap)
{
    cat_map_slot *old = m->slots;
    size_t oldcap = m->cap;
    m->slots = calloc(cap, sizeof *m->slots);
    if (!m->slots)
        abort();
    m->cap = cap;
    m->len = m->used = 0;
    /* Each live entry into the first empty slot of its kept hash: the keys
     * are distinct and the new table has no tombstones, so neither hashing
     * nor comparing them again is needed. */
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].schema || old[i].schema == CAT_TOMBSTONE)
            continue;
        size_t k = old[i].hash & (cap - 1);
        while (m->slots[k].schema)
            k = (k + 1) & (cap - 1);
        m->slots[k] = old[i];
        m->len++;
        m->used++;
    }
    free(old);
}

void cat_map_put(cat_map *m, const char *schema, const char *name, void *value)
{
    if ((m->used + 1) * 4 >= m->cap * 3)
        rehash(m, m->cap ? (m->len * 4 >= m->cap ? m->cap * 2 : m->cap) : 16);
    uint32_t h = hash_key(schema, name);
    cat_map_slot *free_slot = NULL;
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        cat_map_slot *s = &m->slots[i];
        if (slot_is(s, h, schema, name)) {
            s->value = value;
            return;
        }
        if (s->schema == CAT_TOMBSTONE && !free_slot)
            free_slot = s;
        if (!s->schema) {
            if (!free_slot) {
                free_slot = s;
                m->used++;
            }
            break;
        }
    }
    free_slot->schema = schema;
    free_slot->name = name;
    free_slot->hash = h;
    free_slot->value = value;
    m->len++;
}

/* Room for n entries without growing: a loader that knows its counts
 * skips the rehashes of doubling one put at a time. */
void cat_map_reserve(cat_map *m, size_t n)
{
    if (!n)
        return;
    size_t cap = m->cap ? m->cap : 16;
    while ((m->used + n + 1) * 4 >= cap * 3)
        cap *= 2;
    if (cap != m->cap)
        rehash(m, cap);
}

void cat_map_remove(cat_map *m, const char *schema, const char *name)
{
    cat_map_slot *s = find_slot(m, schema, name, hash_key(schema, name));
    if (!s)
        return;
    s->schema = CAT_TOMBSTONE;
    s->name = NULL;
    s->value = NULL;
    m->len--;
}
