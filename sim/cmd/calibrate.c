/* calibrate.c: the methods smm (Sobol start + Nelder-Mead) and abc (rejection over a
 * Sobol design), and the whole calibration (abc-smc: calibrate_smc.c; evaluating
 * candidates with common random numbers: calibrate_eval.c). */
#include "calibrate.h"

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

/* n points of a Sobol sequence mapped onto the prior. Caller frees. */
static double *sobol_design(const struct calib_spec *s, size_t n)
{
    double *x = gs_malloc(n * s->nparams * sizeof *x), u[40];
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)s->nparams);
    for (size_t i = 0; i < n; i++) {
        gsl_qrng_get(q, u);
        for (size_t k = 0; k < s->nparams; k++)
            x[i * s->nparams + k] = calib_prior_point(&s->params[k], u[k]);
    }
    gsl_qrng_free(q);
    return x;
}

/* ---- smm: Nelder-Mead in the transformed space ---- */

struct nm_ctx {
    const struct calib_spec *s;
    const struct calib_opts *o;
    struct calib_result *r;
    int failed;
    struct gs_error err;
};

static double nm_objective(const gsl_vector *z, void *vctx)
{
    struct nm_ctx *c = vctx;
    if (c->failed)
        return CALIB_BAD_OBJECTIVE;
    double x[40];
    for (size_t k = 0; k < c->s->nparams; k++)
        x[k] = calib_from_z(&c->s->params[k], gsl_vector_get(z, k));
    if (calib_evaluate_record(c->s, c->o, x, 1, 1, NULL, c->r, &c->err) != 0) {
        c->failed = 1;
        return CALIB_BAD_OBJECTIVE;
    }
    return c->r->objective[c->r->n - 1];
}

static int nm_minimise(struct nm_ctx *c, const double *x0)
{
    size_t np = c->s->nparams;
    gsl_vector *z = gsl_vector_alloc(np), *step = gsl_vector_alloc(np);
    for (size_t k = 0; k < np; k++) {
        gsl_vector_set(z, k, calib_to_z(&c->s->params[k], x0[k]));
        gsl_vector_set(step, k, c->s->initial_step);
    }
    gsl_multimin_function f = {nm_objective, np, c};
    gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, np);
    gsl_multimin_fminimizer_set(m, &f, z, step);
    struct progress pr;
    progress_init(&pr, "iteration", c->o->quiet);
    struct calib_result *r = c->r;
    while (!c->failed && r->iterations < c->s->max_iterations) {
        if (gsl_multimin_fminimizer_iterate(m) != 0)
            break;
        r->iterations++;
        r->simplex_size = gsl_multimin_fminimizer_size(m);
        progress_update(&pr, r->iterations, c->s->max_iterations);
        if (r->simplex_size < c->s->simplex_tol) {
            r->converged = 1;
            break;
        }
    }
    progress_finish(&pr);
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(z);
    gsl_vector_free(step);
    return c->failed ? -1 : 0;
}

static int run_smm(const struct calib_spec *s, const struct calib_opts *o,
                   struct calib_result *r, struct gs_error *err)
{
    double *design = sobol_design(s, (size_t)s->design_points);
    int rc = calib_evaluate_record(s, o, design, (size_t)s->design_points, 0, "design run", r, err);
    free(design);
    if (rc != 0)
        return -1;
    struct nm_ctx c = {s, o, r, 0, {{0}}};
    double x0[40];
    memcpy(x0, r->x + r->best * r->np, r->np * sizeof(double));
    if (nm_minimise(&c, x0) != 0) {
        *err = c.err;
        return -1;
    }
    memcpy(r->estimate, r->x + r->best * r->np, r->np * sizeof(double));
    return 0;
}

/* ---- abc: rejection over prior samples ---- */

