/* discover.c - the migrations folders of a repository, found by a walk
 * (see discover.h): each folder holding SQL files that a framework's
 * layout reads, with its framework. `check` lints them when given no
 * PATHS; `migralint init` writes them into .migralint.json. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/keyhash.h"
#include "../core/strbuf.h"
#include "../layout/layout.h"
#include "../vcs/git.h"
#include "cache.h"
#include "discover.h"
#include "files.h"

#define INIT_MAX_DEPTH   7    /* db/migrations, module/src/main/resources/db/migration/postgres */
#define INIT_MAX_DIRS    4000 /* folders the walk opens, at most */
#define INIT_MAX_FILES   20000
#define INIT_MAX_FOLDERS 32 /* what .migralint.json holds */

typedef struct found {
    const char *dir; /* repo-relative */
    framework fw;
} found;

typedef struct scan {
    arena *a;
    const char *root;
    const cli_options *o;
    found items[INIT_MAX_FOLDERS];
    size_t count;
    layout_file *files; /* reused per folder */
    source **srcs;
    size_t nfiles, capfiles;
    size_t ndirs; /* folders opened so far (INIT_MAX_DIRS) */
    /* --staged: the index's files, sorted, walked instead of the work
     * tree's (the lint reads them from there too) */
    vcs_repo *repo;
    vcs_files index;
} scan;

static bool skipped_dir(const char *name)
{
    static const char *const skip[] = {"node_modules", "vendor", "build",           "dist",
                                       "target",       "venv",   "__pycache__",     "out",
                                       "bin",          "obj",    "bower_components"};
    if (name[0] == '.')
        return true;
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (!strcmp(name, skip[i]))
            return true;
    return false;
}

