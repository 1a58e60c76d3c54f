/* ruledoc.c - parses the rule documents embedded from rules/<id>.md (see ruledoc.h). */
#include "ruledoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/embedded.h"

static rule_doc *docs;
static size_t ndocs;
static char **owned; /* strings we allocated, freed at shutdown */
static size_t nowned;

static char *own(const char *s, size_t n)
{
    char *p = strndup(s, n);
    char **o = realloc(owned, (nowned + 1) * sizeof *owned);
    if (!p || !o)
        abort();
    owned = o;
    owned[nowned++] = p;
    return p;
}

/* Sets one front matter field; returns false for an unknown key or value. */
static bool doc_set(rule_doc *d, const char *key, size_t klen, const char *val, size_t vlen)
{
    char *v = own(val, vlen);
    if (klen == 2 && !strncmp(key, "id", 2))
        d->id = v;
    else if (klen == 8 && !strncmp(key, "category", 8))
        d->category = v;
    else if (klen == 7 && !strncmp(key, "summary", 7))
        d->summary = v;
    else if (klen == 5 && !strncmp(key, "level", 5))
        return diag_level_parse(v, &d->level) && d->level != LEVEL_NONE;
    else if (klen == 6 && !strncmp(key, "opt-in", 6))
        d->opt_in = strcmp(v, "true") == 0;
    else
        return false;
    return true;
}

static bool doc_parse(rule_doc *d, const embedded_file *f)
{
    const char *p = f->data;
    if (strncmp(p, "---\n", 4) != 0)
        return false;
    p += 4;
    for (;;) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            return false;
        if (eol - p == 3 && !strncmp(p, "---", 3)) {
            p = eol + 1;
            break;
        }
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon)
            return false;
        const char *val = colon + 1;
        while (*val == ' ')
            val++;
        if (!doc_set(d, p, (size_t)(colon - p), val, (size_t)(eol - val)))
            return false;
        p = eol + 1;
    }
    while (*p == '\n')
        p++;
    d->markdown = p;
    return d->id && d->category && d->summary && d->level != LEVEL_NONE;
}

static int doc_cmp(const void *a, const void *b)
{
    return strcmp(((const rule_doc *)a)->id, ((const rule_doc *)b)->id);
}

bool ruledoc_init(void)
{
    if (docs)
        return true;
    docs = calloc(ruledoc_nfiles ? ruledoc_nfiles : 1, sizeof *docs);
    if (!docs)
        abort();
    for (size_t i = 0; i < ruledoc_nfiles; i++) {
        if (!doc_parse(&docs[i], &ruledoc_files[i])) {
            fprintf(stderr, "migralint: rules/%s: malformed front matter\n", ruledoc_files[i].name);
            ruledoc_shutdown();
            return false;
        }
    }
    ndocs = ruledoc_nfiles;
    qsort(docs, ndocs, sizeof *docs, doc_cmp);
    return true;
}

void ruledoc_shutdown(void)
{
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    free(owned);
    free(docs);
    owned = NULL;
    nowned = 0;
    docs = NULL;
    ndocs = 0;
}

size_t ruledoc_count(void)
{
    return ndocs;
}

const rule_doc *ruledoc_at(size_t i)
{
    return i < ndocs ? &docs[i] : NULL;
}

int ruledoc_index(const char *id)
{
    size_t lo = 0, hi = ndocs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, docs[mid].id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

const rule_doc *ruledoc_find(const char *id)
{
    int i = ruledoc_index(id);
    return i < 0 ? NULL : &docs[i];
}

const char *ruledoc_url(const rule_doc *doc, char *buf, size_t size)
{
    snprintf(buf, size, "https://github.com/migralint/migralint/blob/main/rules/%s.md", doc->id);
    return buf;
}
