/* internal.h - what the framework readers of src/layout share: the build
 * context over the file set, PCRE2 matching with a per-build pattern cache,
 * version ordering and small path helpers. Not part of the interface. */
#ifndef MIGRALINT_LAYOUT_INTERNAL_H
#define MIGRALINT_LAYOUT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "layout.h"

#define LRE_MAX_PATTERNS 32
#define LRE_MAX_GROUPS   6

/* Capture groups of the last match, as offsets into the subject. */
typedef struct lre_match {
    size_t start[LRE_MAX_GROUPS], end[LRE_MAX_GROUPS];
    int n;
} lre_match;

typedef struct lctx {
    arena *a;
    const char *dir; /* normalized: no trailing '/', "" for the root */
    size_t dirlen;
    const layout_file *files;
    size_t nfiles;
    bool *claimed;    /* part of a migration or the framework's own metadata */
    const char **why; /* a reader's reason for a file it leaves stray */
    migration *items;
    size_t count, cap;
    layout_error *err;
    const char *re_src[LRE_MAX_PATTERNS];
    void *re_code[LRE_MAX_PATTERNS]; /* pcre2_code * */
    size_t nre;
    void *md; /* pcre2_match_data * */
} lctx;

typedef bool (*layout_reader)(lctx *c);

/* ctx.c */
void lctx_init(lctx *c, arena *a, const char *dir, const layout_file *files, size_t nfiles,
               layout_error *err);
void lctx_free(lctx *c);
/* The path of file i relative to the folder, NULL when it is outside it or
 * hidden (a path component starting with '.'). */
const char *lctx_rel(const lctx *c, size_t i);
/* Index of the file at rel (relative to the folder), -1 when absent. */
long lctx_find(const lctx *c, const char *rel);
migration *lctx_push(lctx *c);
bool lctx_fail(lctx *c, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records that m's framework refuses src as a whole (see mig_refusal);
 * fix is a string literal. At most LAY_MAX_REFUSALS per migration. */
#define LAY_MAX_REFUSALS 4
void lctx_refuse(lctx *c, migration *m, const source *src, int line, int col, const char *fix,
                 const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* What each framework does with a UTF-8 byte-order mark at the start of
 * m's files (layout.c): nothing to say when it strips it, else a refusal. */
void layout_check_bom(lctx *c, framework fw, migration *m);
const char *lay_path_base(const char *path);
/* Inline, so that a literal suffix's length is known when compiled:
 * detection asks it of every file of a folder, for several suffixes. */
static inline bool lay_path_has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    return n >= k && memcmp(path + n - k, suffix, k) == 0;
}
/* The whole file as one part (empty for an unread file), after its
 * byte-order mark if it has one. */
mig_part lay_part_whole(const source *src);
/* Byte offset where 1-based line starts, and where the line after it starts. */
size_t lay_line_start(const source *src, int line);
size_t lay_line_next(const source *src, int line);

/* re.c: patterns are string literals of this module; compiling one that
 * fails is a programming error and aborts. */
bool lre_find(lctx *c, const char *pattern, const char *s, size_t n, lre_match *m);
char *lre_group(lctx *c, const lre_match *m, const char *s, int g);
/* First 1-based line >= from matching pattern (offsets in m are relative to
 * the line start, the line excludes its terminator); 0 when none. */
int lre_find_line(lctx *c, const char *pattern, const source *src, int from, lre_match *m);

/* version.c */
int lay_version_cmp_numeric(const char *a, const char *b);
int lay_version_cmp_dotted(const char *a, const char *b);
/* True when c->items are already in the order lctx_sort would give them
 * (each item not before the one ahead of it by cmp, then path): sorting
 * would leave them as they are when cmp is a total preorder. */
bool lctx_in_order(const lctx *c, int (*cmp)(const migration *, const migration *));
/* Sorts c->items with cmp, ties broken by path so the order is stable. */
void lctx_sort(lctx *c, int (*cmp)(const migration *, const migration *));

/* detect.c: picks the framework of the folder, or fails naming the files of
 * each framework when several are mixed. */
bool layout_detect(lctx *c, framework *out);

/* fw_golang_migrate.c: does the name match GM_FILE (groups: version,
 * title, up|down), without PCRE2 for the names that have no newline. */
#define GM_FILE "^([0-9]+)_(.*)\\.(up|down)\\.sql$"
bool lay_gm_name(lctx *c, const char *s, size_t n, lre_match *m);

/* One reader per framework (fw_*.c). */
bool layout_read_golang_migrate(lctx *c);
bool layout_read_goose(lctx *c);
bool layout_read_dbmate(lctx *c);
bool layout_read_flyway(lctx *c);
bool layout_read_sqitch(lctx *c);
bool layout_read_diesel(lctx *c);
bool layout_read_prisma(lctx *c);
bool layout_read_drizzle(lctx *c);
bool layout_read_supabase(lctx *c);
bool layout_read_plain(lctx *c);
bool layout_read_typeorm(lctx *c);
bool layout_read_knex(lctx *c);
bool layout_read_node_pg_migrate(lctx *c);
bool layout_read_alembic(lctx *c);
bool layout_read_django(lctx *c);

/* fw_code.c: the code frameworks' part of detection and text loading. */
framework layout_code_vote(lctx *c, size_t i, const char *rel);
bool layout_code_needs_text(const char *path);

#endif
