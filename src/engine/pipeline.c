/* pipeline.c - reading folders into migration sets and linting them (see
 * pipeline.h). A folder is read whole (the layout needs sqitch.plan,
 * meta/_journal.json and the like), but only the files the layout reads are
 * loaded, so a big Drizzle snapshot never trips the size limit. */
#include "pipeline.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../catalog/catalog.h"
#include "../mysql/mysql.h"
#include "../rules/risk.h"
#include "../rules/ruledoc.h"
#include "../sql/sql.h"
#include "cache.h"
#include "files.h"
#include "layout_cache.h"
#include "prefetch.h"
#include "session.h"
#include "workspace.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

typedef struct file_set {
    layout_file *items;
    char **fs_paths;
    size_t count, cap;
} file_set;

static void set_add(pipeline *p, file_set *fs, const char *fs_path, const char *rel)
{
    if (fs->count == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 64;
        fs->items = realloc(fs->items, fs->cap * sizeof *fs->items);
        fs->fs_paths = realloc(fs->fs_paths, fs->cap * sizeof *fs->fs_paths);
        if (!fs->items || !fs->fs_paths)
            abort();
    }
    fs->items[fs->count] = (layout_file){arena_strdup(p->a, rel), NULL};
    fs->fs_paths[fs->count] = arena_strdup(p->a, fs_path);
    fs->count++;
}

static void set_free(file_set *fs)
{
    free(fs->items);
    free(fs->fs_paths);
}

static const char *relative_path(pipeline *p, const char *fs_path)
{
    return files_relative(p->a, p->root, fs_path);
}

/* Names carry their type in front (see gather): compare what follows. */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Gathers the files under dir (recursively when deep), in name order. */
static void gather(pipeline *p, file_set *fs, const char *dir, const char *rel, bool deep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    file_list names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules"))
            continue;
        if (names.count == names.cap) { /* doubling: one more each time copied it all */
            names.cap = names.cap ? names.cap * 2 : 64;
            names.paths = realloc(names.paths, names.cap * sizeof *names.paths);
        }
        /* The entry's type rides in front of its name ('f' file, 'd'
         * folder, '?' ask stat): most file systems say it, which saves a
         * stat per file of a 6,000-file folder. */
        char *n = names.paths ? malloc(strlen(e->d_name) + 2) : NULL;
        if (!n)
            abort();
        n[0] = e->d_type == DT_REG ? 'f' : e->d_type == DT_DIR ? 'd' : '?';
        strcpy(n + 1, e->d_name);
        names.paths[names.count++] = n;
    }
    closedir(d);
    if (names.count)
        qsort(names.paths, names.count, sizeof *names.paths, name_cmp);
    for (size_t i = 0; i < names.count; i++) {
        char path[PATH_MAX], relp[PATH_MAX], type = names.paths[i][0];
        const char *name = names.paths[i] + 1;
        struct stat st;
        str_join3(path, sizeof path, dir, "/", name);
        str_join3(relp, sizeof relp, rel, *rel ? "/" : "", name);
        if (type == '?') /* symbolic links and file systems without d_type */
            type = stat(path, &st) != 0  ? 0
                   : S_ISDIR(st.st_mode) ? 'd'
                   : S_ISREG(st.st_mode) ? 'f'
                                         : 0;
        if (type == 'd' && deep)
            gather(p, fs, path, relp, deep);
        else if (type == 'f')
            set_add(p, fs, path, relp);
    }
    files_free(&names);
}

/* gather through the session: a watched folder's listing is read once. */
static void gather_kept(pipeline *p, file_set *fs, const char *dir, const char *rel, bool deep)
{
    size_t n;
    const char *const *rels, *const *paths;
    if (!p->keep || deep) {
        gather(p, fs, dir, rel, deep);
    } else if (session_listing(p->keep, dir, rel, &n, &rels, &paths)) {
        for (size_t i = 0; i < n; i++)
            set_add(p, fs, paths[i], rels[i]);
    } else {
        size_t from = fs->count, got;
        gather(p, fs, dir, rel, deep);
        got = fs->count - from; /* an empty folder leaves fs->items NULL */
        session_listing_keep(p->keep, dir, rel, got, got ? fs->items + from : NULL,
                             got ? fs->fs_paths + from : NULL);
    }
}

static void keep_source(pipeline *p, source *src)
{
    if (p->nsources == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->sources = realloc(p->sources, p->cap * sizeof *p->sources);
        if (!p->sources)
            abort();
    }
    p->sources[p->nsources++] = src;
}

/* Takes a file load_texts read, or says why it could not be read. */
static void take_text(pipeline *p, file_set *fs, size_t i, source *src, bool counts)
{
    if (!src && counts) /* read it again, to say why */
        src = files_load(fs->fs_paths[i], fs->items[i].path, p->o->max_file_size, false);
    if (!src) {
        p->input_error = p->input_error || counts;
        return;
    }
    keep_source(p, src);
    fs->items[i].src = src;
}

/* The files of fs that load_texts reads: their indexes in fs, in order. */
static size_t texts_wanted(const file_set *fs, size_t *want)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->count; i++)
        if (!fs->items[i].src && layout_needs_text(fs->items[i].path))
            want[n++] = i; /* not already given (pipeline_lint_buffer), and read */
    return n;
}

/* Reads the files the layout needs. A file that cannot be read is reported
 * (exit 3 at the end) and stays in the set without text; with `only`, just
 * that file's problems count (its siblings are read for context only).
 * Without a session the files are read on two threads, and the problems
 * are said afterwards, in the files' order. */
