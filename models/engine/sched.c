/* sched.c: the time step as phases, run inside one OpenMP parallel region.
 *
 * A day is run street by street. A street runs its day hour by hour (step by
 * step): in each step, each of its communities, community by community, applies
 * the outcomes its grids were left in the previous step, generates, takes in and
 * serves their requests, merges what its grids passed up and serves its own queue;
 * then the street merges what its communities passed up and serves its queue. So
 * within a street everything happens in the same order, step by step, as if the
 * whole city moved one step at a time; and a street's communities and grids stay
 * in their core's caches through the steps of the day (at Changchun scale, 24 rather
 * than 61 misses of a 1 MiB cache per request, and a year about a tenth faster
 * than when every step went over the whole city: docs/performance.md, Session 9;
 * the timing of the district's outcomes is the price, below). Threads share the streets in fixed
 * blocks, helping with each other's blocks at the end (each_street). The thread
 * that finishes the last street of the day runs the district's day, step by step,
 * on what the streets passed up in each step (a request passed up at hour t is
 * merged in the step containing t). Cases the district closes therefore reach
 * their households' satisfaction and trust at the end of the day (when every grid
 * applies its outcomes), not in the next hour: docs/ODD.md, "Process overview and
 * scheduling". One barrier ends the day; the barrier is our own (below), which
 * gives up the core soon instead of spinning on it. A grid's outcomes of step s are
 * applied at the start of step s+1, before its new requests arise, which is the
 * order "residents respond, then next step"; at the end of a day they are applied
 * at once so that the time series row sees them. Work of one grid or unit touches
 * only its own state and that of the grids below it, so the stages need no locks
 * and results do not depend on the number of threads. */
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
    int64_t steps_per_day;
    atomic_int_fast64_t stopped_at;   /* first day at whose end a stop was seen, or -1 */
    atomic_int_fast64_t streets_done; /* streets that have finished the day */
    struct block *blocks;             /* per thread: its streets */
    atomic_int_fast64_t *claimed;     /* per street: last pass it was claimed in + 1 */
    struct barrier barrier;
};

/* The streets of one thread: [lo, hi). In each pass over the streets its
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
    escalation_merge(w, LEVEL_COMMUNITY, c, t1, r);
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
    escalation_merge(w, level, j, t1, r);
    meetings_hold(w, level, j, t0, t1);
    tasks_step(w, level, j, t0, t1, r);
    service_run(w, level, j, t0, t1, r);
    double day_end;
    if (level < LEVEL_DISTRICT && ends_day(t1, &day_end)) {   /* idle hours to the task backlog */
        tasks_day(w, level, j, day_end);
        tasks_day_end(w, level, j);
    }
}

/* The hours of day `day`: step s of it runs from t(s) to t(s + 1). */
static double step_start(const struct run *run, int64_t day, int64_t s)
{
    return (double)(day * run->steps_per_day + s) * run->p->step_hours;
}

/* Street st has finished day `day`: if it was the last street to do so, runs the
 * district's day and the day's bookkeeping. */
static void street_done(struct run *run, int64_t day, gsl_rng *r)
{
    struct world *w = run->w;
    if (atomic_fetch_add(&run->streets_done, 1) + 1 < w->nunits[LEVEL_STREET])
        return;   /* another street is still busy; whoever finishes last goes on */
    atomic_store(&run->streets_done, 0);
    for (int64_t s = 0; s < run->steps_per_day; s++)
        step_upper(w, LEVEL_DISTRICT, 0, step_start(run, day, s), step_start(run, day, s + 1), r);
    summary_observe_day(w);   /* every unit is done: the day is over but for the barrier */
}

/* What is done to one street in a pass over all of them: its day or its end of day. */
typedef void street_fn(struct run *run, int64_t st, int64_t day, struct worker *k);

/* 1 if the calling thread is the first to claim street st in pass `pass`. */
static int claim(struct run *run, int64_t st, int64_t pass)
{
    return atomic_exchange(&run->claimed[st], pass + 1) != pass + 1;
}

/* Takes streets of block b from the top down until its owner is reached. */
static void take_from_top(struct run *run, struct block *b, int64_t pass, street_fn *fn,
                          int64_t day, struct worker *k)
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
        fn(run, next - 1, day, k);
    }
}

/* fn on every street, by the whole team; pass numbers the passes of the run.
 * Each thread runs its own block of streets (the same block in every pass, so that
 * their data stays in its core's caches), then helps with the others' blocks from
 * their far end, so that uneven work (or a core the machine gives to another
 * process for a while) does not leave a thread waiting. Which thread runs a street
 * changes no result: its draws come from its own streams, and what it hands to
 * the district is merged in a fixed order. */
