/* service.c: staff serve their queues.
 *
 * Within a step, each unit runs a small discrete-event loop in continuous time:
 * the earliest-free server takes the head of the queue (first come, first served
 * by the time the request entered the level) as soon as it is on duty. A request
 * the level cannot resolve takes a short triage and is passed up; one that has
 * waited past its patience is abandoned; one that has waited past the overdue
 * limit is passed up unserved. A job's work content is in duty hours: work begun
 * during a shift pauses at the shift's end and goes on at the next duty hour, so a
 * server is never busy for longer than it is on duty. Top-down tasks (tasks.c) may
 * have pushed a server's free_at beyond its job's end (job_end): the job completes at
 * job_end, and the queue waits for the task work. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "expiry.h"
#include "phases.h"
#include "rng.h"
#include "shift.h"
#include "srvindex.h"

static double job_duration(const struct world *w, const struct request *q, gsl_rng *r)
{
    const struct params *p = w->p;
    rng_stream_set(r, (uint64_t)p->seed, RNG_SERVICE, q->id, q->level, q->contacts);
    if (q->level < q->need) {
        double triage = p->triage_hours;
        if (q->level == LEVEL_GRID && w->grids[q->grid].app)
            triage *= p->app_triage_factor;
        return triage > 0 ? rng_exponential(r, triage) : 0.0;
    }
    double mean = p->cat[q->category].service_hours * p->level_service_factor[q->level];
    if (q->level == LEVEL_COMMUNITY && !p->ab_posts)
        mean *= p->specialist_factor;
    if (p->service_cv == 1.0)
        return rng_exponential(r, mean);
    double shape = 1.0 / (p->service_cv * p->service_cv);
    return gsl_ran_gamma(r, shape, mean / shape);
}

static void complete_job(struct world *w, struct unit *u, struct server *s, gsl_rng *r)
{
    if (!s->busy)
        return;
    s->busy = 0;
    if (s->job.level < s->job.need)
        escalation_pass_up(w, u, &s->job, s->job_end);
    else
        casework_after_job(w, u, &s->job, s->job_end, r);
}

static void begin_job(struct world *w, struct unit *u, struct server *s,
                      const struct request *q, double start, gsl_rng *r)
{
    double d = job_duration(w, q, r) * staff_speed_factor(w, s, start);
    world_log(w, q, EV_STARTED, start);
    s->busy = 1;
    s->job = *q;
    s->job_start = start;
    s->free_at = s->job_end = shift_add_duty(s->shift, start, d);
    u->next_job_end = time_min(u->next_job_end, s->job_end);
    server_set_ready(u, s);
    world_note_departure(w, u, q, start, s->free_at, 0);
    u->jobs++;
    double h = s->free_at <= w->horizon ? d : shift_duty_hours(s->shift, start, w->horizon);
    u->busy_hours += h;
    u->hours_requests += h;
}

/* The first duty hour of shift sh from `from`, remembered in the unit (pure function
 * of its arguments: the same number as calling shift_next_on_duty). */
static double first_duty(struct unit *u, const struct shift *sh, double from)
{
    if (u->duty_from != from) {
        u->duty_from = from;
        u->duty_shift[0] = u->duty_shift[1] = NULL;
    }
    int k = u->duty_shift[0] == sh || u->duty_shift[0] == NULL ? 0 : 1;
    if (u->duty_shift[k] != sh) {
        u->duty_shift[k] = sh;
        u->duty_at[k] = shift_next_on_duty(sh, from);
    }
    return u->duty_at[k];
}

/* The server that can start a request that entered at `entered` soonest, on its
 * own shift; ties go to the one free earliest, then to the lowest index. A server
 * can start at shift_next_on_duty(its shift, max(free_at, vacant_until, entered, t0)):
 * that is its `ready` time when ready >= max(entered, t0), and otherwise the first
 * duty hour of its shift from max(entered, t0), the same for every server on that
 * shift (at most two shifts per unit), so the calendar is consulted at most twice,
 * and not again while `from` stays the same (first_duty). Large pooled units use
 * the server index (srvindex.h) instead of the scan. */
