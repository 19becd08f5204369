/* Directional tests of the governance mechanisms. Each compares two settings of
 * one lever over several replicates with the same seeds (common random numbers)
 * and checks the paired mean difference has the expected sign, at least two
 * standard errors from zero. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "shift.h"
#include "testutil.h"

#define REPS 6
#define MAX_SETS 12

/* A small district: 1 street, 4 communities, 16 grids. */
static const char *const small[] = {"world.streets=1", "world.communities=4", "world.grids=16",
                                    "time.days=90"};
#define NSMALL 4

struct contrast {
    const char *what;
    int field;
    const char *a[MAX_SETS], *b[MAX_SETS];   /* settings of runs A and B, NULL-ended */
};

static int with_small(const char *const *extra, const char **out)
{
    int n = 0;
    for (int i = 0; i < NSMALL; i++)
        out[n++] = small[i];
    for (int i = 0; extra[i]; i++)
        out[n++] = extra[i];
    return n;
}

/* Paired difference B - A over REPS seeds: mean and standard error. */
static void paired(const struct contrast *c, double *mean, double *se)
{
    const char *sa[NSMALL + MAX_SETS], *sb[NSMALL + MAX_SETS];
    int na = with_small(c->a, sa), nb = with_small(c->b, sb);
    double va[REPS], vb[REPS], d[REPS], m = 0, v = 0;
    replicate_field(sa, na, c->field, REPS, va);
    replicate_field(sb, nb, c->field, REPS, vb);
    for (int r = 0; r < REPS; r++)
        m += (d[r] = vb[r] - va[r]) / REPS;
    for (int r = 0; r < REPS; r++)
        v += (d[r] - m) * (d[r] - m) / (REPS - 1);
    *mean = m;
    *se = sqrt(v / REPS);
}

/* Checks B - A has the sign `sign` (+1 or -1), two standard errors from zero. */
static void expect(const struct contrast *c, int sign)
{
    double m, se;
    paired(c, &m, &se);
    printf("%-58s B - A = %+.4g (SE %.2g)\n", c->what, m, se);
    CHECK(sign * m > 0 && fabs(m) > 2 * se, "%s: B - A = %g, SE %g, expected sign %+d", c->what,
          m, se, sign);
}

static void test_app_keeps_requests_in_grid(void)
{
    struct contrast c = {"app: share resolved in the grid", S_SHARE_GRID,
                         {"app.share_grids=0", NULL}, {"app.share_grids=1", NULL}};
    expect(&c, +1);
}

static void test_docking_shortens_docked_categories(void)
{
    /* utilities docked; the mean time of utilities requests falls */
    struct contrast c = {"docking: utilities time to resolution", -1,
                         {"category.utilities.p_street=0.5", "meetings.settle_waits=false", NULL},
                         {"category.utilities.p_street=0.5", "category.utilities.docked=1",
                          "meetings.settle_waits=false", NULL}};   /* meetings settling utilities' waits add noise */
    const char *sa[NSMALL + MAX_SETS], *sb[NSMALL + MAX_SETS];
    int na = with_small(c.a, sa), nb = with_small(c.b, sb);
    double d[REPS], m = 0, v = 0;
    for (int r = 0; r < REPS; r++) {
        struct param_set *pa = params_from(sa, na), *pb = params_from(sb, nb);
        struct sim_output oa, ob;
        pa->p.seed = pb->p.seed = r + 1;
        run_model(&pa->p, &oa);
        run_model(&pb->p, &ob);
        d[r] = ob.summary.cat[C_TTR_MEAN][CAT_UTILITIES] - oa.summary.cat[C_TTR_MEAN][CAT_UTILITIES];
        CHECK(ob.summary.v[S_DOCKED_SKIPS] > 0 && oa.summary.v[S_DOCKED_SKIPS] == 0,
              "docked skips %g with docking, %g without", ob.summary.v[S_DOCKED_SKIPS],
              oa.summary.v[S_DOCKED_SKIPS]);
        sim_output_free(&oa);
        sim_output_free(&ob);
        param_set_free(pa);
        param_set_free(pb);
        m += d[r] / REPS;
    }
    for (int r = 0; r < REPS; r++)
        v += (d[r] - m) * (d[r] - m) / (REPS - 1);
    double se = sqrt(v / REPS);
    printf("%-58s B - A = %+.4g (SE %.2g)\n", c.what, m, se);
    CHECK(m < 0 && -m > 2 * se, "docking: utilities time changed by %g h (SE %g)", m, se);
}

static void test_meeting_cadence_lowers_backlog(void)
{
    /* few street caseworkers, so cases pile up between meetings */
    struct contrast c = {"meetings weekly vs every 4 weeks: escalated backlog",
                         S_ESCALATED_BACKLOG_MEAN,
                         {"street.caseworkers=1", "meetings.street_interval_days=28", NULL},
                         {"street.caseworkers=1", "meetings.street_interval_days=7", NULL}};
    expect(&c, -1);
}

