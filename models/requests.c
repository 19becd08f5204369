/* requests.c: households generate requests.
 *
 * Each grid draws the number of requests in a step from a Poisson distribution
 * whose mean is the grid's request rate (by household type and elderly member)
 * times the hour-of-week profile. Each request then picks its household, its
 * category and the level able to resolve it. Cost is proportional to the number
 * of requests, not to households x steps. */
#include <math.h>

#include "phases.h"
#include "rng.h"

/* Mean of the hour-of-week profile over [t0, t1). */
static double profile_mean(const struct world *w, double t0, double t1)
{
    double sum = 0;
    for (double a = t0; a < t1;) {
        double hour = floor(a);
        double b = fmin(hour + 1.0, t1);
        sum += (b - a) * w->week_profile[(int64_t)hour % (7 * 24)];
        a = b;
    }
    return sum / (t1 - t0);
}

static int pick_group(const struct world *w, double u)
{
    int g = 0;
    while (g < N_GROUPS - 1 && u >= w->group_cum[g])
        g++;
    return g;
}

static uint8_t pick_need(const struct world *w, int category, double u)
{
    uint8_t l = 0;
    while (l < N_LEVELS - 1 && u >= w->p_need_cum[category][l])
        l++;
    return l;
}

static void grid_arise(struct world *w, int64_t g, int64_t step, double t0, double dt,
                       double mean, gsl_rng *r)
{
    struct grid_state *gs = &w->grids[g];
    rng_stream_set(r, (uint64_t)w->p->seed, RNG_ARISE, (uint64_t)g, (uint64_t)step, 0);
    unsigned n = gsl_ran_poisson(r, mean);
    for (unsigned i = 0; i < n; i++) {
        struct request q = {0};
        q.id = ((uint64_t)g << 32) | gs->next_seq++;
        q.grid = (uint32_t)g;
        q.arose = t0 + dt * gsl_rng_uniform(r);
        int grp = pick_group(w, gsl_rng_uniform(r));
        uint32_t k = (uint32_t)(gsl_rng_uniform(r) * w->group_count[grp]);
        q.household = gs->hh_first + w->group_first[grp] + k;
        q.category = (uint8_t)gsl_ran_discrete(r, w->category_table);
        q.need = pick_need(w, q.category, gsl_rng_uniform(r));
        q.level = LEVEL_GRID;
        if (w->hh[q.household].open < UINT16_MAX)
            w->hh[q.household].open++;
        gs->total.entered[LEVEL_GRID]++;
        gs->interval.entered[LEVEL_GRID]++;
        reqvec_push(&gs->fresh, &q);
    }
}

void requests_arise(struct world *w, int64_t g, int64_t step, double t0, double t1, gsl_rng *r)
{
    double mean = w->grid_rate_per_hour * (t1 - t0) * profile_mean(w, t0, t1);
    if (mean > 0)
        grid_arise(w, g, step, t0, t1 - t0, mean, r);
}
