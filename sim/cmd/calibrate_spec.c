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
    return s;
}

void calib_spec_free(struct calib_spec *s)
{
    if (!s)
        return;
    param_set_free(s->base);
    free(s->params);
    free(s->targets);
    free(s->file);
    free(s->text);
    free(s);
}

int calib_summary_field(const char *name)
{
    for (int f = 0; f < N_SUMMARY; f++)
        if (strcmp(summary_fields[f].name, name) == 0)
            return f;
    return -1;
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

int calib_spec_add_target(struct calib_spec *s, const char *field, double value,
                          double tolerance, double weight, struct gs_error *err)
{
    int f = calib_summary_field(field);
    if (f < 0)
        return gs_error_set(err, "unknown output '%s' (targets are summary outputs, listed "
                            "in docs/output.md)", field);
    for (size_t i = 0; i < s->ntargets; i++)
        if (s->targets[i].field == f)
            return gs_error_set(err, "output '%s' is a target twice", field);
    if (!isfinite(value))
        return gs_error_set(err, "target '%s': value must be a finite number", field);
    if (!(tolerance > 0) || !isfinite(tolerance))
        return gs_error_set(err, "target '%s': tolerance must be a number > 0", field);
    if (!(weight > 0) || !isfinite(weight))
        return gs_error_set(err, "target '%s': weight must be a number > 0", field);
    s->targets = gs_realloc(s->targets, (s->ntargets + 1) * sizeof *s->targets);
    s->targets[s->ntargets++] = (struct calib_target){f, value, tolerance, weight};
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
    /* upper bounds: each count is allocated for and run; beyond these a calibration
     * would not finish (and its arrays might not fit) */
    if (s->replicates > CALIB_MAX_REPLICATES || s->check_replicates > CALIB_MAX_REPLICATES)
        return gs_error_set(err, "replicates and check_replicates must be at most %d (got %lld "
                            "and %lld)", CALIB_MAX_REPLICATES, (long long)s->replicates,
                            (long long)s->check_replicates);
    if (s->design_points > CALIB_MAX_CANDIDATES || s->samples > CALIB_MAX_CANDIDATES ||
        s->max_iterations > CALIB_MAX_CANDIDATES)
        return gs_error_set(err, "smm.design_points, smm.max_iterations and abc.samples must be at "
                            "most %d", CALIB_MAX_CANDIDATES);
    double cand = s->method == CALIB_ABC ? (double)s->samples
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
