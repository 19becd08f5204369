/* Model properties: conservation at every level, zero rate, thread independence,
 * more staff never slower (common random numbers), working hours, and the
 * M/M/c queue against the Erlang C formula. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "batch.h"
#include "check.h"
#include "queueing.h"
#include "sched.h"
#include "conservation.h"
#include "testutil.h"
#include "shift.h"

static void run(const struct param_set *ps, struct sim_output *out)
{
    run_model(&ps->p, out);
}

static void test_conservation(void)
{
    const char *cases[][6] = {
        {"time.days=60", NULL},
        {"time.days=60", "escalation.time_limit=1", "intake.acceptance_24h=0", "grid.stagger_hours=4",
         "community.stagger_hours=3", NULL},
        {"time.days=60", "community.ab_posts=0", "budget.community_per_year=400000",
         "staff.turnover_ceiling=0.3", "category.safety.docked=1", NULL},
        {"time.days=60", "grid.workers=0", "community.staff=1", NULL},    /* overloaded */
        {"time.days=60", "escalation.overdue_enabled=false", "resident.patience_hours=5", NULL},
        {"time.days=30", "time.step_hours=6", "output.interval_days=7", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = 0;
        while (n < 6 && cases[i][n])
            n++;
        struct param_set *ps = params_from(cases[i], n);
        struct sim_output out;
        run(ps, &out);
        char label[32];
        snprintf(label, sizeof label, "case %zu", i);
        check_conservation(label, &out.summary);
        double arisen = 0;   /* the series adds up to the summary */
        for (int64_t k = 0; k < out.series.nrows * out.series.ncols; k++)
            arisen += out.series.data[TS_ARISEN][k];
        CHECK(arisen == out.summary.v[S_ARISEN], "%s: series arisen %g, summary %g", label, arisen,
              out.summary.v[S_ARISEN]);
        CHECK(out.series.row == out.series.nrows, "%s: %lld of %lld series rows written", label,
              (long long)out.series.row, (long long)out.series.nrows);
        sim_output_free(&out);
        param_set_free(ps);
    }
}

static void test_zero_rate(void)
{
    /* no requests and no shared effects (contacts weigh nothing, no projects or wishes):
     * every household stays at the initial satisfaction */
    struct param_set *ps = params_with("time.days=20", "requests.rate_urban=0", "requests.rate_resettled=0",
                                       "requests.rate_migrant=0", "resident.contact_weight=0",
                                       "microwish.enabled=false", "cobuild.enabled=false", NULL);
    struct sim_output out;
    run(ps, &out);
    const struct summary *s = &out.summary;
    CHECK(s->v[S_ARISEN] == 0 && s->v[S_RESOLVED] == 0 && s->v[S_ABANDONED] == 0 && s->v[S_ESCALATIONS] == 0,
          "zero request rate gave requests");
    CHECK(isnan(s->v[S_TTR_MEAN]), "time to resolution defined without resolutions");
    CHECK(fabs(s->v[S_SAT_MEAN] - ps->p.satisfaction_init) < 1e-9, "satisfaction moved without outcomes: %g",
          s->v[S_SAT_MEAN]);
    sim_output_free(&out);
    param_set_free(ps);
}

static void test_threads(void)
{
    struct param_set *ps = params_with("time.days=45", "grid.workers=1", NULL);
    struct sim_output ref, out;
    int usual = omp_get_max_threads();
    omp_set_num_threads(1);
    run(ps, &ref);
    int counts[] = {2, 3, 8};
    for (int i = 0; i < 3; i++) {
        omp_set_num_threads(counts[i]);
        run(ps, &out);
        CHECK(same_output(&ref, &out), "results with %d threads differ from 1 thread", counts[i]);
        sim_output_free(&out);
    }
    omp_set_num_threads(usual);
    param_set_free(ps);
    ps = params_with("time.days=45", "grid.workers=1", "run.seed=2", NULL);
    run(ps, &out);
    CHECK(!same_output(&ref, &out), "seed 2 gave the same results as seed 1");
    sim_output_free(&out);
    sim_output_free(&ref);
    param_set_free(ps);
}