static void each_street(struct run *run, int64_t pass, street_fn *fn, int64_t day, struct worker *k)
{
    int me = omp_get_thread_num(), n = run->barrier.nthreads;
    const struct block *b = &run->blocks[me];
    for (int64_t st = b->lo; st < b->hi && claim(run, st, pass); st++)
        fn(run, st, day, k);
    for (int i = 1; i < n; i++)
        take_from_top(run, &run->blocks[(me + i) % n], pass, fn, day, k);
}

/* The day of street st: its communities and then itself, step by step. */
static void street_day(struct run *run, int64_t st, int64_t day, struct worker *k)
{
    struct world *w = run->w;
    const int64_t *first = w->child_first[LEVEL_STREET];
    for (int64_t s = 0; s < run->steps_per_day; s++) {
        double t0 = step_start(run, day, s), t1 = step_start(run, day, s + 1);
        for (int64_t c = first[st]; c < first[st + 1]; c++)
            step_community(w, c, t0, t1, k);
        step_upper(w, LEVEL_STREET, st, t0, t1, k->r);
    }
    street_done(run, day, k->r);
}

/* Called by every thread of the team; ends with a barrier. */
static void sim_day(struct run *run, int64_t day, struct worker *k)
{
    each_street(run, 2 * day, street_day, day, k);
    int_fast64_t none = -1;
    if (sim_stop_requested)
        atomic_compare_exchange_strong(&run->stopped_at, &none, day);
    barrier_wait(&run->barrier);
}

/* The end of day `day` (1 = the first) for community c: apply all outcomes, record
 * the community's entries of the series row, and run its daily mechanisms of the
 * next day (co-building, micro-wishes, volunteers). */
static void community_end_of_day(struct run *run, int64_t c, int64_t day, struct worker *k)
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

static void street_end_of_day(struct run *run, int64_t st, int64_t day, struct worker *k)
{
    const int64_t *first = run->w->child_first[LEVEL_STREET];
    for (int64_t c = first[st]; c < first[st + 1]; c++)
        community_end_of_day(run, c, day, k);
}

/* End of a day, street by street; then one thread closes the series row and
 * reports progress. The next day's barrier orders that before anything reads the
 * row count. */
static void end_of_day(struct run *run, int64_t day, struct worker *k)
{
    each_street(run, 2 * day - 1, street_end_of_day, day, k);
    barrier_wait(&run->barrier);
    if (omp_get_thread_num() == 0) {
        if (day % run->p->output_interval_days == 0 || day == run->p->days)
            series_end_row(&run->out->series, (double)day);
        if (run->progress)
            run->progress(run->ctx, day, run->p->days);
    }
}

/* Equal blocks of consecutive streets, one per thread of the team. */
static void split_blocks(struct run *run, int nthreads)
{
    int64_t nc = run->w->nunits[LEVEL_STREET];
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

/* Days [from, to) of the run. */
static void run_day_range(struct run *run, int64_t from, int64_t to)
{
#pragma omp parallel
    {
#pragma omp single
        split_blocks(run, omp_get_num_threads());
        struct worker k = {rng_new(), {0}};
        for (int64_t day = from; day < to; day++) {
            sim_day(run, day, &k);
            /* Every thread reads this after the barrier ending the day; a stop seen
             * by a faster thread in the next day is not acted on yet. */
            int_fast64_t stop = atomic_load(&run->stopped_at);
            if (stop >= 0 && stop <= day)
                break;
            end_of_day(run, day + 1, &k);
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
        run_day_range(run, day, next);
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
    run->claimed = gs_calloc((size_t)run->w->nunits[LEVEL_STREET], sizeof *run->claimed);
}

int sim_run_checkpointed(const struct params *p, const struct sim_checkpoints *c,
                         struct sim_output *out, sim_progress_fn progress, void *ctx,
                         struct gs_error *err)
{
    double started = omp_get_wtime();
    struct run run = {p, NULL, out, progress, ctx, (int64_t)llround(24.0 / p->step_hours), -1, 0, NULL, NULL, {0}};
    if (start_world(&run, c, err) != 0)
        return -1;
    run_links(&run);
    run_days(&run, c, c && c->restart ? c->restart->day : 0);
    free(run.blocks);
    free(run.claimed);
    int rc = 0;
    int64_t stopped_at = atomic_load(&run.stopped_at);
    if (stopped_at >= 0)
        rc = gs_error_set(err, "run interrupted at day %lld of %lld",
                          (long long)stopped_at, (long long)p->days);
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
