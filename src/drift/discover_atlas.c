/* discover_atlas.c - a GORM project that Atlas migrates: atlas.hcl (in the
 * working directory or one folder down) whose external_schema program runs
 * ariga.io/atlas-provider-gorm with `"--path", "./models"` names the models'
 * package, and whose `migration { dir = "file://migrations" }` the
 * migrations folder. The models are the package's .go files that use GORM
 * (a file of interfaces beside them is no model file). HCL is read as
 * text: only those two string values are looked for. */
#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/file.h"
#include "../orm/code_extractors.h"
#include "discover.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The string literal after `key` (skipping spaces, commas and `=`): the
 * first occurrence of key, as a word, that one follows. */
static const char *string_after(arena *a, const char *text, const char *key)
{
    for (const char *k = strstr(text, key); k; k = strstr(k + 1, key)) {
        if (k > text && (isalnum((unsigned char)k[-1]) || k[-1] == '_'))
            continue;
        const char *p = k + strlen(key);
        while (*p && strchr(" \t\r\n,=", *p))
            p++;
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (end)
            return arena_strndup(a, p + 1, (size_t)(end - p - 1));
    }
    return NULL;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The GORM files of one package folder. */
static size_t gorm_files(arena *a, const char *dir, const char ***out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0, cap = 0;
    const char **l = NULL;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name), tlen;
        if (len < 4 || strcmp(e->d_name + len - 3, ".go") ||
            (len > 8 && !strcmp(e->d_name + len - 8, "_test.go")))
            continue;
        const char *p = arena_printf(a, "%s/%s", dir, e->d_name);
        char *text = file_read_all(p, &tlen);
        const char *kind = text ? orm_code_kind(p, text, tlen) : NULL;
        if (kind && !strcmp(kind, "gorm")) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                const char **grown = arena_alloc(a, cap * sizeof *grown);
                if (n)
                    memcpy(grown, l, n * sizeof *grown);
                l = grown;
            }
            l[n++] = p;
        }
        free(text);
    }
    if (d)
        closedir(d);
    if (n)
        qsort(l, n, sizeof *l, cmp_str);
    *out = l;
    return n;
}

static const char *joined(arena *a, const char *here, const char *rel)
{
    if (rel[0] == '/')
        return rel;
    if (!strncmp(rel, "./", 2))
        rel += 2;
    return !strcmp(here, ".") ? arena_strdup(a, rel) : arena_printf(a, "%s/%s", here, rel);
}

static bool atlas_at(arena *a, const char *hcl, const char *mig_dir, drift_decl *decl,
                     const char **found_dir)
{
    size_t len;
    char *text = file_read_all(hcl, &len);
    if (!text)
        return false;
    const char *path =
        strstr(text, "atlas-provider-gorm") ? string_after(a, text, "\"--path\"") : NULL;
    const char *dir = string_after(a, text, "dir");
    free(text);
    if (!path || !dir || strncmp(dir, "file://", 7))
        return false;
    char *here = arena_strdup(a, !strncmp(hcl, "./", 2) ? hcl + 2 : hcl);
    char *slash = strrchr(here, '/');
    if (slash)
        *slash = '\0';
    else
        here = ".";
    const char *models = joined(a, here, path), *migs = joined(a, here, dir + 7);
    if (!is_dir(migs) || !is_dir(models) || (mig_dir && !drift_same_dir(migs, mig_dir)))
        return false;
    const char **files;
    size_t n = gorm_files(a, models, &files);
    if (!n)
        return false;
    decl->kind = "gorm";
    decl->paths = files;
    decl->npaths = n;
    if (found_dir)
        *found_dir = migs;
    return true;
}

bool drift_discover_atlas(arena *a, const char *mig_dir, drift_decl *decl, const char **found_dir)
{
    static const char *const patterns[] = {"atlas.hcl", "*/atlas.hcl", NULL};
    const char *base = mig_dir ? arena_printf(a, "%s/..", mig_dir) : ".";
    for (const char *const *pat = patterns; *pat; pat++) {
        glob_t g;
        if (glob(arena_printf(a, "%s/%s", base, *pat), 0, NULL, &g) != 0)
            continue;
        bool found = false;
        for (size_t i = 0; i < g.gl_pathc && !found; i++)
            found = atlas_at(a, g.gl_pathv[i], mig_dir, decl, found_dir);
        globfree(&g);
        if (found)
            return true;
    }
    return false;
}
