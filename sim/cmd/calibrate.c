/* calibrate.c: evaluating candidates with common random numbers, and the three
 * methods (smm: Sobol start + Nelder-Mead; abc: rejection over a Sobol design;
 * abc-smc: ABC with sequential tolerances, population Monte Carlo). */
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

#include "batch.h"
#include "progress.h"
#include "rng.h"
#include "summary.h"

/* ---- one candidate's parameters ---- */

/* Base scenario b's parameters with the candidate's values set through the parameter
 * table (so range checks apply and integers are rounded), then cross-checked. */
static int candidate_params(const struct calib_spec *s, size_t base, const double *x,
                            struct params *out, struct gs_error *err)
{
    const struct param_set *bp = s->bases[base];
    struct param_set tmp = *bp;
    tmp.source = gs_malloc(param_count * sizeof *tmp.source);
    memcpy(tmp.source, bp->source, param_count * sizeof *tmp.source);
    int rc = 0;
    for (size_t k = 0; k < s->nparams && rc == 0; k++) {
        char text[64];
        const struct param_def *d = s->params[k].def;
        snprintf(text, sizeof text, d->type == PT_INT ? "%.0f" : "%.17g",
                 d->type == PT_INT ? nearbyint(x[k]) : x[k]);
        rc = param_set_value(&tmp, d->name, text, "calibration candidate", SRC_SET, err);
    }
    if (rc == 0)
        rc = param_check(&tmp, err);
    *out = tmp.p;
    free(tmp.source);
    return rc;
}

/* ---- a batch of candidates, each run in every base scenario on the same seeds ---- */

/* Run i of a batch is candidate i / (nbases * nrep), base (i / nrep) % nbases, replicate
 * i % nrep. The journal key of a run in base b > 0 offsets the seed by b * 2^40 (base 0
 * keeps the key of a one-base calibration). */
static int64_t journal_seed(size_t base, int64_t seed)
{
    return seed + (int64_t)base * ((int64_t)1 << 40);
}

struct eval_batch {
    const struct calib_spec *s;
    struct params *cand;      /* ncand * nbases */
    int64_t nrep, seed0;
    double *vals;             /* ncand * nbases * nrep * ntargets */
    const double *x;          /* ncand * np candidate values (journal keys) */
    struct calib_journal *journal;
};

static int eval_params(void *ctx, size_t i, struct params *p, struct gs_error *err)
{
    (void)err;
    const struct eval_batch *b = ctx;
    *p = b->cand[i / (size_t)b->nrep];
    p->seed = b->seed0 + (int64_t)(i % (size_t)b->nrep);
    return 0;
}

static int eval_result(void *ctx, size_t i, const struct params *p,
                       const struct sim_output *out, struct gs_error *err)
{
    struct eval_batch *b = ctx;
    for (size_t t = 0; t < b->s->ntargets; t++)
        b->vals[i * b->s->ntargets + t] = calib_output_value(b->s->targets[t].field, &out->summary, p);
    if (!b->journal)
        return 0;
    size_t np = b->s->nparams, nrep = (size_t)b->nrep, nb = b->s->nbases;
    uint64_t key = calib_journal_key(b->x + (i / (nrep * nb)) * np, np,
                                     journal_seed((i / nrep) % nb, b->seed0 + (int64_t)(i % nrep)));
    return calib_journal_append(b->journal, key, b->vals + i * b->s->ntargets, err);
}

static double objective(const struct calib_spec *s, const double *mean)
{
    double num = 0, wsum = 0;
    for (size_t t = 0; t < s->ntargets; t++) {
        const struct calib_target *tg = &s->targets[t];
        /* distance from the band [lo, hi] (lo = hi = value for a point target) */
        double d = (mean[t] < tg->lo ? mean[t] - tg->lo : mean[t] > tg->hi ? mean[t] - tg->hi : 0)
                   / tg->tolerance;
        if (!isfinite(d) || !isfinite(mean[t]))
            return CALIB_BAD_OBJECTIVE;
        num += tg->weight * d * d;
        wsum += tg->weight;
    }
    return num / wsum;
}

