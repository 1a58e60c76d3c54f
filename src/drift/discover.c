/* discover.c - drift sources found from a project's own files (see
 * discover.h). drizzle.config.ts is read with tree-sitter: its `schema` and
 * `out` properties, as string literals or path.join(__dirname, "...") (any
 * other computed value is not guessed: the hint says what to pass). Past
 * the working directory's own config, a bounded walk (depth 5, 4000
 * folders, node_modules, dist, build and hidden folders skipped) finds a
 * monorepo's drizzle.config.*, prisma schema beside its migrations, or a
 * TypeORM data source (an object with type "postgres", `entities` and
 * `migrations` globs). */
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
#include "../core/file.h"

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

/* Is the entry a folder? readdir says so on most file systems, which saves
 * a stat per entry: the walk lists every folder down to depth 5, and a
 * folder of 20,000 migrations beside the project cost 20,000 stats. A
 * symbolic link or an unknown type is still asked of stat, which follows
 * links as before. */
static bool entry_is_dir(const struct dirent *e, const char *dir, arena *a, const char **path)
{
    *path = NULL;
    if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK)
        return false;
    *path = arena_printf(a, "%s/%s", dir, e->d_name);
    return e->d_type == DT_DIR || is_dir(*path);
}

typedef struct list {
    const char **items;
    size_t n, cap;
} list;

/* Adds s unless it is there already (two globs of a data source, the
 * entities' and the view entities', may match one file). */
static void list_add(arena *a, list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i], s))
            return;
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
    /* The letter after the dot first: a folder of 6,000 .sql migrations
     * is listed on every run (drift_discover's walk). */
    for (; dot && *exts; exts++)
        if (dot[1] == (*exts)[1] && !strcmp(dot, *exts))
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
        const char *p;
        if (entry_is_dir(e, dir, a, &p))
            add_tree(a, l, p, exts);
        else if (has_ext(e->d_name, exts) && !strstr(e->d_name, ".test.") &&
                 !strstr(e->d_name, ".spec.") && !strstr(e->d_name, ".d.ts"))
            list_add(a, l, p ? p : arena_printf(a, "%s/%s", dir, e->d_name));
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
    const char *stars = strstr(p, "/**/");
    if (stars) { /* glob(3) has no "**": every file under the folder before it */
        add_tree(a, l, arena_strndup(a, p, (size_t)(stars - p)), exts);
        return;
    }
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

static const char *string_text(arena *a, TSNode n, const char *text)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e - s < 2)
        return NULL;
    return arena_strndup(a, text + s + 1, e - s - 2);
}

/* Why discovery found nothing usable (or what else it found): a config
 * whose paths are computed, and what to pass instead. */
static const char *last_hint;

const char *drift_discover_hint(void)
{
    return last_hint;
}

static void hint(arena *a, const char *fmt, const char *what, const char *more)
{
    const char *h = arena_printf(a, fmt, what, more);
    /* The root is looked at before the walk and again by it: say a thing once. */
    for (const char *l = last_hint; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        size_t n = strlen(h);
        if (!strncmp(l, h, n) && (l[n] == '\n' || !l[n]))
            return;
    }
    last_hint = last_hint ? arena_printf(a, "%s\n%s", last_hint, h) : h;
}

/* Keys bare or quoted ("schema": in drizzle.config.json and some .ts). */
static const char config_query[] =
    "(pair key: [(property_identifier) (string)] @key value: (_) @value)\n"
    "(object (shorthand_property_identifier) @short)";

static bool node_is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static const char *node_src(arena *a, TSNode n, const char *text)
{
    return arena_strndup(a, text + ts_node_start_byte(n),
                         ts_node_end_byte(n) - ts_node_start_byte(n));
}

/* A path value of a config, relative to the config's folder: a string,
 * `path.join(__dirname, "a", "b")` / `path.resolve(__dirname, ...)`, or
 * `${__dirname}/a`, `__dirname + "/a"`. NULL when it is computed otherwise. */
