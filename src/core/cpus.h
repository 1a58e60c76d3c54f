/* cpus.h - whether a second thread would find a CPU of its own.
 *
 * A worker thread pays only when a CPU is idle: on a busy machine the
 * scheduler shares a fixed slice among our threads (autogroup), so a second
 * thread brings no CPU, only hand-offs (docs/decisions.md, "A second thread
 * only when a CPU is free"). */
#ifndef MIGRALINT_CPUS_H
#define MIGRALINT_CPUS_H

#include <pthread.h>
#include <stdbool.h>

/* MIGRALINT_THREADS=1: false; =2 or more: true when the process may run on
 * two CPUs; unset (or anything else): true when it may run on two CPUs and,
 * of the tasks runnable right now (/proc/loadavg, which counts this one),
 * those that are not this process's own threads started through
 * cpus_thread_start leave a CPU idle. Our own threads do not count: they
 * are short (libgit2's start-up, a cache entry read ahead) and the second
 * thread asked for would only share a CPU with them for a moment, where
 * another process's would take it for the whole run. */
bool cpus_spare(void);

/* Whether a short-lived second thread may run at all: MIGRALINT_THREADS is
 * not 1 and the process may run on two CPUs. The git reads and the replay
 * cache's read ahead ask this, not cpus_spare: they last milliseconds and
 * pay on a second CPU however busy it is (docs/git.md). */
bool cpus_two(void);

/* pthread_create(thread, NULL, fn, arg), the thread counted as this
 * process's own while fn runs (see cpus_spare). Returns 0 or an errno. */
int cpus_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
