/* layout_cache.c - a folder's migration set kept between --staged runs
 * (see layout_cache.h).
 *
 * A file "layout-<32 hex>" per repository folder in the replay cache's
 * folder, rewritten when the folder's key changes:
 *
 *   "MLLAYOUT" key(32) fw dir nfiles (len per file, or none: not read)
 *   nmigrations (version name path flags nup parts... down) nstray
 *   (file why)... keyhash of everything before it (16 hex digits)
 *
 * Numbers are u64 little-endian, strings a length, their bytes and a NUL
 * (the set points into the file's bytes, read into the arena), a part
 * its file's index (or none) with its start and end. Anything that does
 * not read back exactly is ignored: the run reads the folder instead. */
#include "layout_cache.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/keyhash.h"
#include "../core/strbuf.h"
#include "cache.h"

static const char magic[8] = {'M', 'L', 'L', 'A', 'Y', 'O', 'U', 'T'};
#define NONE UINT64_MAX

void layout_cache_key(const char *root, const char *rel, const vcs_files *list,
                      const char *config_file, char key[33], char name[40])
{
    strbuf b = STRBUF_INIT;
    cache_layout_key(&b, config_file);
    strbuf_printf(&b, "folder=%s\n", rel);
    for (size_t i = 0; i < list->count; i++) {
        strbuf_puts(&b, list->items[i].path);
        strbuf_putc(&b, ' ');
        strbuf_puts(&b, list->items[i].oid);
        strbuf_putc(&b, '\n');
    }
    keyhash_hex(b.data, b.len, key, 32);
    b.len = 0;
    strbuf_printf(&b, "%s\n%s", root, rel);
    char slot[33];
    keyhash_hex(b.data, b.len, slot, 32);
    snprintf(name, 40, "layout-%.32s", slot);
    strbuf_free(&b);
}

/* ---- writing ---- */

static void put_str(strbuf *b, const char *s)
{
    strbuf_put_u64le(b, s ? strlen(s) : NONE);
    if (s)
        strbuf_add(b, s, strlen(s) + 1);
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(((const layout_file *)a)->path, ((const layout_file *)b)->path);
}

/* The index of the file src is (files sorted by path, as listed); false
 * for a source that is none of them (a virtual one). */
static bool file_of(const layout_file *files, size_t n, const source *src, uint64_t *idx)
{
    if (!src) {
        *idx = NONE;
        return true;
    }
    layout_file k = {.path = src->path};
    const layout_file *f = bsearch(&k, files, n, sizeof *files, path_cmp);
    if (!f || f->src != src)
        return false;
    *idx = (uint64_t)(f - files);
    return true;
}

static bool put_part(strbuf *b, const layout_file *files, size_t n, const mig_part *part)
{
    uint64_t idx;
    if (!file_of(files, n, part->src, &idx))
        return false;
    strbuf_put_u64le(b, idx);
    strbuf_put_u64le(b, part->start);
    strbuf_put_u64le(b, part->end);
    return true;
}

static uint64_t flags_of(const migration *m)
{
    const bool f[] = {m->has_down,     m->transactional,  m->down_transactional,
                      m->implicit_tx,  m->repeatable,     m->up_partial,
                      m->down_partial, m->below_baseline, m->baseline};
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        v |= (uint64_t)f[i] << i;
    return v;
}

static bool put_migration(strbuf *b, const layout_file *files, size_t n, const migration *m)
{
    if (m->nnotes || m->nrefusals || m->nup > 4)
        return false;
    put_str(b, m->version);
    put_str(b, m->name);
    put_str(b, m->path);
    strbuf_put_u64le(b, flags_of(m));
    strbuf_put_u64le(b, m->nup);
    for (size_t k = 0; k < m->nup; k++)
        if (!put_part(b, files, n, &m->up[k]))
            return false;
    return put_part(b, files, n, &m->down);
}

static bool build_layout(strbuf *b, const char key[33], const migration_set *set,
                         const layout_file *files, size_t n)
{
    strbuf_add(b, magic, sizeof magic);
    strbuf_add(b, key, 32);
    strbuf_put_u64le(b, (uint64_t)set->fw);
    put_str(b, set->dir);
    strbuf_put_u64le(b, n);
    for (size_t i = 0; i < n; i++) {
        /* a file the layout reads and could not: its error is the slow path's to say */
        if (!files[i].src && layout_needs_text(files[i].path))
            return false;
        if (i > 0 && strcmp(files[i - 1].path, files[i].path) >= 0)
            return false;
        strbuf_put_u64le(b, files[i].src ? files[i].src->len : NONE);
    }
    strbuf_put_u64le(b, set->count);
    for (size_t i = 0; i < set->count; i++)
        if (!put_migration(b, files, n, &set->items[i]))
            return false;
    strbuf_put_u64le(b, set->nstray);
    for (size_t k = 0; k < set->nstray; k++) {
        uint64_t idx = (uint64_t)(set->stray[k] - files);
        if (set->stray[k] < files || idx >= n)
            return false;
        strbuf_put_u64le(b, idx);
        put_str(b, set->stray_why[k]);
    }
    char sum[17];
    keyhash_hex(b->data, b->len, sum, 16);
    strbuf_add(b, sum, 16);
    return true;
}

