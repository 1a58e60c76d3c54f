/* rpc.c - LSP base protocol framing (see rpc.h). Headers are ASCII lines
 * ended by CRLF; only Content-Length matters, Content-Type is accepted and
 * ignored. A bare LF is tolerated, since some hand-written clients send it. */
#include "rpc.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void rpc_reader_init(rpc_reader *r, int fd)
{
    r->fd = fd;
    r->pos = r->len = 0;
    r->eof = false;
}

static int next_byte(rpc_reader *r)
{
    if (r->pos == r->len) {
        ssize_t n;
        if (r->eof)
            return EOF;
        do
            n = read(r->fd, r->buf, sizeof r->buf);
        while (n < 0 && errno == EINTR);
        if (n <= 0) {
            r->eof = true;
            return EOF;
        }
        r->pos = 0;
        r->len = (size_t)n;
    }
    return (unsigned char)r->buf[r->pos++];
}

bool rpc_pending(rpc_reader *r)
{
    if (r->pos < r->len)
        return true;
    struct pollfd p = {.fd = r->fd, .events = POLLIN};
    return !r->eof && poll(&p, 1, 0) > 0;
}

/* Reads one header line without its line end; false at end of stream. */
static bool read_line(rpc_reader *in, char *buf, size_t size, bool *too_long)
{
    size_t n = 0;
    int c;
    *too_long = false;
    while ((c = next_byte(in)) != EOF && c != '\n') {
        if (n + 1 < size)
            buf[n++] = (char)c;
        else
            *too_long = true;
    }
    if (c == EOF && n == 0)
        return false;
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return c != EOF || n > 0;
}

/* Reads header lines up to the empty one; -1 when Content-Length is missing
 * or malformed, -2 at end of stream. */
static long read_headers(rpc_reader *in)
{
    char line[1024];
    long length = -1;
    bool bad = false, any = false, too_long;
    while (read_line(in, line, sizeof line, &too_long)) {
        if (!line[0]) {
            if (!any)
                continue; /* stray blank lines between messages */
            return bad ? -1 : length;
        }
        any = true;
        if (!strncasecmp(line, "Content-Length:", 15)) {
            char *end;
            const char *v = line + 15;
            while (*v == ' ' || *v == '\t')
                v++;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 0 || too_long)
                bad = true;
            else
                length = n;
        }
    }
    return -2;
}

rpc_read_status rpc_read(rpc_reader *in, cJSON **msg)
{
    *msg = NULL;
    long length = read_headers(in);
    if (length == -2)
        return RPC_EOF;
    if (length < 0)
        return RPC_BAD_HEADER;
    bool keep = (unsigned long)length <= RPC_MAX_BODY;
    char *body = keep ? malloc((size_t)length + 1) : NULL;
    if (keep && !body)
        abort();
    for (long i = 0; i < length; i++) {
        int c = next_byte(in);
        if (c == EOF) {
            free(body);
            return RPC_EOF;
        }
        if (body)
            body[i] = (char)c;
    }
    if (!body)
        return RPC_INVALID;
    body[length] = '\0';
    *msg = cJSON_ParseWithLength(body, (size_t)length);
    free(body);
    return *msg ? RPC_OK : RPC_INVALID;
}

bool rpc_write(FILE *out, const cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (!text)
        abort();
    size_t n = strlen(text);
    bool ok = fprintf(out, "Content-Length: %zu\r\n\r\n", n) > 0 && fwrite(text, 1, n, out) == n &&
              fflush(out) == 0;
    free(text);
    return ok;
}

static cJSON *envelope(const cJSON *id)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
    return m;
}

bool rpc_reply(FILE *out, const cJSON *id, cJSON *result)
{
    cJSON *m = envelope(id);
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    bool ok = rpc_write(out, m);
    cJSON_Delete(m);
    return ok;
}

bool rpc_error(FILE *out, const cJSON *id, int code, const char *message)
{
    cJSON *m = envelope(id);
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", message);
    bool ok = rpc_write(out, m);
    cJSON_Delete(m);
    return ok;
}

bool rpc_notify(FILE *out, const char *method, cJSON *params)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    bool ok = rpc_write(out, m);
    cJSON_Delete(m);
    return ok;
}