static bool has_file(const char *dir, const char *name)
{
    char path[2 * PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_sql(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcmp(name + n - 4, ".sql");
}

/* a "/" b into buf; false when it does not fit. No printf: the walk joins
 * a path per entry of every folder it opens. */
static bool path_join(char *buf, size_t size, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na + 1 + nb + 1 > size)
        return false;
    memcpy(buf, a, na);
    buf[na] = '/';
    memcpy(buf + na + 1, b, nb + 1);
    return true;
}

/* The entry's type, from readdir when it knows (no stat), else from stat
 * (which follows a symbolic link, as before); 0 when it cannot be read. */
static mode_t entry_type(const struct dirent *e, const char *path)
{
    struct stat st;
    if (e->d_type == DT_DIR)
        return S_IFDIR;
    if (e->d_type == DT_REG)
        return S_IFREG;
    return stat(path, &st) == 0 ? st.st_mode & S_IFMT : 0;
}

/* Appends a file and its text (NULL when unreadable) to the folder's. */
static void push_file(scan *s, const char *kept, source *src)
{
    if (s->nfiles == s->capfiles) { /* doubling: a folder of 6,000 files */
        s->capfiles = s->capfiles ? s->capfiles * 2 : 64;
        s->files = realloc(s->files, s->capfiles * sizeof *s->files);
        s->srcs = realloc(s->srcs, s->capfiles * sizeof *s->srcs);
        if (!s->files || !s->srcs)
            abort();
    }
    s->files[s->nfiles] = (layout_file){kept, src};
    s->srcs[s->nfiles++] = src;
}

/* Collects the files of rel (recursively) that the layout reads. */
static void collect(scan *s, const char *rel, int depth)
{
    char fs[PATH_MAX];
    snprintf(fs, sizeof fs, "%s/%s", s->root, rel);
    DIR *d = opendir(fs);
    struct dirent *e;
    while (d && (e = readdir(d)) && s->nfiles < INIT_MAX_FILES) {
        if (e->d_name[0] == '.')
            continue;
        char child[PATH_MAX], path[PATH_MAX];
        if (!path_join(child, sizeof child, rel, e->d_name) ||
            !path_join(path, sizeof path, s->root, child))
            continue;
        mode_t type = entry_type(e, path);
        if (type == S_IFDIR && depth < 3 && !skipped_dir(e->d_name))
            collect(s, arena_strdup(s->a, child), depth + 1);
        else if (type == S_IFREG && layout_needs_text(child)) {
            const char *kept = arena_strdup(s->a, child);
            source *src = files_load(path, kept, s->o->max_file_size, true);
            push_file(s, kept, src);
        }
    }
    if (d)
        closedir(d);
}

static void drop_files(scan *s)
{
    for (size_t i = 0; i < s->nfiles; i++)
        source_free(s->srcs[i]);
    s->nfiles = 0;
}

/* A path where numbered SQL files are not migrations: a component naming
 * seeds, tests, fixtures, examples, docs, demos or benchmarks. */
static bool not_migrations_path(const char *rel)
{
    static const char *const words[] = {"seed",     "seeds",  "fixture", "fixtures",  "example",
                                        "examples", "sample", "samples", "doc",       "docs",
                                        "demo",     "demos",  "bench",   "benchmark", "benchmarks",
                                        "spec",     "specs"};
    for (const char *c = rel; *c; c = strchr(c, '/') ? strchr(c, '/') + 1 : c + strlen(c)) {
        size_t n = strcspn(c, "/");
        if (!strncmp(c, "test", 4))
            return true;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (strlen(words[i]) == n && !strncmp(c, words[i], n))
                return true;
    }
    return false;
}

/* A folder of numbered SQL files (001_init.sql, 0002-users.sql, V1__x.sql
 * excluded: Flyway is found by its own names): at least two .sql files of
 * the folder itself start with a digit, and they are most of them. */
static bool numbered_folder(const scan *s, const char *rel)
{
    size_t sql = 0, numbered = 0, len = strlen(rel);
    for (size_t i = 0; i < s->nfiles; i++) {
        const char *p = s->files[i].path;
        if (strncmp(p, rel, len) || p[len] != '/' || strchr(p + len + 1, '/') || !is_sql(p))
            continue;
        sql++;
        numbered += p[len + 1] >= '0' && p[len + 1] <= '9';
    }
    return numbered >= 2 && 2 * numbered > sql;
}

/* Does a subfolder of rel hold SQL files? */
static bool sql_below(const scan *s, const char *rel)
{
    size_t len = strlen(rel);
    for (size_t i = 0; i < s->nfiles; i++) {
        const char *p = s->files[i].path;
        if (!strncmp(p, rel, len) && p[len] == '/' && strchr(p + len + 1, '/') && is_sql(p))
            return true;
    }
    return false;
}

/* ---- --staged: the same walk over the index ---- */

/* The text of an index file as files_load would give it, quietly: NULL
 * when unread, over the size limit, binary or not UTF-8. */
static source *index_source(const scan *s, const vcs_file *f)
{
    size_t bad;
    if (!f->data || f->len > s->o->max_file_size)
        return NULL;
    source *src = source_new(f->path, f->data, f->len);
    if (source_has_nul(src, &bad) || !source_valid_utf8(src, &bad)) {
        source_free(src);
        return NULL;
    }
    return src;
}

/* Would collect() reach the file at tail (its path below the folder)? No
 * hidden part, at most 3 folders down, none of them skipped. */
static bool collected(const char *tail)
{
    int depth = 0;
    for (const char *c = tail;; depth++) {
        const char *slash = strchr(c, '/');
        if (c[0] == '.' || depth > 3)
            return false;
        if (!slash)
            return true;
        char name[256];
        size_t n = (size_t)(slash - c);
        if (n >= sizeof name)
            return false;
        memcpy(name, c, n);
        name[n] = '\0';
        if (skipped_dir(name))
            return false;
        c = slash + 1;
    }
}

/* collect() over the index: the folder's texts are read once, and kept
 * for the lint of the folder that follows. */
static void collect_index(scan *s, const char *rel)
{
    vcs_files files = {0};
    size_t len = strlen(rel);
    vcs_peek_index_dir(s->repo, rel, s->a, &files);
    for (size_t i = 0; i < files.count && s->nfiles < INIT_MAX_FILES; i++) {
        const vcs_file *f = &files.items[i];
        if (collected(f->path + len + 1) && layout_needs_text(f->path))
            push_file(s, f->path, index_source(s, f));
    }
    vcs_files_free(&files);
}

/* The run of index paths under rel ("" for all): [*from, returned). */
static size_t index_run(const scan *s, const char *rel, size_t *from)
{
    size_t n = strlen(rel), lo = 0, hi = s->index.count;
    const vcs_file *v = s->index.items;
    if (!n) {
        *from = 0;
        return hi;
    }
    while (lo < hi) { /* the first path at or after "rel/" */
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(v[mid].path, rel, n);
        if (c < 0 || (c == 0 && (unsigned char)v[mid].path[n] < '/'))
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    while (hi < s->index.count && !strncmp(v[hi].path, rel, n) && v[hi].path[n] == '/')
        hi++;
    return hi;
}

static bool index_has_file(const scan *s, const char *rel, const char *name)
{
    char path[PATH_MAX];
    return path_join(path, sizeof path, rel, name) && vcs_files_find(&s->index, path);
}

/* has_sql_child() over the index: a .sql file, or a folder with up.sql
 * or migration.sql, directly in rel. */
static bool index_has_sql_child(const scan *s, const char *rel)
{
    size_t from, to = index_run(s, rel, &from), n = strlen(rel);
    for (size_t i = from; i < to; i++) {
        const char *tail = s->index.items[i].path + n + 1, *slash = strchr(tail, '/');
        if (tail[0] == '.')
            continue;
        if (!slash ? is_sql(tail)
                   : !strcmp(slash + 1, "up.sql") || !strcmp(slash + 1, "migration.sql"))
            return true;
    }
    return false;
}

/* Goes down into each of names (rel's subfolders, unsorted), in name
 * order, with step (walk or walk_index), and frees the list. */
static void walk_below(scan *s, const char *rel, int depth, file_list *names,
                       void (*step)(scan *, const char *, int))
{
    if (names->count)
        qsort(names->paths, names->count, sizeof *names->paths, name_cmp);
    for (size_t i = 0; i < names->count; i++)
        step(s, *rel ? arena_printf(s->a, "%s/%s", rel, names->paths[i]) : names->paths[i],
             depth + 1);
    files_free(names);
}

static bool try_folder(scan *s, const char *rel);

/* walk() over the index: its folders are the paths' folders. */
static void walk_index(scan *s, const char *rel, int depth)
{
    if (*rel && (index_has_sql_child(s, rel) || index_has_file(s, rel, "sqitch.plan")) &&
        try_folder(s, rel))
        return;
    if (depth == INIT_MAX_DEPTH || s->ndirs >= INIT_MAX_DIRS)
        return;
    s->ndirs++;
    size_t from, to = index_run(s, rel, &from), n = *rel ? strlen(rel) + 1 : 0;
    file_list names = {0};
    for (size_t i = from; i < to; i++) {
        const char *tail = s->index.items[i].path + n, *slash = strchr(tail, '/');
        size_t k = slash ? (size_t)(slash - tail) : 0;
        /* a path's folders are together in path order: one name per run */
        if (!slash || (names.count && strlen(names.paths[names.count - 1]) == k &&
                       !strncmp(names.paths[names.count - 1], tail, k)))
            continue;
        char *name = strndup(tail, k);
        names.paths = realloc(names.paths, (names.count + 1) * sizeof *names.paths);
        if (!name || !names.paths)
            abort();
        names.paths[names.count++] = name;
    }
    size_t kept = 0;
    for (size_t i = 0; i < names.count; i++) {
        if (skipped_dir(names.paths[i]))
            free(names.paths[i]);
        else
            names.paths[kept++] = names.paths[i];
    }
    names.count = kept;
    walk_below(s, rel, depth, &names, walk_index);
}

/* The verdict's key on rel as the index holds it: this binary, the size
 * limit, and the path and blob id of every file collect_index would read
 * (src/core/keyhash.c, not SHA-1: 6,000 entries are hashed on every run). */
static void verdict_key(const scan *s, const char *rel, char key[33])
{
    strbuf b = STRBUF_INIT;
    cache_verdict_key(&b);
    strbuf_printf(&b, "folder=%s\nmax=%zu\n", rel, s->o->max_file_size);
    size_t from, to = index_run(s, rel, &from), n = strlen(rel), k = 0;
    for (size_t i = from; i < to && k < INIT_MAX_FILES; i++) {
        const vcs_file *f = &s->index.items[i];
        if (!collected(f->path + n + 1) || !layout_needs_text(f->path))
            continue;
        strbuf_puts(&b, f->path);
        strbuf_putc(&b, ' ');
        strbuf_puts(&b, f->oid);
        strbuf_putc(&b, '\n');
        k++;
    }
    keyhash_hex(b.data, b.len, key, 32);
    strbuf_free(&b);
}

/* Is rel a migrations folder (its framework in *fw)? */
static bool judge_folder(scan *s, const char *rel, framework *fw)
{
    if (s->repo)
        collect_index(s, rel);
    else
        collect(s, rel, 0);
    migration_set set;
    layout_error err;
    bool ok = s->nfiles > 0 && layout_build(s->a, rel, s->files, s->nfiles, FW_COUNT, &set, &err) &&
              set.count > 0;
    /* Plain SQL folders are everywhere (seeds, queries): only a folder
     * named like one, or of numbered files outside seeds and tests,
     * counts as migrations without a framework. */
    if (ok && set.fw == FW_PLAIN &&
        ((!strstr(rel, "migrat") && !numbered_folder(s, rel)) || not_migrations_path(rel)))
        ok = false;
    /* migrations/ holding schema.sql beside db/init-scripts/ and
     * db/migrations/ (supabase/postgres): the folders below are the
     * migrations, not one plain folder of everything. */
    if (ok && set.fw == FW_PLAIN && !numbered_folder(s, rel) && sql_below(s, rel))
        ok = false;
    *fw = ok ? set.fw : FW_COUNT;
    drop_files(s);
    return ok;
}

/* Is rel a migrations folder? It must hold SQL files directly (or in
 * per-migration folders: diesel, Prisma) and a layout must accept it;
 * when it is, it is added to the folders found. */
static bool try_folder(scan *s, const char *rel)
{
    /* --staged: a verdict on the folder as the index holds it is kept in
     * the replay cache's folder, so a pre-commit run builds no layout
     * here (the lint builds its own) and, with nothing staged, reads no
     * text at all. */
    char key[33];
    int kept;
    bool keyed = s->repo && !s->o->no_cache;
    if (keyed)
        verdict_key(s, rel, key);
    framework fw;
    bool ok;
    if (keyed && cache_verdict_get(key, &kept) && kept >= -1 && kept < FW_COUNT) {
        ok = kept >= 0;
        fw = ok ? (framework)kept : FW_COUNT;
        if (s->o->verbose)
            fprintf(stderr, "migralint: %s: judged from the cache\n", rel);
    } else {
        /* The files and the layout live in an arena of their own, freed
         * when the folder is judged: a folder of 6,000 migrations leaves
         * megabytes that the lint of it would otherwise add to. */
        arena *outer = s->a;
        s->a = arena_new();
        ok = judge_folder(s, rel, &fw);
        arena_free(s->a);
        s->a = outer;
        if (keyed)
            cache_verdict_put(key, ok ? (int)fw : -1);
    }
    if (ok && s->count < INIT_MAX_FOLDERS)
        s->items[s->count++] = (found){arena_strdup(s->a, rel), fw};
    return ok;
}

static bool has_sql_child(const char *fs_dir)
{
    DIR *d = opendir(fs_dir);
    struct dirent *e;
    bool yes = false;
    while (d && !yes && (e = readdir(d))) {
        char path[PATH_MAX + 256];
        if (e->d_name[0] == '.' || !path_join(path, sizeof path, fs_dir, e->d_name))
            continue;
        /* A .sql name settles it before any stat. */
        if (e->d_type == DT_REG) {
            yes = is_sql(e->d_name);
            continue;
        }
        mode_t type = entry_type(e, path);
        yes = type == S_IFREG ? is_sql(e->d_name)
                              : type == S_IFDIR &&
                                    (has_file(path, "up.sql") || has_file(path, "migration.sql"));
    }
    if (d)
        closedir(d);
    return yes;
}

/* Walks the tree: a folder that is a migrations folder is taken whole (its
 * subfolders belong to it); others are searched below. */
static void walk(scan *s, const char *rel, int depth)
{
    char fs[PATH_MAX];
    snprintf(fs, sizeof fs, "%s%s%s", s->root, *rel ? "/" : "", rel);
    if (*rel && (has_sql_child(fs) || has_file(fs, "sqitch.plan")) && try_folder(s, rel))
        return;
    if (depth == INIT_MAX_DEPTH || s->ndirs >= INIT_MAX_DIRS)
        return;
    DIR *d = opendir(fs);
    if (!d)
        return;
    s->ndirs++;
    file_list names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[PATH_MAX + 256];
        if (skipped_dir(e->d_name) || e->d_type == DT_REG ||
            !path_join(path, sizeof path, fs, e->d_name) || entry_type(e, path) != S_IFDIR)
            continue;
        names.paths = realloc(names.paths, (names.count + 1) * sizeof *names.paths);
        if (!names.paths || !(names.paths[names.count++] = strdup(e->d_name)))
            abort();
    }
    closedir(d);
    walk_below(s, rel, depth, &names, walk);
}

size_t cli_discover(const char *root, const cli_options *o, arena *a, cli_found **out)
{
    scan s = {.a = a, .root = root, .o = o};
    /* --staged lints the folders as the index holds them, so it finds
     * them there too: no work-tree listing, no file read twice (an
     * untracked folder is not linted; one deleted but still staged is). */
    s.repo = o->staged ? vcs_current() : NULL;
    if (s.repo && vcs_list_index_dir(s.repo, "", a, &s.index))
        walk_index(&s, "", 0);
    else
        walk(&s, "", 0);
    vcs_files_free(&s.index);
    free(s.files);
    free(s.srcs);
    cli_found *list = arena_calloc(a, s.count ? s.count : 1, sizeof *list);
    for (size_t i = 0; i < s.count; i++)
        list[i] = (cli_found){s.items[i].dir, s.items[i].fw};
    *out = list;
    return s.count;
}
