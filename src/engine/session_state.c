/* session_state.c - the session's table of texts by path and the accessors
 * its parts read (serials, trust, the slots of the kept sets and of the
 * folder watch): below session.c, session_layout.c and session_watch.c,
 * so the parts call down, never back up into session.c. */
#include <stdint.h>
#include <string.h>

#include "session_internal.h"

static size_t hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return (size_t)h;
}

size_t session_file_slot(const session *s, const char *fs_path)
{
    size_t i = hash(fs_path) & (s->cap - 1);
    while (s->files[i] && strcmp(s->files[i]->fs_path, fs_path) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

void session_untrust(session *s, const char *fs_path)
{
    if (!s->cap)
        return;
    if (!fs_path) {
        for (size_t i = 0; i < s->cap; i++)
            if (s->files[i])
                s->files[i]->trusted = false;
        return;
    }
    kept_file *k = s->files[session_file_slot(s, fs_path)];
    if (k)
        k->trusted = false;
}

struct session_watch **session_watch_slot(session *s)
{
    return &s->watch;
}

unsigned long session_serial(const session *s, const source *src)
{
    if (!src)
        return 0;
    src = src->host ? src->host : src;
    const kept_file *k = ptrmap_get(&s->serial_of, src);
    return k && k->src == src ? k->serial : (unsigned long)-1;
}

struct layout_memo **session_layout_slots(session *s)
{
    return s->layouts;
}

void session_note_layout_reuse(session *s)
{
    s->stats.layouts_reused++;
}
