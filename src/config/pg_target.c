/* pg_target.c - the PostgreSQL version a repository pins (see pg_target.h).
 *
 * Real projects say which PostgreSQL they run in a handful of places; the
 * first pin found, in this order, wins:
 *   1. .tool-versions (asdf, mise): "postgres 16.2";
 *   2. supabase/config.toml: "major_version = 15" in its [db] table;
 *   3. docker compose files at the root (compose.yaml, docker-compose.yml,
 *      docker-compose.*.yml, ...): an "image:" of a PostgreSQL image;
 *   4. the .yml files in .github/workflows: a service's "image:";
 *   5. compose files one folder down (docker/, .devcontainer/, deploy/...);
 *   6. .gitlab-ci.yml: "image:", "name:" or a bare "- postgres:16" item.
 * YAML is read line by line: an image reference is one scalar on one line,
 * and a pattern over that line is all it takes. Files are read with plain
 * stdio, at most MAX_PIN_FILE bytes of each. */
#include "pg_target.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PIN_FILE (1024 * 1024)
#define MAX_LISTED   256

/* One YAML line holding one image reference, maybe quoted, maybe a list
 * item, maybe followed by a comment. */
#define RE_IMAGE_LINE                                                                              \
    "^\\s*(?:-\\s+)?(?:(?:image|name)\\s*:\\s*)?[\"']?([A-Za-z0-9][\\w.\\-/"                       \
    ":@]*)[\"']?\\s*(?:#.*)?$"
/* registry/namespace/repo:tag@digest; the repo and the tag are kept. */
#define RE_IMAGE         "^(?:[\\w.\\-]+(?::\\d+)?/)*([\\w.\\-]+)(?::([\\w.\\-]+))?(?:@sha256:[0-9a-f]+)?$"
#define RE_PG_REPO       "postgres|postgis|pgvector|timescaledb|pgautoupgrade"
#define RE_TAG_PG        "(?:^|[\\-_.])pg(\\d{1,2})(?!\\d)" /* latest-pg16, 0.7.0-pg16 */
#define RE_TAG_LEADING   "^(\\d{1,2})(?![\\d])"             /* 16, 16-alpine, 15.1.0.117 */
#define RE_TOOL_VERSIONS "^\\s*postgres(?:ql)?\\s+(\\d{1,2})(?!\\d)"
#define RE_TOML_SECTION  "^\\s*\\[\\s*([\\w.\\-]+)\\s*\\]"
#define RE_MAJOR_VERSION "^\\s*major_version\\s*=\\s*(\\d{1,2})(?!\\d)"
#define RE_COMPOSE_NAME  "^(?:docker-)?compose(?:[.\\-][\\w.\\-]*)?\\.ya?ml$"
#define RE_WORKFLOW_NAME "\\.ya?ml$"

#define MAX_PATTERNS 12

typedef struct finder {
    const char *root;
    arena *a;
    pcre2_match_data *md;
    const char *re_src[MAX_PATTERNS]; /* each pattern compiled once per search */
    pcre2_code *re[MAX_PATTERNS];
    size_t nre;
    pg_target *out;
    const char *const *skip; /* root folders holding migrations: not listed */
    size_t nskip;
} finder;

static void finder_free(finder *f)
{
    for (size_t i = 0; i < f->nre; i++)
        pcre2_code_free(f->re[i]);
    pcre2_match_data_free(f->md);
}

/* ---- patterns ---- */

static pcre2_code *re_get(finder *f, const char *pattern)
{
    for (size_t i = 0; i < f->nre; i++)
        if (f->re_src[i] == pattern)
            return f->re[i];
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
    if (!re || f->nre == MAX_PATTERNS)
        abort(); /* the patterns are ours */
    f->re_src[f->nre] = pattern;
    return f->re[f->nre++] = re;
}

