/* tsq.c - embedded tree-sitter queries and their predicates (see tsq.h). */
#include "tsq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../core/embedded.h"
#include "../core/grammars.h"

typedef enum { PRED_EQ, PRED_MATCH, PRED_ANY_OF } pred_op;

typedef struct pred {
    pred_op op;
    bool negate;
    uint32_t capture;
    uint32_t other;     /* #eq? against a second capture, or TSQ_NO_CAPTURE */
    const char **words; /* the string arguments, owned by the TSQuery */
    uint32_t *lens;
    uint32_t nwords;
    pcre2_code *re;
    struct pred *next;
} pred;

struct tsq {
    TSQuery *query;
    const TSLanguage *lang;
    pred **preds; /* per pattern, a list */
    uint32_t npatterns;
};

struct tsq_cursor {
    const tsq *q;
    TSQueryCursor *cursor;
    const char *text;
};

static const embedded_file *query_file(const char *name)
{
    for (size_t i = 0; i < query_nfiles; i++)
        if (!strcmp(query_files[i].name, name))
            return &query_files[i];
    return NULL;
}

tsq *tsq_load(const char *grammar, const char *scm_name, char *err, size_t errsize)
{
    const embedded_file *f = query_file(scm_name);
    if (!f) {
        snprintf(err, errsize, "%s: no such embedded query", scm_name);
        return NULL;
    }
    return tsq_compile(grammar, scm_name, f->data, f->len, err, errsize);
}

