/* check.c - `migralint check`: read the migrations, lint them, report. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/config.h"
#include "../core/exitcode.h"
#include "../report/report.h"
#include "../rules/lint.h"
#include "../rules/ruledoc.h"
#include "../sql/sql.h"
#include "../vcs/repo.h"
#include "cli.h"
#include "files.h"

/* Folders the popular frameworks use, tried when no PATHS are given. */
static const char *const default_dirs[] = {
    "migrations",          "db/migrations", "db/migrate",     "prisma/migrations",
    "supabase/migrations", "drizzle",       "sql/migrations", "database/migrations",
    "src/migrations",      "db/migration",
};

static bool find_default_dir(const char **out)
{
    for (size_t i = 0; i < sizeof default_dirs / sizeof default_dirs[0]; i++) {
        struct stat st;
        if (stat(default_dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            *out = default_dirs[i];
            return true;
        }
    }
    return false;
}

/* Levels for one file: the rule's default, then the config file (its
 * per-path overrides win over its "rules"), then --rule/--disable-rule. */
static void apply_levels(linter *l, const cli_options *o, const config *cfg, const char *path)
{
    for (size_t i = 0; i < ruledoc_count(); i++) {
        const rule_doc *d = ruledoc_at(i);
        diag_level level = d->opt_in ? LEVEL_NONE : d->level;
        config_level_for(cfg, d->id, path, &level);
        linter_set_level(l, d->id, level);
    }
    for (size_t i = 0; i < o->nenable; i++)
        if (linter_level(l, o->enable[i]) == LEVEL_NONE)
            linter_set_level(l, o->enable[i], ruledoc_find(o->enable[i])->level);
    for (size_t i = 0; i < o->ndisable; i++)
        linter_set_level(l, o->disable[i], LEVEL_NONE);
}

typedef struct check_run {
    source **sources;
    size_t nsources;
    bool input_error;
} check_run;

/* Named on the command line, as opposed to found in a folder, where empty
 * files (empty down steps) are routine and not worth a word. */
static bool named_explicitly(const cli_options *o, const char *path)
{
    for (size_t i = 0; i < o->npaths; i++)
        if (strcmp(o->paths[i], path) == 0)
            return true;
    return false;
}

static void lint_files(check_run *run, const file_list *files, const char *root, linter *l,
                       const cli_options *o, const config *cfg)
{
    run->sources = calloc(files->count ? files->count : 1, sizeof *run->sources);
    if (!run->sources)
        abort();
    for (size_t i = 0; i < files->count; i++) {
        source *src = files_load(files->paths[i], root, o->max_file_size);
        if (!src) {
            run->input_error = true;
            continue;
        }
        run->sources[run->nsources++] = src;
        if (src->len == 0 && named_explicitly(o, files->paths[i]))
            fprintf(stderr, "migralint: %s: empty file, nothing to lint\n", src->path);
        apply_levels(l, o, cfg, src->path);
        sql_file *f = sql_file_parse(src, 0, src->len);
        linter_check(l, f);
        sql_file_free(f);
    }
}

static bool want_color(const cli_options *o, FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    if (o->no_color || (nc && *nc) || o->output)
        return false;
    return isatty(fileno(out));
}

static int write_report(const cli_options *o, const check_run *run, const diag_list *diags)
{
    FILE *out = stdout;
    if (o->output && !(out = fopen(o->output, "w"))) {
        fprintf(stderr, "migralint: --output %s: %s\n", o->output, strerror(errno));
        return EXIT_INPUT;
    }
    const char *format = o->format ? o->format : (isatty(fileno(stdout)) ? "text" : "gcc");
    report_input in = {diags, (const source *const *)run->sources, run->nsources,
                       want_color(o, out)};
    int rc = report_find(format)(out, &in);
    if (fflush(out) != 0)
        rc = -1;
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "migralint: could not write the report: %s\n", strerror(errno));
        return EXIT_INPUT;
    }
    return EXIT_CLEAN;
}