static bool re_match(finder *f, const char *pattern, const char *s, size_t n, size_t *g1,
                     size_t *g1_len)
{
    int rc = pcre2_match(re_get(f, pattern), (PCRE2_SPTR)s, n, 0, 0, f->md, NULL);
    if (rc < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
    if (g1) {
        bool set = rc > 1 && ov[2] != PCRE2_UNSET;
        *g1 = set ? ov[2] : 0;
        *g1_len = set ? ov[3] - ov[2] : 0;
    }
    return true;
}

static int number_at(const char *s, size_t len)
{
    int v = 0;
    for (size_t i = 0; i < len && i < 3; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int image_version(finder *f, const char *image)
{
    size_t n = strlen(image);
    if (!re_match(f, RE_IMAGE, image, n, NULL, NULL))
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
    size_t repo = ov[2], repo_len = ov[3] - ov[2];
    if (ov[4] == PCRE2_UNSET)
        return 0; /* no tag: "latest" says nothing about the version */
    size_t tag = ov[4], tag_len = ov[5] - ov[4];
    if (!re_match(f, RE_PG_REPO, image + repo, repo_len, NULL, NULL))
        return 0;
    size_t g, glen;
    if (re_match(f, RE_TAG_PG, image + tag, tag_len, &g, &glen) ||
        re_match(f, RE_TAG_LEADING, image + tag, tag_len, &g, &glen)) {
        int v = number_at(image + tag + g, glen);
        return v >= 9 ? v : 0;
    }
    return 0;
}

int pg_target_image_version(const char *image)
{
    finder f = {.md = pcre2_match_data_create(8, NULL)};
    int v = image_version(&f, image);
    finder_free(&f);
    return v;
}

/* ---- files ---- */

static char *read_file(const char *path, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = st.st_size < MAX_PIN_FILE ? (size_t)st.st_size : MAX_PIN_FILE;
    char *buf = malloc(cap + 1);
    if (!buf)
        abort();
    *len = fread(buf, 1, cap, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

enum pin_kind { PIN_IMAGES, PIN_TOOL_VERSIONS, PIN_SUPABASE };

/* Sets f->out from the line when it pins a version. */
static bool pin_found(finder *f, const char *rel, int lineno, int version, const char *what,
                      size_t what_len)
{
    const char *why = arena_printf(f->a, "%s:%d: %.*s", rel, lineno, (int)what_len, what);
    if (version > PG_TARGET_MAX)
        why = arena_printf(f->a, "%s, above %d, the newest migralint parses", why, PG_TARGET_MAX);
    else if (version < PG_TARGET_MIN)
        why = arena_printf(f->a, "%s, below %d, the oldest migralint targets", why, PG_TARGET_MIN);
    f->out->version = version > PG_TARGET_MAX   ? PG_TARGET_MAX
                      : version < PG_TARGET_MIN ? PG_TARGET_MIN
                                                : version;
    f->out->why = why;
    return true;
}

static bool scan_line(finder *f, enum pin_kind kind, const char *rel, int lineno, const char *s,
                      size_t n, bool *in_db)
{
    size_t g, glen;
    if (kind == PIN_TOOL_VERSIONS) {
        if (!re_match(f, RE_TOOL_VERSIONS, s, n, &g, &glen))
            return false;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        size_t lead = strspn(s, " \t");
        return pin_found(f, rel, lineno, number_at(s + g, glen), s + lead, n - lead);
    }
    if (kind == PIN_SUPABASE) {
        if (re_match(f, RE_TOML_SECTION, s, n, &g, &glen)) {
            *in_db = glen == 2 && !memcmp(s + g, "db", 2);
            return false;
        }
        if (!*in_db || !re_match(f, RE_MAJOR_VERSION, s, n, &g, &glen))
            return false;
        int v = number_at(s + g, glen);
        size_t lead = strspn(s, " \t");
        return pin_found(f, rel, lineno, v, s + lead, g + glen - lead);
    }
    if (!re_match(f, RE_IMAGE_LINE, s, n, &g, &glen))
        return false;
    char *image = arena_strndup(f->a, s + g, glen);
    int v = image_version(f, image);
    if (!v)
        return false;
    return pin_found(f, rel, lineno, v, arena_printf(f->a, "image %s", image), strlen(image) + 6);
}

/* Looks for a pin in root/rel, line by line. */
static bool scan_file(finder *f, const char *rel, enum pin_kind kind)
{
    char *path = arena_printf(f->a, "%s/%s", f->root, rel);
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return false;
    bool found = false, in_db = false;
    int lineno = 1;
    for (size_t i = 0; i < len && !found; lineno++) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        found = scan_line(f, kind, rel, lineno, text + i, end - i, &in_db);
        i = end + 1;
    }
    free(text);
    return found;
}

static int cmp_names(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    /* Shorter first: compose.yaml and docker-compose.yml before their
     * .override and .test variants. */
    return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

/* The entries of root/rel whose names match pattern (dirs: folders
 * instead), sorted; at most MAX_LISTED. */
static size_t list_dir(finder *f, const char *rel, const char *pattern, bool dirs,
                       const char **names)
{
    DIR *d = opendir(*rel ? arena_printf(f->a, "%s/%s", f->root, rel) : f->root);
    if (!d)
        return 0;
    size_t n = 0;
    /* A compose file's name starts with one of two words (the pattern is
     * case-sensitive): 6,000 migrations skip pcre2_match by a compare. */
    bool compose = pattern && !strcmp(pattern, RE_COMPOSE_NAME);
    for (struct dirent *e; n < MAX_LISTED && (e = readdir(d));) {
        const char *name = e->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git") ||
            !strcmp(name, "node_modules"))
            continue;
        if (compose && strncmp(name, "compose", 7) != 0 && strncmp(name, "docker-compose", 14) != 0)
            continue;
        /* The name first, and the entry's type from readdir when it knows:
         * a folder of 6,000 migrations is listed here on every run. */
        if (pattern && !re_match(f, pattern, name, strlen(name), NULL, NULL))
            continue;
        const char *child = *rel ? arena_printf(f->a, "%s/%s", rel, name) : name;
        struct stat st;
        bool known = e->d_type == DT_DIR || e->d_type == DT_REG;
        if (known ? (e->d_type == DT_DIR) != dirs
                  : stat(arena_printf(f->a, "%s/%s", f->root, child), &st) != 0 ||
                        (dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
            continue;
        names[n++] = arena_strdup(f->a, child);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    return n;
}

static bool scan_listed(finder *f, const char *rel, const char *pattern)
{
    const char *names[MAX_LISTED];
    size_t n = list_dir(f, rel, pattern, false, names);
    for (size_t i = 0; i < n; i++)
        if (scan_file(f, names[i], PIN_IMAGES))
            return true;
    return false;
}

static bool skipped(const finder *f, const char *dir)
{
    for (size_t i = 0; i < f->nskip; i++)
        if (!strcmp(f->skip[i], dir))
            return true;
    return false;
}

static bool scan_subdir_composes(finder *f)
{
    const char *dirs[MAX_LISTED];
    size_t n = list_dir(f, "", NULL, true, dirs);
    for (size_t i = 0; i < n; i++)
        if (!skipped(f, dirs[i]) && scan_listed(f, dirs[i], RE_COMPOSE_NAME))
            return true;
    return false;
}

bool pg_target_detect(const char *root, const char *const *skip, size_t nskip, arena *a,
                      pg_target *out)
{
    finder f = {.root = root,
                .a = a,
                .md = pcre2_match_data_create(8, NULL),
                .out = out,
                .skip = skip,
                .nskip = nskip};
    bool found = scan_file(&f, ".tool-versions", PIN_TOOL_VERSIONS) ||
                 scan_file(&f, "supabase/config.toml", PIN_SUPABASE) ||
                 scan_listed(&f, "", RE_COMPOSE_NAME) ||
                 scan_listed(&f, ".github/workflows", RE_WORKFLOW_NAME) ||
                 scan_subdir_composes(&f) || scan_file(&f, ".gitlab-ci.yml", PIN_IMAGES);
    finder_free(&f);
    return found;
}

const char *pg_target_describe(const pg_target *t, arena *a)
{
    return arena_printf(a, "PostgreSQL %d (%s)", t->version, t->why);
}
