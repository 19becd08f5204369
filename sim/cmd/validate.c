/* validate.c: govsim validate — degenerate configurations whose answers are known
 * in closed form (M/M/c, M/M/c+M, an open Jackson chain) and Little's law, each
 * run as independent replicates after a warm-up; the theory is computed here from
 * the formulas (queueing.c), never typed in. Checks and references are in
 * docs/validation.md. */
#include "validate.h"

#include <getopt.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cmdutil.h"
#include "commands.h"
#include "memcheck.h"
#include "queueing.h"

/* Family-wise error rate of all checks together: a check passes when the theory
 * lies inside its Bonferroni-widened interval (level 1 - ALPHA / checks). */
#define VALIDATE_ALPHA 0.01
#define MAX_CHECKS 128

static const char *usage_validate =
    "Usage: govsim validate [--quick] [--threads N] [--seed S] [--only NAME] [--set KEY=VALUE]...\n"
    "\n"
    "Runs degenerate configurations whose results are known from queueing theory\n"
    "(M/M/c Erlang C, M/M/c+M Erlang A, an open Jackson chain of three levels) and\n"
    "Little's law on every configuration and on the default scenario, and prints for\n"
    "each check the theoretical value, the simulated mean with its 95% interval over\n"
    "independent replicates, and pass/fail. Details: docs/validation.md.\n"
    "\n"
    "Options:\n"
    "      --quick           short runs (about a minute; what CI runs)\n"
    "      --threads N       runs at once (default: all cores); results do not depend on it\n"
    "      --seed S          replicate r of every configuration uses seed S + r (default 1)\n"
    "      --only NAME       only the configurations whose name starts with NAME\n"
    "      --set KEY=VALUE   override a parameter in every configuration after the\n"
    "                        degenerate set-up (to see that checks can fail)\n"
    "  -q, --quiet           no progress line\n"
    "\n"
    "Exit status: 0 every check passed, 1 some check failed, 2 bad usage.\n";

enum vkind { V_MMC, V_ERLANG_A, V_JACKSON, V_DEFAULT };

struct vconfig {
    const char *name;
    enum vkind kind;
    double lambda, mu, theta;      /* per hour: arrivals, service, abandonment */
    int c[3];                      /* servers at grid, community, street */
    double p_community, p_street;  /* routing of the Jackson chain */
};

static const struct vconfig configs[] = {
    {"mmc-1", V_MMC, 0.7, 1.0, 0, {1, 0, 0}, 0, 0},
    {"mmc-2", V_MMC, 1.5, 1.0, 0, {2, 0, 0}, 0, 0},
    {"mmc-8", V_MMC, 3.0, 0.5, 0, {8, 0, 0}, 0, 0},
    {"erlang-a-2", V_ERLANG_A, 2.0, 1.0, 0.5, {2, 0, 0}, 0, 0},
    {"erlang-a-5", V_ERLANG_A, 6.0, 1.0, 1.0, {5, 0, 0}, 0, 0},
    {"jackson-3", V_JACKSON, 1.5, 1.0, 0, {2, 1, 1}, 0.3, 0.2},
    {"default", V_DEFAULT, 0, 0, 0, {0, 0, 0}, 0, 0},
};
#define N_CONFIGS (sizeof configs / sizeof configs[0])

/* Replicates and lengths: queueing configurations, and the default scenario. */
struct vsize {
    int reps, default_reps;
    int64_t warmup_days, days, default_warmup_days, default_days;
};
static const struct vsize size_quick = {16, 3, 30, 530, 30, 365};
static const struct vsize size_full = {30, 5, 100, 2100, 30, 365};

struct vopts {
    int quick, threads, quiet;
    int64_t seed;
    const char *only;
    char **sets;
    int nsets;
};

struct vstate {
    const struct vopts *o;
    const struct vsize *size;
    size_t first[N_CONFIGS + 1];          /* runs of config k: first[k] .. first[k+1]-1 */
    struct param_set *ps[N_CONFIGS];      /* NULL when not selected */
    struct summary *results;              /* one per run */
};