static void test_more_staff_not_slower(void)
{
    for (int seed = 1; seed <= 3; seed++) {
        char s[32];
        snprintf(s, sizeof s, "run.seed=%d", seed);
        struct param_set *few = params_with(s, "time.days=60", "grid.workers=1", NULL);
        struct param_set *many = params_with(s, "time.days=60", "grid.workers=3", NULL);
        struct sim_output a, b;
        run(few, &a);
        run(many, &b);
        CHECK(a.summary.v[S_ARISEN] == b.summary.v[S_ARISEN], "arrivals differ with staffing");
        CHECK(b.summary.v[S_TTR_MEAN] <= a.summary.v[S_TTR_MEAN],
              "seed %d: 3 grid workers mean %g h slower than 1 worker %g h", seed,
              b.summary.v[S_TTR_MEAN], a.summary.v[S_TTR_MEAN]);
        sim_output_free(&a);
        sim_output_free(&b);
        param_set_free(few);
        param_set_free(many);
    }
}

static void test_shift(void)
{
    struct shift s = {.start = 8.5, .len = 8, .days = 5};
    CHECK(shift_next_on_duty(&s, 0.0) == 8.5, "Monday 00:00 -> 08:30");
    CHECK(shift_next_on_duty(&s, 10.0) == 10.0, "Monday 10:00 on duty");
    CHECK(shift_next_on_duty(&s, 16.5) == 24 + 8.5, "Monday 16:30 -> Tuesday 08:30");
    CHECK(shift_next_on_duty(&s, 4 * 24 + 17) == 7 * 24 + 8.5, "Friday evening -> Monday");
    CHECK(fabs(shift_duty_hours(&s, 0, 7 * 24) - 40) < 1e-12, "40 duty hours a week");
    struct shift always = {.start = 0, .len = 24, .days = 7}, never = {.start = 8, .len = 8, .days = 0};
    CHECK(shift_next_on_duty(&always, 123.4) == 123.4, "24/7 duty");
    CHECK(isinf(shift_next_on_duty(&never, 0)), "no working days");
    struct shift holiday = {.start = 8.5, .len = 8, .days = 5, .off_on_holidays = 1};
    CHECK(shift_is_holiday(0) && shift_is_holiday(273) && !shift_is_holiday(1), "holiday calendar");
    CHECK(shift_next_on_duty(&holiday, 10.0) == 24 + 8.5, "New Year's Day -> 2 January 08:30");
    CHECK(shift_next_on_duty(&holiday, 273 * 24 + 9) == 276 * 24 + 8.5,
          "National Day (Monday 1 October) -> Thursday 4 October");
    CHECK(fabs(shift_duty_hours(&holiday, 0, 7 * 24) - 32) < 1e-12, "32 duty hours in New Year's week");
    CHECK(shift_next_on_duty(&always, 0.0) == 0.0, "24/7 duty on a holiday without the flag");
    /* work pauses off duty: 10 h from Friday 15:00 = 1.5 h Friday, 8 h Monday, 0.5 h Tuesday */
    CHECK(shift_add_duty(&s, 4 * 24 + 15, 10) == 8 * 24 + 9, "10 duty hours from Friday 15:00 end Tuesday 09:00");
    CHECK(shift_add_duty(&s, 10.0, 2) == 12.0, "within a shift");
    CHECK(shift_add_duty(&s, 10.0, 6.5) == 16.5, "to the shift's end exactly: Monday 16:30, not Tuesday");
    CHECK(shift_add_duty(&always, 5.0, 100) == 105.0, "24/7: calendar time");
    CHECK(isinf(shift_add_duty(&never, 0, 1)), "never on duty: never done");
    CHECK(fabs(shift_duty_hours(&holiday, 10.0, shift_add_duty(&holiday, 10.0, 37)) - 37) < 1e-9,
          "duty hours between a start and shift_add_duty are the work");
}