static const char *path_value(arena *a, TSNode v, const char *text)
{
    if (node_is(v, "string"))
        return string_text(a, v, text);
    if (node_is(v, "template_string")) {
        const char *t = node_src(a, v, text);
        if (!strncmp(t, "`${__dirname}/", 14))
            return arena_strndup(a, t + 14, strlen(t) - 15);
        return strchr(t, '$') ? NULL : string_text(a, v, text);
    }
    if (node_is(v, "binary_expression")) { /* __dirname + '/../<glob>' */
        TSNode l = ts_node_child_by_field_name(v, "left", 4);
        TSNode r = ts_node_child_by_field_name(v, "right", 5);
        const char *rest = node_is(r, "string") ? string_text(a, r, text) : NULL;
        if (!node_is(l, "identifier") || strcmp(node_src(a, l, text), "__dirname") != 0 || !rest ||
            rest[0] != '/')
            return NULL;
        return rest + 1;
    }
    if (!node_is(v, "call_expression"))
        return NULL;
    const char *fn = node_src(a, ts_node_child_by_field_name(v, "function", 8), text);
    if (strcmp(fn, "path.join") != 0 && strcmp(fn, "path.resolve") != 0 && strcmp(fn, "join") &&
        strcmp(fn, "resolve"))
        return NULL;
    TSNode args = ts_node_child_by_field_name(v, "arguments", 9);
    const char *out = NULL;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode arg = ts_node_named_child(args, i);
        if (i == 0 && !strcmp(node_src(a, arg, text), "__dirname"))
            continue;
        if (!node_is(arg, "string") || i == 0)
            return NULL;
        const char *part = string_text(a, arg, text);
        out = out ? arena_printf(a, "%s/%s", out, part) : part;
    }
    return out;
}

typedef struct config_vals {
    list schema;
    const char *out, *computed; /* computed: the first path not read, as written */
    const char *dialect;        /* as written; NULL when not a string literal */
    bool snake;
} config_vals;

/* The value of a top-level `const name = value` in the file, or n itself
 * when it is not an identifier or no such const is found (better-chatbot:
 * `const schema = "./src/lib/db/pg/schema.pg.ts"; defineConfig({ schema })`). */
static TSNode const_value(arena *a, TSNode root, TSNode n, const char *text)
{
    if (!node_is(n, "identifier") && !node_is(n, "shorthand_property_identifier"))
        return n;
    const char *name = node_src(a, n, text);
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode d = ts_node_named_child(root, i);
        if (node_is(d, "export_statement"))
            d = ts_node_child_by_field_name(d, "declaration", 11);
        if (!node_is(d, "lexical_declaration"))
            continue;
        for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
            TSNode v = ts_node_named_child(d, k);
            TSNode id = ts_node_child_by_field_name(v, "name", 4);
            TSNode val = ts_node_child_by_field_name(v, "value", 5);
            if (node_is(v, "variable_declarator") && node_is(id, "identifier") &&
                !ts_node_is_null(val) && !strcmp(node_src(a, id, text), name))
                return val;
        }
    }
    return n;
}

