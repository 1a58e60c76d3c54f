/* discover_django.c - a Django project's drift sources without
 * configuration: manage.py at the root names the settings module
 * (DJANGO_SETTINGS_MODULE), whose DEFAULT_AUTO_FIELD and AUTH_USER_MODEL
 * change what models and migrations create; every app folder (one with a
 * migrations/ folder and a models.py or models/ package) gives its model
 * files, and its apps.py its own default_auto_field. The migrations are the
 * project root: Django's are per app, replayed together in dependency
 * order (src/layout/fw_code.c). Everything is read with tree-sitter, string
 * literals only. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../code/code.h"
#include "../orm/ormx.h"
#include "discover.h"
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

typedef void (*py_visit)(ormx_file *f, TSNode n, void *ud);

/* Parses a Python file and hands every node to visit (depth first). */
static void py_walk(arena *a, const char *path, py_visit visit, void *ud)
{
    size_t len;
    char *text = file_read_all(path, &len);
    TSTree *tree = text ? tsq_parse("python", text, (uint32_t)len) : NULL;
    if (!tree) {
        free(text);
        return;
    }
    orm_schema s;
    orm_schema_init(&s, a, "django");
    ormx_file f = {&s, path, text, len};
    TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
    for (;;) {
        visit(&f, ts_tree_cursor_current_node(&cur), ud);
        if (ts_tree_cursor_goto_first_child(&cur))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&cur))
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
    }
done:
    ts_tree_cursor_delete(&cur);
    ts_tree_delete(tree);
    orm_schema_free(&s);
    free(text);
}

/* os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings") */
static void find_settings_module(ormx_file *f, TSNode n, void *ud)
{
    const char **out = ud;
    if (*out || !ormx_kind(n, "argument_list"))
        return;
    const char *k = ormx_string(f, ormx_py_positional(n, 0));
    const char *v = ormx_string(f, ormx_py_positional(n, 1));
    if (k && v && !strcmp(k, "DJANGO_SETTINGS_MODULE"))
        *out = v;
}

typedef struct dj_settings {
    const char *auth_user_model, *auto_field, *label;
} dj_settings;

/* Module-level AUTH_USER_MODEL = "..." and DEFAULT_AUTO_FIELD = "...";
 * in apps.py, an AppConfig's default_auto_field and label. */
static void find_assignments(ormx_file *f, TSNode n, void *ud)
{
    dj_settings *s = ud;
    if (!ormx_kind(n, "assignment"))
        return;
    TSNode left = ormx_field(n, "left");
    const char *v = ormx_string(f, ormx_field(n, "right"));
    if (!v)
        return;
    if (ormx_is(f, left, "AUTH_USER_MODEL"))
        s->auth_user_model = v;
    else if (ormx_is(f, left, "DEFAULT_AUTO_FIELD") || ormx_is(f, left, "default_auto_field"))
        s->auto_field = v;
    else if (ormx_is(f, left, "label"))
        s->label = v;
}

static void read_settings(arena *a, const char *root, const char *module)
{
    char *rel = arena_strdup(a, module);
    for (char *p = rel; *p; p++)
        if (*p == '.')
            *p = '/';
    dj_settings s = {0};
    const char *file = arena_printf(a, "%s/%s.py", root, rel);
    const char *pkg = arena_printf(a, "%s/%s", root, rel);
    if (is_file(file)) {
        py_walk(a, file, find_assignments, &s);
    } else if (is_dir(pkg)) {
        /* settings/ package: base.py, common.py, production.py... */
        DIR *d = opendir(pkg);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strstr(e->d_name, ".py") && !strstr(e->d_name, ".pyc"))
                py_walk(a, arena_printf(a, "%s/%s", pkg, e->d_name), find_assignments, &s);
        if (d)
            closedir(d);
    }
    code_django_settings(s.auth_user_model, s.auto_field ? s.auto_field : "AutoField");
}

typedef struct paths {
    const char **items;
    size_t n, cap;
} paths;