static void load_texts(pipeline *p, file_set *fs, const char *only)
{
    size_t *want = malloc((fs->count + 1) * sizeof *want);
    const char **paths = calloc(fs->count + 1, sizeof *paths);
    const char **shown = calloc(fs->count + 1, sizeof *shown);
    source **got = malloc((fs->count + 1) * sizeof *got);
    if (!want || !paths || !shown || !got)
        abort();
    size_t n = texts_wanted(fs, want);
    for (size_t k = 0; k < n; k++) {
        paths[k] = fs->fs_paths[want[k]];
        shown[k] = fs->items[want[k]].path;
    }
    if (!p->keep)
        files_load_quietly(paths, shown, n, p->o->max_file_size, got);
    for (size_t k = 0; k < n; k++) {
        size_t i = want[k];
        bool counts = !only || !strcmp(fs->items[i].path, only);
        if (!p->keep) {
            take_text(p, fs, i, got[k], counts);
            continue;
        }
        source *src = session_load(p->keep, paths[k], shown[k], p->o->max_file_size, !counts);
        if (src) /* the session owns it */
            fs->items[i].src = src;
        else
            p->input_error = p->input_error || counts;
    }
    free(want);
    free(paths);
    free(shown);
    free(got);
}

static framework configured_framework(const pipeline *p, const char *rel_dir)
{
    framework fw;
    for (size_t i = 0; i < p->cfg->nmigrations; i++) {
        const config_migrations *m = &p->cfg->migrations[i];
        if (m->framework && !strcmp(m->path, rel_dir) && framework_parse(m->framework, &fw))
            return fw;
    }
    return FW_COUNT;
}

/* Levels for one file: the rule's default, then the config file (its
 * per-path overrides win over its "rules"), then --rule/--disable-rule. */
static void apply_levels(pipeline *p, const char *path)
{
    /* Without per-path overrides every file gets the same levels. */
    if (p->levels_set && p->cfg->noverrides == 0)
        return;
    p->levels_set = true;
    for (size_t i = 0; i < ruledoc_count(); i++) {
        const rule_doc *d = ruledoc_at(i);
        diag_level level = d->opt_in ? LEVEL_NONE : d->level;
        config_level_for(p->cfg, d->id, path, &level);
        linter_set_level(p->l, d->id, level);
    }
    for (size_t i = 0; i < p->o->nenable; i++)
        if (linter_level(p->l, p->o->enable[i]) == LEVEL_NONE)
            linter_set_level(p->l, p->o->enable[i], ruledoc_find(p->o->enable[i])->level);
    for (size_t i = 0; i < p->o->ndisable; i++)
        linter_set_level(p->l, p->o->disable[i], LEVEL_NONE);
}

static void note_linted(pipeline *p, const source *src)
{
    if (ptrmap_has(&p->linted_set, src))
        return;
    ptrmap_put(&p->linted_set, src, NULL);
    if (p->nlinted == p->caplinted) {
        p->caplinted = p->caplinted ? p->caplinted * 2 : 64;
        p->linted = realloc(p->linted, p->caplinted * sizeof *p->linted);
        if (!p->linted)
            abort();
    }
    p->linted[p->nlinted++] = src;
}

static sql_file *parse_part(const pipeline *p, const mig_part *part)
{
    return part->src ? sql_file_parse_dialect(part->src, part->start, part->end, p->dialect) : NULL;
}

/* m's steps, from the parse-ahead worker when one runs for its set. */
static void parse_steps(pipeline *p, const migration *m, bool want_down, sql_file **up,
                        sql_file **down)
{
    if (prefetch_take(p->ahead, m, up, down))
        return;
    *up = m->nup ? parse_part(p, &m->up[0]) : NULL;
    *down = want_down && m->has_down ? parse_part(p, &m->down) : NULL;
}

static void lint_step(pipeline *p, sql_file *f, bool down, bool report)
{
    if (!f)
        return;
    if (!report) { /* replay only: the catalog must still see the step */
        catalog_apply_file(p->cat, f, NULL, NULL);
        return;
    }
    note_linted(p, f->src->host ? f->src->host : f->src); /* code migrations: the host file */
    apply_levels(p, f->src->path);
    linter_check(p->l, f, down);
}

typedef struct difference_sink {
    lint_migration *info;
    arena *a;
} difference_sink;

static void collect_difference(void *ud, const char *what)
{
    difference_sink *sink = ud;
    static const size_t max = 64; /* a down step that reverses nothing says so in a few lines */
    if (sink->info->nnot_reversed == max)
        return;
    sink->info->not_reversed[sink->info->nnot_reversed++] = arena_strdup(sink->a, what);
}

/* Is line m about table t (named by its first n bytes): one of its columns,
 * constraints or indexes? */
static bool about_table(const char *m, const char *t, size_t n)
{
    char on[300];
    if (!strncmp(m, "column ", 7) && !strncmp(m + 7, t, n) && m[7 + n] == '.')
        return true;
    snprintf(on, sizeof on, " on table %.*s ", (int)n, t);
    if (strstr(m, on))
        return true;
    snprintf(on, sizeof on, " ON %.*s (", (int)n, t);
    return strncmp(m, "index ", 6) == 0 && strstr(m, on);
}

/* Splits "KEY is NOW, was BEFORE" into its two values. */
static bool split_change(const char *m, const char **now, size_t *now_len, const char **before)
{
    const char *is = strstr(m, " is "), *was = NULL;
    for (const char *p = strstr(m, ", was "); p; p = strstr(p + 1, ", was "))
        was = p;
    if (!is || !was || was < is)
        return false;
    *now = is + 4;
    *now_len = (size_t)(was - *now);
    *before = was + 6;
    return true;
}

/* A difference no down step can undo, so reporting it would only cry wolf:
 * a NOT VALID constraint that the up step validated. (Enum labels added by
 * ADD VALUE cannot be dropped either; down-does-not-reverse says those as
 * a note, or an error when re-applying the up step fails on them.) */
static bool irreversible_by_design(const char *m)
{
    const char *now, *before;
    size_t n;
    if (!split_change(m, &now, &n, &before))
        return false;
    size_t b = strlen(before);
    return b == n + 10 && strncmp(now, before, n) == 0 && !strcmp(before + n, " NOT VALID");
}