/* Reads `schema`, `out`, `casing` and `dialect` from a drizzle config file. */
static bool read_drizzle_config(arena *a, const char *path, config_vals *cv)
{
    size_t len;
    char *text = file_read_all(path, &len);
    if (!text)
        return false;
    size_t plen = strlen(path);
    if (plen > 5 && !strcmp(path + plen - 5, ".json")) {
        /* drizzle.config.json (older drizzle-kit): an object literal once
         * parenthesised, where it would otherwise read as a block */
        char *wrapped = malloc(len + 3);
        if (!wrapped)
            abort();
        wrapped[0] = '(';
        memcpy(wrapped + 1, text, len);
        wrapped[len + 1] = ')';
        wrapped[len + 2] = 0;
        free(text);
        text = wrapped;
        len += 2;
    }
    /* Compiled once per process: compiling a query for the TypeScript
     * grammar costs more than reading a config (~38 M instructions), and a
     * monorepo walk or a language server reads many. */
    static tsq *q;
    char err[256];
    if (!q)
        q = tsq_compile("typescript", "drizzle-config", config_query, sizeof config_query - 1, err,
                        sizeof err);
    TSTree *tree = q ? tsq_parse("typescript", text, (uint32_t)len) : NULL;
    if (tree) {
        tsq_cursor *c = tsq_exec(q, ts_tree_root_node(tree), text);
        TSQueryMatch m;
        uint32_t key = tsq_capture_id(q, "key"), val = tsq_capture_id(q, "value"),
                 shorthand = tsq_capture_id(q, "short");
        TSNode root = ts_tree_root_node(tree);
        while (tsq_next(c, &m)) {
            TSNode k, v;
            if (tsq_capture(&m, shorthand, &k))
                v = k;
            else if (!tsq_capture(&m, key, &k) || !tsq_capture(&m, val, &v))
                continue;
            v = const_value(a, root, v, text);
            const char *ks = node_is(k, "string") ? string_text(a, k, text) : node_src(a, k, text);
            if (!ks)
                continue;
            if (!strcmp(ks, "dialect")) {
                cv->dialect = node_is(v, "string") ? string_text(a, v, text) : NULL;
            } else if (!strcmp(ks, "driver") && !cv->dialect) {
                /* drizzle-kit before 0.21 named the driver, not the dialect */
                const char *d = node_is(v, "string") ? string_text(a, v, text) : NULL;
                cv->dialect = !d                                                  ? NULL
                              : !strcmp(d, "mysql2") || !strcmp(d, "planetscale") ? "mysql"
                              : !strcmp(d, "pg")                                  ? "postgresql"
                              : !strcmp(d, "better-sqlite") || !strcmp(d, "libsql") ||
                                      !strcmp(d, "turso") || !strcmp(d, "d1")
                                  ? "sqlite"
                                  : NULL;
            } else if (!strcmp(ks, "casing")) {
                const char *d = node_is(v, "string") ? string_text(a, v, text) : NULL;
                cv->snake = d && !strcmp(d, "snake_case");
            } else if (!strcmp(ks, "out") || !strcmp(ks, "schema")) {
                bool out = ks[0] == 'o';
                uint32_t n = node_is(v, "array") ? ts_node_named_child_count(v) : 1;
                for (uint32_t i = 0; i < n; i++) {
                    TSNode e = node_is(v, "array") ? ts_node_named_child(v, i) : v;
                    const char *p = path_value(a, e, text);
                    if (!p && !cv->computed)
                        cv->computed = arena_printf(a, "%s: %s", ks, node_src(a, e, text));
                    else if (p && out)
                        cv->out = p;
                    else if (p)
                        list_add(a, &cv->schema, p);
                }
            }
        }
        tsq_cursor_free(c);
        ts_tree_delete(tree);
    }
    free(text);
    return true;
}

static const char *const drizzle_configs[] = {"drizzle.config.ts",
                                              "drizzle.config.js",
                                              "drizzle.config.mjs",
                                              "drizzle.config.mts",
                                              "drizzle.config.cjs",
                                              "drizzle.config.json",
                                              NULL};

/* "./x" -> "x", "a/./b" kept: paths for messages and comparisons. */
static const char *tidy(arena *a, const char *base, const char *rel)
{
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    if (!strcmp(base, "."))
        return rel[0] ? rel : ".";
    return arena_printf(a, "%s/%s", base, rel);
}

static bool drizzle_at(arena *a, const char *base, const char *mig_dir, drift_decl *decl,
                       const char **found_dir)
{
    for (const char *const *name = drizzle_configs; *name; name++) {
        const char *path = tidy(a, base, *name);
        if (!is_file(path))
            continue;
        config_vals cv = {.out = "drizzle"};
        if (!read_drizzle_config(a, path, &cv))
            continue;
        /* PostgreSQL and MySQL (the schema files say which: drizzle.c);
         * migralint reads no other dialect's SQL. */
        if (cv.dialect && strcmp(cv.dialect, "postgresql") != 0 &&
            strcmp(cv.dialect, "mysql") != 0) {
            hint(
                a,
                "migralint: drift: %s: dialect '%s' is not one migralint reads (postgresql, mysql)",
                path, cv.dialect);
            continue;
        }
        const char *out_dir = tidy(a, base, cv.out);
        if (cv.computed) {
            hint(a,
                 "migralint: drift: %s: %s is computed, not read; pass the migrations folder "
                 "and the schema files: migralint drift <migrations folder> <schema files>",
                 path, cv.computed);
            continue;
        }
        if (mig_dir && !drift_same_dir(out_dir, mig_dir))
            continue;
        list files = {0};
        for (size_t i = 0; i < cv.schema.n; i++)
            add_schema_entry(a, &files, base, cv.schema.items[i]);
        if (!files.n) {
            hint(a, "migralint: drift: %s: its schema (%s) matches no file", path,
                 cv.schema.n ? cv.schema.items[0] : "none given");
            continue;
        }
        orm_drizzle_set_casing(cv.snake);
        decl->kind = "drizzle";
        decl->paths = files.items;
        decl->npaths = files.n;
        if (found_dir)
            *found_dir = out_dir;
        return true;
    }
    return false;
}

