/* pg_query_tree.c - PostgreSQL's raw parse tree as cJSON nodes, no JSON text.
 *
 * Not part of migralint's own build: scripts/setup.sh compiles it with
 * libpg_query's flags and internal headers and adds it to libpg_query.a.
 * pg_query_parse() prints the raw parse tree as JSON text, which
 * src/sql/json.c then read back into cJSON nodes: the writer and the reader
 * were a quarter of a check of the bench corpus. This builds the same nodes
 * straight from the tree. It expands libpg_query's own generated field
 * lists (pg_query_outfuncs_defs.c) with macros that add a node where
 * pg_query_outfuncs_json.c's macros append text, and mirrors that file's
 * hand-written cases, so every key, every omitted default and every
 * wrapper object is what the JSON had. tests/unit compares the two trees on
 * every fixture. Keys and enum names are the library's string literals;
 * string values are copied, since the parse's memory context ends here. */
#include "pg_query.h"
#include "pg_query_internal.h"
#include "pg_query_outfuncs.h"

#include "postgres.h"

#include "access/relation.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "nodes/value.h"
#include "utils/datum.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*pg_query_tree_alloc_fn)(void *ud, size_t size);

/* Nodes are taken from the caller's allocator a block at a time. */
#define SLAB 64

typedef struct tree_builder {
    pg_query_tree_alloc_fn alloc;
    void *ud;
    cJSON *slab;
    size_t left;
    int depth;     /* containers open, as cJSON's parser counts them */
    bool too_deep; /* cJSON would have refused the JSON text */
} tree_builder;

/* The generated _outX functions take (out, node) only. */
static __thread tree_builder *tb;

static cJSON *node_new(int type, const char *key)
{
    if (tb->left == 0) {
        tb->slab = tb->alloc(tb->ud, SLAB * sizeof(cJSON));
        tb->left = SLAB;
    }
    tb->left--;
    cJSON *n = tb->slab++;
    memset(n, 0, sizeof *n);
    n->type = type;
    n->string = (char *)key;
    return n;
}

/* Appends n to parent's children; the head's prev is the last, as cJSON
 * keeps it. */
static cJSON *node_add(cJSON *parent, cJSON *n)
{
    cJSON *head = parent->child;
    if (!head) {
        parent->child = n;
        n->prev = n;
    } else {
        cJSON *last = head->prev;
        last->next = n;
        n->prev = last;
        head->prev = n;
    }
    return n;
}

/* Adds a container and counts it open: NULL, with the tree spoiled, where
 * cJSON's nesting limit would have refused the text. Every tree_open is
 * paired with a tree_close. */
static cJSON *tree_open(cJSON *parent, const char *key, int type)
{
    cJSON *n = node_add(parent, node_new(type, key));
    if (++tb->depth > CJSON_NESTING_LIMIT) {
        tb->too_deep = true;
        return NULL;
    }
    return n;
}

static void tree_close(void)
{
    tb->depth--;
}

static void tree_number(cJSON *parent, const char *key, double v)
{
    cJSON *n = node_add(parent, node_new(cJSON_Number, key));
    n->valuedouble = v;
    n->valueint = v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
}

/* A string the tree keeps: a copy, the parse's memory ends with it. */
static void tree_string(cJSON *parent, const char *key, const char *s)
{
    if (!s) {
        node_add(parent, node_new(cJSON_NULL, key));
        return;
    }
    size_t len = strlen(s) + 1;
    char *copy = tb->alloc(tb->ud, len);
    memcpy(copy, s, len);
    node_add(parent, node_new(cJSON_String, key))->valuestring = copy;
}

/* A string that lives as long as the program (an enum's name). */
static void tree_literal(cJSON *parent, const char *key, const char *s)
{
    node_add(parent, node_new(cJSON_String, key))->valuestring = (char *)s;
}

static void tree_char(cJSON *parent, const char *key, char c)
{
    char s[2] = {c, '\0'};
    tree_string(parent, key, s);
}

/* The JSON printed doubles with %f: six decimals, then read back. */
static void tree_float(cJSON *parent, const char *key, double v)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%f", v);
    tree_number(parent, key, strtod(buf, NULL));
}

/* cJSON's parser gives true a valueint of 1. */
static void tree_bool(cJSON *parent, const char *key, bool v)
{
    node_add(parent, node_new(v ? cJSON_True : cJSON_False, key))->valueint = v;
}

static void tree_fill(cJSON *out, const void *obj);

/* An item of a node list: "{}" stood for a NULL item. */
static void tree_item(cJSON *array, const void *item)
{
    cJSON *w = tree_open(array, NULL, cJSON_Object);
    if (w && item)
        tree_fill(w, item);
    tree_close();
}

