/* kindmemo.c - the rules that look at each statement kind, memoised (see
 * kindmemo.h). A run meets a few dozen kinds, so a list searched from the
 * most recent entry is enough. */
#include "kindmemo.h"

#include <stdlib.h>
#include <string.h>

typedef struct memo_entry {
    char *kind;
    bool *match; /* by rule */
    kind_rules list;
} memo_entry;

struct kind_memo {
    const char *const *kinds;
    size_t nrules;
    memo_entry **items; /* each entry apart, so answers stay put as the memo grows */
    size_t n, cap;
};

static void *xalloc(void *p)
{
    if (!p)
        abort();
    return p;
}

bool kind_listed(const char *kinds, const char *kind)
{
    if (!kinds)
        return true;
    if (!kind || !*kind) /* an empty word would walk strstr past the list's end */
        return false;
    size_t n = strlen(kind);
    for (const char *p = strstr(kinds, kind); p; p = strstr(p + 1, kind))
        if ((p == kinds || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

kind_memo *kind_memo_new(const char *const *kinds, size_t n)
{
    kind_memo *m = xalloc(calloc(1, sizeof *m));
    m->kinds = kinds;
    m->nrules = n;
    return m;
}

static memo_entry *memo_entry_of(kind_memo *m, const char *kind)
{
    for (size_t i = m->n; i-- > 0;)
        if (m->items[i]->kind[0] == kind[0] && !strcmp(m->items[i]->kind, kind))
            return m->items[i];
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 32;
        m->items = xalloc(realloc(m->items, m->cap * sizeof *m->items));
    }
    memo_entry *e = xalloc(malloc(sizeof *e));
    m->items[m->n++] = e;
    e->kind = xalloc(strdup(kind));
    e->match = xalloc(calloc(m->nrules ? m->nrules : 1, sizeof *e->match));
    size_t *rules = xalloc(calloc(m->nrules ? m->nrules : 1, sizeof *rules));
    size_t n = 0;
    for (size_t r = 0; r < m->nrules; r++)
        if ((e->match[r] = kind_listed(m->kinds[r], kind)))
            rules[n++] = r;
    e->list = (kind_rules){rules, n, -1};
    return e;
}

const bool *kind_memo_get(kind_memo *m, const char *kind)
{
    return memo_entry_of(m, kind)->match;
}

kind_rules *kind_memo_rules(kind_memo *m, const char *kind)
{
    return &memo_entry_of(m, kind)->list;
}

void kind_memo_free(kind_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i]->kind);
        free(m->items[i]->match);
        free((size_t *)m->items[i]->list.rules);
        free(m->items[i]);
    }
    free(m->items);
    free(m);
}
