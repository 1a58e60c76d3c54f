/* check.c - `migralint check`: read the migrations, lint them, report. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../config/config.h"
#include "../drift/discover.h"
#include "../core/exitcode.h"
#include "../report/report.h"
#include "../rules/lint.h"
#include "../rules/ruledoc.h"
#include "../sql/sql.h"
#include "../vcs/repo.h"
#include "cli.h"
#include "drift.h"
#include "../engine/discover.h"
#include "../engine/files.h"
#include "../engine/pipeline.h"
#include "../engine/workspace.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Folders the popular frameworks use, tried when no PATHS are given. */
static const char *const default_dirs[] = {
    "migrations",          "db/migrations", "db/migrate",     "prisma/migrations",
    "supabase/migrations", "drizzle",       "sql/migrations", "database/migrations",
    "src/migrations",      "db/migration",
};

/* Looks in the working directory, then at the repository root (started
 * from a sub-folder, as hooks and editors may be). */
static bool find_default_dir(const char *root, arena *a, const char **out)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof default_dirs / sizeof default_dirs[0]; i++) {
            struct stat st;
            const char *d =
                pass ? arena_printf(a, "%s/%s", root, default_dirs[i]) : default_dirs[i];
            if (stat(d, &st) == 0 && S_ISDIR(st.st_mode)) {
                *out = d;
                return true;
            }
        }
    }
    return false;
}

static bool want_color(const cli_options *o, FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    if (o->no_color || (nc && *nc) || o->output)
        return false;
    return isatty(fileno(out));
}

static int write_report(const cli_options *o, const pipeline *run, const diag_list *diags)
{
    FILE *out = stdout;
    if (o->output && !(out = fopen(o->output, "w"))) {
        fprintf(stderr, "migralint: --output %s: %s\n", o->output, strerror(errno));
        return EXIT_INPUT;
    }
    const char *format = o->format ? o->format : (isatty(fileno(stdout)) ? "text" : "gcc");
    report_input in = {diags, run->linted, run->nlinted, want_color(o, out)};
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

static int exit_code(const cli_options *o, const pipeline *run, const diag_list *diags)
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

static bool lint_paths(pipeline *p, const char *const *paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "migralint: %s: %s\n", paths[i], strerror(errno));
            return false;
        }
        if (S_ISDIR(st.st_mode)) {
            pipeline_lint_dir(p, paths[i]);
        } else if (S_ISREG(st.st_mode)) {
            pipeline_lint_file(p, paths[i]);
        } else {
            fprintf(stderr, "migralint: %s: not a regular file or directory\n", paths[i]);
            return false;
        }
    }
    return true;
}

static void print_status_text(const pipeline *p)
{
    const char *dir = NULL;
    for (size_t i = 0; i < p->nrows; i++) {
        const status_row *r = &p->rows[i];
        if (!dir || strcmp(dir, r->dir) != 0) {
            dir = r->dir;
            if (r->fw == FW_PLAIN)
                printf("%s%s: no framework detected, plain SQL files in name order\n",
                       i ? "\n" : "", *dir ? dir : ".");
            else
                printf("%s%s: %s\n", i ? "\n" : "", *dir ? dir : ".", framework_name(r->fw));
            /* PostgreSQL folders print as before there were two dialects. */
            if (strcmp(r->dialect, "postgresql") != 0)
                printf("  dialect: %s (%s)\n", r->dialect, r->dialect_why);
            bool state = false; /* a column when any row of the folder has one */
            for (size_t k = i; k < p->nrows && !strcmp(p->rows[k].dir, dir); k++)
                state = state || p->rows[k].state;
            printf("  %-16s %-36s %-5s %-8s%s\n", "VERSION", "NAME", "DOWN", "RISK",
                   state ? " STATE" : "");
        }
        const char *down = !framework_has_down(r->fw) && !r->has_down ? "-"
                           : r->has_down                              ? "yes"
                                                                      : "no";
        printf("  %-16s %-36s %-5s %-8s%s%s\n", *r->version ? r->version : "-", r->name, down,
               r->risk, r->state ? " " : "", r->state ? r->state : "");
    }
}

