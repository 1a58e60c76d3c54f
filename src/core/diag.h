/* diag.h - findings: what rules produce and reporters print.
 *
 * A diagnostic points into a source by byte range; line and column are
 * derived once, when the diagnostic is finalized, so every reporter agrees. */
#ifndef MIGRALINT_DIAG_H
#define MIGRALINT_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "source.h"

typedef enum diag_level {
    LEVEL_NONE = 0, /* "off" in config; also --fail-on none */
    LEVEL_NOTE = 1,
    LEVEL_WARNING = 2,
    LEVEL_ERROR = 3,
} diag_level;

const char *diag_level_name(diag_level level);
/* Returns false when name is not one of off/none/note/warning/error. */
bool diag_level_parse(const char *name, diag_level *out);

typedef struct diag_related {
    const char *path;  /* repo-relative */
    const source *src; /* NULL when the position was computed elsewhere */
    size_t start, end;
    source_pos pos, end_pos;
    const char *message;
} diag_related;

typedef struct diag {
    const char *rule_id;
    diag_level level;
    const source *src;
    size_t start, end;           /* byte range of the finding */
    size_t stmt_start, stmt_end; /* the statement it belongs to (code frames, fingerprint) */
    int stmt_index;              /* index of the statement in its file, -1 for file-level */
    source_pos pos, end_pos;     /* 1-based; end_pos.col is exclusive */
    const char *message;
    const char *help;
    char fingerprint[17]; /* 16 hex digits, see diag_finalize() */
    diag_related *related;
    size_t nrelated;
    bool suppressed;  /* matched an inline ignore; reporters skip it */
    const char *risk; /* the risk level of its migration: low, medium, high, critical */
} diag;

typedef struct diag_list {
    diag **items;
    size_t count, cap;
    arena *arena;
    /* At most max findings are kept (0: no limit); the others are counted in
     * dropped, so a runaway file cannot exhaust memory or flood the report. */
    size_t max, dropped;
    diag *spare; /* what diag_list_add hands out for a finding it drops */
} diag_list;

void diag_list_init(diag_list *l, arena *a);
void diag_list_free(diag_list *l);
diag *diag_list_add(diag_list *l, const char *rule_id, diag_level level, const source *src,
                    size_t start, size_t end);
void diag_add_related(diag_list *l, diag *d, const source *src, size_t start, size_t end,
                      const char *message);
/* A related location whose line and column are already known (an object
 * the catalog replay saw created, whose source may be gone). */
void diag_add_related_at(diag_list *l, diag *d, const char *path, source_pos pos,
                         source_pos end_pos, const char *message);
/* Computes positions and fingerprints; sorts by file, then position, then rule.
 * The fingerprint hashes rule id, path, the statement text with whitespace
 * collapsed, and how many earlier findings share those three, so it survives
 * unrelated line shifts. */
void diag_list_finalize(diag_list *l);
/* Counts unsuppressed findings at each level; index by diag_level. */
void diag_list_count(const diag_list *l, size_t counts[4]);

#endif
