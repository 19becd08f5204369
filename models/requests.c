/* requests.c: households generate requests.
 *
 * The requests of a grid form a Poisson process in continuous time whose rate is
 * the grid's request rate (by household type and elderly member) times the
 * hour-of-week profile. Arrival times are generated one after the other by
 * inverting the cumulative rate: with Lambda(t) the expected number of requests by
 * hour t, the next arrival after a is Lambda^-1(Lambda(a) + E), E ~ Exp(1). Each
 * request then picks its household, its category and the level able to resolve it.
 * A grid with no arrival before the end of a step costs one comparison, so the
 * cost is proportional to the number of requests, not to grids x steps.
 *
 * A completed co-building project in the grid's community prevents a share of the
 * new requests of its category (community_state.rate_cut, set by residents_day).
 *
 * Streams: request k of grid g draws its attributes and then the gap to request
 * k+1 from stream (ARISE, g, k, 0); the gap to the first request comes from stream
 * (ARISE, g, 0, 1). Arrivals therefore do not depend on the step length. */
#include <math.h>

#include "phases.h"
#include "rng.h"

#define WEEK_HOURS (7 * 24)

/* Expected requests per grid from hour 0 to hour t, in profile-hours (x rate). */
static double cum_profile(const struct world *w, double t)
{
    double total = w->week_cum[WEEK_HOURS];
    double weeks = floor(t / WEEK_HOURS);
    double h = t - WEEK_HOURS * weeks;
    int i = (int)h;
    if (i >= WEEK_HOURS)
        i = WEEK_HOURS - 1;
    return weeks * total + w->week_cum[i] + (h - i) * w->week_profile[i];
}

/* Inverse of cum_profile: the hour at which the cumulative profile reaches u. */
static double inverse_cum_profile(const struct world *w, double u)
{
    double total = w->week_cum[WEEK_HOURS];
    double weeks = floor(u / total);
    double r = u - weeks * total;
    int lo = 0, hi = WEEK_HOURS - 1;   /* first hour i with week_cum[i + 1] > r */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (w->week_cum[mid + 1] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    double within = w->week_profile[lo] > 0 ? (r - w->week_cum[lo]) / w->week_profile[lo] : 0.0;
    return weeks * WEEK_HOURS + lo + time_min(within, 1.0);
}

/* Time of the next arrival after hour a at a grid of `rate` requests per hour,
 * drawing the gap from r. */
static double next_arrival(const struct world *w, double rate, double a, gsl_rng *r)
{
    if (!(rate > 0) || !(w->week_cum[WEEK_HOURS] > 0))
        return INFINITY;
    double e = rng_exponential(r, 1.0) / rate;
    return time_max(a, inverse_cum_profile(w, cum_profile(w, a) + e));
}

void requests_first_arrival(struct world *w, int64_t g, gsl_rng *r)
{
    rng_stream_set(r, (uint64_t)w->p->seed, RNG_ARISE, (uint64_t)g, 0, 1);
    w->next_arrival[g] = next_arrival(w, world_grid_groups(w, g)->rate_per_hour, 0.0, r);
}

static int pick_group(const struct hh_groups *gr, double u)
{
    int g = 0;
    while (g < N_GROUPS - 1 && u >= gr->cum[g])
        g++;
    return g;
}

static uint8_t pick_need(const struct world *w, int app, int category, double u)
{
    uint8_t l = 0;
    while (l < N_LEVELS - 1 && u >= w->p_need_cum[app][category][l])
        l++;
    return l;
}

static void arise_one(struct world *w, int64_t g, double t, struct reqvec *fresh, gsl_rng *r)
{
    struct grid_state *gs = &w->grids[g];
    struct request q = {0};
    q.id = ((uint64_t)g << 32) | gs->next_seq;
    rng_stream_set(r, (uint64_t)w->p->seed, RNG_ARISE, (uint64_t)g, gs->next_seq++, 0);
    q.grid = (uint32_t)g;
    q.arose = t;
    const struct hh_groups *gr = &w->groups[gs->groups];
    int grp = pick_group(gr, rng_uniform(r));
    uint32_t k = (uint32_t)(rng_uniform(r) * gr->count[grp]);
    q.household = gs->hh_first + gr->first[grp] + k;
    __builtin_prefetch(&w->hh[q.household]);   /* intake reads its trust: load it while we draw */
    q.category = (uint8_t)gsl_ran_discrete(r, w->category_table);
    q.need = pick_need(w, gs->app, q.category, rng_uniform(r));
    struct community_state *cs = &w->comm[world_grid_community(w, g)];
    if (cs->rate_cut[q.category] > 0 && rng_uniform(r) < cs->rate_cut[q.category]) {
        cs->prevented++;   /* a completed co-building project met this need */
        w->next_arrival[g] = next_arrival(w, gr->rate_per_hour, t, r);
        return;
    }
    gs->bycat[q.category].arisen++;
    q.level = LEVEL_GRID;
    gs->total.entered[LEVEL_GRID]++;
    world_log(w, &q, EV_AROSE, q.arose);
    reqvec_push(fresh, &q);
    w->next_arrival[g] = next_arrival(w, gr->rate_per_hour, t, r);
}

int requests_arise(struct world *w, int64_t g, double t1, struct reqvec *fresh, gsl_rng *r)
{
    int n = 0;
    for (; w->next_arrival[g] < t1; n++)
        arise_one(w, g, w->next_arrival[g], fresh, r);
    return n;
}
