/* lsp.h - `migralint lsp`: a language server on stdin/stdout. */
#ifndef MIGRALINT_LSP_H
#define MIGRALINT_LSP_H

#include <stdio.h>

#include "../engine/options.h"

/* Serves requests read from in_fd until `exit` or end of input. Returns 0
 * after shutdown then exit, 1 when the client exits or disappears without
 * shutdown (as LSP asks). */
int lsp_serve(const cli_options *o, int in_fd, FILE *out);

#endif
