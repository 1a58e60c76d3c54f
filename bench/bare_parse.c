/* bare_parse.c - the benchmark's baseline: read each file named on the
 * command line and parse it with libpg_query (pg_query_parse, the JSON parse
 * tree), then free the result. Nothing else: no analysis, no output beyond a
 * summary line on stderr. Exits 1 when a file cannot be read, 0 otherwise
 * (parse errors are counted, not fatal).
 *
 *   bare_parse FILE...
 */
#include <pg_query.h>
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

int main(int argc, char **argv)
{
    size_t files = 0, errors = 0, bytes = 0;
    for (int i = 1; i < argc; i++) {
        char *sql = slurp(argv[i]);
        if (!sql) {
            perror(argv[i]);
            return 1;
        }
        PgQueryParseResult r = pg_query_parse(sql);
        if (r.error)
            errors++;
        bytes += strlen(r.parse_tree ? r.parse_tree : "");
        pg_query_free_parse_result(r);
        free(sql);
        files++;
    }
    pg_query_exit();
    fprintf(stderr, "bare_parse: %zu files, %zu parse errors, %zu bytes of parse tree\n", files,
            errors, bytes);
    return 0;
}
