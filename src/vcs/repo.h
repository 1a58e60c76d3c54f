/* repo.h - finding the git repository around the working directory. */
#ifndef MIGRALINT_REPO_H
#define MIGRALINT_REPO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the absolute path of the work tree root (no trailing '/') into buf.
 * Honours GIT_DIR / GIT_WORK_TREE like git does. False when the working
 * directory is not inside a work tree (bare repositories included). A plain
 * .git directory above the working directory is found without libgit2;
 * anything less plain (a gitfile, a config naming a bare repository or a
 * work tree, another owner or file system, GIT_* discovery variables) is
 * left to libgit2. */
bool vcs_workdir_root(char *buf, size_t size);

/* The work tree holding dir (libgit2's discovery from dir, without the
 * GIT_* variables: an editor's folder, not the process's); false when dir
 * is in none. */
bool vcs_workdir_of(const char *dir, char *buf, size_t size);

/* Like vcs_workdir_root, but only for the plain case found without
 * libgit2 (a .git directory of ours above the working directory, no GIT_*
 * discovery variables): false when libgit2 would have to decide. */
bool vcs_plain_root(char *buf, size_t size);

/* libgit2's global state, held for the whole command. Its initialisation
 * loads the system's CA certificates (Debian's build links mbedTLS), a few
 * milliseconds that a pre-commit run must pay once, not per repository
 * opened: every libgit2 user in between nests inside one hold. The hold is
 * lazy: libgit2 is loaded by the first vcs_global_need() under it (every
 * function here that reads git calls it), so a command that reads no git
 * (a `check` of a folder, no --base) never pays for it. */
void vcs_global_hold(void);
void vcs_global_need(void);
void vcs_global_release(void);

/* The id git gives a blob with these bytes (SHA-1, hex): a content key
 * that equals the index's and the tree's ids for the same text. Needs the
 * global hold. */
void vcs_blob_id(const void *data, size_t len, char hex[41]);

#endif
