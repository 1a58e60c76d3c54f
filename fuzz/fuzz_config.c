/* fuzz_config.c - libFuzzer target: a .migralint.json through the config
 * loader (JSON with comments, validation, PCRE2 path overrides), then the
 * level lookup every linted file makes. */
#include <stdint.h>

#include "../src/config/config.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(".migralint.json", data, size);
    arena *a = arena_new();
    config cfg;
    if (config_load(path, a, &cfg)) {
        diag_level level = LEVEL_ERROR;
        config_level_for(&cfg, "drop-table", "db/migrations/0001_init.sql", &level);
        config_level_for(&cfg, "migration-filename", "", &level);
        config_free(&cfg);
    }
    arena_free(a);
    return 0;
}
