/* repo.h - finding the git repository around the working directory. */
#ifndef MIGRALINT_REPO_H
#define MIGRALINT_REPO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the absolute path of the work tree root (no trailing '/') into buf.
 * Honours GIT_DIR / GIT_WORK_TREE like git does. False when the working
 * directory is not inside a work tree (bare repositories included). */
bool vcs_workdir_root(char *buf, size_t size);

/* libgit2's global state, held for the whole command. Its initialisation
 * loads the system's CA certificates (Debian's build links mbedTLS), a few
 * milliseconds that a pre-commit run must pay once, not per repository
 * opened: every libgit2 user in between nests inside one hold. */
void vcs_global_hold(void);
void vcs_global_release(void);

/* The id git gives a blob with these bytes (SHA-1, hex): a content key
 * that equals the index's and the tree's ids for the same text. Needs the
 * global hold. */
void vcs_blob_id(const void *data, size_t len, char hex[41]);

#endif