/* The properties service.c relies on when it keeps a server's `ready` time instead
 * of asking the calendar again: for any shift and times t <= u, the next duty hour
 * is no earlier than t, is itself on duty (asking again from it returns it), and
 * is monotone (next(t) <= next(u)). Checked on a grid of times over a year with
 * holidays, for shifts with and without holiday duty, staggered and 24-hour. */
static void test_shift_properties(void)
{
    const struct shift shifts[] = {
        {.start = 8.5, .len = 8, .days = 5, .off_on_holidays = 1},
        {.start = 10.5, .len = 8, .days = 5, .off_on_holidays = 1},   /* staggered */
        {.start = 8, .len = 9, .days = 6, .off_on_holidays = 0},
        {.start = 0, .len = 24, .days = 7, .off_on_holidays = 1},
        {.start = 20, .len = 6, .days = 7, .off_on_holidays = 0},      /* past midnight */
    };
    int bad = 0;
    for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++) {
        const struct shift *s = &shifts[k];
        double prev = -1;
        for (double t = 0; t < 365 * 24; t += 0.37) {
            double n = shift_next_on_duty(s, t);
            bad += !(n >= t) || shift_next_on_duty(s, n) != n || !(n >= prev);
            prev = n;
        }
    }
    CHECK(bad == 0, "%d violations of next-duty-hour properties", bad);
}

static void test_erlang_c(void)
{
    const int c = 2;
    const double lambda = 1.5, mu = 1.0;   /* per hour; rho = 0.75 */
    const double H = 1000, rate_year = lambda * 8760 / H;
    double theory = queueing_mmc_wait_mean(c, lambda, mu) + 1.0 / mu;
    enum { REPS = 12 };
    double m[REPS];
    char rate[3][64];
    snprintf(rate[0], 64, "requests.rate_urban=%.17g", rate_year);
    snprintf(rate[1], 64, "requests.rate_resettled=%.17g", rate_year);
    snprintf(rate[2], 64, "requests.rate_migrant=%.17g", rate_year);
    for (int r = 0; r < REPS; r++) {
        char seed[32];
        snprintf(seed, sizeof seed, "run.seed=%d", 100 + r);
        struct param_set *ps = params_with(seed, "time.days=200", "world.streets=1",
            "world.communities=1", "world.grids=1", "grid.households=1000", rate[0], rate[1], rate[2],
            "requests.elderly_factor=1", "requests.night_factor=1", "requests.weekend_factor=1",
            "grid.workers=2", "grid.shift_start_hour=0", "grid.shift_hours=24", "grid.work_days=7",
            "grid.patrol_hours=0", "intake.report_prob_base=1", "intake.report_delay_hours=0",
            "escalation.overdue_enabled=false", "resident.patience_hours=1e6",
            "casework.enabled=false", NULL);
        struct gs_error err;
        for (int k = 0; k < N_CATEGORIES; k++) {   /* one category, all solvable in the grid */
            char a[96];
            const char *f[] = {"weight=%d", "p_community=0", "p_street=0", "p_district=0", "service_hours=1"};
            for (int j = 0; j < 5; j++) {
                char v[40];
                snprintf(v, sizeof v, f[j], k == 0);
                snprintf(a, sizeof a, "category.%s.%s", category_names[k], v);
                param_apply_assignment(ps, a, &err);
            }
        }
        struct sim_output out;
        run(ps, &out);
        m[r] = out.summary.v[S_TTR_MEAN];
        CHECK(out.summary.v[S_SHARE_GRID] == 1.0, "requests left the grid");
        sim_output_free(&out);
        param_set_free(ps);
    }
    double mean = 0, var = 0;
    for (int r = 0; r < REPS; r++)
        mean += m[r] / REPS;
    for (int r = 0; r < REPS; r++)
        var += (m[r] - mean) * (m[r] - mean) / (REPS - 1);
    double se = sqrt(var / REPS);
    printf("M/M/2, rho 0.75: mean time in system %.4f h (SE %.4f), Erlang C %.4f h\n", mean, se, theory);
    CHECK(fabs(mean - theory) < 4 * se + 0.01 * theory, "simulated %g vs Erlang C %g (SE %g)", mean,
          theory, se);
}

