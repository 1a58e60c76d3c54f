/* prisma_mysql.c - Prisma's MySQL column types, as its migration engine
 * writes them in migration.sql (see prisma_mysql.h; the table follows
 * Prisma's "MySQL native type mappings" reference). */
#include "prisma_mysql.h"

#include <string.h>

const char *orm_prisma_mysql_scalar(const char *t)
{
    static const char *const map[][2] = {
        {"String", "VARCHAR(191)"},  {"Boolean", "BOOLEAN"}, {"Int", "INTEGER"},
        {"BigInt", "BIGINT"},        {"Float", "DOUBLE"},    {"Decimal", "DECIMAL(65, 30)"},
        {"DateTime", "DATETIME(3)"}, {"Json", "JSON"},       {"Bytes", "LONGBLOB"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], t))
            return map[i][1];
    return NULL;
}

const char *orm_prisma_mysql_native(arena *a, const char *name, const char *args)
{
    static const char *const map[][2] = {
        {"VarChar", "VARCHAR"},
        {"Char", "CHAR"},
        {"Text", "TEXT"},
        {"TinyText", "TINYTEXT"},
        {"MediumText", "MEDIUMTEXT"},
        {"LongText", "LONGTEXT"},
        {"Int", "INTEGER"},
        {"UnsignedInt", "INTEGER UNSIGNED"},
        {"SmallInt", "SMALLINT"},
        {"UnsignedSmallInt", "SMALLINT UNSIGNED"},
        {"TinyInt", "TINYINT"},
        {"UnsignedTinyInt", "TINYINT UNSIGNED"},
        {"MediumInt", "MEDIUMINT"},
        {"UnsignedMediumInt", "MEDIUMINT UNSIGNED"},
        {"BigInt", "BIGINT"},
        {"UnsignedBigInt", "BIGINT UNSIGNED"},
        {"Decimal", "DECIMAL"},
        {"Float", "FLOAT"},
        {"Double", "DOUBLE"},
        {"Bit", "BIT"},
        {"Date", "DATE"},
        {"Time", "TIME"},
        {"DateTime", "DATETIME"},
        {"Timestamp", "TIMESTAMP"},
        {"Year", "YEAR"},
        {"Json", "JSON"},
        {"Binary", "BINARY"},
        {"VarBinary", "VARBINARY"},
        {"TinyBlob", "TINYBLOB"},
        {"Blob", "BLOB"},
        {"MediumBlob", "MEDIUMBLOB"},
        {"LongBlob", "LONGBLOB"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(map[i][0], name) != 0)
            continue;
        if (!args || !*args)
            return map[i][1];
        /* the arguments go before UNSIGNED: TINYINT(1) UNSIGNED */
        const char *u = strstr(map[i][1], " UNSIGNED");
        if (u)
            return arena_printf(a, "%.*s%s UNSIGNED", (int)(u - map[i][1]), map[i][1], args);
        return arena_printf(a, "%s%s", map[i][1], args);
    }
    return NULL;
}

const char *orm_prisma_mysql_now(arena *a, const char *type)
{
    const char *p = strchr(type, '(');
    if (p && (!strncmp(type, "DATETIME", 8) || !strncmp(type, "TIMESTAMP", 9) ||
              !strncmp(type, "TIME", 4)))
        return arena_printf(a, "CURRENT_TIMESTAMP%.*s", (int)(strcspn(p, ")") + 1), p);
    return "CURRENT_TIMESTAMP";
}
