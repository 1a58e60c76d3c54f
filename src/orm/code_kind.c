/* code_kind.c - which ORM a source file is for (see code_extractors.h):
 * the extension narrows it to a language, the imports decide. Imports are
 * words in the file's text, not parsed: a false match only means the
 * extractor finds no models and says nothing. */
#include <string.h>

#include "code_extractors.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static bool contains(const char *text, size_t len, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= len; i++)
        if (text[i] == word[0] && !memcmp(text + i, word, k))
            return true;
    return false;
}

const char *orm_code_kind(const char *path, const char *text, size_t len)
{
    if (ends_with(path, "schema.rb"))
        return "activerecord";
    if (ends_with(path, ".py")) {
        if (contains(text, len, "from django") || contains(text, len, "import django"))
            return "django";
        if (contains(text, len, "sqlalchemy"))
            return "sqlalchemy";
        return NULL;
    }
    if (ends_with(path, ".ts") || ends_with(path, ".tsx"))
        return contains(text, len, "typeorm") && contains(text, len, "@Entity") ? "typeorm" : NULL;
    if (ends_with(path, ".go"))
        return contains(text, len, "gorm.io/gorm") || contains(text, len, "jinzhu/gorm") ||
                       contains(text, len, "gorm:\"")
                   ? "gorm"
                   : NULL;
    return NULL;
}
