/* config.c - loading and validating .migralint.json (see config.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "../orm/extractors.h"
#include "pg_target.h"
#include "../rules/ruledoc.h"
#include "../sql/sql.h"

typedef struct loader {
    const char *path;
    const char *text; /* comments blanked out, offsets unchanged */
    arena *a;
    config *out;
} loader;

/* Blanks // and block comments with spaces, keeping newlines, so cJSON can
 * parse the text and error offsets still map to the user's lines. */
static void strip_comments(char *s)
{
    bool in_str = false;
    for (size_t i = 0; s[i]; i++) {
        if (in_str) {
            if (s[i] == '\\' && s[i + 1])
                i++;
            else if (s[i] == '"')
                in_str = false;
        } else if (s[i] == '"') {
            in_str = true;
        } else if (s[i] == '/' && s[i + 1] == '/') {
            while (s[i] && s[i] != '\n')
                s[i++] = ' ';
            if (!s[i])
                break;
        } else if (s[i] == '/' && s[i + 1] == '*') {
            s[i] = s[i + 1] = ' ';
            for (i += 2; s[i] && !(s[i] == '*' && s[i + 1] == '/'); i++)
                if (s[i] != '\n')
                    s[i] = ' ';
            if (!s[i])
                break;
            s[i] = s[i + 1] = ' ';
            i++;
        }
    }
}

static int line_of(const char *text, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && text[i]; i++)
        line += text[i] == '\n';
    return line;
}

/* The line where "key": first appears: cJSON keeps no positions, and keys
 * are rarely repeated in a config this small. */
static int key_line(const loader *ld, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = strchr(ld->text, '"'); p; p = strchr(p + 1, '"')) {
        if (strncmp(p + 1, key, n) == 0 && p[n + 1] == '"') {
            const char *q = p + n + 2;
            while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
                q++;
            if (*q == ':')
                return line_of(ld->text, (size_t)(p - ld->text));
        }
    }
    return 1;
}

static bool fail(const loader *ld, const char *key, const char *fmt, const char *arg)
{
    fprintf(stderr, "migralint: %s:%d: ", ld->path, key ? key_line(ld, key) : 1);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return false;
}

static bool read_file(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) {
        fprintf(stderr, "migralint: %s: cannot read config: %s\n", path,
                f && S_ISDIR(st.st_mode) ? "Is a directory"
                : f                      ? "not a regular file under 1 MB"
                                         : strerror(errno));
        if (f)
            fclose(f);
        return false;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf)
        abort();
    buf[n] = '\0';
    *out = buf;
    return true;
}

static bool parse_level(const loader *ld, const char *key, const cJSON *v, diag_level *out)
{
    if (!cJSON_IsString(v) || !diag_level_parse(v->valuestring, out) ||
        !strcmp(v->valuestring, "none"))
        return fail(ld, key, "\"%s\" must be one of \"off\", \"note\", \"warning\", \"error\"",
                    key);
    return true;
}

static bool parse_rules(const loader *ld, const cJSON *obj, config_level *levels, size_t *n,
                        size_t max)
{
    if (!cJSON_IsObject(obj))
        return fail(ld, "rules", "%s must be an object of rule ids to levels", "\"rules\"");
    const cJSON *r;
    cJSON_ArrayForEach(r, obj)
    {
        if (!ruledoc_find(r->string))
            return fail(ld, r->string, "unknown rule \"%s\" (see `migralint rules`)", r->string);
        if (*n == max)
            return fail(ld, r->string, "too many rule settings at \"%s\"", r->string);
        levels[*n].rule = ruledoc_find(r->string)->id;
        if (!parse_level(ld, r->string, r, &levels[*n].level))
            return false;
        (*n)++;
    }
    return true;
}

static bool compile_pattern(const loader *ld, const char *key, const char *pattern, void **out)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        char *detail = arena_printf(ld->a, "\"%s\": bad regular expression at offset %zu: %s", key,
                                    (size_t)off, (const char *)msg);
        return fail(ld, key, "%s", detail);
    }
    if (out)
        *out = re;
    else
        pcre2_code_free(re);
    return true;
}

static bool parse_override(const loader *ld, const cJSON *o, config_override *ov)
{
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(o, "paths");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(o, "rules");
    const cJSON *k;
    cJSON_ArrayForEach(k, o)
    {
        if (strcmp(k->string, "paths") != 0 && strcmp(k->string, "rules") != 0)
            return fail(ld, k->string, "unknown key \"%s\" in an override", k->string);
    }
    if (!cJSON_IsString(paths))
        return fail(ld, "overrides", "%s: each override needs \"paths\" (a regex) and \"rules\"",
                    "\"overrides\"");
    ov->paths = arena_strdup(ld->a, paths->valuestring);
    if (!compile_pattern(ld, "paths", ov->paths, &ov->re))
        return false;
    return parse_rules(ld, rules, ov->levels, &ov->nlevels, CONFIG_MAX_ITEMS);
}

