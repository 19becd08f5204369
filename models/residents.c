/* residents.c: households' satisfaction and trust (docs/ODD.md 7.15).
 *
 * Theory: expectation-disconfirmation (Oliver 1980; Van Ryzin 2004) for satisfaction
 * and performance -> trust (Van de Walle & Bouckaert 2003) for trust.
 *
 * A household's satisfaction is S = clamp(G_g + d), G_g its grid's shared level and
 * d its own deviation. When one of its requests ends (applied here in time order)
 * with performance P (1 on time, exp(-lateness / scale) late, satisfaction_abandon
 * if abandoned, unsolved_score if closed unsolved; times reopen_factor if it had to
 * be reopened), it judges J = (P - P_ref) + w_d (P - E) (+ member_lift if a party
 * member solved it), moves d a fraction satisfaction_rate towards J and its
 * expectation E a fraction expectation_rate towards P. Between events d decays to 0
 * with time constant memory_days, in closed form from the day of its last update:
 * a household nobody touches costs nothing, and steady service gives a steady level.
 * Shared things live at grid level and are updated once a day (residents_day): G_g
 * relaxes (shared_days) towards the clamp to [0, 1] of s0 - problem_weight x unsolved environment and
 * safety problems per 100 households + contact_weight x (presence - presence_ref)
 * + project_weight x completed co-building projects per 1000 households of the
 * community. Presence is 1 - exp(-contacts / contact_scale), contacts per household
 * per year (staff and members' home visits, members' resolutions, fulfilled
 * micro-wishes, meeting settlements) smoothed over contact_days.
 * Trust is T = clamp(T_g - gap_g [resettled] + e), e an own deviation that follows
 * changes of d (trust_own_weight) and decays over 1/trust_rate years; T_g relaxes at
 * trust_rate a year towards (clamped to [0, 1]) trust_init + trust_sat_weight x (mean S - s0) +
 * trust_presence_weight x (presence - presence_ref); the resettled gap relaxes
 * (gap_days) towards gap0 x (1 - presence x good), good = clamp(1 + (mean S - s0) /
 * gap_sat_scale). trust_rate = 0 freezes trust. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "phases.h"
#include "rng.h"

void residents_record_outcome(struct world *w, const struct request *q, enum outcome_kind kind,
                              double t)
{
    struct outcome o = {.t = t, .id = q->id, .arose = q->arose, .known = q->known,
                        .household = q->household, .kind = (uint8_t)kind,
                        .level = q->level, .category = q->category, .flags = q->flags};
    outcome_push(&w->grids[q->grid].outcomes, &o);
    w->has_outcomes[q->grid] = 1;
    world_log(w, q, kind == OUT_RESOLVED ? EV_RESOLVED : kind == OUT_ABANDONED ? EV_ABANDONED
                                                                               : EV_CLOSED_UNSOLVED, t);
}

static int by_time(const void *a, const void *b)
{
    const struct outcome *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Keeps the time to close of a resolved or unsolved request (the summary's time to
 * resolution reads the resolved ones). */
static void keep_close_time(struct grid_state *gs, float hours, uint8_t category)
{
    if (gs->nclose == gs->capclose) {
        gs->capclose = gs->capclose ? 2 * gs->capclose : 64;
        gs->close_hours = gs_realloc(gs->close_hours, gs->capclose * sizeof *gs->close_hours);
        gs->close_cat = gs_realloc(gs->close_cat, gs->capclose * sizeof *gs->close_cat);
    }
    gs->close_hours[gs->nclose] = hours;
    gs->close_cat[gs->nclose++] = category;
}

