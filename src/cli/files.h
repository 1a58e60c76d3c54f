/* files.h - turning PATHS arguments into the list of migration files, and
 * reading one file with the input checks DESIGN.md asks for. */
#ifndef MIGRALINT_FILES_H
#define MIGRALINT_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/source.h"

typedef struct file_list {
    char **paths; /* file system paths, in lint order */
    size_t count, cap;
} file_list;

/* Expands files and directories (recursively, *.sql, sorted by path).
 * Prints a message and returns false for a path that does not exist or is
 * neither a file nor a directory. */
bool files_collect(const char *const *args, size_t nargs, file_list *out);
void files_free(file_list *l);

/* Reads fs_path; the source's display path is relative to root. Returns NULL
 * after printing "path[:line[:col]]: problem" when the file cannot be linted
 * (unreadable, too large, binary, invalid UTF-8). */
source *files_load(const char *fs_path, const char *root, size_t max_size);

#endif
