/* extractors.c - the registry of ORM extractors built from extractors.def. */
#include "extractors.h"

#include <stdio.h>
#include <string.h>

static const orm_extractor extractors[] = {
#define EXTRACTOR(name, fn) {name, fn},
#include "extractors.def"
#undef EXTRACTOR
};

size_t orm_extractor_count(void)
{
    return sizeof extractors / sizeof extractors[0];
}

const orm_extractor *orm_extractor_at(size_t i)
{
    return i < orm_extractor_count() ? &extractors[i] : NULL;
}

const orm_extractor *orm_extractor_find(const char *name)
{
    for (size_t i = 0; name && i < orm_extractor_count(); i++)
        if (strcmp(extractors[i].name, name) == 0)
            return &extractors[i];
    return NULL;
}

const char *orm_extractor_names(void)
{
    static char buf[512];
    if (buf[0])
        return buf;
    size_t n = 0;
    for (size_t i = 0; i < orm_extractor_count() && n + 32 < sizeof buf; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "", extractors[i].name);
    return buf;
}
