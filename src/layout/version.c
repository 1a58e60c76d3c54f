/* version.c - ordering migrations by version the way each framework does.
 * Versions are compared as numbers of any length (timestamps do not fit
 * every integer type and leading zeros do not matter: "0003" == "3"). */
#include <string.h>

#include "internal.h"

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Compares the digit runs at *a and *b as numbers and advances past them. */
static int digits_cmp(const char **a, const char **b)
{
    const char *p = *a, *q = *b;
    while (*p == '0' && is_digit(p[1]))
        p++;
    while (*q == '0' && is_digit(q[1]))
        q++;
    size_t np = 0, nq = 0;
    while (is_digit(p[np]))
        np++;
    while (is_digit(q[nq]))
        nq++;
    *a = p + np;
    *b = q + nq;
    if (np != nq)
        return np < nq ? -1 : 1;
    int r = memcmp(p, q, np);
    return r < 0 ? -1 : r > 0;
}

int lay_version_cmp_numeric(const char *a, const char *b)
{
    int r = digits_cmp(&a, &b);
    if (r)
        return r;
    r = strcmp(a, b);
    return r < 0 ? -1 : r > 0;
}

/* A missing part counts as 0, so "1" == "1.0" as in Flyway. */
static bool part_end(char ch)
{
    return ch == '\0' || ch == '.' || ch == '_';
}

int lay_version_cmp_dotted(const char *a, const char *b)
{
    while (*a || *b) {
        const char *pa = *a ? a : "0", *pb = *b ? b : "0";
        int r = digits_cmp(&pa, &pb);
        if (r)
            return r;
        if (*a)
            a = pa;
        if (*b)
            b = pb;
        if (!part_end(*a) || !part_end(*b)) { /* not a number: plain text order */
            r = strcmp(a, b);
            return r < 0 ? -1 : r > 0;
        }
        if (*a)
            a++;
        if (*b)
            b++;
    }
    return 0;
}

int layout_version_cmp(framework fw, const char *a, const char *b)
{
    if (fw == FW_FLYWAY)
        return lay_version_cmp_dotted(a, b);
    if (fw == FW_SQITCH) {
        int r = strcmp(a, b); /* ISO timestamps from the plan */
        return r < 0 ? -1 : r > 0;
    }
    return lay_version_cmp_numeric(a, b);
}

static int item_cmp(int (*cmp)(const migration *, const migration *), const migration *x,
                    const migration *y)
{
    int r = cmp(x, y);
    return r ? r : strcmp(x->path, y->path);
}

bool lctx_in_order(const lctx *c, int (*cmp)(const migration *, const migration *))
{
    for (size_t k = 1; k < c->count; k++)
        if (item_cmp(cmp, &c->items[k], &c->items[k - 1]) < 0)
            return false;
    return true;
}

/* A merge sort: qsort has no context argument for the comparator. */
void lctx_sort(lctx *c, int (*cmp)(const migration *, const migration *))
{
    size_t n = c->count;
    if (n < 2)
        return;
    migration *tmp = arena_alloc(c->a, n * sizeof *tmp);
    migration *src = c->items, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = item_cmp(cmp, &src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        migration *t = src;
        src = dst;
        dst = t;
    }
    if (src != c->items)
        memcpy(c->items, src, n * sizeof *src);
}
