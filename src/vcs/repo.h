/* repo.h - finding the git repository around the working directory. */
#ifndef MIGRALINT_REPO_H
#define MIGRALINT_REPO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the absolute path of the work tree root (no trailing '/') into buf.
 * Honours GIT_DIR / GIT_WORK_TREE like git does. False when the working
 * directory is not inside a work tree (bare repositories included). */
bool vcs_workdir_root(char *buf, size_t size);

#endif
