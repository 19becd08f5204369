/* members.c: party members' volunteer hours and their first contact for simple requests.
 *
 * Resident members are the households flagged HH_PARTY (drawn in world.c); each
 * pledges hours per month (fewer without an elderly member: working-age members are
 * mostly registered as in-service members elsewhere) and turns out on a day with an
 * attendance probability. In-service members are a number per community, their
 * hours spread evenly over the community's grids. Offered hours are scaled by the
 * grid's willingness, 1 + slope x (mean trust - initial trust), at least 0. At 00:00
 * each grid's hours are refilled and a share members.visit_share of them goes to home
 * visits at once (a contact residents notice, residents.c); during the day members at vanguard posts take
 * simple requests (need at grid level, eligible category, covered household) as
 * first contact; what is left at the end of the day may go to micro-wishes. */
#include <math.h>

#include "phases.h"
#include "rng.h"

static double willingness(const struct world *w, const struct grid_state *gs)
{
    const struct params *p = w->p;
    double trust = gs->trust_sum / (double)w->groups[gs->groups].households;
    return fmax(0.0, 1.0 + p->mem.trust_slope * (trust - p->trust_init));
}

/* Hours offered today by n members with a monthly pledge and an attendance probability. */
static double turnout_hours(gsl_rng *r, int64_t n, double hours_month, double attendance)
{
    if (n <= 0 || hours_month <= 0 || attendance <= 0)
        return 0.0;
    unsigned k = gsl_ran_binomial(r, attendance, (unsigned)n);
    return (double)k * hours_month * 12.0 / 365.0;
}

static void refill_grid(struct world *w, int64_t g, double in_service_hours, gsl_rng *r)
{
    const struct params *p = w->p;
    struct grid_state *gs = &w->grids[g];
    if (!gs->party_counted) {   /* membership never changes: count once, not every day */
        for (int64_t i = 0, n = world_grid_households(w, g); i < n; i++) {
            uint8_t f = w->hh[gs->hh_first + i].flags;
            gs->party_elderly += (f & HH_PARTY) && (f & HH_ELDERLY);
            gs->party_other += (f & HH_PARTY) && !(f & HH_ELDERLY);
        }
        gs->party_counted = 1;
    }
    int64_t elderly = gs->party_elderly, other = gs->party_other;
    const struct member_params *m = &p->mem;
    double h = turnout_hours(r, elderly, m->resident_hours_month, m->resident_attendance) +
               turnout_hours(r, other, m->resident_hours_month * m->resident_nonelderly_factor,
                             m->resident_attendance) +
               in_service_hours;
    double offered = willingness(w, gs) * h;
    double visits = p->res.member_visit_share * offered;   /* home visits, done at once */
    gs->member_hours_offered += offered;
    gs->member_hours_visits += visits;
    if (p->visit.hours_per_visit > 0)
        gs->member_visits += visits / p->visit.hours_per_visit;
    gs->member_hours_left = offered - visits;
}

void members_refill(struct world *w, int64_t c, int64_t day, gsl_rng *r)
{
    const struct params *p = w->p;
    if (!p->mem.enabled)
        return;
    const struct community_state *cs = &w->comm[c];
    rng_stream_set(r, (uint64_t)p->seed, RNG_MEMBERS_DAY, (uint64_t)c, (uint64_t)day, 0);
    double in_service = turnout_hours(r, p->mem.in_service_per_community,
                                      p->mem.in_service_hours_month,
                                      p->mem.in_service_attendance) / (double)cs->ngrids;
    for (int64_t g = cs->first_grid; g < cs->first_grid + cs->ngrids; g++)
        refill_grid(w, g, in_service, r);
}

static int eligible(const struct world *w, const struct request *q)
{
    const struct params *p = w->p;
    return p->mem.enabled && q->need == LEVEL_GRID && p->mem.simple[q->category] &&
           w->grids[q->grid].member_hours_left > 0 && q->known < w->horizon;
}

int members_first_contact(struct world *w, const struct request *q, gsl_rng *r)
{
    const struct params *p = w->p;
    if (!eligible(w, q))
        return 0;
    rng_stream_set(r, (uint64_t)p->seed, RNG_MEMBERS, q->household, 1, 0);
    if (!(rng_uniform(r) < p->mem.vanguard_coverage))
        return 0;
    rng_stream_set(r, (uint64_t)p->seed, RNG_MEMBERS, q->id, 0, 0);
    double mean = p->cat[q->category].service_hours * p->mem.service_factor;
    double shape = 1.0 / (p->service_cv * p->service_cv);
    double d = gsl_ran_gamma(r, shape, mean / shape);
    struct grid_state *gs = &w->grids[q->grid];
    if (d > gs->member_hours_left || q->known + d > w->horizon)
        return 0;
    gs->member_hours_left -= d;
    gs->member_hours_requests += d;
    struct request taken = *q;
    taken.flags |= REQ_MEMBER;
    /* the contact ends like a grid worker's: the case life cycle (casework.c) decides */
    gs->member_resolved += casework_after_job(w, &w->units[LEVEL_GRID][q->grid], &taken, q->known + d, r);
    return 1;
}
