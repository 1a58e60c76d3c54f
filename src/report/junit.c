/* junit.c - `--format junit`: JUnit XML, the report CI systems without SARIF
 * support still render (GitLab's junit artifacts, Jenkins, Azure Pipelines).
 *
 * One <testsuite> per linted file, one failing <testcase> per finding, and a
 * single passing testcase for a clean file, so the file still shows up as
 * checked. Every level is a <failure> (its type attribute says which): the
 * exit code, not the XML, decides whether the job fails (--fail-on). */
#include <string.h>

#include "report.h"
#include "report_util.h"

/* Appends s escaped for an XML attribute or text node. XML 1.0 cannot carry
 * C0 control characters other than tab, LF and CR at all, not even as
 * character references, so those become '?'. */
static void put_xml(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            strbuf_puts(b, "&amp;");
            break;
        case '<':
            strbuf_puts(b, "&lt;");
            break;
        case '>':
            strbuf_puts(b, "&gt;");
            break;
        case '"':
            strbuf_puts(b, "&quot;");
            break;
        case '\n':
            strbuf_puts(b, "&#10;");
            break;
        default:
            if (c < 0x20 && c != '\t' && c != '\r')
                strbuf_putc(b, '?');
            else
                strbuf_putc(b, (char)c);
        }
    }
}

static size_t file_findings(const report_input *in, const source *src, size_t counts[4])
{
    size_t n = 0;
    memset(counts, 0, 4 * sizeof *counts);
    for (size_t i = 0; i < in->diags->count; i++) {
        const diag *d = in->diags->items[i];
        if (!d->suppressed && (d->src == src || d->src->host == src)) {
            counts[d->level]++;
            n++;
        }
    }
    return n;
}

static void put_case(strbuf *b, const diag *d)
{
    strbuf_puts(b, "    <testcase classname=\"");
    put_xml(b, d->src->path);
    strbuf_printf(b, "\" name=\"%s at line %d, column %d\" file=\"", d->rule_id, d->pos.line,
                  d->pos.col);
    put_xml(b, d->src->path);
    strbuf_printf(b, "\" line=\"%d\">\n      <failure type=\"%s\" message=\"", d->pos.line,
                  diag_level_name(d->level));
    put_xml(b, d->message);
    strbuf_printf(b, " [%s]\">", d->rule_id);
    put_xml(b, d->src->path);
    strbuf_printf(b, ":%d:%d: %s: ", d->pos.line, d->pos.col, diag_level_name(d->level));
    put_xml(b, d->message);
    if (d->help) {
        strbuf_puts(b, "\nhelp: ");
        put_xml(b, d->help);
    }
    strbuf_puts(b, "</failure>\n    </testcase>\n");
}

static void put_suite(strbuf *b, const report_input *in, const source *src)
{
    size_t counts[4];
    size_t n = file_findings(in, src, counts);
    strbuf_puts(b, "  <testsuite name=\"");
    put_xml(b, src->path);
    strbuf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", n ? n : 1,
                  n);
    if (!n) {
        strbuf_puts(b, "    <testcase classname=\"");
        put_xml(b, src->path);
        strbuf_puts(b, "\" name=\"migralint\"/>\n");
    }
    for (size_t i = 0; i < in->diags->count; i++) {
        const diag *d = in->diags->items[i];
        if (!d->suppressed && (d->src == src || d->src->host == src))
            put_case(b, d);
    }
    strbuf_puts(b, "  </testsuite>\n");
}

int report_junit(FILE *out, const report_input *in)
{
    report_totals t;
    report_count(in, &t);
    size_t clean = 0;
    for (size_t i = 0; i < in->nfiles; i++) {
        size_t counts[4];
        clean += file_findings(in, in->files[i], counts) == 0;
    }
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"migralint\" tests=\"%zu\" failures=\"%zu\" "
                  "errors=\"0\">\n",
                  t.all + clean, t.all);
    int rc = report_flush(out, &b);
    for (size_t i = 0; i < in->nfiles && rc == 0; i++) {
        strbuf_reset(&b);
        put_suite(&b, in, in->files[i]);
        rc = report_flush(out, &b);
    }
    strbuf_reset(&b);
    strbuf_puts(&b, "</testsuites>\n");
    if (rc == 0)
        rc = report_flush(out, &b);
    strbuf_free(&b);
    return rc == 0 && ferror(out) ? -1 : rc;
}
