/* prefetch.c - the parse-ahead worker and its bounded queue (see
 * prefetch.h). The worker only reads the migration set and the sources'
 * text, which nothing writes while it runs, and allocates its results with
 * sql_file_parse (malloc, its own arena per file); the main thread frees
 * them. libpg_query keeps its memory context per thread and frees the
 * worker's from a thread-exit destructor, so the worker must not call
 * pg_query_exit itself (that would free it twice). */
#include "prefetch.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../core/cpus.h"

/* How far the worker may run ahead: enough to absorb a slow file, small
 * enough that parse trees of a 3,000-migration folder are never all alive. */
enum { PREFETCH_AHEAD = 16, PREFETCH_MIN_SET = 4 };
/* The worker, once it is PREFETCH_AHEAD migrations ahead, sleeps until
 * there is room for PREFETCH_RESUME more, and frees handed-back files by
 * batches: one wake-up per batch instead of one per migration and file
 * (a futex call and a context switch each: 2,600 of them a check of the
 * bench corpus). */
enum { PREFETCH_RESUME = 8, PREFETCH_FREE_BATCH = 32 };

typedef struct parsed_steps {
    sql_file *up, *down;
    /* With both steps: the names they touch, up's first, in up's arena:
     * what lint_one would otherwise collect on the main thread. */
    const char **names;
    size_t nnames;
} parsed_steps;

struct prefetch {
    const migration *items;
    int dialect; /* the set's sql_dialect */
    size_t count;
    bool *need_down;
    parsed_steps *slots;
    size_t produced, consumed;      /* guarded by mu */
    bool worker_idle, main_waiting; /* who sleeps on room / ready (guarded by mu) */
    parsed_steps last; /* the steps taken last, for prefetch_names (main thread only) */
    sql_file **done;   /* handed back, for the worker to free (guarded by mu) */
    size_t ndone, capdone;
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t room;  /* the worker waits here: room ahead, files to free, stop */
    pthread_cond_t ready; /* the main thread waits here for the migration it needs */
    pthread_t worker;
};

/* Parses a step and notes the names its statements touch, as a large
 * file's first parse does (catalog_touched_observe): the main thread then
 * reads the list instead of walking every tree (28 M instructions of the
 * bench corpus's 699 M, off the main thread). */
static sql_file *parse_step(const mig_part *part, int dialect)
{
    sql_file *f =
        part->src ? sql_file_parse_dialect(part->src, part->start, part->end, dialect) : NULL;
    if (f && !f->observed && !f->windows) {
        for (size_t i = 0; i < f->nstmts; i++)
            catalog_touched_observe(f, &f->stmts[i]);
        catalog_touched_observe(f, NULL);
    }
    return f;
}

/* Frees the files the main thread is done with. Freeing them here rather
 * than there keeps each thread on its own malloc arena: a free from the
 * other thread takes the arena's lock, once per parse-tree node. */
static void free_done(sql_file **batch, size_t n)
{
    for (size_t k = 0; k < n; k++)
        sql_file_free(batch[k]);
}

/* Whether the worker, asleep at migration i for want of room, is worth
 * waking (under mu): room for PREFETCH_RESUME more, or for what is left. */
static bool worth_parsing(const prefetch *pf, size_t i)
{
    size_t want = pf->count - i < PREFETCH_RESUME ? pf->count - i : PREFETCH_RESUME;
    return i < pf->count && i + want <= pf->consumed + PREFETCH_AHEAD;
}

/* Wakes the worker if it sleeps and has something to do (under mu). */
static void wake_worker(prefetch *pf)
{
    if (pf->worker_idle &&
        (pf->stop || pf->ndone >= PREFETCH_FREE_BATCH || worth_parsing(pf, pf->produced)))
        pthread_cond_signal(&pf->room);
}

static void *prefetch_run(void *arg)
{
    prefetch *pf = arg;
    sql_file **batch = NULL;
    size_t capbatch = 0;
    for (size_t i = 0;; i++) {
        pthread_mutex_lock(&pf->mu);
        while (!pf->stop && pf->ndone < PREFETCH_FREE_BATCH &&
               !(i < pf->count && i < pf->consumed + PREFETCH_AHEAD)) {
            pf->worker_idle = true;
            pthread_cond_wait(&pf->room, &pf->mu);
            pf->worker_idle = false;
        }
        bool stop = pf->stop;
        size_t n = pf->ndone;
        if (n > capbatch) {
            capbatch = pf->capdone;
            batch = realloc(batch, capbatch * sizeof *batch);
            if (!batch)
                abort();
        }
        for (size_t k = 0; k < n; k++)
            batch[k] = pf->done[k];
        pf->ndone = 0;
        bool room = i < pf->count && i < pf->consumed + PREFETCH_AHEAD;
        pthread_mutex_unlock(&pf->mu);
        free_done(batch, n);
        if (stop)
            break;
        if (!room) {
            i--; /* woken to free: parse i on the next round */
            continue;
        }
        const migration *m = &pf->items[i];
        parsed_steps s = {
            m->nup ? parse_step(&m->up[0], pf->dialect) : NULL,
            m->has_down && pf->need_down[i] ? parse_step(&m->down, pf->dialect) : NULL, NULL, 0};
        if (s.up && s.down) {
            s.nnames = catalog_touched_names(s.up, s.up->arena, &s.names, 0);
            s.nnames = catalog_touched_names(s.down, s.up->arena, &s.names, s.nnames);
        }
        pthread_mutex_lock(&pf->mu);
        pf->slots[i] = s;
        pf->produced = i + 1;
        if (pf->main_waiting)
            pthread_cond_signal(&pf->ready);
        pthread_mutex_unlock(&pf->mu);
    }
    free(batch);
    return NULL;
}

