/* sched.h: runs a simulation from parameters to summary and series. */
#ifndef GOVSIM_SCHED_H
#define GOVSIM_SCHED_H

#include <signal.h>

#include "param.h"
#include "summary.h"

struct event;

struct sim_output {
    struct summary summary;
    struct series series;
    struct event *events;   /* per-request event log (output.event_log), grid by grid */
    size_t nevents;
    double wall_seconds;
};

/* Called after each simulated day with (ctx, days done, days total). */
typedef void (*sim_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Set (e.g. by a signal handler) to stop a run at the end of the current step. */
extern volatile sig_atomic_t sim_stop_requested;

/* Runs the model. Fills out (free with sim_output_free). Returns 0, or -1 with a
 * message if the run was stopped. */
int sim_run(const struct params *p, struct sim_output *out, sim_progress_fn progress, void *ctx,
            struct gs_error *err);
void sim_output_free(struct sim_output *out);

#endif
