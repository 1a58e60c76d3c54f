/* main.c - runs every unit test suite listed in suites.def. */
#include "../../src/sql/sql.h"

#include "../../src/rules/ruledoc.h"
#include "unit.h"

int unit_failed_now;

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
