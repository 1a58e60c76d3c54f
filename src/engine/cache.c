/* cache.c - the on-disk replay cache (see cache.h).
 *
 * An entry is one file named by its key:
 *
 *   "MLRCACHE" u64 catalog-length catalog-bytes        (catalog_save)
 *   u64 built-length built-names  u64 new-length new-names   (NUL-separated)
 *   u64 keyhash64 (src/core/keyhash.c) of everything before it
 *
 * Integers are little-endian. It is written to a temporary file and renamed
 * into place, so a reader never sees half an entry, and anything that does
 * not read back exactly is ignored: the run replays instead. */
#include "cache.h"

#include "../sql/sql.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/cpus.h"
#include "../core/keyhash.h"
#include "../core/strbuf.h"
#include "../report/report.h"
#include "../vcs/repo.h"

/* Entries kept per cache folder: one per branch or so is what a hook needs. */
enum { CACHE_MAX_ENTRIES = 32 };

static const char magic[8] = {'M', 'L', 'R', 'C', 'A', 'C', 'H', 'E'};

/* ---- the key ---- */

static void key_add(strbuf *b, const char *label, const char *value)
{
    strbuf_puts(b, label);
    strbuf_putc(b, '=');
    strbuf_puts(b, value ? value : "");
    strbuf_putc(b, '\n');
}

static void key_add_blob(strbuf *b, const char *label, const void *data, size_t len)
{
    char hex[41];
    vcs_blob_id(data, len, hex);
    key_add(b, label, hex);
}

/* The binary itself: a rebuilt migralint may replay differently while its
 * version string stays the same. It is stat'ed by the path the link names
 * (under valgrind, stat of the link itself describes valgrind, while
 * readlink names the program it runs); the link, when that path is gone
 * (a binary replaced while it runs). */
static bool binary_stat(struct stat *st)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (stat(exe, st) == 0)
            return true;
    }
    return stat("/proc/self/exe", st) == 0;
}

