/* exitcode.h - the process exit codes promised in DESIGN.md. */
#ifndef MIGRALINT_EXITCODE_H
#define MIGRALINT_EXITCODE_H

enum {
    EXIT_CLEAN = 0,    /* no finding at or above --fail-on */
    EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    EXIT_USAGE = 2,    /* bad arguments or configuration */
    EXIT_INPUT = 3,    /* input that could not be read */
};

#endif