/* "table coupons exists, was absent" already says everything about its
 * columns, constraints and indexes: leave those lines out. */
static void drop_subsumed(lint_migration *info)
{
    size_t out = 0;
    for (size_t i = 0; i < info->nnot_reversed; i++) {
        const char *m = info->not_reversed[i];
        bool subsumed = false;
        for (size_t k = 0; k < info->nnot_reversed && !subsumed; k++) {
            const char *t = info->not_reversed[k];
            if (strncmp(t, "table ", 6) != 0 || !(strstr(t, " exists") || strstr(t, " is absent")))
                continue;
            subsumed = k != i && about_table(m, t + 6, strcspn(t + 6, " "));
        }
        if (!subsumed && !irreversible_by_design(m))
            info->not_reversed[out++] = m;
    }
    info->nnot_reversed = out;
}

typedef struct reapply_sink {
    lint_migration *info;
    arena *a;
    const sql_file *up;
} reapply_sink;

/* A conflict while the up step runs again after its down step that its
 * first run did not have: the first is where the next deploy stops. */
static void reapply_conflict(void *ud, size_t start, size_t end, const char *message)
{
    reapply_sink *sink = ud;
    lint_migration *info = sink->info;
    size_t max = sizeof info->reapply / sizeof info->reapply[0];
    if (info->nreapply == max || info->up_conflicts_overflow || info->up_parse_error ||
        info->partial || !strncmp(message, "trigger ", 8))
        return;
    /* Code migrations' helpers are only partly read (see lint.c). */
    if (info->fw >= FW_TYPEORM && info->fw < FW_COUNT && strstr(message, " does not exist"))
        return;
    unsigned long long h = lint_conflict_hash(start, message);
    for (size_t i = 0; i < info->nup_conflicts; i++)
        if (info->up_conflicts[i] == h)
            return;
    info->reapply[info->nreapply++] =
        (struct lint_reapply){arena_strdup(sink->a, message), start, end};
    info->reapply_src = sink->up->src;
}

/* The up step's first run when it is not reported: its conflicts are still
 * needed to tell the re-applied run's own. */
static void note_up_conflict(void *ud, size_t start, size_t end, const char *message)
{
    lint_migration *info = ud;
    size_t max = sizeof info->up_conflicts / sizeof info->up_conflicts[0];
    (void)end;
    if (info->nup_conflicts == max)
        info->up_conflicts_overflow = true;
    else
        info->up_conflicts[info->nup_conflicts++] = lint_conflict_hash(start, message);
}

/* Lints the down step against a snapshot of what up and down touch, taken
 * before the up step, then replays the up step again so the next migration
 * sees the schema after this one, as production will: a statement that fails
 * there is where the next deploy after a rollback stops. */
static void lint_down(pipeline *p, lint_migration *info, sql_file *up, sql_file *down,
                      const catalog_snapshot *before, const char *const *names, size_t nnames,
                      bool report)
{
    lint_step(p, down, true, report);
    catalog_snapshot *after = catalog_snapshot_take(p->cat, names, nnames);
    info->not_reversed = arena_calloc(p->a, 64, sizeof *info->not_reversed);
    difference_sink sink = {info, p->a};
    catalog_snapshot_diff(before, after, collect_difference, &sink);
    drop_subsumed(info);
    catalog_snapshot_free(after);
    reapply_sink again = {info, p->a, up};
    catalog_apply_file(p->cat, up, reapply_conflict, &again);
}

/* Gives the migration's findings its risk level, and records its row. */
static void note_risk(pipeline *p, const migration_set *set, const migration *m, size_t first)
{
    diag_list *out = p->diags;
    risk_level r = risk_of(out->items + first, out->count - first);
    for (size_t i = first; i < out->count; i++)
        out->items[i]->risk = risk_name(r);
    if (p->nrows == p->caprows) {
        p->caprows = p->caprows ? p->caprows * 2 : 64;
        p->rows = realloc(p->rows, p->caprows * sizeof *p->rows);
        if (!p->rows)
            abort();
    }
    p->rows[p->nrows++] = (status_row){set->dir ? set->dir : "",
                                       m->version,
                                       m->name,
                                       m->path,
                                       set->fw,
                                       m->has_down,
                                       risk_name(r),
                                       NULL,
                                       sql_dialect_name(set->dialect),
                                       p->dialect_why ? p->dialect_why : "default"};
}

/* Remembers which of the names the migration mentions now exist (names
 * already collected for the down-step snapshot are reused). */
static void note_built(pipeline *p, const sql_file *up, const char **names, size_t n)
{
    if (!names)
        n = catalog_touched_names(up, p->a, &names, 0);
    for (size_t i = 0; i < n; i++) {
        const char *dot = strrchr(names[i], '.');
        const char *schema = dot ? arena_strndup(p->a, names[i], (size_t)(dot - names[i])) : NULL;
        const char *name = dot ? dot + 1 : names[i];
        const char *key = strncmp(names[i], "public.", 7) == 0 ? names[i] + 7 : names[i];
        /* Kept for the set: the names may be in the up step's arena
         * (prefetch_names), which goes with the migration. */
        if (!strset_has(&p->built, key) &&
            (catalog_find_rel(p->cat, schema, name) || catalog_find_type(p->cat, schema, name) ||
             catalog_has_schema(p->cat, names[i])))
            strset_add(&p->built, arena_strdup(p->a, key));
    }
}

/* which: NULL lints every step; else only the steps in that file (the
 * others are replayed for the catalog). */
/* `migralint schema` prints replay conflicts instead of linting. */
static void schema_conflict(void *ud, size_t start, size_t end, const char *message)
{
    const sql_file *f = ud;
    source_pos pos = source_position(f->src, start);
    (void)end;
    fprintf(stderr, "migralint: %s:%d:%d: %s\n", f->src->path, pos.line, pos.col, message);
}

