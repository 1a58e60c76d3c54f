/* cpus.c - whether a second thread would find a CPU of its own (see
 * cpus.h). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "cpus.h"

#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The CPUs this process may run on: a container's or taskset's mask, not
 * the machine's count. */
static long cpus_usable(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set);
    return sysconf(_SC_NPROCESSORS_ONLN);
}

/* The tasks runnable at this instant, this one included: the fourth field
 * of /proc/loadavg ("1.02 0.98 0.91 2/311 4567"). 0 when unknown. */
static long cpus_runnable(void)
{
    char buf[128];
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    long running = 0;
    return sscanf(buf, "%*f %*f %*f %ld/", &running) == 1 ? running : 0;
}

/* This process's threads started by cpus_thread_start, while they run. */
static atomic_int cpus_own;

typedef struct counted {
    void *(*fn)(void *);
    void *arg;
} counted;

static void *counted_main(void *p)
{
    counted c = *(counted *)p;
    free(p);
    void *r = c.fn(c.arg);
    atomic_fetch_sub(&cpus_own, 1);
    return r;
}

int cpus_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
    counted *c = malloc(sizeof *c);
    if (!c)
        abort();
    *c = (counted){fn, arg};
    atomic_fetch_add(&cpus_own, 1);
    int rc = pthread_create(thread, NULL, counted_main, c);
    if (rc != 0) {
        atomic_fetch_sub(&cpus_own, 1);
        free(c);
    }
    return rc;
}

/* MIGRALINT_THREADS as a number: 0 when unset or not a number. */
static long threads_asked(void)
{
    const char *env = getenv("MIGRALINT_THREADS");
    char *end = NULL;
    long want = env && *env ? strtol(env, &end, 10) : 0;
    return end && *end == '\0' ? want : 0;
}

bool cpus_two(void)
{
    return threads_asked() != 1 && cpus_usable() >= 2;
}

bool cpus_spare(void)
{
    long want = threads_asked();
    if (want == 1)
        return false;
    long usable = cpus_usable();
    if (usable < 2)
        return false;
    if (want > 1)
        return true;
    long runnable = cpus_runnable(), own = atomic_load(&cpus_own);
    bool spare = runnable - own < usable;
    if (getenv("MIGRALINT_DEBUG_CPUS")) /* bench/busy.sh, tests */
        fprintf(stderr, "migralint: debug: %ld CPUs, %ld tasks runnable, %ld of them ours: %s\n",
                usable, runnable, own, spare ? "a second thread" : "one thread");
    return spare;
}
