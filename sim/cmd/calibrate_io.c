/* calibrate_io.c: the printed table and the HDF5 file of a calibration
 * (layout in docs/output.md, section "Calibration files"). */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "calibrate.h"
#include <hdf5_hl.h>

#include "io_h5.h"
#include "summary.h"

static const char *method_name(enum calib_method m)
{
    return m == CALIB_SMM ? "smm" : m == CALIB_ABC ? "abc" : "abc-smc";
}

/* A target's fit: a band's mean inside [lo, hi]; a point target's within its tolerance. */
static int within(const struct calib_target *tg, double m)
{
    return tg->band ? m >= tg->lo && m <= tg->hi : fabs(m - tg->value) <= tg->tolerance;
}

/* Half-width of the 95% confidence interval of a mean of n values with sd. */
static double ci95(double sd, int64_t n)
{
    return n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n) : NAN;
}

/* The estimate as it is applied: integers rounded. */
static double applied(const struct calib_param *cp, double x)
{
    return cp->def->type == PT_INT ? nearbyint(x) : x;
}

static void print_params(const struct calib_spec *s, const struct calib_result *r)
{
    int abc = s->method != CALIB_SMM;
    printf("  %-40s %12s  %-24s%s\n", "parameter", "estimate", "prior range",
           abc ? "  posterior sd, 95% interval" : "");
    for (size_t k = 0; k < s->nparams; k++) {
        const struct calib_param *cp = &s->params[k];
        char range[64];
        snprintf(range, sizeof range, "[%g, %g]%s", cp->lo, cp->hi,
                 cp->scale == CALIB_LOG ? " log" : "");
        printf("  %-40s %12.6g  %-24s", cp->def->name, applied(cp, r->estimate[k]), range);
        if (abc)
            printf("  %.3g, [%.6g, %.6g]", r->post_sd[k], r->post_lo[k], r->post_hi[k]);
        printf("\n");
    }
}

static void print_targets(const struct calib_spec *s, const struct calib_result *r)
{
    printf("  %-32s %-20s %10s %12s  %-25s %s\n", "target (OUTPUT@BASE)", "value or range", "tolerance",
           "fitted mean", "95% CI of the mean", "within");
    for (size_t t = 0; t < s->ntargets; t++) {
        const struct calib_target *tg = &s->targets[t];
        double m = r->check_mean[t], h = ci95(r->check_sd[t], s->check_replicates);
        char ci[64], val[64];
        snprintf(ci, sizeof ci, "[%.6g, %.6g]", m - h, m + h);
        if (tg->band)
            snprintf(val, sizeof val, "[%.4g, %.4g]", tg->lo, tg->hi);
        else
            snprintf(val, sizeof val, "%.6g", tg->value);
        printf("  %-32s %-20s %10.4g %12.6g  %-25s %s\n", tg->label, val,
               tg->tolerance, m, ci, within(tg, m) ? "yes" : "NO");
    }
}

static size_t count_accepted(const struct calib_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->accepted[i];
    return n;
}

void calib_print(const struct calib_spec *s, const struct calib_result *r)
{
    printf("govsim calibrate: method %s, seed %lld, %lld replicates per candidate, "
           "%zu candidates, %lld runs, %.1f s\n", method_name(s->method), (long long)s->seed,
           (long long)s->replicates, r->n, (long long)r->runs, r->wall_seconds);
    if (s->method == CALIB_SMM)
        printf("  Nelder-Mead: %lld iterations, simplex size %.3g (%s)\n",
               (long long)r->iterations, r->simplex_size,
               r->converged ? "converged" : "stopped at max_iterations");
    else if (s->method == CALIB_ABC)
        printf("  ABC: %zu of %zu prior samples accepted\n", count_accepted(r), r->n);
    else {
        printf("  ABC-SMC: %zu particles in the final sample%s\n", r->npost,
               r->stopped_early ? " (the last generation could not fill within max_proposals; "
                                  "the previous population is the sample)" : "");
        printf("  %10s %12s %10s %10s %8s\n", "generation", "tolerance", "accepted", "proposed",
               "ESS");
        for (size_t g = 0; g < r->ngen; g++)
            printf("  %10zu %12.4g %10lld %10lld %8.1f\n", g, r->gen_tol[g],
                   (long long)r->gen_accepted[g], (long long)r->gen_proposed[g], r->gen_ess[g]);
    }
    print_params(s, r);
    printf("  fit at the estimate, %lld fresh replicates (seeds %lld..%lld):\n",
           (long long)s->check_replicates, (long long)(s->seed + s->replicates),
           (long long)(s->seed + s->replicates + s->check_replicates - 1));
    print_targets(s, r);
    printf("  objective: %.4g at the estimate (fresh seeds), %.4g best on the fitting seeds\n",
           r->check_objective, r->objective[r->best]);
}