static void replay_up(pipeline *p, const migration *m)
{
    sql_file *up, *down;
    parse_steps(p, m, false, &up, &down);
    if (up) {
        catalog_apply_file(p->cat, up, schema_conflict, up);
        prefetch_release(p->ahead, up);
    }
    prefetch_release(p->ahead, down);
}

/* The relations the up step names that do not exist yet. */
static size_t absent_names(pipeline *p, const sql_file *up, const char ***out)
{
    const char **names = NULL;
    size_t n = catalog_touched_names(up, p->a, &names, 0), k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *dot = strrchr(names[i], '.');
        const char *schema = dot ? arena_strndup(p->a, names[i], (size_t)(dot - names[i])) : NULL;
        if (!catalog_find_rel(p->cat, schema, dot ? dot + 1 : names[i]))
            names[k++] = dot ? names[i] : arena_printf(p->a, "public.%s", names[i]);
    }
    *out = names;
    return k;
}

/* Of the names absent before a migration new relative to --base, those
 * that exist now were created by it: new for the locking rules later on. */
static void note_new_rels(pipeline *p, const char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *dot = strrchr(names[i], '.');
        const char *schema = arena_strndup(p->a, names[i], (size_t)(dot - names[i]));
        if (catalog_find_rel(p->cat, schema, dot + 1))
            strset_add(&p->new_rels, names[i]);
    }
}

/* A migration that is not reported (--staged, --changed-only): its up step
 * is replayed and nothing else, since the down step and its snapshots only
 * serve down-does-not-reverse. This is most of a pre-commit run's work. */
static void replay_quietly(pipeline *p, const migration_set *set, const migration *m,
                           const lint_history *h)
{
    sql_file *up, *down;
    parse_steps(p, m, false, &up, &down);
    prefetch_release(p->ahead, down);
    const char **fresh = NULL;
    size_t nfresh = h && h->state == MIG_NEW && up ? absent_names(p, up, &fresh) : 0;
    if (up)
        catalog_apply_file(p->cat, up, NULL, NULL);
    note_risk(p, set, m, p->diags->count);
    p->rows[p->nrows - 1].state = workspace_state_name(h);
    note_new_rels(p, fresh, nfresh);
    if (up)
        note_built(p, up, NULL, 0);
    catalog_end_session(p->cat);
    prefetch_release(p->ahead, up);
}

/* A Flyway versioned migration at or below the newest baseline: Flyway
 * never applies it to an empty database, so it is neither replayed nor
 * linted; `status` says so in its STATE column. */
static void skip_below_baseline(pipeline *p, const migration_set *set, const migration *m,
                                const lint_history *h)
{
    sql_file *up = NULL, *down = NULL;
    if (prefetch_take(p->ahead, m, &up, &down)) {
        prefetch_release(p->ahead, up);
        prefetch_release(p->ahead, down);
    }
    if (p->schema_only)
        return;
    note_risk(p, set, m, p->diags->count);
    const char *state = workspace_state_name(h);
    p->rows[p->nrows - 1].state =
        state ? arena_printf(p->a, "%s, below baseline (not replayed)", state)
              : "below baseline (not replayed)";
}

/* Whether any migration of the set has a down step (missing-down expects
 * one then, and a Flyway set has undo scripts). A loop over a whole set
 * works it out once and holds it in p (hold_set .. p->held = NULL): asked
 * of the set for each migration, it was quadratic in a set without down
 * steps. */
static bool set_has_down(const pipeline *p, const migration_set *set)
{
    if (p->held == set)
        return p->held_has_down;
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i].has_down)
            return true;
    return false;
}

static void hold_set(pipeline *p, const migration_set *set)
{
    p->held = NULL;
    p->held_has_down = set_has_down(p, set);
    p->held = set;
}

static void lint_one(pipeline *p, const migration_set *set, const migration *m, const char *which,
                     bool partial, const lint_history *h)
{
    if (m->below_baseline) {
        skip_below_baseline(p, set, m, h);
        return;
    }
    if (p->schema_only) {
        replay_up(p, m);
        return;
    }
    /* --staged, --changed-only: the others are replayed, not reported. */
    bool quiet = p->ws && !workspace_reports(p->ws, m, h);
    if (quiet) {
        replay_quietly(p, set, m, h);
        return;
    }
    lint_migration info = {.fw = set->fw,
                           .m = m,
                           .cat = p->cat,
                           .partial = partial,
                           .built = &p->built,
                           .history = h,
                           .new_relations = &p->new_rels,
                           .filename_re = p->filename_re};
    info.set_has_down = set_has_down(p, set);
    info.flyway_undo = set->fw == FW_FLYWAY && info.set_has_down;
    sql_file *up, *down;
    parse_steps(p, m, true, &up, &down);
    for (size_t i = 0; i < m->nnotes && (!which || !strcmp(m->path, which)); i++)
        fprintf(stderr, "migralint: note: %s\n", m->notes[i]); /* code migrations */
    const char **names = NULL;
    size_t nnames = 0;
    catalog_snapshot *before = NULL;
    if (up && down) {
        if (!prefetch_names(p->ahead, up, &names, &nnames)) {
            nnames = catalog_touched_names(up, p->a, &names, 0);
            nnames = catalog_touched_names(down, p->a, &names, nnames);
        }
        before = catalog_snapshot_take(p->cat, names, nnames);
    }
    const char **fresh = NULL;
    size_t nfresh = h && h->state == MIG_NEW && up ? absent_names(p, up, &fresh) : 0;
    size_t first = p->diags->count;
    linter_begin_migration(p->l, &info);
    bool report_up = !which || (up && !strcmp(up->src->path, which));
    size_t partial_do = catalog_partial_do_blocks(p->cat);
    if (up && !report_up && before)
        catalog_apply_file(p->cat, up, note_up_conflict, &info);
    else
        lint_step(p, up, false, report_up);
    info.up_do_block = catalog_partial_do_blocks(p->cat) > partial_do;
    bool report_down = !which || (down && !strcmp(down->src->path, which));
    /* What the up step built is known to the down step: "index x does not
     * exist" there is a rollback PostgreSQL refuses, not the open world. */
    if (before && up)
        note_built(p, up, names, nnames);
    if (before)
        lint_down(p, &info, up, down, before, names, nnames, report_down);
    else
        lint_step(p, down, true, report_down);
    linter_end_migration(p->l);
    note_risk(p, set, m, first);
    p->rows[p->nrows - 1].state = workspace_state_name(h);
    note_new_rels(p, fresh, nfresh);
    if (up)
        note_built(p, up, names, nnames);
    catalog_end_session(p->cat);
    catalog_snapshot_free(before);
    prefetch_release(p->ahead, up);
    prefetch_release(p->ahead, down);
}

