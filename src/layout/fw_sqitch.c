/* fw_sqitch.c - sqitch: sqitch.plan lists the changes in deploy order, each
 * with deploy/<change>.sql (up), revert/<change>.sql (down) and
 * verify/<change>.sql (neither). A change reworked after a tag appears twice
 * in the plan; the earlier instance's scripts were copied to
 * <change>@<tag>.sql, where <tag> is the first tag after that instance.
 *
 * sqitch hands each script to psql without wrapping it; the generated
 * templates carry their own BEGIN/COMMIT, so transactional is false. The
 * version is the change's planned timestamp. Only the default layout
 * (top_dir = the plan's folder) is read. */
#include <string.h>

#include "internal.h"

#define SQ_CHANGE                                                                                  \
    "^\\s*[+-]?([^\\s\\[@#%:+-][^\\s\\[]*)\\s*(?:\\[[^\\]]*\\]\\s*)?"                              \
    "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?"
#define SQ_TAG  "^\\s*@([^\\s]+)"
#define SQ_SKIP "^\\s*(%.*|#.*)?$"

typedef struct sq_change {
    const char *name, *version, *tag_after;
    int line;
} sq_change;

typedef struct sq_plan {
    sq_change *changes;
    size_t n;
} sq_plan;

static void sq_parse(lctx *c, const source *plan, sq_plan *p)
{
    p->changes = arena_calloc(c->a, plan->nlines, sizeof *p->changes);
    p->n = 0;
    size_t untagged = 0; /* first change no tag follows yet */
    for (int line = 1; (size_t)line <= plan->nlines; line++) {
        size_t len;
        const char *text = source_line(plan, line, &len);
        lre_match m;
        if (lre_find(c, SQ_SKIP, text, len, NULL))
            continue;
        if (lre_find(c, SQ_TAG, text, len, &m)) {
            const char *tag = lre_group(c, &m, text, 1);
            for (; untagged < p->n; untagged++)
                p->changes[untagged].tag_after = tag;
        } else if (lre_find(c, SQ_CHANGE, text, len, &m)) {
            sq_change *ch = &p->changes[p->n++];
            ch->name = lre_group(c, &m, text, 1);
            ch->version = lre_group(c, &m, text, 2);
            ch->line = line;
        }
    }
}

/* The file stem of change k: reworked instances live in name@tag.sql. */
static const char *sq_script(lctx *c, const sq_plan *p, size_t k)
{
    const sq_change *ch = &p->changes[k];
    for (size_t j = k + 1; j < p->n; j++)
        if (strcmp(p->changes[j].name, ch->name) == 0 && ch->tag_after)
            return arena_printf(c->a, "%s@%s", ch->name, ch->tag_after);
    return ch->name;
}

static long sq_claim(lctx *c, const char *folder, const char *script)
{
    long i = lctx_find(c, arena_printf(c->a, "%s/%s.sql", folder, script));
    if (i >= 0)
        c->claimed[i] = true;
    return i;
}

static bool sq_add(lctx *c, const sq_plan *p, size_t k, const source *plan)
{
    const sq_change *ch = &p->changes[k];
    const char *script = sq_script(c, p, k);
    long up = sq_claim(c, "deploy", script);
    long down = sq_claim(c, "revert", script);
    sq_claim(c, "verify", script);
    migration *mig = lctx_push(c);
    mig->version = ch->version;
    mig->name = ch->name;
    if (up < 0) { /* sqitch stops there; the rest of the plan is still linted */
        mig->path = arena_printf(c->a, "%s%sdeploy/%s.sql", c->dir, c->dirlen ? "/" : "", script);
        mig->up[0] = lay_part_whole(NULL);
        lctx_refuse(c, mig, plan, ch->line, 1,
                    "add the deploy script, or remove the change from sqitch.plan",
                    "change \"%s\" has no deploy/%s.sql: sqitch deploy cannot find its deploy "
                    "script and stops there",
                    ch->name, script);
    } else {
        mig->path = c->files[up].path;
        mig->up[0] = lay_part_whole(c->files[up].src);
    }
    mig->has_down = down >= 0;
    if (down >= 0)
        mig->down = lay_part_whole(c->files[down].src);
    return true;
}

bool layout_read_sqitch(lctx *c)
{
    long i = lctx_find(c, "sqitch.plan");
    if (i < 0)
        return lctx_fail(c, c->dir[0] ? c->dir : ".", 0,
                         "no sqitch.plan in this folder: sqitch needs it to know the changes");
    const source *plan = c->files[i].src;
    if (!plan)
        return lctx_fail(c, c->files[i].path, 0, "sqitch.plan could not be read");
    c->claimed[i] = true;
    sq_plan p;
    sq_parse(c, plan, &p);
    for (size_t k = 0; k < p.n; k++)
        if (!sq_add(c, &p, k, plan))
            return false;
    /* sqitch reads only deploy/, revert/ and verify/: pgTAP tests, saved
     * queries or benchmarks beside them are the project's, not stray. */
    for (size_t j = 0; j < c->nfiles; j++) {
        const char *rel = lctx_rel(c, j);
        if (rel && strncmp(rel, "deploy/", 7) && strncmp(rel, "revert/", 7) &&
            strncmp(rel, "verify/", 7))
            c->claimed[j] = true;
    }
    return true;
}
