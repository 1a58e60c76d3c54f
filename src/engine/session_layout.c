/* session_layout.c - the migration set kept between edits (session.h).
 *
 * layout_build reads every file of a folder: 6,000 regular-expression
 * tests and a sort for a 3,000-migration folder, on every keystroke in the
 * language server. Between two edits of one file nothing but that file's
 * text changed, so the set is kept, and an edit is checked on the edited
 * file alone: its layout on its own, with the text the set was built from
 * and with the new text, must read the same (same framework, version,
 * name, flags, notes and refusals); then only where its parts end moved,
 * and the kept set is handed out with the edited migration's parts on the
 * new text. Anything else (a file added, removed or changed on disk, a
 * "-- +goose Up" typed into a plain file) builds the set again. */
#include <stdlib.h>
#include <string.h>

#include "session.h"

struct layout_memo {
    char *dir;
    framework fw; /* as asked (FW_COUNT: detect) */
    arena *a;     /* the files' copy, the set and the small layout */
    layout_file *files;
    unsigned long *serials; /* per file; the buffer's slot unused */
    size_t nfiles, buf;     /* buf: the edited file's index */
    source *buf_text;       /* the text the set was built from */
    migration_set set;
    size_t mig;         /* the migration holding the edited file */
    migration_set solo; /* the edited file's layout on its own, old text */
    unsigned long used; /* for LRU eviction among the session's sets */
};

void session_layout_free(struct layout_memo *m)
{
    if (!m)
        return;
    free(m->dir);
    arena_free(m->a);
    free(m->files);
    free(m->serials);
    source_free(m->buf_text);
    free(m);
}

static bool solo_layout(arena *a, const char *dir, const layout_file *f, framework fw,
                        migration_set *out)
{
    layout_error err;
    return layout_build(a, dir, f, 1, fw, out, &err) && out->count == 1 && out->nstray == 0;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_part(const mig_part *a, const mig_part *b)
{
    return (a->src == NULL) == (b->src == NULL);
}

/* Do two layouts of the edited file alone read the same, but for where
 * its parts end? */
static bool same_reading(const migration_set *x, const migration_set *y)
{
    const migration *a = &x->items[0], *b = &y->items[0];
    bool same = x->fw == y->fw && same_str(a->version, b->version) && same_str(a->name, b->name) &&
                same_str(a->path, b->path) && a->nup == b->nup && a->has_down == b->has_down &&
                same_part(&a->down, &b->down) && a->transactional == b->transactional &&
                a->down_transactional == b->down_transactional &&
                a->implicit_tx == b->implicit_tx && a->repeatable == b->repeatable &&
                a->up_partial == b->up_partial && a->down_partial == b->down_partial &&
                a->nnotes == b->nnotes && a->nrefusals == b->nrefusals &&
                a->below_baseline == b->below_baseline && a->baseline == b->baseline;
    for (size_t i = 0; same && i < a->nup; i++)
        same = same_part(&a->up[i], &b->up[i]);
    for (size_t i = 0; same && i < a->nnotes; i++)
        same = same_str(a->notes[i], b->notes[i]);
    for (size_t i = 0; same && i < a->nrefusals; i++)
        same = a->refusals[i].line == b->refusals[i].line &&
               a->refusals[i].col == b->refusals[i].col &&
               same_str(a->refusals[i].why, b->refusals[i].why) &&
               same_str(a->refusals[i].fix, b->refusals[i].fix);
    return same;
}

/* Moves part p of the kept set (on old) to the new text, where the solo
 * layouts say; false when the kept part is not where the old solo one is. */
static bool move_part(mig_part *p, const source *old, const mig_part *solo_old,
                      const mig_part *solo_new, const source *buf)
{
    if (p->src != old)
        return true;
    if (solo_old->src != old || p->start != solo_old->start || p->end != solo_old->end)
        return false;
    *p = (mig_part){buf, solo_new->start, solo_new->end};
    return true;
}

static bool files_unchanged(const session *s, const struct layout_memo *m, const char *dir,
                            framework fw, const layout_file *files, size_t n, const source *buf)
{
    if (!m || m->fw != fw || m->nfiles != n || strcmp(m->dir, dir) != 0 || files[m->buf].src != buf)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(files[i].path, m->files[i].path) != 0)
            return false;
        if (i != m->buf && session_serial(s, files[i].src) != m->serials[i])
            return false;
    }
    return true;
}

/* The kept set with the edited migration on the new text, in a; false
 * when the new text may read differently. */