/* A batch over seeds gives each run the same result as running it alone. */
struct batch_ctx {
    struct param_set *base;
    struct sim_output alone[4];
    int matched[4], calls;
};

static int batch_params(void *vctx, size_t i, struct params *p, struct gs_error *err)
{
    struct batch_ctx *c = vctx;
    (void)err;
    *p = c->base->p;
    p->seed = 10 + (int64_t)i;
    return 0;
}

static int batch_result(void *vctx, size_t i, const struct params *p, const struct sim_output *out,
                        struct gs_error *err)
{
    struct batch_ctx *c = vctx;
    (void)p;
    (void)err;
    c->calls++;
    c->matched[i] = same_output(&c->alone[i], out);
    return 0;
}

static void test_batch(void)
{
    struct batch_ctx c = {.base = params_with("time.days=20", NULL)};
    for (size_t i = 0; i < 4; i++) {
        struct gs_error err;
        struct params p;
        batch_params(&c, i, &p, &err);
        memset(&c.alone[i], 0, sizeof c.alone[i]);
        if (sim_run(&p, &c.alone[i], NULL, NULL, &err) != 0)
            fprintf(stderr, "run failed: %s\n", err.msg), exit(1);
    }
    struct batch_opts o = {.threads = 3, .quiet = 1};
    struct gs_error err;
    CHECK(batch_run(4, NULL, batch_params, batch_result, &c, &o, &err) == 0, "batch failed");
    CHECK(c.calls == 4, "%d results handed over, expected 4", c.calls);
    for (int i = 0; i < 4; i++) {
        CHECK(c.matched[i], "run %d in a batch differs from the same run alone", i);
        sim_output_free(&c.alone[i]);
    }
    param_set_free(c.base);
}

/* Arrivals are a continuous-time Poisson process: the same requests arise whatever
 * the step length, and their number over a year is Poisson with the mean of the
 * grid rate (computed here from the parameters) times hours times grids. */
static void test_arrivals(void)
{
    double arisen[3];
    const char *steps[] = {"time.step_hours=1", "time.step_hours=0.25", "time.step_hours=24"};
    for (int i = 0; i < 3; i++) {
        struct param_set *ps = params_with("time.days=365", steps[i], NULL);
        struct sim_output out;
        run_model(&ps->p, &out);
        arisen[i] = out.summary.v[S_ARISEN];
        if (i == 0) {
            const struct params *p = &ps->p;
            double H = (double)p->households_per_grid, e = p->share_elderly;
            double n_res = llround(H * p->share_resettled), n_mig = llround(H * p->share_migrant);
            double per_hh_rate = (H - n_res - n_mig) * p->rate[HH_URBAN] + n_res * p->rate[HH_RESETTLED] +
                                 n_mig * p->rate[HH_MIGRANT];
            double mean = per_hh_rate * (1 - e + e * p->elderly_factor) * (double)p->grids *
                          (double)p->days / 365.0;
            CHECK(fabs(arisen[0] - mean) < 4 * sqrt(mean), "arisen %g, Poisson mean %g (sd %g)",
                  arisen[0], mean, sqrt(mean));
        }
        sim_output_free(&out);
        param_set_free(ps);
    }
    CHECK(arisen[0] == arisen[1] && arisen[0] == arisen[2],
          "arrivals depend on the step: %g (1 h), %g (0.25 h), %g (24 h)", arisen[0], arisen[1], arisen[2]);
}

int main(void)
{
    test_arrivals();
    test_shift();
    test_shift_properties();
    test_conservation();
    test_zero_rate();
    test_threads();
    test_more_staff_not_slower();
    test_erlang_c();
    test_batch();
    return check_report("test_model");
}