static int apply(struct param_set *ps, struct gs_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int apply(struct param_set *ps, struct gs_error *err, const char *fmt, ...)
{
    char a[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a, sizeof a, fmt, ap);
    va_end(ap);
    return param_apply_assignment(ps, a, err);
}

/* The degenerate set-up, params/validate_base.yaml, as built into the program. */
#include "validate_base_yaml.h"

int validate_base(struct param_set *ps, struct gs_error *err)
{
    return param_load_yaml_string(ps, "params/validate_base.yaml", validate_base_yaml,
                                  sizeof validate_base_yaml, err) != 0 ? -1 : 0;
}

/* Poisson arrivals at lambda per hour, exponential service at mu, servers per level. */
static int config_params(struct param_set *ps, const struct vconfig *v, struct gs_error *err)
{
    static const char *const staff[3] = {"grid.workers", "community.staff", "street.caseworkers"};
    if (validate_base(ps, err) != 0)
        return -1;
    double rate = v->lambda * 8760.0 / (double)ps->p.households_per_grid;
    int rc = apply(ps, err, "requests.rate_urban=%.17g", rate) ||
             apply(ps, err, "requests.rate_resettled=%.17g", rate) ||
             apply(ps, err, "requests.rate_migrant=%.17g", rate) ||
             apply(ps, err, "category.%s.service_hours=%.17g", category_names[0], 1.0 / v->mu) ||
             apply(ps, err, "escalation.triage_hours=%.17g", 1.0 / v->mu) ||
             apply(ps, err, "output.wait_threshold_hours=%.17g", 1.0 / v->mu) ||
             apply(ps, err, "category.%s.p_community=%.17g", category_names[0], v->p_community) ||
             apply(ps, err, "category.%s.p_street=%.17g", category_names[0], v->p_street);
    for (int l = 0; rc == 0 && l < 3; l++)
        rc = apply(ps, err, "%s=%d", staff[l], v->c[l]);
    if (rc == 0 && v->kind == V_ERLANG_A)
        rc = apply(ps, err, "resident.patience_hours=%.17g", 1.0 / v->theta);
    return rc ? -1 : 0;
}

static int selected(const struct vopts *o, const struct vconfig *v)
{
    return !o->only || strncmp(v->name, o->only, strlen(o->only)) == 0;
}

/* Degenerate set-up (or the defaults), then --set, then the run length. */
static struct param_set *prepare(const struct vstate *st, const struct vconfig *v,
                                 struct gs_error *err)
{
    struct param_set *ps = param_set_new();
    const struct vsize *z = st->size;
    int dflt = v->kind == V_DEFAULT;
    int rc = dflt ? 0 : config_params(ps, v, err);
    for (int i = 0; rc == 0 && i < st->o->nsets; i++)
        rc = param_apply_assignment(ps, st->o->sets[i], err);
    if (rc == 0)
        rc = apply(ps, err, "time.days=%lld", (long long)(dflt ? z->default_days : z->days)) ||
             apply(ps, err, "output.warmup_days=%lld",
                   (long long)(dflt ? z->default_warmup_days : z->warmup_days)) ||
             apply(ps, err, "output.interval_days=%lld",
                   (long long)(dflt ? z->default_days : z->days)) ||
             param_check(ps, err);
    if (rc != 0) {
        param_set_free(ps);
        return NULL;
    }
    return ps;
}

static int config_of(const struct vstate *st, size_t i)
{
    int k = 0;
    while (st->first[k + 1] <= i)
        k++;
    return k;
}

static int run_params(void *ctx, size_t i, struct params *p, struct gs_error *err)
{
    const struct vstate *st = ctx;
    int k = config_of(st, i);
    (void)err;
    *p = st->ps[k]->p;
    p->seed = st->o->seed + (int64_t)(i - st->first[k]);
    return 0;
}

static int run_result(void *ctx, size_t i, const struct params *p, const struct sim_output *out,
                      struct gs_error *err)
{
    struct vstate *st = ctx;
    (void)p;
    (void)err;
    st->results[i] = out->summary;
    return 0;
}

/* ---- checks ---- */

struct check {
    char name[112];
    double theory;
    double mean, sd;
    int n;
    double tolerance;   /* > 0: passes when |mean - theory| <= tolerance (no interval) */
    int pass;
};

/* Largest relative gap between L and lambda W in any single run at any level: the
 * two differ only by the requests present at the window's start and end. */
#define LITTLE_RUN_TOLERANCE 0.05

struct checks {
    struct check c[MAX_CHECKS];
    int n;
};

/* Adds a check of `theory` against per-replicate values x[0..n). */
static void add_check(struct checks *cs, const char *name, double theory, const double *x, int n)
{
    GS_ASSERT(cs->n < MAX_CHECKS);
    struct check *c = &cs->c[cs->n++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->theory = theory;
    c->n = n;
    c->mean = gsl_stats_mean(x, 1, (size_t)n);
    c->sd = n > 1 ? gsl_stats_sd(x, 1, (size_t)n) : 0.0;
}

static double half_width(const struct check *c, double level)
{
    if (c->n < 2)
        return INFINITY;
    return gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, c->n - 1) * c->sd / sqrt(c->n);
}

/* Values of one level field over the replicates of config k. */
#define MAX_REPS 256

static int field_values(const struct vstate *st, int k, int field, int level, double *x)
{
    GS_ASSERT(st->first[k + 1] - st->first[k] <= MAX_REPS);
    int n = 0;
    for (size_t i = st->first[k]; i < st->first[k + 1]; i++)
        x[n++] = st->results[i].level[field][level];
    return n;
}

static void check_field(struct checks *cs, const struct vstate *st, int k, const char *what,
                        int field, int level, double theory)
{
    double x[MAX_REPS];
    int n = field_values(st, k, field, level, x);
    char name[112];
    snprintf(name, sizeof name, "%s: %s", configs[k].name, what);
    add_check(cs, name, theory, x, n);
}

/* Little's law L = lambda W at one level: theory is the mean over the replicates of
 * (arrival rate x mean time at the level), compared with the time-average number. */
static void check_little(struct checks *cs, const struct vstate *st, int k, int level)
{
    double lw = 0, x[MAX_REPS];
    int n = field_values(st, k, L_NUMBER_MEAN, level, x);
    for (size_t i = st->first[k]; i < st->first[k + 1]; i++)
        lw += st->results[i].level[L_ARRIVAL_RATE][level] * st->results[i].level[L_TIME_MEAN][level];
    char name[112];
    snprintf(name, sizeof name, "%s: Little's law at %s level, L vs lambda W", configs[k].name,
             level_names[level]);
    add_check(cs, name, lw / n, x, n);
}

static void check_little_each_run(struct checks *cs, const struct vstate *st, int k)
{
    double worst = 0;
    for (size_t i = st->first[k]; i < st->first[k + 1]; i++)
        for (int l = 0; l < N_LEVELS; l++) {
            double L = st->results[i].level[L_NUMBER_MEAN][l];
            double lw = st->results[i].level[L_ARRIVAL_RATE][l] * st->results[i].level[L_TIME_MEAN][l];
            if (st->results[i].level[L_ARRIVAL_RATE][l] > 0)
                worst = fmax(worst, isfinite(lw) && L > 0 ? fabs(L - lw) / L : INFINITY);
        }
    char name[112];
    snprintf(name, sizeof name, "%s: Little's law in each of %zu runs, largest |L - lambda W| / L",
             configs[k].name, st->first[k + 1] - st->first[k]);
    add_check(cs, name, 0.0, &worst, 1);
    cs->c[cs->n - 1].tolerance = LITTLE_RUN_TOLERANCE;
}

static void checks_mmc(struct checks *cs, const struct vstate *st, int k)
{
    const struct vconfig *v = &configs[k];
    int c = v->c[0];
    double lam = v->lambda, mu = v->mu, t = 1.0 / mu;
    char what[80];
    snprintf(what, sizeof what, "M/M/%d rho %.2f, mean wait (h)", c, lam / (c * mu));
    check_field(cs, st, k, what, L_WAIT_MEAN, 0, queueing_mmc_wait_mean(c, lam, mu));
    snprintf(what, sizeof what, "M/M/%d P(wait > %g h)", c, t);
    check_field(cs, st, k, what, L_WAIT_LONG_SHARE, 0, queueing_mmc_wait_tail(c, lam, mu, t));
    snprintf(what, sizeof what, "M/M/%d mean number waiting", c);
    check_field(cs, st, k, what, L_QUEUE_MEAN, 0, queueing_mmc_queue_mean(c, lam, mu));
    check_little(cs, st, k, 0);
}

static void checks_erlang_a(struct checks *cs, const struct vstate *st, int k)
{
    const struct vconfig *v = &configs[k];
    struct erlang_a ea;
    queueing_erlang_a(v->c[0], v->lambda, v->mu, v->theta, &ea);
    char what[80];
    snprintf(what, sizeof what, "M/M/%d+M rho %.2f, P(abandon)", v->c[0], v->lambda / (v->c[0] * v->mu));
    check_field(cs, st, k, what, L_ABANDON_SHARE, 0, ea.p_abandon);
    snprintf(what, sizeof what, "M/M/%d+M mean number waiting", v->c[0]);
    check_field(cs, st, k, what, L_QUEUE_MEAN, 0, ea.queue_mean);
    snprintf(what, sizeof what, "M/M/%d+M mean wait (h)", v->c[0]);
    check_field(cs, st, k, what, L_WAIT_MEAN, 0, ea.wait_mean);
    check_little(cs, st, k, 0);
}

/* Open Jackson network: level l is an M/M/c_l queue with arrival rate lambda times
 * the probability that a request needs at least level l. */
static void checks_jackson(struct checks *cs, const struct vstate *st, int k)
{
    const struct vconfig *v = &configs[k];
    double reach[3] = {1.0, v->p_community + v->p_street, v->p_street};
    for (int l = 0; l < 3; l++) {
        double lam = v->lambda * reach[l];
        double w = queueing_mmc_wait_mean(v->c[l], lam, v->mu) + 1.0 / v->mu;
        char what[80];
        snprintf(what, sizeof what, "%s M/M/%d rho %.2f, mean time at level (h)", level_names[l],
                 v->c[l], lam / (v->c[l] * v->mu));
        check_field(cs, st, k, what, L_TIME_MEAN, l, w);
        snprintf(what, sizeof what, "%s mean number at level", level_names[l]);
        check_field(cs, st, k, what, L_NUMBER_MEAN, l, lam * w);
        check_little(cs, st, k, l);
    }
}

static void checks_default(struct checks *cs, const struct vstate *st, int k)
{
    for (int l = 0; l < N_LEVELS; l++)
        if (st->results[st->first[k]].level[L_ARRIVAL_RATE][l] > 0)
            check_little(cs, st, k, l);
}

static void build_checks(struct checks *cs, const struct vstate *st)
{
    for (size_t k = 0; k < N_CONFIGS; k++) {
        if (!st->ps[k])
            continue;
        check_little_each_run(cs, st, (int)k);
        switch (configs[k].kind) {
        case V_MMC: checks_mmc(cs, st, (int)k); break;
        case V_ERLANG_A: checks_erlang_a(cs, st, (int)k); break;
        case V_JACKSON: checks_jackson(cs, st, (int)k); break;
        case V_DEFAULT: checks_default(cs, st, (int)k); break;
        }
    }
}

/* Judges every check at the Bonferroni level and prints the table. Returns failures. */
static int report(struct checks *cs)
{
    int failed = 0;
    double level = 1.0 - VALIDATE_ALPHA / cs->n;
    printf("%-66s %11s %11s  %-25s %s\n", "check", "theory", "simulated", "95% interval", "result");
    for (int i = 0; i < cs->n; i++) {
        struct check *c = &cs->c[i];
        double h95 = half_width(c, 0.95);
        double allowed = c->tolerance > 0 ? c->tolerance : half_width(c, level);
        c->pass = isfinite(c->mean) && isfinite(c->theory) && fabs(c->mean - c->theory) <= allowed;
        failed += !c->pass;
        char ci[64];
        if (c->tolerance > 0)
            snprintf(ci, sizeof ci, "(tolerance %g)", c->tolerance);
        else
            snprintf(ci, sizeof ci, "[%.5g, %.5g]", c->mean - h95, c->mean + h95);
        printf("%-66s %11.5g %11.5g  %-25s %s\n", c->name, c->theory, c->mean, ci,
               c->pass ? "pass" : "FAIL");
    }
    printf("%d of %d checks passed (a check passes when the theory lies in its %.4g%% interval:\n"
           "95%% intervals widened by Bonferroni so that all checks together err with "
           "probability %g)\n", cs->n - failed, cs->n, 100 * level, VALIDATE_ALPHA);
    return failed;
}

/* ---- command line ---- */

static int parse(int argc, char **argv, struct vopts *o)
{
    static const struct option longopts[] = {
        {"quick", no_argument, 0, 'Q'}, {"threads", required_argument, 0, 't'},
        {"seed", required_argument, 0, 'S'}, {"only", required_argument, 0, 'O'},
        {"set", required_argument, 0, 's'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c, rc = -1;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        char *end = NULL;
        long long n = 0;
        switch (c) {
        case 'Q': o->quick = 1; break;
        case 'q': o->quiet = 1; break;
        case 'O': o->only = optarg; break;
        case 's':
            if ((rc = cli_check_set(optarg, argv[optind], usage_validate)) >= 0)
                break;
            o->sets = gs_realloc(o->sets, (size_t)(o->nsets + 1) * sizeof *o->sets);
            o->sets[o->nsets++] = optarg;
            break;
        case 't': rc = cli_parse_threads(optarg, usage_validate, &o->threads); break;
        case 'S':
            n = strtoll(optarg, &end, 10);
            if (*end || n < 0 || n > 1000000000LL)
                return cli_bad_usage(usage_validate, "--seed expects a whole number from 0 to 1e9, got '%s'", optarg);
            o->seed = n;
            break;
        default: return cli_other_option(c, usage_validate, argv[optind - 1]);
        }
    }
    if (rc < 0 && optind < argc)
        return cli_bad_usage(usage_validate, "unexpected argument '%s'", argv[optind]);
    return rc;
}

/* Prepares the selected configurations. Returns the number of runs, or -1. */
static long setup(struct vstate *st, struct gs_error *err)
{
    size_t runs = 0;
    for (size_t k = 0; k < N_CONFIGS; k++) {
        st->first[k] = runs;
        if (!selected(st->o, &configs[k]))
            continue;
        if (!(st->ps[k] = prepare(st, &configs[k], err)))
            return -1;
        runs += (size_t)(configs[k].kind == V_DEFAULT ? st->size->default_reps : st->size->reps);
    }
    st->first[N_CONFIGS] = runs;
    return (long)runs;
}

static void teardown(struct vstate *st)
{
    for (size_t k = 0; k < N_CONFIGS; k++)
        param_set_free(st->ps[k]);
    free(st->results);
}

static int execute(struct vstate *st, size_t runs)
{
    const struct vsize *z = st->size;
    printf("govsim validate%s: %zu runs; queueing configurations: %d replicates of %lld days "
           "after a %lld-day warm-up; default scenario: %d of %lld days after %lld; seeds %lld+\n",
           st->o->quick ? " --quick" : "", runs, z->reps, (long long)(z->days - z->warmup_days),
           (long long)z->warmup_days, z->default_reps,
           (long long)(z->default_days - z->default_warmup_days), (long long)z->default_warmup_days,
           (long long)st->o->seed);
    fflush(stdout);
    st->results = gs_calloc(runs, sizeof *st->results);
    cli_catch_signals();
    struct batch_opts bo = {.threads = st->o->threads, .quiet = st->o->quiet, .what = "run"};
    struct gs_error err;
    if (batch_run(runs, NULL, run_params, run_result, st, &bo, &err) != 0) {
        fprintf(stderr, "govsim: validate: %s\n", err.msg);
        return cli_stop_status(EXIT_FAILED);
    }
    struct checks *cs = gs_calloc(1, sizeof *cs);
    build_checks(cs, st);
    int failed = report(cs);
    free(cs);
    return failed ? EXIT_FAILED : EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
    struct vopts o = {.seed = 1};
    int rc = parse(argc, argv, &o);
    if (rc >= 0) {
        free(o.sets);
        return rc;
    }
    struct vstate st = {.o = &o, .size = o.quick ? &size_quick : &size_full};
    struct gs_error err;
    long runs = setup(&st, &err);
    for (size_t k = 0; runs > 0 && k < N_CONFIGS; k++)   /* before any run: --set can make them huge */
        if (st.ps[k] &&
            memcheck_runs(&st.ps[k]->p, memcheck_concurrent(o.threads, (double)runs), &err) != 0)
            runs = -1;
    if (runs < 0)
        fprintf(stderr, "govsim: validate: %s\n", err.msg);
    else if (runs == 0)
        fprintf(stderr, "govsim: validate: no configuration matches --only '%s'\n", o.only);
    rc = runs > 0 ? execute(&st, (size_t)runs) : EXIT_BAD_INPUT;
    teardown(&st);
    free(o.sets);
    return rc;
}
