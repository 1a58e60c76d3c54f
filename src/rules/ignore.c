/* ignore.c - inline ignore directives in SQL comments.
 *
 *   -- migralint-ignore drop-column, rename-table: reason
 *   -- migralint-ignore-file non-concurrent-index: reason
 *
 * A statement-level directive covers the statement it sits in, the statement
 * it trails on the same line, or else the next statement. The reason is
 * required: a directive without one suppresses nothing and is reported, so an
 * ignore always documents itself. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"
#include "ruledoc.h"

struct ignore_matcher {
    pcre2_code *re;
    pcre2_match_data *md;
};

/* Group 1: "-file"; 2: the rule list; 3: the colon; 4: the reason. */
static const char directive_re[] =
    "^(?:--+|/\\*+)[ \\t]*migralint-ignore(-file)?(?![\\w-])"
    "[ \\t]*([^:\\r\\n]*?)[ \\t]*(?:(:)[ \\t]*(.*?))?[ \\t\\r]*(?:\\*+/)?[ \\t\\r]*$";

struct ignore_matcher *ignore_matcher_new(void)
{
    struct ignore_matcher *m = calloc(1, sizeof *m);
    int err;
    PCRE2_SIZE off;
    if (!m)
        abort();
    m->re = pcre2_compile((PCRE2_SPTR)directive_re, PCRE2_ZERO_TERMINATED, PCRE2_DOTALL, &err, &off,
                          NULL);
    if (!m->re)
        abort(); /* a constant pattern: caught by every test run */
    m->md = pcre2_match_data_create_from_pattern(m->re, NULL);
    return m;
}

void ignore_matcher_free(struct ignore_matcher *m)
{
    if (!m)
        return;
    pcre2_match_data_free(m->md);
    pcre2_code_free(m->re);
    free(m);
}

typedef struct directive {
    bool file_wide;
    int target; /* statement index, or -1 for file-wide */
    const char *rules[16];
    size_t nrules;
} directive;

/* Which statement a statement-level comment at [start, end) covers: the one
 * it sits in, the one it trails on the same line, or else the next one. */
static int directive_target(const sql_file *f, size_t start, size_t end)
{
    size_t lo = 0, hi = f->nstmts; /* first statement starting after the comment */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->stmts[mid].start <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0) {
        const sql_stmt *prev = &f->stmts[lo - 1];
        if (start < prev->end)
            return (int)lo - 1;
        int line = source_position(f->src, start).line;
        if (source_position(f->src, prev->end - 1).line == line)
            return (int)lo - 1;
    }
    if (lo < f->nstmts && f->stmts[lo].start >= end)
        return (int)lo;
    return -2; /* covers nothing */
}

static void report_at(linter *l, const sql_file *f, const char *rule_id, size_t start, size_t end,
                      const char *msg, const char *help)
{
    diag *d = linter_emit(l, rule_id, f, NULL, -1, start, end, msg);
    if (d)
        d->help = help;
}

/* Splits the rule list, checks each id, and records the known ones. */
static void directive_rules(linter *l, const sql_file *f, directive *dv, size_t base,
                            const char *list, size_t len)
{
    arena *a = l->out->arena;
    size_t i = 0;
    while (i < len) {
        while (i < len && (list[i] == ',' || list[i] == ' ' || list[i] == '\t'))
            i++;
        size_t s = i;
        while (i < len && list[i] != ',' && list[i] != ' ' && list[i] != '\t')
            i++;
        if (i == s)
            break;
        char *id = arena_strndup(a, list + s, i - s);
        if (!ruledoc_find(id)) {
            report_at(l, f, "unknown-rule-in-ignore", base + s, base + i,
                      arena_printf(a, "migralint-ignore names unknown rule '%s'", id),
                      "use a rule id from `migralint rules`");
        } else if (dv->nrules < sizeof dv->rules / sizeof dv->rules[0]) {
            dv->rules[dv->nrules++] = ruledoc_find(id)->id;
        }
    }
}

/* Does the comment start as the pattern requires, "--" or "/" and "*" (with
 * more dashes or stars), blanks, then "migralint-ignore"? Tested before the
 * pattern, in place of a search of the whole comment: most comments are not
 * directives, and a migration folder has thousands of them. */
static bool directive_head(const char *text, size_t len)
{
    size_t k;
    if (len >= 2 && text[0] == '-' && text[1] == '-')
        for (k = 2; k < len && text[k] == '-'; k++)
            ;
    else if (len >= 2 && text[0] == '/' && text[1] == '*')
        for (k = 2; k < len && text[k] == '*'; k++)
            ;
    else
        return false;
    while (k < len && (text[k] == ' ' || text[k] == '\t'))
        k++;
    return len - k >= 16 && memcmp(text + k, "migralint-ignore", 16) == 0;
}

/* Parses one comment token; false when it is not a directive or unusable. */
static bool directive_parse(linter *l, const sql_file *f, const sql_token *t, directive *dv)
{
    struct ignore_matcher *m = l->ignores;
    const char *text = f->src->text + t->start;
    size_t len = t->end - t->start;
    if (len < 18 || !directive_head(text, len))
        return false;
    if (pcre2_match(m->re, (PCRE2_SPTR)text, len, 0, 0, m->md, NULL) < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    memset(dv, 0, sizeof *dv);
    dv->file_wide = ov[2] != PCRE2_UNSET;
    bool has_reason = ov[8] != PCRE2_UNSET && ov[9] > ov[8];
    if (!has_reason) {
        report_at(l, f, "ignore-without-reason", t->start, t->end,
                  "migralint-ignore without a reason suppresses nothing",
                  "add the reason after a colon: `-- migralint-ignore RULE: why this is safe`");
        return false;
    }
    directive_rules(l, f, dv, t->start + ov[4], text + ov[4], ov[5] - ov[4]);
    if (dv->nrules == 0 && ov[5] == ov[4])
        report_at(l, f, "unknown-rule-in-ignore", t->start, t->end,
                  "migralint-ignore names no rule", "list the rule ids to ignore before the colon");
    dv->target = dv->file_wide ? -1 : directive_target(f, t->start, t->end);
    return dv->nrules > 0;
}

static void directive_suppress(const directive *dv, diag_list *out, size_t first, size_t last)
{
    for (size_t i = first; i < last; i++) {
        diag *d = out->items[i];
        if (d->stmt_index < 0 || (!dv->file_wide && d->stmt_index != dv->target))
            continue;
        for (size_t r = 0; r < dv->nrules; r++)
            if (d->rule_id == dv->rules[r] || strcmp(d->rule_id, dv->rules[r]) == 0)
                d->suppressed = true;
    }
}

void ignore_apply(linter *l, const sql_file *f, size_t first)
{
    size_t last = l->out->count; /* findings reported about ignores stay unsuppressed */
    for (size_t i = 0; i < f->ntokens; i++) {
        const sql_token *t = &f->tokens[i];
        if (t->kind != SQL_TOK_COMMENT && t->kind != SQL_TOK_BLOCK_COMMENT)
            continue;
        directive dv;
        if (!directive_parse(l, f, t, &dv))
            continue;
        directive_suppress(&dv, l->out, first, last);
        for (size_t r = 0; r < dv.nrules; r++)
            linter_note_ignore(l, f->src, dv.rules[r]);
    }
}
