/* server.c - the language server's lifecycle and methods: initialize,
 * text synchronisation (full text), diagnostics, hover with the rule's
 * document, and a quick fix that writes the migralint-ignore directive.
 *
 * Every message is answered or dropped on purpose: a malformed one gets a
 * JSON-RPC error and the server carries on; nothing but protocol messages
 * is written to stdout (logs go to stderr). */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

#include "../report/report.h"
#include "../rules/ruledoc.h"
#include "diagnose.h"
#include "rpc.h"
#include "text.h"
#include "../engine/engine.h"
#include "../engine/session.h"

typedef struct document {
    char *uri, *path; /* path NULL for URIs that are not file:// */
    char *text;
    size_t len;
    int version;
    bool dirty;   /* changed since it was last linted */
    bool stale;   /* another open migration of its folder changed: lint when idle */
    cJSON *diags; /* as last published */
} document;

typedef enum { UNINITIALIZED, RUNNING, SHUTTING_DOWN } server_state;

typedef struct server {
    const cli_options *o;
    FILE *out;
    server_state state;
    char *workspace; /* rootUri's path, NULL when none */
    document *docs;
    size_t ndocs, cap;
    rpc_reader *in;
    session *keep; /* texts and replayed schemas kept between lints */
} server;

static document *find_doc(server *s, const char *uri)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (!strcmp(s->docs[i].uri, uri))
            return &s->docs[i];
    return NULL;
}

static void doc_free(document *d)
{
    free(d->uri);
    free(d->path);
    free(d->text);
    cJSON_Delete(d->diags);
}

static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool int_at(const cJSON *o, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        return false;
    *out = v->valueint;
    return true;
}

static void show_message(server *s, int type, const char *text)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "type", type);
    cJSON_AddStringToObject(p, "message", text);
    rpc_notify(s->out, "window/showMessage", p);
}

static void publish(server *s, const char *uri, const int *version, cJSON *diags)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", uri);
    if (version)
        cJSON_AddNumberToObject(p, "version", *version);
    cJSON_AddItemToObject(p, "diagnostics", diags);
    rpc_notify(s->out, "textDocument/publishDiagnostics", p);
}

/* Lints d and publishes the result. A document that is not a file (an
 * untitled buffer) is linted as a loose SQL file in the workspace. */
static void lint_doc(server *s, document *d)
{
    char err[512] = "", untitled[4096];
    const char *path = d->path;
    if (!path) {
        snprintf(untitled, sizeof untitled, "%s/untitled.sql", s->workspace ? s->workspace : "/");
        path = untitled;
    }
    cJSON *diags =
        lsp_diagnose(s->o, s->keep, s->workspace, path, d->text, d->len, err, sizeof err);
    if (!diags) {
        show_message(s, 1, err);
        diags = cJSON_CreateArray();
    }
    cJSON_Delete(d->diags);
    d->diags = diags;
    publish(s, d->uri, &d->version, cJSON_Duplicate(diags, true));
}

static const cJSON *text_document(const cJSON *params, const char **uri)
{
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
    *uri = cJSON_IsObject(td) ? str_at(td, "uri") : NULL;
    return *uri ? td : NULL;
}

static void set_text(document *d, const char *text)
{
    free(d->text);
    d->len = strlen(text);
    d->text = strdup(text);
    if (!d->text)
        abort();
}

static bool same_folder(const char *a, const char *b)
{
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    return sa && sb && sa - a == sb - b && !strncmp(a, b, (size_t)(sa - a));
}

/* d's text is what the engine reads for its file from now on, also when it
 * lints the other migrations of the folder: those open in the editor are
 * linted again in the background (lint_dirty), since d may build or drop
 * what they use. NULL text: d was closed, the disk speaks again. */