/* ---- HDF5 ---- */

/* Attaches the dimension scale of each axis of dataset d (by name, looked up from
 * group g or absolute), then closes d. */
static int attach_close(hid_t g, hid_t d, int rank, const char *const *dims)
{
    int rc = d >= 0 ? 0 : -1;
    for (int k = 0; k < rank && rc == 0; k++) {
        hid_t s = H5Dopen2(g, dims[k], H5P_DEFAULT);
        rc = s >= 0 && H5DSattach_scale(d, s, (unsigned)k) >= 0 ? 0 : -1;
        if (s >= 0)
            H5Dclose(s);
    }
    if (d >= 0 && H5Dclose(d) < 0)
        rc = -1;
    return rc;
}

static const char *const dim_parameter[] = {"parameter"}, *const dim_target[] = {"target"},
                         *const dim_particle[] = {"particle"}, *const dim_generation[] = {"generation"},
                         *const dim_candidate[] = {"candidate"},
                         *const dim_cand_param[] = {"candidate", "/calibration/parameter"},
                         *const dim_cand_target[] = {"candidate", "/calibration/target"};

static int array1(hid_t g, const char *name, size_t n, const double *v, int integer,
                  const char *units, const char *desc, const char *const *dim)
{
    hsize_t len = n;
    return attach_close(g, io_write_array(g, name, 1, &len, v, integer, units, desc), 1, dim);
}

static int array2(hid_t g, const char *name, size_t n, size_t m, const double *v,
                  const char *units, const char *desc, const char *const *dims)
{
    hsize_t len[2] = {n, m};
    return attach_close(g, io_write_array(g, name, 2, len, v, 0, units, desc), 2, dims);
}

/* 1-d strings over dimension dim of group g. */
static int strings1(hid_t g, const char *name, size_t n, const char *const *v, const char *units,
                    const char *desc, const char *const *dim)
{
    if (io_h5_strings(g, name, n, v, units, desc) < 0)
        return -1;
    return attach_close(g, H5Dopen2(g, name, H5P_DEFAULT), 1, dim);
}

static int index_scale(hid_t g, const char *name, size_t n, const char *desc)
{
    hid_t d = io_index_scale(g, name, n, desc);
    return d >= 0 && H5Dclose(d) >= 0 ? 0 : -1;
}

static int scalar(hid_t g, const char *name, double v, int integer, const char *units,
                  const char *desc)
{
    hid_t d = io_write_array(g, name, 0, NULL, &v, integer, units, desc);
    return d >= 0 && H5Dclose(d) >= 0 ? 0 : -1;
}

static int write_param_info(hid_t g, const struct calib_spec *s, const struct calib_result *r)
{
    size_t np = s->nparams;
    const char **names = gs_malloc(np * sizeof *names), **units = gs_malloc(np * sizeof *units),
               **scale = gs_malloc(np * sizeof *scale);
    double *lo = gs_malloc(np * sizeof *lo), *hi = gs_malloc(np * sizeof *hi), *est = gs_malloc(np * sizeof *est);
    for (size_t k = 0; k < np; k++) {
        names[k] = s->params[k].def->name;
        units[k] = s->params[k].def->unit;
        scale[k] = s->params[k].scale == CALIB_LOG ? "log" : "linear";
        lo[k] = s->params[k].lo;
        hi[k] = s->params[k].hi;
        est[k] = applied(&s->params[k], r->estimate[k]);
    }
    const char *pu = "units of each parameter (parameter_units)";
    int rc = index_scale(g, "parameter", np, "Fitted parameter index, in the order of parameter_names");
    rc |= strings1(g, "parameter_names", np, names, "", "Fitted parameters (keys of govsim params)", dim_parameter) |
             strings1(g, "parameter_units", np, units, "", "Units of each fitted parameter", dim_parameter) |
             strings1(g, "prior_scale", np, scale, "", "Prior uniform on the value (linear) or on its logarithm (log)", dim_parameter) |
             array1(g, "prior_min", np, lo, 0, pu, "Lower end of each parameter's prior range", dim_parameter) |
             array1(g, "prior_max", np, hi, 0, pu, "Upper end of each parameter's prior range", dim_parameter) |
             array1(g, "estimate", np, est, 0, pu, "The estimate: smm optimum or abc posterior mean (integers rounded)", dim_parameter) |
             array1(g, "posterior_sd", np, r->post_sd, 0, pu, "abc: standard deviation of the accepted sample; NaN for smm", dim_parameter) |
             array1(g, "posterior_q025", np, r->post_lo, 0, pu, "abc: 2.5% quantile of the accepted sample; NaN for smm", dim_parameter) |
             array1(g, "posterior_q975", np, r->post_hi, 0, pu, "abc: 97.5% quantile of the accepted sample; NaN for smm", dim_parameter);
    free(names); free(units); free(scale); free(lo); free(hi); free(est);
    return rc ? -1 : 0;
}

