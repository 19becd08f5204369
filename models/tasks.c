/* tasks.c: top-down administrative tasks compete with residents' requests for staff time.
 *
 * Street-level bureaucracy (Lipsky 1980): staff with more demand than time ration it,
 * and serve first what their superiors assess. Each grid, community and street
 * receives tasks from above (reports, statistics, inspections, meetings, campaigns,
 * and, where a scenario has them, investment-attraction quotas) as a Poisson stream
 * of tasks.<level>.per_week x (1 - tasks.burden_cut) general tasks plus
 * tasks.<level>.quota_per_week quota tasks while tasks.quota_enabled. A task needs
 * lognormal staff hours (mean tasks.<level>.hours or tasks.quota_hours, CV
 * tasks.hours_cv) and is due after a time uniform on 0.5-1.5 x
 * tasks.<level>.deadline_days. Under admission control (admin.admission_control,
 * Dai county's 准入制度 with 费随事转) a grid or community refuses a task that comes
 * without funding (share tasks.funded_share comes with it), and a funded task's money
 * buys tasks.funded_hours_share of its hours from outside.
 *
 * Tasks are worked in two ways:
 *  - in idle time: at the end of each day the unit's idle duty hours of that day
 *    (duty hours of its filled posts minus the hours its staff were busy) go to the
 *    backlog, earliest due first (tasks_day); what is left goes to proactive work
 *    (visits.c) and then is idle;
 *  - when a deadline presses: a task presses once the time left to its deadline,
 *    counted in one staff member's duty hours, is below its remaining hours plus
 *    tasks.slack_hours. Then, at the start of each step, every server that comes free
 *    within the step (after the job in hand, if any) takes a block of the pressing
 *    task due first, up to the end of its shift: the block pushes the server's
 *    free_at, so residents' requests queue behind it (tasks_step).
 * The unit's busy_hours holds all of it (requests, tasks, proactive work); the
 * workload record keeps each use apart.
 *
 * Streams: task k of unit j at level l draws from (TASKS, j, k, l); the gap to the
 * first task from (TASKS, j, 0, N_LEVELS + l). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "phases.h"
#include "rng.h"

static double task_rate_per_hour(const struct params *p, int level)
{
    if (level >= LEVEL_DISTRICT)
        return 0.0;
    double rate = p->task.per_week[level] * (1.0 - p->task.burden_cut);
    if (p->task.quota_enabled)
        rate += p->task.quota_per_week[level];
    return rate / 168.0;
}

/* Calendar hours per duty hour of one staff member of the level (over a week). */
static double calendar_per_duty(const struct world *w, int level)
{
    const struct shift *s = &w->shift[level][0];
    double week = fmin(24.0, s->start + s->len) - s->start;
    week = fmax(0.0, fmin(week, s->len)) * (double)s->days;
    return week > 0 ? 168.0 / week : INFINITY;
}

static double press_time(const struct world *w, int level, const struct task *x)
{
    double c = calendar_per_duty(w, level);
    if (!isfinite(c))
        return -INFINITY;
    return x->due - (x->hours_left + w->p->task.slack_hours) * c;
}

static double lognormal_mean_cv(gsl_rng *r, double mean, double cv)
{
    if (cv <= 0)
        return mean;
    double s2 = log1p(cv * cv);
    return gsl_ran_lognormal(r, log(mean) - 0.5 * s2, sqrt(s2));
}

static void insert_task(struct workload *k, const struct task *x)
{
    if (k->ntasks == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 8;
        k->tasks = gs_realloc(k->tasks, k->cap * sizeof *k->tasks);
    }
    size_t i = k->ntasks++;
    while (i > 0 && k->tasks[i - 1].due > x->due) {
        k->tasks[i] = k->tasks[i - 1];
        i--;
    }
    k->tasks[i] = *x;
}

static void remove_task(struct workload *k, size_t i, double done)
{
    k->tasks_done++;
    k->tasks_late += done > k->tasks[i].due;
    memmove(k->tasks + i, k->tasks + i + 1, (k->ntasks - i - 1) * sizeof *k->tasks);
    k->ntasks--;
}

/* Draws task number k->ntasks_drawn (arriving at k->next_task) and the gap to the next. */
static void draw_task(struct world *w, int level, int64_t j, struct workload *k, gsl_rng *r)
{
    const struct params *p = w->p;
    const struct task_params *tp = &p->task;
    double rate = task_rate_per_hour(p, level);
    rng_stream_set(r, (uint64_t)p->seed, RNG_TASKS, (uint64_t)j, (uint64_t)k->ntasks_drawn++,
                   (uint64_t)level);
    double general = tp->per_week[level] * (1.0 - tp->burden_cut);
    double u = rng_uniform(r), funded_draw = rng_uniform(r);
    int quota = u * rate * 168.0 >= general;
    double mean = quota ? tp->quota_hours : tp->hours[level];
    double hours = lognormal_mean_cv(r, mean, tp->hours_cv);
    double allowed = tp->deadline_days[level] * 24.0 * (0.5 + rng_uniform(r));
    double t = k->next_task;
    k->next_task = t + rng_exponential(r, 1.0 / rate);
    if (t >= w->horizon)
        return;
    k->tasks_arrived++;
    if (p->admission_control && level <= LEVEL_COMMUNITY) {
        if (funded_draw >= tp->funded_share) {
            k->tasks_refused++;
            return;
        }
        double bought = hours * tp->funded_hours_share;
        k->hours_bought += bought;
        hours -= bought;
    }
    struct task x = {t, t + allowed, hours, 0};
    x.press_at = press_time(w, level, &x);
    insert_task(k, &x);
}