/* The folder's SQL dialect: the configuration's ("dialect" of its
 * "migrations" entry, else the top-level one), else what its files say
 * (src/mysql/dialect.c), else PostgreSQL. The linter and the parser of
 * every step follow it. */
static void choose_dialect(pipeline *p, const file_set *fs, const char *rel_dir)
{
    sql_dialect d = SQL_DIALECT_POSTGRESQL;
    const char *conf = p->cfg->dialect, *why = NULL;
    for (size_t i = 0; i < p->cfg->nmigrations; i++)
        if (p->cfg->migrations[i].dialect && !strcmp(p->cfg->migrations[i].path, rel_dir))
            conf = p->cfg->migrations[i].dialect;
    if (conf && sql_dialect_parse(conf, &d)) {
        const char *file = p->cfg->file ? p->cfg->file : "configuration";
        size_t n = strlen(p->root);
        if (!strncmp(file, p->root, n) && file[n] == '/')
            file += n + 1;
        why = arena_printf(p->a, "%s: dialect %s", file, conf);
    } else {
        mysql_file_ref *refs = arena_alloc(p->a, (fs->count + 1) * sizeof *refs);
        size_t n = 0;
        for (size_t i = 0; i < fs->count; i++)
            if (fs->items[i].src)
                refs[n++] = (mysql_file_ref){fs->items[i].path, fs->items[i].src->text,
                                             fs->items[i].src->len};
        if (!mysql_dialect_detect(p->a, p->root, rel_dir, refs, n, &d, &why)) {
            d = SQL_DIALECT_POSTGRESQL;
            why = "default";
        }
    }
    p->dialect = d;
    p->dialect_why = why;
    linter_set_dialect(p->l, d);
}

static bool layout_with_dialect(pipeline *p, const file_set *fs, const char *rel_dir,
                                migration_set *set, layout_error *err)
{
    choose_dialect(p, fs, rel_dir);
    if (!layout_build(p->a, rel_dir, fs->items, fs->count, configured_framework(p, rel_dir), set,
                      err))
        return false;
    set->dialect = p->dialect;
    return true;
}

static bool build_set(pipeline *p, file_set *fs, const char *rel_dir, migration_set *set)
{
    layout_error err = {0};
    if (layout_with_dialect(p, fs, rel_dir, set, &err))
        return true;
    if (err.line > 0)
        fprintf(stderr, "migralint: %s:%d: %s\n", err.path ? err.path : rel_dir, err.line,
                err.message);
    else
        fprintf(stderr, "migralint: %s: %s\n", err.path ? err.path : rel_dir, err.message);
    p->input_error = true;
    return false;
}

static bool has_file(const char *dir, const char *name)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A sqitch project's deploy/, revert/ or verify/ folder stands for the
 * project: its sqitch.plan sits one level up. */
static const char *sqitch_project(pipeline *p, const char *dir)
{
    const char *up = arena_printf(p->a, "%s/..", dir);
    return has_file(up, "sqitch.plan") ? up : dir;
}

/* --staged: the folder's files as the index holds them. */
static void gather_index(pipeline *p, file_set *fs, const char *rel)
{
    layout_file *items;
    size_t n;
    if (!workspace_index_files(p->ws, rel, &items, &n))
        p->input_error = true;
    for (size_t i = 0; i < n; i++) {
        set_add(p, fs, items[i].path, items[i].path);
        fs->items[fs->count - 1].src = items[i].src;
        if (!items[i].src && layout_needs_text(items[i].path))
            p->input_error = true; /* binary or invalid UTF-8, said on stderr */
    }
}

/* --staged: the folder's layout kept under its index listing (see
 * layout_cache.h), and whether this run found it. */
typedef struct staged_layout {
    bool keyed, hit;
    char key[33], name[40];
    layout_stubs stubs;
} staged_layout;

/* What choose_dialect reads of the folder (src/mysql/dialect.c): a
 * migration_lock.toml and the first three SQL files. */
static void read_dialect_files(layout_stubs *st)
{
    size_t seen = 0;
    for (size_t i = 0; i < st->list.count; i++) {
        const char *path = st->list.items[i].path;
        size_t n = strlen(path);
        bool sql = n > 4 && !strcmp(path + n - 4, ".sql") && st->files[i].src && seen++ < 3;
        bool lock = n >= 19 && !strcmp(path + n - 19, "migration_lock.toml");
        if (sql || lock)
            layout_stubs_read(st, i);
    }
}

/* Reads the stray files a staged run reports (lint_stray). */
static void read_reported_strays(pipeline *p, migration_set *set, layout_stubs *st)
{
    for (size_t k = 0; k < set->nstray; k++) {
        const layout_file *f = set->stray[k];
        migration m = {.version = "", .name = f->path, .path = f->path, .nup = 1};
        m.up[0] = (mig_part){f->src, 0, 0};
        if (f->src && workspace_reports(p->ws, &m, NULL))
            layout_stubs_read(st, (size_t)(f - st->files));
    }
}

/* The set of rel from the layout kept under its index listing: its
 * stand-in sources replaced, before the lint, by the texts the dialect
 * and the reported files need. Without a base (the history compares
 * texts), without --no-cache, and not for `migralint schema` (p->cat: it
 * replays every migration into one catalog, so it reads every text anyway
 * and lint_set, which swaps the texts in, never runs). False (sl->keyed
 * when the key could be made, for the caller to keep what it builds)
 * otherwise. */
