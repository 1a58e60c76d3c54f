/* diagnose.c - the language server's lint run (see diagnose.h): the same
 * configuration lookup, levels and catalog context as `migralint check` on
 * the document's folder, with the editor's text in place of the file. */
#include "diagnose.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "../engine/pipeline.h"
#include "../config/config.h"
#include "../rules/ruledoc.h"
#include "text.h"

/* The work tree holding dir, or the workspace when it holds dir, or dir. */
static void find_root(const char *workspace, const char *dir, char *buf, size_t size)
{
    git_repository *repo = NULL;
    snprintf(buf, size, "%s", dir);
    git_libgit2_init();
    if (git_repository_open_ext(&repo, dir, 0, NULL) == 0 && git_repository_workdir(repo)) {
        snprintf(buf, size, "%s", git_repository_workdir(repo));
        size_t n = strlen(buf);
        if (n > 1 && buf[n - 1] == '/')
            buf[n - 1] = '\0';
    } else if (workspace) {
        size_t n = strlen(workspace);
        if (!strncmp(dir, workspace, n) && (dir[n] == '/' || !dir[n]))
            snprintf(buf, size, "%s", workspace);
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
}

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

/* path receives the file read, for the error message. */
static bool load_config(const char *explicit, const char *dir, const char *root, arena *a,
                        config *cfg, char *path, size_t size)
{
    memset(cfg, 0, sizeof *cfg);
    if (explicit) {
        snprintf(path, size, "%s", explicit);
        return config_load(explicit, a, cfg);
    }
    if (config_find(dir, root, path, size))
        return config_load(path, a, cfg);
    return true;
}

static cJSON *lint(const cli_options *o, const char *root, const config *cfg, const char *fs_path,
                   const char *text, size_t len)
{
    arena *a = arena_new();
    diag_list diags;
    diag_list_init(&diags, a);
    pipeline p = {
        .a = a, .root = root, .o = o, .cfg = cfg, .l = linter_new(&diags), .diags = &diags};
    linter_set_pg_version(p.l, o->pg_version, o->pg_version_why);
    const char *rel = pipeline_lint_buffer(&p, fs_path, text, len);
    diag_list_finalize(&diags);
    cJSON *out = cJSON_CreateArray();
    for (size_t i = 0; i < diags.count; i++) {
        const diag *d = diags.items[i];
        if (!d->suppressed && d->src && !strcmp(d->src->path, rel))
            cJSON_AddItemToArray(out, to_lsp(root, d));
    }
    linter_free(p.l);
    pipeline_free(&p);
    diag_list_free(&diags);
    arena_free(a);
    return out;
}

cJSON *lsp_diagnose(const cli_options *opts, const char *workspace, const char *fs_path,
                    const char *text, size_t len, char *err, size_t errsize)
{
    char dir[PATH_MAX], root[PATH_MAX], cfg_path[PATH_MAX] = "";
    snprintf(dir, sizeof dir, "%s", fs_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    find_root(workspace, dir, root, sizeof root);
    arena *a = arena_new();
    config cfg;
    cJSON *out = NULL;
    if (load_config(opts->config, dir, root, a, &cfg, cfg_path, sizeof cfg_path)) {
        cli_options o = *opts; /* the config fills what the command line left unset */
        cli_settle_pg_version(&o, &cfg, root, a);
        if (!o.has_max_file_size && cfg.max_file_size)
            o.max_file_size = cfg.max_file_size;
        out = lint(&o, root, &cfg, fs_path, text, len);
    } else {
        snprintf(err, errsize,
                 "migralint: %s is not valid, so nothing is linted (the server's log says where)",
                 cfg_path);
    }
    config_free(&cfg);
    arena_free(a);
    return out;
}
