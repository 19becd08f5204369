/* cobuild.c: co-building units and the three lists (needs, resources, projects).
 *
 * Units are split evenly and contiguously among communities, each unit with an
 * agreement with one community. Every day the community's units put their staff
 * and venue hours on the resource list (a share of the staff hours goes to a
 * running micro-wish campaign instead); money (units' money, the community's
 * project budget and its share of the district special fund) arrives at the start
 * of each simulated year. The community raises needs (Poisson). Needs are matched
 * in the order raised: the oldest is agreed as a project when the resource list
 * holds the staff and venue hours it needs, which are then committed to it; needs
 * waiting too long are dropped. A project runs for a gamma-distributed number of
 * days and is paid an equal share of its cost each day, oldest project first, as
 * far as the money allows. At its end it stalls with probability
 * stall_prob + (1 - stall_prob) x unpaid share of its cost, otherwise it completes.
 * A need is for one request category (drawn like requests); a completed project
 * serves the community: it prevents a share of the category's new requests and lifts
 * its households' shared satisfaction while it lasts (residents.c). Units' staff hours
 * scale with the community's mean trust (co-production).
 * All draws come from the community's stream for the day. */
#include <math.h>
#include <string.h>

#include "error.h"
#include "phases.h"
#include "rng.h"
#include "shift.h"

static void list_push(struct cb_list *v, const struct cb_item *it)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 8;
        v->a = gs_realloc(v->a, v->cap * sizeof *v->a);
    }
    v->a[v->n++] = *it;
}

static void list_remove(struct cb_list *v, size_t i)
{
    memmove(&v->a[i], &v->a[i + 1], (v->n - i - 1) * sizeof *v->a);
    v->n--;
}

static double draw_exp(gsl_rng *r, double mean)
{
    return mean > 0 ? rng_exponential(r, mean) : 0.0;
}

static void add_resources(const struct world *w, int64_t c, struct community_state *cs,
                          int64_t day)
{
    const struct cobuild_params *b = &w->p->cb;
    int64_t C = w->nunits[LEVEL_COMMUNITY];
    cs->cb_units = (c + 1) * b->units / C - c * b->units / C;
    double units = (double)cs->cb_units;
    if (cs->first_secretary)   /* casework.c: its ties bring units in (docs/ODD.md 7.14) */
        units *= w->p->cw.fs_cobuild_factor;
    /* co-production: units give more where residents trust the community (Ostrom 1996) */
    double trust = 0, hh = 0;
    for (int64_t g = cs->first_grid; g < cs->first_grid + cs->ngrids; g++)
        trust += w->grids[g].trust_sum, hh += (double)world_grid_households(w, g);
    double willing = fmax(0.0, 1.0 + w->p->res.coproduction_slope * (trust / hh - w->p->trust_init));
    double staff = willing * units * b->unit_staff_hours_year / 365.0;
    cs->wish_unit_hours = cs->wish_active ? w->p->wish.unit_hours_share * staff : 0.0;
    cs->cb_staff_hours += staff - cs->wish_unit_hours;
    cs->cb_venue_hours += units * b->unit_venue_hours_year / 365.0;
    /* professionals' hours: a debt left by a long case is worked off first; hours unused
     * for a week lapse (the balance never exceeds a week's hours) */
    cs->cb_service_rate = willing * units * b->service_hours_week / 7.0;
    cs->cb_service_left = fmin(cs->cb_service_left + cs->cb_service_rate, 7.0 * cs->cb_service_rate);
    cs->cb_service_offered += cs->cb_service_rate;
    if (day % 365 == 0)
        cs->cb_money += (double)cs->cb_units * b->unit_money_year + b->project_budget_per_community +
                        b->special_fund_year / (double)C;
}

static void raise_needs(const struct world *w, struct community_state *cs, int64_t day,
                        gsl_rng *r)
{
    const struct cobuild_params *b = &w->p->cb;
    unsigned n = b->needs_per_community_year > 0
                     ? gsl_ran_poisson(r, b->needs_per_community_year / 365.0) : 0;
    for (unsigned i = 0; i < n; i++) {
        struct cb_item it = {.staff_hours = draw_exp(r, b->need_staff_hours),
                             .venue_hours = draw_exp(r, b->need_venue_hours),
                             .cost = draw_exp(r, b->need_cost), .raised_day = day,
                             .category = (int)gsl_ran_discrete(r, w->category_table)};
        list_push(&cs->needs, &it);
        cs->needs_raised++;
    }
}

static int64_t draw_duration_days(const struct cobuild_params *b, gsl_rng *r)
{
    double shape = 1.0 / (b->duration_cv * b->duration_cv);
    double days = gsl_ran_gamma(r, shape, 7.0 * b->duration_weeks / shape);
    return (int64_t)fmax(1.0, ceil(days));
}