void layout_cache_put(const char key[33], const char name[40], const migration_set *set,
                      const layout_file *files, size_t nfiles)
{
    char path[4096];
    if (set->fw >= FW_TYPEORM || !cache_file_path(name, path, sizeof path))
        return; /* code migrations: their sources are virtual */
    strbuf b = STRBUF_INIT;
    if (build_layout(&b, key, set, files, nfiles))
        cache_write_file(path, b.data, b.len); /* not kept: the next run reads the folder */
    strbuf_free(&b);
}

/* ---- reading ---- */

typedef struct reader {
    const unsigned char *p, *end;
    bool ok;
} reader;

static uint64_t get_u64(reader *r)
{
    uint64_t v = 0;
    if (!r->ok || r->end - r->p < 8) {
        r->ok = false;
        return 0;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, r->p, 8);
#else
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
#endif
    r->p += 8;
    return v;
}

/* A string of the file, in place: its NUL is checked, not copied. */
static const char *get_str(reader *r)
{
    uint64_t n = get_u64(r);
    if (n == NONE || !r->ok)
        return NULL;
    if ((uint64_t)(r->end - r->p) <= n || r->p[n] != '\0') {
        r->ok = false;
        return NULL;
    }
    const char *s = (const char *)r->p;
    r->p += n + 1;
    return s;
}

static void get_part(reader *r, layout_stubs *st, mig_part *part)
{
    uint64_t idx = get_u64(r), start = get_u64(r), end = get_u64(r);
    if (idx == NONE) {
        *part = (mig_part){NULL, 0, 0};
        return;
    }
    if (idx >= st->list.count || !st->files[idx].src || start > end ||
        end > st->files[idx].src->len) {
        r->ok = false;
        return;
    }
    *part = (mig_part){&st->stubs[idx], (size_t)start, (size_t)end};
}

static void get_migration(reader *r, layout_stubs *st, migration *m)
{
    m->version = get_str(r);
    m->name = get_str(r);
    m->path = get_str(r);
    uint64_t f = get_u64(r);
    bool *flags[] = {&m->has_down,     &m->transactional,  &m->down_transactional,
                     &m->implicit_tx,  &m->repeatable,     &m->up_partial,
                     &m->down_partial, &m->below_baseline, &m->baseline};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        *flags[i] = (f >> i) & 1;
    m->nup = (size_t)get_u64(r);
    if (m->nup > 4)
        r->ok = false;
    for (size_t k = 0; r->ok && k < m->nup; k++)
        get_part(r, st, &m->up[k]);
    get_part(r, st, &m->down);
}

/* One stand-in per file the layout read: its path, blob id and length,
 * and a text of zero bytes that nothing should read. */
static bool get_files(reader *r, arena *a, layout_stubs *st)
{
    size_t n = st->list.count;
    if (get_u64(r) != n)
        return false;
    st->stubs = arena_calloc(a, n + 1, sizeof *st->stubs);
    st->files = arena_calloc(a, n + 1, sizeof *st->files);
    st->real = arena_calloc(a, n + 1, sizeof *st->real);
    size_t longest = 0;
    for (size_t i = 0; r->ok && i < n; i++) {
        const vcs_file *f = &st->list.items[i];
        uint64_t len = get_u64(r);
        st->files[i].path = f->path;
        if (len == NONE || !r->ok)
            continue;
        if (len > (uint64_t)1 << 40)
            return false;
        source *s = &st->stubs[i];
        s->path = (char *)f->path;
        s->len = (size_t)len;
        longest = s->len > longest ? s->len : longest;
        memcpy(s->blob_id, f->oid, sizeof s->blob_id);
        st->files[i].src = s;
    }
    /* One text of zeros for all: read only in error, never written. */
    char *zeros = r->ok ? arena_calloc(a, longest + 1, 1) : NULL;
    for (size_t i = 0; zeros && i < n; i++)
        st->stubs[i].text = zeros;
    return r->ok;
}

