/* text.c - `--format text`, the report for people: each finding as a
 * rustc/ruff-style code frame (header, location, the source line with carets
 * under the finding, help and related notes), then one summary line.
 *
 *   error[drop-column]: dropping column customers.fax
 *     --> migrations/0002_drop_fax.sql:3:35
 *      |
 *    3 | ALTER TABLE customers DROP COLUMN fax;
 *      |                                   ^^^
 *      = help: remove every use of customers.fax from the application ...
 *
 *   1 file checked: 1 error, 0 warnings, 0 notes
 *
 * Colour (ANSI SGR) only when in->color: the caller has already weighed
 * isatty, NO_COLOR and --no-color. */

#include "report.h"
#include "report_util.h"

typedef struct style {
    const char *bold, *reset, *gutter;
    const char *level[4]; /* by diag_level */
} style;

static const style plain = {"", "", "", {"", "", "", ""}};
static const style ansi = {
    "\033[1m", "\033[0m", "\033[1;34m", {"", "\033[1;36m", "\033[1;33m", "\033[1;31m"}};

static int digits(int n)
{
    int k = 1;
    while (n >= 10)
        n /= 10, k++;
    return k;
}

static void spaces(strbuf *b, int n)
{
    while (n-- > 0)
        strbuf_putc(b, ' ');
}

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

static void put_header(strbuf *b, const style *st, const diag *d)
{
    strbuf_printf(b, "%s%s[%s]%s%s: ", st->level[d->level], diag_level_name(d->level), d->rule_id,
                  st->reset, st->bold);
    report_put_cleans(b, d->message, false);
    strbuf_printf(b, "%s\n", st->reset);
}

/* w is the gutter width: the widest line number plus one leading space. */
static void put_location(strbuf *b, const style *st, const diag *d, int w)
{
    spaces(b, w);
    strbuf_printf(b, "%s-->%s ", st->gutter, st->reset);
    report_put_cleans(b, d->src->path, false);
    strbuf_printf(b, ":%d:%d\n", d->pos.line, d->pos.col);
}

static void put_gutter(strbuf *b, const style *st, int w)
{
    spaces(b, w + 1);
    strbuf_printf(b, "%s|%s", st->gutter, st->reset);
}

/* The caret line: whitespace up to the start column (tabs copied from the
 * source so the carets land under the right characters whatever the tab
 * width), then one caret per code point of the finding on this line. */
static void put_carets(strbuf *b, const style *st, const diag *d, const char *line, size_t len)
{
    int col = 1, ncols = 0;
    strbuf_putc(b, ' ');
    for (size_t i = 0; i < len; i++) {
        if (is_cont((unsigned char)line[i]))
            continue;
        ncols++;
        if (col++ < d->pos.col)
            strbuf_putc(b, line[i] == '\t' ? '\t' : ' ');
    }
    int last = d->end_pos.line == d->pos.line ? d->end_pos.col : ncols + 1;
    int n = last - d->pos.col;
    if (n < 1)
        n = 1;
    strbuf_puts(b, st->level[d->level]);
    while (n-- > 0)
        strbuf_putc(b, '^');
    strbuf_printf(b, "%s\n", st->reset);
}

static void put_snippet(strbuf *b, const style *st, const diag *d, int w)
{
    size_t len;
    const char *line = source_line(d->src, d->pos.line, &len);
    put_gutter(b, st, w);
    strbuf_putc(b, '\n');
    spaces(b, w - digits(d->pos.line));
    strbuf_printf(b, "%s%d |%s ", st->gutter, d->pos.line, st->reset);
    report_put_clean(b, line, len, false);
    strbuf_putc(b, '\n');
    put_gutter(b, st, w);
    put_carets(b, st, d, line, len);
}

static void put_notes(strbuf *b, const style *st, const diag *d, int w)
{
    if (d->help) {
        spaces(b, w + 1);
        strbuf_printf(b, "%s=%s %shelp%s: ", st->gutter, st->reset, st->bold, st->reset);
        report_put_cleans(b, d->help, false);
        strbuf_putc(b, '\n');
    }
    for (size_t i = 0; i < d->nrelated; i++) {
        const diag_related *r = &d->related[i];
        spaces(b, w + 1);
        strbuf_printf(b, "%s=%s %snote%s: ", st->gutter, st->reset, st->bold, st->reset);
        report_put_cleans(b, r->path, false);
        strbuf_printf(b, ":%d:%d: ", r->pos.line, r->pos.col);
        report_put_cleans(b, r->message, false);
        strbuf_putc(b, '\n');
    }
}

static void put_finding(strbuf *b, const style *st, const diag *d)
{
    int w = digits(d->pos.line) + 1;
    put_header(b, st, d);
    put_location(b, st, d, w);
    put_snippet(b, st, d, w);
    put_notes(b, st, d, w);
    strbuf_putc(b, '\n');
}

/* After a file's last finding: the risk level of its migration. */
static void put_risk(strbuf *b, const style *st, const diag *d)
{
    if (!d->risk)
        return;
    strbuf_printf(b, "%s%s: %s risk%s\n\n", st->bold, d->src->path, d->risk, st->reset);
}

static void put_summary(strbuf *b, const style *st, const report_input *in)
{
    report_totals t;
    report_count(in, &t);
    strbuf_puts(b, st->bold);
    report_plural(b, in->nfiles, "file");
    strbuf_puts(b, " checked: ");
    if (t.all)
        report_levels(b, &t);
    else
        strbuf_puts(b, "no findings");
    strbuf_printf(b, "%s\n", st->reset);
}

int report_text(FILE *out, const report_input *in)
{
    const style *st = in->color ? &ansi : &plain;
    strbuf b = STRBUF_INIT;
    int rc = 0;
    const diag *prev = NULL;
    for (size_t i = 0; i < in->diags->count && rc == 0; i++) {
        const diag *d = in->diags->items[i];
        if (d->suppressed)
            continue;
        if (prev && prev->src != d->src)
            put_risk(&b, st, prev);
        put_finding(&b, st, d);
        prev = d;
        rc = report_flush(out, &b);
        strbuf_reset(&b);
    }
    if (prev)
        put_risk(&b, st, prev);
    if (rc == 0) {
        put_summary(&b, st, in);
        rc = report_flush(out, &b);
    }
    strbuf_free(&b);
    return rc;
}