static void print_status_json(const pipeline *p)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->nrows; i++) {
        const status_row *r = &p->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "folder", r->dir);
        cJSON_AddStringToObject(o, "framework", framework_name(r->fw));
        cJSON_AddStringToObject(o, "dialect", r->dialect);
        cJSON_AddStringToObject(o, "version", r->version);
        cJSON_AddStringToObject(o, "name", r->name);
        cJSON_AddStringToObject(o, "path", r->path);
        cJSON_AddBoolToObject(o, "has_down", r->has_down);
        cJSON_AddStringToObject(o, "risk", r->risk);
        if (r->state)
            cJSON_AddStringToObject(o, "state", r->state);
        cJSON_AddItemToArray(arr, o);
    }
    char *text = cJSON_Print(arr);
    puts(text);
    free(text);
    cJSON_Delete(arr);
}

/* `migralint schema PATHS`: the catalog the up steps build, as JSON. */
static int finish_schema(const cli_options *o, pipeline *p)
{
    (void)o;
    if (p->input_error)
        return EXIT_INPUT;
    cJSON *json = catalog_to_json(p->cat);
    char *text = cJSON_Print(json);
    puts(text);
    free(text);
    cJSON_Delete(json);
    return EXIT_CLEAN;
}

/* `migralint status PATHS`: one line per migration with its risk. */
static int finish_status(const cli_options *o, pipeline *p)
{
    if (o->format && !strcmp(o->format, "json"))
        print_status_json(p);
    else {
        print_status_text(p);
        /* Which server the findings assume, and why: a wrong guess here
         * explains a surprising requires-newer-postgres finding. */
        if (p->dialect != SQL_DIALECT_MYSQL)
            printf("%starget: %s\n", p->nrows ? "\n" : "", cli_pg_version_text(o, p->a));
    }
    return p->input_error ? EXIT_INPUT : EXIT_CLEAN;
}

/* Past --max-findings the list only counts; say so, or the report would
 * look complete. */
static void say_dropped(const pipeline *p)
{
    if (p->diags->dropped)
        fprintf(stderr,
                "migralint: stopped recording findings at %zu (--max-findings, \"maxFindings\"): "
                "%zu more were found and are not reported\n",
                p->diags->max, p->diags->dropped);
}

/* The report (the linted files and drift's schema files) and the exit code. */
static int finish_report(const cli_options *o, pipeline *p)
{
    diag_list_finalize(p->diags);
    say_dropped(p);
    size_t nfiles; /* drift's schema files are reported on too */
    const source **files = cli_drift_files(p, &nfiles);
    pipeline view = *p;
    view.linted = files;
    view.nlinted = nfiles;
    int rc = write_report(o, &view, p->diags);
    return rc == EXIT_CLEAN ? exit_code(o, p, p->diags) : rc;
}

/* `migralint check PATHS`: the report and the exit code. */
static int finish_check(const cli_options *o, pipeline *p)
{
    return finish_report(o, p);
}

/* `migralint drift PATHS`: the folders' schema against the declaration. */
static int finish_drift(const cli_options *o, pipeline *p)
{
    if (!p->input_error)
        cli_drift_set_done(p, p->drift->first_dir);
    if (!p->drift->compared && !p->input_error) {
        fputs("migralint: drift: no schema to compare with was found for the migrations "
              "(give the ORM schema files or a schema dump among PATHS)\n",
              stderr);
        return EXIT_USAGE;
    }
    return finish_report(o, p);
}

/* The config's filename_pattern for migration-filename (validated when
 * the config was read). */
