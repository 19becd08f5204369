/* calibrate_smc.c: ABC with sequential tolerances (`method: abc-smc`).
 *
 * Population Monte Carlo ABC (Beaumont, Cornuet, Marin and Robert 2009; Toni et al.
 * 2009) with adaptive tolerances (Del Moral, Doucet and Jasra 2012; Drovandi and
 * Pettitt 2011): generation 0 draws `particles` parameter sets from the prior; each
 * later generation's tolerance is the `quantile` of the previous population's
 * distances, and its particles are proposals - a particle of the previous population
 * drawn by weight, moved by a Gaussian kernel - whose distance is within the
 * tolerance. Importance weights correct for the proposal:
 *   w_i ∝ prior(θ_i) / Σ_j w_j K(θ_i | θ_j).
 * Everything happens on the unit cube u ∈ [0,1]^d over the prior box (on the
 * logarithm for scale: log), where the prior is uniform; the kernel is diagonal with
 * variance kernel_scale (2, Beaumont et al.) times each coordinate's weighted variance.
 * A proposal outside the box (prior density 0) is drawn again.
 *
 * Determinism: proposal number i of generation g draws from the Philox stream
 * (seed, RNG_CALIBRATE, g, i), the proposals of a batch are drawn before it runs, and
 * acceptance goes through the batch in proposal order; batch sizes depend only on
 * counts. So the sample does not depend on --threads. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "rng.h"

struct population {
    size_t n;
    double *u, *x;   /* n * np: unit-cube coordinates and parameter values */
    double *w, *d;   /* n: normalised weights and distances */
};

static void pop_alloc(struct population *p, size_t cap, size_t np)
{
    p->n = 0;
    p->u = gs_malloc(cap * np * sizeof(double));
    p->x = gs_malloc(cap * np * sizeof(double));
    p->w = gs_malloc(cap * sizeof(double));
    p->d = gs_malloc(cap * sizeof(double));
}

static void pop_free(struct population *p)
{
    free(p->u);
    free(p->x);
    free(p->w);
    free(p->d);
    memset(p, 0, sizeof *p);
}

/* The q-quantile of the population's distances (unweighted, as the share of
 * particles kept by the next tolerance). */
static double distance_quantile(const struct population *p, double q)
{
    double *d = gs_malloc(p->n * sizeof *d);
    memcpy(d, p->d, p->n * sizeof *d);
    gsl_sort(d, 1, p->n);
    double e = d[(size_t)floor(q * (double)(p->n - 1))];
    free(d);
    return e;
}

/* Kernel sd of each coordinate: sqrt(kernel_scale * weighted variance), at least 1e-4. */
static void kernel_sd(const struct population *p, size_t np, double scale, double *sd)
{
    for (size_t k = 0; k < np; k++) {
        double m = 0, v = 0;
        for (size_t i = 0; i < p->n; i++)
            m += p->w[i] * p->u[i * np + k];
        for (size_t i = 0; i < p->n; i++)
            v += p->w[i] * (p->u[i * np + k] - m) * (p->u[i * np + k] - m);
        sd[k] = fmax(sqrt(scale * v), 1e-4);
    }
}

/* Proposal number i of generation gen: u (np) on the unit cube. */
static void propose(const struct calib_spec *s, gsl_rng *g, int64_t gen, size_t i,
                    const struct population *prev, const double *sd, double *u)
{
    size_t np = s->nparams;
    rng_stream_set(g, (uint64_t)s->seed, RNG_CALIBRATE, (uint64_t)gen, (uint64_t)i, 0);
    if (gen == 0) {
        for (size_t k = 0; k < np; k++)
            u[k] = gsl_rng_uniform(g);
        return;
    }
    for (int tries = 0;; tries++) {   /* the kernel's mass inside the box is at least about
                                         1/2^np near a corner */
        double a = gsl_rng_uniform(g), cum = 0;
        size_t j = 0;
        while (j + 1 < prev->n && (cum += prev->w[j]) <= a)
            j++;
        int inside = 1;
        for (size_t k = 0; k < np; k++) {
            u[k] = prev->u[j * np + k] + gsl_ran_gaussian_ziggurat(g, sd[k]);
            inside &= u[k] >= 0 && u[k] <= 1;
        }
        if (inside)
            return;
        if (tries == 100000) {   /* never seen; a guard against an endless loop */
            for (size_t k = 0; k < np; k++)
                u[k] = fmin(fmax(u[k], 0), 1);
            return;
        }
    }
}

