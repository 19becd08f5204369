/* sched.c: the time step as phases, run inside one OpenMP parallel region.
 *
 * In a step [t0, t1) threads share the communities in fixed blocks (static
 * schedule): a community is done by the same thread every step, so its grids'
 * state stays in that core's cache (with a dynamic schedule every step moved it
 * between cores, and a Changchun-scale year took 20% longer). For each
 * community, each of its grids applies the outcomes left from the previous step,
 * generates, takes in and serves its requests; then the community merges what its
 * grids passed up and serves its own queue. The thread that finishes the last
 * community of a street goes on to merge and serve that street, and the thread
 * that finishes the last street does the district and the step's bookkeeping
 * (counted with atomic counters, so a unit runs only once all its children have
 * finished the step). One barrier ends the step. This keeps synchronisation to
 * one barrier per step, which matters when the cores are shared; the barrier is
 * our own (below), which gives up the core soon instead of spinning on it.
 * A grid's outcomes of step s are applied at the start of step s+1, before its
 * new requests arise, which is the order "residents respond, then next step";
 * at the end of a day that is output, they are applied at once so that the time
 * series row sees them. Work of one grid or unit touches only its own state and
 * that of the grids below it, so the stages need no locks and results do not
 * depend on the number of threads. */
#include "sched.h"

#include <math.h>
#include <omp.h>
#include <threads.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "error.h"
#include "phases.h"
#include "rng.h"
#include "world.h"

volatile sig_atomic_t sim_stop_requested = 0;

/* A barrier for the team of the run. A waiting thread spins briefly, then yields
 * its core: when the machine's cores are shared with other work, the thread being
 * waited for may need exactly that core (OpenMP's own barriers spin far longer,
 * which makes a 2-thread run on 2 busy cores many times slower than 1 thread). The
 * sequentially consistent atomics order all memory writes before the barrier
 * before all reads after it. */
struct barrier {
    atomic_int arrived;
    atomic_uint phase;
    int nthreads;
};

enum { BARRIER_SPINS = 4000 };

static void barrier_wait(struct barrier *b)
{
    unsigned phase = atomic_load(&b->phase);
    if (atomic_fetch_add(&b->arrived, 1) + 1 == b->nthreads) {
        atomic_store(&b->arrived, 0);
        atomic_store(&b->phase, phase + 1);
        return;
    }
    for (int i = 0; atomic_load(&b->phase) == phase; i++)
        if (i >= BARRIER_SPINS)
            thrd_yield();
}

/* Volunteers and co-building of community c, once a day at 00:00. */
static void community_day(struct world *w, int64_t c, int64_t day, gsl_rng *r)
{
    cobuild_day(w, c, day, r);
    microwish_day(w, c, day, r);
    members_refill(w, c, day, r);
}

struct run {
    const struct params *p;
    struct world *w;
    struct sim_output *out;
    sim_progress_fn progress;
    void *ctx;
    int64_t steps_per_day, nsteps;
    atomic_int_fast64_t stopped_at;   /* first step at whose end a stop was seen, or -1 */
    atomic_int_fast64_t *children_done[N_LEVELS];   /* per unit, this step */
    struct block *blocks;                           /* per thread: its communities */
    atomic_int_fast64_t *claimed;                   /* per community: last pass it was claimed in + 1 */
    int64_t *parent[N_LEVELS];                      /* per unit below the district */
    struct barrier barrier;
};

/* The communities of one thread: [lo, hi). In each pass over the communities its
 * owner runs them from lo upwards; a thread that has finished its own block takes
 * them from the top downwards. `top` packs the pass (high 40 bits) with one past the
 * next index to take from the top (low 24 bits), so that a value left from an
 * earlier pass reads as "nothing taken yet". */
struct block {
    _Alignas(64) int64_t lo, hi;
    atomic_uint_fast64_t top;
};

enum { TOP_BITS = 24 };