static pcre2_code *compile_filename_pattern(const config *cfg)
{
    int err;
    PCRE2_SIZE off;
    if (!cfg->filename_pattern)
        return NULL;
    return pcre2_compile((PCRE2_SPTR)cfg->filename_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err,
                         &off, NULL);
}

/* Runs the pipeline over PATHS, then the subcommand's finish step. schema
 * replays only, into one catalog shared by every path. */
static int run_paths(const cli_options *o, const char *const *paths, size_t npaths,
                     const char *root, const config *cfg, workspace *ws,
                     const drift_decl *drift_decl_given)
{
    bool schema = !strcmp(o->command, "schema");
    bool drift = !strcmp(o->command, "drift");
    int (*finish)(const cli_options *, pipeline *) = schema                          ? finish_schema
                                                     : !strcmp(o->command, "status") ? finish_status
                                                     : drift                         ? finish_drift
                                                                                     : finish_check;
    arena *a = arena_new();
    diag_list diags;
    diag_list_init(&diags, a);
    diags.max = o->max_findings;
    pipeline p = {.a = a,
                  .root = root,
                  .o = o,
                  .cfg = cfg,
                  .l = linter_new(&diags),
                  .diags = &diags,
                  .schema_only = schema || drift,
                  .cat = schema || drift ? catalog_new() : NULL,
                  .ws = ws->repo ? ws : NULL};
    if (p.cat && cfg->nsearch_path) /* schema and drift keep one catalog for every folder */
        catalog_set_search_path(p.cat, cfg->search_path, cfg->nsearch_path);
    pcre2_code *filename_re = compile_filename_pattern(cfg);
    p.filename_re = filename_re;
    cli_drift dr = {0};
    p.drift = &dr;
    if (!strcmp(o->command, "check")) {
        p.set_done = cli_drift_set_done;
        drift_django_settings(a, "."); /* before the replay, as `drift` does */
    }
    if (drift)
        cli_drift_levels(&p);
    if (drift_decl_given)
        dr.decl = *drift_decl_given;
    dr.first_dir = npaths ? paths[0] : NULL;
    linter_set_pg_version(p.l, o->pg_version, o->pg_version_why);
    int rc = lint_paths(&p, paths, npaths) ? finish(o, &p) : EXIT_INPUT;
    pcre2_code_free(filename_re);
    catalog_free(p.cat);
    drift_run_free(&dr.run);
    linter_free(p.l);
    pipeline_free(&p);
    diag_list_free(&diags);
    arena_free(a);
    return rc;
}

