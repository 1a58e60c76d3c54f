/* diagnose.h - lint one open document as the CLI would lint its folder,
 * and express the findings as LSP Diagnostic objects. */
#ifndef MIGRALINT_LSP_DIAGNOSE_H
#define MIGRALINT_LSP_DIAGNOSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "../engine/options.h"

struct session;
/* Lints text as the file fs_path, with what keep (session.h) holds from
 * earlier runs (NULL: nothing kept). workspace is the client's root folder
 * (NULL when none), used when the file is not in a git work tree. Returns
 * an array of Diagnostic; each carries in its "data" the 0-based line and
 * indentation of its statement, or "file": true for file-level findings.
 * On a configuration error returns NULL and writes the problem to err. */
cJSON *lsp_diagnose(const cli_options *o, struct session *keep, const char *workspace,
                    const char *fs_path, const char *text, size_t len, char *err, size_t errsize);

#endif