/* Mean and sd over replicates of each target of candidate c: the output in the target's
 * base, or its difference between two bases replicate by replicate. */
static void eval_moments(const struct eval_batch *b, size_t c, double *mean, double *sd)
{
    size_t nt = b->s->ntargets, nrep = (size_t)b->nrep, nb = b->s->nbases;
    double *col = gs_malloc(nrep * sizeof *col);
    for (size_t t = 0; t < nt; t++) {
        const struct calib_target *tg = &b->s->targets[t];
        for (size_t r = 0; r < nrep; r++) {
            col[r] = b->vals[((c * nb + (size_t)tg->b) * nrep + r) * nt + t];
            if (tg->b2 >= 0)
                col[r] -= b->vals[((c * nb + (size_t)tg->b2) * nrep + r) * nt + t];
        }
        mean[t] = gsl_stats_mean(col, 1, nrep);
        sd[t] = nrep > 1 ? gsl_stats_sd_m(col, 1, nrep, mean[t]) : 0;
    }
    free(col);
}

struct eval_req {
    const double *x;          /* ncand * np */
    size_t ncand;
    int64_t nrep, seed0;
    const char *what;         /* progress label, or NULL for none */
};

/* Runs the candidates; fills mean, sd (ncand * nt) and obj (ncand). Invalid
 * candidates (in any base) get CALIB_BAD_OBJECTIVE and NaN outputs without running. */
static int evaluate(const struct calib_spec *s, const struct calib_opts *o,
                    const struct eval_req *q, double *mean, double *sd, double *obj,
                    int64_t *runs, struct gs_error *err)
{
    size_t nrep = (size_t)q->nrep, nt = s->ntargets, nb = s->nbases, nvalid = 0, ntodo = 0;
    struct eval_batch b = {s, gs_malloc(q->ncand * nb * sizeof *b.cand), q->nrep, q->seed0,
                           gs_malloc(q->ncand * nb * nrep * nt * sizeof(double)), q->x,
                           o->journal};
    int *valid = gs_malloc(q->ncand * sizeof *valid);
    size_t *todo = gs_malloc(q->ncand * nb * nrep * sizeof *todo);
    for (size_t c = 0; c < q->ncand; c++) {
        valid[c] = 1;
        for (size_t k = 0; k < nb; k++) {
            struct gs_error ignored;
            valid[c] &= candidate_params(s, k, q->x + c * s->nparams, &b.cand[c * nb + k],
                                         &ignored) == 0;
        }
        for (size_t k = 0; valid[c] && k < nb; k++)
            for (size_t r = 0; r < nrep; r++, nvalid++) {
                size_t i = (c * nb + k) * nrep + r;
                uint64_t key = calib_journal_key(q->x + c * s->nparams, s->nparams,
                                                 journal_seed(k, q->seed0 + (int64_t)r));
                if (!calib_journal_get(o->journal, key, b.vals + i * nt))
                    todo[ntodo++] = i;   /* not finished before an interruption */
            }
    }
    struct batch_opts bo = {o->threads, o->quiet || !q->what, q->what ? q->what : "run"};
    int rc = ntodo > 0 ? batch_run(ntodo, todo, eval_params, eval_result, &b, &bo, err) : 0;
    for (size_t c = 0; rc == 0 && c < q->ncand; c++) {
        if (valid[c]) {
            eval_moments(&b, c, mean + c * nt, sd + c * nt);
            obj[c] = objective(s, mean + c * nt);
        } else {
            for (size_t t = 0; t < nt; t++)
                mean[c * nt + t] = sd[c * nt + t] = NAN;
            obj[c] = CALIB_BAD_OBJECTIVE;
        }
    }
    *runs += (int64_t)nvalid;
    free(b.cand);
    free(b.vals);
    free(valid);
    free(todo);
    return rc;
}

