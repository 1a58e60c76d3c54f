/* diag.c - the findings list (see diag.h). */
#include "diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"none", "note", "warning", "error"};

const char *diag_level_name(diag_level level)
{
    return level_names[level];
}

bool diag_level_parse(const char *name, diag_level *out)
{
    if (strcmp(name, "off") == 0 || strcmp(name, "none") == 0) {
        *out = LEVEL_NONE;
        return true;
    }
    for (int i = 1; i < 4; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (diag_level)i;
            return true;
        }
    }
    return false;
}

void diag_list_init(diag_list *l, arena *a)
{
    /* Never NULL: callers take `items + first` ranges of an empty list, and
     * pointer arithmetic on NULL is undefined even with a zero offset. */
    l->cap = 32;
    l->items = malloc(l->cap * sizeof *l->items);
    if (!l->items)
        abort();
    l->count = 0;
    l->arena = a;
    l->max = l->dropped = 0;
    l->spare = NULL;
}

void diag_list_free(diag_list *l)
{
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

diag *diag_list_add(diag_list *l, const char *rule_id, diag_level level, const source *src,
                    size_t start, size_t end)
{
    if (l->max && l->count >= l->max) {
        /* Callers fill in the finding they get back: give them one that is
         * overwritten by the next drop and never reported. */
        l->dropped++;
        if (!l->spare)
            l->spare = arena_calloc(l->arena, 1, sizeof *l->spare);
        memset(l->spare, 0, sizeof *l->spare);
        l->spare->rule_id = rule_id;
        l->spare->level = level;
        l->spare->src = src;
        return l->spare;
    }
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items)
            abort();
    }
    diag *d = arena_calloc(l->arena, 1, sizeof *d);
    d->rule_id = rule_id;
    d->level = level;
    d->src = src;
    d->start = start;
    d->end = end > start ? end : start;
    d->stmt_start = start;
    d->stmt_end = d->end;
    d->stmt_index = -1;
    l->items[l->count++] = d;
    return d;
}

void diag_add_related(diag_list *l, diag *d, const source *src, size_t start, size_t end,
                      const char *message)
{
    diag_related *r = arena_calloc(l->arena, d->nrelated + 1, sizeof *r);
    if (d->nrelated)
        memcpy(r, d->related, d->nrelated * sizeof *r);
    r[d->nrelated] = (diag_related){src->path, src, start, end, {0, 0}, {0, 0}, message};
    d->related = r;
    d->nrelated++;
}

void diag_add_related_at(diag_list *l, diag *d, const char *path, source_pos pos,
                         source_pos end_pos, const char *message)
{
    diag_related *r = arena_calloc(l->arena, d->nrelated + 1, sizeof *r);
    if (d->nrelated)
        memcpy(r, d->related, d->nrelated * sizeof *r);
    r[d->nrelated] =
        (diag_related){arena_strdup(l->arena, path), NULL, 0, 0, pos, end_pos, message};
    d->related = r;
    d->nrelated++;
}

/* FNV-1a: small, stable across platforms, good enough to tell findings apart. */
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv_add(uint64_t h, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    for (; end - p >= 4; p += 4) { /* four at a time: the loop's own cost per byte was half */
        h = (h ^ p[0]) * FNV_PRIME;
        h = (h ^ p[1]) * FNV_PRIME;
        h = (h ^ p[2]) * FNV_PRIME;
        h = (h ^ p[3]) * FNV_PRIME;
    }
    for (; p < end; p++)
        h = (h ^ *p) * FNV_PRIME;
    return h;
}

/* Hashes the statement with runs of whitespace collapsed, so reindenting a
 * statement or moving it down the file keeps its fingerprint. */
