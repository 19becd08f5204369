/* intake.c: a request becomes known to its grid.
 *
 * The resident reports it with a probability that rises with the household's
 * trust, after an exponential delay; otherwise grid patrol and home visits detect it at
 * the grid's hazard at the time it arises (visits.c: proportional to the patrol and visit
 * hours per household actually done; never, without them). Patience,
 * the wait after which the resident gives up, is drawn here too. Draws come from
 * the request's own stream, so they do not depend on processing order. */
#include <math.h>

#include "expiry.h"
#include "phases.h"
#include "rng.h"
#include "shift.h"

static void known_time(const struct world *w, struct request *q, gsl_rng *r)
{
    const struct params *p = w->p;
    double trust = residents_trust_at(w, q->grid, q->household, q->arose / 24.0);
    double p_report = fmin(1.0, p->report_prob_base + p->report_prob_trust * trust);
    int app = w->grids[q->grid].app;
    double delay = p->report_delay_hours * (app ? p->app_report_delay_factor : 1.0);
    double hazard = w->patrol_hazard[q->grid] * (app ? p->app_patrol_factor : 1.0);
    rng_stream_set(r, (uint64_t)p->seed, RNG_INTAKE, q->id, 0, 0);
    if (rng_uniform(r) < p_report)
        q->known = q->arose + (delay > 0 ? rng_exponential(r, delay) : 0.0);
    else if (hazard > 0)
        q->known = q->arose + rng_exponential(r, 1.0 / hazard);
    else
        q->known = INFINITY;
    q->entered = q->known;
    if (!p->acceptance_24h && isfinite(q->known))   /* registered when the grid's duty starts */
        q->entered = shift_next_on_duty(&w->shift[LEVEL_GRID][0], q->known);
    q->give_up = q->known + rng_exponential(r, p->patience_hours);
}

void intake(struct world *w, int64_t g, struct reqvec *fresh, gsl_rng *r)
{
    if (fresh->n == 0)
        return;
    struct unit *u = &w->units[LEVEL_GRID][g];
    for (size_t i = 0; i < fresh->n; i++) {
        struct request *q = &fresh->a[i];
        known_time(w, q, r);
        if (isfinite(q->known)) {
            world_log(w, q, EV_KNOWN, q->known);
            world_log(w, q, EV_ENTERED, q->entered);
        }
        if (members_first_contact(w, q, r))
            continue;
        casework_on_entry(w, q);
        reqheap_push(&u->queue, q);
        u->next_expiry = time_min(u->next_expiry, service_expiry(w, q));
    }
    w->wake[LEVEL_GRID][g] = -INFINITY;
    fresh->n = 0;
}