static void paths_add(arena *a, paths *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const char **grown = arena_alloc(a, cap * sizeof *grown);
        if (l->n)
            memcpy(grown, l->items, l->n * sizeof *grown);
        l->items = grown, l->cap = cap;
    }
    l->items[l->n++] = s;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool skipped_dir(const char *name)
{
    static const char *const skip[] = {"node_modules", "venv",      "env",        "site-packages",
                                       "static",       "templates", "migrations", "__pycache__",
                                       "locale",       NULL};
    if (name[0] == '.')
        return true;
    for (const char *const *s = skip; *s; s++)
        if (!strcmp(name, *s))
            return true;
    return false;
}

/* An app folder: its models and its AppConfig's default_auto_field. */
static void read_app(arena *a, const char *dir, const char *name, paths *models)
{
    const char *py = arena_printf(a, "%s/models.py", dir);
    const char *pkg = arena_printf(a, "%s/models", dir);
    if (is_file(py)) {
        paths_add(a, models, py);
    } else if (is_dir(pkg)) {
        DIR *d = opendir(pkg);
        struct dirent *e;
        size_t first = models->n;
        while (d && (e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n > 3 && !strcmp(e->d_name + n - 3, ".py"))
                paths_add(a, models, arena_printf(a, "%s/%s", pkg, e->d_name));
        }
        if (d)
            closedir(d);
        qsort(models->items + first, models->n - first, sizeof *models->items, cmp_str);
    }
    dj_settings s = {0};
    const char *apps = arena_printf(a, "%s/apps.py", dir);
    if (is_file(apps))
        py_walk(a, apps, find_assignments, &s);
    if (s.auto_field)
        code_django_app_auto_field(s.label ? s.label : name, s.auto_field);
}

static void find_apps(arena *a, const char *dir, int depth, paths *models)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    paths subs = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (!skipped_dir(e->d_name))
            paths_add(a, &subs, arena_strdup(a, e->d_name));
    closedir(d);
    if (subs.n)
        qsort(subs.items, subs.n, sizeof *subs.items, cmp_str);
    for (size_t i = 0; i < subs.n; i++) {
        const char *p = arena_printf(a, "%s/%s", dir, subs.items[i]);
        if (!is_dir(p))
            continue;
        if (is_dir(arena_printf(a, "%s/migrations", p)))
            read_app(a, p, subs.items[i], models);
        if (depth < 3)
            find_apps(a, p, depth + 1, models);
    }
}

/* manage.py that takes the settings module from the environment (a .env
 * file): the one folder of the root with a settings.py or settings/. */
static const char *only_settings_module(arena *a, const char *root)
{
    const char *found = NULL;
    int n = 0;
    DIR *d = opendir(root);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || skipped_dir(e->d_name))
            continue;
        const char *base = arena_printf(a, "%s/%s/settings", root, e->d_name);
        if (is_file(arena_printf(a, "%s.py", base)) || is_dir(base)) {
            found = arena_printf(a, "%s.settings", e->d_name);
            n++;
        }
    }
    if (d)
        closedir(d);
    return n == 1 ? found : NULL;
}

bool drift_django_settings(arena *a, const char *root)
{
    const char *manage = arena_printf(a, "%s/manage.py", root);
    if (!is_file(manage))
        return false;
    const char *module = NULL;
    py_walk(a, manage, find_settings_module, &module);
    if (!module)
        module = only_settings_module(a, root);
    if (module)
        read_settings(a, root, module);
    return true;
}

bool drift_discover_django(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir)
{
    const char *root = mig_dir ? mig_dir : ".";
    if (!drift_django_settings(a, root))
        return false;
    paths models = {0};
    find_apps(a, root, 0, &models);
    if (!models.n)
        return false;
    decl->kind = "django";
    decl->paths = models.items;
    decl->npaths = models.n;
    if (found_dir)
        *found_dir = root;
    return true;
}