/* What one thread of the team owns: its generator and a buffer of new requests. */
struct worker {
    gsl_rng *r;
    struct reqvec fresh;
};

/* 1 if a step ending at t1 ends a day (step_hours divides 24); *day_end: that hour. */
static int ends_day(double t1, double *day_end)
{
    *day_end = 24.0 * round(t1 / 24.0);
    return fabs(t1 - *day_end) < 1e-6;
}

static void step_community(struct world *w, int64_t c, double t0, double t1, struct worker *k)
{
    const int64_t *first = w->child_first[LEVEL_COMMUNITY];
    gsl_rng *r = k->r;
    if (staff_turnover_due(w, t0)) {   /* at the start of the step, as for every unit */
        staff_turnover(w, LEVEL_COMMUNITY, c, t0, r);
        for (int64_t g = first[c]; g < first[c + 1]; g++)
            staff_turnover(w, LEVEL_GRID, g, t0, r);
    }
    /* Most grids have nothing to do in a step: the tests whether they have (which
     * the functions also make) are made here, from compact per-grid arrays, so that
     * an idle grid costs a few loads and no calls. */
    const uint8_t *has_outcomes = w->has_outcomes;
    const double *next_arrival = w->next_arrival, *wake = w->wake[LEVEL_GRID],
                 *task_wake = w->task_wake[LEVEL_GRID];
    for (int64_t g = first[c]; g < first[c + 1]; g++) {   /* start the cache misses together */
        int arrivals = next_arrival[g] < t1;
        if (arrivals)
            __builtin_prefetch(&w->grids[g], 1);
        if (has_outcomes[g])
            residents_prefetch(w, g);
        if (arrivals || wake[g] < t1)
            service_prefetch(w, LEVEL_GRID, g, arrivals, t1);
    }
    for (int64_t g = first[c]; g < first[c + 1]; g++) {
        if (has_outcomes[g])
            residents_respond(w, g);
        if (next_arrival[g] < t1 && requests_arise(w, g, t1, &k->fresh, r) > 0)
            intake(w, g, &k->fresh, r);
        if (task_wake[g] < t1)
            tasks_step(w, LEVEL_GRID, g, t0, t1, r);
        if (wake[g] < t1)
            service_run(w, LEVEL_GRID, g, t0, t1, r);
    }
    escalation_merge(w, LEVEL_COMMUNITY, c, r);
    tasks_step(w, LEVEL_COMMUNITY, c, t0, t1, r);
    service_run(w, LEVEL_COMMUNITY, c, t0, t1, r);
    double day_end;
    if (ends_day(t1, &day_end)) {   /* the day's last step: idle hours to tasks, then proactive work */
        for (int64_t g = first[c]; g < first[c + 1]; g++)
            tasks_day(w, LEVEL_GRID, g, day_end);
        tasks_day(w, LEVEL_COMMUNITY, c, day_end);
        visits_day(w, c, day_end);
        for (int64_t g = first[c]; g < first[c + 1]; g++)
            tasks_day_end(w, LEVEL_GRID, g);
        tasks_day_end(w, LEVEL_COMMUNITY, c);
    }
}

static void step_upper(struct world *w, int level, int64_t j, double t0, double t1, gsl_rng *r)
{
    escalation_merge(w, level, j, r);
    meetings_hold(w, level, j, t0, t1);
    tasks_step(w, level, j, t0, t1, r);
    service_run(w, level, j, t0, t1, r);
    double day_end;
    if (level < LEVEL_DISTRICT && ends_day(t1, &day_end)) {   /* idle hours to the task backlog */
        tasks_day(w, level, j, day_end);
        tasks_day_end(w, level, j);
    }
}

/* Unit j at `level` has finished the step: if it was the last child of its parent
 * to do so, runs the parent, and so on up. */
