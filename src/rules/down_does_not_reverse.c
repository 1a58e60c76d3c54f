/* down-does-not-reverse: the catalog replays the up step and then the down
 * step; whatever the two leave different from the schema before the up step
 * is reported at the down step. A rollback that leaves a table behind, or
 * brings a column back with another type, fails the next deploy or corrupts
 * data quietly.
 *
 * The engine then runs the up step again on what the down step left, as the
 * next deploy after a rollback would. When a statement fails there, the
 * rollback breaks that deploy: an error, naming the statement and why. Enum
 * labels added by ALTER TYPE ... ADD VALUE cannot be dropped at all, so a
 * label left behind is a note while re-applying still works (ADD VALUE IF
 * NOT EXISTS) and an error when it does not. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || (unsigned char)c >= 0x80;
}

/* Does text name the n-byte object name as a whole word? */
static bool names_word(const char *text, const char *name, size_t n)
{
    for (const char *p = text; n && *p; p++) {
        if (strncmp(p, name, n) != 0)
            continue;
        bool start_ok = p == text || (!word_char(p[-1]) && p[-1] != '.');
        if (start_ok && !word_char(p[n]))
            return true;
    }
    return false;
}

/* The names a difference is about, from its key: "column orders.total" ->
 * total and orders; "constraint c on table t" -> c; "index i", "table t",
 * "function f(integer)" -> i, t, f. Returns how many (at most 2). */
static size_t difference_names(const char *m, const char *name[2], size_t len[2])
{
    static const char *const kinds[] = {"materialized view ",
                                        "column ",
                                        "constraint ",
                                        "trigger ",
                                        "index ",
                                        "table ",
                                        "view ",
                                        "sequence ",
                                        "type ",
                                        "schema ",
                                        "extension ",
                                        "function ",
                                        "procedure "};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t kl = strlen(kinds[k]);
        if (strncmp(m, kinds[k], kl) != 0)
            continue;
        const char *p = m + kl;
        size_t n = strcspn(p, " (,");
        if (k != 1) {
            name[0] = p;
            len[0] = n;
            return 1;
        }
        const char *dot = p + n;
        while (dot > p && dot[-1] != '.')
            dot--;
        if (dot == p)
            return 0;
        name[0] = dot; /* the column */
        len[0] = (size_t)(p + n - dot);
        name[1] = p; /* its table */
        len[1] = (size_t)(dot - 1 - p);
        return 2;
    }
    return 0;
}

/* The re-apply failure that is about the object of difference m, or -1. */
static long failure_about(const lint_migration *mig, const char *m)
{
    const char *name[2];
    size_t len[2];
    size_t n = difference_names(m, name, len);
    for (size_t i = 0; n && i < mig->nreapply; i++) {
        bool all = true;
        for (size_t k = 0; k < n && all; k++)
            all = names_word(mig->reapply[i].message, name[k], len[k]);
        if (all)
            return (long)i;
    }
    return -1;
}

/* Does the quoted label list list (", "-separated, each in '...', ended by
 * ')') hold label (n bytes)? */
static bool list_has(const char *list, const char *label, size_t n)
{
    for (const char *p = list; *p == '\'';) {
        const char *end = strstr(p + 1, "'");
        if (!end)
            return false;
        if ((size_t)(end - p - 1) == n && strncmp(p + 1, label, n) == 0)
            return true;
        p = end + 1;
        if (strncmp(p, ", ", 2) != 0)
            return false;
        p += 2;
    }
    return false;
}

/* "type mood is enum ('a', 'b', 'c'), was enum ('a', 'b')": the labels the
 * up step added and the down step left, "'c'", in buf; NULL when m is not
 * that (a label is missing or renamed: a real difference). */
static const char *added_labels(const char *m, char *buf, size_t size)
{
    const char *now = strstr(m, " is enum (");
    const char *was = now ? strstr(now, ", was enum (") : NULL;
    if (strncmp(m, "type ", 5) != 0 || !now || !was)
        return NULL;
    now += 10;
    was += 12;
    size_t out = 0;
    for (const char *p = was; *p == '\'';) { /* every old label is still there */
        const char *end = strchr(p + 1, '\'');
        if (!end || !list_has(now, p + 1, (size_t)(end - p - 1)))
            return NULL;
        p = end + 1 + (strncmp(end + 1, ", ", 2) == 0 ? 2 : 0);
    }
    buf[0] = '\0';
    for (const char *p = now; *p == '\'';) {
        const char *end = strchr(p + 1, '\'');
        if (!end)
            return NULL;
        if (!list_has(was, p + 1, (size_t)(end - p - 1)) && out + (size_t)(end - p) + 4 < size) {
            if (out)
                out += (size_t)snprintf(buf + out, size - out, ", ");
            out += (size_t)snprintf(buf + out, size - out, "%.*s", (int)(end - p + 1), p);
        }
        p = end + 1 + (strncmp(end + 1, ", ", 2) == 0 ? 2 : 0);
    }
    return out ? buf : NULL;
}

