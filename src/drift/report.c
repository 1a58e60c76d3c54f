/* report.c - turning drift locations (ORM line/column, or a catalog
 * object's origin) into findings in the shared diag list. */
#include <stdarg.h>
#include <string.h>

#include "drift.h"
#include "internal.h"

/* Byte offset of a 1-based line and code-point column in src. */
static size_t offset_of(const source *src, uint32_t line, uint32_t col)
{
    if (line == 0 || src->nlines == 0)
        return 0;
    if (line > src->nlines)
        return src->len;
    size_t off = src->line_starts[line - 1];
    for (uint32_t c = 1; c < col && off < src->len && src->text[off] != '\n';) {
        off++;
        if (((unsigned char)src->text[off] & 0xC0) != 0x80)
            c++;
    }
    return off;
}

static diag *add(drift_ctx *ctx, const char *rule_id, const source *src, size_t start, size_t end,
                 const char *fmt, va_list ap)
{
    diag_level level = linter_level(ctx->l, rule_id);
    if (level == LEVEL_NONE || !src)
        return NULL;
    diag *d = diag_list_add(ctx->diags, rule_id, level, src, start, end);
    d->message = arena_vprintf(ctx->a, fmt, ap);
    return d;
}

diag *drift_report_loc(drift_ctx *ctx, const char *rule_id, const orm_loc *loc, const char *fmt,
                       ...)
{
    const source *src = loc && loc->path ? ctx->find(ctx->ud, loc->path) : NULL;
    if (!src)
        return NULL;
    size_t start = offset_of(src, loc->line, loc->col);
    size_t end = loc->end_line ? offset_of(src, loc->end_line, loc->end_col) : start;
    va_list ap;
    va_start(ap, fmt);
    diag *d = add(ctx, rule_id, src, start, end, fmt, ap);
    va_end(ap);
    return d;
}

/* The first line of the statement: a whole CREATE TABLE is too much to underline. */
static size_t first_line_end(const source *src, size_t start, size_t end)
{
    const char *nl = memchr(src->text + start, '\n', end - start);
    return nl ? (size_t)(nl - src->text) : end;
}

diag *drift_report_origin(drift_ctx *ctx, const char *rule_id, const cat_origin *o, const char *fmt,
                          ...)
{
    const source *src = o && o->path && *o->path ? ctx->find(ctx->ud, o->path) : NULL;
    if (!src || o->start > src->len)
        return NULL;
    size_t end = o->end <= src->len && o->end >= o->start ? o->end : o->start;
    if (src->text != NULL && o->pos.line > 0 && !src->host) {
        /* a code migration's statement: its offsets are in the SQL read
         * from the file, its positions in the file itself */
        size_t at = offset_of(src, (uint32_t)o->pos.line, (uint32_t)o->pos.col);
        if (at != o->start) {
            size_t e = o->end_pos.line > 0
                           ? offset_of(src, (uint32_t)o->end_pos.line, (uint32_t)o->end_pos.col)
                           : at;
            va_list ap;
            va_start(ap, fmt);
            diag *d = add(ctx, rule_id, src, at, first_line_end(src, at, e > at ? e : at), fmt, ap);
            va_end(ap);
            if (d)
                d->stmt_end = e > at ? e : at;
            return d;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    diag *d = add(ctx, rule_id, src, o->start, first_line_end(src, o->start, end), fmt, ap);
    va_end(ap);
    if (d)
        d->stmt_end = end;
    return d;
}

void drift_help(drift_ctx *ctx, diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->help = arena_vprintf(ctx->a, fmt, ap);
    va_end(ap);
}

void drift_report_notes(drift_ctx *ctx, const orm_schema *model)
{
    for (size_t i = 0; i < model->nnotes; i++)
        drift_report_loc(ctx, "drift-skipped", &model->notes[i].loc, "%s", model->notes[i].message);
}
