/* session.c - texts and replayed schemas kept between runs (see session.h).
 *
 * Files are found by path in an open-addressing table; a checkpoint names
 * its prefix by the serials of the files of each migration, two per
 * migration (up, down; 0 for none), so checking it is one pass of integer
 * compares, with no text hashed. */
#include "session.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "session_internal.h"

session *session_new(void)
{
    session *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    return s;
}

static void checkpoint_free(checkpoint *c)
{
    free(c->key);
    free(c->serials);
    catalog_free(c->cat);
    catalog_free(c->spare);
    arena_free(c->names);
    free(c->built);
    memset(c, 0, sizeof *c);
}

void session_free(session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++) {
        if (s->files[i]) {
            source_free(s->files[i]->src);
            free(s->files[i]->overlay);
            free(s->files[i]->fs_path);
            free(s->files[i]);
        }
    }
    free(s->files);
    ptrmap_free(&s->serial_of);
    for (size_t i = 0; i < s->ncps; i++)
        checkpoint_free(&s->cps[i]);
    for (size_t i = 0; i < SESSION_MAX_LAYOUTS; i++)
        session_layout_free(s->layouts[i]);
    session_watch_free(s->watch);
    free(s);
}

static void grow(session *s)
{
    size_t old = s->cap;
    kept_file **was = s->files;
    s->cap = old ? old * 2 : 1024;
    s->files = calloc(s->cap, sizeof *s->files);
    if (!s->files)
        abort();
    for (size_t i = 0; i < old; i++)
        if (was[i])
            s->files[session_file_slot(s, was[i]->fs_path)] = was[i];
    free(was);
}

static bool same_file(const kept_file *k, const struct stat *st, const char *shown)
{
    return k->dev == st->st_dev && k->ino == st->st_ino && k->size == st->st_size &&
           k->mtime.tv_sec == st->st_mtim.tv_sec && k->mtime.tv_nsec == st->st_mtim.tv_nsec &&
           !strcmp(k->src->path, shown);
}

static bool parent_watched(session *s, const char *fs_path)
{
    const char *slash = strrchr(fs_path, '/');
    char dir[4096];
    if (!slash || (size_t)(slash - fs_path) >= sizeof dir)
        return false;
    memcpy(dir, fs_path, (size_t)(slash - fs_path));
    dir[slash - fs_path] = '\0';
    return session_watched(s, dir);
}

static kept_file *entry_of(session *s, const char *fs_path)
{
    if (2 * (s->count + 1) > s->cap)
        grow(s);
    size_t i = session_file_slot(s, fs_path);
    if (!s->files[i]) {
        kept_file *k = calloc(1, sizeof *k);
        if (!k || !(k->fs_path = strdup(fs_path)))
            abort();
        k->size = -1;
        s->files[i] = k;
        s->count++;
    }
    return s->files[i];
}

/* k's text becomes src, with a new serial: a checkpoint holding the old
 * serial no longer matches. The old text may stay a key of serial_of; its
 * entry then points to the record of a text that is not it. */
static source *replace_text(session *s, kept_file *k, source *src)
{
    source_free(k->src);
    k->src = src;
    k->serial = ++s->next_serial;
    ptrmap_put(&s->serial_of, src, k);
    return src;
}

/* The overlay's text as the file's source, made again when the text or
 * the display path changed. */
static source *overlay_source(session *s, kept_file *k, const char *shown)
{
    if (k->src && !strcmp(k->src->path, shown) && k->src->len == k->overlay_len &&
        !memcmp(k->src->text, k->overlay, k->overlay_len))
        return k->src;
    k->trusted = false;
    k->size = -1;
    return replace_text(s, k, source_new(shown, k->overlay, k->overlay_len));
}

void session_overlay(session *s, const char *fs_path, const char *text, size_t len)
{
    kept_file *k = entry_of(s, fs_path);
    free(k->overlay);
    k->overlay = NULL;
    k->trusted = false;
    k->size = -1; /* no stat matches it: the disk is read again */
    if (!text)
        return;
    k->overlay = malloc(len + 1);
    if (!k->overlay)
        abort();
    memcpy(k->overlay, text, len);
    k->overlay[len] = '\0';
    k->overlay_len = len;
}

source *session_load(session *s, const char *fs_path, const char *shown, size_t max_size,
                     bool quiet)
{
    kept_file *k = entry_of(s, fs_path);
    if (k->overlay)
        return overlay_source(s, k, shown);
    if (k->src && k->trusted && !strcmp(k->src->path, shown) && (size_t)k->size <= max_size)
        return k->src;
    /* Watched before the stat: a change after it is an event. */
    bool watched = parent_watched(s, fs_path);
    struct stat st;
    if (stat(fs_path, &st) != 0)
        return files_load(fs_path, shown, max_size, quiet); /* says why; not kept */
    if (k->src && same_file(k, &st, shown) && (size_t)st.st_size <= max_size) {
        k->trusted = watched;
        return k->src;
    }
    source *src = files_load(fs_path, shown, max_size, quiet);
    if (!src)
        return NULL; /* read again next time: the problem is said each run */
    k->dev = st.st_dev;
    k->ino = st.st_ino;
    k->size = st.st_size;
    k->mtime = st.st_mtim;
    k->trusted = watched;
    return replace_text(s, k, src);
}

