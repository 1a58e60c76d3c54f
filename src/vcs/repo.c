/* repo.c - repository discovery with libgit2 (see repo.h), and libgit2's
 * global state, loaded only when something reads git. */
#include "repo.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Holds asked for, and whether libgit2 is loaded under them. The mutex:
 * a repository may be opened on a second thread (git.c) while the main
 * thread goes on. */
static int global_holds;
static bool global_loaded;
static pthread_mutex_t global_mu = PTHREAD_MUTEX_INITIALIZER;

void vcs_global_hold(void)
{
    pthread_mutex_lock(&global_mu);
    global_holds++;
    pthread_mutex_unlock(&global_mu);
}

void vcs_global_need(void)
{
    pthread_mutex_lock(&global_mu);
    if (global_holds && !global_loaded) {
        git_libgit2_init();
        global_loaded = true;
    }
    pthread_mutex_unlock(&global_mu);
}

void vcs_global_release(void)
{
    pthread_mutex_lock(&global_mu);
    if (global_holds > 0 && --global_holds == 0 && global_loaded) {
        git_libgit2_shutdown();
        global_loaded = false;
    }
    pthread_mutex_unlock(&global_mu);
}

void vcs_blob_id(const void *data, size_t len, char hex[41])
{
    git_oid id;
    vcs_global_need();
    if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) != 0)
        memset(&id, 0, sizeof id);
    git_oid_tostr(hex, 41, &id);
}

/* Variables that change how git finds the repository: with any of them
 * set, libgit2 decides. */
static bool discovery_env(void)
{
    static const char *const vars[] = {"GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES",
                                       "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_COMMON_DIR"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return true;
    return false;
}

typedef enum { DOT_NONE, DOT_ROOT, DOT_UNSURE } dot_git;

/* One config line, lower-cased and without blanks: does it make the
 * repository bare, point its work tree elsewhere, or include more config? */
static bool line_says_more(const char *l)
{
    if (!strncmp(l, "bare", 4))
        return !(!strcmp(l + 4, "=false") || !strcmp(l + 4, "=no") || !strcmp(l + 4, "=off") ||
                 !strcmp(l + 4, "=0"));
    return !strncmp(l, "worktree", 8) || !strncmp(l, "[include", 8);
}

/* Does the config name a bare repository or a work tree elsewhere (or
 * include other files, or run long)? Then libgit2 reads it properly. */
static bool config_says_more(const char *gitdir)
{
    char path[PATH_MAX + 64], line[512];
    snprintf(path, sizeof path, "%s/config", gitdir);
    FILE *f = fopen(path, "r");
    if (!f)
        return true;
    bool more = false;
    int lines = 0;
    while (!more && fgets(line, sizeof line, f)) {
        size_t k = 0;
        for (const char *p = line; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                line[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        line[k] = '\0';
        more = line_says_more(line) || ++lines > 200;
    }
    more = more || ferror(f);
    fclose(f);
    return more;
}

/* dir/.git: none, a plain repository whose work tree is dir (a directory
 * with HEAD, objects/ and refs/, owned by us, its config silent on bare
 * and worktree), or anything else (a gitfile, a symbolic link, another
 * owner), which libgit2 reads. */
static dot_git dot_git_at(const char *dir, dev_t dev)
{
    char path[PATH_MAX + 16], sub[PATH_MAX + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/.git", strcmp(dir, "/") ? dir : "");
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? DOT_NONE : DOT_UNSURE;
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || st.st_dev != dev)
        return DOT_UNSURE;
    static const char *const parts[] = {"HEAD", "objects", "refs"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(sub, sizeof sub, "%s/%s", path, parts[i]);
        if (stat(sub, &st) != 0)
            return DOT_UNSURE;
    }
    return config_says_more(path) ? DOT_UNSURE : DOT_ROOT;
}

/* The common case without libgit2, whose start-up parses the system's CA
 * bundle (~56 M instructions) even when nothing else reads git: walks up
 * from the working directory to the first .git, on one file system, as
 * libgit2's discovery does. Sets *sure to false when libgit2 must decide. */
static bool root_by_walk(char *buf, size_t size, bool *sure)
{
    char dir[PATH_MAX];
    struct stat st;
    *sure = false;
    if (discovery_env() || !getcwd(dir, sizeof dir) || dir[0] != '/' || stat(dir, &st) != 0)
        return false;
    dev_t dev = st.st_dev;
    for (;;) {
        if (stat(dir, &st) != 0 || st.st_dev != dev)
            return false; /* another file system: libgit2 stops there too, unsure */
        /* libgit2 takes a folder that is itself a git directory (the
         * working directory inside .git, a bare repository): its call. */
        char head[PATH_MAX + 8];
        snprintf(head, sizeof head, "%s/HEAD", strcmp(dir, "/") ? dir : "");
        if (stat(head, &st) == 0)
            return false;
        dot_git d = dot_git_at(dir, dev);
        if (d == DOT_UNSURE)
            return false;
        if (d == DOT_ROOT) {
            if (strlen(dir) >= size)
                return false;
            strcpy(buf, dir);
            *sure = true;
            return true;
        }
        if (!strcmp(dir, "/")) {
            *sure = true; /* no repository up to the root */
            return false;
        }
        char *slash = strrchr(dir, '/');
        slash[slash == dir ? 1 : 0] = '\0';
    }
}

/* The work tree of the repository libgit2 discovers from dir (NULL: the
 * working directory) with flags, without its trailing slash. */
static bool workdir_by_libgit2(const char *dir, unsigned flags, char *buf, size_t size)
{
    git_repository *repo = NULL;
    bool ok = false;
    vcs_global_need();
    git_libgit2_init();
    if (git_repository_open_ext(&repo, dir, flags, NULL) == 0) {
        const char *wd = git_repository_workdir(repo);
        if (wd && strlen(wd) < size) {
            strcpy(buf, wd);
            size_t n = strlen(buf);
            if (n > 1 && buf[n - 1] == '/')
                buf[n - 1] = '\0';
            ok = true;
        }
        git_repository_free(repo);
    }
    git_libgit2_shutdown();
    return ok;
}

bool vcs_workdir_of(const char *dir, char *buf, size_t size)
{
    return workdir_by_libgit2(dir, 0, buf, size);
}

bool vcs_plain_root(char *buf, size_t size)
{
    bool sure;
    return root_by_walk(buf, size, &sure) && sure;
}

bool vcs_workdir_root(char *buf, size_t size)
{
    bool sure, found = root_by_walk(buf, size, &sure);
    if (sure)
        return found;
    /* FROM_ENV: behave like git itself with GIT_DIR, GIT_WORK_TREE and
     * discovery from the current directory (hooks rely on this). */
    return workdir_by_libgit2(NULL, GIT_REPOSITORY_OPEN_FROM_ENV, buf, size);
}
