/* fw_goose.c - goose: N_name.sql files, up and down in one file between
 * "-- +goose Up" and "-- +goose Down" annotation lines. StatementBegin/End
 * blocks stay inside the parts as comments; the SQL front end splits the
 * statements. "-- +goose NO TRANSACTION" turns off the transaction goose
 * otherwise opens for each part. N_name.go files are Go migrations, which
 * migralint cannot lint: they are neither migrations nor stray. */
#include <ctype.h>
#include <string.h>

#include "internal.h"

#define GOOSE_FILE       "^([0-9]+)_(.*)\\.(sql|go)$"
#define GOOSE_ANNOTATION "(?i)^--\\s*\\+goose\\s+(.*?)\\s*$"

typedef struct goose_marks {
    int up, down;
    bool no_tx;
} goose_marks;

static int goose_cmp(const migration *x, const migration *y)
{
    return lay_version_cmp_numeric(x->version, y->version);
}

/* "NO  TRANSACTION" and "no transaction" are the same annotation. */
static bool annotation_is(const char *s, size_t n, const char *want)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i]) && i > 0 && isspace((unsigned char)s[i - 1]))
            continue;
        char ch = isspace((unsigned char)s[i]) ? ' ' : s[i];
        if (!want[k] || tolower((unsigned char)ch) != want[k])
            return false;
        k++;
    }
    return want[k] == '\0';
}

#define GOOSE_FIX                                                                                  \
    "one '-- +goose Up' line, then at most one '-- +goose Down' line, each at "                    \
    "the start of its line"

static void goose_mark(lctx *c, migration *mig, const source *src, int line, const char *what,
                       int *slot)
{
    if (*slot)
        lctx_refuse(c, mig, src, line, 1, GOOSE_FIX,
                    "a second '-- +goose %s' annotation (the first is on line %d); goose "
                    "refuses this file",
                    what, *slot);
    else
        *slot = line;
}

/* goose refuses the file (internal/sqlparser): the refusal names the line
 * and g keeps the markers as the author meant them. */
static void goose_scan(lctx *c, migration *mig, const source *src, goose_marks *g)
{
    memset(g, 0, sizeof *g);
    lre_match m;
    for (int line = 1; (line = lre_find_line(c, GOOSE_ANNOTATION, src, line, &m)); line++) {
        size_t len;
        const char *text = source_line(src, line, &len) + m.start[1];
        size_t n = m.end[1] - m.start[1];
        if (annotation_is(text, n, "up"))
            goose_mark(c, mig, src, line, "Up", &g->up);
        if (annotation_is(text, n, "down"))
            goose_mark(c, mig, src, line, "Down", &g->down);
        if (annotation_is(text, n, "no transaction"))
            g->no_tx = true;
    }
    if (!g->up)
        lctx_refuse(c, mig, src, 1, 1, GOOSE_FIX,
                    "no '-- +goose Up' annotation: goose requires one before the up "
                    "statements and refuses this file");
    if (g->up && g->down && g->down < g->up) {
        lctx_refuse(c, mig, src, g->down, 1, GOOSE_FIX,
                    "'-- +goose Down' comes before '-- +goose Up' (line %d); goose "
                    "requires Up first and refuses this file",
                    g->up);
        g->down = 0;
    }
}

static void goose_add(lctx *c, size_t i, const char *rel, const lre_match *m)
{
    const source *src = c->files[i].src;
    migration *mig = lctx_push(c);
    mig->version = lre_group(c, m, rel, 1);
    mig->name = lre_group(c, m, rel, 2);
    mig->path = c->files[i].path;
    c->claimed[i] = true;
    if (!src) { /* unread: keep it listed, with both parts unknown */
        mig->up[0] = lay_part_whole(NULL);
        mig->has_down = true;
        mig->transactional = mig->down_transactional = true;
        return;
    }
    goose_marks g;
    goose_scan(c, mig, src, &g);
    mig->up[0] = (mig_part){src, g.up ? lay_line_next(src, g.up) : source_bom_len(src),
                            g.down ? lay_line_start(src, g.down) : src->len};
    mig->has_down = g.down != 0;
    if (g.down)
        mig->down = (mig_part){src, lay_line_next(src, g.down), src->len};
    mig->transactional = mig->down_transactional = !g.no_tx;
}

bool layout_read_goose(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        lre_match m;
        if (!rel || strchr(rel, '/') || !lre_find(c, GOOSE_FILE, rel, strlen(rel), &m))
            continue;
        if (lay_path_has_suffix(rel, ".go")) {
            c->claimed[i] = true;
            continue;
        }
        goose_add(c, i, rel, &m);
    }
    lctx_sort(c, goose_cmp);
    return true;
}