void tasks_init(struct world *w, int level, int64_t j, gsl_rng *r)
{
    struct workload *k = &w->work[level][j];
    double rate = task_rate_per_hour(w->p, level);
    k->next_task = INFINITY;
    if (rate > 0) {
        rng_stream_set(r, (uint64_t)w->p->seed, RNG_TASKS, (uint64_t)j, 0, N_LEVELS + (uint64_t)level);
        k->next_task = rng_exponential(r, 1.0 / rate);
    }
    w->task_wake[level][j] = k->next_task;
}

/* Adds h staff hours of task work done from `start` (within one shift). */
static void add_task_hours(struct world *w, struct unit *u, struct workload *k, double start,
                           double h)
{
    double counted = fmin(start + h, w->horizon) - fmin(start, w->horizon);
    k->hours_tasks += counted;
    u->busy_hours += counted;
}

/* First task in due order that presses before t (SIZE_MAX if none); *press: the
 * earliest press time of all. */
static size_t first_pressing(const struct workload *k, double t, double *press)
{
    size_t first = SIZE_MAX;
    *press = INFINITY;
    for (size_t x = 0; x < k->ntasks; x++) {
        double p = k->tasks[x].press_at;
        if (p < *press)
            *press = p;
        if (first == SIZE_MAX && p < t)
            first = x;
    }
    return first;
}

void tasks_step(struct world *w, int level, int64_t j, double t0, double t1, gsl_rng *r)
{
    if (w->task_wake[level][j] >= t1)
        return;
    struct workload *k = &w->work[level][j];
    struct unit *u = &w->units[level][j];
    while (k->next_task < t1)
        draw_task(w, level, j, k, r);
    int changed = 0;
    double press, next_free = INFINITY;   /* earliest a server could take a block after this step */
    size_t x = first_pressing(k, t1, &press);
    for (int i = 0; i < u->nservers && x != SIZE_MAX; i++) {
        struct server *s = &u->servers[i];
        /* (a job in hand is finished first: ready >= free_at) */
        double start = s->ready >= t1 ? s->ready : shift_next_on_duty(s->shift, fmax(s->ready, t0));
        if (start >= t1) {
            next_free = fmin(next_free, start);
            continue;
        }
        double day = floor(start / 24.0);
        double end = 24.0 * day + fmin(24.0, s->shift->start + s->shift->len);
        double block = fmin(k->tasks[x].hours_left, end - start);
        if (!(block > 0))
            continue;
        s->free_at = start + block;
        server_set_ready(u, s);
        next_free = fmin(next_free, s->ready);
        add_task_hours(w, u, k, start, block);
        k->tasks[x].hours_left -= block;
        if (k->tasks[x].hours_left <= 1e-9)
            remove_task(k, x, start + block);
        else
            k->tasks[x].press_at = press_time(w, level, &k->tasks[x]);
        x = first_pressing(k, t1, &press);
        changed = 1;
    }
    if (x != SIZE_MAX)   /* a pressing task waits for a server to come free */
        press = fmax(press, next_free);
    w->task_wake[level][j] = fmax(fmin(k->next_task, press), t1);
    if (changed)
        w->wake[level][j] = -INFINITY;   /* its servers changed */
}

void tasks_day(struct world *w, int level, int64_t j, double t)
{
    struct workload *k = &w->work[level][j];
    struct unit *u = &w->units[level][j];
    int on_duty;
    double duty = staff_day_duty(w, level, j, t, &on_duty);   /* filled posts' duty hours of the day */
    k->credit += duty - (u->busy_hours - k->busy_mark);
    k->busy_mark = u->busy_hours;
    while (k->credit > 1e-9 && k->ntasks > 0) {   /* idle hours go to the backlog, due first */
        struct task *x = &k->tasks[0];
        double h = fmin(k->credit, x->hours_left);
        k->credit -= h;
        k->hours_tasks += h;
        u->busy_hours += h;
        k->busy_mark += h;
        x->hours_left -= h;
        if (x->hours_left <= 1e-9)
            remove_task(k, 0, t);
        else
            x->press_at = press_time(w, level, x);
    }
}

void tasks_day_end(struct world *w, int level, int64_t j)
{
    struct workload *k = &w->work[level][j];
    k->credit = fmin(k->credit, 0.0);   /* idle hours left unused are gone */
    k->busy_mark = w->units[level][j].busy_hours;
}

double tasks_backlog_hours(const struct world *w, int level, int64_t j)
{
    const struct workload *k = &w->work[level][j];
    double h = 0;
    for (size_t x = 0; x < k->ntasks; x++)
        h += k->tasks[x].hours_left;
    return h;
}
