/* test_tsq.c - tree-sitter queries with predicates (src/orm/tsq.c). */
#include <stdlib.h>

#include "../../src/orm/tsq.h"
#include "unit.h"

/* Collects the text of @name over all passing matches, joined by ','. */
static void collect(const char *grammar, const char *query, const char *code, char *out,
                    size_t size)
{
    char err[200];
    out[0] = '\0';
    tsq *q = tsq_compile(grammar, "test.scm", query, strlen(query), err, sizeof err);
    if (!q) {
        snprintf(out, size, "ERR %s", err);
        return;
    }
    TSTree *t = tsq_parse(grammar, code, (uint32_t)strlen(code));
    tsq_cursor *c = tsq_exec(q, ts_tree_root_node(t), code);
    uint32_t id = tsq_capture_id(q, "name");
    TSQueryMatch m;
    while (tsq_next(c, &m)) {
        TSNode n;
        if (!tsq_capture(&m, id, &n))
            continue;
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%.*s", len ? "," : "",
                 (int)(ts_node_end_byte(n) - ts_node_start_byte(n)), code + ts_node_start_byte(n));
    }
    tsq_cursor_free(c);
    ts_tree_delete(t);
    tsq_free(q);
}

#define CALLS                                                                                      \
    "(call_expression function: (identifier) @fn arguments: (arguments (string (string_fragment) " \
    "@name)))"

void unit_suite_tsq(void)
{
    const char *code = "pgTable('users'); other('x'); pgEnum('mood'); pgTable('posts');";
    char out[256];
    TEST("tsq: #eq? keeps only matching calls")
    {
        collect("typescript", "(" CALLS " (#eq? @fn \"pgTable\"))", code, out, sizeof out);
        CHECK_STR("users,posts", out);
    }
    TEST("tsq: #not-eq? and #any-of?")
    {
        collect("typescript", "(" CALLS " (#not-eq? @fn \"pgTable\"))", code, out, sizeof out);
        CHECK_STR("x,mood", out);
        collect("typescript", "(" CALLS " (#any-of? @fn \"pgEnum\" \"other\"))", code, out,
                sizeof out);
        CHECK_STR("x,mood", out);
    }
    TEST("tsq: #match? uses PCRE2, unanchored")
    {
        collect("typescript", "(" CALLS " (#match? @fn \"^pg\"))", code, out, sizeof out);
        CHECK_STR("users,mood,posts", out);
        collect("typescript", "(" CALLS " (#not-match? @name \"s$\"))", code, out, sizeof out);
        CHECK_STR("x,mood", out);
    }
    TEST("tsq: #eq? between two captures")
    {
        collect("python",
                "((assignment left: (identifier) @a right: (identifier) @name) (#eq? @a @name))",
                "x = x\ny = z\n", out, sizeof out);
        CHECK_STR("x", out);
    }
    TEST("tsq: errors name the query, line and column")
    {
        collect("typescript", "(call_expression)\n(no_such_node)", code, out, sizeof out);
        CHECK_STR("ERR test.scm:2:2: unknown node type", out);
        collect("typescript", "((identifier) @name (#frob? @name \"x\"))", code, out, sizeof out);
        CHECK_STR("ERR test.scm:1:1: unsupported predicate", out);
        collect("typescript", "((identifier) @name (#match? @name \"(\"))", code, out, sizeof out);
        CHECK_STR("ERR test.scm:1:1: bad regular expression", out);
        collect("cobol", "(x)", code, out, sizeof out);
        CHECK_STR("ERR test.scm: no grammar named cobol", out);
    }
    TEST("tsq: an unknown embedded query is an error")
    {
        char err[128];
        CHECK(tsq_load("typescript", "nope.scm", err, sizeof err) == NULL);
        CHECK_STR("nope.scm: no such embedded query", err);
    }
}