static void finish_unit(struct run *run, int level, int64_t j, int64_t step, gsl_rng *r)
{
    struct world *w = run->w;
    double t0 = (double)step * run->p->step_hours, t1 = (double)(step + 1) * run->p->step_hours;
    while (level + 1 < N_LEVELS) {
        int64_t parent = run->parent[level][j];
        int64_t nchildren = w->child_first[level + 1][parent + 1] - w->child_first[level + 1][parent];
        if (atomic_fetch_add(&run->children_done[level + 1][parent], 1) + 1 < nchildren)
            return;   /* a sibling is still busy; whoever finishes last goes on */
        atomic_store(&run->children_done[level + 1][parent], 0);
        level++;
        j = parent;
        step_upper(w, level, j, t0, t1, r);
    }
    /* the district is done, so is every unit: the step is over but for the barrier */
    if ((step + 1) % run->steps_per_day == 0)
        summary_observe_day(w);
}

/* What is done to one community in a pass over all of them: a step or an end of day. */
typedef void community_fn(struct run *run, int64_t c, int64_t when, struct worker *k);

/* 1 if the calling thread is the first to claim community c in pass `pass`. */
static int claim(struct run *run, int64_t c, int64_t pass)
{
    return atomic_exchange(&run->claimed[c], pass + 1) != pass + 1;
}

/* Takes communities of block b from the top down until its owner is reached. */
static void take_from_top(struct run *run, struct block *b, int64_t pass, community_fn *fn,
                          int64_t when, struct worker *k)
{
    uint_fast64_t stamp = (uint_fast64_t)pass << TOP_BITS, mask = ((uint_fast64_t)1 << TOP_BITS) - 1;
    for (;;) {
        uint_fast64_t v = atomic_load(&b->top);
        int64_t next = (v & ~mask) == stamp ? (int64_t)(v & mask) : b->hi;   /* one past the next */
        if (next <= b->lo)
            return;
        if (!atomic_compare_exchange_weak(&b->top, &v, stamp | (uint_fast64_t)(next - 1)))
            continue;
        if (!claim(run, next - 1, pass))
            return;   /* the owner has come this far */
        fn(run, next - 1, when, k);
    }
}

/* fn on every community, by the whole team; pass numbers the passes of the run.
 * Each thread runs its own block of communities (the same block in every pass, so
 * that their data stays in its core's caches), then helps with the others' blocks
 * from their far end, so that uneven work (or a core the machine gives to another
 * process for a while) does not leave a thread waiting. Which thread runs a
 * community changes no result: its draws come from its own streams, and what it
 * hands to the levels above is merged in a fixed order. */
static void each_community(struct run *run, int64_t pass, community_fn *fn, int64_t when,
                           struct worker *k)
{
    int me = omp_get_thread_num(), n = run->barrier.nthreads;
    const struct block *b = &run->blocks[me];
    for (int64_t c = b->lo; c < b->hi && claim(run, c, pass); c++)
        fn(run, c, when, k);
    for (int i = 1; i < n; i++)
        take_from_top(run, &run->blocks[(me + i) % n], pass, fn, when, k);
}

static void step_one(struct run *run, int64_t c, int64_t step, struct worker *k)
{
    double t0 = (double)step * run->p->step_hours, t1 = (double)(step + 1) * run->p->step_hours;
    step_community(run->w, c, t0, t1, k);
    finish_unit(run, LEVEL_COMMUNITY, c, step, k->r);
}

/* Called by every thread of the team; ends with a barrier. */
static void sim_step(struct run *run, int64_t step, struct worker *k)
{
    each_community(run, 2 * step, step_one, step, k);
    int_fast64_t none = -1;
    if (sim_stop_requested)
        atomic_compare_exchange_strong(&run->stopped_at, &none, step);
    barrier_wait(&run->barrier);
}

/* The end of a day for community c: apply all outcomes, record the community's
 * entries of the series row, and run its daily mechanisms of the next day
 * (co-building, micro-wishes, volunteers). */