/* ---- the record of evaluated candidates ---- */

static void result_init(struct calib_result *r, const struct calib_spec *s)
{
    memset(r, 0, sizeof *r);
    r->np = s->nparams;
    r->nt = s->ntargets;
    r->estimate = gs_calloc(r->np, sizeof(double));
    r->post_sd = gs_calloc(r->np, sizeof(double));
    r->post_lo = gs_calloc(r->np, sizeof(double));
    r->post_hi = gs_calloc(r->np, sizeof(double));
    r->check_mean = gs_calloc(r->nt, sizeof(double));
    r->check_sd = gs_calloc(r->nt, sizeof(double));
    for (size_t k = 0; k < r->np; k++)
        r->post_sd[k] = r->post_lo[k] = r->post_hi[k] = NAN;
}

static void calib_result_add(struct calib_result *r, const double *x, const double *mean,
                       const double *sd, double obj, int stage)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->x = gs_realloc(r->x, r->cap * r->np * sizeof(double));
        r->mean = gs_realloc(r->mean, r->cap * r->nt * sizeof(double));
        r->sd = gs_realloc(r->sd, r->cap * r->nt * sizeof(double));
        r->objective = gs_realloc(r->objective, r->cap * sizeof(double));
        r->stage = gs_realloc(r->stage, r->cap * sizeof(int));
        r->accepted = gs_realloc(r->accepted, r->cap);
    }
    memcpy(r->x + r->n * r->np, x, r->np * sizeof(double));
    memcpy(r->mean + r->n * r->nt, mean, r->nt * sizeof(double));
    memcpy(r->sd + r->n * r->nt, sd, r->nt * sizeof(double));
    r->objective[r->n] = obj;
    r->stage[r->n] = stage;
    r->accepted[r->n] = 0;
    if (r->n == 0 || obj < r->objective[r->best])
        r->best = r->n;
    r->n++;
}

void calib_result_free(struct calib_result *r)
{
    free(r->x);
    free(r->mean);
    free(r->sd);
    free(r->objective);
    free(r->stage);
    free(r->accepted);
    free(r->estimate);
    free(r->post_sd);
    free(r->post_lo);
    free(r->post_hi);
    free(r->check_mean);
    free(r->check_sd);
    free(r->post_x);
    free(r->post_w);
    free(r->post_d);
    free(r->gen_tol);
    free(r->gen_accepted);
    free(r->gen_proposed);
    free(r->gen_ess);
    memset(r, 0, sizeof *r);
}

/* Evaluates n candidates (rows of x) on the fitting seeds and records them. */
int calib_evaluate_record(const struct calib_spec *s, const struct calib_opts *o,
                               const double *x, size_t n, int stage, const char *what,
                               struct calib_result *r, struct gs_error *err)
{
    double *mean = gs_malloc(n * s->ntargets * sizeof *mean);
    double *sd = gs_malloc(n * s->ntargets * sizeof *sd);
    double *obj = gs_malloc(n * sizeof *obj);
    struct eval_req q = {x, n, s->replicates, s->seed, what};
    int rc = evaluate(s, o, &q, mean, sd, obj, &r->runs, err);
    for (size_t c = 0; rc == 0 && c < n; c++)
        calib_result_add(r, x + c * s->nparams, mean + c * s->ntargets, sd + c * s->ntargets, obj[c],
                   stage);
    free(mean);
    free(sd);
    free(obj);
    return rc;
}

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
    struct eval_req q = {r->estimate, 1, s->check_replicates, s->seed + s->replicates,
                         "check run"};
    return evaluate(s, o, &q, r->check_mean, r->check_sd, &r->check_objective, &r->runs, err);
}

int calib_run(const struct calib_spec *s, const struct calib_opts *o, struct calib_result *r,
              struct gs_error *err)
{
    double started = omp_get_wtime();
    result_init(r, s);
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