static void abc_posterior(const struct calib_spec *s, struct calib_result *r, size_t *order,
                          size_t nacc)
{
    double *col = gs_malloc(nacc * sizeof *col);
    for (size_t k = 0; k < s->nparams; k++) {
        for (size_t i = 0; i < nacc; i++)
            col[i] = r->x[order[i] * r->np + k];
        r->estimate[k] = gsl_stats_mean(col, 1, nacc);
        r->post_sd[k] = nacc > 1 ? gsl_stats_sd_m(col, 1, nacc, r->estimate[k]) : 0;
        gsl_sort(col, 1, nacc);
        r->post_lo[k] = gsl_stats_quantile_from_sorted_data(col, 1, nacc, 0.025);
        r->post_hi[k] = gsl_stats_quantile_from_sorted_data(col, 1, nacc, 0.975);
    }
    free(col);
}

static int run_abc(const struct calib_spec *s, const struct calib_opts *o,
                   struct calib_result *r, struct gs_error *err)
{
    size_t n = (size_t)s->samples;
    double *prior = sobol_design(s, n);
    int rc = calib_evaluate_record(s, o, prior, n, 0, "prior sample run", r, err);
    free(prior);
    if (rc != 0)
        return -1;
    size_t *order = gs_malloc(n * sizeof *order), nacc = 0;
    gsl_sort_index(order, r->objective, 1, n);
    size_t want = (size_t)llround(s->accept_fraction * (double)n);
    want = want < 1 ? 1 : want;
    while (nacc < want && r->objective[order[nacc]] < CALIB_BAD_OBJECTIVE)
        r->accepted[order[nacc++]] = 1;
    if (nacc == 0) {
        free(order);
        return gs_error_set(err, "no prior sample gave finite outputs for every target");
    }
    abc_posterior(s, r, order, nacc);
    r->npost = nacc;
    r->post_x = gs_malloc(nacc * r->np * sizeof(double));
    r->post_w = gs_malloc(nacc * sizeof(double));
    r->post_d = gs_malloc(nacc * sizeof(double));
    for (size_t i = 0; i < nacc; i++) {
        memcpy(r->post_x + i * r->np, r->x + order[i] * r->np, r->np * sizeof(double));
        r->post_w[i] = 1.0 / (double)nacc;
        r->post_d[i] = sqrt(r->objective[order[i]]);
    }
    free(order);
    return 0;
}


/* ---- the whole calibration ---- */

static int check_estimate(const struct calib_spec *s, const struct calib_opts *o,
                          struct calib_result *r, struct gs_error *err)
{
    struct calib_eval_req q = {r->estimate, 1, s->check_replicates, s->seed + s->replicates,
                         "check run"};
    return calib_evaluate(s, o, &q, r->check_mean, r->check_sd, &r->check_objective, &r->runs, err);
}

int calib_run(const struct calib_spec *s, const struct calib_opts *o, struct calib_result *r,
              struct gs_error *err)
{
    double started = omp_get_wtime();
    calib_result_init(r, s);
    if (calib_spec_check(s, err) != 0)
        return -1;
    int rc = s->method == CALIB_SMM ? run_smm(s, o, r, err)
             : s->method == CALIB_ABC ? run_abc(s, o, r, err) : calib_run_abc_smc(s, o, r, err);
    if (rc == 0 && !(r->objective[r->best] < CALIB_BAD_OBJECTIVE))   /* nothing to estimate from */
        rc = gs_error_set(err, "no candidate could run or gave finite outputs for every target "
                          "(%zu evaluated): check the parameter ranges against the base scenario",
                          r->n);
    if (rc == 0)
        rc = check_estimate(s, o, r, err);
    if (rc == 0 && !(r->check_objective < CALIB_BAD_OBJECTIVE))
        rc = gs_error_set(err, "the estimate could not run or gave non-finite outputs on the check "
                          "seeds (objective %g)", r->check_objective);
    r->wall_seconds = omp_get_wtime() - started;
    return rc;
}
