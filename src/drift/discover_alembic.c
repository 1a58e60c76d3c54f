/* discover_alembic.c - an Alembic project's drift sources without
 * configuration. alembic.ini (in the working directory, its migrations/
 * folder as Flask-Migrate writes it, or one folder down in a monorepo)
 * gives script_location, whose versions/ folder holds the revisions. The
 * models are the SQLAlchemy files of the package env.py imports its
 * target_metadata from (`from app.models import Base` ...
 * `target_metadata = Base.metadata`: every SQLAlchemy file under app/);
 * when env.py computes it (Flask-Migrate's
 * current_app.extensions["migrate"].db.metadata), every SQLAlchemy file
 * of the project outside the migrations and tests that declares a table.
 * env.py is read with tree-sitter, alembic.ini line by line. */
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../orm/code_extractors.h"
#include "../orm/tsq.h"
#include "discover.h"
#include "../core/file.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* script_location of the [alembic] section, %(here)s being the ini's
 * folder; NULL when the ini has none. */
static const char *script_location(arena *a, const char *ini, const char *here)
{
    size_t len;
    char *text = file_read_all(ini, &len);
    if (!text)
        return NULL;
    const char *out = NULL;
    bool in_alembic = false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *l = trim(line);
        if (*l == '[')
            in_alembic = !strncmp(l, "[alembic]", 9);
        char *eq = strchr(l, '=');
        if (!in_alembic || !eq || strncmp(l, "script_location", 15))
            continue;
        char *v = trim(eq + 1);
        if (!strncmp(v, "%(here)s/", 9))
            out = arena_printf(a, "%s/%s", here, v + 9);
        else if (v[0] == '/')
            out = arena_strdup(a, v);
        else if (!strchr(v, ':')) /* "package:folder" names a Python package */
            out = arena_printf(a, "%s/%s", here, v);
    }
    free(text);
    return out;
}

typedef struct files {
    const char **items;
    size_t n, cap;
} files;

static void files_add(arena *a, files *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const char **grown = arena_alloc(a, cap * sizeof *grown);
        if (l->n)
            memcpy(grown, l->items, l->n * sizeof *grown);
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = s;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool skipped_dir(const char *name)
{
    static const char *const names[] = {"node_modules",  "tests",       "test",  "venv", "env",
                                        "site-packages", "__pycache__", "build", "dist", NULL};
    for (const char *const *p = names; *p; p++)
        if (!strcmp(*p, name))
            return true;
    return name[0] == '.';
}

/* The SQLAlchemy files under dir (not under `except`); with `tables`,
 * only those that declare a table. */
static void add_models(arena *a, files *l, const char *dir, const char *except, bool tables,
                       int depth)
{
    DIR *d = depth < 12 ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (skipped_dir(e->d_name))
            continue;
        const char *p = arena_printf(a, "%s/%s", dir, e->d_name);
        if (is_dir(p)) {
            if (!except || !drift_same_dir(p, except))
                add_models(a, l, p, except, tables, depth + 1);
            continue;
        }
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".py"))
            continue;
        size_t len;
        char *text = file_read_all(p, &len);
        const char *kind = text ? orm_code_kind(p, text, len) : NULL;
        if (kind && !strcmp(kind, "sqlalchemy") &&
            (!tables || strstr(text, "__tablename__") || strstr(text, "Table(") ||
             strstr(text, ".Model)") || strstr(text, ".Model,")))
            files_add(a, l, p);
        free(text);
    }
    closedir(d);
}

/* The top-level package env.py takes target_metadata from:
 * `target_metadata = Base.metadata` with `from app.db import Base` is
 * "app"; NULL when target_metadata is computed. */