static struct server *earliest_start(struct unit *u, int pool, double entered, double t0,
                                     double *start)
{
    struct server *best = NULL;
    double from = entered > t0 ? entered : t0;
    if (u->npools == 1 && u->nservers >= SRVINDEX_MIN_SERVERS)
        return srvindex_earliest(u, from, start);
    for (int i = pool; i < u->nservers; i += u->npools) {
        struct server *s = &u->servers[i];
        double t = s->ready;
        if (t < from)
            t = first_duty(u, s->shift, from);
        if (!best || t < *start || (t == *start && s->free_at < best->free_at)) {
            best = s;
            *start = t;
        }
    }
    return best;
}

/* Leaves the queue without service at its expiry time: abandoned or passed up.
 * The expiry can precede the time the request entered the level: patience that ran
 * out while it was being triaged below shows only when it is handed on. Such a
 * request is abandoned on entering, at max(give_up, entered): it counts as arriving
 * and being abandoned at this level with a wait and a time at the level of zero, never
 * negative. (Overdue and deadline expiries are entered + a non-negative limit.) */
static void expire(struct world *w, struct unit *u, struct request *q)
{
    double e = service_expiry(w, q);
    double t = time_max(e, q->entered);
    int abandoned = q->give_up <= e;
    world_note_departure(w, u, q, t, t, abandoned);
    if (abandoned)
        residents_record_outcome(w, q, OUT_ABANDONED, t);
    else
        escalation_pass_up(w, u, q, t);
}

/* Every request still queued at t1 could not have started before t1, so those
 * whose expiry falls before t1 leave now, in queue-array order. Skipped while
 * nothing can expire. The district's queue is long (thousands at city scale) and
 * something expires there nearly every step, and it runs while the other threads
 * wait at the barrier: so the scan reads only what decides the expiry (a request
 * at the district, or with neither overdue nor time limits, expires at give_up),
 * and the requests kept move in runs (memmove) rather than one by one. */
static void expire_waiting(struct world *w, struct unit *u, double t1)
{
    if (u->next_expiry >= t1)
        return;
    const struct params *p = w->p;
    int give_up_only = u->level == LEVEL_DISTRICT || (!p->overdue_enabled && !p->time_limit_enabled);
    struct reqheap *h = &u->queue;
    struct request *a = h->a;
    size_t n = h->n, kept = 0, run = 0;   /* a[run, i) are kept and not yet moved to a[kept, ...) */
    double next = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double e = give_up_only ? a[i].give_up : service_expiry(w, &a[i]);
        if (!(e < t1)) {
            if (e < next)
                next = e;
            continue;
        }
        struct request q = a[i];
        if (kept != run)
            memmove(a + kept, a + run, (i - run) * sizeof *a);
        kept += i - run;
        run = i + 1;
        expire(w, u, &q);
    }
    if (run > 0) {   /* something expired: move the last run, restore heap order */
        if (kept != run)
            memmove(a + kept, a + run, (n - run) * sizeof *a);
        h->n = kept + (n - run);
        reqheap_rebuild(h);
    }
    u->next_expiry = next;
}

/* The next request of a pool: the heap's head when the staff are pooled, else the
 * earliest (time entered, id) among the pool's categories. SIZE_MAX if none. */
static size_t pool_head(const struct unit *u, int pool)
{
    const struct reqheap *h = &u->queue;
    if (u->npools == 1)
        return h->n ? 0 : SIZE_MAX;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < h->n; i++) {
        const struct request *q = &h->a[i];
        if (q->category % u->npools != pool)
            continue;
        if (best == SIZE_MAX || q->entered < h->a[best].entered ||
            (q->entered == h->a[best].entered && q->id < h->a[best].id))
            best = i;
    }
    return best;
}

static struct request take(struct unit *u, size_t i)
{
    if (u->npools == 1)
        return reqheap_pop(&u->queue);
    struct request q = u->queue.a[i];   /* heap order is restored after the loop */
    u->queue.a[i] = u->queue.a[--u->queue.n];
    return q;
}

