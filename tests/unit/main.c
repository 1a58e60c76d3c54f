/* main.c - runs every unit test suite listed in suites.def. */
#include "../../src/sql/sql.h"

#include "../../src/rules/ruledoc.h"
#include "unit.h"

#include <stdlib.h>

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
