/* ctx.c - the build context the framework readers share (see internal.h). */
#include <stdarg.h>
#include <string.h>

#include "internal.h"

/* "./db/migrations/" and "db/migrations" name the same folder. */
static const char *dir_normalize(arena *a, const char *dir)
{
    if (!dir)
        return "";
    while (dir[0] == '.' && dir[1] == '/')
        dir += 2;
    if (strcmp(dir, ".") == 0)
        return "";
    size_t n = strlen(dir);
    while (n > 0 && dir[n - 1] == '/')
        n--;
    return arena_strndup(a, dir, n);
}

void lctx_init(lctx *c, arena *a, const char *dir, const layout_file *files, size_t nfiles,
               layout_error *err)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->dir = dir_normalize(a, dir);
    c->dirlen = strlen(c->dir);
    c->files = files;
    c->nfiles = nfiles;
    c->claimed = arena_calloc(a, nfiles ? nfiles : 1, sizeof *c->claimed);
    c->why = arena_calloc(a, nfiles ? nfiles : 1, sizeof *c->why);
    c->err = err;
}

/* A component starts with '.': found by strchr over the slashes rather
 * than a look at every byte (asked of each file by each reader). */
static bool rel_hidden(const char *rel)
{
    if (rel[0] == '.')
        return true;
    for (const char *p = strchr(rel, '/'); p; p = strchr(p + 1, '/'))
        if (p[1] == '.')
            return true;
    return false;
}

const char *lctx_rel(const lctx *c, size_t i)
{
    const char *p = c->files[i].path;
    if (c->dirlen) {
        if (strncmp(p, c->dir, c->dirlen) != 0 || p[c->dirlen] != '/')
            return NULL;
        p += c->dirlen + 1;
    }
    return *p && !rel_hidden(p) ? p : NULL;
}

long lctx_find(const lctx *c, const char *rel)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *r = lctx_rel(c, i);
        if (r && strcmp(r, rel) == 0)
            return (long)i;
    }
    return -1;
}

migration *lctx_push(lctx *c)
{
    if (c->count == c->cap) {
        /* Room for a migration per file at first: a folder of 3,000
         * migrations copied its list eight times while it grew. */
        size_t cap = c->cap ? c->cap * 2 : c->nfiles > 16 ? c->nfiles : 16;
        /* Not zeroed: each item is cleared as it is pushed. */
        migration *items = arena_alloc(c->a, cap * sizeof *items);
        if (c->count)
            memcpy(items, c->items, c->count * sizeof *items);
        c->items = items;
        c->cap = cap;
    }
    migration *m = &c->items[c->count++];
    memset(m, 0, sizeof *m);
    m->version = "";
    m->name = "";
    m->nup = 1;
    return m;
}

bool lctx_fail(lctx *c, const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->err->message = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    c->err->path = path ? arena_strdup(c->a, path) : NULL;
    c->err->line = line;
    return false;
}

void lctx_refuse(lctx *c, migration *m, const source *src, int line, int col, const char *fix,
                 const char *fmt, ...)
{
    if (!src || m->nrefusals == LAY_MAX_REFUSALS)
        return;
    if (!m->refusals)
        m->refusals = arena_calloc(c->a, LAY_MAX_REFUSALS, sizeof *m->refusals);
    va_list ap;
    va_start(ap, fmt);
    m->refusals[m->nrefusals++] = (mig_refusal){src, line > 0 ? line : 1, col > 0 ? col : 1,
                                                arena_vprintf(c->a, fmt, ap), fix};
    va_end(ap);
}

const char *lay_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

mig_part lay_part_whole(const source *src)
{
    mig_part p = {src, src ? source_bom_len(src) : 0, src ? src->len : 0};
    return p;
}

size_t lay_line_start(const source *src, int line)
{
    if (line < 1)
        return 0;
    if (line == 1)
        return source_bom_len(src);
    if ((size_t)line > src->nlines)
        return src->len;
    return src->line_starts[line - 1];
}

size_t lay_line_next(const source *src, int line)
{
    return (size_t)line < src->nlines ? src->line_starts[line] : src->len;
}