static void share_text(server *s, document *d, bool closed)
{
    if (!d->path)
        return;
    session_overlay(s->keep, d->path, closed ? NULL : d->text, d->len);
    for (size_t i = 0; i < s->ndocs; i++)
        if (&s->docs[i] != d && s->docs[i].path && same_folder(s->docs[i].path, d->path))
            s->docs[i].stale = true;
}

/* ---- notifications: a malformed one is logged and dropped ---- */

static void did_open(server *s, const cJSON *params)
{
    const char *uri, *text;
    const cJSON *td = text_document(params, &uri);
    if (!td || !(text = str_at(td, "text"))) {
        fputs("migralint lsp: didOpen without textDocument.uri/text, ignored\n", stderr);
        return;
    }
    document *d = find_doc(s, uri);
    if (!d) {
        if (s->ndocs == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 8;
            s->docs = realloc(s->docs, s->cap * sizeof *s->docs);
            if (!s->docs)
                abort();
        }
        d = &s->docs[s->ndocs++];
        memset(d, 0, sizeof *d);
        d->uri = strdup(uri);
        d->path = lsp_uri_to_path(uri);
    }
    d->version = 0;
    int_at(td, "version", &d->version);
    set_text(d, text);
    d->dirty = true;
    share_text(s, d, false);
}

static void did_change(server *s, const cJSON *params)
{
    const char *uri;
    const cJSON *td = text_document(params, &uri);
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
    document *d = td ? find_doc(s, uri) : NULL;
    int n = cJSON_IsArray(changes) ? cJSON_GetArraySize(changes) : 0;
    const char *text = n ? str_at(cJSON_GetArrayItem(changes, n - 1), "text") : NULL;
    if (!d || !text) {
        fprintf(stderr, "migralint lsp: didChange for %s ignored (%s)\n", uri ? uri : "?",
                !d ? "document not open" : "no full text in contentChanges");
        return;
    }
    /* Full sync: the last change holds the whole text. */
    int_at(td, "version", &d->version);
    set_text(d, text);
    d->dirty = true;
    share_text(s, d, false);
}

/* Lints the documents changed since their last lint. Called when no more
 * input is waiting, so a burst of changes costs one lint, and before a
 * request that reads the findings. Then, while no input waits, the other
 * open migrations of an edited folder, one at a time: a new edit comes
 * first, and they are linted again after it (the newest results win). */
static void lint_dirty(server *s)
{
    for (size_t i = 0; i < s->ndocs; i++) {
        if (s->docs[i].dirty) {
            s->docs[i].dirty = s->docs[i].stale = false;
            lint_doc(s, &s->docs[i]);
        }
    }
    for (size_t i = 0; i < s->ndocs && !rpc_pending(s->in); i++) {
        if (s->docs[i].stale) {
            s->docs[i].stale = false;
            lint_doc(s, &s->docs[i]);
        }
    }
}

/* Saving may change the context of the other open migrations of the
 * folder (an earlier one now creates a table), so all are linted again. */
static void did_save(server *s, const cJSON *params)
{
    const char *uri, *text;
    const cJSON *td = text_document(params, &uri);
    document *d = td ? find_doc(s, uri) : NULL;
    if (d && (text = str_at(params, "text"))) {
        set_text(d, text);
        share_text(s, d, false);
    }
    for (size_t i = 0; i < s->ndocs; i++)
        s->docs[i].dirty = true;
}

static void did_close(server *s, const cJSON *params)
{
    const char *uri;
    document *d = text_document(params, &uri) ? find_doc(s, uri) : NULL;
    if (!d)
        return;
    d->dirty = false;
    share_text(s, d, true);
    publish(s, d->uri, NULL, cJSON_CreateArray()); /* stale findings disappear */
    doc_free(d);
    *d = s->docs[--s->ndocs];
}

/* ---- requests ---- */