static const char *metadata_package(arena *a, const char *env_py)
{
    size_t len;
    char *text = file_read_all(env_py, &len);
    TSTree *tree = text ? tsq_parse("python", text, (uint32_t)len) : NULL;
    if (!tree) {
        free(text);
        return NULL;
    }
    TSNode root = ts_tree_root_node(tree);
    const char *name = NULL, *pkg = NULL;
    for (uint32_t i = 0; i < ts_node_named_child_count(root) && !name; i++) {
        TSNode as = ts_node_named_child(ts_node_named_child(root, i), 0);
        if (ts_node_is_null(as) || strcmp(ts_node_type(as), "assignment"))
            continue;
        TSNode left = ts_node_child_by_field_name(as, "left", 4);
        TSNode right = ts_node_child_by_field_name(as, "right", 5);
        uint32_t ls = ts_node_start_byte(left), le = ts_node_end_byte(left);
        if (le - ls != 15 || strncmp(text + ls, "target_metadata", 15) ||
            strcmp(ts_node_type(right), "attribute"))
            continue;
        TSNode obj = ts_node_child_by_field_name(right, "object", 6);
        if (!strcmp(ts_node_type(obj), "identifier"))
            name = arena_strndup(a, text + ts_node_start_byte(obj),
                                 ts_node_end_byte(obj) - ts_node_start_byte(obj));
    }
    for (uint32_t i = 0; name && i < ts_node_named_child_count(root) && !pkg; i++) {
        TSNode st = ts_node_named_child(root, i);
        if (strcmp(ts_node_type(st), "import_from_statement"))
            continue;
        TSNode mod = ts_node_child_by_field_name(st, "module_name", 11);
        bool has = false;
        for (uint32_t k = 1; k < ts_node_named_child_count(st); k++) {
            TSNode it = ts_node_named_child(st, k);
            uint32_t s = ts_node_start_byte(it), e = ts_node_end_byte(it);
            has = has || (e - s == strlen(name) && !strncmp(text + s, name, e - s));
        }
        if (has && !strcmp(ts_node_type(mod), "dotted_name")) {
            uint32_t s = ts_node_start_byte(mod), e = ts_node_end_byte(mod);
            const char *dot = memchr(text + s, '.', e - s);
            pkg = arena_strndup(a, text + s, dot ? (size_t)(dot - (text + s)) : e - s);
        }
    }
    ts_tree_delete(tree);
    free(text);
    return pkg;
}

/* A top-level `name = ...` or `name: type = ...` line of text; the value
 * after its last '=' (NULL when there is none). */
static const char *assigned(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, name, n) || (l[n] != ' ' && l[n] != ':' && l[n] != '='))
            continue;
        const char *end = strchr(l, '\n'), *eq = NULL;
        for (const char *q = l; q < (end ? end : l + strlen(l)); q++)
            if (*q == '=')
                eq = q;
        if (eq)
            return eq + 1 + strspn(eq + 1, " ");
    }
    return NULL;
}

/* A folder of Alembic revisions with a chain of its own: a .py file
 * assigning `revision` and `down_revision = None` at the top level (the
 * chain's base), so it does not continue the main chain. */
static bool own_chain(arena *a, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool base = false;
    struct dirent *e;
    while (!base && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".py"))
            continue;
        size_t len;
        char *text = file_read_all(arena_printf(a, "%s/%s", dir, e->d_name), &len);
        const char *down = text ? assigned(text, "down_revision") : NULL;
        base = down && !strncmp(down, "None", 4) && assigned(text, "revision");
        free(text);
    }
    closedir(d);
    return base;
}

/* The models files beside a chain folder: .py files of its parent that
 * declare columns (a plugin's __init__.py subclassing the application's
 * models need not import sqlalchemy). */
static bool chain_models(arena *a, files *models, const char *parent)
{
    DIR *d = opendir(parent);
    if (!d)
        return false;
    bool any = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".py"))
            continue;
        const char *p = arena_printf(a, "%s/%s", parent, e->d_name);
        size_t len;
        char *text = file_read_all(p, &len);
        if (text && strstr(text, "class ") && strstr(text, "Column(")) {
            bool known = false;
            for (size_t i = 0; i < models->n && !known; i++)
                known = !strcmp(models->items[i], p);
            if (!known)
                files_add(a, models, p);
            any = true;
        }
        free(text);
    }
    closedir(d);
    return any;
}