/* A step's file's serial: an editor buffer's is ULONG_MAX, which matches
 * nothing. */
static unsigned long serial_of(const session *s, const mig_part *part)
{
    return session_serial(s, part->src);
}

static void serials_of(const session *s, const migration *m, unsigned long out[2])
{
    out[0] = m->nup ? serial_of(s, &m->up[0]) : 0;
    out[1] = m->has_down ? serial_of(s, &m->down) : 0;
}

static char *set_key(const char *root, const migration_set *set)
{
    size_t n = strlen(root) + strlen(set->dir ? set->dir : "") + 16;
    char *k = malloc(n);
    if (!k)
        abort();
    snprintf(k, n, "%s\n%s\n%d", root, set->dir ? set->dir : "", (int)set->fw);
    return k;
}

static bool prefix_matches(const session *s, const checkpoint *c, const migration_set *set)
{
    if (c->at > set->count)
        return false;
    for (size_t i = 0; i < c->at; i++) {
        unsigned long now[2];
        serials_of(s, &set->items[i], now);
        if (now[0] != c->serials[2 * i] || now[1] != c->serials[2 * i + 1])
            return false;
    }
    return true;
}

size_t session_resume(session *s, const char *root, const migration_set *set, size_t upto,
                      catalog **cat, strset *built, arena *a)
{
    char *key = set_key(root, set);
    checkpoint *best = NULL;
    for (size_t i = 0; i < s->ncps; i++) {
        checkpoint *c = &s->cps[i];
        if (c->at <= upto && (!best || c->at > best->at) && !strcmp(c->key, key) &&
            prefix_matches(s, c, set))
            best = c;
    }
    free(key);
    if (!best || best->at == 0)
        return 0;
    best->used = ++s->clock;
    catalog_free(*cat);
    *cat = best->spare ? best->spare : catalog_clone(best->cat);
    best->spare = NULL;
    for (size_t i = 0; i < best->nbuilt; i++)
        strset_add(built, arena_strdup(a, best->built[i]));
    s->stats.resumed++;
    s->stats.skipped += best->at;
    return best->at;
}

/* A free slot: an empty one, else the least recently used. */
static checkpoint *free_slot(session *s)
{
    if (s->ncps < SESSION_MAX_CHECKPOINTS)
        return &s->cps[s->ncps++];
    checkpoint *old = &s->cps[0];
    for (size_t i = 1; i < s->ncps; i++)
        if (s->cps[i].used < old->used)
            old = &s->cps[i];
    checkpoint_free(old);
    return old;
}

void session_keep(session *s, const char *root, const migration_set *set, size_t at,
                  const catalog *cat, const strset *built)
{
    if (at == 0 || at > set->count)
        return;
    unsigned long *serials = malloc(2 * at * sizeof *serials);
    if (!serials)
        abort();
    for (size_t i = 0; i < at; i++) {
        serials_of(s, &set->items[i], serials + 2 * i);
        if (serials[2 * i] == (unsigned long)-1 || serials[2 * i + 1] == (unsigned long)-1) {
            free(serials);
            return;
        }
    }
    char *key = set_key(root, set);
    for (size_t i = 0; i < s->ncps; i++) {
        checkpoint *c = &s->cps[i];
        if (c->at == at && !strcmp(c->key, key) &&
            !memcmp(c->serials, serials, 2 * at * sizeof *serials)) {
            c->used = ++s->clock; /* kept already */
            free(serials);
            free(key);
            return;
        }
    }
    checkpoint *c = free_slot(s);
    *c = (checkpoint){.key = key, .at = at, .serials = serials, .used = ++s->clock};
    c->cat = catalog_clone(cat);
    c->names = arena_new();
    c->built = malloc((built->count ? built->count : 1) * sizeof *c->built);
    if (!c->built)
        abort();
    for (size_t i = 0; i < built->cap; i++)
        if (built->slots[i])
            c->built[c->nbuilt++] = arena_strdup(c->names, built->slots[i]);
    s->stats.checkpoints++;
}

bool session_prepare(session *s)
{
    checkpoint *c = NULL;
    for (size_t i = 0; i < s->ncps; i++)
        if (!s->cps[i].spare && (!c || s->cps[i].used > c->used))
            c = &s->cps[i];
    if (!c)
        return false;
    c->spare = catalog_clone(c->cat);
    return true;
}

session_stats session_get_stats(const session *s)
{
    session_stats st = s->stats;
    st.files = s->count;
    return st;
}
