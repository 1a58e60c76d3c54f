/* session_watch.c - which kept texts and folder listings are still what
 * the disk holds (session.h), told by inotify instead of a stat per file.
 *
 * A folder the language server lints is watched; every event names what
 * changed in it (a save, a checkout writing files, a file added or removed)
 * and drops exactly that: the file's text is stat'ed again at its next
 * load, the folder's listing is read again after an entry came or went.
 * A lost event (queue overflow) or a watch that ends drops everything.
 * Without inotify (or past its limits) nothing is trusted: every load
 * stats its file as before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>
#endif

#define MAX_WATCHED 16

typedef struct watched_dir {
    char *fs_dir, *rel;
    int wd;
    bool listed; /* the listing below is current */
    arena *a;
    const char **rels, **paths;
    size_t n;
} watched_dir;

struct session_watch {
    int fd;
    watched_dir dirs[MAX_WATCHED];
    size_t ndirs;
};

static void drop_listing(watched_dir *d)
{
    arena_free(d->a);
    d->a = NULL;
    d->listed = false;
    d->n = 0;
}

void session_watch_free(struct session_watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->ndirs; i++) {
        drop_listing(&w->dirs[i]);
        free(w->dirs[i].fs_dir);
        free(w->dirs[i].rel);
    }
#ifdef __linux__
    if (w->fd >= 0)
        close(w->fd);
#endif
    free(w);
}

static struct session_watch *watch_of(session *s)
{
    struct session_watch **slot = session_watch_slot(s);
    if (!*slot) {
        *slot = calloc(1, sizeof **slot);
        if (!*slot)
            abort();
#ifdef __linux__
        (*slot)->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
#else
        (*slot)->fd = -1;
#endif
    }
    return *slot;
}

static watched_dir *find_dir(struct session_watch *w, const char *fs_dir)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (!strcmp(w->dirs[i].fs_dir, fs_dir))
            return &w->dirs[i];
    return NULL;
}

bool session_watched(session *s, const char *fs_dir)
{
    struct session_watch *w = *session_watch_slot(s);
    const watched_dir *d = w ? find_dir(w, fs_dir) : NULL;
    return d && d->wd >= 0;
}

#ifdef __linux__
static void forget_all(session *s, struct session_watch *w)
{
    for (size_t i = 0; i < w->ndirs; i++)
        drop_listing(&w->dirs[i]);
    session_untrust(s, NULL);
}

static void on_event(session *s, struct session_watch *w, const struct inotify_event *ev)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        forget_all(s, w);
        return;
    }
    watched_dir *d = NULL;
    for (size_t i = 0; i < w->ndirs && !d; i++)
        if (w->dirs[i].wd == ev->wd)
            d = &w->dirs[i];
    if (!d)
        return;
    if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
        d->wd = -1; /* no longer watched: its files are stat'ed again */
        forget_all(s, w);
        return;
    }
    if (ev->mask & (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO))
        drop_listing(d);
    if (ev->len) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", d->fs_dir, ev->name);
        session_untrust(s, path);
    }
}
#endif

void session_sync(session *s)
{
#ifdef __linux__
    struct session_watch *w = *session_watch_slot(s);
    if (!w || w->fd < 0)
        return;
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            on_event(s, w, ev);
            p += sizeof *ev + ev->len;
        }
    }
#else
    (void)s;
#endif
}

/* Watches fs_dir (from now on); NULL when it cannot be. */
static watched_dir *watch_dir(session *s, const char *fs_dir)
{
    struct session_watch *w = watch_of(s);
    watched_dir *d = find_dir(w, fs_dir);
    if (d && d->wd >= 0)
        return d;
#ifdef __linux__
    if (w->fd < 0)
        return NULL;
    if (!d) {
        if (w->ndirs == MAX_WATCHED)
            return NULL;
        d = &w->dirs[w->ndirs++];
        *d = (watched_dir){.fs_dir = strdup(fs_dir), .wd = -1};
    }
    d->wd = inotify_add_watch(w->fd, fs_dir,
                              IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE |
                                  IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF);
    return d->wd >= 0 ? d : NULL;
#else
    return NULL;
#endif
}

bool session_listing(session *s, const char *fs_dir, const char *rel, size_t *n,
                     const char *const **rels, const char *const **paths)
{
    watched_dir *d = watch_dir(s, fs_dir);
    if (!d || !d->listed || !d->rel || strcmp(d->rel, rel) != 0)
        return false;
    *n = d->n;
    *rels = d->rels;
    *paths = d->paths;
    return true;
}

void session_listing_keep(session *s, const char *fs_dir, const char *rel, size_t n,
                          const layout_file *items, char *const *fs_paths)
{
    struct session_watch *w = *session_watch_slot(s);
    watched_dir *d = w ? find_dir(w, fs_dir) : NULL;
    if (!d || d->wd < 0)
        return;
    drop_listing(d);
    free(d->rel);
    d->rel = strdup(rel);
    d->a = arena_new();
    d->rels = arena_alloc(d->a, (n ? n : 1) * sizeof *d->rels);
    d->paths = arena_alloc(d->a, (n ? n : 1) * sizeof *d->paths);
    for (size_t i = 0; i < n; i++) {
        d->rels[i] = arena_strdup(d->a, items[i].path);
        d->paths[i] = arena_strdup(d->a, fs_paths[i]);
    }
    d->n = n;
    d->listed = true;
}
