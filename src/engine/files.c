/* files.c - collecting and reading migration files (see files.h). */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/cpus.h"

void files_free(file_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->count = l->cap = 0;
}

bool files_real_path(const char *fs_path, char real[PATH_MAX])
{
    char head[PATH_MAX];
    if (realpath(fs_path, real))
        return true;
    if (errno != ENOENT || strlen(fs_path) >= sizeof head)
        return false;
    strcpy(head, fs_path);
    for (char *slash; (slash = strrchr(head, '/'));) {
        *slash = '\0';
        if (realpath(*head ? head : "/", real))
            return strlen(real) + strlen(fs_path + (slash - head)) < PATH_MAX &&
                   strcat(real, fs_path + (slash - head));
    }
    return getcwd(real, PATH_MAX) && strlen(real) + strlen(fs_path) + 1 < PATH_MAX &&
           strcat(strcat(real, "/"), fs_path);
}

const char *files_relative(arena *a, const char *root, const char *fs_path)
{
    char real[PATH_MAX];
    size_t n = strlen(root);
    if (files_real_path(fs_path, real) && strncmp(real, root, n) == 0 &&
        (real[n] == '/' || real[n] == '\0'))
        return arena_strdup(a, real[n] ? real + n + 1 : "");
    return arena_strdup(a, fs_path);
}

static char *read_all(const char *path, size_t max_size, size_t *len, bool quiet)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (!quiet)
            fprintf(stderr, "migralint: %s: cannot read: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if ((size_t)st.st_size > max_size) {
        if (!quiet)
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

source *files_load(const char *fs_path, const char *shown, size_t max_size, bool quiet)
{
    size_t len = 0, bad;
    char *data = read_all(fs_path, max_size, &len, quiet);
    if (!data)
        return NULL;
    source *src = source_new(shown, data, len);
    free(data);
    if (quiet && (source_has_nul(src, &bad) || !source_valid_utf8(src, &bad))) {
        /* fall through to the free below */
    } else if (source_has_nul(src, &bad)) {
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

/* The files a files_load_quietly call reads, claimed one by one by each
 * thread that reads. */
typedef struct load_job {
    const char *const *fs_paths, *const *shown;
    size_t n, max_size;
    source **out;
    atomic_size_t next;
} load_job;

static void *load_some(void *arg)
{
    load_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;)
        j->out[i] = files_load(j->fs_paths[i], j->shown[i], j->max_size, true);
    return NULL;
}

/* A thread costs tens of microseconds to start: below this many files one
 * thread reads them sooner. A second thread only when a CPU is idle for
 * it (src/core/cpus.h). */
enum { LOAD_THREADED_FROM = 64 };

static bool load_threaded(size_t n)
{
    return n >= LOAD_THREADED_FROM && cpus_spare();
}

void files_load_quietly(const char *const *fs_paths, const char *const *shown, size_t n,
                        size_t max_size, source **out)
{
    load_job j = {fs_paths, shown, n, max_size, out, 0};
    pthread_t other;
    bool two = load_threaded(n) && cpus_thread_start(&other, load_some, &j) == 0;
    load_some(&j);
    if (two)
        pthread_join(other, NULL);
}