static void day_one(struct run *run, int64_t c, int64_t day, struct worker *k)
{
    struct world *w = run->w;
    const int64_t *first = w->child_first[LEVEL_COMMUNITY];
    for (int64_t g = first[c]; g < first[c + 1]; g++)
        residents_respond(w, g);
    residents_day(w, c, day);
    if (day % run->p->output_interval_days == 0 || day == run->p->days)
        series_record(&run->out->series, w, c);
    if (day < run->p->days)
        community_day(w, c, day, k->r);
}

/* End of a day, community by community; then one thread closes the series row and
 * reports progress. The next step's barrier orders that before anything reads the
 * row count. */
static void end_of_day(struct run *run, int64_t day, struct worker *k)
{
    each_community(run, 2 * (day * run->steps_per_day - 1) + 1, day_one, day, k);
    barrier_wait(&run->barrier);
    if (omp_get_thread_num() == 0) {
        if (day % run->p->output_interval_days == 0 || day == run->p->days)
            series_end_row(&run->out->series, (double)day);
        if (run->progress)
            run->progress(run->ctx, day, run->p->days);
    }
}

/* Equal blocks of consecutive communities, one per thread of the team. */
static void split_blocks(struct run *run, int nthreads)
{
    int64_t nc = run->w->nunits[LEVEL_COMMUNITY];
    GS_ASSERT(nc < ((int64_t)1 << TOP_BITS));
    run->barrier.nthreads = nthreads;
    free(run->blocks);
    run->blocks = gs_aligned_calloc(_Alignof(struct block), (size_t)nthreads, sizeof *run->blocks);
    for (int i = 0; i < nthreads; i++) {
        run->blocks[i].lo = nc * i / nthreads;
        run->blocks[i].hi = nc * (i + 1) / nthreads;
        atomic_init(&run->blocks[i].top, ~(uint_fast64_t)0);   /* no pass of a run has this stamp */
    }
}

/* Steps [from, to) of the run, ending with the end of a day. */
static void run_steps(struct run *run, int64_t from, int64_t to)
{
#pragma omp parallel
    {
#pragma omp single
        split_blocks(run, omp_get_num_threads());
        struct worker k = {rng_new(), {0}};
        for (int64_t step = from; step < to; step++) {
            sim_step(run, step, &k);
            /* Every thread reads this after the barrier ending the step; a stop
             * seen by a faster thread in the next step is not acted on yet. */
            int_fast64_t stop = atomic_load(&run->stopped_at);
            if (stop >= 0 && stop <= step)
                break;
            if ((step + 1) % run->steps_per_day == 0)
                end_of_day(run, (step + 1) / run->steps_per_day, &k);
        }
        gsl_rng_free(k.r);
        reqvec_free(&k.fresh);
    }
}

/* The days from `day0`, in stretches that end at a checkpoint (the end of the
 * parallel region orders every write of the stretch before the checkpoint's). */