/* Does a prisma.config.* or package.json beside dir or above it name a
 * single .prisma file as the schema? Prisma reads one file then; given a
 * folder (rallly: path.join(__dirname, "prisma")) it reads every .prisma
 * file under it. */
static bool prisma_single_file(arena *a, const char *dir)
{
    static const char *const names[] = {"prisma.config.ts", "prisma.config.mts", "prisma.config.js",
                                        "package.json"};
    for (int up = 0; up < 2; up++) {
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            const char *p = arena_printf(a, "%s%s/%s", dir, up ? "/.." : "", names[i]);
            size_t len;
            char *text = is_file(p) ? file_read_all(p, &len) : NULL;
            bool single = text && (strstr(text, ".prisma\"") || strstr(text, ".prisma'"));
            free(text);
            if (single)
                return true;
        }
    }
    return false;
}

static bool prisma_at(arena *a, const char *dir, drift_decl *decl)
{
    list files = {0};
    const char *file = arena_printf(a, "%s/schema.prisma", dir);
    const char *folder = arena_printf(a, "%s/schema", dir);
    if (is_file(file)) {
        add_tree(a, &files, dir, prisma_exts);
        if (files.n > 1 && prisma_single_file(a, dir))
            files.n = 0;
        if (files.n <= 1) {
            files.n = 0;
            list_add(a, &files, file);
        }
    } else if (is_dir(folder))
        add_tree(a, &files, folder, prisma_exts);
    if (!files.n)
        return false;
    decl->kind = "prisma";
    decl->paths = files.items;
    decl->npaths = files.n;
    return true;
}

/* ---- TypeORM: a data source's `entities` and `migrations` ---- */

/* The folder of a migrations glob: its part before the first wildcard. */
static const char *glob_dir(arena *a, const char *g)
{
    size_t n = strcspn(g, "*?[{");
    while (n > 0 && g[n - 1] != '/')
        n--;
    return n > 1 ? arena_strndup(a, g, n - 1) : ".";
}

static bool likely_data_source(const char *name)
{
    static const char *const words[] = {"source", "ormconfig", "typeorm", "database",
                                        "db.",    "config",    NULL};
    for (const char *const *w = words; *w; w++)
        if (strstr(name, *w))
            return true;
    return false;
}

/* The strings of an `entities:` / `migrations:` value, or false when it is
 * computed (classes, a variable). */
static bool string_list(arena *a, TSNode v, const char *text, list *out)
{
    uint32_t n = node_is(v, "array") ? ts_node_named_child_count(v) : 1;
    for (uint32_t i = 0; i < n; i++) {
        TSNode e = node_is(v, "array") ? ts_node_named_child(v, i) : v;
        if (node_is(e, "comment"))
            continue;
        const char *p = path_value(a, e, text);
        if (!p)
            return false;
        list_add(a, out, p);
    }
    return n > 0;
}

/* A PostgreSQL data source object in file `path` (base: the folder its
 * globs are relative to, the repository root as TypeORM resolves them from
 * the working directory, else the file's folder). */