static cJSON *capabilities(void)
{
    cJSON *r = cJSON_CreateObject(), *caps = cJSON_AddObjectToObject(r, "capabilities");
    cJSON_AddStringToObject(caps, "positionEncoding", "utf-16");
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", 1); /* full text */
    cJSON_AddItemToObject(sync, "save", cJSON_CreateObject());
    cJSON_AddBoolToObject(caps, "hoverProvider", true);
    cJSON *ca = cJSON_AddObjectToObject(caps, "codeActionProvider");
    cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
    cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
    cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(info, "name", "migralint");
    cJSON_AddStringToObject(info, "version", MIGRALINT_VERSION);
    return r;
}

static void initialize(server *s, const cJSON *id, const cJSON *params)
{
    const char *root = str_at(params, "rootUri");
    const cJSON *folders = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
    if (!root && cJSON_IsArray(folders) && cJSON_GetArraySize(folders) > 0)
        root = str_at(cJSON_GetArrayItem(folders, 0), "uri");
    free(s->workspace);
    s->workspace = root ? lsp_uri_to_path(root) : NULL;
    if (!s->workspace && str_at(params, "rootPath")) /* LSP 2 clients */
        s->workspace = strdup(str_at(params, "rootPath"));
    s->state = RUNNING;
    rpc_reply(s->out, id, capabilities());
}

static bool read_pos(const cJSON *o, lsp_pos *p)
{
    return cJSON_IsObject(o) && int_at(o, "line", &p->line) &&
           int_at(o, "character", &p->character);
}

static bool read_range(const cJSON *r, lsp_pos *a, lsp_pos *b)
{
    return cJSON_IsObject(r) && read_pos(cJSON_GetObjectItemCaseSensitive(r, "start"), a) &&
           read_pos(cJSON_GetObjectItemCaseSensitive(r, "end"), b);
}

static void diag_range(const cJSON *d, lsp_pos *a, lsp_pos *b)
{
    *a = *b = (lsp_pos){0, 0};
    read_range(cJSON_GetObjectItemCaseSensitive(d, "range"), a, b);
}

static cJSON *hover_of(const cJSON *d)
{
    const char *id = str_at(d, "code");
    const rule_doc *doc = id ? ruledoc_find(id) : NULL;
    strbuf md = STRBUF_INIT;
    strbuf_printf(&md, "**%s** (%s)\n\n", id ? id : "?",
                  doc ? diag_level_name(doc->level) : "migralint");
    strbuf_puts(&md, str_at(d, "message") ? str_at(d, "message") : "");
    if (doc)
        strbuf_printf(&md, "\n\n---\n\n%s", doc->markdown);
    cJSON *r = cJSON_CreateObject(), *c = cJSON_AddObjectToObject(r, "contents");
    cJSON_AddStringToObject(c, "kind", "markdown");
    cJSON_AddStringToObject(c, "value", md.data);
    strbuf_free(&md);
    cJSON_AddItemToObject(r, "range",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(d, "range"), true));
    return r;
}

/* The finding under the cursor (the first, when several overlap). */
static void hover(server *s, const cJSON *id, const cJSON *params)
{
    const char *uri;
    lsp_pos at;
    if (!text_document(params, &uri) ||
        !read_pos(cJSON_GetObjectItemCaseSensitive(params, "position"), &at)) {
        rpc_error(s->out, id, RPC_INVALID_PARAMS, "hover needs textDocument.uri and position");
        return;
    }
    document *doc = find_doc(s, uri);
    cJSON *list = doc ? doc->diags : NULL, *d;
    cJSON_ArrayForEach(d, list)
    {
        lsp_pos a, b;
        diag_range(d, &a, &b);
        if (lsp_pos_cmp(a, at) <= 0 && lsp_pos_cmp(at, b) <= 0) {
            rpc_reply(s->out, id, hover_of(d));
            return;
        }
    }
    rpc_reply(s->out, id, NULL);
}

/* The quick fix for one finding: a directive line above its statement (or
 * an -ignore-file one at the top for file-level findings). The reason is
 * left for the user to write: until they do, ignore-without-reason says
 * so, and the finding stays. */
