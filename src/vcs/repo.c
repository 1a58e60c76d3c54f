/* repo.c - repository discovery with libgit2 (see repo.h). */
#include "repo.h"

#include <git2.h>
#include <string.h>

void vcs_global_hold(void)
{
    git_libgit2_init();
}

void vcs_global_release(void)
{
    git_libgit2_shutdown();
}

void vcs_blob_id(const void *data, size_t len, char hex[41])
{
    git_oid id;
    if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) != 0)
        memset(&id, 0, sizeof id);
    git_oid_tostr(hex, 41, &id);
}

bool vcs_workdir_root(char *buf, size_t size)
{
    git_repository *repo = NULL;
    bool ok = false;
    git_libgit2_init();
    /* FROM_ENV: behave like git itself with GIT_DIR, GIT_WORK_TREE and
     * discovery from the current directory (hooks rely on this). */
    if (git_repository_open_ext(&repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) == 0) {
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
