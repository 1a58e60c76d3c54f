/* fuzz_lsp.c - libFuzzer target: the input as the language server's stdin
 * (Content-Length framing, JSON-RPC messages), served in process by
 * lsp_serve from a file descriptor, its replies written to /dev/null. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "../src/lsp/lsp.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cli_options o;
    static FILE *out;
    if (!out) {
        const char *argv[] = {"migralint", "lsp", NULL};
        fuzz_scratch();
        if (!cli_parse(2, (char **)argv, &o) || !(out = fopen("/dev/null", "w")))
            abort();
    }
    const char *path = fuzz_write("stdin", data, size);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        abort();
    int rc = lsp_serve(&o, fd, out);
    close(fd);
    if (rc != 0 && rc != 1)
        abort(); /* the exit codes the server documents */
    return 0;
}
