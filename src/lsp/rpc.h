/* rpc.h - JSON-RPC 2.0 messages over a byte stream with LSP's
 * "Content-Length: N\r\n\r\n" framing. */
#ifndef MIGRALINT_LSP_RPC_H
#define MIGRALINT_LSP_RPC_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

typedef enum rpc_read_status {
    RPC_OK,         /* *msg holds a parsed JSON value */
    RPC_INVALID,    /* a framed body that is not JSON: answer with a parse error */
    RPC_BAD_HEADER, /* a header block without a usable Content-Length; skipped */
    RPC_EOF,        /* the stream ended (between or inside messages) */
} rpc_read_status;

/* Standard JSON-RPC and LSP error codes. */
#define RPC_PARSE_ERROR            -32700
#define RPC_INVALID_REQUEST        -32600
#define RPC_METHOD_NOT_FOUND       -32601
#define RPC_INVALID_PARAMS         -32602
#define RPC_SERVER_NOT_INITIALIZED -32002

/* Bodies larger than this are read and dropped (RPC_INVALID). */
#define RPC_MAX_BODY (64u * 1024 * 1024)

/* A buffered reader over a file descriptor that can tell whether more
 * input is already waiting (stdio cannot), so the server can let a burst
 * of keystrokes pass before it lints. */
typedef struct rpc_reader {
    int fd;
    char buf[64 * 1024];
    size_t pos, len;
    bool eof;
} rpc_reader;

void rpc_reader_init(rpc_reader *r, int fd);
/* Is a byte available without blocking? */
bool rpc_pending(rpc_reader *r);
rpc_read_status rpc_read(rpc_reader *in, cJSON **msg);
/* Writes msg framed and flushes; false when the stream is gone. */
bool rpc_write(FILE *out, const cJSON *msg);
/* Takes ownership of result (NULL becomes JSON null). */
bool rpc_reply(FILE *out, const cJSON *id, cJSON *result);
bool rpc_error(FILE *out, const cJSON *id, int code, const char *message);
/* Takes ownership of params. */
bool rpc_notify(FILE *out, const char *method, cJSON *params);

#endif