static bool kept_layout(pipeline *p, const char *rel, staged_layout *sl, migration_set *set)
{
    if (p->o->no_cache || p->ws->base_oid[0] || p->cat)
        return false;
    sl->stubs.ws = p->ws;
    if (!workspace_index_list(p->ws, rel, &sl->stubs.list))
        return false;
    layout_cache_key(p->root, rel, &sl->stubs.list, p->cfg->file, sl->key, sl->name);
    sl->keyed = true;
    if (!layout_cache_get(sl->key, sl->name, p->a, &sl->stubs, set))
        return false;
    read_dialect_files(&sl->stubs);
    read_reported_strays(p, set, &sl->stubs);
    if (sl->stubs.failed)
        return false;
    /* the files as they are, not copied into fs: the dialect only reads them */
    file_set view = {.items = sl->stubs.files, .count = sl->stubs.list.count};
    choose_dialect(p, &view, rel);
    set->dialect = p->dialect;
    if (p->o->verbose)
        fprintf(stderr, "migralint: %s: layout from the cache\n", *rel ? rel : ".");
    return sl->hit = true;
}

/* Runs the migration-level rules on a migration that is not replayed: one
 * the base has and the branch deleted (m is the base's), or a stray file
 * (m stands for it). */
static void lint_unreplayed(pipeline *p, const migration_set *set, lint_migration *info)
{
    const source *src = info->m->nup ? info->m->up[0].src : NULL;
    if (!src)
        return;
    note_linted(p, src);
    apply_levels(p, src->path);
    size_t first = p->diags->count;
    linter_begin_migration(p->l, info);
    linter_end_migration(p->l);
    note_risk(p, set, info->m, first);
    p->rows[p->nrows - 1].state = info->history ? workspace_state_name(info->history) : "stray";
}

static void lint_gone(pipeline *p, const migration_set *set, const lint_history *h)
{
    if (p->ws && !workspace_reports(p->ws, h->base, h))
        return;
    lint_migration info = {.fw = set->fw,
                           .m = h->base,
                           .cat = p->cat,
                           .partial = true,
                           .built = &p->built,
                           .history = h};
    lint_unreplayed(p, set, &info);
}

static void lint_stray(pipeline *p, const migration_set *set, size_t k)
{
    const layout_file *f = set->stray[k];
    migration *m = arena_calloc(p->a, 1, sizeof *m);
    *m = (migration){.version = "", .name = f->path, .path = f->path, .nup = 1};
    m->up[0] = (mig_part){f->src, 0, 0};
    if (!f->src || (p->ws && !workspace_reports(p->ws, m, NULL)))
        return;
    lint_migration info = {.fw = set->fw,
                           .m = m,
                           .cat = p->cat,
                           .partial = true,
                           .built = &p->built,
                           .stray_why = set->stray_why[k]};
    lint_unreplayed(p, set, &info);
}

/* Starts parsing the set ahead from items[from]; only the steps lint_one
 * will parse (the down step of a migration that is only replayed is never
 * parsed). */
static prefetch *start_prefetch(pipeline *p, const migration_set *set, const set_history *hist,
                                size_t from)
{
    if (set->count <= from)
        return NULL;
    migration_set tail = *set;
    tail.items += from;
    tail.count -= from;
    bool *need_down = malloc(tail.count * sizeof *need_down);
    if (!need_down)
        abort();
    for (size_t i = 0; i < tail.count; i++) {
        const lint_history *h = hist->items ? &hist->items[from + i] : NULL;
        need_down[i] = !p->schema_only && !(p->ws && !workspace_reports(p->ws, &tail.items[i], h));
    }
    prefetch *pf = prefetch_start(&tail, need_down);
    free(need_down);
    return pf;
}

/* How many migrations at the head of the set are only replayed (--staged,
 * --changed-only): what the replay cache can stand for. */
static size_t quiet_prefix(const pipeline *p, const migration_set *set, const set_history *hist)
{
    size_t n = 0;
    if (!p->ws || p->schema_only || p->o->no_cache)
        return 0;
    while (n < set->count &&
           !workspace_reports(p->ws, &set->items[n], hist->items ? &hist->items[n] : NULL))
        n++;
    return n;
}

/* The rows replay_quietly would have added for items[0..n). */
static void note_cached_rows(pipeline *p, const migration_set *set, const set_history *hist,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        note_risk(p, set, &set->items[i], p->diags->count);
        p->rows[p->nrows - 1].state = workspace_state_name(hist->items ? &hist->items[i] : NULL);
    }
}

/* The deployment's search_path from the config, on every new catalog. */
static catalog *with_search_path(pipeline *p, catalog *c)
{
    if (c && p->cfg->nsearch_path)
        catalog_set_search_path(c, p->cfg->search_path, p->cfg->nsearch_path);
    return c;
}

/* Gives p->cat the schema of the set's quiet prefix from the cache, and
 * returns where linting starts; 0 (with a fresh catalog) on a miss. */
static size_t cached_prefix(pipeline *p, const migration_set *set, const set_history *hist,
                            size_t quiet, char key[41])
{
    cache_state st = {NULL, &p->built, &p->new_rels, false};
    if (quiet > 0) {
        cache_key(set, hist, quiet, p->cfg->file, key);
        if (cache_load(key, p->a, &st)) {
            if (p->o->verbose)
                fprintf(
                    stderr, "migralint: %s: the first %zu migrations replayed from the cache%s\n",
                    set->dir && *set->dir ? set->dir : ".", quiet, st.ahead ? " (read ahead)" : "");
            p->cat = with_search_path(p, st.cat);
            note_cached_rows(p, set, hist, quiet);
            return quiet;
        }
    }
    p->cat = with_search_path(p, catalog_new());
    /* The schemas and tables the platform creates before any migration. */
    if (set->fw == FW_SUPABASE)
        catalog_add_platform(p->cat, "supabase");
    return 0;
}

