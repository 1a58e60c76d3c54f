/* dialect.c - which SQL dialect a migrations folder is written in, when the
 * configuration does not say (see mysql_dialect_detect in mysql.h).
 *
 * Each source is read with the tool that fits it: drizzle.config.* with
 * tree-sitter's TypeScript grammar (its `dialect` property), schema.prisma
 * with the Prisma grammar (the datasource's `provider`), Prisma's
 * migration_lock.toml line by line (`provider = "mysql"`), and the SQL with
 * the MySQL lexer: a backquoted name or ENGINE= cannot be PostgreSQL. */
#include "mysql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tree_sitter/api.h>

#include "../core/file.h"
#include "../core/grammars.h"

static bool provider_dialect(const char *p, sql_dialect *d)
{
    if (!strcmp(p, "mysql"))
        *d = SQL_DIALECT_MYSQL;
    else if (!strcmp(p, "postgresql") || !strcmp(p, "postgres") || !strcmp(p, "cockroachdb"))
        *d = SQL_DIALECT_POSTGRESQL;
    else
        return false;
    return true;
}

/* migration_lock.toml: `provider = "mysql"`. */
static bool from_lock_toml(const char *text, size_t len, sql_dialect *d)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        while (p < le && (*p == ' ' || *p == '\t'))
            p++;
        if ((size_t)(le - p) > 8 && !strncmp(p, "provider", 8)) {
            const char *q1 = memchr(p, '"', (size_t)(le - p));
            const char *q2 = q1 ? memchr(q1 + 1, '"', (size_t)(le - q1 - 1)) : NULL;
            if (q2) {
                char v[32];
                size_t n = (size_t)(q2 - q1 - 1);
                if (n < sizeof v) {
                    memcpy(v, q1 + 1, n);
                    v[n] = '\0';
                    return provider_dialect(v, d);
                }
            }
        }
        p = nl ? nl + 1 : end;
    }
    return false;
}

static char *node_text(TSNode n, const char *text)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    char *out = strndup(text + s, e - s);
    if (!out)
        abort();
    return out;
}

/* Strips one pair of quotes in place. */
static char *unquote(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[n - 1] == s[0]) {
        s[n - 1] = '\0';
        return s + 1;
    }
    return s;
}

/* Walks a tree for a `key: "value"` pair (TypeScript) or a `key = "value"`
 * assignment (Prisma) and returns the value, unquoted (malloc'ed). */
static char *find_value(TSNode n, const char *text, const char *pair_type, const char *key,
                        const char *within)
{
    if (within && !strcmp(ts_node_type(n), within))
        within = NULL;
    if (!within && !strcmp(ts_node_type(n), pair_type) && ts_node_named_child_count(n) >= 2) {
        char *k = node_text(ts_node_named_child(n, 0), text);
        bool match = !strcmp(unquote(k), key);
        free(k);
        if (match) {
            char *v = node_text(ts_node_named_child(n, 1), text);
            char *u = strdup(unquote(v));
            free(v);
            return u;
        }
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        char *v = find_value(ts_node_named_child(n, i), text, pair_type, key, within);
        if (v)
            return v;
    }
    return NULL;
}

static char *tree_value(const char *lang, const char *text, size_t len, const char *pair_type,
                        const char *key, const char *within)
{
    const TSLanguage *l = orm_grammar_find(lang);
    if (!l || len > UINT32_MAX)
        return NULL;
    TSParser *p = ts_parser_new();
    char *v = NULL;
    if (ts_parser_set_language(p, l)) {
        TSTree *t = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
        if (t) {
            v = find_value(ts_tree_root_node(t), text, pair_type, key, within);
            ts_tree_delete(t);
        }
    }
    ts_parser_delete(p);
    return v;
}

static const char *const drizzle_configs[] = {"drizzle.config.ts",
                                              "drizzle.config.js",
                                              "drizzle.config.mjs",
                                              "drizzle.config.mts",
                                              "drizzle.config.cjs",
                                              "drizzle.config.json",
                                              NULL};

