/* fw_dbmate.c - dbmate: YYYYMMDDhhmmss_name.sql files with a "-- migrate:up"
 * block and a "-- migrate:down" block, options on the marker line
 * ("-- migrate:up transaction:false"). dbmate refuses a file without either
 * marker, with down before up, or with statements before up, and so does
 * this reader, naming the line (messages follow pkg/dbmate/migration.go). */
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

static bool dbmate_check(lctx *c, const source *src, int up, int down)
{
    if (!up)
        return lctx_fail(c, src->path, 1,
                         "no '-- migrate:up' line: dbmate requires each migration to define an "
                         "up block with '-- migrate:up' and refuses this file");
    if (down && down < up)
        return lctx_fail(c, src->path, down,
                         "'-- migrate:down' comes before '-- migrate:up' (line %d): dbmate "
                         "requires '-- migrate:up' to appear before '-- migrate:down'",
                         up);
    if (!down)
        return lctx_fail(c, src->path, up,
                         "no '-- migrate:down' line after the up block: dbmate requires each "
                         "migration to define a down block with '-- migrate:down' (it may be "
                         "empty) and refuses this file");
    int stmt = first_statement_line(src, up);
    if (stmt)
        return lctx_fail(c, src->path, stmt,
                         "a statement before '-- migrate:up' (line %d): dbmate does not support "
                         "statements outside the up and down blocks",
                         up);
    return true;
}

static bool dbmate_add(lctx *c, size_t i, const char *rel, const lre_match *m)
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
        return true;
    int up = lre_find_line(c, DBMATE_UP, src, 1, NULL);
    int down = lre_find_line(c, DBMATE_DOWN, src, 1, NULL);
    if (!dbmate_check(c, src, up, down))
        return false;
    mig->up[0] = (mig_part){src, lay_line_next(src, up), lay_line_start(src, down)};
    mig->down = (mig_part){src, lay_line_next(src, down), src->len};
    mig->transactional = !marker_no_tx(c, src, up);
    mig->down_transactional = !marker_no_tx(c, src, down);
    return true;
}

bool layout_read_dbmate(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        lre_match m;
        if (!rel || strchr(rel, '/') || !lre_find(c, DBMATE_FILE, rel, strlen(rel), &m))
            continue;
        if (!dbmate_add(c, i, rel, &m))
            return false;
    }
    lctx_sort(c, dbmate_cmp);
    return true;
}
