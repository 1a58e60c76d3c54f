/* gcc.c - `--format gcc`: one `path:line:col: level: message [rule-id]` line
 * per finding, the shape Vim's default 'errorformat', Emacs compilation-mode
 * and VS Code's $gcc problem matcher already parse.
 * No summary line, so every output line is a finding. */
#include "report.h"
#include "report_util.h"

/* Put piece by piece: strbuf_printf cost a thousand instructions a line. */
static void gcc_line(strbuf *b, const diag *d)
{
    /* A newline inside a path or message would split the finding in two
     * for every parser downstream, hence the cleaning. */
    report_put_cleans(b, d->src->path, false);
    strbuf_putc(b, ':');
    report_put_int(b, d->pos.line);
    strbuf_putc(b, ':');
    report_put_int(b, d->pos.col);
    strbuf_add(b, ": ", 2);
    strbuf_puts(b, diag_level_name(d->level));
    strbuf_add(b, ": ", 2);
    report_put_cleans(b, d->message, false);
    strbuf_add(b, " [", 2);
    strbuf_puts(b, d->rule_id);
    strbuf_add(b, "]\n", 2);
}

/* Lines are written in batches of this many bytes or more. */
#define GCC_BATCH 16384

int report_gcc(FILE *out, const report_input *in)
{
    strbuf b = STRBUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < in->diags->count && rc == 0; i++) {
        const diag *d = in->diags->items[i];
        if (d->suppressed)
            continue;
        gcc_line(&b, d);
        if (b.len >= GCC_BATCH) {
            rc = report_flush(out, &b);
            strbuf_reset(&b);
        }
    }
    if (rc == 0)
        rc = report_flush(out, &b);
    strbuf_free(&b);
    return rc == 0 && ferror(out) ? -1 : rc;
}