/* Plugin revision chains under dir (not under the main script folder):
 * a folder of revisions with its own base, beside the plugin's models
 * file, as CTFd's plugins keep them (CTFd/plugins/<name>/migrations,
 * upgraded by the application after its own chain). */
static void add_chains(arena *a, files *chains, files *models, const char *dir, const char *script,
                       int depth)
{
    DIR *d = depth < 8 ? opendir(dir) : NULL;
    if (!d)
        return;
    files subs = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *p = arena_printf(a, "%s/%s", dir, e->d_name);
        if (!skipped_dir(e->d_name) && is_dir(p) && !drift_same_dir(p, script))
            files_add(a, &subs, p);
    }
    closedir(d);
    if (subs.n)
        qsort(subs.items, subs.n, sizeof *subs.items, cmp_str);
    for (size_t i = 0; i < subs.n; i++) {
        if (own_chain(a, subs.items[i]) && chain_models(a, models, dir))
            files_add(a, chains, subs.items[i]);
        else
            add_chains(a, chains, models, subs.items[i], script, depth + 1);
    }
}

/* One alembic.ini: its versions folder and model files. */
static bool alembic_at(arena *a, const char *ini, const char *mig_dir, drift_decl *decl,
                       const char **found_dir)
{
    char *here = arena_strdup(a, !strncmp(ini, "./", 2) ? ini + 2 : ini);
    char *slash = strrchr(here, '/');
    if (slash)
        *slash = '\0';
    else
        here = ".";
    const char *script = script_location(a, ini, here);
    if (!script) /* Flask-Migrate: alembic.ini inside the script folder */
        script = here;
    const char *versions = arena_printf(a, "%s/versions", script);
    if (!is_dir(versions) || (mig_dir && !drift_same_dir(versions, mig_dir)))
        return false;
    /* the project's modules are imported from the ini's folder (alembic
     * runs there; prepend_sys_path = .), or above a Flask-Migrate folder */
    const char *project = drift_same_dir(script, here) ? arena_printf(a, "%s/..", here) : here;
    const char *pkg = metadata_package(a, arena_printf(a, "%s/env.py", script));
    files models = {0};
    if (pkg && is_dir(arena_printf(a, "%s/%s", project, pkg)))
        add_models(a, &models, arena_printf(a, "%s/%s", project, pkg), script, false, 0);
    else
        add_models(a, &models, project, script, true, 0);
    if (!models.n)
        return false;
    files chains = {0};
    if (!mig_dir)
        add_chains(a, &chains, &models, project, script, 0);
    qsort(models.items, models.n, sizeof *models.items, cmp_str);
    decl->chains = chains.items;
    decl->nchains = chains.n;
    decl->kind = "sqlalchemy";
    decl->paths = models.items;
    decl->npaths = models.n;
    if (found_dir)
        *found_dir = versions;
    return true;
}

bool drift_discover_alembic(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir)
{
    static const char *const patterns[] = {"alembic.ini", "migrations/alembic.ini", "*/alembic.ini",
                                           "*/migrations/alembic.ini", NULL};
    const char *base = mig_dir ? arena_printf(a, "%s/../..", mig_dir) : ".";
    for (const char *const *pat = patterns; *pat; pat++) {
        glob_t g;
        if (glob(arena_printf(a, "%s/%s", base, *pat), 0, NULL, &g) != 0)
            continue;
        bool found = false;
        for (size_t i = 0; i < g.gl_pathc && !found; i++)
            found = alembic_at(a, g.gl_pathv[i], mig_dir, decl, found_dir);
        globfree(&g);
        if (found)
            return true;
    }
    return false;
}
