/* file.h - reading a whole small file into memory.
 *
 * The ORM and discovery code reads project files it finds on its own
 * (settings modules, alembic.ini, env.py, a mixin's file); migrations
 * and ORM files named on the command line go through cli/files.c, which
 * also checks size limits and reads from git. */
#ifndef MIGRALINT_CORE_FILE_H
#define MIGRALINT_CORE_FILE_H

#include <stddef.h>

/* The file's bytes with a NUL after them, malloc'ed (free() it), and its
 * length in *len; NULL when it cannot be opened or memory runs out. */
char *file_read_all(const char *path, size_t *len);

#endif
