/* calibrate_spec.c: building and checking a calibration spec. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "summary.h"

struct calib_spec *calib_spec_new(struct param_set *base)
{
    struct calib_spec *s = gs_calloc(1, sizeof *s);
    s->base = base;
    s->nbases = 1;
    s->bases[0] = base;
    s->base_names[0] = gs_strdup(base->p.scenario_name);
    s->method = CALIB_SMM;
    s->replicates = 8;
    s->check_replicates = 20;
    s->seed = 1;
    s->design_points = 16;
    s->max_iterations = 60;
    s->initial_step = 1.0;
    s->simplex_tol = 0.02;
    s->samples = 200;
    s->accept_fraction = 0.05;
    s->particles = 100;
    s->generations = 4;
    s->quantile = 0.5;
    s->max_proposals = 20;
    s->kernel_scale = 2.0;
    return s;
}

void calib_spec_free(struct calib_spec *s)
{
    if (!s)
        return;
    for (size_t b = 0; b < s->nbases; b++) {
        param_set_free(s->bases[b]);
        free(s->base_names[b]);
    }
    free(s->params);
    free(s->targets);
    free(s->file);
    free(s->text);
    free(s);
}

/* ---- outputs: summary fields and the derived outputs of the pattern set ---- */

static const struct field_def derived[N_CALIB_DERIVED] = {
    {"util_community", "share of duty hours", "Utilisation of community staff (levels/utilisation)", 0},
    {"task_share_community", "share of busy hours",
     "Top-down tasks' share of community staff's busy hours (tasks / (tasks + requests + proactive))", 0},
    {"util_max", "share of duty hours", "Highest utilisation over the four levels", 0},
    {"abandon_upper_max", "share", "Highest abandonment share at street or district", 0},
    {"reported_per_1000", "requests per 1000 residents per year",
     "Arisen requests times the reporting probability at the run's mean trust, per 1,000 residents "
     "a year (as scripts/scenario_table.py)", 0},
    {"time_to_close_median_days", "days", "Median time to close a request, in days", 0},
};

int calib_summary_field(const char *name)
{
    for (int f = 0; f < N_SUMMARY; f++)
        if (strcmp(summary_fields[f].name, name) == 0)
            return f;
    for (int k = 0; k < N_CALIB_DERIVED; k++)
        if (strcmp(derived[k].name, name) == 0)
            return N_SUMMARY + k;
    return -1;
}

const char *calib_output_name(int field)
{
    return field < N_SUMMARY ? summary_fields[field].name : derived[field - N_SUMMARY].name;
}

const char *calib_output_units(int field)
{
    return field < N_SUMMARY ? summary_fields[field].units : derived[field - N_SUMMARY].units;
}

/* Largest non-NaN value of v[from..to), NaN if none. */
static double nanmax(const double *v, int from, int to)
{
    double m = NAN;
    for (int i = from; i < to; i++)
        if (!isnan(v[i]) && (isnan(m) || v[i] > m))
            m = v[i];
    return m;
}

double calib_output_value(int field, const struct summary *sm, const struct params *p)
{
    if (field < N_SUMMARY)
        return sm->v[field];
    const double *util = sm->level[L_UTILISATION];
    switch ((enum calib_derived)(field - N_SUMMARY)) {
    case CD_UTIL_COMMUNITY:
        return util[LEVEL_COMMUNITY];
    case CD_TASK_SHARE_COMMUNITY: {
        double tasks = sm->level[L_HOURS_TASKS][LEVEL_COMMUNITY];
        double busy = tasks + sm->level[L_HOURS_REQUESTS][LEVEL_COMMUNITY] +
                      sm->level[L_HOURS_PROACTIVE][LEVEL_COMMUNITY];
        return busy > 0 ? tasks / busy : NAN;
    }
    case CD_UTIL_MAX:
        return nanmax(util, 0, N_LEVELS);
    case CD_ABANDON_UPPER_MAX:
        return nanmax(sm->level[L_ABANDON_SHARE], LEVEL_STREET, N_LEVELS);
    case CD_REPORTED_PER_1000: {
        double residents = (double)p->grids * (double)p->households_per_grid * p->persons_per_household;
        double report = fmin(1.0, p->report_prob_base + p->report_prob_trust * sm->v[S_TRUST_MEAN]);
        return sm->v[S_ARISEN] * report / residents * 1000.0 * 365.0 / (double)p->days;
    }
    case CD_TTC_MEDIAN_DAYS:
        return sm->v[S_TTC_MEDIAN] / 24.0;
    case N_CALIB_DERIVED:
        break;
    }
    return NAN;
}

