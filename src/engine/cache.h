/* cache.h - the replayed schema of the migrations a run only replays, kept
 * on disk between runs.
 *
 * A pre-commit run (--staged) reports one or two migrations and replays the
 * thousands before them only to know the schema they build. That schema,
 * with the names the replay noted on the way, is saved under
 * $XDG_CACHE_HOME/migralint (~/.cache/migralint without it; never inside
 * the repository), keyed by everything it depends on: the migralint binary,
 * the config file's bytes, the folder, its framework, and each replayed
 * migration's path, version, Git state and the blob id of its up step. A
 * change to any of them is a new key; docs/decisions.md has the details. */
#ifndef MIGRALINT_CLI_CACHE_H
#define MIGRALINT_CLI_CACHE_H

#include <stdbool.h>

#include "../catalog/catalog.h"
#include "../core/strbuf.h"
#include "../core/strset.h"
#include "../layout/layout.h"
#include "workspace.h"

/* What replaying the first n migrations of a set leaves behind. */
typedef struct cache_state {
    catalog *cat;
    strset *built;    /* relations and types the replay built */
    strset *new_rels; /* of those, built by migrations new relative to --base */
    bool ahead;       /* cache_load took the entry read ahead (cache_guess_start) */
} cache_state;

/* The key for replaying set->items[0..n) (hist may be NULL: no base). */
void cache_key(const migration_set *set, const set_history *hist, size_t n, const char *config_file,
               char key[41]);
/* Loads the state saved under key: a new catalog in st->cat and the names
 * added to the sets (strings in a, or, taken whole from the entry read
 * ahead, kept until cache_guess_end). False when there is none or it does
 * not read back (then nothing was changed). */
bool cache_load(const char *key, arena *a, cache_state *st);
/* Under --staged, once something is staged: loads the most recently used
 * entry on a thread while the run reads and lays out the folder; the next
 * cache_load takes it when it is the entry asked for (see cache.c).
 * cache_guess_end drops it if nothing took it. */
void cache_guess_start(void);
void cache_guess_end(void);
/* Saves the state under key. A cache that cannot be written is skipped
 * with a note on stderr: the run itself does not depend on it. */
void cache_store(const char *key, const cache_state *st);

/* Discovery's verdict on a folder (src/engine/discover.c), kept beside
 * the entries: the key is 32 hex digits the caller computes over what the
 * verdict depends on, after cache_verdict_key's lines (this binary). */
void cache_verdict_key(strbuf *b);
bool cache_verdict_get(const char key[33], int *verdict);
void cache_verdict_put(const char key[33], int verdict);

/* The layout cache (src/engine/layout_cache.c): the first lines of its
 * key (its format, this binary, the config file's bytes), and the path of
 * one of its files, named name, in the cache folder (created). */
void cache_layout_key(strbuf *b, const char *config_file);
bool cache_file_path(const char *name, char *buf, size_t size);
/* Writes data to path whole or not at all (a temporary file beside it,
 * then rename). False when it could not; nothing is left behind. */
bool cache_write_file(const char *path, const char *data, size_t len);

#endif
