/* git.h - what migralint reads from Git through libgit2: the repository
 * around the working directory, the base commit (--base, merge-base with
 * HEAD), and the files of a folder as a commit's tree or the index holds
 * them. The program never runs `git`. */
#ifndef MIGRALINT_GIT_H
#define MIGRALINT_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"

typedef struct vcs_repo vcs_repo;

/* One file of a tree or of the index. */
typedef struct vcs_file {
    const char *path;     /* repo-relative, '/' separated */
    char oid[41];         /* blob id, hex */
    unsigned char id[20]; /* the same, binary: what a blob read takes */
    const char *data;     /* the blob's bytes, NUL-terminated: in the arena given, or
                           * (index reads) the repository's until vcs_close */
    size_t len;
} vcs_file;

typedef struct vcs_files {
    vcs_file *items;
    size_t count, cap;
} vcs_files;

/* Opens the repository at path (NULL: the one around the working directory,
 * honouring GIT_DIR like git). NULL after printing why. A plain repository
 * around the working directory may be opened on a second thread: every
 * function below waits for it, and one that finds the open failed says why
 * and fails as a read error would. staged: the caller will compare the
 * index with HEAD (--staged), so HEAD's tree is worth reading ahead on a
 * third thread meanwhile. */
vcs_repo *vcs_open(const char *path, bool staged);
void vcs_close(vcs_repo *r);
/* The work tree root, absolute, without a trailing '/' (NULL when bare). */
const char *vcs_root(vcs_repo *r);

/* Resolves rev (into tip) and takes its merge-base with HEAD into oid
 * (both hex). Returns
 * 0, or the exit code after printing the problem: 2 for a revision that
 * does not exist, 3 for a shallow clone whose history lacks the merge-base
 * or an unreadable repository. */
int vcs_merge_base(vcs_repo *r, const char *rev, char oid[41], char tip[41]);
/* The GitHub Actions pull-request base (GITHUB_BASE_REF), as a revision the
 * repository has: origin/<ref>, else <ref>; NULL when unset or unknown. */
const char *vcs_github_base(vcs_repo *r, arena *a);

/* Appends the files under dir (repo-relative, "" for the root) of a commit
 * (hex id, or "HEAD") / of the index. False after printing on read errors. */
bool vcs_read_commit_dir(vcs_repo *r, const char *commit, const char *dir, arena *a,
                         vcs_files *out);
bool vcs_read_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out);
/* (vcs_read_index_dir's paths and texts are kept in the repository, see
 * vcs_current: valid until vcs_close.) vcs_read_index_dir that leaves its read failures unsaid, for
 * the next reader of the folder to say (a look before the lint). */
bool vcs_peek_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out);
/* The files under dir in the index, without their texts. Their paths
 * are the repository's, valid until vcs_close (the first listing is kept,
 * and a folder below it is listed from it). */
bool vcs_list_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out);
/* Reads the blob f names (f->id) into f->data and f->len, in a; false
 * after saying on stderr that it cannot be read. */
bool vcs_read_blob(vcs_repo *r, vcs_file *f, arena *a);
/* The repository opened last and not closed yet (a run opens one), or
 * NULL. A folder's texts read from its index are kept in it, so a second
 * vcs_read_index_dir of the folder reads no blob again. */
vcs_repo *vcs_current(void);
/* Paths under dir whose index entry differs from HEAD's tree (staged
 * additions, edits, deletions, renames): what a commit would change. */
bool vcs_staged_paths(vcs_repo *r, const char *dir, arena *a, vcs_files *out);

void vcs_files_free(vcs_files *f);
const vcs_file *vcs_files_find(const vcs_files *f, const char *path);

#endif
