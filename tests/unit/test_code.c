/* test_code.c - string-literal decoding and the virtual-source offset map
 * of code migrations (src/code/vsql.c, src/code/lit.c, source_new_virtual). */
#include <stdlib.h>
#include <string.h>

#include "../../src/code/vsql.h"
#include "../../src/orm/tsq.h"
#include "unit.h"

static const char *const string_types[] = {
    "string", "template_string", "concatenated_string", "binary_expression", "binary_operator",
    NULL};

/* The first (outermost) string expression in the tree, pre-order. */
static bool first_string(TSNode n, TSNode *out)
{
    for (size_t i = 0; string_types[i]; i++) {
        if (!strcmp(ts_node_type(n), string_types[i])) {
            *out = n;
            return true;
        }
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (first_string(ts_node_named_child(n, i), out))
            return true;
    return false;
}

typedef struct decoded {
    arena *a;
    source *host;
    source *virt; /* NULL unless LIT_OK */
    lit_result r;
} decoded;

static const char *resolve_t(void *ud, const char *name, size_t len)
{
    (void)ud;
    return len == 1 && name[0] == 't' ? "orders" : NULL;
}

static bool with_resolver;

static decoded decode(const char *grammar, const char *code)
{
    decoded d = {arena_new(), source_new("m.code", code, strlen(code)), NULL, LIT_NOT_STRING};
    TSTree *t = tsq_parse(grammar, code, (uint32_t)strlen(code));
    TSNode n;
    vsql v;
    vsql_init(&v, d.host);
    if (with_resolver)
        v.resolve = resolve_t;
    if (first_string(ts_tree_root_node(t), &n))
        d.r = code_lit_append(&v, strcmp(grammar, "python") ? CODE_JS : CODE_PY, n);
    if (d.r == LIT_OK)
        d.virt = vsql_finish(&v, d.a);
    vsql_free(&v);
    ts_tree_delete(t);
    return d;
}

static void decoded_free(decoded *d)
{
    source_free(d->host);
    arena_free(d->a);
}

/* "line:col" in the host file of virtual offset off. */
static const char *at(const decoded *d, size_t off)
{
    static char buf[32];
    source_pos p = source_position(d->virt, off);
    snprintf(buf, sizeof buf, "%d:%d", p.line, p.col);
    return buf;
}

void unit_suite_code(void)
{
    TEST("code: JavaScript escapes decode and map to their backslash")
    {
        decoded d = decode("javascript", "q(\"DROP \\\"t\\\"\\n;\");");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("DROP \"t\"\n;", d.virt->text);
        CHECK_STR("1:4", at(&d, 0));  /* D, right after the opening quote */
        CHECK_STR("1:9", at(&d, 5));  /* the \" escape: its backslash */
        CHECK_STR("1:11", at(&d, 6)); /* t */
        CHECK_STR("1:14", at(&d, 8)); /* \n */
        decoded_free(&d);
    }
    TEST("code: template literal spans lines; ${} is run time")
    {
        decoded d = decode("typescript", "await q(`CREATE TABLE a (\n  id int\n)`)");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("CREATE TABLE a (\n  id int\n)", d.virt->text);
        CHECK_STR("2:3", at(&d, 19)); /* id */
        CHECK_STR("1:10", at(&d, 0));
        decoded_free(&d);
        d = decode("typescript", "q(`DROP TABLE ${name}`)");
        CHECK_INT(LIT_RUNTIME, d.r);
        decoded_free(&d);
        d = decode("javascript", "q(`cost \\${x} $1`)");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("cost ${x} $1", d.virt->text);
        decoded_free(&d);
    }
    TEST("code: constant + concatenation joins; a variable is run time")
    {
        decoded d = decode("javascript", "q('ALTER TABLE t ' +\n  'DROP COLUMN c')");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("ALTER TABLE t DROP COLUMN c", d.virt->text);
        CHECK_STR("2:4", at(&d, 14)); /* DROP on the second line */
        decoded_free(&d);
        d = decode("javascript", "q('ALTER TABLE ' + t)");
        CHECK_INT(LIT_RUNTIME, d.r);
        decoded_free(&d);
    }
    TEST("code: Python triple quotes, implicit concatenation, prefixes")
    {
        decoded d = decode("python", "op.execute(\"\"\"\n    DROP TABLE x\n\"\"\")");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("\n    DROP TABLE x\n", d.virt->text);
        CHECK_STR("2:5", at(&d, 5));
        decoded_free(&d);
        d = decode("python", "op.execute('UPDATE t '\n           \"SET a = 1\")");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("UPDATE t SET a = 1", d.virt->text);
        CHECK_STR("2:13", at(&d, 9));
        decoded_free(&d);
        d = decode("python", "op.execute(r'\\d' + '\\x41\\u00e9')");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("\\dA\xc3\xa9", d.virt->text);
        decoded_free(&d);
    }
    TEST("code: f-strings: {{ }} are text, {expr} is run time")
    {
        decoded d = decode("python", "op.execute(f'SELECT {{1}}')");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("SELECT {1}", d.virt->text);
        decoded_free(&d);
        d = decode("python", "op.execute(f'ANALYZE {table}')");
        CHECK_INT(LIT_RUNTIME, d.r);
        decoded_free(&d);
    }
    TEST("code: constants by name and as ${name}; other names stay run time")
    {
        with_resolver = true;
        decoded d = decode("typescript", "q(`DROP TABLE ${t} x`)");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("DROP TABLE orders x", d.virt->text);
        CHECK_STR("1:15", at(&d, 11)); /* the value points at the $ */
        CHECK_STR("1:20", at(&d, 18)); /* x, after the } */
        decoded_free(&d);
        d = decode("python", "op.execute('DROP TABLE ' + t)");
        CHECK_INT(LIT_OK, d.r);
        CHECK_STR("DROP TABLE orders", d.virt->text);
        decoded_free(&d);
        d = decode("typescript", "q(`DROP TABLE ${u}`)");
        CHECK_INT(LIT_RUNTIME, d.r);
        decoded_free(&d);
        with_resolver = false;
    }
    TEST("code: fixed segments map every byte to one place; lines come from the host")
    {
        source *host = source_new("h.py", "a\nop.drop_table('t')\n", 20);
        arena *a = arena_new();
        vsql v;
        vsql_init(&v, host);
        vsql_fixed(&v, "DROP TABLE t", 12, 2);
        source *virt = vsql_finish(&v, a);
        source_pos p = source_position(virt, 11);
        CHECK_INT(2, p.line);
        CHECK_INT(1, p.col);
        size_t len;
        const char *line = source_line(virt, 2, &len);
        CHECK_INT(18, (int)len);
        CHECK(strncmp(line, "op.drop_table", 13) == 0);
        CHECK_STR("h.py", virt->path);
        arena_free(a);
        source_free(host);
    }
}
