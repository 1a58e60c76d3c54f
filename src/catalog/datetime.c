/* datetime.c - date, timestamp and interval literals as PostgreSQL stores
 * them. A default is a constant the parser folded at CREATE time, and
 * pg_get_expr() prints it in the type's output format, not as written:
 * '1970-01-01' on a timestamp column is '1970-01-01 00:00:00', 'epoch' is
 * the same instant, '12 months' is '1 year'. Only the plain forms are
 * rewritten (ISO dates, a time of day, unit lists of whole numbers); any
 * other text is left as written. A timestamptz prints in the session's time
 * zone, taken to be UTC ('+00'), as on a server set up with the defaults. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n digits at p. */
static bool digits(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i]))
            return false;
    return true;
}

/* 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS[.f]]' (or T for the space), 'epoch':
 * the date and the time of day, as "YYYY-MM-DD" and "HH:MM:SS[.f]". */
static bool split_timestamp(const char *text, char date[11], char time[32])
{
    if (!strcmp(text, "epoch")) {
        strcpy(date, "1970-01-01");
        strcpy(time, "00:00:00");
        return true;
    }
    if (!digits(text, 4) || text[4] != '-' || !digits(text + 5, 2) || text[7] != '-' ||
        !digits(text + 8, 2))
        return false;
    memcpy(date, text, 10);
    date[10] = '\0';
    const char *t = text + 10;
    if (!*t) {
        strcpy(time, "00:00:00");
        return true;
    }
    if ((*t != ' ' && *t != 'T') || !digits(t + 1, 2) || t[3] != ':' || !digits(t + 4, 2))
        return false;
    const char *rest = t + 6;
    if (!*rest) {
        snprintf(time, 32, "%.5s:00", t + 1);
        return true;
    }
    if (rest[0] != ':' || !digits(rest + 1, 2))
        return false;
    const char *frac = rest + 3;
    if (*frac == '\0') {
        snprintf(time, 32, "%.8s", t + 1);
        return true;
    }
    size_t n = strspn(frac + 1, "0123456789");
    if (*frac != '.' || n == 0 || n > 6 || frac[1 + n] != '\0')
        return false;
    while (n > 0 && frac[n] == '0') /* trailing zeros are not printed */
        n--;
    snprintf(time, 32, "%.8s%s%.*s", t + 1, n ? "." : "", (int)n, frac + 1);
    return true;
}

/* The unit of an interval field, as months, days or seconds: 'm', 'd', 's'
 * with a factor; 0 when unknown. */
static char interval_unit(const char *w, size_t n, long *factor)
{
    static const struct {
        const char *name;
        char kind;
        long factor;
    } units[] = {
        {"year", 'm', 12},   {"years", 'm', 12},   {"mon", 'm', 1},     {"mons", 'm', 1},
        {"month", 'm', 1},   {"months", 'm', 1},   {"week", 'd', 7},    {"weeks", 'd', 7},
        {"day", 'd', 1},     {"days", 'd', 1},     {"hour", 's', 3600}, {"hours", 's', 3600},
        {"minute", 's', 60}, {"minutes", 's', 60}, {"min", 's', 60},    {"mins", 's', 60},
        {"second", 's', 1},  {"seconds", 's', 1},  {"sec", 's', 1},     {"secs", 's', 1}};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i].name) == n && !strncmp(w, units[i].name, n)) {
            *factor = units[i].factor;
            return units[i].kind;
        }
    return 0;
}

/* '12 months', '1 day 2 hours', '30 minutes': PostgreSQL's output style,
 * "1 year", "1 day 02:00:00", "00:30:00". Whole non-negative numbers only. */
static const char *interval_text(arena *a, const char *text)
{
    long months = 0, days = 0, secs = 0;
    const char *p = text;
    int fields = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t nd = strspn(p, "0123456789");
        if (nd == 0 || nd > 6)
            return NULL;
        long v = strtol(p, NULL, 10), factor;
        p += nd;
        while (*p == ' ')
            p++;
        size_t nw = strspn(p, "abcdefghijklmnopqrstuvwxyz");
        char kind = interval_unit(p, nw, &factor);
        if (!kind)
            return NULL;
        p += nw;
        *(kind == 'm' ? &months : kind == 'd' ? &days : &secs) += v * factor;
        fields++;
    }
    if (!fields)
        return NULL;
    strbuf b = STRBUF_INIT;
    long years = months / 12, mons = months % 12;
    if (years)
        strbuf_printf(&b, "%ld year%s", years, years == 1 ? "" : "s");
    if (mons)
        strbuf_printf(&b, "%s%ld mon%s", b.len ? " " : "", mons, mons == 1 ? "" : "s");
    if (days)
        strbuf_printf(&b, "%s%ld day%s", b.len ? " " : "", days, days == 1 ? "" : "s");
    if (secs || !b.len)
        strbuf_printf(&b, "%s%02ld:%02ld:%02ld", b.len ? " " : "", secs / 3600, secs / 60 % 60,
                      secs % 60);
    const char *out = arena_strdup(a, b.data);
    strbuf_free(&b);
    return out;
}

const char *cat_datetime_literal(arena *a, const char *label, const char *text)
{
    char date[11], time[32];
    if (!strcmp(label, "interval"))
        return interval_text(a, text);
    if (!strcmp(label, "date"))
        return !strcmp(text, "epoch") ? "1970-01-01"
               : split_timestamp(text, date, time) && !strcmp(time, "00:00:00")
                   ? arena_strdup(a, date)
                   : NULL;
    bool tz = !strcmp(label, "timestamp with time zone");
    if ((!tz && strcmp(label, "timestamp without time zone") != 0) ||
        !split_timestamp(text, date, time))
        return NULL;
    return arena_printf(a, "%s %s%s", date, time, tz ? "+00" : "");
}
