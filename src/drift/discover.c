/* discover.c - drift sources found from a project's own files (see
 * discover.h). drizzle.config.ts is read with tree-sitter: its `schema` and
 * `out` properties, as string literals (a computed value is not guessed). */
#include "discover.h"

#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../orm/extractors.h"
#include "../orm/tsq.h"

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

typedef struct list {
    const char **items;
    size_t n, cap;
} list;

static void list_add(arena *a, list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const char **grown = arena_alloc(a, cap * sizeof *grown);
        if (l->n)
            memcpy(grown, l->items, l->n * sizeof *grown);
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = arena_strdup(a, s);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool has_ext(const char *name, const char *const *exts)
{
    const char *dot = strrchr(name, '.');
    for (; dot && *exts; exts++)
        if (!strcmp(dot, *exts))
            return true;
    return false;
}

/* Every file under dir with one of exts, sorted, node_modules skipped. */
static void add_tree(arena *a, list *l, const char *dir, const char *const *exts)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t first = l->n;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules"))
            continue;
        const char *p = arena_printf(a, "%s/%s", dir, e->d_name);
        if (is_dir(p))
            add_tree(a, l, p, exts);
        else if (has_ext(e->d_name, exts) && !strstr(e->d_name, ".test.") &&
                 !strstr(e->d_name, ".spec.") && !strstr(e->d_name, ".d.ts"))
            list_add(a, l, p);
    }
    closedir(d);
    if (l->n > first)
        qsort(l->items + first, l->n - first, sizeof *l->items, cmp_str);
}

static const char *const ts_exts[] = {".ts", ".js", ".mts", ".mjs", ".cts", ".cjs", NULL};
static const char *const prisma_exts[] = {".prisma", NULL};

static const char *const sql_exts[] = {".sql", NULL};

/* A schema entry of drizzle.config: a file, a folder, or a glob. */
static void add_entry(arena *a, list *l, const char *base, const char *entry,
                      const char *const *exts)
{
    const char *p = entry[0] == '/' ? entry : arena_printf(a, "%s/%s", base, entry);
    if (is_dir(p)) {
        add_tree(a, l, p, exts);
        return;
    }
    glob_t g;
    if (glob(p, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            if (is_file(g.gl_pathv[i]))
                list_add(a, l, g.gl_pathv[i]);
            else if (is_dir(g.gl_pathv[i]))
                add_tree(a, l, g.gl_pathv[i], exts);
    }
    globfree(&g);
}

static void add_schema_entry(arena *a, list *l, const char *base, const char *entry)
{
    add_entry(a, l, base, entry, ts_exts);
}

bool drift_same_dir(const char *x, const char *y)
{
    char rx[PATH_MAX], ry[PATH_MAX];
    return realpath(x, rx) && realpath(y, ry) && !strcmp(rx, ry);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

static const char *string_text(arena *a, TSNode n, const char *text)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e - s < 2)
        return NULL;
    return arena_strndup(a, text + s + 1, e - s - 2);
}

static const char drizzle_config_query[] =
    "(pair key: (property_identifier) @key value: [(string) @value (array (string) @value)]"
    " (#any-of? @key \"schema\" \"out\" \"casing\" \"dialect\"))";

/* Reads `schema` and `out` from a drizzle config file. */
static bool read_drizzle_config(arena *a, const char *path, list *schema, const char **out,
                                bool *snake, bool *postgres)
{
    size_t len;
    char *text = read_all(path, &len);
    if (!text)
        return false;
    char err[256];
    tsq *q = tsq_compile("typescript", "drizzle-config", drizzle_config_query,
                         sizeof drizzle_config_query - 1, err, sizeof err);
    TSTree *tree = q ? tsq_parse("typescript", text, (uint32_t)len) : NULL;
    if (tree) {
        tsq_cursor *c = tsq_exec(q, ts_tree_root_node(tree), text);
        TSQueryMatch m;
        uint32_t key = tsq_capture_id(q, "key"), val = tsq_capture_id(q, "value");
        while (tsq_next(c, &m)) {
            TSNode k;
            if (!tsq_capture(&m, key, &k))
                continue;
            uint32_t klen = ts_node_end_byte(k) - ts_node_start_byte(k);
            bool is_out = klen == 3, is_casing = klen == 6 && text[ts_node_start_byte(k)] == 'c';
            bool is_dialect = klen == 7 && text[ts_node_start_byte(k)] == 'd';
            for (uint16_t i = 0; i < m.capture_count; i++) {
                if (m.captures[i].index != val)
                    continue;
                const char *s = string_text(a, m.captures[i].node, text);
                if (!s)
                    continue;
                if (is_dialect)
                    *postgres = !strcmp(s, "postgresql");
                else if (is_casing)
                    *snake = !strcmp(s, "snake_case");
                else if (is_out)
                    *out = s;
                else
                    list_add(a, schema, s);
            }
        }
        tsq_cursor_free(c);
        ts_tree_delete(tree);
    }
    tsq_free(q);
    free(text);
    return true;
}

