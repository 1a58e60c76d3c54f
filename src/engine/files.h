/* files.h - reading one migration file with the input checks DESIGN.md asks
 * for, and a plain list of paths. */
#ifndef MIGRALINT_FILES_H
#define MIGRALINT_FILES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../core/source.h"

typedef struct file_list {
    char **paths; /* file system paths, in lint order */
    size_t count, cap;
} file_list;

void files_free(file_list *l);

/* realpath() of a path whose tail may be gone from the work tree (a
 * folder --staged still reads from the index): the deepest part that
 * exists resolved, the rest appended as written. */
bool files_real_path(const char *fs_path, char real[PATH_MAX]);
/* The repository-relative, '/'-separated form of fs_path under root (an
 * absolute, resolved path), in a; "" for root itself; fs_path unchanged
 * when it lies outside root (a tail gone from the work tree is kept as
 * written: files_real_path). */
const char *files_relative(arena *a, const char *root, const char *fs_path);

/* Reads fs_path; shown is its display path (repository-relative). Returns NULL
 * after printing "path[:line[:col]]: problem" when the file cannot be linted
 * (unreadable, too large, binary, invalid UTF-8); quiet prints nothing. */
source *files_load(const char *fs_path, const char *shown, size_t max_size, bool quiet);
/* files_load(fs_paths[i], shown[i], max_size, true) into out[i] for every
 * i < n, on a second thread as well when there are many files and a second
 * CPU: opening and reading thousands of small files is mostly the kernel's
 * time. Prints nothing; the caller says why where out[i] is NULL. */
void files_load_quietly(const char *const *fs_paths, const char *const *shown, size_t n,
                        size_t max_size, source **out);

#endif
