/* init_cmd.c - `migralint init`: writes a starter .migralint.json at the
 * repository root from what the engine's discovery walk finds there: each
 * migrations folder with its framework. It never overwrites a config
 * without --force. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "../core/exitcode.h"
#include "../core/strbuf.h"
#include "../engine/engine.h"
#include "cli.h"

#define INIT_SCHEMA_URL                                                                            \
    "https://raw.githubusercontent.com/migralint/migralint/main/migralint.schema.json"

/* A JSON string literal for s. */
static void put_json_string(strbuf *b, const char *s)
{
    cJSON *str = cJSON_CreateString(s);
    char *text = cJSON_PrintUnformatted(str);
    strbuf_puts(b, text);
    free(text);
    cJSON_Delete(str);
}

/* The starter file, with a comment on each key (the file allows them). */
static char *render(const cli_options *o, const engine_found *found, size_t count)
{
    strbuf b = STRBUF_INIT;
    strbuf_puts(&b, "{\n  \"$schema\": ");
    put_json_string(&b, INIT_SCHEMA_URL);
    strbuf_puts(&b, ",\n  // folders `migralint check` lints when given no PATHS (found by "
                    "`migralint init`)\n  \"migrations\": [");
    for (size_t i = 0; i < count; i++) {
        strbuf_puts(&b, i ? ",\n    { \"path\": " : "\n    { \"path\": ");
        put_json_string(&b, found[i].dir);
        strbuf_puts(&b, ", \"framework\": ");
        put_json_string(&b, found[i].framework);
        strbuf_puts(&b, " }");
    }
    strbuf_printf(&b,
                  "%s],\n"
                  "  // the PostgreSQL major version production runs (%s)\n"
                  "  \"pgVersion\": %d,\n"
                  "  // exit 1 on findings at this level or above: error, warning, note, none\n"
                  "  \"failOn\": \"error\",\n"
                  "  // rule levels: \"off\", \"note\", \"warning\", \"error\" (`migralint "
                  "rules` lists them)\n"
                  "  \"rules\": {}\n"
                  "}\n",
                  count ? "\n  " : "", o->pg_version_why, o->pg_version);
    return strbuf_detach(&b);
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    return ok;
}

int cli_init(const cli_options *o)
{
    char root[PATH_MAX], path[PATH_MAX + 32];
    if (o->npaths) {
        fprintf(stderr, "migralint: init takes no paths (it writes .migralint.json at the "
                        "repository root)\n");
        return EXIT_USAGE;
    }
    if (!engine_find_root(root, sizeof root)) {
        fprintf(stderr, "migralint: cannot determine the working directory: %s\n", strerror(errno));
        return EXIT_INPUT;
    }
    snprintf(path, sizeof path, "%s/.migralint.json", root);
    struct stat st;
    if (stat(path, &st) == 0 && !o->force) {
        fprintf(stderr, "migralint: %s already exists; not overwriting it (use --force)\n", path);
        return EXIT_USAGE;
    }
    /* The version the repository pins goes into the file (a config's own
     * pgVersion is not read: init writes a new one). */
    cli_options settled = *o;
    arena *a = arena_new();
    cli_settle_pg_version(&settled, NULL, root, NULL, 0, a);
    engine_found *found;
    size_t count = engine_discover(root, &settled, a, &found);
    char *text = render(&settled, found, count);
    int rc = EXIT_CLEAN;
    if (!write_file(path, text)) {
        fprintf(stderr, "migralint: cannot write %s: %s\n", path, strerror(errno));
        rc = EXIT_INPUT;
    } else {
        for (size_t i = 0; i < count; i++)
            printf("found %s migrations in %s\n", found[i].framework, found[i].dir);
        if (!count)
            printf("no migrations folder found: list yours under \"migrations\"\n");
        printf("wrote %s:\n%s", path, text);
    }
    free(text);
    arena_free(a);
    return rc;
}
