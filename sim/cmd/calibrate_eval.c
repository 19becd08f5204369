/* calibrate_eval.c: evaluating candidates - each run in every base scenario on the
 * same replicate seeds (common random numbers) - and the record of what was evaluated.
 * Shared by the methods (calibrate.c: smm, abc; calibrate_smc.c: abc-smc). */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "calibrate.h"
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

/* Runs the candidates; fills mean, sd (ncand * nt) and obj (ncand). Invalid
 * candidates (in any base) get CALIB_BAD_OBJECTIVE and NaN outputs without running. */
int calib_evaluate(const struct calib_spec *s, const struct calib_opts *o,
                   const struct calib_eval_req *q, double *mean, double *sd, double *obj,
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

void calib_result_init(struct calib_result *r, const struct calib_spec *s)
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
    struct calib_eval_req q = {x, n, s->replicates, s->seed, what};
    int rc = calib_evaluate(s, o, &q, mean, sd, obj, &r->runs, err);
    for (size_t c = 0; rc == 0 && c < n; c++)
        calib_result_add(r, x + c * s->nparams, mean + c * s->ntargets, sd + c * s->ntargets, obj[c],
                   stage);
    free(mean);
    free(sd);
    free(obj);
    return rc;
}

