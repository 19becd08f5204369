/* microwish.c: micro-wish campaigns.
 *
 * On the campaign day of each simulated year every community issues its wish
 * cards. While the campaign runs, a share of the members' hours left unused at the
 * end of each day and a share of the co-building units' staff hours of the day
 * work through the cards one at a time, in card order. A card's materials are
 * bought from the community's micro-wish budget when work on it starts; without
 * money for them no further card is started. A card needs an exponential number of
 * hours, drawn from the community's stream for that campaign and card. Cards not
 * fulfilled when the campaign ends lapse. A fulfilled card lifts the satisfaction
 * and trust of a household of the community (residents.c), drawn from the card's stream. Runs at 00:00 on the hours of the day
 * before (the last day's unused hours of a run are not used). */
#include <math.h>

#include "phases.h"
#include "rng.h"

static double members_unused(const struct world *w, const struct community_state *cs)
{
    double h = 0;
    for (int64_t g = cs->first_grid; g < cs->first_grid + cs->ngrids; g++)
        h += fmax(0.0, w->grids[g].member_hours_left);
    return h;
}

/* Starts the next card if its materials can be paid; returns 0 if not. */
static int start_card(const struct world *w, int64_t c, struct community_state *cs, gsl_rng *r)
{
    const struct microwish_params *m = &w->p->wish;
    if (cs->wish_budget_left < m->cost_per_card)
        return 0;
    rng_stream_set(r, (uint64_t)w->p->seed, RNG_MICROWISH, (uint64_t)c,
                   (uint64_t)cs->wish_campaign, (uint64_t)cs->wish_card);
    cs->wish_need_left = m->hours_per_card > 0 ? rng_exponential(r, m->hours_per_card) : 0.0;
    cs->wish_budget_left -= m->cost_per_card;
    cs->spent_microwish += m->cost_per_card;
    cs->wish_started = 1;
    return 1;
}

/* Members' hours are used first, then the units'. */
static void work_cards(struct world *w, int64_t c, int64_t day, struct community_state *cs,
                       double member, double unit, gsl_rng *r)
{
    while (cs->wish_open > 0 && member + unit > 0) {
        if (!cs->wish_started && !start_card(w, c, cs, r))
            return;
        double by_member = fmin(member, cs->wish_need_left);
        double by_unit = fmin(unit, cs->wish_need_left - by_member);
        member -= by_member;
        unit -= by_unit;
        cs->wish_hours_members += by_member;
        cs->wish_hours_units += by_unit;
        cs->wish_need_left -= by_member + by_unit;
        if (cs->wish_need_left > 1e-12)
            return;
        cs->wish_open--;
        cs->wish_fulfilled++;
        rng_stream_set(r, (uint64_t)w->p->seed, RNG_MICROWISH, (uint64_t)c,
                       (uint64_t)cs->wish_campaign, (uint64_t)cs->wish_card | (1ull << 40));
        residents_wish_fulfilled(w, c, day, r);
        cs->wish_card++;
        cs->wish_started = 0;
    }
}

static void issue_cards(const struct params *p, struct community_state *cs, int64_t day)
{
    const struct microwish_params *m = &p->wish;
    if (day % 365 != m->campaign_day || m->cards_per_community <= 0)
        return;
    cs->wish_active = 1;
    cs->wish_started = 0;
    cs->wish_campaign = day / 365;
    cs->wish_card = 0;
    cs->wish_open = m->cards_per_community;
    cs->wish_issued += m->cards_per_community;
    cs->wish_budget_left = m->budget_per_community;
    cs->wish_end_day = day + m->campaign_days;
}

void microwish_day(struct world *w, int64_t c, int64_t day, gsl_rng *r)
{
    const struct params *p = w->p;
    if (!p->wish.enabled)
        return;
    struct community_state *cs = &w->comm[c];
    if (cs->wish_active) {
        work_cards(w, c, day, cs, p->wish.member_hours_share * members_unused(w, cs),
                   cs->wish_unit_hours, r);
        if (day >= cs->wish_end_day)
            cs->wish_active = 0, cs->wish_open = 0;   /* the rest lapse */
    }
    issue_cards(p, cs, day);
}
