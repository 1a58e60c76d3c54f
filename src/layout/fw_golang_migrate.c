/* fw_golang_migrate.c - golang-migrate: N_title.up.sql and N_title.down.sql
 * side by side in one folder (not recursive), ordered by N as a number.
 *
 * The postgres driver sends each file as one Exec without wrapping it, so
 * the migration is not transactional; but a multi-statement string runs as
 * one implicit transaction in PostgreSQL (golang-migrate issue #284), hence
 * implicit_tx. A down file without its up is left stray. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* GM_FILE without PCRE2, which costs ~8,000 instructions a name without its
 * JIT (valgrind cannot follow the JIT): detection and this reader match
 * every name of a folder of 6,000 files. Same groups as the pattern; a name
 * holding a newline (where `.` and `$` have their PCRE2 meanings) goes to
 * PCRE2 itself. */
bool lay_gm_name(lctx *c, const char *s, size_t n, lre_match *m)
{
    if (memchr(s, '\n', n))
        return lre_find(c, GM_FILE, s, n, m);
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d == 0 || d == n || s[d] != '_')
        return false;
    size_t tail;
    if (n >= d + 1 + 7 && !memcmp(s + n - 7, ".up.sql", 7))
        tail = 7;
    else if (n >= d + 1 + 9 && !memcmp(s + n - 9, ".down.sql", 9))
        tail = 9;
    else
        return false;
    if (m) {
        memset(m, 0, sizeof *m);
        m->n = 4;
        m->end[0] = n;
        m->end[1] = d;
        m->start[2] = d + 1;
        m->end[2] = n - tail;
        m->start[3] = n - tail + 1;
        m->end[3] = n - 4;
    }
    return true;
}

static int gm_cmp(const migration *x, const migration *y)
{
    int r = lay_version_cmp_numeric(x->version, y->version);
    return r ? r : strcmp(x->name, y->name);
}

static void gm_add_up(lctx *c, size_t i, const char *rel, const lre_match *m)
{
    migration *mig = lctx_push(c);
    mig->version = lre_group(c, m, rel, 1);
    mig->name = lre_group(c, m, rel, 2);
    mig->path = c->files[i].path;
    mig->up[0] = lay_part_whole(c->files[i].src);
    mig->implicit_tx = true;
    c->claimed[i] = true;
}

static int gm_key_cmp(const void *a, const void *b)
{
    const migration *x = *(migration *const *)a, *y = *(migration *const *)b;
    int r = strcmp(x->version, y->version);
    return r ? r : strcmp(x->name, y->name);
}

/* The ups by (version, title), so that 3,000 downs find theirs by
 * bisection instead of a scan each. */
static migration **gm_index(lctx *c)
{
    migration **v = arena_calloc(c->a, c->count + 1, sizeof *v);
    for (size_t k = 0; k < c->count; k++)
        v[k] = &c->items[k];
    /* Files come in name order, which for zero-padded versions is already
     * this one; no two ups share a key (they would share a file name). */
    bool sorted = true;
    for (size_t k = 1; k < c->count && sorted; k++)
        sorted = gm_key_cmp(&v[k - 1], &v[k]) <= 0;
    if (!sorted)
        qsort(v, c->count, sizeof *v, gm_key_cmp);
    return v;
}

static void gm_attach_down(lctx *c, migration *mig, size_t i)
{
    mig->has_down = true;
    mig->down = lay_part_whole(c->files[i].src);
    mig->down_transactional = false;
    c->claimed[i] = true;
}

/* Pairs a down file with the up of the same version and title. hint is the
 * up read from the next file, or NULL: in name order ".down.sql" comes just
 * before ".up.sql", so it is nearly always the one, and no two ups share a
 * key (they would share a file name). */
static void gm_add_down(lctx *c, migration **ups, size_t i, const char *rel, const lre_match *m,
                        migration *hint)
{
    char *version = lre_group(c, m, rel, 1), *name = lre_group(c, m, rel, 2);
    migration key = {.version = version, .name = name}, *k = &key;
    if (hint && !hint->has_down && !gm_key_cmp(&hint, &k)) {
        gm_attach_down(c, hint, i);
        return;
    }
    migration **hit = c->count ? bsearch(&k, ups, c->count, sizeof *ups, gm_key_cmp) : NULL;
    /* Equal keys are neighbours: take the first without a down yet. */
    while (hit && hit > ups && !gm_key_cmp(hit - 1, &k))
        hit--;
    for (; hit && hit < ups + c->count && !gm_key_cmp(hit, &k); hit++) {
        migration *mig = *hit;
        if (mig->has_down)
            continue;
        gm_attach_down(c, mig, i);
        return;
    }
    c->why[i] = arena_printf(c->a, "a down file without %s_%s.up.sql", version, name);
}

bool layout_read_golang_migrate(lctx *c)
{
    /* Ups first, so downs find them; the first pass notes which files are
     * downs, so the second reads only those names again. */
    bool *down = arena_calloc(c->a, c->nfiles ? c->nfiles : 1, sizeof *down);
    size_t *up_of = arena_calloc(c->a, c->nfiles ? c->nfiles : 1, sizeof *up_of); /* item + 1 */
    for (int pass = 0; pass < 2; pass++) {
        migration **ups = pass == 1 ? gm_index(c) : NULL;
        for (size_t i = 0; i < c->nfiles; i++) {
            if (pass == 1 && !down[i])
                continue;
            const char *rel = lctx_rel(c, i);
            lre_match m;
            if (!rel || strchr(rel, '/') || !lay_gm_name(c, rel, strlen(rel), &m))
                continue;
            bool up = rel[m.start[3]] == 'u';
            if (pass == 0 && up) {
                gm_add_up(c, i, rel, &m);
                up_of[i] = c->count;
            } else if (pass == 0) {
                down[i] = true;
            } else {
                size_t next = i + 1 < c->nfiles ? up_of[i + 1] : 0;
                gm_add_down(c, ups, i, rel, &m, next ? &c->items[next - 1] : NULL);
            }
        }
    }
    /* gm_cmp is a total preorder (number, then text, then title): input
     * already in its order (zero-padded versions) needs no merge sort. */
    if (!lctx_in_order(c, gm_cmp))
        lctx_sort(c, gm_cmp);
    return true;
}
