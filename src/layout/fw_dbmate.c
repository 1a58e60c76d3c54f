/* fw_dbmate.c - dbmate: YYYYMMDDhhmmss_name.sql files with a "-- migrate:up"
 * block and a "-- migrate:down" block, options on the marker line
 * ("-- migrate:up transaction:false"). dbmate refuses a file without either
 * marker (an indented marker is not one), with down before up, or with
 * statements before up: this reader records a refusal naming the line
 * (messages follow pkg/dbmate/migration.go) and reads the file as the
 * author meant it, so the rest of the folder is still linted. */
#include <string.h>

#include "internal.h"

#define DBMATE_FILE  "^([0-9]+)_?(.*)\\.sql$"
#define DBMATE_UP    "^--\\s*migrate:up(\\s.*)?$"
#define DBMATE_DOWN  "^--\\s*migrate:down(\\s.*)?$"
#define DBMATE_NO_TX "(^|\\s)transaction:false(\\s|$)"

static int dbmate_cmp(const migration *x, const migration *y)
{
    return lay_version_cmp_numeric(x->version, y->version);
}

/* dbmate allows only blank lines and comments above -- migrate:up. */
static int first_statement_line(const source *src, int before)
{
    for (int line = 1; line < before; line++) {
        size_t len, k = 0;
        const char *text = source_line(src, line, &len);
        while (k < len && (text[k] == ' ' || text[k] == '\t'))
            k++;
        if (k < len && !(k + 1 < len && text[k] == '-' && text[k + 1] == '-'))
            return line;
    }
    return 0;
}

static bool marker_no_tx(lctx *c, const source *src, int line)
{
    size_t len;
    const char *text = source_line(src, line, &len);
    return lre_find(c, DBMATE_NO_TX, text, len, NULL);
}

#define DBMATE_FIX_MARK                                                                            \
    "put each marker at the start of its own line: '-- migrate:up', then "                         \
    "'-- migrate:down' (the down block may be empty)"

/* A marker dbmate does not see: indented, or after other text. */
static int loose_marker(lctx *c, const source *src, const char *which, int *col)
{
    lre_match m;
    const char *re =
        which[0] == 'u' ? "^(\\s+)--\\s*migrate:up(\\s.*)?$" : "^(\\s+)--\\s*migrate:down(\\s.*)?$";
    int line = lre_find_line(c, re, src, 1, &m);
    *col = line ? (int)m.end[1] + 1 : 1;
    return line;
}

/* dbmate refuses the file (pkg/dbmate/migration.go): the refusal names the
 * line, and *up / *down become the markers as the author meant them (0
 * when there is none at all), so the parts can still be read. */
static void dbmate_check(lctx *c, migration *mig, const source *src, int *up, int *down)
{
    int col;
    if (!*up) {
        int loose = loose_marker(c, src, "up", &col);
        if (loose)
            lctx_refuse(c, mig, src, loose, col, DBMATE_FIX_MARK,
                        "the '-- migrate:up' marker on line %d is indented: dbmate only sees "
                        "markers at the start of a line, finds no up block and refuses this file",
                        loose);
        else
            lctx_refuse(c, mig, src, 1, 1, DBMATE_FIX_MARK,
                        "no '-- migrate:up' line: dbmate requires each migration to define an "
                        "up block with '-- migrate:up' and refuses this file");
        *up = loose;
    }
    if (!*down) {
        int loose = loose_marker(c, src, "down", &col);
        if (loose)
            lctx_refuse(c, mig, src, loose, col, DBMATE_FIX_MARK,
                        "the '-- migrate:down' marker on line %d is indented: dbmate only sees "
                        "markers at the start of a line, finds no down block and refuses this "
                        "file",
                        loose);
        else if (*up)
            lctx_refuse(c, mig, src, *up, 1, DBMATE_FIX_MARK,
                        "no '-- migrate:down' line after the up block: dbmate requires each "
                        "migration to define a down block with '-- migrate:down' (it may be "
                        "empty) and refuses this file");
        *down = loose;
    }
    if (*up && *down && *down < *up) {
        lctx_refuse(c, mig, src, *down, 1, DBMATE_FIX_MARK,
                    "'-- migrate:down' comes before '-- migrate:up' (line %d): dbmate requires "
                    "'-- migrate:up' to appear before '-- migrate:down' and refuses this file",
                    *up);
        *down = 0;
    }
    int stmt = *up ? first_statement_line(src, *up) : 0;
    if (stmt)
        lctx_refuse(c, mig, src, stmt, 1,
                    "move the statement below '-- migrate:up' (or comment it out)",
                    "a statement before '-- migrate:up' (line %d): dbmate does not support "
                    "statements outside the up and down blocks and refuses this file",
                    *up);
}

static void dbmate_add(lctx *c, size_t i, const char *rel, const lre_match *m)
{
    const source *src = c->files[i].src;
    migration *mig = lctx_push(c);
    mig->version = lre_group(c, m, rel, 1);
    mig->name = lre_group(c, m, rel, 2);
    mig->path = c->files[i].path;
    c->claimed[i] = true;
    mig->has_down = true; /* dbmate has no migration without a down block */
    mig->transactional = mig->down_transactional = true;
    mig->implicit_tx = true; /* each block is one Exec, in a transaction or not */
    if (!src)
        return;
    int up = lre_find_line(c, DBMATE_UP, src, 1, NULL);
    int down = lre_find_line(c, DBMATE_DOWN, src, 1, NULL);
    dbmate_check(c, mig, src, &up, &down);
    size_t up_start = up ? lay_line_next(src, up) : source_bom_len(src);
    size_t up_end = down ? lay_line_start(src, down) : src->len;
    mig->up[0] = (mig_part){src, up_start, up_end};
    /* Without a down marker the down step is unknown: partial, so neither
     * empty-down nor down-does-not-reverse guesses. */
    mig->down = down ? (mig_part){src, lay_line_next(src, down), src->len}
                     : (mig_part){src, src->len, src->len};
    mig->down_partial = !down;
    mig->transactional = !(up && marker_no_tx(c, src, up));
    mig->down_transactional = !(down && marker_no_tx(c, src, down));
}

bool layout_read_dbmate(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        lre_match m;
        if (!rel || strchr(rel, '/') || !lre_find(c, DBMATE_FILE, rel, strlen(rel), &m))
            continue;
        dbmate_add(c, i, rel, &m);
    }
    lctx_sort(c, dbmate_cmp);
    return true;
}
