/* bare_parse.c - the benchmark's baseline: read each file named on the
 * command line and parse it with libpg_query (pg_query_parse, the JSON parse
 * tree), then free the result. Nothing else: no analysis, no output beyond a
 * summary line on stderr. Exits 1 when a file cannot be read, 0 otherwise
 * (parse errors are counted, not fatal).
 *
 * With --tree it parses as migralint does instead: pg_query_parse_tree
 * (scripts/pg_query_tree.c, in migralint's libpg_query.a), the raw parse
 * and the cJSON nodes built from it, with no JSON text. That is the part of
 * a check that is parsing, to read check's own work against.
 *
 *   bare_parse [--tree] FILE...
 */
#include <cjson/cJSON.h>
#include <pg_query.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        cap *= 2;
        char *grown = realloc(buf, cap);
        if (!grown)
            free(buf);
        buf = grown;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

typedef void *(*tree_alloc_fn)(void *ud, size_t size);
cJSON *pg_query_parse_tree(const char *input, tree_alloc_fn alloc, void *ud, PgQueryError **error);
void pg_query_free_error(PgQueryError *error);

/* The tree's memory: blocks chained through their first word, freed per
 * file, as migralint's arena does. */
typedef struct bump {
    void **blocks;
    char *at;
    size_t left, bytes;
} bump;

static void *bump_alloc(void *ud, size_t size)
{
    bump *b = ud;
    size = (size + 15) & ~(size_t)15;
    if (size > b->left) {
        size_t cap = size + 16 > 65536 ? size + 16 : 65536;
        void **block = malloc(cap);
        if (!block)
            abort();
        *block = b->blocks;
        b->blocks = block;
        b->at = (char *)block + 16;
        b->left = cap - 16;
    }
    void *p = b->at;
    b->at += size;
    b->left -= size;
    b->bytes += size;
    return p;
}

static void bump_free(bump *b)
{
    while (b->blocks) {
        void **next = *b->blocks;
        free(b->blocks);
        b->blocks = next;
    }
    b->left = 0;
}

/* One file's parse; returns false on a parse error, adds to *bytes the
 * size of what it built. */
static bool parse_one(const char *sql, bool tree, size_t *bytes)
{
    if (tree) {
        bump b = {0};
        PgQueryError *e = NULL;
        pg_query_parse_tree(sql, bump_alloc, &b, &e);
        *bytes += b.bytes;
        bump_free(&b);
        if (e)
            pg_query_free_error(e);
        return !e;
    }
    PgQueryParseResult r = pg_query_parse(sql);
    bool ok = !r.error;
    *bytes += strlen(r.parse_tree ? r.parse_tree : "");
    pg_query_free_parse_result(r);
    return ok;
}

int main(int argc, char **argv)
{
    size_t files = 0, errors = 0, bytes = 0;
    bool tree = argc > 1 && !strcmp(argv[1], "--tree");
    for (int i = tree ? 2 : 1; i < argc; i++) {
        char *sql = slurp(argv[i]);
        if (!sql) {
            perror(argv[i]);
            return 1;
        }
        if (!parse_one(sql, tree, &bytes))
            errors++;
        free(sql);
        files++;
    }
    pg_query_exit();
    fprintf(stderr, "bare_parse: %zu files, %zu parse errors, %zu bytes of %s\n", files, errors,
            bytes, tree ? "tree nodes" : "JSON parse tree");
    return 0;
}
