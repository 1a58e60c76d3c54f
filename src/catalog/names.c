/* names.c - the names PostgreSQL chooses when a migration gives none:
 * users_pkey, users_email_key, orders_user_id_fkey, users_id_seq,
 * users_lower_idx, orders_check1. Ported from makeObjectName(),
 * ChooseRelationName() and ChooseConstraintName() so that later migrations
 * which name these objects find them. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define NAMEDATALEN 64

/* Backs up to the start of a UTF-8 character, like pg_mbcliplen(). */
static size_t clip(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

char *cat_make_object_name(arena *a, const char *name1, const char *name2, const char *label)
{
    size_t overhead = 0, n1 = strlen(name1), n2 = 0;
    if (name2) {
        n2 = strlen(name2);
        overhead++;
    }
    if (label)
        overhead += strlen(label) + 1;
    size_t avail = NAMEDATALEN - 1 - overhead;
    /* Truncate the longer name first. */
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = clip(name1, n1);
    if (name2)
        n2 = clip(name2, n2);
    /* Joined by hand: every generated name of a long history comes here,
     * and printf's format parsing cost more than the rest of the replay of
     * the statement. */
    size_t nl = label ? strlen(label) : 0;
    char *out = arena_alloc(a, n1 + 1 + n2 + 1 + nl + 1), *p = out;
    memcpy(p, name1, n1);
    p += n1;
    if (name2) {
        *p++ = '_';
        memcpy(p, name2, n2);
        p += n2;
    }
    if (label) {
        *p++ = '_';
        memcpy(p, label, nl);
        p += nl;
    }
    *p = '\0';
    return out;
}

char *cat_choose_relation_name(catalog *c, const char *schema, const char *name1, const char *name2,
                               const char *label, bool isconstraint)
{
    char modlabel[NAMEDATALEN];
    snprintf(modlabel, sizeof modlabel, "%s", label);
    for (int pass = 1;; pass++) {
        char *name = cat_make_object_name(c->a, name1, name2, modlabel);
        if (!cat_rel_get(c, schema, name) &&
            (!isconstraint || !cat_conname_used(c, cat_schema_or_public(schema), name)))
            return name;
        snprintf(modlabel, sizeof modlabel, "%s%d", label, pass);
    }
}

char *cat_choose_constraint_name(catalog *c, const char *schema, const char *name1,
                                 const char *name2, const char *label)
{
    char modlabel[NAMEDATALEN];
    snprintf(modlabel, sizeof modlabel, "%s", label);
    for (int pass = 1;; pass++) {
        char *name = cat_make_object_name(c->a, name1, name2, modlabel);
        if (!cat_conname_used(c, cat_schema_or_public(schema), name))
            return name;
        snprintf(modlabel, sizeof modlabel, "%s%d", label, pass);
    }
}

char *cat_name_addition(arena *a, const char *const *names, size_t n)
{
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (b.len)
            strbuf_putc(&b, '_');
        strbuf_puts(&b, names[i]);
        if (b.len >= NAMEDATALEN)
            break;
    }
    char *out = arena_strdup(a, b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}
