/* embed.c - writes a C source that compiles files into the binary.
 *
 *   embed [-n PREFIX] OUTPUT FILE...
 *
 * OUTPUT defines, as declared in src/core/embedded.h:
 *
 *   const embedded_file ruledoc_files[] = { {"NAME", "CONTENTS", LEN}, ... };
 *   const size_t ruledoc_nfiles = N;
 *
 * (-n PREFIX names them PREFIX_files and PREFIX_nfiles instead, for another
 * set of files; the declarations are then the user's to write.)
 *
 * NAME is the file name without its directory; the entries are sorted by it
 * (strcmp order) and two files with one name are an error. CONTENTS is an
 * escaped C string literal, one literal per input line (long lines split),
 * so the output stays readable and diffable: backslash, double quote and
 * every byte outside printable ASCII are escaped (non-printables as
 * three-digit octal), and a '?' following a '?' is written \? because
 * -std=c11 turns on trigraphs. The output is written to OUTPUT.tmp and
 * renamed into place, so a failed run never leaves half a file behind.
 *
 * The generated file includes "../../src/core/embedded.h", a path relative
 * to build/gen/ where the Makefile puts it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 72 /* input bytes per string literal line, at most */

typedef struct input {
    const char *path;
    const char *name;
    unsigned char *data;
    size_t len;
} input;

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const input *)a)->name, ((const input *)b)->name);
}

static int read_file(input *in)
{
    FILE *f = fopen(in->path, "rb");
    if (!f) {
        fprintf(stderr, "embed: %s: %s\n", in->path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "embed: out of memory\n");
            fclose(f);
            return -1;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        cap *= 2;
        unsigned char *grown = realloc(buf, cap);
        if (!grown)
            free(buf);
        buf = grown;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "embed: %s: read error\n", in->path);
        free(buf);
        return -1;
    }
    in->data = buf;
    in->len = len;
    return 0;
}

/* Writes one C string literal covering data[0..n). */
static void put_literal(FILE *out, const unsigned char *data, size_t n)
{
    unsigned char prev = 0;
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = data[i];
        switch (c) {
        case '\\':
            fputs("\\\\", out);
            break;
        case '"':
            fputs("\\\"", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        case '?':
            fputs(prev == '?' ? "\\?" : "?", out);
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                fputc(c, out);
            else
                fprintf(out, "\\%03o", c);
        }
        prev = c;
    }
    fputc('"', out);
}

static void put_contents(FILE *out, const unsigned char *data, size_t len)
{
    if (len == 0) {
        fputs("        \"\"", out);
        return;
    }
    size_t start = 0;
    while (start < len) {
        /* Up to and including the next newline, at most CHUNK bytes. */
        size_t end = start;
        while (end < len && end - start < CHUNK && data[end] != '\n')
            end++;
        if (end < len && data[end] == '\n')
            end++;
        /* A "??" split across two literals is no trigraph: the quotes
         * stand between the two question marks. */
        fputs(start ? "\n        " : "        ", out);
        put_literal(out, data + start, end - start);
        start = end;
    }
}

int main(int argc, char **argv)
{
    const char *prefix = "ruledoc";
    if (argc >= 3 && strcmp(argv[1], "-n") == 0) {
        prefix = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: embed [-n PREFIX] OUTPUT [FILE...]\n");
        return 2;
    }
    const char *outpath = argv[1];
    size_t n = (size_t)(argc - 2);
    input *in = calloc(n ? n : 1, sizeof *in);
    if (!in) {
        fprintf(stderr, "embed: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        in[i].path = argv[i + 2];
        in[i].name = base_name(in[i].path);
        if (read_file(&in[i]) != 0)
            return 1;
    }
    qsort(in, n, sizeof *in, by_name);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(in[i - 1].name, in[i].name) == 0) {
            fprintf(stderr, "embed: two files named %s: %s and %s\n", in[i].name, in[i - 1].path,
                    in[i].path);
            return 1;
        }
    }

    size_t tmplen = strlen(outpath) + sizeof ".tmp";
    char *tmp = malloc(tmplen);
    if (!tmp) {
        fprintf(stderr, "embed: out of memory\n");
        return 1;
    }
    snprintf(tmp, tmplen, "%s.tmp", outpath);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "embed: %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    fputs("/* Generated by tools/embed.c; do not edit. */\n", out);
    fputs("#include \"../../src/core/embedded.h\"\n\n", out);
    fprintf(out, "const embedded_file %s_files[] = {\n", prefix);
    for (size_t i = 0; i < n; i++) {
        fputs("    {", out);
        put_literal(out, (const unsigned char *)in[i].name, strlen(in[i].name));
        fputs(",\n", out);
        put_contents(out, in[i].data, in[i].len);
        fprintf(out, ",\n        %zu},\n", in[i].len);
    }
    if (n == 0) /* C has no empty arrays; the count says there is nothing */
        fputs("    {0, 0, 0},\n", out);
    fputs("};\n\n", out);
    fprintf(out, "const size_t %s_nfiles = %zu;\n", prefix, n);

    int failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        fprintf(stderr, "embed: %s: write error\n", tmp);
        remove(tmp);
        return 1;
    }
    if (rename(tmp, outpath) != 0) {
        fprintf(stderr, "embed: rename %s to %s: %s\n", tmp, outpath, strerror(errno));
        remove(tmp);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        free(in[i].data);
    free(in);
    free(tmp);
    return 0;
}