static void lint_set(pipeline *p, migration_set *set, const set_history *hist, layout_stubs *stubs)
{
    char key[41];
    size_t quiet = quiet_prefix(p, set, hist);
    size_t from = cached_prefix(p, set, hist, quiet, key);
    /* A kept layout: the texts of what is linted or replayed from here. */
    if (stubs && !layout_stubs_fill(stubs, set, from))
        p->input_error = true;
    p->ahead = start_prefetch(p, set, hist, from);
    hold_set(p, set);
    for (size_t i = from; i < set->count; i++) {
        lint_one(p, set, &set->items[i], NULL, false, hist->items ? &hist->items[i] : NULL);
        if (i + 1 == quiet && from == 0)
            cache_store(key, &(cache_state){p->cat, &p->built, &p->new_rels, false});
    }
    p->held = NULL; /* the set may go, and another be made at its address */
    prefetch_stop(p->ahead);
    p->ahead = NULL;
}

/* A migration set is done: what its replay built is dropped, with the
 * catalog when the set had its own. */
static void end_set(pipeline *p, bool own)
{
    if (own) {
        catalog_free(p->cat);
        p->cat = NULL;
    }
    strset_free(&p->built);
    strset_free(&p->new_rels);
}

void pipeline_lint_dir(pipeline *p, const char *fs_dir)
{
    fs_dir = sqitch_project(p, fs_dir);
    const char *rel = relative_path(p, fs_dir);
    file_set fs = {0};
    staged_layout sl = {0};
    migration_set set;
    bool built;
    if (p->ws && p->ws->staged && kept_layout(p, rel, &sl, &set)) {
        built = true;
    } else if (p->ws && p->ws->staged) {
        gather_index(p, &fs, rel);
        built = build_set(p, &fs, rel, &set);
        if (built && sl.keyed)
            layout_cache_put(sl.key, sl.name, &set, fs.items, fs.count);
    } else {
        gather(p, &fs, fs_dir, rel, true);
        load_texts(p, &fs, NULL);
        built = build_set(p, &fs, rel, &set);
    }
    if (built) {
        bool own = !p->cat;
        set_history hist = {0};
        if (p->ws)
            workspace_history(p->ws, &set, &hist);
        if (own) {
            lint_set(p, &set, &hist, sl.hit ? &sl.stubs : NULL);
        } else { /* `migralint schema`: one catalog for every path */
            if (set.fw == FW_SUPABASE && !catalog_is_platform_schema(p->cat, "auth"))
                catalog_add_platform(p->cat, "supabase");
            p->ahead = start_prefetch(p, &set, &hist, 0);
            for (size_t i = 0; i < set.count; i++)
                lint_one(p, &set, &set.items[i], NULL, false, hist.items ? &hist.items[i] : NULL);
            prefetch_stop(p->ahead);
            p->ahead = NULL;
        }
        for (size_t k = 0; k < hist.ndeleted; k++)
            lint_gone(p, &set, &hist.deleted[k]);
        for (size_t k = 0; k < set.nstray; k++)
            lint_stray(p, &set, k);
        if (p->set_done)
            p->set_done(p, fs_dir);
        end_set(p, own);
    }
    layout_stubs_free(&sl.stubs);
    set_free(&fs);
}

static const char *parent_dir(pipeline *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    if (slash == path)
        return "/";
    return arena_strndup(p->a, path, (size_t)(slash - path));
}

/* A file on its own still belongs to a framework (goose sections, a
 * golang-migrate .down.sql), so its folder's layout is built and the
 * migration holding the file is linted; a folder the layout cannot read
 * falls back to linting the file as plain SQL. */
static const source *find_source(const file_set *fs, const char *rel)
{
    for (size_t i = 0; i < fs->count; i++)
        if (!strcmp(fs->items[i].path, rel))
            return fs->items[i].src;
    return NULL;
}

/* Lints the migrations of set that have a step in the file rel. */
static bool lint_file_migrations(pipeline *p, const migration_set *set, const char *rel)
{
    bool found = false;
    for (size_t i = 0; i < set->count; i++) {
        const migration *m = &set->items[i];
        bool mine = (m->nup && m->up[0].src && !strcmp(m->up[0].src->path, rel)) ||
                    (m->has_down && m->down.src && !strcmp(m->down.src->path, rel));
        if (mine) {
            lint_one(p, set, m, rel, true, NULL);
            found = true;
        }
    }
    return found;
}

/* The folder whose layout a single file belongs to: its own folder, or one
 * level up for the frameworks that give each migration a folder (diesel,
 * Prisma: up.sql, down.sql, migration.sql) or keep scripts in deploy/ and
 * revert/ (sqitch). *deep says whether to read that folder recursively. */
static const char *layout_dir_of(pipeline *p, const char *fs_path, bool *deep)
{
    const char *dir = parent_dir(p, fs_path), *base = strrchr(fs_path, '/');
    base = base ? base + 1 : fs_path;
    *deep = true;
    if (!strcmp(base, "up.sql") || !strcmp(base, "down.sql") || !strcmp(base, "migration.sql"))
        return parent_dir(p, dir);
    const char *sqitch = sqitch_project(p, dir);
    if (sqitch != dir)
        return sqitch;
    *deep = false;
    return dir;
}

/* Lints src on its own as one plain SQL migration. */
static void lint_as_plain(pipeline *p, const source *src, const char *rel)
{
    migration m = {.version = "", .name = rel, .path = rel, .nup = 1};
    m.up[0] = (mig_part){src, 0, src->len};
    migration_set one = {.fw = FW_PLAIN, .items = &m, .count = 1, .dialect = p->dialect};
    lint_one(p, &one, &m, NULL, true, NULL);
}

