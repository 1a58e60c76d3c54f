/* files.c - collecting and reading migration files (see files.h). */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void list_add(file_list *l, const char *path)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->paths = realloc(l->paths, l->cap * sizeof *l->paths);
        if (!l->paths)
            abort();
    }
    l->paths[l->count] = strdup(path);
    if (!l->paths[l->count])
        abort();
    l->count++;
}

void files_free(file_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->count = l->cap = 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks dir in name order so the lint order is the same on every machine. */
static bool collect_dir(const char *dir, file_list *out)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "migralint: %s: %s\n", dir, strerror(errno));
        return false;
    }
    file_list names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strcmp(e->d_name, "node_modules") != 0)
            list_add(&names, e->d_name);
    closedir(d);
    if (names.count)
        qsort(names.paths, names.count, sizeof *names.paths, name_cmp);
    bool ok = true;
    for (size_t i = 0; i < names.count && ok; i++) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names.paths[i]);
        if (stat(path, &st) != 0)
            continue; /* a dangling symlink inside a folder is not a migration */
        if (S_ISDIR(st.st_mode))
            ok = collect_dir(path, out);
        else if (S_ISREG(st.st_mode) && has_suffix(path, ".sql"))
            list_add(out, path);
    }
    files_free(&names);
    return ok;
}

bool files_collect(const char *const *args, size_t nargs, file_list *out)
{
    for (size_t i = 0; i < nargs; i++) {
        struct stat st;
        if (stat(args[i], &st) != 0) {
            fprintf(stderr, "migralint: %s: %s\n", args[i], strerror(errno));
            return false;
        }
        if (S_ISDIR(st.st_mode)) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s", args[i]);
            size_t n = strlen(path);
            while (n > 1 && path[n - 1] == '/')
                path[--n] = '\0';
            if (!collect_dir(path, out))
                return false;
        } else if (S_ISREG(st.st_mode)) {
            list_add(out, args[i]);
        } else {
            fprintf(stderr, "migralint: %s: not a regular file or directory\n", args[i]);
            return false;
        }
    }
    return true;
}

/* The path relative to root when it lies inside it, else as given. */
static void display_path(const char *fs_path, const char *root, char *buf, size_t size)
{
    char real[PATH_MAX];
    size_t n = strlen(root);
    if (realpath(fs_path, real) && strncmp(real, root, n) == 0 && real[n] == '/')
        snprintf(buf, size, "%s", real + n + 1);
    else
        snprintf(buf, size, "%s", fs_path);
}

static char *read_all(const char *path, size_t max_size, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "migralint: %s: cannot read: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if ((size_t)st.st_size > max_size) {
        fprintf(stderr,
                "migralint: %s: file is %lld bytes, over the %zu MB limit "
                "(--max-file-size)\n",
                path, (long long)st.st_size, max_size / (1024 * 1024));
        close(fd);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    ssize_t r = 0;
    while (buf && got < (size_t)st.st_size &&
           (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
        got += (size_t)r;
    close(fd);
    if (!buf || r < 0) {
        fprintf(stderr, "migralint: %s: cannot read: %s\n", path, strerror(errno));
        free(buf);
        return NULL;
    }
    *len = got;
    return buf;
}

source *files_load(const char *fs_path, const char *root, size_t max_size)
{
    size_t len = 0, bad;
    char *data = read_all(fs_path, max_size, &len);
    if (!data)
        return NULL;
    char shown[PATH_MAX];
    display_path(fs_path, root, shown, sizeof shown);
    source *src = source_new(shown, data, len);
    free(data);
    if (source_has_nul(src, &bad)) {
        source_pos p = source_position(src, bad);
        fprintf(stderr, "migralint: %s:%d:%d: binary file (NUL byte), not SQL text\n", src->path,
                p.line, p.col);
    } else if (!source_valid_utf8(src, &bad)) {
        source_pos p = source_position(src, bad);
        fprintf(stderr, "migralint: %s:%d:%d: invalid UTF-8; migrations must be UTF-8 text\n",
                src->path, p.line, p.col);
    } else {
        return src;
    }
    source_free(src);
    return NULL;
}
