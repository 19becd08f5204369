/* compare_stats.c: each output's mean per scenario with a 95% t-interval, and its
 * difference against the first scenario: paired over replicates that share seeds
 * (common random numbers), or Welch's interval for independent seeds. Replicates
 * whose value is NaN (e.g. no request resolved) are left out and counted in n.
 *
 * With --uncertainty the replicates are draws of the assumed parameters (each with its
 * own seed), and an interval is the range of the middle 95% of the draws (2.5th to
 * 97.5th percentile, linear interpolation): where the output, or the difference, lies
 * in 95% of plausible worlds, not how well its mean is known. prob is the share of
 * replicates (draws) in which scenario k is better than the reference. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "outmeta.h"

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
        const struct out_meta *m = &summary_meta[o];   /* a field without a row: its code name */
        snprintf(info->label_en, sizeof info->label_en, "%s", m->label_en ? m->label_en : f->name);
        snprintf(info->label_zh, sizeof info->label_zh, "%s", m->label_zh ? m->label_zh : f->name);
        info->better = m->better;
        info->negligible = m->negligible;
        info->negligible_rel = m->negligible_rel;
        info->headline = m->headline;
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
    const struct out_meta *m = o < CMP_CAT0 ? &level_meta[i / per] : &category_meta[i / per];
    const char *en = m->label_en ? m->label_en : f->name, *zh = m->label_zh ? m->label_zh : f->name;
    if (o < CMP_CAT0) {
        snprintf(info->label_en, sizeof info->label_en, "%s, %s level", en, level_label_en[i % per]);
        snprintf(info->label_zh, sizeof info->label_zh, "%s:%s", level_label_zh[i % per], zh);
    } else {
        snprintf(info->label_en, sizeof info->label_en, "%s, %s", en, category_label_en[i % per]);
        snprintf(info->label_zh, sizeof info->label_zh, "%s类:%s", category_label_zh[i % per], zh);
    }
    info->better = m->better;
    info->negligible = m->negligible;
    info->negligible_rel = m->negligible_rel;
    info->headline = 0;
}

double cmp_negligible(const struct comparison *c, int o)
{
    struct cmp_output_info in;
    cmp_output_info(o, &in);
    struct out_meta m = {.negligible = in.negligible, .negligible_rel = in.negligible_rel};
    return out_negligible(&m, c->stat ? c->stat[(size_t)o * c->nscen].mean : NAN);
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

/* Mean, sd and 95% interval of the finite values x[0..n): the t-interval of the mean,
 * or (spread) the 2.5th and 97.5th percentiles of the values. x is reordered. */
static struct cmp_stat stat_of(double *x, int n, int spread)
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
    if (spread) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (isfinite(x[i]))
                x[m++] = x[i];
        gsl_sort(x, 1, (size_t)m);
        s.lo = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)m, 0.5 - CONFIDENCE / 2);
        s.hi = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)m, 0.5 + CONFIDENCE / 2);
        return s;
    }
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

/* Share of the replicates with a finite difference d in which it is better (by the
 * output's direction); NaN for the reference and for outputs with no direction. */
static double prob_better(const double *d, int n, int better)
{
    int m = 0, good = 0;
    for (int r = 0; r < n; r++)
        if (isfinite(d[r])) {
            m++;
            good += better * d[r] > 0;
        }
    return better && m ? (double)good / m : NAN;
}

static void compute_output(struct comparison *c, int o, double *x, double *d)
{
    int spread = c->ndraws > 0;
    struct cmp_output_info in;
    cmp_output_info(o, &in);
    for (int k = 0; k < c->nscen; k++) {
        for (int r = 0; r < c->nrep; r++) {
            x[r] = cmp_value(c, k, r, o);
            d[r] = x[r] - cmp_value(c, 0, r, o);   /* NaN if either is */
        }
        c->prob[(size_t)o * c->nscen + k] = k > 0 ? prob_better(d, c->nrep, in.better) : NAN;
        struct cmp_stat *st = &c->stat[(size_t)o * c->nscen + k];
        *st = stat_of(x, c->nrep, spread);
        c->diff[(size_t)o * c->nscen + k] =
            c->independent && k > 0 ? welch(&c->stat[(size_t)o * c->nscen], st)
                                    : stat_of(d, c->nrep, spread);
    }
    for (int l = 0; l < c->nlever; l++) {   /* --decompose: (A + lever) - A */
        for (int r = 0; r < c->nrep; r++)
            d[r] = cmp_value(c, c->nscen + l, r, o) - cmp_value(c, 0, r, o);
        c->effect[(size_t)o * c->nlever + l] = stat_of(d, c->nrep, spread);
    }
    if (c->nlever)
        c->total[o] = c->diff[(size_t)o * c->nscen + 1];
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
    c->prob = gs_calloc((size_t)CMP_OUTPUTS * c->nscen, sizeof *c->prob);
    c->effect = gs_calloc((size_t)CMP_OUTPUTS * (c->nlever ? c->nlever : 1), sizeof *c->effect);
    c->total = gs_calloc((size_t)CMP_OUTPUTS, sizeof *c->total);
    double *x = gs_malloc((size_t)c->nrep * sizeof *x), *d = gs_malloc((size_t)c->nrep * sizeof *d);
    for (int o = 0; o < CMP_OUTPUTS; o++)
        compute_output(c, o, x, d);
    free(x);
    free(d);
}
