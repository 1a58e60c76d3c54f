/* source.h - a file's bytes plus a line index for offset -> line/column.
 *
 * Columns are 1-based and count Unicode code points (a tab is one column),
 * which is what SARIF's "unicodeCodePoints" column kind and most editors'
 * quickfix parsers expect. CRLF line ends count as one line break. */
#ifndef MIGRALINT_SOURCE_H
#define MIGRALINT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

/* A run of a virtual source's bytes and where they came from in its host
 * file: byte virt+k maps to host+k, or to host itself when fixed (text the
 * program wrote, such as the SQL it synthesizes for an Alembic op). */
typedef struct source_seg {
    size_t virt, host, len;
    int fixed;
} source_seg;

typedef struct source {
    char *path; /* display path: repo-relative, '/' separators */
    char *text; /* the bytes, NUL-terminated (callers must not rely on no inner NUL) */
    size_t len;
    size_t *line_starts; /* byte offset where each line begins */
    size_t nlines;
    /* Set for a virtual source (SQL gathered from a code migration): its
     * positions and lines are those of the host file, through segs (sorted
     * by virt). A virtual source has no line index of its own. */
    const struct source *host;
    const source_seg *segs;
    size_t nsegs;
    /* The Git blob id of text (hex) when it was read from Git, else "":
     * the replay cache's key needs it and need not hash the text again. */
    char blob_id[41];
} source;

typedef struct source_pos {
    int line; /* 1-based */
    int col;  /* 1-based, in code points */
} source_pos;

/* Takes a copy of data. Never fails (aborts on out of memory). */
source *source_new(const char *display_path, const char *data, size_t len);
void source_free(source *src);
/* A virtual source over host, allocated in a (never pass it to
 * source_free); takes copies of text and segs. Its path is the host's. */
struct arena;
source *source_new_virtual(struct arena *a, const source *host, const char *text, size_t len,
                           const source_seg *segs, size_t nsegs);
/* The host-file offset of a virtual source's offset (itself otherwise). */
size_t source_host_offset(const source *src, size_t offset);

/* 3 when the text starts with a UTF-8 byte-order mark (EF BB BF), else 0.
 * The mark is not text: it takes no column, and source_line leaves it out
 * of line 1. Whether a migration framework strips it or sends it to the
 * server is the layout module's business (docs/layouts.md). */
size_t source_bom_len(const source *src);
source_pos source_position(const source *src, size_t offset);
/* The text of 1-based line, without its line terminator (nor, for line 1,
 * a byte-order mark). */
const char *source_line(const source *src, int line, size_t *len);

/* Input checks a loader runs before linting. Each returns true when the text
 * is acceptable, else fills *offset with the first bad byte. */
bool source_has_nul(const source *src, size_t *offset);
bool source_valid_utf8(const source *src, size_t *offset);

#endif