static void tree_node_list(cJSON *out, const char *key, const List *list)
{
    cJSON *a = tree_open(out, key, cJSON_Array);
    if (a) {
        const ListCell *lc;
        foreach (lc, list)
            tree_item(a, lfirst(lc));
    }
    tree_close();
}

#define OUT_TYPE(typename, typename_c) cJSON *

#define OUT_NODE(typename, typename_c, typename_underscore, typename_underscore_upcase,            \
                 typename_cast, fldname)                                                           \
    {                                                                                              \
        cJSON *in_ = tree_open(out, CppAsString(typename), cJSON_Object);                          \
        if (in_)                                                                                   \
            _out##typename_c(in_, (const typename_cast *)obj);                                     \
        tree_close();                                                                              \
    }

#define WRITE_INT_FIELD(outname, outname_json, fldname)                                            \
    if (node->fldname != 0)                                                                        \
        tree_number(out, CppAsString(outname_json), (double)node->fldname);

#define WRITE_UINT_FIELD   WRITE_INT_FIELD
#define WRITE_UINT64_FIELD WRITE_INT_FIELD
#define WRITE_LONG_FIELD   WRITE_INT_FIELD

#define WRITE_CHAR_FIELD(outname, outname_json, fldname)                                           \
    if (node->fldname != 0)                                                                        \
        tree_char(out, CppAsString(outname_json), node->fldname);

#define WRITE_ENUM_FIELD(typename, outname, outname_json, fldname)                                 \
    tree_literal(out, CppAsString(outname_json), _enumToString##typename(node->fldname));

#define WRITE_FLOAT_FIELD(outname, outname_json, fldname)                                          \
    tree_float(out, CppAsString(outname_json), node->fldname);

#define WRITE_BOOL_FIELD(outname, outname_json, fldname)                                           \
    if (node->fldname)                                                                             \
        tree_bool(out, CppAsString(outname_json), true);

#define WRITE_STRING_FIELD(outname, outname_json, fldname)                                         \
    if (node->fldname != NULL)                                                                     \
        tree_string(out, CppAsString(outname_json), node->fldname);

#define WRITE_LIST_FIELD(outname, outname_json, fldname)                                           \
    if (node->fldname != NULL)                                                                     \
        tree_node_list(out, CppAsString(outname_json), node->fldname);

#define WRITE_NODE_FIELD(outname, outname_json, fldname)                                           \
    {                                                                                              \
        cJSON *w_ = tree_open(out, CppAsString(outname_json), cJSON_Object);                       \
        if (w_)                                                                                    \
            tree_fill(w_, &node->fldname);                                                         \
        tree_close();                                                                              \
    }

#define WRITE_NODE_PTR_FIELD(outname, outname_json, fldname)                                       \
    if (node->fldname != NULL) {                                                                   \
        cJSON *w_ = tree_open(out, CppAsString(outname_json), cJSON_Object);                       \
        if (w_)                                                                                    \
            tree_fill(w_, node->fldname);                                                          \
        tree_close();                                                                              \
    }

#define WRITE_SPECIFIC_NODE_FIELD(typename, typename_underscore, outname, outname_json, fldname)   \
    {                                                                                              \
        cJSON *w_ = tree_open(out, CppAsString(outname_json), cJSON_Object);                       \
        if (w_)                                                                                    \
            _out##typename(w_, &node->fldname);                                                    \
        tree_close();                                                                              \
    }

#define WRITE_SPECIFIC_NODE_PTR_FIELD(typename, typename_underscore, outname, outname_json,        \
                                      fldname)                                                     \
    if (node->fldname != NULL) {                                                                   \
        cJSON *w_ = tree_open(out, CppAsString(outname_json), cJSON_Object);                       \
        if (w_)                                                                                    \
            _out##typename(w_, node->fldname);                                                     \
        tree_close();                                                                              \
    }

/* As the JSON writer does, from member 0 on: bms_next_member(s, 0) skips
 * member 0 itself. */
#define WRITE_BITMAPSET_FIELD(outname, outname_json, fldname)                                      \
    if (!bms_is_empty(node->fldname)) {                                                            \
        cJSON *a_ = tree_open(out, CppAsString(outname_json), cJSON_Array);                        \
        int x_ = 0;                                                                                \
        while (a_ && (x_ = bms_next_member(node->fldname, x_)) >= 0)                               \
            tree_number(a_, NULL, x_);                                                             \
        tree_close();                                                                              \
    }

/* The cases pg_query_outfuncs_json.c writes by hand. */