/* Importance weights of population cur, proposed from prev with kernel sd; normalised.
 * The prior is uniform on the cube, so w_i = 1 / sum_j w_j K(u_i | u_j), in logs. */
static void smc_weights(struct population *cur, const struct population *prev, size_t np,
                        const double *sd)
{
    double *lw = gs_malloc(prev->n * sizeof *lw), top = -INFINITY;
    for (size_t i = 0; i < cur->n; i++) {
        double m = -INFINITY;
        for (size_t j = 0; j < prev->n; j++) {
            double q = 0;
            for (size_t k = 0; k < np; k++) {
                double z = (cur->u[i * np + k] - prev->u[j * np + k]) / sd[k];
                q += z * z;
            }
            lw[j] = log(prev->w[j]) - 0.5 * q;
            m = fmax(m, lw[j]);
        }
        double sum = 0;
        for (size_t j = 0; j < prev->n; j++)
            sum += exp(lw[j] - m);
        cur->w[i] = -(m + log(sum));   /* log weight */
        top = fmax(top, cur->w[i]);
    }
    double total = 0;
    for (size_t i = 0; i < cur->n; i++)
        total += cur->w[i] = exp(cur->w[i] - top);
    for (size_t i = 0; i < cur->n; i++)
        cur->w[i] /= total;
    free(lw);
}

/* Weighted mean, sd and 2.5% / 97.5% quantiles of the final population. */
static void smc_summary(const struct calib_spec *s, const struct population *p,
                        struct calib_result *r)
{
    size_t np = s->nparams, n = p->n;
    double *col = gs_malloc(n * sizeof *col);
    size_t *order = gs_malloc(n * sizeof *order);
    for (size_t k = 0; k < np; k++) {
        double m = 0, v = 0;
        for (size_t i = 0; i < n; i++)
            m += p->w[i] * (col[i] = p->x[i * np + k]);
        for (size_t i = 0; i < n; i++)
            v += p->w[i] * (col[i] - m) * (col[i] - m);
        r->estimate[k] = m;
        r->post_sd[k] = sqrt(v);
        gsl_sort_index(order, col, 1, n);
        double cum = 0;
        r->post_lo[k] = r->post_hi[k] = col[order[n - 1]];
        int lo_set = 0;
        for (size_t i = 0; i < n; i++) {
            cum += p->w[order[i]];
            if (!lo_set && cum >= 0.025) {
                r->post_lo[k] = col[order[i]];
                lo_set = 1;
            }
            if (cum >= 0.975) {
                r->post_hi[k] = col[order[i]];
                break;
            }
        }
    }
    r->npost = n;
    r->post_x = gs_malloc(n * np * sizeof(double));
    r->post_w = gs_malloc(n * sizeof(double));
    r->post_d = gs_malloc(n * sizeof(double));
    memcpy(r->post_x, p->x, n * np * sizeof(double));
    memcpy(r->post_w, p->w, n * sizeof(double));
    memcpy(r->post_d, p->d, n * sizeof(double));
    free(col);
    free(order);
}

/* Runs one generation into cur; returns 0 (cur->n may fall short of particles when
 * max_proposals ran out) or -1 when a run failed. */