static bool reuse(struct layout_memo *m, arena *a, const char *dir, const layout_file *f,
                  const source *buf, migration_set *out)
{
    migration_set solo;
    if (!solo_layout(a, dir, f, m->fw, &solo) || !same_reading(&m->solo, &solo))
        return false;
    migration mig = m->set.items[m->mig];
    const migration *o = &m->solo.items[0], *n = &solo.items[0];
    bool ok = move_part(&mig.down, m->buf_text, &o->down, &n->down, buf);
    for (size_t i = 0; ok && i < mig.nup; i++)
        ok = move_part(&mig.up[i], m->buf_text, &o->up[i], &n->up[i], buf);
    if (!ok)
        return false;
    if (mig.nrefusals) {
        mig_refusal *r = arena_alloc(a, mig.nrefusals * sizeof *r);
        memcpy(r, mig.refusals, mig.nrefusals * sizeof *r);
        for (size_t i = 0; i < mig.nrefusals; i++)
            if (r[i].src == m->buf_text)
                r[i].src = buf;
        mig.refusals = r;
    }
    *out = m->set;
    out->items = arena_alloc(a, m->set.count * sizeof *out->items);
    memcpy(out->items, m->set.items, m->set.count * sizeof *out->items);
    out->items[m->mig] = mig;
    return true;
}

/* Keeps the set built from files: a copy of the files, with the edited
 * file's text copied (the caller frees its own). */
static struct layout_memo *memo_build(session *s, const char *dir, framework fw,
                                      const layout_file *files, size_t n, const source *buf,
                                      size_t bi)
{
    struct layout_memo *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    *m = (struct layout_memo){
        .dir = strdup(dir), .fw = fw, .a = arena_new(), .nfiles = n, .buf = bi};
    m->files = malloc(n * sizeof *m->files);
    m->serials = malloc(n * sizeof *m->serials);
    if (!m->files || !m->serials || !m->dir)
        abort();
    m->buf_text = source_new(buf->path, buf->text, buf->len);
    for (size_t i = 0; i < n; i++) {
        m->files[i] =
            (layout_file){arena_strdup(m->a, files[i].path), i == bi ? m->buf_text : files[i].src};
        m->serials[i] = i == bi ? 0 : session_serial(s, files[i].src);
    }
    layout_error err;
    bool ok = layout_build(m->a, dir, m->files, n, fw, &m->set, &err) &&
              solo_layout(m->a, dir, &m->files[bi], fw, &m->solo);
    size_t holders = 0;
    for (size_t i = 0; ok && i < m->set.count; i++) {
        const migration *g = &m->set.items[i];
        bool mine = g->down.src == m->buf_text;
        for (size_t k = 0; k < g->nup; k++)
            mine = mine || g->up[k].src == m->buf_text;
        if (mine)
            m->mig = i, holders++;
    }
    for (size_t i = 0; i < n && ok; i++) /* a file nobody could vouch for */
        ok = m->serials[i] != (unsigned long)-1;
    if (!ok || holders != 1) {
        session_layout_free(m);
        return NULL;
    }
    return m;
}

static unsigned long layout_clock; /* for LRU among the kept sets */

/* The kept set for the edited file f (a background lint of another open
 * file must not evict it), else the slot to fill: an empty one, or the
 * least recently used. */
static struct layout_memo **slot_for(session *s, const char *dir, const layout_file *f)
{
    struct layout_memo **slots = session_layout_slots(s), **pick = NULL;
    for (size_t i = 0; i < SESSION_MAX_LAYOUTS; i++) {
        struct layout_memo *m = slots[i];
        if (m && !strcmp(m->dir, dir) && !strcmp(m->files[m->buf].path, f->path)) {
            m->used = ++layout_clock;
            return &slots[i];
        }
        if (!pick || (*pick && (!m || m->used < (*pick)->used)))
            pick = &slots[i];
    }
    return pick;
}

bool session_layout(session *s, arena *a, const char *dir, const layout_file *files, size_t n,
                    framework fw, const source *buf, migration_set *out, layout_error *err)
{
    size_t bi = n;
    for (size_t i = 0; i < n && bi == n; i++)
        if (files[i].src == buf)
            bi = i;
    if (bi == n)
        return layout_build(a, dir, files, n, fw, out, err);
    struct layout_memo **slot = slot_for(s, dir, &files[bi]);
    if (files_unchanged(s, *slot, dir, fw, files, n, buf) &&
        reuse(*slot, a, dir, &files[bi], buf, out)) {
        session_note_layout_reuse(s);
        return true;
    }
    session_layout_free(*slot);
    *slot = memo_build(s, dir, fw, files, n, buf, bi);
    if (*slot)
        (*slot)->used = ++layout_clock;
    if (*slot && reuse(*slot, a, dir, &files[bi], buf, out))
        return true;
    return layout_build(a, dir, files, n, fw, out, err);
}
