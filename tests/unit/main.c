/* main.c - runs every unit test suite listed in suites.def. */
#include "../../src/sql/sql.h"

#include "../../src/rules/ruledoc.h"
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

int unit_failed_now;

char *unit_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    if (len)
        *len = s ? (size_t)n : 0;
    fclose(fp);
    return s;
}

void unit_each_sql_file(const char *dir, void (*fn)(const char *path, void *ud), void *ud)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            unit_each_sql_file(path, fn, ud);
        else if (n > 4 && !strcmp(e->d_name + n - 4, ".sql"))
            fn(path, ud);
    }
    if (d)
        closedir(d);
}

int main(void)
{
    if (!ruledoc_init())
        return 1;
#define SUITE(name) unit_suite_##name();
#include "suites.def"
#undef SUITE
    ruledoc_shutdown();
    sql_shutdown();
    return 0;
}