static const char *const drizzle_configs[] = {"drizzle.config.ts",  "drizzle.config.js",
                                              "drizzle.config.mjs", "drizzle.config.mts",
                                              "drizzle.config.cjs", NULL};

static bool discover_drizzle(arena *a, const char *base, const char *mig_dir, drift_decl *decl,
                             const char **found_dir)
{
    for (const char *const *name = drizzle_configs; *name; name++) {
        const char *path = arena_printf(a, "%s/%s", base, *name);
        if (!is_file(path))
            continue;
        list schema = {0};
        const char *out = "drizzle";
        bool snake = false, postgres = true;
        if (!read_drizzle_config(a, path, &schema, &out, &snake, &postgres) || !postgres)
            continue; /* MySQL and SQLite projects are not PostgreSQL's to compare */
        const char *out_dir = arena_printf(a, "%s/%s", base, out);
        if (mig_dir && !drift_same_dir(out_dir, mig_dir))
            continue;
        list files = {0};
        for (size_t i = 0; i < schema.n; i++)
            add_schema_entry(a, &files, base, schema.items[i]);
        if (!files.n)
            continue;
        orm_drizzle_set_casing(snake);
        decl->kind = "drizzle";
        decl->paths = files.items;
        decl->npaths = files.n;
        if (found_dir)
            *found_dir = out_dir;
        return true;
    }
    return false;
}

static bool prisma_at(arena *a, const char *dir, drift_decl *decl)
{
    list files = {0};
    const char *file = arena_printf(a, "%s/schema.prisma", dir);
    const char *folder = arena_printf(a, "%s/schema", dir);
    if (is_file(file))
        list_add(a, &files, file);
    else if (is_dir(folder))
        add_tree(a, &files, folder, prisma_exts);
    if (!files.n)
        return false;
    decl->kind = "prisma";
    decl->paths = files.items;
    decl->npaths = files.n;
    return true;
}

bool drift_discover(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir)
{
    memset(decl, 0, sizeof *decl);
    if (mig_dir) {
        const char *parent = arena_printf(a, "%s/..", mig_dir);
        if (prisma_at(a, parent, decl) || prisma_at(a, mig_dir, decl))
            return true;
        return discover_drizzle(a, ".", mig_dir, decl, NULL) ||
               discover_drizzle(a, parent, mig_dir, decl, NULL) ||
               drift_discover_alembic(a, mig_dir, decl, NULL);
    }
    if (discover_drizzle(a, ".", NULL, decl, found_dir) ||
        drift_discover_alembic(a, NULL, decl, found_dir))
        return true;
    static const char *const prisma_dirs[] = {"prisma", "."};
    for (size_t i = 0; i < 2; i++) {
        const char *mig = arena_printf(a, "%s/migrations", prisma_dirs[i]);
        if (is_dir(mig) && prisma_at(a, prisma_dirs[i], decl)) {
            *found_dir = i ? "migrations" : "prisma/migrations";
            return true;
        }
    }
    return false;
}

bool drift_decl_from(arena *a, const char *root, const char *kind, const char *const *entries,
                     size_t n, drift_decl *decl)
{
    const char *const *exts = !strcmp(kind, "prisma") ? prisma_exts
                              : !strcmp(kind, "sql")  ? sql_exts
                                                      : ts_exts;
    list files = {0};
    for (size_t i = 0; i < n; i++)
        add_entry(a, &files, root, entries[i], exts);
    decl->kind = kind;
    decl->paths = files.items;
    decl->npaths = files.n;
    return files.n > 0;
}