static bool parse_overrides(const loader *ld, const cJSON *v)
{
    if (!cJSON_IsArray(v))
        return fail(ld, "overrides", "%s must be an array", "\"overrides\"");
    const cJSON *o;
    cJSON_ArrayForEach(o, v)
    {
        config *c = ld->out;
        if (c->noverrides == CONFIG_MAX_ITEMS)
            return fail(ld, "overrides", "%s: too many overrides", "\"overrides\"");
        if (!cJSON_IsObject(o) || !parse_override(ld, o, &c->overrides[c->noverrides++]))
            return cJSON_IsObject(o)
                       ? false
                       : fail(ld, "overrides", "%s entries must be objects", "\"overrides\"");
    }
    return true;
}

/* "dialect": "postgresql" | "mysql" (docs/mysql.md). */
static bool parse_dialect(const loader *ld, const cJSON *v, const char **out)
{
    sql_dialect d;
    if (!cJSON_IsString(v) || !sql_dialect_parse(v->valuestring, &d))
        return fail(ld, "dialect", "%s must be \"postgresql\" or \"mysql\"", "\"dialect\"");
    *out = sql_dialect_name(d);
    return true;
}

static bool parse_migrations(const loader *ld, const cJSON *v)
{
    config *c = ld->out;
    if (cJSON_IsString(v)) {
        /* cJSON keeps duplicate keys: "migrations" may come many times. */
        if (c->nmigrations == CONFIG_MAX_ITEMS)
            return fail(ld, "migrations", "%s: too many folders", "\"migrations\"");
        c->migrations[c->nmigrations++].path = arena_strdup(ld->a, v->valuestring);
        return true;
    }
    if (!cJSON_IsArray(v))
        return fail(ld, "migrations", "%s must be a folder or an array of folders",
                    "\"migrations\"");
    const cJSON *m;
    cJSON_ArrayForEach(m, v)
    {
        if (c->nmigrations == CONFIG_MAX_ITEMS)
            return fail(ld, "migrations", "%s: too many folders", "\"migrations\"");
        config_migrations *cm = &c->migrations[c->nmigrations++];
        const cJSON *path = cJSON_IsString(m) ? m : cJSON_GetObjectItemCaseSensitive(m, "path");
        const cJSON *fw = cJSON_GetObjectItemCaseSensitive(m, "framework");
        const cJSON *dialect = cJSON_GetObjectItemCaseSensitive(m, "dialect");
        if (!cJSON_IsString(path) || (fw && !cJSON_IsString(fw)))
            return fail(ld, "migrations",
                        "%s entries are folders or {\"path\": ..., \"framework\": ...}",
                        "\"migrations\"");
        cm->path = arena_strdup(ld->a, path->valuestring);
        cm->framework = fw ? arena_strdup(ld->a, fw->valuestring) : NULL;
        if (dialect && !parse_dialect(ld, dialect, &cm->dialect))
            return false;
    }
    return true;
}

/* "drift": {"orm": "drizzle", "schema": "src/db/schema.ts" | [...], "migrations": "drizzle"} */
static bool parse_drift(const loader *ld, const cJSON *v)
{
    config_drift *d = &ld->out->drift;
    if (!cJSON_IsObject(v))
        return fail(ld, "drift", "%s must be an object", "\"drift\"");
    const cJSON *k;
    cJSON_ArrayForEach(k, v)
    {
        if (!strcmp(k->string, "orm")) {
            if (!cJSON_IsString(k) ||
                (strcmp(k->valuestring, "sql") && !orm_extractor_find(k->valuestring)))
                return fail(ld, "orm", "\"drift.orm\" must be one of %s, sql",
                            orm_extractor_names());
            d->orm = arena_strdup(ld->a, k->valuestring);
        } else if (!strcmp(k->string, "migrations")) {
            if (!cJSON_IsString(k))
                return fail(ld, "migrations", "%s must be a folder", "\"drift.migrations\"");
            d->migrations = arena_strdup(ld->a, k->valuestring);
        } else if (!strcmp(k->string, "schema")) {
            const cJSON *e;
            if (cJSON_IsString(k)) {
                d->schema[d->nschema++] = arena_strdup(ld->a, k->valuestring);
                continue;
            }
            if (!cJSON_IsArray(k))
                return fail(ld, "schema", "%s must be a path or an array of paths",
                            "\"drift.schema\"");
            cJSON_ArrayForEach(e, k)
            {
                if (!cJSON_IsString(e) || d->nschema == CONFIG_MAX_ITEMS)
                    return fail(ld, "schema", "%s must be a path or an array of paths",
                                "\"drift.schema\"");
                d->schema[d->nschema++] = arena_strdup(ld->a, e->valuestring);
            }
        } else {
            return fail(ld, k->string, "unknown key \"%s\" in \"drift\"", k->string);
        }
    }
    if (!d->orm || !d->nschema)
        return fail(ld, "drift", "%s needs \"orm\" and \"schema\"", "\"drift\"");
    return true;
}