static double outcome_performance(const struct params *p, const struct outcome *o, int *on_time)
{
    *on_time = 0;
    double perf;
    if (o->kind == OUT_ABANDONED)
        perf = p->satisfaction_abandon;
    else if (o->kind == OUT_UNSOLVED)
        perf = p->res.unsolved_score;
    else {
        double late = (o->t - o->known) - p->cat[o->category].deadline_hours;
        *on_time = late <= 0;
        perf = late <= 0 ? 1.0 : exp(-late / p->lateness_scale_hours);
    }
    if (o->flags & REQ_REOPENED)
        perf *= p->res.reopen_factor;
    return perf;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double trust_tau(const struct params *p)
{
    return p->trust_rate > 0 ? 365.0 / p->trust_rate : INFINITY;
}

/* Brings household i's own deviations forward to day t, keeping the grid's sums. */
static void bring_forward(const struct world *w, struct grid_state *gs, struct household *h, double t)
{
    const struct params *p = w->p;
    double ts = p->res.memory_days, tt = trust_tau(p);
    double dt = t - (double)h->t_last;
    if (!(dt > 0))
        return;
    if (h->sat_dev == 0.0f && h->trust_dev == 0.0f) {   /* nothing to fade (most households) */
        h->t_last = (float)t;
        return;
    }
    double d0 = h->sat_dev, e0 = h->trust_dev;
    gs->sat_acc -= d0 * exp((double)h->t_last / ts);
    double d1 = d0 * exp(-dt / ts);
    gs->sat_acc += d1 * exp(t / ts);
    h->sat_dev = (float)d1;
    if (isfinite(tt)) {
        gs->trust_acc -= e0 * exp((double)h->t_last / tt);
        double e1 = e0 * exp(-dt / tt);
        gs->trust_acc += e1 * exp(t / tt);
        h->trust_dev = (float)e1;
    }
    h->t_last = (float)t;
}

/* Adds ds to household h's own satisfaction deviation and de to its trust deviation,
 * at day t (h already brought forward to t). */
static void shift_household(const struct world *w, struct grid_state *gs, struct household *h,
                            double ds, double de, double t)
{
    const struct params *p = w->p;
    (void)t;   /* the deviations are those of day t_last (= t unless an earlier event came late) */
    double at = (double)h->t_last;
    h->sat_dev = (float)((double)h->sat_dev + ds);
    gs->sat_acc += ds * exp(at / p->res.memory_days);
    if (p->trust_rate > 0) {
        h->trust_dev = (float)((double)h->trust_dev + de);
        gs->trust_acc += de * exp(at / trust_tau(p));
    }
}

static void apply_outcome(struct world *w, struct grid_state *gs, const struct outcome *o)
{
    const struct params *p = w->p;
    struct household *h = &w->hh[o->household];
    int on_time;
    double perf = outcome_performance(p, o, &on_time);
    double t = o->t / 24.0;
    bring_forward(w, gs, h, t);
    double judged = (perf - p->res.performance_ref) +
                    p->res.disconfirmation_weight * (perf - (double)h->expect) +
                    ((o->flags & REQ_MEMBER) ? p->res.member_lift : 0.0);
    double ds = p->satisfaction_rate * (judged - (double)h->sat_dev);
    shift_household(w, gs, h, ds, p->res.trust_own_weight * ds, t);
    h->expect = (float)((double)h->expect + p->res.expectation_rate * (perf - (double)h->expect));
    struct category_count *cc = &gs->bycat[o->category];
    if (o->kind == OUT_RESOLVED) {
        gs->total.resolved[o->level]++;
        gs->total.on_time += on_time;
        cc->resolved++;
        cc->on_time += on_time;
        cc->hours_to_resolution += o->t - o->arose;
        keep_close_time(gs, (float)(o->t - o->arose), o->category);
    } else if (o->kind == OUT_UNSOLVED) {
        gs->total.unsolved[o->level]++;
        cc->unsolved++;
        keep_close_time(gs, (float)(o->t - o->arose), (uint8_t)(o->category | CLOSED_UNSOLVED));
    } else {
        gs->total.abandoned[o->level]++;
        cc->abandoned++;
    }
}

double residents_satisfaction_at(const struct world *w, int64_t g, int64_t i, double day)
{
    const struct household *h = &w->hh[i];
    const struct grid_state *gs = &w->grids[g];
    double d = h->sat_dev == 0.0f ? 0.0
                                  : (double)h->sat_dev * exp(-(day - (double)h->t_last) / w->p->res.memory_days);
    return clamp01(gs->res_shared + d);
}

double residents_trust_at(const struct world *w, int64_t g, int64_t i, double day)
{
    const struct household *h = &w->hh[i];
    const struct grid_state *gs = &w->grids[g];
    double e = h->trust_dev == 0.0f ? 0.0
                                     : (double)h->trust_dev * exp(-(day - (double)h->t_last) / trust_tau(w->p));
    return clamp01(gs->res_trust - (h->type == HH_RESETTLED ? gs->res_gap : 0.0) + e);
}

void residents_init(struct world *w)
{
    const struct params *p = w->p;
    for (int64_t g = 0; g < p->grids; g++) {
        int64_t H = world_grid_households(w, g);
        struct grid_state *gs = &w->grids[g];
        gs->res_shared = p->satisfaction_init;
        gs->res_trust = p->trust_init;
        gs->res_gap = p->trust_resettled_gap;
        gs->res_presence = p->res.presence_ref;
        gs->res_contacts = -p->res.contact_scale * log1p(-fmin(p->res.presence_ref, 0.999999));
        gs->n_resettled = 0;
        for (int64_t k = 0; k < H; k++)
            gs->n_resettled += w->hh[gs->hh_first + k].type == HH_RESETTLED;
        gs->satisfaction_sum = (double)H * p->satisfaction_init;
        gs->trust_sum = (double)H * p->trust_init - (double)gs->n_resettled * gs->res_gap;
    }
}

/* Shared problems of grid g: open environment and safety requests plus the stock
 * of those abandoned or closed unsolved (fading by `fade` a day), per 100 households. */
static double problems_per_100(struct grid_state *gs, double households, double fade)
{
    static const int shared[] = {CAT_ENVIRONMENT, CAT_SAFETY};
    int64_t open = 0, failed = 0;
    for (int k = 0; k < 2; k++) {
        const struct category_count *cc = &gs->bycat[shared[k]];
        open += cc->arisen - cc->resolved - cc->abandoned - cc->unsolved;
        failed += cc->abandoned + cc->unsolved;
    }
    gs->res_problems = gs->res_problems * fade +
                       (double)(failed - gs->seen_problems);
    gs->seen_problems = failed;
    return 100.0 * ((double)open + gs->res_problems) / households;
}

void residents_day(struct world *w, int64_t c, int64_t day)
{
    const struct params *p = w->p;
    const struct resident_params *r = &p->res;
    struct community_state *cs = &w->comm[c];
    double t = (double)day;
    double comm_hh = (double)cs->households;
    /* community-wide contacts of the day, shared evenly by its grids */
    int64_t wish = cs->wish_households, meet = cs->meeting_settled;
    double comm_contacts = (double)(wish - cs->seen_wish) + (double)(meet - cs->seen_meeting);
    cs->seen_wish = wish;
    cs->seen_meeting = meet;
    double projects = 0;
    for (int k = 0; k < N_CATEGORIES; k++) {
        projects += cs->proj_stock[k];
        cs->rate_cut[k] = fmin(r->project_cut_max, r->project_cut * cs->proj_stock[k] * 1000.0 / comm_hh);
        cs->proj_stock[k] *= exp(-1.0 / r->project_days);
    }
    double project_lift = r->project_weight * projects * 1000.0 / comm_hh;
    double a_shared = 1.0 - exp(-1.0 / r->shared_days), a_contact = 1.0 - exp(-1.0 / r->contact_days);
    double a_trust = 1.0 - exp(-p->trust_rate / 365.0), a_gap = 1.0 - exp(-1.0 / r->gap_days);
    double tt = trust_tau(p);
    /* the same for every grid of the day: taken once */
    double problem_fade = exp(-1.0 / r->problem_days), sat_fade = exp(-t / r->memory_days);
    double trust_fade = isfinite(tt) ? exp(-t / tt) : 0.0;
    for (int64_t g = cs->first_grid; g < cs->first_grid + cs->ngrids; g++) {
        struct grid_state *gs = &w->grids[g];
        double H = (double)world_grid_households(w, g);
        const struct workload *k = &w->work[LEVEL_GRID][g];
        double contacts = (k->visits_done - gs->seen_visits) + (gs->member_visits - gs->seen_member_visits) +
                          (double)(gs->member_resolved - gs->seen_member_resolved) +
                          comm_contacts / (double)cs->ngrids;
        gs->seen_visits = k->visits_done;
        gs->seen_member_visits = gs->member_visits;
        gs->seen_member_resolved = gs->member_resolved;
        gs->res_contacts += a_contact * (contacts * 365.0 / H - gs->res_contacts);
        gs->res_presence = 1.0 - exp(-gs->res_contacts / r->contact_scale);
        double target = clamp01(p->satisfaction_init - r->problem_weight * problems_per_100(gs, H, problem_fade) +
                                r->contact_weight * (gs->res_presence - r->presence_ref) + project_lift);
        gs->res_shared += a_shared * (target - gs->res_shared);
        double own = gs->sat_acc * sat_fade;
        double mean_sat = gs->res_shared + own / H;
        double own_trust = isfinite(tt) ? gs->trust_acc * trust_fade : 0.0;
        if (p->trust_rate > 0) {
            double tt_target = clamp01(p->trust_init + r->trust_sat_weight * (mean_sat - p->satisfaction_init) +
                                       r->trust_presence_weight * (gs->res_presence - r->presence_ref));
            gs->res_trust += a_trust * (tt_target - gs->res_trust);
            double good = clamp01(1.0 + (mean_sat - p->satisfaction_init) / r->gap_sat_scale);
            double gap_target = p->trust_resettled_gap * (1.0 - gs->res_presence * good);
            gs->res_gap += a_gap * (gap_target - gs->res_gap);
        }
        /* the daily sums assume no household is at a bound of [0, 1]; kept in [0, H] */
        gs->satisfaction_sum = fmin(fmax(H * gs->res_shared + own, 0.0), H);
        gs->trust_sum = fmin(fmax(H * gs->res_trust - (double)gs->n_resettled * gs->res_gap + own_trust, 0.0), H);
    }
}

void residents_wish_fulfilled(struct world *w, int64_t c, int64_t day, gsl_rng *r)
{
    const struct params *p = w->p;
    struct community_state *cs = &w->comm[c];
    int64_t n = cs->households;
    int64_t i = (int64_t)w->grids[cs->first_grid].hh_first + (int64_t)(rng_uniform(r) * (double)n);
    int64_t g = cs->first_grid;   /* the grid holding household i: grids differ in size */
    while (g + 1 < cs->first_grid + cs->ngrids && (int64_t)w->grids[g + 1].hh_first <= i)
        g++;
    struct grid_state *gs = &w->grids[g];
    struct household *h = &w->hh[i];
    double t = (double)day;
    bring_forward(w, gs, h, t);
    shift_household(w, gs, h, p->res.wish_lift, p->res.wish_trust_lift, t);
    cs->wish_households++;
}

void residents_prefetch(const struct world *w, int64_t g)
{
    if (!w->has_outcomes[g])
        return;
    const struct outcome_vec *v = &w->grids[g].outcomes;
    for (size_t i = 0; i < v->n; i++)
        __builtin_prefetch(&w->hh[v->a[i].household], 1);
}

void residents_respond(struct world *w, int64_t g)
{
    if (!w->has_outcomes[g])   /* checked without touching the grid's state */
        return;
    w->has_outcomes[g] = 0;
    struct grid_state *gs = &w->grids[g];
    if (gs->outcomes.n > 1)
        qsort(gs->outcomes.a, gs->outcomes.n, sizeof *gs->outcomes.a, by_time);
    for (size_t i = 0; i < gs->outcomes.n; i++)
        apply_outcome(w, gs, &gs->outcomes.a[i]);
    gs->outcomes.n = 0;
}
