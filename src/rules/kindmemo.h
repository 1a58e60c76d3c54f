/* kindmemo.h - which rules look at a statement kind, worked out once per
 * kind a run meets instead of once per statement and rule (each rule lists
 * its kinds as words in one string: a word search per rule per statement
 * was an eighth of the rules' time on a 3,000-migration check). */
#ifndef MIGRALINT_KINDMEMO_H
#define MIGRALINT_KINDMEMO_H

#include <stdbool.h>
#include <stddef.h>

typedef struct kind_memo kind_memo;

/* A memo for n rules whose kind lists are kinds[0..n) (NULL: every kind).
 * The lists are kept by pointer: they must outlive the memo. */
kind_memo *kind_memo_new(const char *const *kinds, size_t n);
/* n answers, by rule: kind is one of the words of its list (or the list is
 * NULL). The array stays valid until kind_memo_free. */
const bool *kind_memo_get(kind_memo *m, const char *kind);
void kind_memo_free(kind_memo *m);

/* The same answers as a list: the rules whose list holds kind, in rule
 * order, so a statement visits those rules only. */
typedef struct kind_rules {
    const size_t *rules;
    size_t n;
    /* Free for the caller to keep what it derives from the kind (one
     * classification per kind a run meets); -1 until the caller sets it. */
    int tag;
} kind_rules;

/* Valid until kind_memo_free. */
kind_rules *kind_memo_rules(kind_memo *m, const char *kind);

/* True when kind appears as a whole word in the space-separated list. */
bool kind_listed(const char *kinds, const char *kind);

#endif