static bool typeorm_object(arena *a, const char *path, const char *text, TSNode obj,
                           const char *mig_dir, drift_decl *decl, const char **found_dir)
{
    TSNode type = {0}, ents = {0}, migs = {0}, naming = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
        TSNode p = ts_node_named_child(obj, i);
        if (!node_is(p, "pair"))
            continue;
        const char *k = node_src(a, ts_node_child_by_field_name(p, "key", 3), text);
        TSNode v = ts_node_child_by_field_name(p, "value", 5);
        if (!strcmp(k, "type"))
            type = v;
        else if (!strcmp(k, "entities"))
            ents = v;
        else if (!strcmp(k, "migrations"))
            migs = v;
        else if (!strcmp(k, "namingStrategy"))
            naming = v;
    }
    const char *ts = node_is(type, "string") ? string_text(a, type, text) : NULL;
    if (ts_node_is_null(migs) || (ts && strcmp(ts, "postgres") != 0))
        return false;
    list el = {0}, ml = {0};
    if (!string_list(a, migs, text, &ml) || ts_node_is_null(ents) ||
        !string_list(a, ents, text, &el)) {
        hint(a,
             "migralint: drift: %s: the data source's entities or migrations are not paths "
             "(%s); pass the migrations folder and the entity files: migralint drift "
             "<migrations folder> <entity .ts files>",
             path, node_src(a, ts_node_is_null(ents) ? migs : ents, text));
        return false;
    }
    char *dir = arena_strdup(a, path);
    char *slash = strrchr(dir, '/');
    const char *bases[] = {".", slash ? (*slash = 0, dir) : "."};
    for (size_t b = 0; b < 2; b++) {
        const char *md = tidy(a, bases[b], glob_dir(a, ml.items[0]));
        if (!is_dir(md) || (mig_dir && !drift_same_dir(md, mig_dir)))
            continue;
        list files = {0};
        for (size_t i = 0; i < el.n; i++)
            add_entry(a, &files, bases[b], el.items[i], ts_exts);
        if (!files.n)
            continue;
        decl->kind = "typeorm";
        orm_typeorm_set_snake_naming(!ts_node_is_null(naming) &&
                                     strstr(node_src(a, naming, text), "SnakeNamingStrategy"));
        decl->paths = files.items;
        decl->npaths = files.n;
        if (found_dir)
            *found_dir = md;
        return true;
    }
    return false;
}

static bool typeorm_file(arena *a, const char *path, const char *mig_dir, drift_decl *decl,
                         const char **found_dir)
{
    size_t len;
    char *text = file_read_all(path, &len);
    if (!text)
        return false;
    bool found = false;
    if (len < (1u << 20) && strstr(text, "typeorm") && strstr(text, "migrations")) {
        char err[256];
        static const char q_src[] = "(object) @o";
        static tsq *q; /* once per process, as the drizzle config's */
        if (!q)
            q = tsq_compile("typescript", "typeorm-source", q_src, sizeof q_src - 1, err,
                            sizeof err);
        TSTree *tree = q ? tsq_parse("typescript", text, (uint32_t)len) : NULL;
        if (tree) {
            tsq_cursor *c = tsq_exec(q, ts_tree_root_node(tree), text);
            TSQueryMatch m;
            while (!found && tsq_next(c, &m))
                found = typeorm_object(a, path, text, m.captures[0].node, mig_dir, decl, found_dir);
            tsq_cursor_free(c);
            ts_tree_delete(tree);
        }
    }
    free(text);
    return found;
}

/* ---- the bounded walk ---- */

enum { WALK_DEPTH = 5, WALK_DIRS = 4000 };

static bool skipped_dir(const char *name)
{
    static const char *const skip[] = {"node_modules", "dist",   "build", "out", "coverage",
                                       "vendor",       "target", "tmp",   NULL};
    if (name[0] == '.')
        return true;
    for (const char *const *s = skip; *s; s++)
        if (!strcmp(name, *s))
            return true;
    return false;
}

typedef struct walk {
    arena *a;
    const char *mig_dir;
    drift_decl *decl;
    const char **found_dir;
    size_t dirs;
    bool found;
    struct stat mig; /* mig_dir's, when has_mig */
    bool has_mig;
} walk;

static bool prisma_candidate(arena *a, const char *dir, const char *mig_dir, drift_decl *decl,
                             const char **found_dir)
{
    const char *mig = tidy(a, dir, "migrations");
    if (!is_dir(mig) || (mig_dir && !drift_same_dir(mig, mig_dir)) || !prisma_at(a, dir, decl))
        return false;
    if (found_dir)
        *found_dir = mig;
    return true;
}

/* One folder: a drizzle config, a Prisma schema beside its migrations, a
 * TypeORM data source. */