static cJSON *ignore_action(const char *uri, const cJSON *d)
{
    const char *rule = str_at(d, "code");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(d, "data");
    bool file = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "file"));
    int line = 0;
    const char *indent = file ? "" : str_at(data, "indent");
    if (!rule || (!file && (!int_at(data, "statementLine", &line) || !indent)))
        return NULL;
    cJSON *a = cJSON_CreateObject();
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "Ignore %s %s (migralint-ignore; write the reason)", rule,
                  file ? "in this file" : "for this statement");
    cJSON_AddStringToObject(a, "title", b.data);
    strbuf_reset(&b);
    cJSON_AddStringToObject(a, "kind", "quickfix");
    cJSON *ds = cJSON_AddArrayToObject(a, "diagnostics");
    cJSON_AddItemToArray(ds, cJSON_Duplicate(d, true));
    cJSON *changes = cJSON_AddObjectToObject(cJSON_AddObjectToObject(a, "edit"), "changes");
    cJSON *edits = cJSON_AddArrayToObject(changes, uri), *e = cJSON_CreateObject();
    cJSON *r = cJSON_AddObjectToObject(e, "range");
    for (int k = 0; k < 2; k++) {
        cJSON *p = cJSON_AddObjectToObject(r, k ? "end" : "start");
        cJSON_AddNumberToObject(p, "line", line);
        cJSON_AddNumberToObject(p, "character", 0);
    }
    strbuf_printf(&b, "%s-- migralint-ignore%s %s: \n", indent, file ? "-file" : "", rule);
    cJSON_AddStringToObject(e, "newText", b.data);
    strbuf_free(&b);
    cJSON_AddItemToArray(edits, e);
    return a;
}

/* One quick fix per finding of the last lint that overlaps the range
 * (findings of migralint's own directives excepted: ignoring those makes
 * no sense). */
static void code_action(server *s, const cJSON *id, const cJSON *params)
{
    const char *uri;
    lsp_pos a, b;
    if (!text_document(params, &uri) ||
        !read_range(cJSON_GetObjectItemCaseSensitive(params, "range"), &a, &b)) {
        rpc_error(s->out, id, RPC_INVALID_PARAMS, "codeAction needs textDocument.uri and range");
        return;
    }
    document *doc = find_doc(s, uri);
    cJSON *actions = cJSON_CreateArray();
    cJSON *list = doc ? doc->diags : NULL, *d;
    cJSON_ArrayForEach(d, list)
    {
        lsp_pos da, db;
        diag_range(d, &da, &db);
        const char *rule = str_at(d, "code");
        if (lsp_pos_cmp(db, a) < 0 || lsp_pos_cmp(b, da) < 0 || !rule ||
            !strcmp(rule, "ignore-without-reason") || !strcmp(rule, "unknown-rule-in-ignore"))
            continue;
        cJSON *act = ignore_action(uri, d);
        if (act)
            cJSON_AddItemToArray(actions, act);
    }
    rpc_reply(s->out, id, actions);
}

/* ---- dispatch ---- */

static void notification(server *s, const char *method, const cJSON *params)
{
    if (s->state != RUNNING)
        return; /* before initialize and after shutdown: dropped, as LSP says */
    if (!cJSON_IsObject(params)) {
        if (!strncmp(method, "textDocument/", 13))
            fprintf(stderr, "migralint lsp: %s without params, ignored\n", method);
        return;
    }
    if (!strcmp(method, "textDocument/didOpen"))
        did_open(s, params);
    else if (!strcmp(method, "textDocument/didChange"))
        did_change(s, params);
    else if (!strcmp(method, "textDocument/didSave"))
        did_save(s, params);
    else if (!strcmp(method, "textDocument/didClose"))
        did_close(s, params);
    /* initialized, $/cancelRequest, workspace/... : nothing to do */
}