static bool parse_number(const loader *ld, const char *key, const cJSON *v, int lo, int hi,
                         int *out)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
        v->valuedouble != (double)(int)v->valuedouble) {
        char msg[64];
        snprintf(msg, sizeof msg, "\"%%s\" must be a whole number from %d to %d", lo, hi);
        return fail(ld, key, msg, key);
    }
    *out = (int)v->valuedouble;
    return true;
}

static bool parse_key(const loader *ld, const cJSON *k)
{
    config *c = ld->out;
    const char *key = k->string;
    int n = 0;
    if (!strcmp(key, "$schema"))
        return true;
    if (!strcmp(key, "migrations"))
        return parse_migrations(ld, k);
    if (!strcmp(key, "drift"))
        return parse_drift(ld, k);
    if (!strcmp(key, "rules"))
        return parse_rules(ld, k, c->levels, &c->nlevels, CONFIG_MAX_ITEMS * 4);
    if (!strcmp(key, "overrides"))
        return parse_overrides(ld, k);
    if (!strcmp(key, "base")) {
        if (!cJSON_IsString(k))
            return fail(ld, key, "\"%s\" must be a string (a branch, tag or commit)", key);
        c->base = arena_strdup(ld->a, k->valuestring);
        return true;
    }
    if (!strcmp(key, "dialect"))
        return parse_dialect(ld, k, &c->dialect);
    if (!strcmp(key, "pgVersion"))
        return parse_number(ld, key, k, PG_TARGET_MIN, PG_TARGET_MAX, &c->pg_version);
    if (!strcmp(key, "maxFileSize")) {
        if (!parse_number(ld, key, k, 1, 4096, &n))
            return false;
        c->max_file_size = (size_t)n * 1024 * 1024;
        return true;
    }
    if (!strcmp(key, "maxFindings")) {
        if (!parse_number(ld, key, k, 1, 100000000, &n))
            return false;
        c->max_findings = (size_t)n;
        return true;
    }
    if (!strcmp(key, "failOn")) {
        c->has_fail_on = true;
        if (!cJSON_IsString(k) || !diag_level_parse(k->valuestring, &c->fail_on))
            return fail(ld, key, "\"%s\" must be \"error\", \"warning\", \"note\" or \"none\"",
                        key);
        return true;
    }
    if (!strcmp(key, "migrationFilePattern")) {
        if (!cJSON_IsString(k))
            return fail(ld, key, "\"%s\" must be a string (a PCRE2 pattern)", key);
        c->filename_pattern = arena_strdup(ld->a, k->valuestring);
        return compile_pattern(ld, key, c->filename_pattern, NULL);
    }
    return fail(ld, key, "unknown key \"%s\"", key);
}

bool config_load(const char *path, arena *a, config *out)
{
    memset(out, 0, sizeof *out);
    char *text;
    if (!read_file(path, &text))
        return false;
    strip_comments(text);
    loader ld = {path, text, a, out};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, true);
    bool ok;
    if (!root) {
        size_t off = end ? (size_t)(end - text) : 0;
        fprintf(stderr, "migralint: %s:%d: invalid JSON near offset %zu\n", path,
                line_of(text, off), off);
        ok = false;
    } else if (!cJSON_IsObject(root)) {
        ok = fail(&ld, NULL, "%s", "the configuration must be a JSON object");
    } else {
        ok = true;
        const cJSON *k;
        cJSON_ArrayForEach(k, root)
        {
            if (!(ok = parse_key(&ld, k)))
                break;
        }
    }
    out->file = arena_strdup(a, path);
    cJSON_Delete(root);
    free(text);
    if (!ok)
        config_free(out);
    return ok;
}

void config_free(config *c)
{
    for (size_t i = 0; i < c->noverrides; i++) {
        pcre2_code_free(c->overrides[i].re);
        c->overrides[i].re = NULL;
    }
}

bool config_find(const char *dir, const char *stop, char *buf, size_t size)
{
    char cur[PATH_MAX];
    snprintf(cur, sizeof cur, "%s", dir);
    for (;;) {
        struct stat st;
        snprintf(buf, size, "%s/.migralint.json", cur);
        if (stat(buf, &st) == 0)
            return true;
        if (strcmp(cur, stop) == 0 || strcmp(cur, "/") == 0)
            return false;
        char *slash = strrchr(cur, '/');
        if (!slash)
            return false;
        if (slash == cur)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

static bool levels_lookup(const config_level *lv, size_t n, const char *rule, diag_level *out)
{
    for (size_t i = n; i-- > 0;) {
        if (strcmp(lv[i].rule, rule) == 0) {
            *out = lv[i].level;
            return true;
        }
    }
    return false;
}

bool config_level_for(const config *c, const char *rule_id, const char *path, diag_level *out)
{
    for (size_t i = c->noverrides; i-- > 0;) {
        const config_override *ov = &c->overrides[i];
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(ov->re, NULL);
        int rc = pcre2_match(ov->re, (PCRE2_SPTR)path, strlen(path), 0, 0, md, NULL);
        pcre2_match_data_free(md);
        if (rc >= 0 && levels_lookup(ov->levels, ov->nlevels, rule_id, out))
            return true;
    }
    return levels_lookup(c->levels, c->nlevels, rule_id, out);
}
