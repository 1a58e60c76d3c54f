/* same_dir.c - whether two paths name one folder: asked by the discovery
 * walk (discover.c) and by the framework readers it calls (Alembic, Atlas),
 * so it sits below all of them. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"

bool drift_same_dir(const char *x, const char *y)
{
    char rx[PATH_MAX], ry[PATH_MAX];
    return realpath(x, rx) && realpath(y, ry) && !strcmp(rx, ry);
}