static void key_add_binary(strbuf *b)
{
    struct stat st;
    char id[96] = "";
    if (binary_stat(&st))
        snprintf(id, sizeof id, "%llu:%lld:%lld.%09ld", (unsigned long long)st.st_ino,
                 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    key_add(b, "version", MIGRALINT_VERSION);
    key_add(b, "binary", id);
}

static void key_add_file(strbuf *b, const char *label, const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    strbuf text = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(&text, buf, n);
    if (f)
        fclose(f);
    key_add_blob(b, label, text.len ? text.data : "", text.len);
    strbuf_free(&text);
}

/* One line per replayed migration: path, version, state, then each up
 * part's file (when it is not the migration's path) and blob id. Tabs
 * separate fields no path or version contains. */
static void key_add_migration(strbuf *b, const migration *m, const lint_history *h)
{
    strbuf_puts(b, m->path);
    strbuf_putc(b, '\t');
    strbuf_puts(b, m->version);
    strbuf_putc(b, '\t');
    strbuf_puts(b, h ? workspace_state_name(h) : "");
    for (size_t k = 0; k < m->nup; k++) {
        const mig_part *up = &m->up[k];
        char hex[41] = "-";
        strbuf_putc(b, '\t');
        if (up->src && strcmp(up->src->path, m->path) != 0)
            strbuf_puts(b, up->src->path);
        /* A whole file read from Git: the index already says its blob id. */
        if (up->src && up->src->blob_id[0] && up->start == 0 && up->end == up->src->len)
            memcpy(hex, up->src->blob_id, sizeof hex);
        else if (up->src)
            vcs_blob_id(up->src->text + up->start, up->end - up->start, hex);
        strbuf_putc(b, ':');
        strbuf_puts(b, hex);
    }
    strbuf_putc(b, '\n');
}

void cache_key(const migration_set *set, const set_history *hist, size_t n, const char *config_file,
               char key[41])
{
    strbuf b = STRBUF_INIT;
    key_add(&b, "migralint replay cache", "3");
    key_add_binary(&b);
    key_add_file(&b, "config", config_file);
    key_add(&b, "folder", set->dir);
    key_add(&b, "framework", framework_name(set->fw));
    if (set->dialect) /* PostgreSQL folders keep the keys they had */
        key_add(&b, "dialect", sql_dialect_name(set->dialect));
    for (size_t i = 0; i < n; i++)
        key_add_migration(&b, &set->items[i], hist && hist->items ? &hist->items[i] : NULL);
    keyhash_hex(b.data, b.len, key, 40); /* SHA-1 of 300 KB was 8 M instructions */
    strbuf_free(&b);
}

/* ---- where entries live ---- */

/* mkdir -p, each new folder 0700. */
static bool make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        *p = '/';
        if (!ok)
            return false;
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

/* $XDG_CACHE_HOME/migralint, else $HOME/.cache/migralint (created, 0700). */
static bool cache_dir(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char parent[PATH_MAX];
    if (xdg && *xdg == '/')
        snprintf(parent, sizeof parent, "%s", xdg);
    else if (home && *home == '/')
        snprintf(parent, sizeof parent, "%s/.cache", home);
    else
        return false;
    if ((size_t)snprintf(buf, size, "%s/migralint", parent) >= size)
        return false;
    return make_dirs(buf);
}

static bool entry_path(const char *key, char *buf, size_t size)
{
    char dir[PATH_MAX];
    return cache_dir(dir, sizeof dir) && (size_t)snprintf(buf, size, "%s/%s", dir, key) < size;
}

/* ---- reading ---- */

/* The entry's checksum (src/core/keyhash.c: FNV-1a a byte at a time was
 * 3 M instructions of the half-megabyte entry a warm run reads). */
static uint64_t entry_sum(const unsigned char *p, size_t n)
{
    return keyhash64(p, n);
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The next length-prefixed section of data[*at..len), or NULL. */
static const unsigned char *section(const unsigned char *data, size_t len, size_t *at, size_t *n)
{
    if (len - *at < 8)
        return NULL;
    uint64_t k = get_u64(data + *at);
    *at += 8;
    if (k > len - *at)
        return NULL;
    *n = (size_t)k;
    *at += *n;
    return data + *at - *n;
}

static void names_into(strset *set, arena *a, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = strnlen((const char *)p + i, n - i);
        if (k)
            strset_add(set, arena_strndup(a, (const char *)p + i, k));
        i += k + 1;
    }
}

static bool read_file(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    strbuf b = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(&b, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    *len = b.len;
    *data = (unsigned char *)strbuf_detach(&b);
    return ok && *data;
}

static bool parse_entry(const unsigned char *d, size_t len, arena *a, cache_state *st)
{
    if (len < sizeof magic + 8 || memcmp(d, magic, sizeof magic) != 0 ||
        get_u64(d + len - 8) != entry_sum(d, len - 8))
        return false;
    size_t at = sizeof magic, ncat, nbuilt, nnew, body = len - 8;
    const unsigned char *cat = section(d, body, &at, &ncat);
    const unsigned char *built = cat ? section(d, body, &at, &nbuilt) : NULL;
    const unsigned char *fresh = built ? section(d, body, &at, &nnew) : NULL;
    /* entry_sum covered the catalog's bytes just now. */
    if (!fresh || at != body || !(st->cat = catalog_load_summed(cat, ncat)))
        return false;
    names_into(st->built, a, built, nbuilt);
    names_into(st->new_rels, a, fresh, nnew);
    return true;
}

/* ---- the entry a run most likely asks for, read ahead ---- */

/* A pre-commit run asks for its entry only after it has listed the index,
 * read the folder's blobs, built the layout and hashed the key, while the
 * second CPU idles but for half the blobs. The entry asked for is most
 * often the one used last (the same commit tried again, the same branch):
 * cache_guess_start loads that one on a thread meanwhile, and cache_load
 * takes it only when its name is the key it computed, that is when it is
 * the very entry cache_load would read. Otherwise it is dropped. */
static struct {
    pthread_t thread;
    bool started, ok;
    char key[41];
    arena *a; /* the names */
    strset built, new_rels;
    catalog *cat;
} guess;

/* The arena of the names a hit handed over whole (guess_take): the run's
 * sets hold its strings until engine_close, after the run, ends the guess. */
static arena *taken_names;

/* The name of dir's entry with the newest modification time (cache_load
 * touches what it reads, cache_store writes new ones). */
static bool newest_entry(const char *dir, char key[41])
{
    DIR *d = opendir(dir);
    struct timespec best = {0, 0};
    bool found = false;
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[PATH_MAX];
        struct stat st;
        if (strlen(e->d_name) != 40 ||
            (size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
            stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (!found || st.st_mtim.tv_sec > best.tv_sec ||
            (st.st_mtim.tv_sec == best.tv_sec && st.st_mtim.tv_nsec > best.tv_nsec)) {
            best = st.st_mtim;
            memcpy(key, e->d_name, 41);
            found = true;
        }
    }
    if (d)
        closedir(d);
    return found;
}

static void *guess_main(void *arg)
{
    (void)arg;
    char dir[PATH_MAX], path[PATH_MAX + 48];
    unsigned char *data = NULL;
    size_t len = 0;
    cache_state st = {NULL, &guess.built, &guess.new_rels, false};
    guess.ok = cache_dir(dir, sizeof dir) && newest_entry(dir, guess.key) &&
               (size_t)snprintf(path, sizeof path, "%s/%s", dir, guess.key) < sizeof path &&
               read_file(path, &data, &len) && parse_entry(data, len, guess.a, &st);
    guess.cat = st.cat;
    free(data);
    return NULL;
}

void cache_guess_start(void)
{
    if (guess.started || !cpus_two()) /* as the git reads */
        return;
    guess.a = arena_new();
    guess.started = cpus_thread_start(&guess.thread, guess_main, NULL) == 0;
    if (!guess.started)
        arena_free(guess.a);
}

/* Drops the entry read ahead, or what is left of it once taken. */
void cache_guess_end(void)
{
    arena_free(taken_names);
    taken_names = NULL;
    if (!guess.started)
        return;
    pthread_join(guess.thread, NULL);
    catalog_free(guess.cat);
    strset_free(&guess.built);
    strset_free(&guess.new_rels);
    arena_free(guess.a);
    memset(&guess, 0, sizeof guess);
}

static void names_copy(strset *to, arena *a, const strset *from)
{
    for (size_t i = 0; i < from->cap; i++)
        if (from->slots[i])
            strset_add(to, arena_strdup(a, from->slots[i]));
}

/* The entry read ahead when it is key's, as parse_entry would fill st. */
static bool guess_take(const char *key, arena *a, cache_state *st)
{
    if (!guess.started)
        return false;
    pthread_join(guess.thread, NULL);
    guess.started = false; /* joined: cache_guess_end only frees */
    bool hit = guess.ok && !strcmp(guess.key, key);
    if (hit) {
        st->ahead = true;
        st->cat = guess.cat;
        guess.cat = NULL;
        if (!st->built->count && !st->new_rels->count && !taken_names) {
            /* The sets are empty (a folder's first load): take them whole,
             * strings and all, rather than copy 6,000 names. */
            strset_free(st->built);
            strset_free(st->new_rels);
            *st->built = guess.built;
            *st->new_rels = guess.new_rels;
            guess.built = guess.new_rels = (strset)STRSET_INIT;
            taken_names = guess.a;
            guess.a = NULL;
        } else {
            names_copy(st->built, a, &guess.built);
            names_copy(st->new_rels, a, &guess.new_rels);
        }
    }
    catalog_free(guess.cat);
    strset_free(&guess.built);
    strset_free(&guess.new_rels);
    arena_free(guess.a);
    memset(&guess, 0, sizeof guess);
    return hit;
}

bool cache_load(const char *key, arena *a, cache_state *st)
{
    char path[PATH_MAX];
    if (guess_take(key, a, st)) {
        if (entry_path(key, path, sizeof path))
            utimensat(AT_FDCWD, path, NULL, 0); /* recently used: pruned last */
        return true;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    bool ok = entry_path(key, path, sizeof path) && read_file(path, &data, &len) &&
              parse_entry(data, len, a, st);
    free(data);
    if (ok)
        utimensat(AT_FDCWD, path, NULL, 0); /* recently used: pruned last */
    return ok;
}

/* ---- writing ---- */

static void put_names(strbuf *b, const strset *s)
{
    strbuf names = STRBUF_INIT;
    for (size_t i = 0; s && i < s->cap; i++)
        if (s->slots[i])
            strbuf_add(&names, s->slots[i], strlen(s->slots[i]) + 1);
    strbuf_put_u64le(b, names.len);
    strbuf_add(b, names.data ? names.data : "", names.len);
    strbuf_free(&names);
}

static void build_entry(strbuf *b, const cache_state *st)
{
    char *cat;
    size_t ncat;
    catalog_save(st->cat, &cat, &ncat);
    strbuf_add(b, magic, sizeof magic);
    strbuf_put_u64le(b, ncat);
    strbuf_add(b, cat, ncat);
    free(cat);
    put_names(b, st->built);
    put_names(b, st->new_rels);
    strbuf_put_u64le(b, entry_sum((const unsigned char *)b->data, b->len));
}

typedef struct aged {
    char name[64];
    time_t mtime;
} aged;

static int aged_cmp(const void *a, const void *b)
{
    time_t x = ((const aged *)a)->mtime, y = ((const aged *)b)->mtime;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Keeps the CACHE_MAX_ENTRIES most recently used entries of dir. */
static void prune(const char *dir)
{
    DIR *d = opendir(dir);
    aged *v = NULL;
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[PATH_MAX];
        struct stat st;
        if (strlen(e->d_name) != 40 ||
            (size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
            stat(path, &st) != 0)
            continue;
        if (!(v = realloc(v, (n + 1) * sizeof *v)))
            abort();
        memcpy(v[n].name, e->d_name, 41); /* 40 hex digits and the NUL, checked above */
        v[n++].mtime = st.st_mtime;
    }
    if (d)
        closedir(d);
    if (n > CACHE_MAX_ENTRIES)
        qsort(v, n, sizeof *v, aged_cmp);
    for (size_t i = CACHE_MAX_ENTRIES; i < n; i++) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, v[i].name) < sizeof path)
            unlink(path);
    }
    free(v);
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

bool cache_write_file(const char *path, const char *data, size_t len)
{
    char tmp[PATH_MAX + 64];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp)
        return false;
    int fd = mkstemp(tmp);
    bool ok = fd >= 0 && write_all(fd, data, len);
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (fd >= 0 && (!ok || rename(tmp, path) != 0)) {
        unlink(tmp);
        ok = false;
    }
    return ok;
}

void cache_store(const char *key, const cache_state *st)
{
    char dir[PATH_MAX], tmp[PATH_MAX + 16], path[PATH_MAX + 48];
    if (!cache_dir(dir, sizeof dir))
        return; /* no HOME and no XDG_CACHE_HOME: nowhere to keep it */
    snprintf(path, sizeof path, "%s/%s", dir, key);
    snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "migralint: note: cache %s not written: %s\n", dir, strerror(errno));
        return;
    }
    strbuf b = STRBUF_INIT;
    build_entry(&b, st);
    bool ok = write_all(fd, b.data, b.len);
    ok = close(fd) == 0 && ok;
    strbuf_free(&b);
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "migralint: note: cache %s not written: %s\n", dir, strerror(errno));
        unlink(tmp);
        return;
    }
    prune(dir);
}

