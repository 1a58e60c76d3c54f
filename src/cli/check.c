/* check.c - `migralint check`, `status`, `schema` and `drift`: the options
 * into an engine run (engine.h), then the report, the status table or the
 * schema, and the exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/exitcode.h"
#include "../engine/engine.h"
#include "../report/report.h"
#include "cli.h"
#include "drift.h"

static bool want_color(const cli_options *o, FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    if (o->no_color || (nc && *nc) || o->output)
        return false;
    return isatty(fileno(out));
}

static int write_report(const cli_options *o, const source **files, size_t nfiles,
                        const diag_list *diags)
{
    FILE *out = stdout;
    if (o->output && !(out = fopen(o->output, "w"))) {
        fprintf(stderr, "migralint: --output %s: %s\n", o->output, strerror(errno));
        return EXIT_INPUT;
    }
    const char *format = o->format ? o->format : (isatty(fileno(stdout)) ? "text" : "gcc");
    report_input in = {diags, files, nfiles, want_color(o, out)};
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

static int exit_code(const cli_options *o, const engine_result *r, const diag_list *diags)
{
    if (r->input_error)
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

static void print_status_text(const engine_result *p)
{
    const char *dir = NULL;
    for (size_t i = 0; i < p->nrows; i++) {
        const engine_row *r = &p->rows[i];
        if (!dir || strcmp(dir, r->dir) != 0) {
            dir = r->dir;
            if (r->plain)
                printf("%s%s: no framework detected, plain SQL files in name order\n",
                       i ? "\n" : "", *dir ? dir : ".");
            else
                printf("%s%s: %s\n", i ? "\n" : "", *dir ? dir : ".", r->framework);
            /* PostgreSQL folders print as before there were two dialects. */
            if (strcmp(r->dialect, "postgresql") != 0)
                printf("  dialect: %s (%s)\n", r->dialect, r->dialect_why);
            bool state = false; /* a column when any row of the folder has one */
            for (size_t k = i; k < p->nrows && !strcmp(p->rows[k].dir, dir); k++)
                state = state || p->rows[k].state;
            printf("  %-16s %-36s %-5s %-8s%s\n", "VERSION", "NAME", "DOWN", "RISK",
                   state ? " STATE" : "");
        }
        const char *down = !r->framework_down && !r->has_down ? "-" : r->has_down ? "yes" : "no";
        printf("  %-16s %-36s %-5s %-8s%s%s\n", *r->version ? r->version : "-", r->name, down,
               r->risk, r->state ? " " : "", r->state ? r->state : "");
    }
}

static void print_status_json(const engine_result *p)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->nrows; i++) {
        const engine_row *r = &p->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "folder", r->dir);
        cJSON_AddStringToObject(o, "framework", r->framework);
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
static int finish_schema(const cli_options *o, engine_result *r, drift_hook *d)
{
    (void)o, (void)d;
    if (r->input_error)
        return EXIT_INPUT;
    cJSON *json = engine_schema_json(r);
    char *text = cJSON_Print(json);
    puts(text);
    free(text);
    cJSON_Delete(json);
    return EXIT_CLEAN;
}

/* `migralint status PATHS`: one line per migration with its risk. */
static int finish_status(const cli_options *o, engine_result *r, drift_hook *d)
{
    (void)d;
    if (o->format && !strcmp(o->format, "json"))
        print_status_json(r);
    else {
        print_status_text(r);
        /* Which server the findings assume, and why: a wrong guess here
         * explains a surprising requires-newer-postgres finding. */
        if (!r->mysql)
            printf("%starget: %s\n", r->nrows ? "\n" : "", cli_pg_version_text(o, r->a));
    }
    return r->input_error ? EXIT_INPUT : EXIT_CLEAN;
}

/* Past --max-findings the list only counts; say so, or the report would
 * look complete. */
static void say_dropped(const diag_list *diags)
{
    if (diags->dropped)
        fprintf(stderr,
                "migralint: stopped recording findings at %zu (--max-findings, \"maxFindings\"): "
                "%zu more were found and are not reported\n",
                diags->max, diags->dropped);
}

/* The report (the linted files and drift's schema files) and the exit code. */
static int finish_report(const cli_options *o, engine_result *r, drift_hook *d)
{
    diag_list_finalize(r->diags);
    say_dropped(r->diags);
    size_t nfiles; /* drift's schema files are reported on too */
    const source **files = drift_hook_files(d, r, &nfiles);
    int rc = write_report(o, files, nfiles, r->diags);
    return rc == EXIT_CLEAN ? exit_code(o, r, r->diags) : rc;
}

/* `migralint drift PATHS`: the folders' schema against the declaration. */
static int finish_drift(const cli_options *o, engine_result *r, drift_hook *d)
{
    drift_hook_compare(d, r);
    if (!d->compared && !r->input_error) {
        fputs("migralint: drift: no schema to compare with was found for the migrations "
              "(give the ORM schema files or a schema dump among PATHS)\n",
              stderr);
        return EXIT_USAGE;
    }
    return finish_report(o, r, d);
}

static engine_mode mode_of(const char *command)
{
    return !strcmp(command, "schema")   ? ENGINE_SCHEMA
           : !strcmp(command, "status") ? ENGINE_STATUS
           : !strcmp(command, "drift")  ? ENGINE_DRIFT
                                        : ENGINE_CHECK;
}

/* Runs the engine over PATHS (drift inside check, or drift's comparison,
 * hooked in), then the subcommand's finish step. */
static int run_paths(engine *e, engine_mode mode, const char *const *paths, size_t npaths,
                     drift_hook *d)
{
    int (*finish)(const cli_options *, engine_result *, drift_hook *) =
        mode == ENGINE_SCHEMA   ? finish_schema
        : mode == ENGINE_STATUS ? finish_status
        : mode == ENGINE_DRIFT  ? finish_drift
                                : finish_report;
    engine_hook hook = drift_hook_for(d, mode, npaths ? paths[0] : NULL);
    engine_result r;
    int rc = engine_run(e, mode, paths, npaths, &hook, &r);
    if (rc == EXIT_CLEAN)
        rc = finish(engine_options(e), &r, d);
    drift_hook_free(d);
    return rc;
}

static int check_in_root(const cli_options *opts)
{
    engine *e;
    int rc = engine_open(&e, opts);
    engine_mode mode = mode_of(opts->command);
    drift_hook d = {0};
    const char **paths;
    size_t npaths;
    if (rc == EXIT_CLEAN && mode == ENGINE_DRIFT) {
        rc = cli_drift_paths(&d, engine_arena(e), engine_config(e), engine_root(e), opts->paths,
                             opts->npaths, &paths, &npaths)
                 ? run_paths(e, mode, paths, npaths, &d)
                 : EXIT_USAGE;
    } else if (rc == EXIT_CLEAN && engine_resolve_paths(e, &paths, &npaths)) {
        if (!engine_nothing_staged(e, paths, npaths))
            rc = run_paths(e, mode, paths, npaths, &d);
    } else if (rc == EXIT_CLEAN) {
        rc = EXIT_USAGE;
    }
    engine_close(e);
    return rc;
}

int cli_check(const cli_options *opts)
{
    if (opts->repo && chdir(opts->repo) != 0) {
        fprintf(stderr, "migralint: --repo %s: %s\n", opts->repo, strerror(errno));
        return EXIT_INPUT;
    }
    return check_in_root(opts);
}