/* Command-line values beat the config file, which beats the defaults. */
static void merge_config(cli_options *o, const config *cfg)
{
    if (!o->has_fail_on && cfg->has_fail_on)
        o->fail_on = cfg->fail_on;
    if (!o->has_max_file_size && cfg->max_file_size)
        o->max_file_size = cfg->max_file_size;
    if (!o->has_max_findings && cfg->max_findings)
        o->max_findings = cfg->max_findings;
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

/* Is dir (repo-relative) the well-known folder, or inside it? */
static bool within(const char *dir, const char *known)
{
    size_t n = strlen(known);
    return known[0] && !strncmp(dir, known, n) && (dir[n] == '\0' || dir[n] == '/');
}

/* The well-known folder (NULL when there is none) and the migrations
 * folders `migralint init` would write besides it; those are said on
 * stderr so the user knows what was linted. */
static bool discover_paths(const cli_options *o, const char *root, const char *known,
                           const char ***paths, size_t *npaths, arena *a)
{
    cli_found *found;
    size_t n = cli_discover(root, o, a, &found), k = 0;
    const char *known_rel = "";
    if (known && !strncmp(known, root, strlen(root)) && known[strlen(root)] == '/')
        known_rel = known + strlen(root) + 1;
    else if (known)
        known_rel = known;
    /* migrations/ that is no migrations folder itself but holds some
     * (supabase/postgres: migrations/db/migrations): those, not it. */
    bool inside = false, same = false;
    for (size_t i = 0; known && i < n; i++) {
        same = same || !strcmp(found[i].dir, known_rel);
        inside = inside || within(found[i].dir, known_rel);
    }
    if (inside && !same)
        known = NULL;
    const char **list = arena_calloc(a, n + 1, sizeof *list);
    if (known)
        list[k++] = known;
    for (size_t i = 0; i < n; i++) {
        if (known && within(found[i].dir, known_rel))
            continue; /* the well-known folder, or inside it */
        list[k++] = arena_printf(a, "%s/%s", root, found[i].dir);
        fprintf(stderr,
                "migralint: no PATHS given: linting %s (%s), found by a walk of the "
                "repository; `migralint init` writes it into .migralint.json\n",
                found[i].dir, framework_name((framework)found[i].fw));
    }
    if (!k) {
        fputs("migralint: no PATHS given and no migrations folder found here (looked for "
              "migrations/, db/migrations/, db/migrate/, prisma/migrations/, ..., then for "
              "folders of numbered SQL files up to 7 levels down); pass the folder to lint, or "
              "set \"migrations\" in .migralint.json\n",
              stderr);
        return false;
    }
    *paths = list;
    *npaths = k;
    return true;
}

/* The folders to lint: PATHS, else the config's, else a well-known one,
 * else the migrations folders a walk of the repository finds. */
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
    if (!find_default_dir(root, a, &dflt))
        dflt = NULL;
    return discover_paths(o, root, dflt, paths, npaths, a);
}

/* --staged with nothing staged in any migrations folder: exit 0 at once,
 * before reading anything else (the pre-commit hook runs on every commit). */
static bool nothing_staged(workspace *ws, const char *root, const char *const *paths, size_t n,
                           arena *a)
{
    const char **rel = arena_calloc(a, n + 1, sizeof *rel);
    size_t len = strlen(root);
    for (size_t i = 0; i < n; i++) {
        char real[PATH_MAX];
        struct stat st;
        if (!realpath(paths[i], real) || strncmp(real, root, len) != 0)
            return false; /* outside the repository: let the lint say so */
        char *slash = strrchr(real, '/');
        if (stat(real, &st) == 0 && !S_ISDIR(st.st_mode) && slash && slash > real + len)
            *slash = '\0'; /* a file: whatever its folder stages */
        rel[i] = arena_strdup(a, real[len] == '/' ? real + len + 1 : "");
    }
    return !workspace_has_staged(ws, rel, n);
}

static int check_in_root(const cli_options *opts)
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
        cli_settle_pg_version(&o, &cfg, root, a);
        workspace ws;
        rc = workspace_open(&ws, &o, &cfg, a);
        cli_drift dr = {0};
        if (rc == EXIT_CLEAN && !strcmp(o.command, "drift")) {
            rc = cli_drift_paths(&dr, a, &cfg, root, o.paths, o.npaths, &paths, &npaths)
                     ? run_paths(&o, paths, npaths, root, &cfg, &ws, &dr.decl)
                     : EXIT_USAGE;
        } else if (rc == EXIT_CLEAN && resolve_paths(&o, &cfg, root, &paths, &npaths, a)) {
            if (!(o.staged && nothing_staged(&ws, root, paths, npaths, a)))
                rc = run_paths(&o, paths, npaths, root, &cfg, &ws, NULL);
        } else if (rc == EXIT_CLEAN) {
            rc = EXIT_USAGE;
        }
        workspace_close(&ws);
        config_free(&cfg);
    }
    arena_free(a);
    return rc;
}

int cli_check(const cli_options *opts)
{
    if (opts->repo && chdir(opts->repo) != 0) {
        fprintf(stderr, "migralint: --repo %s: %s\n", opts->repo, strerror(errno));
        return EXIT_INPUT;
    }
    vcs_global_hold();
    int rc = check_in_root(opts);
    vcs_global_release();
    return rc;
}
