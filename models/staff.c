/* staff.c: funded posts, turnover and vacancies of grid workers and community staff.
 *
 * A community's budget (its own plus its share of the district fund), after the
 * service centre's running cost and its grids' subsidies, pays for at most
 * floor(rest / cost per staff-year) community posts; the others stay empty all
 * run. Every 30 days each filled grid and community post is left with a
 * probability that falls linearly from staff.turnover_ceiling at zero pay to
 * staff.turnover_floor at pay = staff.pay_benchmark_ratio x local income (pay is
 * the level's staff cost per year), times staff.career_factor with a career path,
 * plus staff.burnout_slope x the unit's overload: its busy hours over the last 30
 * days (u->busy_hours, every use of staff time) / the duty hours of its filled
 * posts, above staff.burnout_threshold. A post left empty is filled after an
 * exponential time; a job in hand (or a block of task work) is finished first. The
 * new holder's service times start staff.new_hire_factor times longer, the excess
 * decaying with time constant staff.ramp_weeks. The duty hours of empty posts are
 * kept, so utilisation counts filled posts only. staff.cut_day empties a share
 * staff.cut_share of every grid's and community's posts for the rest of the run (at
 * the first monthly check on or after that day; needs turnover on). */
#include <math.h>

#include "phases.h"
#include "rng.h"

double staff_quit_probability(const struct params *p, int level)
{
    double ratio = p->staff_cost_year[level] / p->local_income;
    double gap = fmax(0.0, 1.0 - ratio / p->pay_benchmark);
    return p->turnover_floor + (p->turnover_ceiling - p->turnover_floor) * gap;
}

/* Community posts the budget pays for (all of them when the budget is 0). */
static int64_t funded_posts(const struct world *w)
{
    const struct params *p = w->p;
    if (p->budget_community <= 0)
        return p->staff[LEVEL_COMMUNITY];
    double year_duty = shift_duty_hours(&w->shift[LEVEL_COMMUNITY][0], 0, 365 * 24.0);
    double grids = (double)p->grids / (double)p->communities;
    double rest = p->budget_community + p->district_fund / (double)p->communities -
                  p->centre_cost_hour * year_duty - p->grid_subsidy * grids;
    double posts = floor(fmax(0.0, rest) / fmax(p->staff_cost_year[LEVEL_COMMUNITY], 1e-9));
    return posts < (double)p->staff[LEVEL_COMMUNITY] ? (int64_t)posts : p->staff[LEVEL_COMMUNITY];
}

void staff_init(struct world *w)
{
    for (int l = 0; l < N_LEVELS; l++)
        w->funded[l] = w->p->staff[l];
    w->funded[LEVEL_COMMUNITY] = funded_posts(w);
    for (int64_t j = 0; j < w->nunits[LEVEL_COMMUNITY]; j++) {
        struct unit *u = &w->units[LEVEL_COMMUNITY][j];
        for (int k = (int)w->funded[LEVEL_COMMUNITY]; k < u->nservers; k++) {
            u->servers[k].vacant_until = INFINITY;
            u->nclosed++;
            server_set_ready(u, &u->servers[k]);
            u->vacant_hours += w->horizon;
            u->vacant_duty_hours += shift_duty_hours(u->servers[k].shift, 0, w->horizon);
        }
    }
}

double staff_speed_factor(const struct world *w, const struct server *s, double t)
{
    const struct params *p = w->p;
    /* Past 40 ramp times the factor is 1 exactly in double precision (1 + 9 e^-40 rounds
     * to 1; new_hire_factor <= 10): experienced staff (hired_at = -INFINITY) and most
     * others need no exp. */
    double ramp = p->ramp_weeks * 168.0;
    if (p->new_hire_factor == 1.0 || !(t > s->hired_at) || t - s->hired_at > 40.0 * ramp)
        return 1.0;
    return 1.0 + (p->new_hire_factor - 1.0) * exp(-(t - s->hired_at) / ramp);
}

