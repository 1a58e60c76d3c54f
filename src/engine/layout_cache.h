/* layout_cache.h - a folder's migration set (framework, order, pairing,
 * strays) kept between --staged runs, keyed by the folder's index listing.
 *
 * The layout reads every text of the folder (6,000 blobs for 3,000
 * migrations); the listing (paths and blob ids) comes from the index
 * without reading one. A run whose listing, config file and binary are
 * those of a kept set takes the set with stand-in sources (path, blob id
 * and length, no text) and reads only the texts it lints or replays:
 * layout_stubs_fill swaps them in. docs/decisions.md, "`--staged` warm:
 * the layout kept under the index listing", has the details. */
#ifndef MIGRALINT_LAYOUT_CACHE_H
#define MIGRALINT_LAYOUT_CACHE_H

#include <stdbool.h>

#include "../layout/layout.h"
#include "../vcs/git.h"
#include "workspace.h"

typedef struct layout_stubs {
    workspace *ws;
    vcs_files list;      /* the folder's files, as keyed */
    source *stubs;       /* one per file: text all zero bytes */
    layout_file *files;  /* (path, stub or real source), parallel to list */
    const source **real; /* the file's text once read, else NULL */
    bool failed;         /* a text could not be read (said on stderr) */
} layout_stubs;

/* The key of rel's layout as listed (32 hex digits) and the name of the
 * file it is kept in (one per repository folder). */
void layout_cache_key(const char *root, const char *rel, const vcs_files *list,
                      const char *config_file, char key[33], char name[40]);
/* The kept set when its key is key: true with *set (in a) whose sources
 * are st's stand-ins (st->ws and st->list set by the caller), but for the
 * files an up step takes part of, read already (the replay cache's key
 * hashes such a part's text). False when there is none or a text could
 * not be read. */
bool layout_cache_get(const char key[33], const char name[40], arena *a, layout_stubs *st,
                      migration_set *set);
/* Keeps set, built from files (parallel to list), under key; sets that
 * stand-ins cannot replace (code migrations, notes, refusals, unread
 * files) are not kept. */
void layout_cache_put(const char key[33], const char name[40], const migration_set *set,
                      const layout_file *files, size_t nfiles);
/* Replaces the stand-in of file i by its text (read once); false when it
 * cannot be read. */
bool layout_stubs_read(layout_stubs *st, size_t i);
/* The texts of set->items[from..) in place of their stand-ins. */
bool layout_stubs_fill(layout_stubs *st, migration_set *set, size_t from);
void layout_stubs_free(layout_stubs *st);

#endif