static void _outList(cJSON *out, const List *node)
{
    tree_node_list(out, "items", node);
}

/* An integer or OID list: its items are numbers, not nodes. */
static void number_items(cJSON *out, const List *node, bool oid)
{
    cJSON *a = tree_open(out, "items", cJSON_Array);
    const ListCell *lc;
    if (a)
        foreach (lc, node)
            tree_number(a, NULL, oid ? (double)lfirst_oid(lc) : (double)lfirst_int(lc));
    tree_close();
}

static void _outIntList(cJSON *out, const List *node)
{
    number_items(out, node, false);
}

static void _outOidList(cJSON *out, const List *node)
{
    number_items(out, node, true);
}

static void _outInteger(cJSON *out, const Integer *node)
{
    if (node->ival != 0) /* 0 is left out, as protobuf does */
        tree_number(out, "ival", node->ival);
}

static void _outBoolean(cJSON *out, const Boolean *node)
{
    tree_bool(out, "boolval", node->boolval);
}

static void _outFloat(cJSON *out, const Float *node)
{
    tree_string(out, "fval", node->fval);
}

static void _outString(cJSON *out, const String *node)
{
    tree_string(out, "sval", node->sval);
}

static void _outBitString(cJSON *out, const BitString *node)
{
    tree_string(out, "bsval", node->bsval);
}

/* A constant's value sits in an object named after its kind. */
static void aconst_value(cJSON *out, const A_Const *node)
{
    const char *key = NULL;
    switch (node->val.node.type) {
    case T_Integer:
        key = "ival";
        break;
    case T_Float:
        key = "fval";
        break;
    case T_Boolean:
        key = "boolval";
        break;
    case T_String:
        key = "sval";
        break;
    case T_BitString:
        key = "bsval";
        break;
    default:
        return; /* an A_Const holds no other node */
    }
    cJSON *v = tree_open(out, key, cJSON_Object);
    if (v) {
        switch (node->val.node.type) {
        case T_Integer:
            _outInteger(v, &node->val.ival);
            break;
        case T_Float:
            _outFloat(v, &node->val.fval);
            break;
        case T_Boolean:
            if (node->val.boolval.boolval) /* false is an empty object */
                tree_bool(v, "boolval", true);
            break;
        case T_String:
            _outString(v, &node->val.sval);
            break;
        default:
            _outBitString(v, &node->val.bsval);
            break;
        }
    }
    tree_close();
}

static void _outAConst(cJSON *out, const A_Const *node)
{
    if (node->isnull)
        tree_bool(out, "isnull", true);
    else
        aconst_value(out, node);
    tree_number(out, "location", node->location); /* even 0 */
}

#include "pg_query_enum_defs.c"
#include "pg_query_outfuncs_defs.c"

/* out: the object standing for a node, which holds one member named after
 * the node's type. An unknown type stays an empty object, as in the JSON. */
static void tree_fill(cJSON *out, const void *obj)
{
    switch (nodeTag(obj)) {
#include "pg_query_outfuncs_conds.c"
    default:
        break;
    }
}

static cJSON *tree_of(const List *stmts)
{
    cJSON *root = node_new(cJSON_Object, NULL);
    tb->depth = 1;
    tree_number(root, "version", PG_VERSION_NUM);
    cJSON *a = tree_open(root, "stmts", cJSON_Array);
    const ListCell *lc;
    if (a)
        foreach (lc, stmts) {
            cJSON *s = tree_open(a, NULL, cJSON_Object);
            if (s)
                _outRawStmt(s, lfirst(lc));
            tree_close();
        }
    tree_close();
    return tb->too_deep ? NULL : root;
}

/* Parses input as pg_query_parse() does and returns its tree, allocated
 * with alloc (never freed here). NULL with *error set (free it with
 * pg_query_free_error) when PostgreSQL rejects input; NULL with *error
 * NULL when the tree nests deeper than cJSON's limit. */
cJSON *pg_query_parse_tree(const char *input, pg_query_tree_alloc_fn alloc, void *ud,
                           PgQueryError **error)
{
    MemoryContext ctx = pg_query_enter_memory_context();
    PgQueryInternalParsetreeAndError r = pg_query_raw_parse(input, PG_QUERY_PARSE_DEFAULT);
    cJSON *tree = NULL;
    *error = r.error;
    if (!r.error) {
        tree_builder b = {.alloc = alloc, .ud = ud};
        tb = &b;
        tree = tree_of(r.tree);
        tb = NULL;
    }
    free(r.stderr_buffer);
    pg_query_exit_memory_context(ctx);
    return tree;
}