static void run_days(struct run *run, const struct sim_checkpoints *c, int64_t day0)
{
    int64_t every = c && c->every_days > 0 ? c->every_days : run->p->days;
    for (int64_t day = day0; day < run->p->days && atomic_load(&run->stopped_at) < 0;) {
        int64_t next = (day / every + 1) * every;
        if (next > run->p->days)
            next = run->p->days;
        run_steps(run, day * run->steps_per_day, next * run->steps_per_day);
        day = next;
        if (c && c->every_days > 0 && day < run->p->days && atomic_load(&run->stopped_at) < 0) {
            struct gs_error err;
            int rc = ckpt_save(c->path, c->ps, run->w, &run->out->series, day, &err);
            if (c->written)
                c->written(c->ctx, day, c->path, rc == 0 ? NULL : &err);
        }
    }
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

/* Each grid's first request time (requests.c), from the grid's own stream. */
static void first_arrivals(struct world *w)
{
#pragma omp parallel
    {
        gsl_rng *r = rng_new();
#pragma omp for schedule(static)
        for (int64_t g = 0; g < w->p->grids; g++)
            requests_first_arrival(w, g, r);
        gsl_rng_free(r);
    }
}

/* Each unit's first top-down task (tasks.c, from the unit's own stream), each
 * grid's detection hazard from its planned patrols (visits.c) and the communities
 * with a first secretary (casework.c). */
static void workload_start(struct world *w)
{
    gsl_rng *r = rng_new();
    for (int l = 0; l < N_LEVELS; l++)
        for (int64_t j = 0; j < w->nunits[l]; j++)
            tasks_init(w, l, j, r);
    gsl_rng_free(r);
    visits_init(w);
    casework_init(w);
    residents_init(w);
}

/* A new world at day 0, or at the checkpoint's day: the constant parts are built
 * from the parameters, the state is then the checkpoint's. */
static int start_world(struct run *run, const struct sim_checkpoints *c, struct gs_error *err)
{
    run->w = world_new(run->p, err);
    if (!run->w)
        return -1;
    first_arrivals(run->w);
    workload_start(run->w);
    staff_init(run->w);
    series_init(&run->out->series, run->p);
    gsl_rng *r = rng_new();
    for (int64_t c = 0; c < run->w->nunits[LEVEL_COMMUNITY]; c++)
        community_day(run->w, c, 0, r);
    gsl_rng_free(r);
    if (c && c->restart && ckpt_restore(c->restart, run->w, &run->out->series, err) != 0) {
        world_free(run->w);
        run->w = NULL;
        return -1;
    }
    return 0;
}

static void run_links(struct run *run)
{
    run->claimed = gs_calloc((size_t)run->w->nunits[LEVEL_COMMUNITY], sizeof *run->claimed);
    for (int l = 0; l < N_LEVELS; l++) {
        if (l > 0)
            run->children_done[l] = gs_calloc((size_t)run->w->nunits[l], sizeof(atomic_int_fast64_t));
        if (l + 1 < N_LEVELS) {
            run->parent[l] = gs_malloc((size_t)run->w->nunits[l] * sizeof(int64_t));
            for (int64_t j = 0; j < run->w->nunits[l]; j++)
                run->parent[l][j] = world_parent(run->w, l, j);
        }
    }
}

int sim_run_checkpointed(const struct params *p, const struct sim_checkpoints *c,
                         struct sim_output *out, sim_progress_fn progress, void *ctx,
                         struct gs_error *err)
{
    double started = omp_get_wtime();
    struct run run = {p, NULL, out, progress, ctx, (int64_t)llround(24.0 / p->step_hours), 0, -1, {0}, NULL, NULL, {0}, {0}};
    run.nsteps = p->days * run.steps_per_day;
    if (start_world(&run, c, err) != 0)
        return -1;
    run_links(&run);
    run_days(&run, c, c && c->restart ? c->restart->day : 0);
    for (int l = 0; l < N_LEVELS; l++) {
        free(run.children_done[l]);
        free(run.parent[l]);
    }
    free(run.blocks);
    free(run.claimed);
    int rc = 0;
    int64_t stopped_at = atomic_load(&run.stopped_at);
    if (stopped_at >= 0)
        rc = gs_error_set(err, "run interrupted at day %lld of %lld",
                          (long long)(stopped_at / run.steps_per_day), (long long)p->days);
    else {
        summary_compute(&out->summary, run.w);
        collect_events(run.w, out);
    }
    world_free(run.w);
    out->wall_seconds = omp_get_wtime() - started;
    return rc;
}

int sim_run(const struct params *p, struct sim_output *out, sim_progress_fn progress, void *ctx,
            struct gs_error *err)
{
    return sim_run_checkpointed(p, NULL, out, progress, ctx, err);
}

void sim_output_free(struct sim_output *out)
{
    series_free(&out->series);
    free(out->events);
    out->events = NULL;
    out->nevents = 0;
}
