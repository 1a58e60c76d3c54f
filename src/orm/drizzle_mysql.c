/* drizzle_mysql.c - Drizzle mysql-core's column types and defaults, as
 * drizzle-orm 0.45's getSQLType() and drizzle-kit 0.31's MySQL snapshot
 * write them (see drizzle_mysql.h). */
#include "drizzle_mysql.h"

#include <string.h>

bool orm_drizzle_is_mysql(const char *text, size_t len)
{
    /* declarations, not imports: a pg-core file may import a stray mysql-core builder */
    static const char *const marks[] = {"mysqlTable", "mysqlSchema"};
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        size_t n = strlen(marks[m]);
        for (size_t i = 0; i + n <= len; i++)
            if (text[i] == marks[m][0] && !memcmp(text + i, marks[m], n))
                return true;
    }
    return false;
}

static bool one_of(const char *b, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(b, *names))
            return true;
    return false;
}

static const char *sized(arena *a, const char *base, long n)
{
    return n >= 0 ? arena_printf(a, "%s(%ld)", base, n) : base;
}

/* decimal, double, float: (p,s), (p) or bare; decimal(10,0) is MySQL's
 * default and drizzle writes it bare. */
static const char *scaled(arena *a, const char *base, const drizzle_mysql_cfg *cfg)
{
    const char *t = cfg->precision < 0 ? base
                    : cfg->scale >= 0
                        ? arena_printf(a, "%s(%ld,%ld)", base, cfg->precision, cfg->scale)
                        : arena_printf(a, "%s(%ld)", base, cfg->precision);
    if (!strcmp(base, "decimal") && (!strcmp(t, "decimal(10,0)") || !strcmp(t, "decimal(10)")))
        t = "decimal";
    return cfg->is_unsigned ? arena_printf(a, "%s unsigned", t) : t;
}

const char *orm_drizzle_mysql_type(arena *a, const char *b, const drizzle_mysql_cfg *cfg)
{
    static const char *const ints[] = {"int", "tinyint", "smallint", "mediumint", "bigint", NULL};
    static const char *const same[] = {"serial",     "boolean", "text", "tinytext", "longtext",
                                       "mediumtext", "json",    "date", "year",     NULL};
    static const char *const lengths[] = {"varchar", "char", "binary", "varbinary", NULL};
    static const char *const fsps[] = {"datetime", "timestamp", "time", NULL};
    if (one_of(b, ints))
        return cfg->is_unsigned ? arena_printf(a, "%s unsigned", b) : b;
    if (one_of(b, same))
        return b;
    if (one_of(b, lengths))
        return sized(a, b, cfg->length);
    if (one_of(b, fsps))
        return sized(a, b, cfg->fsp);
    if (!strcmp(b, "decimal") || !strcmp(b, "double") || !strcmp(b, "float"))
        return scaled(a, b, cfg);
    if (!strcmp(b, "real")) /* written "real(p, s)", with a space */
        return cfg->precision < 0 ? "real"
               : cfg->scale >= 0  ? arena_printf(a, "real(%ld, %ld)", cfg->precision, cfg->scale)
                                  : arena_printf(a, "real(%ld)", cfg->precision);
    return NULL;
}

const char *orm_drizzle_mysql_enum(arena *a, const char *const *values, size_t n)
{
    const char *out = "enum(";
    for (size_t i = 0; i < n; i++)
        out = arena_printf(a, "%s%s'%s'", out, i ? "," : "", values[i]);
    return arena_printf(a, "%s)", out);
}

const char *orm_drizzle_mysql_default(arena *a, const char *type, const char *literal)
{
    if (!strcmp(type, "text") || !strcmp(type, "json") || !strcmp(type, "blob"))
        return arena_printf(a, "(%s)", literal);
    return literal;
}
