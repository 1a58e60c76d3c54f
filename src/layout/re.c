/* re.c - PCRE2 for file names and marker lines (-- +goose Up, -- migrate:up).
 * Each pattern is compiled once per layout_build and freed with the context,
 * which keeps the module free of global state. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static pcre2_code *lre_compile(lctx *c, const char *pattern)
{
    for (size_t i = 0; i < c->nre; i++)
        if (c->re_src[i] == pattern || strcmp(c->re_src[i], pattern) == 0)
            return c->re_code[i];
    int code;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
    if (!re || c->nre == LRE_MAX_PATTERNS) {
        fprintf(stderr, "migralint: bad layout pattern %s\n", pattern);
        abort();
    }
    c->re_src[c->nre] = pattern;
    c->re_code[c->nre++] = re;
    return re;
}

void lctx_free(lctx *c)
{
    for (size_t i = 0; i < c->nre; i++)
        pcre2_code_free(c->re_code[i]);
    c->nre = 0;
    pcre2_match_data_free(c->md);
    c->md = NULL;
}

bool lre_find(lctx *c, const char *pattern, const char *s, size_t n, lre_match *m)
{
    pcre2_code *re = lre_compile(c, pattern);
    if (!c->md)
        c->md = pcre2_match_data_create(LRE_MAX_GROUPS, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, c->md, NULL);
    if (rc < 0)
        return false;
    if (m) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
        m->n = rc == 0 ? LRE_MAX_GROUPS : rc;
        for (int g = 0; g < LRE_MAX_GROUPS; g++) {
            bool set = g < m->n && ov[2 * g] != PCRE2_UNSET;
            m->start[g] = set ? ov[2 * g] : 0;
            m->end[g] = set ? ov[2 * g + 1] : 0;
        }
    }
    return true;
}

char *lre_group(lctx *c, const lre_match *m, const char *s, int g)
{
    return arena_strndup(c->a, s + m->start[g], m->end[g] - m->start[g]);
}

int lre_find_line(lctx *c, const char *pattern, const source *src, int from, lre_match *m)
{
    if (!src)
        return 0;
    for (int line = from < 1 ? 1 : from; (size_t)line <= src->nlines; line++) {
        size_t len;
        const char *text = source_line(src, line, &len);
        if (lre_find(c, pattern, text, len, m))
            return line;
    }
    return 0;
}
