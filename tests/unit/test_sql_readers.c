/* test_sql_readers.c - migralint's own entries into libpg_query against
 * the library's reference path, on every .sql file under fixtures/: the
 * tree of pg_query_parse_tree (scripts/pg_query_tree.c) against cJSON_Parse
 * of pg_query_parse's JSON text, node for node, and the same error or the
 * same refusal at cJSON's nesting limit; the tokens of pg_query_scan_tokens
 * (scripts/pg_query_tokens.c) against pg_query_scan's protobuf message. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

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

typedef void *(*tree_alloc_fn)(void *ud, size_t size);
cJSON *pg_query_parse_tree(const char *input, tree_alloc_fn alloc, void *ud, PgQueryError **error);
void pg_query_free_error(PgQueryError *error);

static void *tree_alloc(void *ud, size_t size)
{
    return arena_alloc(ud, size);
}

/* Both paths on sql: the same tree, the same error, or both refuse the
 * tree (pg_query_parse's JSON deeper than cJSON reads). *refused says
 * whether they refused it. */
static bool agree(const char *sql, bool *refused, const char **why)
{
    arena *a = arena_new();
    PgQueryParseResult r = pg_query_parse(sql);
    PgQueryError *e = NULL;
    cJSON *got = pg_query_parse_tree(sql, tree_alloc, a, &e);
    cJSON *want = r.error ? NULL : cJSON_Parse(r.parse_tree);
    bool ok;
    *refused = !r.error && !want;
    if (r.error || e)
        ok = r.error && e && !got && e->cursorpos == r.error->cursorpos &&
             !strcmp(e->message, r.error->message);
    else
        ok = (!want && !got) || (want && got && same_tree(want, got, why));
    if (ok && got && !same_lookups(got)) {
        *why = "sql_get and cJSON_GetObjectItemCaseSensitive differ";
        ok = false;
    }
    if (!ok && !(*why)[0])
        *why = r.error || e ? "errors differ" : want ? "the tree was refused" : "cJSON refused it";
    if (e)
        pg_query_free_error(e);
    cJSON_Delete(want);
    pg_query_free_parse_result(r);
    arena_free(a);
    return ok;
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

static void compare_file(const char *path, void *ud)
{
    walk_count *c = ud;
    char *sql = unit_read_file(path, NULL);
    if (!sql)
        return;
    c->files++;
    compare_tokens(path, sql, c);
    const char *why = "";
    bool refused;
    if (!agree(sql, &refused, &why)) {
        printf("  %s: %s\n", path, why);
        c->failed++;
    }
    c->trees++;
    free(sql);
}

/* SELECT f(f(...f(1)...)), n calls deep. */
static char *nested_calls(int n)
{
    char *s = malloc((size_t)n * 3 + 16);
    if (!s)
        abort();
    char *p = s + sprintf(s, "SELECT ");
    for (int i = 0; i < n; i++)
        p += sprintf(p, "f(");
    *p++ = '1';
    memset(p, ')', (size_t)n);
    p[n] = '\0';
    return s;
}

void unit_suite_sql_readers(void)
{
    TEST("sql readers: pg_query_parse's tree and pg_query_scan's tokens from every fixture")
    {
        const char *fixtures = getenv("FIXTURES");
        walk_count c = {0};
        unit_each_sql_file(fixtures ? fixtures : "fixtures", compare_file, &c);
        CHECK(c.trees > 300);
        CHECK_INT(0, c.failed);
        CHECK(c.scanned > 300);
        CHECK_INT(0, c.scan_failed);
    }
    TEST("sql tree: constants, lists, enums and errors as pg_query_parse's JSON has them")
    {
        static const char *const cases[] = {
            "SELECT 0, 1, -2147483648, 9999999999, 1.5, true, false, NULL, 'a\"<>\n', B'101', "
            "x'1F', E'\\t\u00e9'",
            "CREATE UNLOGGED TABLE s.t (a int[] NOT NULL DEFAULT '{}', b numeric(10, 2) "
            "CHECK (b > 0), PRIMARY KEY (a)) WITH (fillfactor = 70)",
            "ALTER TABLE t ALTER COLUMN a TYPE bigint USING a::bigint, ADD CONSTRAINT c "
            "FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE NOT VALID",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING gin (lower(a) "
            "gin_trgm_ops) WHERE b IS NOT NULL",
            "SELECT * FROM t WHERE a IN (1, 2) AND b = ANY ('{1}') ORDER BY 1 DESC NULLS LAST",
            "",
            "-- only a comment",
            "SELEC 1",
            "SELECT 'open",
            "CREATE TABLE t (a int,, b int)",
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *why = "";
            bool refused;
            if (!agree(cases[i], &refused, &why)) {
                printf("  case %zu: %s\n", i, why);
                unit_failed_now = 1;
            }
        }
    }
    TEST("sql tree: refused exactly where cJSON's nesting limit refuses the JSON")
    {
        /* Each call nests a few containers deeper: somewhere in 200..400
         * calls the JSON passes CJSON_NESTING_LIMIT. */
        int accepted = 0, refused_n = 0;
        for (int n = 200; n <= 400; n++) {
            char *sql = nested_calls(n);
            const char *why = "";
            bool refused;
            if (!agree(sql, &refused, &why)) {
                printf("  %d calls deep: %s\n", n, why);
                unit_failed_now = 1;
            }
            refused ? refused_n++ : accepted++;
            free(sql);
        }
        CHECK(accepted > 0);
        CHECK(refused_n > 0);
    }
}