static bool parse_layout(const unsigned char *data, size_t len, const char key[33], arena *a,
                         layout_stubs *st, migration_set *set)
{
    char sum[17];
    if (len < 8 + 32 + 16 || memcmp(data, magic, 8) || memcmp(data + 8, key, 32))
        return false;
    keyhash_hex(data, len - 16, sum, 16);
    if (memcmp(sum, data + len - 16, 16) != 0)
        return false;
    reader r = {data + 40, data + len - 16, true};
    memset(set, 0, sizeof *set);
    uint64_t fw = get_u64(&r);
    set->fw = fw < FW_TYPEORM ? (framework)fw : FW_PLAIN;
    set->dir = get_str(&r);
    if (fw >= FW_TYPEORM || !get_files(&r, a, st))
        return false;
    uint64_t count = get_u64(&r);
    if (!r.ok || count > (uint64_t)(r.end - r.p))
        return false;
    set->count = (size_t)count;
    set->items = arena_calloc(a, set->count + 1, sizeof *set->items);
    for (size_t i = 0; r.ok && i < set->count; i++)
        get_migration(&r, st, &set->items[i]);
    uint64_t nstray = get_u64(&r);
    if (!r.ok || nstray > (uint64_t)(r.end - r.p))
        return false;
    set->nstray = (size_t)nstray;
    set->stray = arena_calloc(a, set->nstray + 1, sizeof *set->stray);
    set->stray_why = arena_calloc(a, set->nstray + 1, sizeof *set->stray_why);
    for (size_t k = 0; r.ok && k < set->nstray; k++) {
        uint64_t idx = get_u64(&r);
        set->stray_why[k] = get_str(&r);
        r.ok = r.ok && idx < st->list.count;
        set->stray[k] = r.ok ? &st->files[idx] : NULL;
    }
    return r.ok && r.p == r.end;
}

/* Into a: the set's strings point into it. */
static bool read_whole(const char *path, arena *a, unsigned char **data, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0)
        return false;
    bool ok = fstat(fd, &sb) == 0 && sb.st_size > 0;
    *len = ok ? (size_t)sb.st_size : 0;
    *data = ok ? arena_alloc(a, *len) : NULL;
    size_t got = 0;
    while (*data && got < *len) {
        ssize_t k = read(fd, *data + got, *len - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    return *data && got == *len;
}

/* A part of a file's text (not the whole file) is hashed into the replay
 * cache's key: such files are read now. */
static bool read_ranged(layout_stubs *st, migration_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        for (size_t k = 0; k < set->items[i].nup; k++) {
            mig_part *up = &set->items[i].up[k];
            if (up->src && (up->start != 0 || up->end != up->src->len) &&
                !layout_stubs_read(st, (size_t)(up->src - st->stubs)))
                return false;
        }
    return layout_stubs_fill(st, set, set->count);
}

bool layout_cache_get(const char key[33], const char name[40], arena *a, layout_stubs *st,
                      migration_set *set)
{
    char path[4096];
    unsigned char *data = NULL;
    size_t len = 0;
    return cache_file_path(name, path, sizeof path) && read_whole(path, a, &data, &len) &&
           parse_layout(data, len, key, a, st, set) && read_ranged(st, set);
}

bool layout_stubs_read(layout_stubs *st, size_t i)
{
    if (i >= st->list.count || !st->files[i].src)
        return false;
    if (!st->real[i]) {
        st->real[i] = workspace_index_text(st->ws, &st->list.items[i]);
        if (!st->real[i]) {
            st->failed = true;
            return false;
        }
        st->files[i].src = st->real[i];
    }
    return true;
}

/* The part's source: the file's text when it has been read. */
static void swap_part(layout_stubs *st, mig_part *part, bool read)
{
    const source *s = part->src;
    if (!s || s < st->stubs || s >= st->stubs + st->list.count)
        return;
    size_t i = (size_t)(s - st->stubs);
    if (read && !layout_stubs_read(st, i)) {
        *part = (mig_part){NULL, 0, 0}; /* said on stderr, as a folder read says it */
        return;
    }
    if (st->real[i])
        part->src = st->real[i];
}

bool layout_stubs_fill(layout_stubs *st, migration_set *set, size_t from)
{
    for (size_t i = 0; i < set->count; i++) {
        migration *m = &set->items[i];
        for (size_t k = 0; k < m->nup; k++)
            swap_part(st, &m->up[k], i >= from);
        if (m->has_down || m->down.src)
            swap_part(st, &m->down, i >= from);
    }
    return !st->failed;
}

void layout_stubs_free(layout_stubs *st)
{
    vcs_files_free(&st->list);
}