prefetch *prefetch_start(const migration_set *set, const bool *need_down)
{
    /* The worker runs when a CPU is idle for it, or MIGRALINT_THREADS=2
     * asks for it (src/core/cpus.h): on a busy machine a second thread
     * brings no CPU of its own, and parsing a migration on the main thread
     * as well rather than waiting for the worker (work stealing) was worse
     * still (docs/decisions.md, "A second thread only when a CPU is free"). */
    if (set->count < PREFETCH_MIN_SET || !cpus_spare())
        return NULL;
    prefetch *pf = calloc(1, sizeof *pf);
    if (!pf)
        abort();
    pf->items = set->items;
    pf->dialect = set->dialect;
    pf->count = set->count;
    pf->need_down = malloc(set->count * sizeof *pf->need_down);
    pf->slots = calloc(set->count, sizeof *pf->slots);
    if (!pf->need_down || !pf->slots)
        abort();
    for (size_t i = 0; i < set->count; i++)
        pf->need_down[i] = need_down[i];
    pthread_mutex_init(&pf->mu, NULL);
    pthread_cond_init(&pf->room, NULL);
    pthread_cond_init(&pf->ready, NULL);
    /* libpg_query sets its thread-exit key up in the first thread that
     * parses; doing that here, before the worker exists, keeps the two
     * threads from racing on it. */
    char empty[1] = "";
    sql_file_free(sql_file_parse(&(source){.path = empty, .text = empty}, 0, 0));
    if (cpus_thread_start(&pf->worker, prefetch_run, pf) != 0) {
        pf->worker = pthread_self();
        prefetch_stop(pf);
        return NULL;
    }
    return pf;
}

bool prefetch_take(prefetch *pf, const migration *m, sql_file **up, sql_file **down)
{
    if (!pf || m < pf->items || m >= pf->items + pf->count)
        return false;
    size_t i = (size_t)(m - pf->items);
    pthread_mutex_lock(&pf->mu);
    bool ok = i >= pf->consumed;
    if (ok) {
        pf->consumed = i + 1;
        wake_worker(pf);
        while (pf->produced <= i) {
            pf->main_waiting = true;
            pthread_cond_wait(&pf->ready, &pf->mu);
            pf->main_waiting = false;
        }
        *up = pf->slots[i].up;
        *down = pf->slots[i].down;
        pf->last = pf->slots[i];
        pf->slots[i] = (parsed_steps){NULL, NULL, NULL, 0};
    }
    pthread_mutex_unlock(&pf->mu);
    return ok;
}

bool prefetch_names(prefetch *pf, const sql_file *up, const char ***names, size_t *n)
{
    if (!pf || !up || pf->last.up != up || !pf->last.names)
        return false;
    *names = pf->last.names;
    *n = pf->last.nnames;
    return true;
}

void prefetch_release(prefetch *pf, sql_file *f)
{
    if (!f)
        return;
    if (!pf) {
        sql_file_free(f);
        return;
    }
    if (pf->last.up == f)
        pf->last = (parsed_steps){NULL, NULL, NULL, 0};
    pthread_mutex_lock(&pf->mu);
    if (pf->ndone == pf->capdone) {
        pf->capdone = pf->capdone ? pf->capdone * 2 : 64;
        pf->done = realloc(pf->done, pf->capdone * sizeof *pf->done);
        if (!pf->done)
            abort();
    }
    pf->done[pf->ndone++] = f;
    wake_worker(pf);
    pthread_mutex_unlock(&pf->mu);
}

void prefetch_stop(prefetch *pf)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->mu);
    pf->stop = true;
    pthread_cond_broadcast(&pf->room);
    pthread_mutex_unlock(&pf->mu);
    if (!pthread_equal(pf->worker, pthread_self()))
        pthread_join(pf->worker, NULL);
    for (size_t k = 0; k < pf->ndone; k++)
        sql_file_free(pf->done[k]);
    free(pf->done);
    for (size_t i = 0; i < pf->count; i++) {
        sql_file_free(pf->slots[i].up);
        sql_file_free(pf->slots[i].down);
    }
    pthread_cond_destroy(&pf->room);
    pthread_cond_destroy(&pf->ready);
    pthread_mutex_destroy(&pf->mu);
    free(pf->slots);
    free(pf->need_down);
    free(pf);
}
