/* compare_stats.c: each output's mean per scenario with a 95% t-interval, and its
 * difference against the first scenario: paired over replicates that share seeds
 * (common random numbers), or Welch's interval for independent seeds. Replicates
 * whose value is NaN (e.g. no request resolved) are left out and counted in n. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define CONFIDENCE 0.95

/* The main outputs, in the order a reader wants them. */
static const int main_outputs[] = {
    S_ON_TIME_RATE, S_TTR_MEAN, S_TTR_MEDIAN, S_TTR_P90, S_BACKLOG, S_ABANDON_RATE,
    S_SAT_MEAN, S_TRUST_MEAN, S_COST_PER_RESOLVED, S_COST_TOTAL,
};
#define N_MAIN ((int)(sizeof main_outputs / sizeof main_outputs[0]))

static int is_main(int o)
{
    for (int i = 0; i < N_MAIN; i++)
        if (main_outputs[i] == o)
            return 1;
    return 0;
}

void cmp_output_info(int o, struct cmp_output_info *info)
{
    if (o < N_SUMMARY) {
        const struct field_def *f = &summary_fields[o];
        snprintf(info->name, sizeof info->name, "%s", f->name);
        snprintf(info->description, sizeof info->description, "%s", f->description);
        info->units = f->units;
        info->main = is_main(o);
        return;
    }
    int per = o < CMP_CAT0 ? N_LEVELS : N_CATEGORIES, i = o < CMP_CAT0 ? o - CMP_LEVEL0 : o - CMP_CAT0;
    const struct field_def *f = o < CMP_CAT0 ? &level_fields[i / per] : &category_fields[i / per];
    const char *what = o < CMP_CAT0 ? level_names[i % per] : category_names[i % per];
    snprintf(info->name, sizeof info->name, "%s_%s", f->name, what);
    snprintf(info->description, sizeof info->description, "%s (%s: %s)", f->description,
             o < CMP_CAT0 ? "level" : "category", what);
    info->units = f->units;
    info->main = 0;
}

double cmp_value(const struct comparison *c, int k, int r, int o)
{
    const struct cmp_scenario *s = &c->sc[k];
    if (o < N_SUMMARY)
        return s->summary[(size_t)r * N_SUMMARY + (size_t)o];
    if (o < CMP_CAT0)
        return s->levels[(size_t)r * N_LEVEL_FIELDS * N_LEVELS + (size_t)(o - CMP_LEVEL0)];
    return s->cats[(size_t)r * N_CATEGORY_FIELDS * N_CATEGORIES + (size_t)(o - CMP_CAT0)];
}

int64_t cmp_seed(const struct comparison *c, int k, int r)
{
    return c->base_seed + (c->independent ? (int64_t)k * c->nrep : 0) + r;
}

static double t_quantile(double df)
{
    return df > 0 ? gsl_cdf_tdist_Pinv(0.5 + CONFIDENCE / 2, df) : NAN;
}

/* Mean, sd and 95% t-interval of the finite values x[0..n). */
static struct cmp_stat stat_of(const double *x, int n)
{
    struct cmp_stat s = {0, NAN, NAN, NAN, 0};
    double sum = 0, ss = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) {
            sum += x[i];
            s.n++;
        }
    s.mean = s.n ? sum / s.n : NAN;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i]))
            ss += (x[i] - s.mean) * (x[i] - s.mean);
    if (s.n < 2)
        return s;
    s.sd = sqrt(ss / (s.n - 1));
    double half = t_quantile(s.n - 1) * s.sd / sqrt(s.n);
    s.lo = s.mean - half;
    s.hi = s.mean + half;
    return s;
}

/* Welch's interval for mean(b) - mean(a). */
static struct cmp_stat welch(const struct cmp_stat *a, const struct cmp_stat *b)
{
    struct cmp_stat d = {b->mean - a->mean, NAN, NAN, NAN, a->n < b->n ? a->n : b->n};
    if (a->n < 2 || b->n < 2)
        return d;
    double va = a->sd * a->sd / a->n, vb = b->sd * b->sd / b->n, se = sqrt(va + vb);
    if (se == 0) {
        d.lo = d.hi = d.mean;
        return d;
    }
    double df = (va + vb) * (va + vb) / (va * va / (a->n - 1) + vb * vb / (b->n - 1));
    d.sd = se;   /* for Welch, the standard error of the difference */
    d.lo = d.mean - t_quantile(df) * se;
    d.hi = d.mean + t_quantile(df) * se;
    return d;
}

static void compute_output(struct comparison *c, int o, double *x, double *d)
{
    for (int k = 0; k < c->nscen; k++) {
        for (int r = 0; r < c->nrep; r++) {
            x[r] = cmp_value(c, k, r, o);
            d[r] = x[r] - cmp_value(c, 0, r, o);   /* NaN if either is */
        }
        struct cmp_stat *st = &c->stat[(size_t)o * c->nscen + k];
        *st = stat_of(x, c->nrep);
        c->diff[(size_t)o * c->nscen + k] =
            c->independent && k > 0 ? welch(&c->stat[(size_t)o * c->nscen], st) : stat_of(d, c->nrep);
    }
}

void cmp_compute(struct comparison *c)
{
    int n = 0;
    for (int i = 0; i < N_MAIN; i++)
        c->order[n++] = main_outputs[i];
    for (int o = 0; o < CMP_OUTPUTS; o++)
        if (o >= N_SUMMARY || !is_main(o))
            c->order[n++] = o;
    c->stat = gs_calloc((size_t)CMP_OUTPUTS * c->nscen, sizeof *c->stat);
    c->diff = gs_calloc((size_t)CMP_OUTPUTS * c->nscen, sizeof *c->diff);
    double *x = gs_malloc((size_t)c->nrep * sizeof *x), *d = gs_malloc((size_t)c->nrep * sizeof *d);
    for (int o = 0; o < CMP_OUTPUTS; o++)
        compute_output(c, o, x, d);
    free(x);
    free(d);
}