/* ---- discovery verdicts ---- */

/* One file, "discover", of lines "<32 hex> <verdict>", the most recently
 * used first, at most CACHE_MAX_VERDICTS: small, so read and rewritten
 * whole (renamed into place like an entry). */
enum { CACHE_MAX_VERDICTS = 64 };

void cache_verdict_key(strbuf *b)
{
    key_add(b, "migralint discovery verdict", "2");
    key_add_binary(b);
}

static bool verdicts_path(char *buf, size_t size)
{
    char dir[PATH_MAX];
    return cache_dir(dir, sizeof dir) && (size_t)snprintf(buf, size, "%s/discover", dir) < size;
}

bool cache_verdict_get(const char key[33], int *verdict)
{
    char path[PATH_MAX], line[64];
    FILE *f = verdicts_path(path, sizeof path) ? fopen(path, "r") : NULL;
    bool hit = false;
    /* a whole line only: a cut "12" must not read as 1 */
    while (f && !hit && fgets(line, sizeof line, f))
        hit = !strncmp(line, key, 32) && line[32] == ' ' && strchr(line, '\n') &&
              sscanf(line + 33, "%d", verdict) == 1;
    if (f)
        fclose(f);
    return hit;
}

void cache_verdict_put(const char key[33], int verdict)
{
    char path[PATH_MAX], line[64];
    if (!verdicts_path(path, sizeof path))
        return;
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "%.32s %d\n", key, verdict);
    FILE *f = fopen(path, "r");
    for (int n = 1; f && n < CACHE_MAX_VERDICTS && fgets(line, sizeof line, f);)
        if (strncmp(line, key, 32) != 0 && strlen(line) > 33 && line[strlen(line) - 1] == '\n') {
            strbuf_puts(&b, line);
            n++;
        }
    if (f)
        fclose(f);
    cache_write_file(path, b.data, b.len); /* a verdict not kept is judged again next time */
    strbuf_free(&b);
}

/* ---- the layout cache's share ---- */

void cache_layout_key(strbuf *b, const char *config_file)
{
    key_add(b, "migralint layout cache", "1");
    key_add_binary(b);
    key_add_file(b, "config", config_file);
}

bool cache_file_path(const char *name, char *buf, size_t size)
{
    return entry_path(name, buf, size);
}
