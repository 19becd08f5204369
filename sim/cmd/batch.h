/* batch.h: many runs of the model, spread over OpenMP threads one run per thread.
 *
 * Used by every command that runs more than one simulation (sweep, compare,
 * calibrate, validate, and each worker rank of an MPI sweep). Each run is
 * deterministic on its own (its streams depend only on its parameters), so which
 * thread runs it never changes its result. A thread that is free takes the next
 * run from a source (a list, or a callback such as "ask MPI rank 0"); results are
 * handed to the caller one at a time, in completion order, so the caller may
 * write each one out before the next is accepted. */
#ifndef GOVSIM_BATCH_H
#define GOVSIM_BATCH_H

#include <stddef.h>

#include "sched.h"

/* Fills *p with the parameters of run i (called from any thread; must only
 * read shared state). Returns 0, or -1 with a message in err to stop the batch. */
typedef int (*batch_params_fn)(void *ctx, size_t i, struct params *p, struct gs_error *err);

/* Takes the result of run i. Calls are serialised (never two at once, nor at once
 * with a call of the source's next) but come in completion order, not index order.
 * Returns 0, or -1 with a message to stop. */
typedef int (*batch_result_fn)(void *ctx, size_t i, const struct params *p,
                               const struct sim_output *out, struct gs_error *err);

struct batch_opts {
    int threads;        /* runs at once; <= 0 means omp_get_max_threads() */
    int quiet;          /* no progress line (done/total, runs per second, time left) */
    const char *what;   /* progress label, a kind of run, e.g. "run" */
};

/* Hands out the runs: stores the next run index in *i and returns 1; returns 0 when
 * there are no more (it is not called again then), or -1 with a message in err to
 * stop the batch. Called by whichever thread is free, but never at once with
 * another call of next or of the result callback, so it may block (e.g. wait for
 * an MPI message; MPI_THREAD_SERIALIZED suffices for that and the result callback). */
typedef int (*batch_next_fn)(void *src, size_t *i, struct gs_error *err);

struct batch_source {
    batch_next_fn next;
    void *ctx;          /* passed to next */
    size_t total;       /* runs expected, for the progress line and messages; 0: not known */
};

/* Runs the runs the source hands out until it has no more. Returns 0 when all
 * finished; -1 with a message when a callback failed, a run failed or the batch was
 * stopped (sim_stop_requested). Results already handed over stay handed over. */
int batch_run_source(const struct batch_source *src, batch_params_fn params,
                     batch_result_fn result, void *ctx, const struct batch_opts *opts,
                     struct gs_error *err);

/* Runs the indices in todo[0..n) (or 0..n-1 when todo is NULL), handed out in that
 * order: batch_run_source with the list as source. */
int batch_run(size_t n, const size_t *todo, batch_params_fn params, batch_result_fn result,
              void *ctx, const struct batch_opts *opts, struct gs_error *err);

#endif
