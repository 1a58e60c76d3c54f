/* py.c - Python argument access shared by the Alembic and Django readers. */
#include "py.h"

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

void py_args_read(const code_ctx *c, TSNode call, py_args *out)
{
    memset(out, 0, sizeof *out);
    TSNode args = field(call, "arguments");
    if (ts_node_is_null(args))
        return;
    uint32_t n = ts_node_named_child_count(args);
    out->pos = arena_calloc(c->a, n ? n : 1, sizeof *out->pos);
    out->kw_name = arena_calloc(c->a, n ? n : 1, sizeof *out->kw_name);
    out->kw_value = arena_calloc(c->a, n ? n : 1, sizeof *out->kw_value);
    for (uint32_t i = 0; i < n; i++) {
        TSNode a = ts_node_named_child(args, i);
        if (code_node_is(a, "comment"))
            continue;
        if (code_node_is(a, "keyword_argument")) {
            out->kw_name[out->nkw] = code_node_text(c, field(a, "name"));
            out->kw_value[out->nkw++] = field(a, "value");
        } else {
            out->pos[out->npos++] = a;
        }
    }
}

TSNode py_arg(const py_args *a, size_t pos, const char *kw)
{
    for (size_t i = 0; kw && i < a->nkw; i++)
        if (!strcmp(a->kw_name[i], kw))
            return a->kw_value[i];
    return pos < a->npos ? a->pos[pos] : (TSNode){0};
}

bool py_has(const py_args *a, size_t pos, const char *kw)
{
    return !ts_node_is_null(py_arg(a, pos, kw));
}

/* op.f('ix_name') and sa.text('...') wrap a string; look through them. */
TSNode py_unwrap(const code_ctx *c, TSNode n)
{
    if (!code_node_is(n, "call"))
        return n;
    char *fn = code_node_text(c, field(n, "function"));
    const char *dot = strrchr(fn, '.');
    const char *name = dot ? dot + 1 : fn;
    if (strcmp(name, "f") && strcmp(name, "text") && strcmp(name, "literal_column"))
        return n;
    py_args a;
    py_args_read(c, n, &a);
    return a.npos ? a.pos[0] : n;
}

char *py_str(const code_ctx *c, TSNode n)
{
    if (ts_node_is_null(n))
        return NULL;
    return code_string((code_ctx *)c, py_unwrap(c, n));
}

bool py_is_true(const code_ctx *c, TSNode n)
{
    return code_node_is(n, "true") || (code_node_is(n, "identifier") && code_text_is(c, n, "True"));
}

bool py_is_false(const code_ctx *c, TSNode n)
{
    return code_node_is(n, "false") ||
           (code_node_is(n, "identifier") && code_text_is(c, n, "False"));
}

char *py_columns(const code_ctx *c, TSNode list, bool django)
{
    if (!code_node_is(list, "list") && !code_node_is(list, "tuple"))
        return NULL;
    char *out = NULL;
    for (uint32_t i = 0; i < ts_node_named_child_count(list); i++) {
        TSNode item = ts_node_named_child(list, i);
        if (code_node_is(item, "comment"))
            continue;
        char *col = py_str(c, item);
        if (!col)
            return NULL;
        if (code_node_is(item, "call")) { /* sa.text("lower(email)"): an expression */
            out = out ? arena_printf(c->a, "%s, %s", out, col) : col;
            continue;
        }
        bool desc = django && col[0] == '-';
        const char *name = code_ident(c->a, desc ? col + 1 : col);
        const char *one = desc ? arena_printf(c->a, "%s DESC", name) : name;
        out = out ? arena_printf(c->a, "%s, %s", out, one) : (char *)one;
    }
    return out;
}

/* The method name and object of a call: op.drop_table -> "drop_table", op. */
const char *py_method(const code_ctx *c, TSNode call, TSNode *object)
{
    TSNode fn = field(call, "function");
    *object = (TSNode){0};
    if (code_node_is(fn, "attribute")) {
        *object = field(fn, "object");
        return code_node_text(c, field(fn, "attribute"));
    }
    return code_node_is(fn, "identifier") ? code_node_text(c, fn) : NULL;
}
