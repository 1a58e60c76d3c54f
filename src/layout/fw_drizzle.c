/* fw_drizzle.c - Drizzle Kit: NNNN_name.sql files applied in the order of
 * meta/_journal.json (entries[].idx, file = entries[].tag + ".sql"). The
 * migrator reads the journal, not the folder: a journal entry without its
 * file stops it ("No file ... found"), and a .sql file not in the journal
 * is never applied (stray). No down steps by design. The migrator runs all
 * pending migrations inside one transaction, so each is transactional;
 * "--> statement-breakpoint" lines are SQL comments left to the front end. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DRIZZLE_JOURNAL "meta/_journal.json"
#define DRIZZLE_TAG     "^([0-9]+)_(.*)$"

typedef struct dz_entry {
    double idx;
    const char *tag;
} dz_entry;

static int dz_entry_cmp(const void *x, const void *y)
{
    const dz_entry *a = x, *b = y;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The line of the journal that names tag, for the error message. */
static int dz_tag_line(lctx *c, const source *journal, const char *tag)
{
    const char *at = strstr(journal->text, arena_printf(c->a, "\"%s\"", tag));
    return at ? source_position(journal, (size_t)(at - journal->text)).line : 0;
}

static bool dz_parse(lctx *c, const source *journal, dz_entry **out, size_t *n)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(journal->text, journal->len, &end, false);
    if (!root) {
        size_t off = end ? (size_t)(end - journal->text) : 0;
        return lctx_fail(c, journal->path, source_position(journal, off).line,
                         "not valid JSON: drizzle-kit cannot read this journal");
    }
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(root, "entries");
    if (!cJSON_IsArray(entries)) {
        cJSON_Delete(root);
        return lctx_fail(c, journal->path, 1, "no \"entries\" array: not a Drizzle journal");
    }
    int count = cJSON_GetArraySize(entries);
    *out = arena_calloc(c->a, count > 0 ? (size_t)count : 1, sizeof **out);
    *n = 0;
    bool ok = true;
    const cJSON *e;
    cJSON_ArrayForEach(e, entries)
    {
        const cJSON *tag = cJSON_GetObjectItemCaseSensitive(e, "tag");
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(e, "idx");
        if (!cJSON_IsString(tag) || !cJSON_IsNumber(idx)) {
            ok = lctx_fail(c, journal->path, 0,
                           "entry %zu has no \"tag\" string or no \"idx\" number", *n);
            break;
        }
        (*out)[(*n)++] = (dz_entry){idx->valuedouble, arena_strdup(c->a, tag->valuestring)};
    }
    cJSON_Delete(root);
    if (ok)
        qsort(*out, *n, sizeof **out, dz_entry_cmp);
    return ok;
}

static bool dz_add(lctx *c, const source *journal, const dz_entry *e)
{
    long i = lctx_find(c, arena_printf(c->a, "%s.sql", e->tag));
    if (i < 0)
        return lctx_fail(c, journal->path, dz_tag_line(c, journal, e->tag),
                         "the journal names migration \"%s\" but %s.sql does not exist: the "
                         "Drizzle migrator stops with \"No file ... found\"",
                         e->tag, e->tag);
    migration *mig = lctx_push(c);
    lre_match m;
    if (lre_find(c, DRIZZLE_TAG, e->tag, strlen(e->tag), &m)) {
        mig->version = lre_group(c, &m, e->tag, 1);
        mig->name = lre_group(c, &m, e->tag, 2);
    } else {
        mig->name = e->tag;
    }
    mig->path = c->files[i].path;
    mig->up[0] = lay_part_whole(c->files[i].src);
    mig->transactional = true;
    c->claimed[i] = true;
    return true;
}

/* Snapshots and the journal belong to drizzle-kit, not to the stray list. */
static void dz_claim_meta(lctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const char *rel = lctx_rel(c, i);
        if (rel && strncmp(rel, "meta/", 5) == 0)
            c->claimed[i] = true;
    }
}

bool layout_read_drizzle(lctx *c)
{
    long j = lctx_find(c, DRIZZLE_JOURNAL);
    const char *where = c->dir[0] ? c->dir : ".";
    if (j < 0)
        return lctx_fail(c, where, 0,
                         "no " DRIZZLE_JOURNAL ": drizzle-kit needs the journal to order "
                         "migrations");
    const source *journal = c->files[j].src;
    if (!journal)
        return lctx_fail(c, c->files[j].path, 0, "the Drizzle journal could not be read");
    dz_claim_meta(c);
    dz_entry *entries = NULL;
    size_t n = 0;
    if (!dz_parse(c, journal, &entries, &n))
        return false;
    for (size_t k = 0; k < n; k++)
        if (!dz_add(c, journal, &entries[k]))
            return false;
    for (size_t i = 0; i < c->nfiles; i++)
        if (!c->claimed[i])
            c->why[i] = "not listed in " DRIZZLE_JOURNAL ": drizzle-kit never applies it";
    return true;
}
