/* text.h - what LSP positions and URIs mean for migralint's sources. */
#ifndef MIGRALINT_LSP_TEXT_H
#define MIGRALINT_LSP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/source.h"
#include "../core/strbuf.h"

/* An LSP position: 0-based line, character in UTF-16 code units. */
typedef struct lsp_pos {
    int line, character;
} lsp_pos;

/* The LSP position of byte offset off in src. */
lsp_pos lsp_pos_of(const source *src, size_t off);
/* <0, 0, >0 like strcmp. */
int lsp_pos_cmp(lsp_pos a, lsp_pos b);

/* The file system path of a file:// URI, percent-decoded (malloc'd); NULL
 * for other schemes and malformed escapes. */
char *lsp_uri_to_path(const char *uri);
/* Appends the file:// URI of an absolute path. */
void lsp_path_to_uri(strbuf *b, const char *path);

#endif
