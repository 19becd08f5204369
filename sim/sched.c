/* sched.c: the time step as a list of phases. */
#include "sched.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "phases.h"
#include "world.h"

volatile sig_atomic_t sim_stop_requested = 0;

static void sim_step(struct world *w, int64_t step, double t0, double t1)
{
    staff_turnover(w, t0);
    requests_arise(w, step, t0, t1);
    intake(w);
    for (int level = LEVEL_GRID; level < N_LEVELS; level++) {
        if (level > LEVEL_GRID)
            escalation_merge(w, level);
        meetings_hold(w, level, t0, t1);
        service_run_level(w, level, t0, t1);
    }
    residents_respond(w);
}

/* Moves the grids' event logs into the output, grid by grid. */
static void collect_events(struct world *w, struct sim_output *out)
{
    size_t n = 0;
    for (int64_t g = 0; g < w->p->grids; g++)
        n += w->grids[g].events.n;
    out->nevents = n;
    if (n == 0)
        return;
    out->events = gs_malloc(n * sizeof *out->events);
    size_t k = 0;
    for (int64_t g = 0; g < w->p->grids; g++) {
        memcpy(out->events + k, w->grids[g].events.a, w->grids[g].events.n * sizeof *out->events);
        k += w->grids[g].events.n;
    }
}

int sim_run(const struct params *p, struct sim_output *out, sim_progress_fn progress, void *ctx,
            struct gs_error *err)
{
    double started = omp_get_wtime();
    int64_t steps_per_day = (int64_t)llround(24.0 / p->step_hours);
    int64_t nsteps = p->days * steps_per_day;
    struct world *w = world_new(p);
    staff_init(w);
    series_init(&out->series, p);
    int rc = 0;
    for (int64_t step = 0; step < nsteps; step++) {
        if (sim_stop_requested) {
            rc = gs_error_set(err, "run interrupted at day %lld of %lld",
                              (long long)(step / steps_per_day), (long long)p->days);
            break;
        }
        sim_step(w, step, (double)step * p->step_hours, (double)(step + 1) * p->step_hours);
        if ((step + 1) % steps_per_day != 0)
            continue;
        int64_t day = (step + 1) / steps_per_day;
        summary_observe_day(w);
        if (day % p->output_interval_days == 0 || day == p->days)
            series_record(&out->series, w, (double)day);
        if (progress)
            progress(ctx, day, p->days);
    }
    if (rc == 0) {
        summary_compute(&out->summary, w);
        collect_events(w, out);
    }
    world_free(w);
    out->wall_seconds = omp_get_wtime() - started;
    return rc;
}

void sim_output_free(struct sim_output *out)
{
    series_free(&out->series);
    free(out->events);
    out->events = NULL;
    out->nevents = 0;
}
