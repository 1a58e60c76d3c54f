/* session_internal.h - the session's state, shared by session.c (texts and
 * checkpoints) and session_state.c (the table of texts and the accessors
 * that the parts below it, session_layout.c and session_watch.c, use). */
#ifndef MIGRALINT_ENGINE_SESSION_INTERNAL_H
#define MIGRALINT_ENGINE_SESSION_INTERNAL_H

#include <sys/stat.h>

#include "../core/ptrmap.h"
#include "session.h"

typedef struct kept_file {
    char *fs_path;
    source *src;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    unsigned long serial;
    bool trusted; /* its folder is watched and said nothing since the stat */
    /* An editor's unsaved text stands for the file (session_overlay): src
     * is made from it, and the disk is not read. */
    char *overlay;
    size_t overlay_len;
} kept_file;

typedef struct checkpoint {
    char *key;              /* root, folder and framework of the set */
    size_t at;              /* the state before items[at] */
    unsigned long *serials; /* 2 * at */
    catalog *cat;
    catalog *spare; /* a copy made while the editor was idle, for the next resume */
    arena *names;   /* the built names, copied */
    const char **built;
    size_t nbuilt;
    unsigned long used; /* for LRU eviction */
} checkpoint;

struct session {
    kept_file **files; /* by path hash */
    size_t cap, count;
    ptrmap serial_of; /* source * -> kept_file * */
    unsigned long next_serial, clock;
    checkpoint cps[SESSION_MAX_CHECKPOINTS];
    size_t ncps;
    session_stats stats;
    struct layout_memo *layouts[SESSION_MAX_LAYOUTS]; /* session_layout.c */
    struct session_watch *watch;                      /* session_watch.c */
};

/* The slot of fs_path in the table of texts (the empty one where it would
 * go when it is not there). */
size_t session_file_slot(const session *s, const char *fs_path);

#endif