static void point_at_failure(lint_ctx *ctx, diag *d, const lint_migration *mig, size_t i)
{
    lint_related(ctx, d, mig->reapply_src, mig->reapply[i].start, mig->reapply[i].end,
                 "re-applied after the down step, this statement fails: %s",
                 mig->reapply[i].message);
}

static void report_difference(lint_ctx *ctx, const lint_migration *mig, const char *m, bool *used)
{
    const migration *mg = mig->m;
    long f = failure_about(mig, m);
    char labels[256];
    const char *added = added_labels(m, labels, sizeof labels);
    diag *d;
    if (f >= 0) {
        used[f] = true;
        d = lint_report_at(ctx, "down-does-not-reverse", mg->down.src, mg->down.start,
                           mg->down.start,
                           "after up and down, %s, so re-applying the up step fails: %s", m,
                           mig->reapply[f].message);
        if (d && d->level >= LEVEL_WARNING)
            d->level = LEVEL_ERROR;
        point_at_failure(ctx, d, mig, (size_t)f);
        lint_help(ctx, d,
                  added ? "PostgreSQL cannot drop an enum label: write the up step's ADD VALUE "
                          "as ADD VALUE IF NOT EXISTS so it can run again after a rollback"
                        : "make the down step undo exactly what the up step does, so the next "
                          "deploy after a rollback can run the up step again");
        return;
    }
    if (added) {
        d = lint_report_at(ctx, "down-does-not-reverse", mg->down.src, mg->down.start,
                           mg->down.start,
                           "after up and down, type %.*s keeps the label%s %s that the up step "
                           "added (PostgreSQL cannot drop an enum label); re-applying the up "
                           "step still works",
                           (int)strcspn(m + 5, " "), m + 5, strchr(added, ',') ? "s" : "", added);
        if (d && d->level > LEVEL_NOTE)
            d->level = LEVEL_NOTE;
        lint_help(ctx, d,
                  "nothing to do if the application copes with the extra label; to remove it, "
                  "recreate the type without it and convert the columns that use it");
        return;
    }
    d = lint_report_at(ctx, "down-does-not-reverse", mg->down.src, mg->down.start, mg->down.start,
                       "after up and down, %s", m);
    lint_help(ctx, d,
              "make the down step undo exactly what the up step does, so a rollback leaves "
              "the schema as it was before the migration");
}

static void check_migration(lint_ctx *ctx, const lint_migration *mig)
{
    const migration *m = mig->m;
    /* An empty down step is empty-down's finding, not a list of everything. */
    if (!m || !mig->down_linted || !m->down.src || mig->down_parse_error ||
        mig->down_statements == 0 || m->up_partial || m->down_partial)
        return;
    bool used[sizeof mig->reapply / sizeof mig->reapply[0]] = {false};
    for (size_t i = 0; i < mig->nnot_reversed; i++)
        report_difference(ctx, mig, mig->not_reversed[i], used);
    /* Where the next deploy stops, when no difference above says why. */
    if (mig->nreapply == 0 || used[0])
        return;
    diag *d = lint_report_at(ctx, "down-does-not-reverse", m->down.src, m->down.start,
                             m->down.start, "after up and down, re-applying the up step fails: %s",
                             mig->reapply[0].message);
    if (d && d->level >= LEVEL_WARNING)
        d->level = LEVEL_ERROR;
    point_at_failure(ctx, d, mig, 0);
    lint_help(ctx, d,
              "make the down step undo exactly what the up step does, so the next deploy after a "
              "rollback can run the up step again");
}

const rule rule_down_does_not_reverse = {.id = "down-does-not-reverse",
                                         .check_migration = check_migration,
                                         .dialects = RULE_ALL_DIALECTS};
