/* test_sql_readers.c - migralint's own readers of libpg_query's output
 * against the library's reference path, on every .sql file under fixtures/:
 * sql_json_read (src/sql/json.c) against cJSON_Parse, the same tree node
 * for node (and the same answer on hand-written edge cases); the tokens of
 * pg_query_scan_tokens (scripts/pg_query_tokens.c) against pg_query_scan's
 * protobuf message. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "../../src/sql/json.h"
#include "../../src/sql/sql.h"
#include "unit.h"

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Fields, list links (the head's prev is the last item) and children. */
static bool same_tree(const cJSON *want, const cJSON *got, const char **why)
{
    if (want->type != got->type || want->valueint != got->valueint ||
        memcmp(&want->valuedouble, &got->valuedouble, sizeof want->valuedouble) != 0) {
        *why = "type or number";
        return false;
    }
    if (!same_str(want->string, got->string) || !same_str(want->valuestring, got->valuestring)) {
        *why = "key or string";
        return false;
    }
    const cJSON *w = want->child, *g = got->child, *wprev = NULL, *gprev = NULL;
    for (; w && g; wprev = w, gprev = g, w = w->next, g = g->next) {
        if ((w->prev == wprev) != (g->prev == gprev)) {
            *why = "prev link";
            return false;
        }
        if (!same_tree(w, g, why))
            return false;
    }
    if (w || g) {
        *why = "number of children";
        return false;
    }
    if (want->child && (want->child->prev == wprev) != (got->child->prev == gprev)) {
        *why = "head's prev";
        return false;
    }
    return true;
}

/* sql_get finds what cJSON_GetObjectItemCaseSensitive finds, for every
 * member name of every object and array of the tree and a few absent ones. */
static bool same_lookups(const cJSON *n)
{
    static const char *const absent[] = {"", "l", "locationx", "zzz"};
    for (const cJSON *c = n->child; c; c = c->next) {
        if (c->string && sql_get(n, c->string) != cJSON_GetObjectItemCaseSensitive(n, c->string))
            return false;
        if (!same_lookups(c))
            return false;
    }
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (sql_get(n, absent[i]) != cJSON_GetObjectItemCaseSensitive(n, absent[i]))
            return false;
    return true;
}

/* Both readers on text: the same tree, or both refuse it. */
static bool agree(const char *text, const char **why)
{
    arena *a = arena_new();
    cJSON *want = cJSON_Parse(text);
    cJSON *got = sql_json_read(a, arena_strdup(a, text));
    bool ok = (!want && !got) || (want && got && same_tree(want, got, why));
    if (ok && got && !same_lookups(got)) {
        *why = "sql_get and cJSON_GetObjectItemCaseSensitive differ";
        ok = false;
    }
    if (!ok && (!want || !got))
        *why = want ? "sql_json_read refused it" : "cJSON_Parse refused it";
    cJSON_Delete(want);
    arena_free(a);
    return ok;
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(fp);
    return s;
}

typedef struct walk_count {
    int files, trees, failed, scanned, scan_failed;
} walk_count;

/* sql_file_scan's tokens against pg_query_scan's, when the file lexes. */
static void compare_tokens(const char *path, const char *sql, walk_count *c)
{
    PgQueryScanResult r = pg_query_scan(sql);
    PgQuery__ScanResult *s =
        r.error ? NULL
                : pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
    if (s) {
        source *src = source_new(path, sql, strlen(sql));
        sql_file *f = sql_file_scan(src, 0, src->len);
        bool same = f->ntokens == s->n_tokens;
        for (size_t i = 0; same && i < s->n_tokens; i++) {
            const PgQuery__ScanToken *t = s->tokens[i];
            same = f->tokens[i].start == (size_t)t->start && f->tokens[i].end == (size_t)t->end &&
                   f->tokens[i].pg_token == (int)t->token;
            sql_token_kind k = f->tokens[i].kind;
            if (same && k != SQL_TOK_COMMENT && k != SQL_TOK_BLOCK_COMMENT && k != SQL_TOK_STRING &&
                k != SQL_TOK_IDENT)
                same = (k == SQL_TOK_KEYWORD) == (t->keyword_kind != 0);
        }
        if (!same) {
            printf("  %s: tokens differ\n", path);
            c->scan_failed++;
        }
        c->scanned++;
        sql_file_free(f);
        source_free(src);
        pg_query__scan_result__free_unpacked(s, NULL);
    }
    pg_query_free_scan_result(r);
}

