/* text.c - byte offsets to LSP positions and file URIs to paths. migralint
 * counts columns in code points; LSP counts UTF-16 code units, so a code
 * point above U+FFFF (4 UTF-8 bytes) is two units. The sources were checked
 * to be valid UTF-8 before linting, so the lead byte tells the length. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

lsp_pos lsp_pos_of(const source *src, size_t off)
{
    if (off > src->len)
        off = src->len;
    source_pos p = source_position(src, off);
    size_t start = src->line_starts[p.line - 1];
    int units = 0;
    for (size_t i = start; i < off; i++) {
        unsigned char c = (unsigned char)src->text[i];
        if ((c & 0xC0) == 0x80)
            continue; /* continuation byte */
        units += c >= 0xF0 ? 2 : 1;
    }
    return (lsp_pos){p.line - 1, units};
}

int lsp_pos_cmp(lsp_pos a, lsp_pos b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return a.character < b.character ? -1 : a.character > b.character;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *lsp_uri_to_path(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *s = uri + 7;
    if (*s != '/') { /* file://host/path: only localhost is ours */
        if (strncmp(s, "localhost/", 10) != 0)
            return NULL;
        s += 9;
    }
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        abort();
    for (; *s && *s != '?' && *s != '#'; s++) {
        if (*s != '%') {
            *o++ = *s;
            continue;
        }
        int hi = hex(s[1]), lo = hi < 0 ? -1 : hex(s[2]);
        if (lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        *o++ = (char)(hi * 16 + lo);
        s += 2;
    }
    *o = '\0';
    return out;
}

void lsp_path_to_uri(strbuf *b, const char *path)
{
    static const char keep[] = "-._~/!$&'()*+,;=:@";
    strbuf_puts(b, "file://");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr(keep, *s))
            strbuf_putc(b, (char)*s);
        else
            strbuf_printf(b, "%%%02X", *s);
    }
}
