/* session.h - what the engine keeps between runs in a long-lived process
 * (the language server), so that re-linting an edited migration replays
 * nothing it replayed before.
 *
 * Two things are kept:
 * - the texts of the files read, by path, each with the identity the file
 *   system gave it (device, inode, size, modification time) and a serial
 *   number; a file whose identity changed is read again and gets a new
 *   serial (a save, a `git checkout`, a pull);
 * - checkpoints: the replayed schema (a catalog copy and the names the
 *   replay built) before migration k of a set, with the serials of the
 *   files of migrations 0..k-1. A checkpoint is used only when all those
 *   serials are unchanged, so a change invalidates exactly the checkpoints
 *   after the first migration it touches.
 *
 * Memory bound: the texts of the folders linted (each file once), plus at
 * most SESSION_MAX_CHECKPOINTS checkpoints (LRU), each a catalog copy and
 * a spare copy made in idle time (session_prepare), and at most
 * SESSION_MAX_LAYOUTS migration sets (one per edited file); docs/architecture.md
 * has the measured numbers. */
#ifndef MIGRALINT_ENGINE_SESSION_H
#define MIGRALINT_ENGINE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "../catalog/catalog.h"
#include "../core/arena.h"
#include "../core/source.h"
#include "../core/strset.h"
#include "../layout/layout.h"

#define SESSION_MAX_CHECKPOINTS 8
#define SESSION_MAX_LAYOUTS     4

typedef struct session session;

session *session_new(void);
void session_free(session *s);

/* files_load through the session: the text kept from an earlier run when
 * the file is unchanged. The session owns what it returns. */
source *session_load(session *s, const char *fs_path, const char *shown, size_t max_size,
                     bool quiet);

/* text (len bytes, copied) stands for the file at fs_path from now on: an
 * editor's unsaved buffer, which the other migrations of its folder see.
 * text NULL: the file is read from the disk again (the editor closed it). */
void session_overlay(session *s, const char *fs_path, const char *text, size_t len);

/* root names the work tree and whatever else the replay depends on (the
 * pipeline adds the configuration file's identity): checkpoints are kept
 * per root, set folder and framework. */
/* The newest usable checkpoint of set (under root) at or before migration
 * upto: sets *cat to a copy of its catalog (freeing the one there) and adds
 * its built names (copied into a) to built. Returns the index of the first
 * migration still to replay (0 when none applies: nothing is changed). */
size_t session_resume(session *s, const char *root, const migration_set *set, size_t upto,
                      catalog **cat, strset *built, arena *a);
/* Keeps a checkpoint of the state before set->items[at]: a copy of cat and
 * of built. Does nothing when the set holds a file the session did not
 * read (its identity is unknown) or an identical checkpoint is kept. */
void session_keep(session *s, const char *root, const migration_set *set, size_t at,
                  const catalog *cat, const strset *built);

/* Idle work: copies the catalog of the checkpoint used last, so the next
 * resume from it costs no copy. Returns false when there was nothing to do. */
bool session_prepare(session *s);

/* layout_build through the session (session_layout.c): the set kept from
 * the last call when only buf's text changed and buf's own migration reads
 * the same; else layout_build, keeping the result. buf is the editor's
 * text among files. The set is allocated in a, as layout_build's. */
bool session_layout(session *s, arena *a, const char *dir, const layout_file *files, size_t n,
                    framework fw, const source *buf, migration_set *out, layout_error *err);

/* Reads what changed on disk since the last call (session_watch.c): the
 * files named are read again at their next load, a folder whose entries
 * changed is listed again. Called at the start of each run. */
void session_sync(session *s);
/* The listing of fs_dir (not recursive) kept from an earlier run, when the
 * folder is watched and no entry came or went since; false otherwise (then
 * the folder is watched from now on: list it and pass it to
 * session_listing_keep). */
bool session_listing(session *s, const char *fs_dir, const char *rel, size_t *n,
                     const char *const **rels, const char *const **paths);
void session_listing_keep(session *s, const char *fs_dir, const char *rel, size_t n,
                          const layout_file *items, char *const *fs_paths);

/* Between session.c, session_layout.c and session_watch.c. */
struct session_watch;
struct session_watch **session_watch_slot(session *s);
void session_watch_free(struct session_watch *w);
bool session_watched(session *s, const char *fs_dir);
/* The file at fs_path (all files: NULL) is stat'ed again at its next load. */
void session_untrust(session *s, const char *fs_path);
struct layout_memo;
/* SESSION_MAX_LAYOUTS kept sets, one per edited file (LRU). */
struct layout_memo **session_layout_slots(session *s);
void session_layout_free(struct layout_memo *m);
void session_note_layout_reuse(session *s);
/* The serial of the file text src (0 for NULL, ULONG_MAX for a text the
 * session did not read). */
unsigned long session_serial(const session *s, const source *src);

/* For tests and the verbose log: runs that resumed from a checkpoint, and
 * the migrations they did not replay. */
typedef struct session_stats {
    size_t resumed, skipped, files, checkpoints, layouts_reused;
} session_stats;
session_stats session_get_stats(const session *s);

#endif