static void test_meetings_off_means_none(void)
{
    const char *sets[] = {"world.grids=4", "world.communities=2", "world.streets=1", "time.days=60",
                          "meetings.street_interval_days=0", "meetings.district_interval_days=0"};
    struct param_set *ps = params_from(sets, 6);
    struct sim_output out;
    run_model(&ps->p, &out);
    CHECK(out.summary.v[S_MEETINGS_HELD] == 0 && out.summary.v[S_RESOLVED_BY_MEETINGS] == 0,
          "meetings switched off, yet %g held", out.summary.v[S_MEETINGS_HELD]);
    sim_output_free(&out);
    param_set_free(ps);
}

/* A community loaded with top-down tasks, as in the "before" case scenarios. */
#define LOADED "tasks.community.per_week=30", "tasks.grid.per_week=4", "visits.grid_per_household_year=4"

/* Paired difference B - A of level field f at level l (common seeds 1..REPS). */
static void paired_level(const struct contrast *c, int l, double *mean, double *se)
{
    const char *sa[NSMALL + MAX_SETS], *sb[NSMALL + MAX_SETS];
    int na = with_small(c->a, sa), nb = with_small(c->b, sb);
    double d[REPS], m = 0, v = 0;
    for (int r = 0; r < REPS; r++) {
        struct param_set *pa = params_from(sa, na), *pb = params_from(sb, nb);
        struct sim_output oa, ob;
        pa->p.seed = pb->p.seed = r + 1;
        run_model(&pa->p, &oa);
        run_model(&pb->p, &ob);
        d[r] = c->field >= 0 ? ob.summary.level[c->field][l] - oa.summary.level[c->field][l]
                             : ob.summary.v[-c->field - 1] - oa.summary.v[-c->field - 1];
        sim_output_free(&oa);
        sim_output_free(&ob);
        param_set_free(pa);
        param_set_free(pb);
        m += d[r] / REPS;
    }
    for (int r = 0; r < REPS; r++)
        v += (d[r] - m) * (d[r] - m) / (REPS - 1);
    *mean = m;
    *se = sqrt(v / REPS);
}

static void expect_level(const struct contrast *c, int l, int sign, double margin)
{
    double m, se;
    paired_level(c, l, &m, &se);
    printf("%-58s B - A = %+.4g (SE %.2g)\n", c->what, m, se);
    CHECK(sign * m > margin && fabs(m) > 2 * se, "%s: B - A = %g, SE %g, expected sign %+d beyond %g",
          c->what, m, se, sign, margin);
}

static void test_admission_control_cuts_task_hours(void)
{
    struct contrast c = {"admission control: community hours on top-down tasks", L_HOURS_TASKS,
                         {LOADED, NULL}, {LOADED, "admin.admission_control=1", NULL}};
    expect_level(&c, LEVEL_COMMUNITY, -1, 0);
    struct contrast refused = {"admission control: tasks refused", L_TASKS_REFUSED,
                               {LOADED, NULL}, {LOADED, "admin.admission_control=1", NULL}};
    expect_level(&refused, LEVEL_COMMUNITY, +1, 0);
}

static void test_fewer_staff_worse_on_time(void)
{
    /* loaded community: 3 staff cannot keep up with tasks and requests, 8 can; the
     * on-time rate must differ by a clear margin (5 points), not by noise */
    struct contrast c = {"loaded community, 3 vs 8 staff: on-time resolution", -S_ON_TIME_RATE - 1,
                         {LOADED, "community.staff=3", NULL}, {LOADED, "community.staff=8", NULL}};
    expect_level(&c, 0, +1, 0.05);
}

static void test_burden_cut_frees_hours(void)
{
    struct contrast tasks = {"burden cut 0.5: community hours on tasks", L_HOURS_TASKS,
                             {LOADED, "community.staff=4", NULL},
                             {LOADED, "community.staff=4", "tasks.burden_cut=0.5", NULL}};
    expect_level(&tasks, LEVEL_COMMUNITY, -1, 0);
    struct contrast wait = {"burden cut 0.5: community mean wait", L_WAIT_MEAN,
                            {LOADED, "community.staff=4", NULL},
                            {LOADED, "community.staff=4", "tasks.burden_cut=0.5", NULL}};
    expect_level(&wait, LEVEL_COMMUNITY, -1, 0);
    struct contrast on_time = {"burden cut 0.5: on-time resolution", -S_ON_TIME_RATE - 1,
                               {LOADED, "community.staff=4", NULL},
                               {LOADED, "community.staff=4", "tasks.burden_cut=0.5", NULL}};
    expect_level(&on_time, 0, +1, 0);
}