static uint64_t fnv_add_normalized(uint64_t h, const char *s, size_t n)
{
    /* space, tab, newline and carriage return, as bits of a mask */
    const uint64_t blank = 1ULL << ' ' | 1ULL << '\t' | 1ULL << '\n' | 1ULL << '\r';
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        for (; p < end && !(*p <= ' ' && (blank >> *p & 1)); p++) /* a run of text */
            h = (h ^ *p) * FNV_PRIME;
        while (p < end && *p <= ' ' && (blank >> *p & 1)) /* a run of blanks */
            p++;
        if (p < end) /* one space for the run, when text follows it */
            h = (h ^ (unsigned char)' ') * FNV_PRIME;
    }
    return h;
}

static uint64_t diag_identity(const diag *d)
{
    uint64_t h = 14695981039346656037ULL;
    h = fnv_add(h, d->rule_id, strlen(d->rule_id) + 1);
    h = fnv_add(h, d->src->path, strlen(d->src->path) + 1);
    h = fnv_add_normalized(h, d->src->text + d->stmt_start, d->stmt_end - d->stmt_start);
    /* The finding's own text tells apart two findings in one statement. */
    h = fnv_add(h, d->src->text + d->start, d->end - d->start);
    return h;
}

static int diag_cmp(const void *pa, const void *pb)
{
    const diag *a = *(const diag *const *)pa, *b = *(const diag *const *)pb;
    int c = strcmp(a->src->path, b->src->path);
    if (c)
        return c;
    /* Offsets in the file itself: SQL read out of a code migration lives
     * in virtual sources, one per step. */
    size_t sa = source_host_offset(a->src, a->start), sb = source_host_offset(b->src, b->start);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    return strcmp(a->rule_id, b->rule_id);
}

/* Open-addressing counter: how often each identity was seen so far. */
typedef struct id_counter {
    uint64_t *keys;
    unsigned *counts;
    size_t cap;
} id_counter;

static unsigned id_counter_next(id_counter *c, uint64_t key)
{
    size_t i = (size_t)(key % c->cap);
    while (c->counts[i] && c->keys[i] != key)
        i = (i + 1) % c->cap;
    c->keys[i] = key;
    return c->counts[i]++;
}

/* Adds "#n" as snprintf's "#%u" would print it. */
static uint64_t fnv_add_occurrence(uint64_t h, unsigned n)
{
    char digits[16], *p = digits + sizeof digits;
    do
        *--p = (char)('0' + n % 10);
    while (n /= 10);
    *--p = '#';
    return fnv_add(h, p, (size_t)(digits + sizeof digits - p));
}

/* The 16 lowercase hex digits of h and a NUL, as "%016llx" prints them. */
static void put_hex16(char out[17], uint64_t h)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

void diag_list_finalize(diag_list *l)
{
    if (l->count)
        qsort(l->items, l->count, sizeof *l->items, diag_cmp);
    id_counter ctr = {NULL, NULL, l->count * 2 + 1};
    ctr.keys = calloc(ctr.cap, sizeof *ctr.keys);
    ctr.counts = calloc(ctr.cap, sizeof *ctr.counts);
    if (!ctr.keys || !ctr.counts)
        abort();
    for (size_t i = 0; i < l->count; i++) {
        diag *d = l->items[i];
        d->pos = source_position(d->src, d->start);
        d->end_pos = source_position(d->src, d->end > d->start ? d->end : d->start + 1);
        for (size_t k = 0; k < d->nrelated; k++) {
            diag_related *r = &d->related[k];
            if (!r->src)
                continue;
            r->pos = source_position(r->src, r->start);
            r->end_pos = source_position(r->src, r->end > r->start ? r->end : r->start + 1);
        }
        /* Identical findings (the same statement twice in a file) get an
         * occurrence number so their fingerprints still differ. */
        uint64_t id = diag_identity(d);
        uint64_t h = fnv_add_occurrence(id, id_counter_next(&ctr, id));
        put_hex16(d->fingerprint, h);
    }
    free(ctr.keys);
    free(ctr.counts);
}

void diag_list_count(const diag_list *l, size_t counts[4])
{
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    for (size_t i = 0; i < l->count; i++)
        if (!l->items[i]->suppressed)
            counts[l->items[i]->level]++;
}