static void compare_file(const char *path, walk_count *c)
{
    char *sql = read_all(path);
    if (!sql)
        return;
    c->files++;
    compare_tokens(path, sql, c);
    PgQueryParseResult r = pg_query_parse(sql);
    const char *why = "";
    if (!r.error && r.parse_tree) {
        c->trees++;
        if (!agree(r.parse_tree, &why)) {
            printf("  %s: %s\n", path, why);
            c->failed++;
        }
    }
    pg_query_free_parse_result(r);
    free(sql);
}

static void walk(const char *dir, walk_count *c)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            walk(path, c);
        else if (n > 4 && !strcmp(e->d_name + n - 4, ".sql"))
            compare_file(path, c);
    }
    if (d)
        closedir(d);
}

/* n arrays, one inside the other. */
static char *nested(int n)
{
    char *s = malloc((size_t)n * 2 + 1);
    if (!s)
        abort();
    memset(s, '[', (size_t)n);
    memset(s + n, ']', (size_t)n);
    s[n * 2] = '\0';
    return s;
}

void unit_suite_sql_readers(void)
{
    TEST("sql readers: cJSON_Parse's tree and pg_query_scan's tokens from every fixture")
    {
        const char *fixtures = getenv("FIXTURES");
        walk_count c = {0};
        walk(fixtures ? fixtures : "fixtures", &c);
        CHECK(c.trees > 300);
        CHECK_INT(0, c.failed);
        CHECK(c.scanned > 300);
        CHECK_INT(0, c.scan_failed);
    }
    TEST("sql json: escapes, numbers, literals and malformed text as cJSON reads them")
    {
        static const char *const cases[] = {
            "{\"a\":1,\"a\":2,\"ab\":3,\"b\":[{\"x\":1}],\"\":4}",
            "{\"a\":\"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\"}",
            "[\"\\u00e9\\u20ac\\ud83d\\ude00\\u0041\"]",
            "[\"\\ud83d\"]",
            "[\"\\ude00\"]",
            "[\"\\uzzzz\"]",
            "[\"\\q\"]",
            "[0, -0, 7, -12, 2147483647, 2147483648, -2147483649, 123456789012345, "
            "1234567890123456, 99999999999999999999, 1.5, -2.25e3, 1E-2, 0.1]",
            "[true, false, null, [], {}, [[]], {\"k\":{}}]",
            " \t\r\n{ \"a\" : 1 , \"a\" : 2 }  trailing",
            "\xEF\xBB\xBF{\"bom\":1}",
            "{\"a\":1,}",
            "[1,]",
            "{\"a\" 1}",
            "{1:2}",
            "[tru]",
            "[\"open",
            "",
            "-",
            "[1 2]",
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *why = "";
            if (!agree(cases[i], &why)) {
                printf("  case %zu: %s\n", i, why);
                unit_failed_now = 1;
            }
        }
    }
    TEST("sql json: nesting at cJSON's limit is read, one deeper is refused")
    {
        const char *why = "";
        char *ok = nested(CJSON_NESTING_LIMIT), *deep = nested(CJSON_NESTING_LIMIT + 1);
        arena *a = arena_new();
        CHECK(agree(ok, &why));
        CHECK(agree(deep, &why));
        CHECK(sql_json_read(a, arena_strdup(a, ok)) != NULL);
        CHECK(sql_json_read(a, arena_strdup(a, deep)) == NULL);
        arena_free(a);
        free(ok);
        free(deep);
    }
}