static void test_neutral_tasks_change_nothing(void)
{
    /* task rates 0: whatever the other task settings, the run is the run without tasks */
    const char *base[] = {"world.streets=1", "world.communities=4", "world.grids=16", "time.days=60"};
    const char *odd[] = {"world.streets=1", "world.communities=4", "world.grids=16", "time.days=60",
                         "tasks.grid.hours=100", "tasks.community.deadline_days=1", "tasks.slack_hours=0",
                         "tasks.burden_cut=0.9", "admin.admission_control=1", "tasks.funded_share=0",
                         "tasks.quota_hours=200", "tasks.hours_cv=3", "tasks.bought_hour_cost=999"};
    struct param_set *pa = params_from(base, 4), *pb = params_from(odd, 13);
    struct sim_output a, b;
    run_model(&pa->p, &a);
    run_model(&pb->p, &b);
    CHECK(same_output(&a, &b), "task rates 0 with other task settings changed the results");
    for (int l = 0; l < N_LEVELS; l++)
        CHECK(b.summary.level[L_HOURS_TASKS][l] == 0 && b.summary.level[L_TASKS_ARRIVED][l] == 0,
              "level %d: %g task hours with every task rate 0", l, b.summary.level[L_HOURS_TASKS][l]);
    sim_output_free(&a);
    sim_output_free(&b);
    param_set_free(pa);
    param_set_free(pb);
}

static void test_trust_follows_outcomes(void)
{
    /* with trust fixed, mean trust stays at its start; with good service and presence
     * (staff to spare, many members visiting) it rises (docs/ODD.md 7.15) */
    struct contrast c = {"trust: mean trust with feedback vs fixed", S_TRUST_MEAN,
                         {"resident.trust_rate=0", "grid.workers=4", "community.staff=12",
                          "members.in_service_per_community=1500", NULL},
                         {"resident.trust_rate=1", "grid.workers=4", "community.staff=12",
                          "members.in_service_per_community=1500", NULL}};
    expect(&c, +1);
}

static void test_funding_buys_staff(void)
{
    /* 240,000 yuan pays the centre, subsidies and 1 of 8 posts; 800,000 all of them (with
     * 3 of 8 posts, at 400,000, the community is not yet the bottleneck: the difference
     * in mean time to resolution is within sampling noise) */
    struct contrast c = {"funding: mean time to resolution, 0.24 vs 0.8 million", S_TTR_MEAN,
                         {"budget.community_per_year=240000", "community.staff=8", NULL},
                         {"budget.community_per_year=800000", "community.staff=8", NULL}};
    expect(&c, -1);
    const char *sets[] = {"world.grids=4", "world.communities=2", "world.streets=1", "time.days=10",
                          "budget.community_per_year=400000"};
    struct param_set *ps = params_from(sets, 5);
    struct sim_output out;
    run_model(&ps->p, &out);
    /* docs/ODD.md: posts = floor((budget - centre cost a year - subsidies) / cost per post) */
    const struct params *p = &ps->p;
    struct shift centre = {.start = p->shift[LEVEL_COMMUNITY].start_hour,
                           .len = p->shift[LEVEL_COMMUNITY].hours,
                           .days = (int)p->shift[LEVEL_COMMUNITY].work_days, .off_on_holidays = 1};
    double rest = p->budget_community - p->centre_cost_hour * shift_duty_hours(&centre, 0, 8760) -
                  p->grid_subsidy * 2;
    double unfunded = 2 * (8 - floor(rest / p->staff_cost_year[LEVEL_COMMUNITY]));
    CHECK(out.summary.v[S_POSTS_UNFUNDED] == unfunded, "%g posts unfunded, expected %g",
          out.summary.v[S_POSTS_UNFUNDED], unfunded);
    sim_output_free(&out);
    param_set_free(ps);
}

static void test_pay_lowers_turnover(void)
{
    struct contrast c = {"pay at the benchmark: staff quits", S_STAFF_QUITS,
                         {"time.days=360", "grid.staff_cost_per_year=40000", "community.staff_cost_per_year=40000", NULL},
                         {"time.days=360", "grid.staff_cost_per_year=75000", "community.staff_cost_per_year=75000", NULL}};
    expect(&c, -1);
}

static void test_pooled_staff_faster(void)
{
    /* same speed: specialised queues (no AB posts) wait longer than one pooled queue */
    struct contrast c = {"AB posts off (specialised, same speed): time to resolution", S_TTR_MEAN,
                         {"community.staff=3", "service.community_factor=4", NULL},
                         {"community.staff=3", "service.community_factor=4", "community.ab_posts=false",
                          "service.specialist_factor=1", NULL}};
    expect(&c, +1);
}

int main(void)
{
    test_app_keeps_requests_in_grid();
    test_docking_shortens_docked_categories();
    test_meeting_cadence_lowers_backlog();
    test_meetings_off_means_none();
    test_admission_control_cuts_task_hours();
    test_fewer_staff_worse_on_time();
    test_burden_cut_frees_hours();
    test_neutral_tasks_change_nothing();
    test_trust_follows_outcomes();
    test_funding_buys_staff();
    test_pay_lowers_turnover();
    test_pooled_staff_faster();
    return check_report("test_directions");
}
