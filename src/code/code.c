/* code.c - what the code-migration readers share: notes, the virtual SQL
 * of a step, synthesized statements, module constants, the Django
 * settings. Below the readers and their entry point (read.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../orm/tsq.h"
#include "internal.h"

bool code_node_is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

char *code_node_text(const code_ctx *c, TSNode n)
{
    if (ts_node_is_null(n)) /* tree-sitter's accessors crash on a null node */
        return arena_strdup(c->a, "");
    return arena_strndup(c->a, c->host->text + ts_node_start_byte(n),
                         ts_node_end_byte(n) - ts_node_start_byte(n));
}

bool code_text_is(const code_ctx *c, TSNode n, const char *s)
{
    if (ts_node_is_null(n))
        return false;
    size_t len = ts_node_end_byte(n) - ts_node_start_byte(n);
    return strlen(s) == len && memcmp(c->host->text + ts_node_start_byte(n), s, len) == 0;
}

int code_node_line(const code_ctx *c, TSNode n)
{
    return source_position(c->host, ts_node_start_byte(n)).line;
}

void code_note(code_ctx *c, TSNode at, const char *fmt, ...)
{
    code_migration *m = c->out;
    if (m->nnotes == c->notes_cap) {
        c->notes_cap = c->notes_cap ? c->notes_cap * 2 : 8;
        const char **grown = arena_alloc(c->a, c->notes_cap * sizeof *grown);
        if (m->nnotes)
            memcpy(grown, m->notes, m->nnotes * sizeof *grown);
        m->notes = grown;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    m->notes[m->nnotes++] =
        arena_printf(c->a, "%s:%d: %s", c->host->path, code_node_line(c, at), msg);
}

const char *code_resolve(void *ud, const char *name, size_t len)
{
    const code_ctx *c = ud;
    for (size_t i = c->nconsts; i-- > 0;)
        if (strlen(c->const_names[i]) == len && !memcmp(c->const_names[i], name, len))
            return c->const_values[i];
    return NULL;
}

char *code_string(code_ctx *c, TSNode n)
{
    return code_lit_string(c->a, c->host, c->lang, n, code_resolve, c);
}

static void add_constant(code_ctx *c, TSNode name, TSNode value)
{
    if (!code_node_is(name, "identifier") || ts_node_is_null(value))
        return;
    char *v = code_string(c, value);
    if (!v)
        return;
    if (c->nconsts == c->consts_cap) {
        size_t cap = c->consts_cap ? c->consts_cap * 2 : 16;
        const char **n = arena_alloc(c->a, cap * sizeof *n),
                   **vv = arena_alloc(c->a, cap * sizeof *vv);
        if (c->nconsts) {
            memcpy(n, c->const_names, c->nconsts * sizeof *n);
            memcpy(vv, c->const_values, c->nconsts * sizeof *vv);
        }
        c->const_names = n, c->const_values = vv, c->consts_cap = cap;
    }
    c->const_names[c->nconsts] = code_node_text(c, name);
    c->const_values[c->nconsts++] = v;
}

void code_collect_constants(code_ctx *c, TSNode root)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode n = ts_node_named_child(root, i);
        if (code_node_is(n, "export_statement"))
            n = ts_node_named_child(n, 0);
        if (code_node_is(n, "lexical_declaration") || code_node_is(n, "variable_declaration")) {
            for (uint32_t k = 0; k < ts_node_named_child_count(n); k++) {
                TSNode d = ts_node_named_child(n, k);
                if (code_node_is(d, "variable_declarator"))
                    add_constant(c, ts_node_child_by_field_name(d, "name", 4),
                                 ts_node_child_by_field_name(d, "value", 5));
            }
        } else if (code_node_is(n, "expression_statement")) {
            TSNode as = ts_node_named_child(n, 0);
            if (code_node_is(as, "assignment"))
                add_constant(c, ts_node_child_by_field_name(as, "left", 4),
                             ts_node_child_by_field_name(as, "right", 5));
        }
    }
}

