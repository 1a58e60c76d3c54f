/* github.c - `--format github`: GitHub Actions workflow commands, so each
 * finding becomes an annotation on the pull request diff:
 *
 *   ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE
 *
 * GitHub shows at most 10 annotations per level per step (50 per job) and
 * drops the rest silently, so the report ends with a plain line giving the
 * real totals, and when $GITHUB_STEP_SUMMARY names a file the full list is
 * appended there as Markdown tables, one per file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/ruledoc.h"
#include "report.h"
#include "report_util.h"

/* Workflow command escaping: '%', CR and LF everywhere; ':' and ',' too in
 * property values, where they would end the value. */
static void put_escaped(strbuf *b, const char *s, bool property)
{
    for (; s && *s; s++) {
        if (*s == '%')
            strbuf_puts(b, "%25");
        else if (*s == '\r')
            strbuf_puts(b, "%0D");
        else if (*s == '\n')
            strbuf_puts(b, "%0A");
        else if (property && *s == ':')
            strbuf_puts(b, "%3A");
        else if (property && *s == ',')
            strbuf_puts(b, "%2C");
        else
            strbuf_putc(b, *s);
    }
}

static const char *command_for(diag_level level)
{
    return level == LEVEL_ERROR ? "error" : level == LEVEL_WARNING ? "warning" : "notice";
}

/* The annotation body: the message, the help and the related locations,
 * one per line. */
static void put_body(strbuf *b, const diag *d)
{
    strbuf body = STRBUF_INIT;
    strbuf_puts(&body, d->message ? d->message : "");
    if (d->help)
        strbuf_printf(&body, "\n%s", d->help);
    for (size_t i = 0; i < d->nrelated; i++) {
        const diag_related *r = &d->related[i];
        strbuf_printf(&body, "\n%s:%d:%d: %s", r->path, r->pos.line, r->pos.col,
                      r->message ? r->message : "");
    }
    put_escaped(b, body.data, false);
    strbuf_free(&body);
}

static void put_annotation(strbuf *b, const diag *d)
{
    strbuf_printf(b, "::%s file=", command_for(d->level));
    put_escaped(b, d->src->path, true);
    strbuf_printf(b, ",line=%d,col=%d,endLine=%d,endColumn=%d,title=", d->pos.line, d->pos.col,
                  d->end_pos.line, d->end_pos.col);
    put_escaped(b, d->rule_id, true);
    strbuf_puts(b, "::");
    put_body(b, d);
    strbuf_putc(b, '\n');
}

/* "N findings (E errors, W warnings, K notes) in F files" */
static void put_totals(strbuf *b, const report_input *in)
{
    report_totals t;
    report_count(in, &t);
    report_plural(b, t.all, "finding");
    strbuf_puts(b, " (");
    report_levels(b, &t);
    strbuf_puts(b, ") in ");
    report_plural(b, in->nfiles, "file");
}

/* Table cells and headings: backslash-escape the Markdown that would change
 * the layout (a '|' ends the cell), and keep HTML out of the page. */
static void put_markdown(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\n')
            strbuf_puts(b, "<br>");
        else if (*s == '\r')
            continue;
        else if (*s == '<')
            strbuf_puts(b, "&lt;");
        else if (*s == '>')
            strbuf_puts(b, "&gt;");
        else if (*s == '&')
            strbuf_puts(b, "&amp;");
        else if (strchr("\\`*_[]|~#", *s))
            strbuf_printf(b, "\\%c", *s);
        else
            strbuf_putc(b, *s);
    }
}

static void put_summary_row(strbuf *b, const diag *d)
{
    char url[256];
    const rule_doc *doc = ruledoc_find(d->rule_id);
    strbuf_printf(b, "| %d | %s | ", d->pos.line, diag_level_name(d->level));
    if (doc)
        strbuf_printf(b, "[`%s`](%s)", d->rule_id, ruledoc_url(doc, url, sizeof url));
    else
        strbuf_printf(b, "`%s`", d->rule_id);
    strbuf_puts(b, " | ");
    put_markdown(b, d->message);
    strbuf_puts(b, " |\n");
}

static void put_summary_tables(strbuf *b, const report_input *in)
{
    const char *path = NULL;
    for (size_t i = 0; i < in->diags->count; i++) {
        const diag *d = in->diags->items[i];
        if (d->suppressed)
            continue;
        if (!path || strcmp(path, d->src->path) != 0) {
            path = d->src->path;
            strbuf_puts(b, "\n### ");
            put_markdown(b, path);
            if (d->risk)
                strbuf_printf(b, " (%s risk)", d->risk);
            strbuf_puts(b, "\n\n| Line | Level | Rule | Message |\n| ---: | --- | --- | --- |\n");
        }
        put_summary_row(b, d);
    }
}

/* A job summary that cannot be written costs the reader the full list, not
 * the check its result, so it is a warning on stderr rather than a failure. */
static void write_step_summary(const report_input *in)
{
    const char *file = getenv("GITHUB_STEP_SUMMARY");
    if (!file || !*file)
        return;
    strbuf b = STRBUF_INIT;
    strbuf_puts(&b, "## migralint\n\n");
    put_totals(&b, in);
    strbuf_puts(&b, ".\n");
    put_summary_tables(&b, in);
    strbuf_putc(&b, '\n');
    FILE *f = fopen(file, "a");
    int rc = f ? report_flush(f, &b) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "migralint: GITHUB_STEP_SUMMARY %s: %s\n", file, strerror(errno));
    strbuf_free(&b);
}

int report_github(FILE *out, const report_input *in)
{
    strbuf b = STRBUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < in->diags->count && rc == 0; i++) {
        const diag *d = in->diags->items[i];
        if (d->suppressed)
            continue;
        put_annotation(&b, d);
        rc = report_flush(out, &b);
        strbuf_reset(&b);
    }
    if (rc == 0) {
        strbuf_puts(&b, "migralint: ");
        put_totals(&b, in);
        strbuf_putc(&b, '\n');
        rc = report_flush(out, &b);
    }
    strbuf_free(&b);
    write_step_summary(in);
    return rc;
}