static int generation(const struct calib_spec *s, const struct calib_opts *o, gsl_rng *g,
                      int64_t gen, double eps, const struct population *prev, const double *sd,
                      struct population *cur, int64_t *proposed, struct calib_result *r,
                      struct gs_error *err)
{
    size_t np = s->nparams, want = (size_t)s->particles;
    size_t cap = (size_t)ceil(s->max_proposals * (double)want), done = 0;
    double *u = gs_malloc(cap * np * sizeof *u), *x = gs_malloc(cap * np * sizeof *x);
    char what[64];
    snprintf(what, sizeof what, "generation %lld run", (long long)gen);
    cur->n = 0;
    int rc = 0;
    while (rc == 0 && cur->n < want && done < cap) {
        /* batch: the missing particles over the acceptance rate so far (guessed as
         * the quantile before anything ran), at most what max_proposals leaves */
        double rate = done > 0 ? fmax((double)cur->n / (double)done, 0.02)
                      : gen == 0 ? 1.0 : s->quantile;
        size_t b = (size_t)ceil((double)(want - cur->n) / rate);
        b = b < want - cur->n ? want - cur->n : b;
        b = b > cap - done ? cap - done : b;
        for (size_t i = 0; i < b; i++) {
            propose(s, g, gen, done + i, prev, sd, u + (done + i) * np);
            for (size_t k = 0; k < np; k++)
                x[(done + i) * np + k] = calib_prior_point(&s->params[k], u[(done + i) * np + k]);
        }
        size_t first = r->n;
        rc = calib_evaluate_record(s, o, x + done * np, b, (int)gen, what, r, err);
        for (size_t i = 0; rc == 0 && i < b && cur->n < want; i++) {
            double obj = r->objective[first + i], d = sqrt(obj);
            if (!(obj < CALIB_BAD_OBJECTIVE) || !(d <= eps))
                continue;
            r->accepted[first + i] = 1;
            memcpy(cur->u + cur->n * np, u + (done + i) * np, np * sizeof(double));
            memcpy(cur->x + cur->n * np, x + (done + i) * np, np * sizeof(double));
            cur->d[cur->n++] = d;
        }
        done += b;
    }
    *proposed = (int64_t)done;
    free(u);
    free(x);
    return rc;
}

int calib_run_abc_smc(const struct calib_spec *s, const struct calib_opts *o,
                      struct calib_result *r, struct gs_error *err)
{
    size_t np = s->nparams, want = (size_t)s->particles, G = (size_t)s->generations;
    struct population prev = {0}, cur;
    pop_alloc(&cur, want, np);
    r->gen_tol = gs_malloc(G * sizeof(double));
    r->gen_accepted = gs_malloc(G * sizeof(int64_t));
    r->gen_proposed = gs_malloc(G * sizeof(int64_t));
    r->gen_ess = gs_malloc(G * sizeof(double));
    gsl_rng *g = rng_new();
    double sd[40] = {0};
    int rc = 0;
    for (size_t gen = 0; gen < G && rc == 0; gen++) {
        double eps = gen == 0 ? INFINITY : distance_quantile(&prev, s->quantile);
        if (gen > 0)
            kernel_sd(&prev, np, s->kernel_scale, sd);
        int64_t proposed = 0;
        rc = generation(s, o, g, (int64_t)gen, eps, &prev, sd, &cur, &proposed, r, err);
        if (rc != 0)
            break;
        if (gen == 0 && cur.n < 2) {
            rc = gs_error_set(err, "abc-smc: only %zu of %lld prior draws gave finite outputs for "
                              "every target (at least 2 needed): check the prior ranges",
                              cur.n, (long long)proposed);
            break;
        }
        r->gen_tol[gen] = eps;
        r->gen_accepted[gen] = (int64_t)cur.n;
        r->gen_proposed[gen] = proposed;
        r->gen_ess[gen] = NAN;
        r->ngen = gen + 1;
        if (cur.n < want && gen > 0) {   /* keep the last complete population */
            r->stopped_early = 1;
            break;
        }
        if (gen == 0)
            for (size_t i = 0; i < cur.n; i++)
                cur.w[i] = 1.0 / (double)cur.n;
        else
            smc_weights(&cur, &prev, np, sd);
        double s2 = 0;
        for (size_t i = 0; i < cur.n; i++)
            s2 += cur.w[i] * cur.w[i];
        r->gen_ess[gen] = 1.0 / s2;
        struct population t = prev;
        prev = cur;
        cur = t;
        if (!cur.u)
            pop_alloc(&cur, want, np);
    }
    if (rc == 0)
        smc_summary(s, &prev, r);
    gsl_rng_free(g);
    pop_free(&prev);
    pop_free(&cur);
    return rc;
}
