/* util.h - what the libFuzzer targets share: a private scratch folder
 * to write each input into, so a target can drive the program through the
 * same entry points the command line uses (files on disk, cli_parse). */
#ifndef MIGRALINT_FUZZ_UTIL_H
#define MIGRALINT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* The scratch folder (made once, under $TMPDIR, removed at exit); the
 * process's working directory is set to it, outside any git repository. */
const char *fuzz_scratch(void);
/* Writes data to scratch/rel (creating parent folders); returns the full
 * path, valid until the next call. Aborts on failure: a harness bug. */
const char *fuzz_write(const char *rel, const uint8_t *data, size_t size);
/* Runs the command line argv (argv[0] included) in process, as main.c would,
 * and returns the exit code; anything but 0..3 aborts, so the fuzzer stops. */
int fuzz_run_cli(int argc, const char **argv);

#endif
