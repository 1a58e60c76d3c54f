/* fuzz_check.c - libFuzzer target: one SQL migration file through the whole
 * `migralint check` path (layout, parse, catalog replay, every rule, inline
 * ignores, one reporter), in process, exactly as the command line runs it. */
#include <stddef.h>
#include <stdint.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The reporter follows the input's length, so mutations reach all of them. */
    static const char *const formats[] = {"gcc", "json", "sarif", "github", "junit", "text"};
    const char *path = fuzz_write("migrations/0001_fuzz.sql", data, size);
    const char *argv[] = {"migralint", "check",     "--format", formats[size % 6],
                          "--output",  "/dev/null", "--rule",   "require-schema-qualified",
                          path};
    fuzz_run_cli(sizeof argv / sizeof argv[0], argv);
    return 0;
}
