/* embedded.h - files compiled into the binary by tools/embed.c.
 * The build generates build/gen/ruledocs.c from rules/<id>.md and
 * build/gen/queries.c from the .scm files under src/ (each sorted by name). */
#ifndef MIGRALINT_EMBEDDED_H
#define MIGRALINT_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name; /* file name without directory, e.g. "drop-column.md" */
    const char *data; /* NUL-terminated contents */
    size_t len;
} embedded_file;

extern const embedded_file ruledoc_files[];
extern const size_t ruledoc_nfiles;

/* build/gen/queries.c: every .scm file under src/, the tree-sitter queries. */
extern const embedded_file query_files[];
extern const size_t query_nfiles;

#endif