void pipeline_lint_file(pipeline *p, const char *fs_path)
{
    bool deep;
    const char *dir = layout_dir_of(p, fs_path, &deep);
    /* --staged with file arguments (pre-commit passes the staged files):
     * the file's folder is read from the index, once, and its staged
     * migrations reported. */
    if (p->ws && p->ws->staged) {
        if (strset_add(&p->ws->staged_dirs, relative_path(p, dir)))
            pipeline_lint_dir(p, dir);
        return;
    }
    const char *rel_dir = relative_path(p, dir), *rel = relative_path(p, fs_path);
    file_set fs = {0};
    gather(p, &fs, dir, rel_dir, deep);
    bool listed = false;
    for (size_t i = 0; i < fs.count; i++)
        listed = listed || !strcmp(fs.items[i].path, rel);
    if (!listed) /* a hidden file, named on purpose */
        set_add(p, &fs, fs_path, rel);
    load_texts(p, &fs, rel);
    const source *src = find_source(&fs, rel);
    if (!src && !layout_needs_text(rel)) {
        /* A file the layout does not read (say, a .txt named on purpose):
         * read it as SQL all the same. A failed read was reported above. */
        source *own = files_load(fs_path, rel, p->o->max_file_size, false);
        if (own)
            keep_source(p, own);
        else
            p->input_error = true;
        src = own;
    }
    migration_set set;
    layout_error err;
    bool own = !p->cat;
    if (own)
        p->cat = with_search_path(p, catalog_new());
    if (src &&
        !(layout_with_dialect(p, &fs, rel_dir, &set, &err) && lint_file_migrations(p, &set, rel))) {
        lint_as_plain(p, src, rel); /* not a migration of its folder's layout */
    }
    end_set(p, own);
    if (src && src->len == 0)
        fprintf(stderr, "migralint: %s: empty file, nothing to lint\n", src->path);
    set_free(&fs);
}

/* What a kept schema depends on besides the files of its set: the work
 * tree, and the configuration file by identity (a setting that changes the
 * replay, such as a search path, then starts from nothing again). */
static const char *keep_context(pipeline *p)
{
    struct stat st;
    if (!p->cfg->file || stat(p->cfg->file, &st) != 0)
        return p->root;
    return arena_printf(p->a, "%s\n%s\n%lld.%09ld\n%lld\n%llu", p->root, p->cfg->file,
                        (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_size,
                        (unsigned long long)st.st_ino);
}

/* Like pipeline_lint_dir on the file's folder, with the file's text taken
 * from data instead of the disk (an editor's unsaved buffer): the
 * migrations before it are replayed for the catalog, only its own steps are
 * linted, and the ones after it are not read at all. */
const char *pipeline_lint_buffer(pipeline *p, const char *fs_path, const char *data, size_t len)
{
    bool deep;
    const char *dir = layout_dir_of(p, fs_path, &deep), *base = strrchr(fs_path, '/');
    const char *rel_dir = relative_path(p, dir);
    /* From the file's own folder, which exists when the file does not yet:
     * the layout's folder is one or two levels up for diesel, Prisma and
     * sqitch (migrations/2024-01-01-000000_x/up.sql). */
    const char *own_dir = relative_path(p, parent_dir(p, fs_path));
    const char *rel =
        arena_printf(p->a, "%s%s%s", own_dir, *own_dir ? "/" : "", base ? base + 1 : fs_path);
    source *src = source_new(rel, data, len);
    keep_source(p, src);
    if (p->keep)
        session_sync(p->keep); /* what changed on disk since the last run */
    file_set fs = {0};
    gather_kept(p, &fs, dir, rel_dir, deep);
    bool listed = false;
    for (size_t i = 0; i < fs.count; i++)
        if (!strcmp(fs.items[i].path, rel))
            fs.items[i].src = src, listed = true;
    if (!listed) { /* a new file, not saved yet */
        set_add(p, &fs, fs_path, rel);
        fs.items[fs.count - 1].src = src;
    }
    load_texts(p, &fs, rel);
    migration_set set;
    layout_error err;
    bool own = !p->cat, found = false;
    if (own)
        p->cat = with_search_path(p, catalog_new());
    bool built;
    if (p->keep && !p->ws) {
        choose_dialect(p, &fs, rel_dir);
        built = session_layout(p->keep, p->a, rel_dir, fs.items, fs.count,
                               configured_framework(p, rel_dir), src, &set, &err);
        if (built)
            set.dialect = p->dialect;
    } else {
        built = layout_with_dialect(p, &fs, rel_dir, &set, &err);
    }
    if (built) {
        if (own && set.fw == FW_SUPABASE)
            catalog_add_platform(p->cat, "supabase");
        size_t last = set.count;
        for (size_t i = 0; i < set.count; i++) {
            const migration *m = &set.items[i];
            if ((m->nup && m->up[0].src == src) || (m->has_down && m->down.src == src))
                last = i;
        }
        /* A long-lived process resumes from the schema it kept before this
         * migration (or an earlier one), and keeps it for the next edit. */
        bool resume = own && p->keep && !p->ws && last < set.count;
        const char *ctx = resume ? keep_context(p) : NULL;
        size_t from =
            resume ? session_resume(p->keep, ctx, &set, last, &p->cat, &p->built, p->a) : 0;
        hold_set(p, &set);
        for (size_t i = from; last < set.count && i <= last; i++) {
            if (resume && i == last)
                session_keep(p->keep, ctx, &set, last, p->cat, &p->built);
            lint_one(p, &set, &set.items[i], rel, false, NULL);
        }
        p->held = NULL;
        found = last < set.count;
    }
    if (!found) /* not a migration of its folder's layout */
        lint_as_plain(p, src, rel);
    end_set(p, own);
    set_free(&fs);
    return rel;
}

void pipeline_free(pipeline *p)
{
    for (size_t i = 0; i < p->nsources; i++)
        source_free(p->sources[i]);
    free(p->sources);
    free(p->linted);
    ptrmap_free(&p->linted_set);
    free(p->rows);
    strset_free(&p->built);
}