static bool look_in(walk *w, const char *dir, list *queue)
{
    if (drizzle_at(w->a, dir, w->mig_dir, w->decl, w->found_dir) ||
        prisma_candidate(w->a, dir, w->mig_dir, w->decl, w->found_dir))
        return true;
    /* The migrations folder is not listed: the project that writes into
     * it sits beside or above it (the checks above still look), and on
     * ext4 listing a folder of 6,000 migrations costs 4 ms, a tenth of a
     * warm pre-commit run. */
    struct stat st;
    if (w->has_mig && stat(dir, &st) == 0 && st.st_dev == w->mig.st_dev &&
        st.st_ino == w->mig.st_ino)
        return false;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    list names = {0};
    size_t first = queue ? queue->n : 0;
    struct dirent *e;
    /* One listing for both: a folder of 6,000 migrations is read once. */
    while ((e = readdir(d))) {
        if (has_ext(e->d_name, ts_exts) && likely_data_source(e->d_name) &&
            !strstr(e->d_name, ".d.ts") && !strstr(e->d_name, ".test.") &&
            !strstr(e->d_name, ".spec."))
            list_add(w->a, &names, e->d_name);
        if (!queue || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK) ||
            skipped_dir(e->d_name))
            continue; /* a file: no stat, no path (see entry_is_dir) */
        const char *p = tidy(w->a, dir, e->d_name);
        if (e->d_type == DT_DIR || is_dir(p))
            list_add(w->a, queue, p);
    }
    closedir(d);
    if (names.n)
        qsort(names.items, names.n, sizeof *names.items, cmp_str);
    for (size_t i = 0; i < names.n; i++)
        if (typeorm_file(w->a, tidy(w->a, dir, names.items[i]), w->mig_dir, w->decl, w->found_dir))
            return true;
    if (queue && queue->n > first)
        qsort(queue->items + first, queue->n - first, sizeof *queue->items, cmp_str);
    return false;
}

/* Breadth first, so the shallowest project wins; folders sorted. */
static bool walk_tree(walk *w)
{
    list queue = {0};
    list_add(w->a, &queue, ".");
    size_t depth_end = 1;
    int depth = 0;
    for (size_t i = 0; i < queue.n && w->dirs < WALK_DIRS; i++) {
        if (i == depth_end) {
            depth++;
            depth_end = queue.n;
        }
        const char *dir = queue.items[i];
        w->dirs++;
        /* the folders below are queued by the same listing, to depth 5 */
        if (look_in(w, dir, depth < WALK_DEPTH ? &queue : NULL))
            return true;
    }
    return false;
}

bool drift_discover(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir)
{
    memset(decl, 0, sizeof *decl);
    last_hint = NULL;
    if (mig_dir) {
        const char *parent = arena_printf(a, "%s/..", mig_dir);
        if (prisma_at(a, parent, decl) || prisma_at(a, mig_dir, decl))
            return true;
        if (drizzle_at(a, ".", mig_dir, decl, NULL) || drizzle_at(a, parent, mig_dir, decl, NULL) ||
            drift_discover_django(a, mig_dir, decl, NULL) ||
            drift_discover_alembic(a, mig_dir, decl, NULL) ||
            drift_discover_atlas(a, mig_dir, decl, NULL))
            return true;
    } else {
        if (drizzle_at(a, ".", NULL, decl, found_dir) ||
            drift_discover_django(a, NULL, decl, found_dir) ||
            drift_discover_alembic(a, NULL, decl, found_dir) ||
            drift_discover_atlas(a, NULL, decl, found_dir))
            return true;
        static const char *const prisma_dirs[] = {"prisma", "."};
        for (size_t i = 0; i < 2; i++) {
            const char *mig = arena_printf(a, "%s/migrations", prisma_dirs[i]);
            if (is_dir(mig) && prisma_at(a, prisma_dirs[i], decl)) {
                *found_dir = i ? "migrations" : "prisma/migrations";
                return true;
            }
        }
    }
    /* A monorepo (packages/db/drizzle.config.ts, apps/web/prisma), a
     * TypeORM data source: a bounded walk from the working directory. */
    walk w = {a, mig_dir, decl, found_dir, 0, false, {0}, false};
    w.has_mig = mig_dir && stat(mig_dir, &w.mig) == 0;
    return walk_tree(&w);
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
