/* cpus.h - whether a second thread would find a CPU of its own.
 *
 * A worker thread pays only when a CPU is idle: on a busy machine the
 * scheduler shares a fixed slice among our threads (autogroup), so a second
 * thread brings no CPU, only hand-offs (docs/decisions.md, "A second thread
 * only when a CPU is free"). */
#ifndef MIGRALINT_CPUS_H
#define MIGRALINT_CPUS_H

#include <stdbool.h>

/* MIGRALINT_THREADS=1: false; =2 or more: true when the process may run on
 * two CPUs; unset (or anything else): true when it may run on two CPUs and
 * fewer tasks are runnable right now than it has CPUs (/proc/loadavg,
 * which counts this one), so that one is idle. */
bool cpus_spare(void);

#endif