static int exit_code(const cli_options *o, const check_run *run, const diag_list *diags)
{
    if (run->input_error)
        return EXIT_INPUT;
    size_t counts[4];
    diag_list_count(diags, counts);
    if (o->fail_on == LEVEL_NONE)
        return EXIT_CLEAN;
    for (int lv = o->fail_on; lv <= LEVEL_ERROR; lv++)
        if (counts[lv])
            return EXIT_FINDINGS;
    return EXIT_CLEAN;
}

static int check_files(const cli_options *o, const file_list *files, const char *root,
                       const config *cfg)
{
    arena *a = arena_new();
    diag_list diags;
    diag_list_init(&diags, a);
    linter *l = linter_new(&diags);
    check_run run = {0};
    lint_files(&run, files, root, l, o, cfg);
    diag_list_finalize(&diags);
    int rc = write_report(o, &run, &diags);
    if (rc == EXIT_CLEAN)
        rc = exit_code(o, &run, &diags);
    linter_free(l);
    for (size_t i = 0; i < run.nsources; i++)
        source_free(run.sources[i]);
    free(run.sources);
    diag_list_free(&diags);
    arena_free(a);
    return rc;
}

/* Command-line values beat the config file, which beats the defaults. */
static void merge_config(cli_options *o, const config *cfg)
{
    if (!o->has_fail_on && cfg->has_fail_on)
        o->fail_on = cfg->fail_on;
    if (!o->has_pg_version && cfg->pg_version)
        o->pg_version = cfg->pg_version;
    if (!o->has_max_file_size && cfg->max_file_size)
        o->max_file_size = cfg->max_file_size;
}

/* Loads --config or the nearest .migralint.json; an empty config otherwise. */
static bool load_config(const cli_options *o, const char *root, arena *a, config *cfg)
{
    char path[PATH_MAX], cwd[PATH_MAX];
    memset(cfg, 0, sizeof *cfg);
    if (o->config)
        return config_load(o->config, a, cfg);
    if (getcwd(cwd, sizeof cwd) && config_find(cwd, root, path, sizeof path))
        return config_load(path, a, cfg);
    return true;
}

/* The folders to lint: PATHS, else the config's, else a well-known one. */
static bool resolve_paths(const cli_options *o, const config *cfg, const char *root,
                          const char ***paths, size_t *npaths, arena *a)
{
    *paths = o->paths;
    *npaths = o->npaths;
    if (*npaths)
        return true;
    if (cfg->nmigrations) {
        const char **list = arena_calloc(a, cfg->nmigrations, sizeof *list);
        for (size_t i = 0; i < cfg->nmigrations; i++)
            list[i] = arena_printf(a, "%s/%s", root, cfg->migrations[i].path);
        *paths = list;
        *npaths = cfg->nmigrations;
        return true;
    }
    const char *dflt;
    if (!find_default_dir(&dflt)) {
        fputs("migralint: no PATHS given and no migrations folder found here (looked for "
              "migrations/, db/migrations/, db/migrate/, prisma/migrations/, ...); pass the "
              "folder to lint, or set \"migrations\" in .migralint.json\n",
              stderr);
        return false;
    }
    const char **list = arena_calloc(a, 1, sizeof *list);
    list[0] = dflt;
    *paths = list;
    *npaths = 1;
    return true;
}

int cli_check(const cli_options *opts)
{
    char root[PATH_MAX];
    if (!vcs_workdir_root(root, sizeof root) && !getcwd(root, sizeof root)) {
        fprintf(stderr, "migralint: cannot determine the working directory: %s\n", strerror(errno));
        return EXIT_INPUT;
    }
    arena *a = arena_new();
    config cfg;
    cli_options o = *opts;
    const char **paths;
    size_t npaths;
    int rc = EXIT_USAGE;
    if (load_config(&o, root, a, &cfg)) {
        merge_config(&o, &cfg);
        if (resolve_paths(&o, &cfg, root, &paths, &npaths, a)) {
            file_list files = {0};
            rc = files_collect(paths, npaths, &files) ? check_files(&o, &files, root, &cfg)
                                                      : EXIT_INPUT;
            files_free(&files);
        }
        config_free(&cfg);
    }
    arena_free(a);
    return rc;
}
