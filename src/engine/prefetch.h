/* prefetch.h - parsing a migration set's steps ahead of the linter on a
 * second thread (issue 9). The main thread lints and replays migration i
 * while a worker parses migrations i+1..i+K with libpg_query; results are
 * handed over in order through a bounded queue, so the output is the same
 * as a sequential run. On when a CPU is idle for it (src/core/cpus.h). */
#ifndef MIGRALINT_PREFETCH_H
#define MIGRALINT_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../layout/layout.h"
#include "../sql/sql.h"

typedef struct prefetch prefetch;

/* Starts parsing set's up steps, and the down steps where need_down[i] says
 * so (need_down is copied). Returns NULL when the set is to be parsed on the
 * main thread: no idle CPU (cpus_spare), a tiny set, or no thread could be
 * started. */
prefetch *prefetch_start(const migration_set *set, const bool *need_down);
/* Hands over m's parsed steps (NULL where there is no step), waiting for
 * the worker if needed. False when m is not one of the set's migrations or
 * was already taken: the caller parses it itself. Migrations must be taken
 * in order; any skipped are freed by prefetch_stop. */
bool prefetch_take(prefetch *pf, const migration *m, sql_file **up, sql_file **down);
/* The names the steps taken last touch (catalog_touched_names of up, then
 * of down), collected by the worker, when up is that up step and there was
 * a down step; they live as long as up. False: collect them yourself. */
bool prefetch_names(prefetch *pf, const sql_file *up, const char ***names, size_t *n);
/* Frees f, on the worker when one runs (pf may be NULL). */
void prefetch_release(prefetch *pf, sql_file *f);
/* Stops the worker, waits for it, frees whatever was not taken. */
void prefetch_stop(prefetch *pf);

#endif
