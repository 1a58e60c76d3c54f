/* pytypes.c - Django field and SQLAlchemy type tables (pytypes.h). Types
 * follow the PostgreSQL backends of Django 3.2+ and SQLAlchemy 1.4/2.0. */
#include "pytypes.h"

#include <string.h>

static const char *const django_types[][2] = {
    {"AutoField", "serial"},
    {"BigAutoField", "bigserial"},
    {"SmallAutoField", "smallserial"},
    {"TextField", "text"},
    {"IntegerField", "integer"},
    {"BigIntegerField", "bigint"},
    {"SmallIntegerField", "smallint"},
    {"PositiveIntegerField", "integer"},
    {"PositiveBigIntegerField", "bigint"},
    {"PositiveSmallIntegerField", "smallint"},
    {"BooleanField", "boolean"},
    {"NullBooleanField", "boolean"},
    {"DateTimeField", "timestamp with time zone"},
    {"DateField", "date"},
    {"TimeField", "time"},
    {"DurationField", "interval"},
    {"FloatField", "double precision"},
    {"UUIDField", "uuid"},
    {"JSONField", "jsonb"},
    {"BinaryField", "bytea"},
    {"GenericIPAddressField", "inet"},
    {"IPAddressField", "inet"},
    {"SearchVectorField", "tsvector"},
    {"CICharField", "citext"},
    {"CIEmailField", "citext"},
    {"CITextField", "citext"},
    {"HStoreField", "hstore"},
};

static const struct {
    const char *cls;
    int length;
} django_varchars[] = {
    {"CharField", 0},   {"SlugField", 50},   {"EmailField", 254},    {"URLField", 200},
    {"FileField", 100}, {"ImageField", 100}, {"FilePathField", 100},
};

/* Float is spelled as PostgreSQL stores it (float without a precision is
 * double precision). */
static const char *const sa_types[][2] = {
    {"Integer", "integer"},
    {"INTEGER", "integer"},
    {"INT", "integer"},
    {"BigInteger", "bigint"},
    {"BIGINT", "bigint"},
    {"SmallInteger", "smallint"},
    {"SMALLINT", "smallint"},
    {"Text", "text"},
    {"TEXT", "text"},
    {"UnicodeText", "text"},
    {"Boolean", "boolean"},
    {"BOOLEAN", "boolean"},
    {"Date", "date"},
    {"DATE", "date"},
    {"Float", "double precision"},
    {"FLOAT", "double precision"},
    {"REAL", "real"},
    {"Double", "double precision"},
    {"DOUBLE_PRECISION", "double precision"},
    {"JSON", "json"},
    {"JSONB", "jsonb"},
    {"Uuid", "uuid"},
    {"UUID", "uuid"},
    {"LargeBinary", "bytea"},
    {"BYTEA", "bytea"},
    {"Interval", "interval"},
    {"INTERVAL", "interval"},
    {"INET", "inet"},
    {"CIDR", "cidr"},
    {"MACADDR", "macaddr"},
    {"MONEY", "money"},
    {"TSVECTOR", "tsvector"},
    {"HSTORE", "hstore"},
    {"OID", "oid"},
    {"BIT", "bit(1)"},
};

const char *orm_django_field_type(const char *cls)
{
    for (size_t i = 0; i < sizeof django_types / sizeof *django_types; i++)
        if (!strcmp(cls, django_types[i][0]))
            return django_types[i][1];
    return NULL;
}

int orm_django_varchar_length(const char *cls)
{
    for (size_t i = 0; i < sizeof django_varchars / sizeof *django_varchars; i++)
        if (!strcmp(cls, django_varchars[i].cls))
            return django_varchars[i].length;
    return -1;
}

const char *orm_sa_plain_type(const char *name)
{
    for (size_t i = 0; i < sizeof sa_types / sizeof *sa_types; i++)
        if (!strcmp(name, sa_types[i][0]))
            return sa_types[i][1];
    return NULL;
}