int calib_spec_add_param(struct calib_spec *s, const char *name, double lo, double hi,
                         enum calib_scale scale, struct gs_error *err)
{
    const struct param_def *d = param_find(name);
    if (!d) {
        const char *hint = param_suggest(name);
        return gs_error_set(err, "unknown parameter '%s'%s%s%s", name, hint ? " (did you mean '" : "",
                            hint ? hint : "", hint ? "'?)" : " (run 'govsim params' for the list)");
    }
    if (d->type != PT_INT && d->type != PT_DOUBLE)
        return gs_error_set(err, "parameter '%s' is not numeric and cannot be fitted", name);
    if (strcmp(d->name, "run.seed") == 0)   /* candidates run the calibration's seeds */
        return gs_error_set(err, "run.seed cannot be fitted: every candidate runs the seeds from "
                            "the calibration's 'seed:' (use 'replicates:' for more seeds)");
    for (size_t i = 0; i < s->nparams; i++)
        if (s->params[i].def == d)
            return gs_error_set(err, "parameter '%s' is fitted twice", name);
    if (!(lo < hi))
        return gs_error_set(err, "parameter '%s': min (%g) must be below max (%g)", name, lo, hi);
    if (lo < d->min || hi > d->max)
        return gs_error_set(err, "parameter '%s': range [%g, %g] leaves the parameter's own "
                            "range [%g, %g]", name, lo, hi, d->min, d->max);
    if (scale == CALIB_LOG && !(lo > 0))
        return gs_error_set(err, "parameter '%s': a log scale needs min > 0", name);
    s->params = gs_realloc(s->params, (s->nparams + 1) * sizeof *s->params);
    s->params[s->nparams++] = (struct calib_param){d, lo, hi, scale};
    return 0;
}

int calib_spec_add_base(struct calib_spec *s, const char *name, struct param_set *ps,
                        struct gs_error *err)
{
    if (s->nbases == CALIB_MAX_BASES) {
        param_set_free(ps);
        return gs_error_set(err, "at most %d base scenarios", CALIB_MAX_BASES);
    }
    for (size_t b = 0; b < s->nbases; b++)
        if (strcmp(s->base_names[b], name) == 0) {
            param_set_free(ps);
            return gs_error_set(err, "base scenario '%s' given twice", name);
        }
    s->bases[s->nbases] = ps;
    s->base_names[s->nbases++] = gs_strdup(name);
    return 0;
}

static int base_index(const struct calib_spec *s, const char *name, size_t len)
{
    for (size_t b = 0; b < s->nbases; b++)
        if (strlen(s->base_names[b]) == len && strncmp(s->base_names[b], name, len) == 0)
            return (int)b;
    return -1;
}

/* Splits OUTPUT[@BASE[-BASE2]] into the output's field and base indices. */
static int parse_target_name(const struct calib_spec *s, const char *label, int *f, int *b,
                             int *b2, struct gs_error *err)
{
    char out[160];
    const char *at = strchr(label, '@');
    size_t n = at ? (size_t)(at - label) : strlen(label);
    if (n >= sizeof out)
        return gs_error_set(err, "target name '%s' too long", label);
    memcpy(out, label, n);
    out[n] = 0;
    *f = calib_summary_field(out);
    if (*f < 0)
        return gs_error_set(err, "unknown output '%s' (targets are summary outputs, listed "
                            "in docs/output.md, or util_community, task_share_community, util_max, "
                            "abandon_upper_max, reported_per_1000, time_to_close_median_days)", out);
    *b = 0;
    *b2 = -1;
    if (!at)
        return 0;
    const char *name = at + 1;
    *b = base_index(s, name, strlen(name));
    if (*b >= 0)
        return 0;
    /* AFTER-BEFORE: the first '-' that splits into two known bases */
    for (const char *d = strchr(name, '-'); d; d = strchr(d + 1, '-')) {
        int x = base_index(s, name, (size_t)(d - name)), y = base_index(s, d + 1, strlen(d + 1));
        if (x >= 0 && y >= 0 && x != y) {
            *b = x;
            *b2 = y;
            return 0;
        }
    }
    return gs_error_set(err, "target '%s': '%s' is not a base scenario (nor AFTER-BEFORE of two)",
                        label, name);
}

int calib_spec_add_target(struct calib_spec *s, const char *field, double value,
                          double tolerance, double weight, struct gs_error *err)
{
    return calib_spec_add_band(s, field, value, value, tolerance, weight, 0, err);
}

int calib_spec_add_band(struct calib_spec *s, const char *field, double lo, double hi,
                        double tolerance, double weight, int band, struct gs_error *err)
{
    double value = 0.5 * (lo + hi);
    int f = -1, b = 0, b2 = -1;
    if (strlen(field) >= sizeof s->targets[0].label)
        return gs_error_set(err, "target name '%s' too long", field);
    if (parse_target_name(s, field, &f, &b, &b2, err) != 0)
        return -1;
    if (!(lo <= hi) || !isfinite(lo) || !isfinite(hi))
        return gs_error_set(err, "target '%s': range must be [low, high] with finite low <= high",
                            field);
    for (size_t i = 0; i < s->ntargets; i++)
        if (s->targets[i].field == f && s->targets[i].b == b && s->targets[i].b2 == b2)
            return gs_error_set(err, "output '%s' is a target twice", field);
    if (!isfinite(value))
        return gs_error_set(err, "target '%s': value must be a finite number", field);
    if (!(tolerance > 0) || !isfinite(tolerance))
        return gs_error_set(err, "target '%s': tolerance must be a number > 0", field);
    if (!(weight > 0) || !isfinite(weight))
        return gs_error_set(err, "target '%s': weight must be a number > 0", field);
    s->targets = gs_realloc(s->targets, (s->ntargets + 1) * sizeof *s->targets);
    struct calib_target *t = &s->targets[s->ntargets++];
    *t = (struct calib_target){f, value, tolerance, weight, lo, hi, band, "", b, b2, ""};
    snprintf(t->label, sizeof t->label, "%s", field);
    return 0;
}