/* A drizzle.config.* in dir (absolute) or its parents up to root. */
static bool from_drizzle(arena *a, const char *root, const char *dir, sql_dialect *d,
                         const char **why)
{
    char *path = arena_strdup(a, dir);
    size_t rootlen = strlen(root);
    for (;;) {
        for (const char *const *name = drizzle_configs; *name; name++) {
            const char *file = arena_printf(a, "%s/%s", path, *name);
            size_t len;
            char *text = file_read_all(file, &len);
            if (!text)
                continue;
            char *v = tree_value("typescript", text, len, "pair", "dialect", NULL);
            if (!v && strstr(*name, ".json"))
                v = tree_value("javascript", text, len, "pair", "dialect", NULL);
            const char *said = "dialect";
            if (!v) { /* drizzle-kit before 0.21: `driver: "mysql2"` or "pg" */
                char *drv = tree_value("typescript", text, len, "pair", "driver", NULL);
                if (drv && (!strcmp(drv, "mysql2") || !strcmp(drv, "pg"))) {
                    said = drv[0] == 'm' ? "driver mysql2, so dialect" : "driver pg, so dialect";
                    v = strdup(drv[0] == 'm' ? "mysql" : "postgresql");
                }
                free(drv);
            }
            free(text);
            if (v) {
                bool ok = false;
                if (!strcmp(v, "mysql") || !strcmp(v, "singlestore")) {
                    *d = SQL_DIALECT_MYSQL;
                    ok = true;
                } else if (!strcmp(v, "postgresql")) {
                    *d = SQL_DIALECT_POSTGRESQL;
                    ok = true;
                }
                if (ok) {
                    const char *rel = strlen(file) > rootlen ? file + rootlen + 1 : file;
                    *why = arena_printf(a, "%s: %s %s", rel, said, v);
                }
                free(v);
                if (ok)
                    return true;
            }
        }
        char *slash = strrchr(path, '/');
        if (strlen(path) <= rootlen || !slash)
            return false;
        *slash = '\0';
    }
}

/* A backquoted name, ENGINE= or AUTO_INCREMENT among the SQL's tokens. */
static bool sql_says_mysql(const char *text, size_t len)
{
    size_t n;
    sql_token *t = mysql_lex(text, 0, len > 16384 ? 16384 : len, &n);
    bool mysql = false;
    for (size_t i = 0; i < n && !mysql; i++) {
        const char *s = text + t[i].start;
        size_t l = t[i].end - t[i].start;
        if (t[i].kind != SQL_TOK_IDENT)
            continue;
        if (s[0] == '`')
            mysql = true;
        else if (l == 14 && !strncasecmp(s, "AUTO_INCREMENT", 14))
            mysql = true;
        else if (l == 6 && !strncasecmp(s, "ENGINE", 6) && i + 1 < n && t[i + 1].pg_token == '=')
            mysql = true;
    }
    free(t);
    return mysql;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

bool mysql_dialect_detect(arena *a, const char *root, const char *dir, const mysql_file_ref *files,
                          size_t nfiles, sql_dialect *d, const char **why)
{
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].text && ends_with(files[i].path, "migration_lock.toml") &&
            from_lock_toml(files[i].text, files[i].len, d)) {
            *why = arena_printf(a, "%s: provider %s", files[i].path, sql_dialect_name(*d));
            return true;
        }
    const char *abs = dir && dir[0] ? arena_printf(a, "%s/%s", root, dir) : root;
    const char *lock = arena_printf(a, "%s/migration_lock.toml", abs);
    size_t llen;
    char *ltext = file_read_all(lock, &llen);
    if (ltext) {
        bool ok = from_lock_toml(ltext, llen, d);
        free(ltext);
        if (ok) {
            *why = arena_printf(a, "%s%smigration_lock.toml: provider %s", dir ? dir : "",
                                dir && dir[0] ? "/" : "", sql_dialect_name(*d));
            return true;
        }
    }
    if (from_drizzle(a, root, abs, d, why))
        return true;
    /* prisma/schema.prisma beside prisma/migrations */
    const char *schema = arena_printf(a, "%s/../schema.prisma", abs);
    size_t len;
    char *text = file_read_all(schema, &len);
    if (text) {
        char *v = tree_value("prisma", text, len, "assignment_expression", "provider",
                             "datasource_declaration");
        free(text);
        bool ok = v && provider_dialect(v, d);
        if (ok)
            *why = arena_printf(a, "%s%sschema.prisma: provider %s", dir && dir[0] ? dir : "",
                                dir && dir[0] ? "/../" : "../", v);
        free(v);
        if (ok)
            return true;
    }
    /* The first few SQL files say it (a PostgreSQL folder is not read whole). */
    for (size_t i = 0, seen = 0; i < nfiles && seen < 3; i++)
        if (files[i].text && ends_with(files[i].path, ".sql") && ++seen &&
            sql_says_mysql(files[i].text, files[i].len)) {
            *d = SQL_DIALECT_MYSQL;
            *why = arena_printf(a, "%s: MySQL syntax (backquoted names, ENGINE=, AUTO_INCREMENT)",
                                files[i].path);
            return true;
        }
    return false;
}