static void request(server *s, const cJSON *id, const char *method, const cJSON *params)
{
    bool init = !strcmp(method, "initialize");
    if (s->state == UNINITIALIZED && !init) {
        rpc_error(s->out, id, RPC_SERVER_NOT_INITIALIZED, "the server is not initialized yet");
        return;
    }
    if (s->state == SHUTTING_DOWN) {
        rpc_error(s->out, id, RPC_INVALID_REQUEST, "the server is shutting down");
        return;
    }
    if (init && s->state != UNINITIALIZED) {
        rpc_error(s->out, id, RPC_INVALID_REQUEST, "initialize was already received");
        return;
    }
    if (!strcmp(method, "shutdown")) {
        s->state = SHUTTING_DOWN;
        rpc_reply(s->out, id, NULL);
        return;
    }
    if (!cJSON_IsObject(params)) {
        rpc_error(s->out, id,
                  init || !strncmp(method, "textDocument/", 13) ? RPC_INVALID_PARAMS
                                                                : RPC_METHOD_NOT_FOUND,
                  "params must be an object");
        return;
    }
    lint_dirty(s); /* hover and code actions read the latest findings */
    if (init)
        initialize(s, id, params);
    else if (!strcmp(method, "textDocument/hover"))
        hover(s, id, params);
    else if (!strcmp(method, "textDocument/codeAction"))
        code_action(s, id, params);
    else
        rpc_error(s->out, id, RPC_METHOD_NOT_FOUND, "method not supported by migralint");
}

/* Returns -1 to go on, else the exit code. */
static int handle(server *s, const cJSON *msg)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const char *method = cJSON_IsObject(msg) ? str_at(msg, "method") : NULL;
    bool valid_id = id && (cJSON_IsNumber(id) || cJSON_IsString(id));
    if (!method) {
        /* A response to a request of ours (we send none) is ignored. */
        if (cJSON_IsObject(msg) && (cJSON_GetObjectItemCaseSensitive(msg, "result") ||
                                    cJSON_GetObjectItemCaseSensitive(msg, "error")))
            return -1;
        rpc_error(s->out, valid_id ? id : NULL, RPC_INVALID_REQUEST,
                  "not a JSON-RPC request or notification");
        return -1;
    }
    if (id && !valid_id) {
        rpc_error(s->out, NULL, RPC_INVALID_REQUEST, "id must be a number or a string");
        return -1;
    }
    if (!strcmp(method, "exit"))
        return s->state == SHUTTING_DOWN ? 0 : 1;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    if (id)
        request(s, id, method, params);
    else
        notification(s, method, params);
    return -1;
}

int lsp_serve(const cli_options *o, int in_fd, FILE *out)
{
    static rpc_reader in; /* 64 KiB: not on the stack */
    rpc_reader_init(&in, in_fd);
    server s = {.o = o, .out = out, .in = &in, .keep = session_new()};
    int rc = -1;
    engine_global_hold(); /* each lint opens the repository: load libgit2 once */
    while (rc < 0) {
        cJSON *msg;
        if (!rpc_pending(&in))
            lint_dirty(&s);
        /* Idle: ready the next edit's copy of the kept schema. */
        while (!rpc_pending(&in) && session_prepare(s.keep))
            ;
        switch (rpc_read(&in, &msg)) {
        case RPC_OK:
            rc = handle(&s, msg);
            cJSON_Delete(msg);
            break;
        case RPC_INVALID:
            rpc_error(out, NULL, RPC_PARSE_ERROR, "the message body is not valid JSON");
            break;
        case RPC_BAD_HEADER:
            fputs("migralint lsp: a message header without a valid Content-Length, skipped\n",
                  stderr);
            break;
        case RPC_EOF:
            rc = s.state == SHUTTING_DOWN ? 0 : 1;
            break;
        }
    }
    for (size_t i = 0; i < s.ndocs; i++)
        doc_free(&s.docs[i]);
    free(s.docs);
    free(s.workspace);
    session_free(s.keep);
    engine_global_release();
    return rc;
}