static void match_needs(const struct world *w, struct community_state *cs, int64_t day,
                        gsl_rng *r)
{
    const struct cobuild_params *b = &w->p->cb;
    while (cs->needs.n > 0 && day - cs->needs.a[0].raised_day > b->need_lapse_days) {
        list_remove(&cs->needs, 0);
        cs->needs_lapsed++;
    }
    while (cs->needs.n > 0 && cs->cb_units > 0) {
        struct cb_item it = cs->needs.a[0];
        if (it.staff_hours > cs->cb_staff_hours || it.venue_hours > cs->cb_venue_hours)
            return;
        cs->cb_staff_hours -= it.staff_hours;
        cs->cb_venue_hours -= it.venue_hours;
        it.end_day = day + draw_duration_days(b, r);
        list_remove(&cs->needs, 0);
        list_push(&cs->projects, &it);
        cs->items_agreed++;
    }
}

static void finish_project(const struct world *w, struct community_state *cs,
                           const struct cb_item *it, gsl_rng *r)
{
    double unpaid = it->cost > 0 ? 1.0 - it->paid / it->cost : 0.0;
    double p_stall = w->p->cb.stall_prob + (1.0 - w->p->cb.stall_prob) * fmax(0.0, unpaid);
    if (rng_uniform(r) < p_stall) {
        cs->items_stalled++;
    } else {
        cs->items_completed++;
        cs->proj_stock[it->category] += 1.0;   /* serves the community (residents.c) */
    }
}

static void run_projects(const struct world *w, struct community_state *cs, int64_t day,
                         gsl_rng *r)
{
    size_t kept = 0;
    for (size_t i = 0; i < cs->projects.n; i++) {
        struct cb_item *it = &cs->projects.a[i];
        double days_left = (double)(it->end_day - day);
        double due = days_left > 0 ? (it->cost - it->paid) / days_left : 0.0;
        double pay = fmin(fmax(0.0, due), cs->cb_money);
        it->paid += pay;
        cs->cb_money -= pay;
        cs->spent_projects += pay;
        if (day + 1 >= it->end_day)
            finish_project(w, cs, it, r);
        else
            cs->projects.a[kept++] = *it;
    }
    cs->projects.n = kept;
}

void cobuild_day(struct world *w, int64_t c, int64_t day, gsl_rng *r)
{
    const struct params *p = w->p;
    if (!p->cb.enabled)
        return;
    struct community_state *cs = &w->comm[c];
    rng_stream_set(r, (uint64_t)p->seed, RNG_COBUILD, (uint64_t)c, (uint64_t)day, 0);
    add_resources(w, c, cs, day);
    raise_needs(w, cs, day, r);
    match_needs(w, cs, day, r);
    run_projects(w, cs, day, r);
}

/* When professionals with `left` hours in hand (today and unused from the week) and
 * `rate` new hours a day finish `work` hours begun at `start`: the part beyond what is in
 * hand waits for the coming days' hours. */
static double finish_time(double start, double work, double left, double rate)
{
    return start + work + 24.0 * fmax(0.0, work - fmax(0.0, left)) / rate;
}

int cobuild_first_contact(struct world *w, int64_t c, struct request *q, gsl_rng *r)
{
    const struct params *p = w->p;
    struct community_state *cs = &w->comm[c];
    if (!p->cb.enabled || q->level != LEVEL_COMMUNITY || q->need != LEVEL_COMMUNITY ||
        !p->cb.serves[q->category] || !(cs->cb_service_rate > 0) || !(cs->cb_service_left > 0))
        return 0;
    /* the community hands the case over only if the professionals are expected to finish it
     * within its deadline: decided on the mean service time, not on the draw */
    double mean = p->cat[q->category].service_hours * p->level_service_factor[LEVEL_COMMUNITY] *
                  p->cb.service_factor;
    double start = shift_next_on_duty(&w->shift[LEVEL_COMMUNITY][0], q->entered);
    double limit = fmin(q->known + p->cat[q->category].deadline_hours, w->horizon);
    if (finish_time(start, mean, cs->cb_service_left, cs->cb_service_rate) > limit)
        return 0;
    rng_stream_set(r, (uint64_t)p->seed, RNG_COBUILD_SERVICE, q->id, 0, 0);
    double shape = 1.0 / (p->service_cv * p->service_cv);
    double d = gsl_ran_gamma(r, shape, mean / shape);
    double done = finish_time(start, d, cs->cb_service_left, cs->cb_service_rate);
    if (done > w->horizon)   /* (only near the end of the run) */
        return 0;
    cs->cb_service_left -= d;
    cs->cb_service_used += d;
    /* the contact ends like a staff member's: the case life cycle (casework.c) decides */
    cs->cb_resolved += casework_after_job(w, &w->units[LEVEL_COMMUNITY][c], q, done, r);
    return 1;
}
