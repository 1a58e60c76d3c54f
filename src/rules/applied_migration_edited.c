/* applied-migration-edited: a migration the --base commit already has was
 * changed on this branch. Environments that ran it keep the old version
 * (or the framework refuses to start on a checksum mismatch), so the
 * schemas drift apart. Edits that change only whitespace or comments are a
 * note: the SQL is the same token for token (compared with libpg_query's
 * scanner, so a `--` inside a string literal is not a comment). */
#include <string.h>
#include <strings.h>

#include "history_util.h"

static bool same_text(const source *a, const source *b)
{
    if (!a || !b)
        return a == b;
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static bool is_comment(const sql_token *t)
{
    return t->kind == SQL_TOK_COMMENT || t->kind == SQL_TOK_BLOCK_COMMENT;
}

/* Keywords and unquoted identifiers fold to lower case in PostgreSQL, so
 * `TEXT` and `text` are the same SQL (pg_format-style reformatting changes
 * case); strings and quoted identifiers compare exactly. */
static bool same_token(const sql_file *a, size_t i, const sql_file *b, size_t k)
{
    const sql_token *x = &a->tokens[i], *y = &b->tokens[k];
    size_t n = x->end - x->start;
    const char *p = a->src->text + x->start, *q = b->src->text + y->start;
    if (n != y->end - y->start)
        return false;
    bool folds =
        (x->kind == SQL_TOK_KEYWORD || x->kind == SQL_TOK_IDENT) && x->kind == y->kind && *p != '"';
    return folds ? strncasecmp(p, q, n) == 0 : memcmp(p, q, n) == 0;
}

/* Offset in now of the first line that differs from was (whitespace). */
static size_t first_changed_line(const source *now, const source *was)
{
    size_t i = 0, line = 0;
    while (i < now->len && i < was->len && now->text[i] == was->text[i])
        if (now->text[i++] == '\n')
            line = i;
    return line;
}

/* Bytes two differing tokens share at their start: a function body is one
 * dollar-quoted string, and the change may be 40 lines into it. */
static size_t common_prefix(const sql_file *a, size_t i, const sql_file *b, size_t k)
{
    if (k >= b->ntokens)
        return 0;
    const sql_token *x = &a->tokens[i], *y = &b->tokens[k];
    size_t n = 0;
    while (x->start + n < x->end && y->start + n < y->end &&
           a->src->text[x->start + n] == b->src->text[y->start + n])
        n++;
    return n;
}

typedef struct edit {
    size_t at;     /* offset in the new text where the change starts */
    bool cosmetic; /* the same SQL tokens: only whitespace or comments changed */
} edit;

/* Walks both token streams: the first differing token (comments included)
 * gives the place; the streams without comments say whether the SQL
 * changed at all. */
static edit compare(const source *now, const source *was, sql_dialect d)
{
    /* the dialect's own tokens: MySQL's # comments and `names` */
    sql_file *a = sql_file_parse_dialect(now, 0, now->len, d),
             *b = sql_file_parse_dialect(was, 0, was->len, d);
    edit e = {first_changed_line(now, was), true};
    size_t i = 0, k = 0;
    while (i < a->ntokens && k < b->ntokens && same_token(a, i, b, k))
        i++, k++;
    if (i < a->ntokens || k < b->ntokens)
        e.at = i < a->ntokens ? a->tokens[i].start : now->len;
    /* The streams without comments: equal means a cosmetic edit; else the
     * first SQL token that differs is where the real edit starts, past any
     * comment or layout change above it. */
    i = k = 0;
    for (;;) {
        while (i < a->ntokens && is_comment(&a->tokens[i]))
            i++;
        while (k < b->ntokens && is_comment(&b->tokens[k]))
            k++;
        if (i == a->ntokens || k == b->ntokens || !same_token(a, i, b, k))
            break;
        i++, k++;
    }
    e.cosmetic = i == a->ntokens && k == b->ntokens;
    if (!e.cosmetic)
        e.at = i < a->ntokens ? a->tokens[i].start + common_prefix(a, i, b, k) : now->len;
    sql_file_free(a);
    sql_file_free(b);
    /* Point at the start of the changed line: "line 12 changed". */
    while (e.at > 0 && e.at <= now->len && now->text[e.at - 1] != '\n')
        e.at--;
    return e;
}

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const lint_history *h = mig->history;
    if (!h || h->state != MIG_EDITED || !h->base)
        return;
    const migration *m = mig->m, *b = h->base;
    const source *now = m->nup ? m->up[0].src : NULL, *was = b->nup ? b->up[0].src : NULL;
    if (same_text(now, was) && m->has_down) {
        now = m->down.src;
        was = b->has_down ? b->down.src : NULL;
    }
    if (!now)
        return;
    if (!was) { /* a down file added to an applied migration */
        diag *d = lint_report_at(ctx, "applied-migration-edited", now, 0, 0,
                                 "%s was added to migration %s, which the base has already applied",
                                 history_file_name(ctx, m, now), lint_basename(m->path));
        lint_help(ctx, d,
                  "harmless for production, which never runs it; keep it if it undoes "
                  "the up step");
        if (d)
            d->level = LEVEL_NOTE;
        return;
    }
    edit e = compare(now, was, lint_dialect(ctx));
    diag *d = lint_report_at(
        ctx, "applied-migration-edited", now, e.at, e.at,
        e.cosmetic ? "%s is applied on the base and edited here, but only whitespace, "
                     "comments or letter case changed: the SQL is the same"
                   : "%s is applied on the base and edited here: environments that ran it keep "
                     "the old version",
        history_file_name(ctx, m, now));
    if (d && e.cosmetic && d->level > LEVEL_NOTE)
        d->level = LEVEL_NOTE;
    lint_help(ctx, d,
              e.cosmetic ? "fine to keep; frameworks that checksum files (Flyway, sqitch) may "
                           "still refuse it"
                         : "revert the edit and put the change in a new migration");
}

const rule rule_applied_migration_edited = {.id = "applied-migration-edited",
                                            .check_migration = check_migration,
                                            .dialects = RULE_ALL_DIALECTS};
