/* visits.c: proactive work with the staff time left over.
 *
 * Grid workers visit households (入户走访, visits.grid_per_household_year visits a
 * household a year), collect basic data (采集基础数据,
 * visits.data_hours_per_household_year) and patrol (grid.patrol_hours per worker on
 * duty that day); community staff visit households too
 * (visits.community_per_household_year). This is the work that is dropped when staff
 * are short: each day, after residents' requests and top-down tasks (tasks.c), the
 * unit's idle duty hours of the day go to it. Targets not met are carried for at most
 * visits.carry_days (patrol is not carried: a patrol missed is missed). Visits are
 * counted per grid and community, never per household, so a year at city scale costs
 * a few operations per unit and day.
 *
 * Detection: an unreported need in a grid is found at a hazard
 * intake.patrol_efficiency x (patrol-equivalent hours per household per day), where
 * patrol-equivalent hours are patrol hours plus visits.detection_weight x visit hours
 * actually done, smoothed over about a week. So when visits and patrols are dropped,
 * needs stay unknown longer (intake.c reads the grid's hazard). */
#include <math.h>

#include "phases.h"

static double visit_target_day(const struct params *p, int level, double households)
{
    double f = level == LEVEL_GRID ? p->visit.grid_per_household_year
                                   : p->visit.community_per_household_year;
    return households * f / 365.0;   /* visits */
}

static double planned_patrol_day(const struct world *w, double households)
{
    const struct params *p = w->p;
    double per_day = (double)p->staff[LEVEL_GRID] * p->patrol_hours *
                     (double)p->shift[LEVEL_GRID].work_days / 7.0;
    double visits = visit_target_day(p, LEVEL_GRID, households) *
                    p->visit.hours_per_visit;
    return per_day + p->visit.detection_weight * visits;
}

static double hazard_of(const struct world *w, int64_t g, double patrol_equiv_per_day)
{
    return w->p->patrol_efficiency * patrol_equiv_per_day / (double)world_grid_households(w, g);
}

void visits_init(struct world *w)
{
    for (int64_t g = 0; g < w->p->grids; g++) {
        double planned = planned_patrol_day(w, (double)world_grid_households(w, g));
        w->work[LEVEL_GRID][g].patrol_done_day = planned;
        w->patrol_hazard[g] = hazard_of(w, g, planned);
    }
}

/* One unit's proactive work of the day ending at t; returns patrol-equivalent hours. */
static double unit_day(struct world *w, int level, int64_t j, double households, double t)
{
    const struct params *p = w->p;
    struct workload *k = &w->work[level][j];
    struct unit *u = &w->units[level][j];
    double hpv = p->visit.hours_per_visit;
    double visit_h = visit_target_day(p, level, households) * hpv;
    double data_h = level == LEVEL_GRID ? households * p->visit.data_hours_per_household_year / 365.0 : 0.0;
    int on_duty = 0;
    if (level == LEVEL_GRID)
        staff_day_duty(w, level, j, t, &on_duty);
    double patrol_h = level == LEVEL_GRID ? p->patrol_hours * (double)on_duty : 0.0;
    k->visit_target += visit_h / hpv;
    double cap = fmax(1.0, p->visit.carry_days);
    k->visits_owed = fmin(k->visits_owed + visit_h, cap * visit_h);
    k->proactive_owed = fmin(k->proactive_owed + data_h, cap * data_h);   /* data collection */
    double want = k->visits_owed + k->proactive_owed + patrol_h;
    double use = fmin(fmax(k->credit, 0.0), want);
    if (!(use > 0))
        return 0.0;
    double share = use / want;   /* every kind of proactive work is cut alike */
    double v = k->visits_owed * share, d = k->proactive_owed * share, pt = patrol_h * share;
    k->visits_owed -= v;
    k->proactive_owed -= d;
    k->visits_done += v / hpv;
    k->hours_visits += v;
    k->hours_proactive += use;
    u->busy_hours += use;
    k->credit -= use;
    return pt + p->visit.detection_weight * v;
}

void visits_day(struct world *w, int64_t c, double t)
{
    const int64_t *first = w->child_first[LEVEL_COMMUNITY];
    for (int64_t g = first[c]; g < first[c + 1]; g++) {
        double x = unit_day(w, LEVEL_GRID, g, (double)world_grid_households(w, g), t);
        struct workload *k = &w->work[LEVEL_GRID][g];
        k->patrol_done_day += (x - k->patrol_done_day) / 7.0;
        w->patrol_hazard[g] = hazard_of(w, g, k->patrol_done_day);
    }
    unit_day(w, LEVEL_COMMUNITY, c, (double)w->comm[c].households, t);
}