void step_begin(code_ctx *c, step_reader *r, code_step *step, size_t anchor)
{
    vsql_init(&r->v, c->host);
    r->v.resolve = code_resolve;
    r->v.resolve_ud = c;
    r->step = step;
    r->param = NULL;
    vsql_fixed(&r->v, "\n", 1, anchor);
}

void step_end(code_ctx *c, step_reader *r)
{
    r->step->src = vsql_finish(&r->v, c->a);
}

/* Statements are separated on lines of their own, so a trailing -- comment
 * in one string cannot swallow the separator. */
static void step_separate(step_reader *r, size_t at)
{
    vsql_fixed(&r->v, "\n;\n", 3, at);
}

void step_sql(code_ctx *c, step_reader *r, TSNode arg, TSNode call)
{
    if (code_lit_append(&r->v, c->lang, arg) != LIT_OK) {
        code_note(c, ts_node_is_null(arg) ? call : arg, "SQL built at run time is not linted");
        r->step->partial = true;
        return;
    }
    size_t end = ts_node_end_byte(arg);
    step_separate(r, end ? end - 1 : 0);
    r->step->nstmts++;
}

void step_synth(code_ctx *c, step_reader *r, TSNode call, const char *sql)
{
    (void)c;
    size_t at = ts_node_start_byte(call);
    vsql_fixed(&r->v, sql, strlen(sql), at);
    step_separate(r, at);
    r->step->nstmts++;
}

void step_synth_piece(step_reader *r, TSNode at, const char *text)
{
    vsql_fixed(&r->v, text, strlen(text), ts_node_start_byte(at));
}

void step_synth_end(step_reader *r, TSNode call)
{
    step_separate(r, ts_node_start_byte(call));
    r->step->nstmts++;
}

/* Every part quoted: a name such as `order` or `user` is a keyword, and a
 * framework quotes what it sends (so "User" keeps its case). A dot splits
 * schema and table, as TypeORM's "public.users" does. */
const char *code_ident(arena *a, const char *name)
{
    char *out = arena_alloc(a, strlen(name) * 3 + 3), *o = out;
    *o++ = '"';
    for (const char *p = name; *p; p++) {
        if (*p == '.') {
            o += sprintf(o, "\".\"");
            continue;
        }
        if (*p == '"')
            *o++ = '"';
        *o++ = *p;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* ---- Django settings (one project per run) ---- */

static char dj_auth_user[128] = "auth.User", dj_auto[64] = "BigAutoField";
static struct {
    char app[64], field[64];
} dj_apps[64];
static size_t dj_napps;

static void copy_to(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

void code_django_settings(const char *auth_user_model, const char *default_auto_field)
{
    if (auth_user_model)
        copy_to(dj_auth_user, sizeof dj_auth_user, auth_user_model);
    if (default_auto_field) {
        const char *dot = strrchr(default_auto_field, '.');
        copy_to(dj_auto, sizeof dj_auto, dot ? dot + 1 : default_auto_field);
    }
}

void code_django_app_auto_field(const char *app, const char *default_auto_field)
{
    if (dj_napps == sizeof dj_apps / sizeof *dj_apps)
        return;
    const char *dot = strrchr(default_auto_field, '.');
    copy_to(dj_apps[dj_napps].app, sizeof dj_apps[0].app, app);
    copy_to(dj_apps[dj_napps++].field, sizeof dj_apps[0].field, dot ? dot + 1 : default_auto_field);
}

const char *code_django_auth_user_model(void)
{
    return dj_auth_user;
}

const char *code_django_default_auto_field(void)
{
    return dj_auto;
}

const char *code_django_app_default_auto_field(const char *app)
{
    for (size_t i = 0; app && i < dj_napps; i++)
        if (!strcmp(dj_apps[i].app, app))
            return dj_apps[i].field;
    return dj_auto;
}
