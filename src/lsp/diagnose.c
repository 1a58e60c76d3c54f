/* diagnose.c - the language server's lint run (see diagnose.h): the same
 * configuration lookup, levels and catalog context as `migralint check` on
 * the document's folder, with the editor's text in place of the file. */
#include "diagnose.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../engine/session.h"
#include "../rules/ruledoc.h"
#include "text.h"

static cJSON *position(lsp_pos p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", p.line);
    cJSON_AddNumberToObject(o, "character", p.character);
    return o;
}

static cJSON *range(lsp_pos a, lsp_pos b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "start", position(a));
    cJSON_AddItemToObject(o, "end", position(b));
    return o;
}

/* A related location: converted from its bytes when its source is at hand,
 * else from its code point column (exact unless the line holds characters
 * above U+FFFF before it). */
static cJSON *related(const char *root, const diag_related *r)
{
    cJSON *o = cJSON_CreateObject(), *loc = cJSON_AddObjectToObject(o, "location");
    strbuf uri = STRBUF_INIT;
    if (r->path[0] == '/')
        lsp_path_to_uri(&uri, r->path);
    else {
        char abs[2 * PATH_MAX];
        snprintf(abs, sizeof abs, "%s/%s", root, r->path);
        lsp_path_to_uri(&uri, abs);
    }
    cJSON_AddStringToObject(loc, "uri", uri.data);
    strbuf_free(&uri);
    lsp_pos a = {r->pos.line - 1, r->pos.col - 1}, b = {r->end_pos.line - 1, r->end_pos.col - 1};
    if (r->src) {
        a = lsp_pos_of(r->src, r->start);
        b = lsp_pos_of(r->src, r->end);
    }
    if (a.line < 0 || a.character < 0)
        a = (lsp_pos){0, 0};
    if (lsp_pos_cmp(b, a) < 0)
        b = a;
    cJSON_AddItemToObject(loc, "range", range(a, b));
    cJSON_AddStringToObject(o, "message", r->message ? r->message : "");
    return o;
}

static int severity(diag_level level)
{
    return level == LEVEL_ERROR ? 1 : level == LEVEL_WARNING ? 2 : 3;
}

/* Where an ignore directive for d goes: the line its statement starts on,
 * with that line's indentation. */
static cJSON *directive_data(const diag *d)
{
    cJSON *o = cJSON_CreateObject();
    if (d->stmt_index < 0) {
        cJSON_AddBoolToObject(o, "file", true);
        return o;
    }
    lsp_pos p = lsp_pos_of(d->src, d->stmt_start);
    size_t start = d->src->line_starts[p.line], n = 0;
    while (start + n < d->src->len &&
           (d->src->text[start + n] == ' ' || d->src->text[start + n] == '\t'))
        n++;
    cJSON_AddNumberToObject(o, "statementLine", p.line);
    char *indent = strndup(d->src->text + start, n);
    cJSON_AddStringToObject(o, "indent", indent);
    free(indent);
    return o;
}

static cJSON *to_lsp(const char *root, const diag *d)
{
    cJSON *o = cJSON_CreateObject();
    lsp_pos a = lsp_pos_of(d->src, d->start),
            b = lsp_pos_of(d->src, d->end > d->start ? d->end : d->start);
    cJSON_AddItemToObject(o, "range", range(a, b));
    cJSON_AddNumberToObject(o, "severity", severity(d->level));
    cJSON_AddStringToObject(o, "code", d->rule_id);
    const rule_doc *doc = ruledoc_find(d->rule_id);
    if (doc) {
        char url[256];
        cJSON *cd = cJSON_AddObjectToObject(o, "codeDescription");
        cJSON_AddStringToObject(cd, "href", ruledoc_url(doc, url, sizeof url));
    }
    cJSON_AddStringToObject(o, "source", "migralint");
    strbuf msg = STRBUF_INIT;
    strbuf_puts(&msg, d->message ? d->message : d->rule_id);
    if (d->help)
        strbuf_printf(&msg, "\nhelp: %s", d->help);
    cJSON_AddStringToObject(o, "message", msg.data);
    strbuf_free(&msg);
    if (d->nrelated) {
        cJSON *arr = cJSON_AddArrayToObject(o, "relatedInformation");
        for (size_t i = 0; i < d->nrelated; i++)
            cJSON_AddItemToArray(arr, related(root, &d->related[i]));
    }
    cJSON_AddItemToObject(o, "data", directive_data(d));
    return o;
}

static cJSON *lint(engine *e, struct session *keep, const char *fs_path, const char *text,
                   size_t len)
{
    engine_result r;
    const char *rel = engine_lint_buffer(e, fs_path, text, len, &r);
    if (keep && engine_options(e)->verbose) { /* what the kept state saved (tests/t_lsp.sh) */
        session_stats st = session_get_stats(keep);
        fprintf(stderr,
                "migralint lsp: %s linted; kept state: %zu resumes (%zu migrations not "
                "replayed), %zu sets reused, %zu texts kept\n",
                rel, st.resumed, st.skipped, st.layouts_reused, st.files);
    }
    diag_list_finalize(r.diags);
    cJSON *out = cJSON_CreateArray();
    for (size_t i = 0; i < r.diags->count; i++) {
        const diag *d = r.diags->items[i];
        if (!d->suppressed && d->src && !strcmp(d->src->path, rel))
            cJSON_AddItemToArray(out, to_lsp(engine_root(e), d));
    }
    return out;
}

cJSON *lsp_diagnose(const cli_options *o, struct session *keep, const char *workspace,
                    const char *fs_path, const char *text, size_t len, char *err, size_t errsize)
{
    char dir[PATH_MAX], cfg_path[PATH_MAX] = "";
    snprintf(dir, sizeof dir, "%s", fs_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    engine *e;
    cJSON *out = NULL;
    if (engine_open_editor(&e, o, dir, workspace, keep, cfg_path, sizeof cfg_path) == 0)
        out = lint(e, keep, fs_path, text, len);
    else
        snprintf(err, errsize,
                 "migralint: %s is not valid, so nothing is linted (the server's log says where)",
                 cfg_path);
    engine_close(e);
    return out;
}
