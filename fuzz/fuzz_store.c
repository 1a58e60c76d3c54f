/* fuzz_store.c - libFuzzer target: bytes through catalog_load(). An input
 * is a payload (what follows the 32-byte header of catalog_save()'s
 * output); the target puts a header with the right length and checksum in
 * front, so the damage reaches the section parser instead of stopping at
 * the checksum. A catalog that loads must print as JSON, save, and load
 * back to the same bytes when saved again.
 *
 * The seeds are payloads of the catalogs the rules' bad fixtures replay
 * to; fuzz/run.sh writes them before each run (from the repository root)
 * with
 *     MIGRALINT_STORE_SEEDS=build/fuzz/gen/store build/fuzz/fuzz_store
 * which writes them and exits, so they follow any format change. */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/catalog/store.h"
#include "../src/core/source.h"
#include "../src/sql/sql.h"

static void replay_file(catalog *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    source *src = source_new(path, text, n);
    sql_file *sf = sql_file_parse(src, 0, src->len);
    catalog_apply_file(c, sf, NULL, NULL);
    sql_file_free(sf);
    source_free(src);
}

static void write_seed(const catalog *c, const char *dir, const char *name, int namelen)
{
    char *buf, out[4096];
    size_t len;
    catalog_save(c, &buf, &len);
    snprintf(out, sizeof out, "%s/%.*s.bin", dir, namelen, name);
    FILE *f = fopen(out, "wb");
    if (!f ||
        fwrite(buf + CAT_STORE_HEADER, 1, len - CAT_STORE_HEADER, f) != len - CAT_STORE_HEADER)
        abort();
    fclose(f);
    free(buf);
}

/* Writes one seed per fixtures/rules/NAME/bad.sql into dir, and all.bin:
 * the catalog all of them build one after the other. */
static void write_seeds(const char *dir)
{
    glob_t g;
    if (glob("fixtures/rules/*/bad.sql", 0, NULL, &g) != 0)
        abort();
    catalog *all = catalog_new();
    for (size_t i = 0; i < g.gl_pathc; i++) {
        catalog *c = catalog_new();
        replay_file(c, g.gl_pathv[i]);
        replay_file(all, g.gl_pathv[i]);
        const char *rule = g.gl_pathv[i] + strlen("fixtures/rules/");
        write_seed(c, dir, rule, (int)strcspn(rule, "/"));
        catalog_free(c);
    }
    write_seed(all, dir, "all", 3);
    catalog_free(all);
    globfree(&g);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("MIGRALINT_STORE_SEEDS");
    if (dir) {
        write_seeds(dir);
        exit(0);
    }
    return 0;
}

/* Saving a loaded catalog and loading that again must be a fixed point. */
static void check_loaded(catalog *c)
{
    cJSON_Delete(catalog_to_json(c));
    char *once, *twice;
    size_t n1, n2;
    catalog_save(c, &once, &n1);
    catalog *again = catalog_load(once, n1);
    if (!again)
        abort();
    catalog_save(again, &twice, &n2);
    if (n1 != n2 || memcmp(once, twice, n1) != 0)
        abort();
    catalog_free(again);
    free(once);
    free(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *buf = malloc(CAT_STORE_HEADER + size);
    if (!buf)
        abort();
    if (size)
        memcpy(buf + CAT_STORE_HEADER, data, size);
    cat_store_seal(buf, CAT_STORE_HEADER + size);
    catalog *c = catalog_load(buf, CAT_STORE_HEADER + size);
    free(buf);
    if (c) {
        check_loaded(c);
        catalog_free(c);
    }
    return 0;
}