static int write_target_info(hid_t g, const struct calib_spec *s, const struct calib_result *r)
{
    size_t nt = s->ntargets;
    const char **names = gs_malloc(nt * sizeof *names), **units = gs_malloc(nt * sizeof *units),
               **pattern = gs_malloc(nt * sizeof *pattern);
    double *v = gs_malloc(7 * nt * sizeof *v), *tol = v + nt, *w = v + 2 * nt, *lo = v + 3 * nt,
           *hi = v + 4 * nt, *blo = v + 5 * nt, *bhi = v + 6 * nt,
           *inside = gs_malloc(nt * sizeof *inside);
    for (size_t t = 0; t < nt; t++) {
        const struct calib_target *tg = &s->targets[t];
        double h = ci95(r->check_sd[t], s->check_replicates);
        names[t] = tg->label;
        units[t] = calib_output_units(tg->field);
        pattern[t] = tg->pattern;
        v[t] = tg->value, tol[t] = tg->tolerance, w[t] = tg->weight;
        blo[t] = tg->lo, bhi[t] = tg->hi;
        lo[t] = r->check_mean[t] - h, hi[t] = r->check_mean[t] + h;
        inside[t] = within(tg, r->check_mean[t]);
    }
    const char *tu = "units of each target output (target_units)";
    int rc = index_scale(g, "target", nt, "Target index, in the order of target_names");
    rc |= strings1(g, "target_names", nt, names, "", "Target outputs: a field of /summary in run files or a derived output (docs/calibration.md), then @BASE, or @AFTER-BEFORE for a difference, when there are several base scenarios", dim_target) |
             strings1(g, "target_units", nt, units, "", "Units of each target output", dim_target) |
             strings1(g, "target_pattern", nt, pattern, "", "Id of the pattern (params/patterns.yaml) a target stands for; empty if none", dim_target) |
             array1(g, "target_value", nt, v, 0, tu, "Target value of the mean over replicates (a band's centre)", dim_target) |
             array1(g, "target_low", nt, blo, 0, tu, "Lower end of the target band (distance 0 inside); target_value for a point target", dim_target) |
             array1(g, "target_high", nt, bhi, 0, tu, "Upper end of the target band; target_value for a point target", dim_target) |
             array1(g, "target_tolerance", nt, tol, 0, tu, "Acceptable distance from the target; scales the objective", dim_target) |
             array1(g, "target_weight", nt, w, 0, "relative weight", "Weight of each target in the objective", dim_target) |
             array1(g, "fit_mean", nt, r->check_mean, 0, tu, "Mean output at the estimate over check_replicates fresh seeds", dim_target) |
             array1(g, "fit_sd", nt, r->check_sd, 0, tu, "Standard deviation of the output at the estimate over the fresh seeds", dim_target) |
             array1(g, "fit_ci95_low", nt, lo, 0, tu, "Lower end of the 95% confidence interval (Student t) of fit_mean", dim_target) |
             array1(g, "fit_ci95_high", nt, hi, 0, tu, "Upper end of the 95% confidence interval (Student t) of fit_mean", dim_target) |
             array1(g, "fit_within_tolerance", nt, inside, 1, "boolean", "1 when fit_mean is inside [target_low, target_high] (a band) or |fit_mean - target_value| <= target_tolerance (a point target)", dim_target);
    free(names); free(units); free(pattern); free(v); free(inside);
    return rc ? -1 : 0;
}