/* Serves one pool of servers (all of them when staff are pooled) until t1. If it
 * stops because no server of the pool can start before t1, *after is the earliest
 * start it found, else NAN. That is also the earliest start from t1 on (no duty hour
 * of the servers that were free lies between the queue's head and t1), which
 * next_wake then need not look for again. */
static void serve_pool(struct world *w, struct unit *u, int pool, double t0, double t1, gsl_rng *r,
                       double *after)
{
    *after = NAN;
    for (;;) {
        size_t i = pool_head(u, pool);
        if (i == SIZE_MAX || u->queue.a[i].entered >= t1)
            return;
        double start;
        struct server *s = earliest_start(u, pool, u->queue.a[i].entered, t0, &start);
        if (s && start >= t1)
            *after = start;
        if (!s || start >= t1)
            return;
        struct request q = take(u, i);
        if (service_expiry(w, &q) < start) {
            expire(w, u, &q);
            continue;
        }
        complete_job(w, u, s, r);
        begin_job(w, u, s, &q, start, r);
    }
}

/* Earliest time at or after t at which this unit might act: a queued request could
 * start (for each pool, as serve_pool will compute it from t), a job ends, or a queued
 * request expires. Until then it is skipped. */
static double next_wake(struct unit *u, double t, const double *after)
{
    double wake = time_min(time_min(u->next_expiry, casework_next_release(u)), u->next_job_end);
    for (int pool = 0; pool < u->npools && u->nservers > 0; pool++) {
        size_t i = pool_head(u, pool);
        double start;
        if (i == SIZE_MAX)
            continue;
        if (u->queue.a[i].entered <= t && !isnan(after[pool]))
            wake = time_min(wake, after[pool]);   /* what earliest_start would find again */
        else if (earliest_start(u, pool, u->queue.a[i].entered, t, &start))
            wake = time_min(wake, start);
    }
    return wake;
}

/* Serves the unit's pools until t1; after[pool]: see serve_pool. */
static void serve_unit(struct world *w, struct unit *u, double t0, double t1, gsl_rng *r,
                       double *after)
{
    for (int pool = 0; pool < u->npools && u->nservers > 0; pool++)
        serve_pool(w, u, pool, t0, t1, r, &after[pool]);
    if (u->npools > 1)
        reqheap_rebuild(&u->queue);
    if (u->next_job_end < t1) {   /* else no busy server's job ends in the step */
        double next = INFINITY;   /* completing a job starts none (it passes the case on) */
        for (int i = 0; i < u->nservers; i++) {
            struct server *s = &u->servers[i];
            if (s->job_end < t1)
                complete_job(w, u, s, r);
            else if (s->busy)
                next = time_min(next, s->job_end);
        }
        u->next_job_end = next;
    }
    expire_waiting(w, u, t1);
}

void service_prefetch(const struct world *w, int level, int64_t j, int arrivals, double t1)
{
    if (!arrivals && w->wake[level][j] >= t1)
        return;
    const struct unit *u = &w->units[level][j];
    for (size_t b = 0; b < sizeof *u; b += 64)
        __builtin_prefetch((const char *)u + b);
    if (u->nservers > 0)
        __builtin_prefetch(u->servers);
    if (u->queue.n > 0)
        __builtin_prefetch(u->queue.a);
    if (arrivals && u->queue.a)
        __builtin_prefetch(u->queue.a + u->queue.n, 1);
}

void service_run(struct world *w, int level, int64_t j, double t0, double t1, gsl_rng *r)
{
    double *wake = &w->wake[level][j];
    if (*wake >= t1)   /* nothing can happen in this unit before t1 */
        return;
    struct unit *u = &w->units[level][j];
    casework_release(w, u, t1, r);
    double after[N_CATEGORIES];
    serve_unit(w, u, t0, t1, r, after);
    *wake = next_wake(u, t1, after);
}