int calib_spec_check(const struct calib_spec *s, struct gs_error *err)
{
    if (s->nparams == 0)
        return gs_error_set(err, "no parameters to fit");
    if (s->nparams > 40)
        return gs_error_set(err, "%zu parameters to fit; at most 40 (the Sobol design's limit)",
                            s->nparams);
    if (s->ntargets == 0)
        return gs_error_set(err, "no targets");
    if (s->replicates < 1 || s->check_replicates < 1)
        return gs_error_set(err, "replicates must be at least 1");
    if (s->method == CALIB_SMM && s->design_points < 1)
        return gs_error_set(err, "smm.design_points must be at least 1");
    if (s->method == CALIB_ABC && s->samples < 1)
        return gs_error_set(err, "abc.samples must be at least 1");
    if (!(s->accept_fraction > 0 && s->accept_fraction <= 1))
        return gs_error_set(err, "abc.accept_fraction must be in (0, 1]");
    if (s->method == CALIB_ABC_SMC && (s->particles < 2 || s->generations < 1))
        return gs_error_set(err, "abc_smc.particles must be at least 2 and generations at least 1");
    if (!(s->quantile > 0 && s->quantile < 1))
        return gs_error_set(err, "abc_smc.quantile must be in (0, 1)");
    if (!(s->max_proposals >= 1 && s->max_proposals <= 1e6))
        return gs_error_set(err, "abc_smc.max_proposals must be in [1, 1e6]");
    if (!(s->kernel_scale > 0 && s->kernel_scale <= 100))
        return gs_error_set(err, "abc_smc.kernel_scale must be in (0, 100]");
    /* upper bounds: each count is allocated for and run; beyond these a calibration
     * would not finish (and its arrays might not fit) */
    if (s->replicates > CALIB_MAX_REPLICATES || s->check_replicates > CALIB_MAX_REPLICATES)
        return gs_error_set(err, "replicates and check_replicates must be at most %d (got %lld "
                            "and %lld)", CALIB_MAX_REPLICATES, (long long)s->replicates,
                            (long long)s->check_replicates);
    if (s->design_points > CALIB_MAX_CANDIDATES || s->samples > CALIB_MAX_CANDIDATES ||
        s->max_iterations > CALIB_MAX_CANDIDATES || s->particles > CALIB_MAX_CANDIDATES ||
        s->generations > 1000)
        return gs_error_set(err, "smm.design_points, smm.max_iterations, abc.samples and "
                            "abc_smc.particles must be at most %d, abc_smc.generations at most 1000",
                            CALIB_MAX_CANDIDATES);
    double cand = s->method == CALIB_ABC ? (double)s->samples
                  : s->method == CALIB_ABC_SMC
                  ? (double)s->particles * (1.0 + s->max_proposals * (double)(s->generations - 1))
                  : (double)s->design_points + (double)s->max_iterations * (double)(s->nparams + 2);
    double runs = cand * (double)s->replicates + (double)s->check_replicates;
    if (runs > CALIB_MAX_RUNS)
        return gs_error_set(err, "this calibration would make up to %.3g runs (candidates x "
                            "replicates); at most %.0e", runs, CALIB_MAX_RUNS);
    return 0;
}

/* ---- the transformed space: each prior box side mapped onto the real line ---- */

static double unit_of(const struct calib_param *cp, double x)
{
    if (cp->scale == CALIB_LOG)
        return (log(x) - log(cp->lo)) / (log(cp->hi) - log(cp->lo));
    return (x - cp->lo) / (cp->hi - cp->lo);
}

static double value_of(const struct calib_param *cp, double u)
{
    if (cp->scale == CALIB_LOG)
        return exp(log(cp->lo) + u * (log(cp->hi) - log(cp->lo)));
    return cp->lo + u * (cp->hi - cp->lo);
}

double calib_to_z(const struct calib_param *cp, double x)
{
    double u = unit_of(cp, x);
    u = u < 1e-9 ? 1e-9 : u > 1 - 1e-9 ? 1 - 1e-9 : u;
    return log(u / (1 - u));
}

double calib_from_z(const struct calib_param *cp, double z)
{
    return value_of(cp, 1.0 / (1.0 + exp(-z)));
}

/* The value at position u in [0,1] of the prior (uniform on the value or its log). */
double calib_prior_point(const struct calib_param *cp, double u)
{
    return value_of(cp, u);
}
