/* meetings.c: street and district joint meetings.
 *
 * Every meetings.<level>_interval_days days, at meetings.hour, each street (or
 * the district) holds a joint meeting of the departments concerned (Hedong held
 * 362 three-level meetings). The meeting takes up to meetings.<level>_capacity
 * queued cases that need this level, oldest first by (time entered, id), and
 * resolves them at the meeting time. Cases needing a higher level are left to the
 * caseworkers, who pass them up. With meetings.settle_waits, the rest of its capacity
 * settles cases waiting on a department or utility (third party), oldest first, at
 * this unit and, for a street, at its communities and their grids (casework.c). The
 * meeting is held at the start of the step
 * that contains the meeting time, before the caseworkers serve. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "phases.h"

static int by_entry(const void *a, const void *b)
{
    const struct request *x = a, *y = b;
    if (x->entered != y->entered)
        return x->entered < y->entered ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Moves the eligible cases to the front of the heap array in (entered, id) order;
 * returns how many there are. */
static size_t gather_eligible(struct reqheap *h, int level, double t)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->a[i].need == level && h->a[i].entered <= t) {
            struct request tmp = h->a[n];
            h->a[n++] = h->a[i];
            h->a[i] = tmp;
        }
    if (n > 1)   /* qsort must not get the NULL array of a heap never used */
        qsort(h->a, n, sizeof *h->a, by_entry);
    return n;
}

/* Settles third-party waits of unit (level, j) and, below a street, of its
 * communities and grids, within `left` cases; returns how many. */
static int64_t settle_below(struct world *w, int level, int64_t j, double t, int64_t left)
{
    int64_t n = casework_settle_waits(w, &w->units[level][j], t, left);
    if (n > 0)
        w->wake[level][j] = -INFINITY;
    if (level > LEVEL_GRID && level >= LEVEL_COMMUNITY && level <= LEVEL_STREET)
        for (int64_t c = w->child_first[level][j]; c < w->child_first[level][j + 1] && n < left; c++)
            n += settle_below(w, level - 1, c, t, left - n);
    return n;
}

static void hold_meeting(struct world *w, struct unit *u, int level, int64_t j, double t)
{
    struct reqheap *h = &u->queue;
    size_t n = gather_eligible(h, level, t);
    size_t take = n < (size_t)w->p->meeting_capacity[level] ? n : (size_t)w->p->meeting_capacity[level];
    for (size_t i = 0; i < take; i++) {
        struct grid_state *gs = &w->grids[h->a[i].grid];
        gs->total.by_meeting++;
        residents_record_outcome(w, &h->a[i], OUT_RESOLVED, t);
    }
    for (size_t i = take; i < h->n; i++)
        h->a[i - take] = h->a[i];
    h->n -= take;
    reqheap_rebuild(h);
    if (w->p->res.meeting_settles_waits)
        settle_below(w, level, j, t, w->p->meeting_capacity[level] - (int64_t)take);
}

void meetings_hold(struct world *w, int level, int64_t j, double t0, double t1)
{
    int64_t every = w->p->meeting_interval[level];
    if (every <= 0 || level < LEVEL_STREET)
        return;
    double day = floor(t0 / 24.0);
    double t = day * 24.0 + w->p->meeting_hour;
    if (t < t0 || t >= t1 || ((int64_t)day + 1) % every != 0)
        return;
#pragma omp atomic
    w->meetings_held[level]++;
    hold_meeting(w, &w->units[level][j], level, j, t);
    w->wake[level][j] = -INFINITY;   /* its queue changed */
}