double staff_day_duty(const struct world *w, int level, int64_t j, double t, int *on_duty)
{
    const struct unit *u = &w->units[level][j];
    double duty = 0;
    *on_duty = 0;
    if (u->vacancy_max <= t - 24.0 && w->p->shift[level].stagger_hours <= 0) {
        /* every post is filled all day or closed for good (0 hours), all on shift 0:
         * the same sum as below without reading the servers */
        double h = shift_duty_hours(&w->shift[level][0], t - 24.0, t);
        for (int i = 0; i < u->nservers - u->nclosed; i++)
            duty += h;
        *on_duty = h > 0 ? u->nservers - u->nclosed : 0;
        return duty;
    }
    struct duty_memo m = {0};
    for (int i = 0; i < u->nservers; i++) {
        const struct server *s = &u->servers[i];
        double h = shift_duty_hours_memo(&m, s->shift, fmax(t - 24.0, s->vacant_until), t);
        duty += h;
        *on_duty += h > 0;
    }
    return duty;
}

/* Busy share of the duty hours of u's filled posts over the 30 days before t. */
static double overload(const struct world *w, struct unit *u, double t)
{
    double busy = u->busy_hours - u->busy_mark, duty = 0;
    u->busy_mark = u->busy_hours;
    struct duty_memo m = {0};
    for (int k = 0; k < u->nservers; k++)
        if (u->servers[k].vacant_until <= t)
            duty += shift_duty_hours_memo(&m, u->servers[k].shift, fmax(0.0, t - 720.0), t);
    (void)w;
    return duty > 0 ? busy / duty : 0.0;
}

/* staff.cut_day: the last posts of u are emptied for good at the first monthly check
 * on or after the cut day (a collapse of service, for experiments). */
static void cut_posts(struct world *w, struct unit *u, double t)
{
    const struct params *p = w->p;
    double cut = (double)p->cut_day * 24.0;
    if (p->cut_day <= 0 || !(t >= cut && t - 720.0 < cut))
        return;
    int keep = (int)ceil((double)u->nservers * (1.0 - p->cut_share));
    for (int k = keep; k < u->nservers; k++) {
        struct server *s = &u->servers[k];
        double from = fmax(fmax(t, s->free_at), s->vacant_until > t ? s->vacant_until : t);
        if (from < w->horizon) {
            u->vacant_hours += w->horizon - from;
            u->vacant_duty_hours += shift_duty_hours(s->shift, from, w->horizon);
        }
        u->nclosed += s->vacant_until != INFINITY;
        s->vacant_until = INFINITY;
        server_set_ready(u, s);
    }
}

static void unit_turnover(struct world *w, struct unit *u, int64_t j, int64_t month, double t,
                          gsl_rng *r)
{
    const struct params *p = w->p;
    double quit = staff_quit_probability(p, u->level);
    if (p->career_path)
        quit *= p->career_factor;
    if (p->burnout_slope > 0) {
        double over = overload(w, u, t) - p->burnout_threshold;
        if (over > 0)
            quit = fmin(1.0, quit + p->burnout_slope * over);
    }
    rng_stream_set(r, (uint64_t)p->seed, RNG_STAFF, (uint64_t)j, (uint64_t)month, u->level);
    for (int k = 0; k < u->nservers; k++) {
        struct server *s = &u->servers[k];
        double x = rng_uniform(r), fill = rng_exponential(r, p->vacancy_days * 24.0);
        if (s->vacant_until > t || x >= quit)
            continue;
        double from = fmax(t, s->free_at);
        s->vacant_until = from + fill;
        u->vacancy_max = fmax(u->vacancy_max, s->vacant_until);
        s->hired_at = s->vacant_until;
        server_set_ready(u, s);
        u->vacant_hours += fmax(0.0, fmin(s->vacant_until, w->horizon) - fmin(from, w->horizon));
        u->vacant_duty_hours += shift_duty_hours(s->shift, fmin(from, w->horizon),
                                                 fmin(s->vacant_until, w->horizon));
        u->quits++;
    }
}

int staff_turnover_due(const struct world *w, double t0)
{
    const struct params *p = w->p;
    double day = t0 / 24.0;
    return !(day == 0 || day != floor(day) || fmod(day, 30.0) != 0 ||
             p->turnover_ceiling + p->turnover_floor <= 0);
}

void staff_turnover(struct world *w, int level, int64_t j, double t0, gsl_rng *r)
{
    int64_t month = (int64_t)(t0 / 24.0) / 30;
    unit_turnover(w, &w->units[level][j], j, month, t0, r);
    cut_posts(w, &w->units[level][j], t0);
    w->wake[level][j] = -INFINITY;   /* its servers changed */
}
