/* migration-filename: a .sql file in the migrations folder that the
 * framework will never run because its name does not follow the
 * framework's pattern (the layout module says why), or a migration whose
 * file name does not match the project's `migrationFilePattern` (PCRE2,
 * .migralint.json). Does not need Git. */
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "history_util.h"

static bool matches(const void *re, const char *name)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)name, strlen(name), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    const source *src = m ? history_src(m) : NULL;
    if (!src)
        return;
    if (mig->stray_why) {
        diag *d = lint_report_at(ctx, "migration-filename", src, 0, 0, "%s is not a migration: %s",
                                 src->path, mig->stray_why);
        lint_help(ctx, d, "rename it to the %s naming pattern, or move it out of the folder",
                  framework_name(mig->fw));
        return;
    }
    if (!mig->filename_re)
        return;
    const source *files[2] = {src, m->has_down && m->down.src != src ? m->down.src : NULL};
    for (size_t i = 0; i < 2; i++) {
        if (!files[i] || matches(mig->filename_re, lint_basename(files[i]->path)))
            continue;
        diag *d = lint_report_at(ctx, "migration-filename", files[i], 0, 0,
                                 "%s does not match the project's migrationFilePattern",
                                 lint_basename(files[i]->path));
        lint_help(ctx, d, "rename it to match migrationFilePattern in .migralint.json");
    }
}

const rule rule_migration_filename = {
    .id = "migration-filename", .check_migration = check_migration, .dialects = RULE_ALL_DIALECTS};
