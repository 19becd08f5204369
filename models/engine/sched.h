/* sched.h: runs a simulation from parameters to summary and series. */
#ifndef GOVSIM_SCHED_H
#define GOVSIM_SCHED_H

#include <signal.h>

#include "param.h"
#include "summary.h"

struct event;
struct ckpt_file;
struct gs_error;

struct sim_output {
    struct summary summary;
    struct series series;
    struct event *events;   /* per-request event log (output.event_log), grid by grid */
    size_t nevents;
    double wall_seconds;
};

/* Called after each simulated day with (ctx, days done, days total). */
typedef void (*sim_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Set (e.g. by a signal handler) to stop a run at the end of the current day. */
extern volatile sig_atomic_t sim_stop_requested;

/* Runs the model. Fills out (free with sim_output_free). Returns 0, or -1 with a
 * message if the run was stopped. */
int sim_run(const struct params *p, struct sim_output *out, sim_progress_fn progress, void *ctx,
            struct gs_error *err);

/* Checkpoints of a run (checkpoint.h): written after every `every_days` days (0:
 * none) to `path`, holding ps (whose p is the run's parameters); `written` is told
 * of each (err NULL) or of a failure to write one (the run goes on; the previous
 * checkpoint stays valid). With `restart`, the run continues from that checkpoint
 * instead of starting at day 0. */
struct sim_checkpoints {
    int64_t every_days;
    const char *path;
    const struct param_set *ps;
    const struct ckpt_file *restart;
    void (*written)(void *ctx, int64_t day, const char *path, const struct gs_error *err);
    void *ctx;
};

/* sim_run with checkpoints (c may be NULL: as sim_run). */
int sim_run_checkpointed(const struct params *p, const struct sim_checkpoints *c,
                         struct sim_output *out, sim_progress_fn progress, void *ctx,
                         struct gs_error *err);
void sim_output_free(struct sim_output *out);

#endif