static void where(const char *src, uint32_t offset, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (uint32_t i = 0; i < offset && src[i]; i++) {
        if (src[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static const char *const query_errors[] = {
    "",
    "syntax error",
    "unknown node type",
    "unknown field",
    "bad capture",
    "impossible pattern",
    "grammar mismatch",
};

static void pred_free(pred *p)
{
    while (p) {
        pred *next = p->next;
        if (p->re)
            pcre2_code_free(p->re);
        free(p->words);
        free(p->lens);
        free(p);
        p = next;
    }
}

void tsq_free(tsq *q)
{
    if (!q)
        return;
    for (uint32_t i = 0; i < q->npatterns; i++)
        pred_free(q->preds[i]);
    free(q->preds);
    ts_query_delete(q->query);
    free(q);
}

/* Reads one predicate (steps up to a Done step) into p; NULL when well
 * formed, else what is wrong with it. */
static const char *pred_parse(const TSQuery *query, const TSQueryPredicateStep *s, uint32_t n,
                              pred *p)
{
    uint32_t len;
    const char *op = ts_query_string_value_for_id(query, s[0].value_id, &len);
    p->negate = !strncmp(op, "not-", 4);
    const char *base = p->negate ? op + 4 : op;
    if (!strcmp(base, "eq?"))
        p->op = PRED_EQ;
    else if (!strcmp(base, "match?"))
        p->op = PRED_MATCH;
    else if (!strcmp(base, "any-of?"))
        p->op = PRED_ANY_OF;
    else
        return "unsupported predicate";
    if (n < 3 || s[1].type != TSQueryPredicateStepTypeCapture)
        return "predicate needs a capture and an argument";
    p->capture = s[1].value_id;
    p->other = TSQ_NO_CAPTURE;
    if (p->op != PRED_ANY_OF && n != 3)
        return "predicate takes exactly two arguments";
    if (p->op == PRED_EQ && s[2].type == TSQueryPredicateStepTypeCapture) {
        p->other = s[2].value_id;
        return NULL;
    }
    p->nwords = n - 2;
    p->words = calloc(p->nwords, sizeof *p->words);
    p->lens = calloc(p->nwords, sizeof *p->lens);
    if (!p->words || !p->lens)
        abort();
    for (uint32_t i = 0; i < p->nwords; i++) {
        if (s[2 + i].type != TSQueryPredicateStepTypeString)
            return "predicate argument must be a string";
        p->words[i] = ts_query_string_value_for_id(query, s[2 + i].value_id, &p->lens[i]);
    }
    if (p->op == PRED_MATCH) {
        int code;
        PCRE2_SIZE off;
        p->re = pcre2_compile((PCRE2_SPTR)p->words[0], p->lens[0], PCRE2_UTF, &code, &off, NULL);
        if (!p->re)
            return "bad regular expression";
    }
    return NULL;
}

/* Compiles the predicates of pattern i; false with err set on a bad one. */
static bool patterns_compile(tsq *q, uint32_t i, const char *name, const char *src, char *err,
                             size_t errsize)
{
    uint32_t n;
    const TSQueryPredicateStep *s = ts_query_predicates_for_pattern(q->query, i, &n);
    uint32_t start = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (s[k].type != TSQueryPredicateStepTypeDone)
            continue;
        pred *p = calloc(1, sizeof *p);
        if (!p)
            abort();
        p->next = q->preds[i];
        q->preds[i] = p;
        const char *why = k > start && s[start].type == TSQueryPredicateStepTypeString
                              ? pred_parse(q->query, s + start, k - start, p)
                              : "malformed predicate";
        if (why) {
            unsigned line, col;
            /* The runtime gives no predicate offsets; the pattern's start
             * is the nearest place to point at. */
            where(src, ts_query_start_byte_for_pattern(q->query, i), &line, &col);
            snprintf(err, errsize, "%s:%u:%u: %s", name, line, col, why);
            return false;
        }
        start = k + 1;
    }
    return true;
}

tsq *tsq_compile(const char *grammar, const char *name, const char *src, size_t len, char *err,
                 size_t errsize)
{
    const TSLanguage *lang = orm_grammar_find(grammar);
    if (!lang) {
        snprintf(err, errsize, "%s: no grammar named %s", name, grammar);
        return NULL;
    }
    uint32_t offset;
    TSQueryError e;
    TSQuery *query = ts_query_new(lang, src, (uint32_t)len, &offset, &e);
    if (!query) {
        unsigned line, col;
        where(src, offset, &line, &col);
        snprintf(err, errsize, "%s:%u:%u: %s", name, line, col,
                 e < sizeof query_errors / sizeof *query_errors ? query_errors[e] : "bad query");
        return NULL;
    }
    tsq *q = calloc(1, sizeof *q);
    if (!q)
        abort();
    q->query = query;
    q->lang = lang;
    q->npatterns = ts_query_pattern_count(query);
    q->preds = calloc(q->npatterns ? q->npatterns : 1, sizeof *q->preds);
    if (!q->preds)
        abort();
    for (uint32_t i = 0; i < q->npatterns; i++) {
        if (!patterns_compile(q, i, name, src, err, errsize)) {
            tsq_free(q);
            return NULL;
        }
    }
    return q;
}

uint32_t tsq_capture_id(const tsq *q, const char *name)
{
    uint32_t n = ts_query_capture_count(q->query);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len;
        const char *c = ts_query_capture_name_for_id(q->query, i, &len);
        if (strlen(name) == len && !memcmp(c, name, len))
            return i;
    }
    return TSQ_NO_CAPTURE;
}

TSTree *tsq_parse(const char *grammar, const char *text, uint32_t len)
{
    const TSLanguage *lang = orm_grammar_find(grammar);
    if (!lang)
        return NULL;
    TSParser *parser = ts_parser_new();
    TSTree *tree = NULL;
    if (ts_parser_set_language(parser, lang))
        tree = ts_parser_parse_string(parser, NULL, text, len);
    ts_parser_delete(parser);
    return tree;
}

tsq_cursor *tsq_exec(const tsq *q, TSNode node, const char *text)
{
    tsq_cursor *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->q = q;
    c->text = text;
    c->cursor = ts_query_cursor_new();
    ts_query_cursor_exec(c->cursor, q->query, node);
    return c;
}

void tsq_cursor_free(tsq_cursor *c)
{
    if (!c)
        return;
    ts_query_cursor_delete(c->cursor);
    free(c);
}

static bool text_eq(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    return alen == blen && !memcmp(a, b, alen);
}

/* Whether one captured text satisfies p (before negation). */
static bool pred_holds(const pred *p, const TSQueryMatch *m, const char *text, const char *s,
                       uint32_t len)
{
    switch (p->op) {
    case PRED_EQ:
        if (p->other != TSQ_NO_CAPTURE) {
            TSNode o;
            if (!tsq_capture(m, p->other, &o))
                return false;
            uint32_t os = ts_node_start_byte(o);
            return text_eq(s, len, text + os, ts_node_end_byte(o) - os);
        }
        return text_eq(s, len, p->words[0], p->lens[0]);
    case PRED_MATCH: {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->re, NULL);
        int rc = pcre2_match(p->re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        return rc >= 0;
    }
    case PRED_ANY_OF:
        for (uint32_t i = 0; i < p->nwords; i++)
            if (text_eq(s, len, p->words[i], p->lens[i]))
                return true;
        return false;
    }
    return false;
}

/* Every node captured for p's capture must pass; a predicate on a capture
 * that matched nothing (an optional one) holds, as in tree-sitter's CLI. */
static bool match_passes(const tsq_cursor *c, const TSQueryMatch *m)
{
    for (const pred *p = c->q->preds[m->pattern_index]; p; p = p->next) {
        for (uint16_t i = 0; i < m->capture_count; i++) {
            if (m->captures[i].index != p->capture)
                continue;
            TSNode n = m->captures[i].node;
            uint32_t start = ts_node_start_byte(n);
            bool ok = pred_holds(p, m, c->text, c->text + start, ts_node_end_byte(n) - start);
            if (ok == p->negate)
                return false;
        }
    }
    return true;
}

bool tsq_next(tsq_cursor *c, TSQueryMatch *m)
{
    while (ts_query_cursor_next_match(c->cursor, m))
        if (match_passes(c, m))
            return true;
    return false;
}

bool tsq_capture(const TSQueryMatch *m, uint32_t capture_id, TSNode *out)
{
    for (uint16_t i = 0; i < m->capture_count; i++) {
        if (m->captures[i].index == capture_id) {
            *out = m->captures[i].node;
            return true;
        }
    }
    return false;
}