static int write_candidates(hid_t file, const struct calib_spec *s, const struct calib_result *r)
{
    hid_t g = H5Gcreate2(file, "calibration/candidates", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    double *stage = gs_malloc((r->n + 1) * sizeof *stage), *acc = gs_malloc((r->n + 1) * sizeof *acc);
    for (size_t i = 0; i < r->n; i++)
        stage[i] = r->stage[i], acc[i] = r->accepted[i];
    const char *tu = "units of each target output (target_units)";
    int rc = index_scale(g, "candidate", r->n, "Candidate index, in evaluation order");
    rc |= array2(g, "parameters", r->n, s->nparams, r->x, "units of each parameter (parameter_units)",
                    "Parameter values of every candidate evaluated, in evaluation order (column = parameter_names)", dim_cand_param) |
             array2(g, "output_mean", r->n, s->ntargets, r->mean, tu,
                    "Mean of each target output over the fitting replicates (column = target_names)", dim_cand_target) |
             array2(g, "output_sd", r->n, s->ntargets, r->sd, tu,
                    "Standard deviation of each target output over the fitting replicates", dim_cand_target) |
             array1(g, "objective", r->n, r->objective, 0, "dimensionless",
                    "Weighted mean of squared (output mean - target) / tolerance; 1e12 for invalid candidates", dim_candidate) |
             array1(g, "stage", r->n, stage, 1, "", "smm and abc: 0 Sobol design point or prior sample, 1 Nelder-Mead evaluation; abc-smc: the generation", dim_candidate) |
             array1(g, "accepted", r->n, acc, 1, "boolean", "abc: 1 for candidates in the accepted (posterior) sample; abc-smc: 1 for proposals accepted into their generation's population", dim_candidate);
    free(stage);
    free(acc);
    H5Gclose(g);
    return rc ? -1 : 0;
}

/* abc-smc: per-generation tolerance and counts, /calibration/generations. */
static int write_generations(hid_t file, const struct calib_result *r)
{
    hid_t g = H5Gcreate2(file, "calibration/generations", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    size_t n = r->ngen;
    double *acc = gs_malloc((n + 1) * sizeof *acc), *prop = gs_malloc((n + 1) * sizeof *prop);
    for (size_t i = 0; i < n; i++)
        acc[i] = (double)r->gen_accepted[i], prop[i] = (double)r->gen_proposed[i];
    int rc = index_scale(g, "generation", n, "Generation index; 0 draws from the prior");
    rc |= array1(g, "tolerance", n, r->gen_tol, 0, "dimensionless",
                 "Distance a proposal had to reach to be accepted (infinity for generation 0): the "
                 "abc_smc.quantile of the previous population's distances", dim_generation) |
          array1(g, "accepted", n, acc, 1, "particles", "Proposals accepted into the population", dim_generation) |
          array1(g, "proposed", n, prop, 1, "proposals", "Proposals run (each on every fitting replicate)", dim_generation) |
          array1(g, "ess", n, r->gen_ess, 0, "particles",
                 "Effective sample size 1 / sum of squared weights; NaN for a generation that did not fill", dim_generation);
    free(acc);
    free(prop);
    H5Gclose(g);
    return rc ? -1 : 0;
}

/* The posterior sample: /posterior/parameters/<name>, weight, distance over `particle`. */
static int write_posterior(hid_t file, const struct calib_spec *s, const struct calib_result *r)
{
    hid_t g = H5Gcreate2(file, "posterior", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t pg = g >= 0 ? H5Gcreate2(g, "parameters", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    if (pg < 0) {
        if (g >= 0)
            H5Gclose(g);
        return -1;
    }
    size_t n = r->npost, np = s->nparams;
    int rc = io_text_attr(g, "method", method_name(s->method)) |
             index_scale(g, "particle", n, "Particle index of the posterior sample");
    rc |= array1(g, "weight", n, r->post_w, 0, "1",
                 "Normalised importance weight of each particle (sums to 1; equal for abc): draw "
                 "particles with these probabilities", dim_particle) |
          array1(g, "distance", n, r->post_d, 0, "dimensionless",
                 "Distance of each particle to the targets: square root of the objective", dim_particle);
    const char *const dim_abs[] = {"/posterior/particle"};
    double *col = gs_malloc((n + 1) * sizeof *col);
    for (size_t k = 0; k < np && rc == 0; k++) {
        const struct calib_param *cp = &s->params[k];
        for (size_t i = 0; i < n; i++)
            col[i] = applied(cp, r->post_x[i * np + k]);
        char desc[512];
        snprintf(desc, sizeof desc, "Posterior sample of %s (prior %s on [%g, %g]%s)", cp->def->name,
                 cp->scale == CALIB_LOG ? "log-uniform" : "uniform", cp->lo, cp->hi,
                 cp->def->type == PT_INT ? "; rounded to an integer" : "");
        rc |= array1(pg, cp->def->name, n, col, 0, cp->def->unit, desc, dim_abs);
    }
    free(col);
    H5Gclose(pg);
    H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_calibration(hid_t file, const struct calib_spec *s, const struct calib_result *r)
{
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t g = H5Gcreate2(file, "calibration", lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    if (g < 0)
        return -1;
    int rc = io_text_attr(g, "method", method_name(s->method)) |
             write_param_info(g, s, r) | write_target_info(g, s, r) |
             scalar(g, "objective_best", r->objective[r->best], 0, "dimensionless",
                    "Smallest objective over the candidates, on the fitting seeds") |
             scalar(g, "objective_at_estimate", r->check_objective, 0, "dimensionless",
                    "Objective at the estimate on the fresh check seeds") |
             scalar(g, "replicates", (double)s->replicates, 1, "runs",
                    "Runs per candidate, seeds seed .. seed+replicates-1 (common to all candidates)") |
             scalar(g, "check_replicates", (double)s->check_replicates, 1, "runs",
                    "Runs at the estimate, on seeds seed+replicates onwards") |
             scalar(g, "iterations", (double)r->iterations, 1, "iterations", "smm: Nelder-Mead iterations done") |
             scalar(g, "converged", r->converged, 1, "boolean", "smm: the simplex shrank below its tolerance") |
             scalar(g, "runs", (double)r->runs, 1, "runs", "Simulations run in all");
    H5Gclose(g);
    if (rc || write_candidates(file, s, r))
        return -1;
    if (r->ngen > 0 && write_generations(file, r) != 0)
        return -1;
    return r->npost > 0 ? write_posterior(file, s, r) : 0;
}

int calib_write_h5(const char *path, const struct calib_spec *s, const struct calib_result *r,
                   const char *command_line, int threads, const char *start_time,
                   struct gs_error *err)
{
    char tmp[4096];
    hid_t f = io_h5_create(path, tmp, sizeof tmp, err);
    if (f < 0)
        return -1;
    struct io_provenance prov = {command_line, threads, start_time};
    char title[512];
    snprintf(title, sizeof title, "govsim calibration (%s) of scenario %s", method_name(s->method),
             s->base->p.scenario_name);
    int rc = io_text_attr(f, "kind", "calibration") |
             io_cf_global(f, title, command_line, start_time) |
             io_text_attr(f, "scenario", s->base->p.scenario_name) |
             io_h5_provenance(f, s->base, r->wall_seconds, &prov) |
             io_write_parameters(f, s->base) | write_calibration(f, s, r);
    hid_t g = rc == 0 ? H5Gopen2(f, "provenance", H5P_DEFAULT) : -1;
    if (g >= 0) {
        char bases[4096] = "";
        size_t len = 0;
        for (size_t b = 0; b < s->nbases && len < sizeof bases; b++)
            len += (size_t)snprintf(bases + len, sizeof bases - len, "%s%s=%s", b ? ", " : "",
                                    s->base_names[b], s->bases[b]->file[0] ? s->bases[b]->file : "(defaults)");
        rc |= io_text_attr(g, "calibration_file", s->file ? s->file : "(built in)") |
              io_text_attr(g, "calibration_file_text", s->text ? s->text : "") |
              io_text_attr(g, "calibration_bases", bases);
        H5Gclose(g);
    }
    return io_h5_finish(f, rc == 0 && g >= 0, tmp, path, err);
}
