/* util.c - the scratch folder and the in-process command line the
 * fuzz targets share (see util.h). */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "../src/cli/cli.h"
#include "../src/rules/ruledoc.h"

static char scratch[4096];

static void scratch_remove(void)
{
    char cmd[4200];
    /* Only the folder this process made (mkdtemp), never anything else. */
    if (scratch[0] && snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch) < (int)sizeof cmd)
        (void)!system(cmd);
}

const char *fuzz_scratch(void)
{
    if (scratch[0])
        return scratch;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/migralint-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch) || chdir(scratch) != 0)
        abort();
    atexit(scratch_remove);
    /* One reference held for the whole run: libgit2's first init loads the
     * system's CA certificates, which would otherwise dominate every input. */
    git_libgit2_init();
    if (!ruledoc_init())
        abort();
    return scratch;
}

const char *fuzz_write(const char *rel, const uint8_t *data, size_t size)
{
    static char path[8192];
    snprintf(path, sizeof path, "%s/%s", fuzz_scratch(), rel);
    for (char *s = strchr(path + strlen(scratch) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0700);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return path;
}

int fuzz_run_cli(int argc, const char **argv)
{
    fuzz_scratch();
    cli_options o;
    int rc = 2;
    if (cli_parse(argc, (char **)argv, &o))
        rc = cli_check(&o);
    free(o.paths);
    if (rc < 0 || rc > 3)
        abort();
    return rc;
}
