/* Random streams: reproducible, distinct per entity, uniform, uncorrelated. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "rng.h"

static void test_reproducible(void)
{
    gsl_rng *a = rng_new(), *b = rng_new();
    double x[100];
    rng_stream_set(a, 42, RNG_TEST, 7, 3, 0);
    for (int i = 0; i < 100; i++)
        x[i] = gsl_rng_uniform(a);
    /* interleave another stream on b, then come back: same numbers */
    rng_stream_set(b, 42, RNG_TEST, 8, 3, 0);
    gsl_rng_uniform(b);
    rng_stream_set(b, 42, RNG_TEST, 7, 3, 0);
    int same = 1;
    for (int i = 0; i < 100; i++)
        same &= gsl_rng_uniform(b) == x[i];
    CHECK(same, "stream (42, test, 7, 3) not reproducible");
    int differs = 0;
    uint64_t keys[4][4] = {{43, 7, 3, 0}, {42, 8, 3, 0}, {42, 7, 4, 0}, {42, 7, 3, 1}};
    for (int k = 0; k < 4; k++) {
        rng_stream_set(b, keys[k][0], RNG_TEST, keys[k][1], keys[k][2], keys[k][3]);
        differs += gsl_rng_uniform(b) != x[0];
    }
    CHECK(differs == 4, "changing seed, entity, step or substream did not change the stream");
    rng_stream_set(b, 42, RNG_INTAKE, 7, 3, 0);
    CHECK(gsl_rng_uniform(b) != x[0], "purposes share numbers");
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Chi-square test of uniformity over the first draws of many entity streams. */
static void test_uniform_across_streams(void)
{
    enum { BINS = 100, N = 200000 };
    long count[BINS] = {0};
    gsl_rng *r = rng_new();
    for (uint64_t e = 0; e < N; e++) {
        rng_stream_set(r, 1, RNG_TEST, e, 0, 0);
        double u = gsl_rng_uniform(r);
        CHECK(u >= 0 && u < 1, "draw %g outside [0,1)", u);
        count[(int)(u * BINS)]++;
    }
    double chi2 = 0, expect = (double)N / BINS;
    for (int i = 0; i < BINS; i++)
        chi2 += (count[i] - expect) * (count[i] - expect) / expect;
    double critical = gsl_cdf_chisq_Qinv(1e-4, BINS - 1);
    CHECK(chi2 < critical, "chi-square %g above the 1e-4 critical value %g", chi2, critical);
    gsl_rng_free(r);
}

/* Neighbouring entities' streams are uncorrelated, draw by draw. */
static void test_uncorrelated(void)
{
    enum { N = 20000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    gsl_rng *r = rng_new();
    for (int i = 0; i < N; i++) {
        rng_stream_set(r, 5, RNG_TEST, (uint64_t)i, 0, 0);
        x[i] = gsl_rng_uniform(r);
        rng_stream_set(r, 5, RNG_TEST, (uint64_t)i + 1, 0, 0);
        y[i] = gsl_rng_uniform(r);
    }
    double c = gsl_stats_correlation(x, 1, y, 1, N);
    CHECK(fabs(c) < 4.0 / sqrt(N), "correlation between neighbouring streams %g", c);
    /* lag-1 autocorrelation within one long stream */
    rng_stream_set(r, 5, RNG_TEST, 0, 0, 0);
    for (int i = 0; i < N; i++)
        x[i] = gsl_rng_uniform(r);
    double a = gsl_stats_lag1_autocorrelation(x, 1, N);
    CHECK(fabs(a) < 4.0 / sqrt(N), "lag-1 autocorrelation %g", a);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* GSL distributions drawn from the stream have the right mean. */
static void test_distributions(void)
{
    enum { N = 100000 };
    gsl_rng *r = rng_new();
    rng_stream_set(r, 9, RNG_TEST, 1, 1, 1);
    double sum = 0, psum = 0;
    for (int i = 0; i < N; i++) {
        sum += gsl_ran_exponential(r, 2.0);
        psum += gsl_ran_poisson(r, 3.5);
    }
    double se_exp = 2.0 / sqrt(N), se_pois = sqrt(3.5 / N);
    CHECK(fabs(sum / N - 2.0) < 5 * se_exp, "exponential mean %g, expected 2", sum / N);
    CHECK(fabs(psum / N - 3.5) < 5 * se_pois, "Poisson mean %g, expected 3.5", psum / N);
    gsl_rng_free(r);
}

/* The inline draws of rng.h give GSL's numbers bit for bit, across block boundaries
 * and stream changes. */
static void test_inline_draws(void)
{
    gsl_rng *a = rng_new(), *b = rng_new();
    int same_u = 1, same_e = 1;
    for (uint64_t e = 0; e < 200; e++) {
        rng_stream_set(a, 7, RNG_TEST, e, 1, 2);
        rng_stream_set(b, 7, RNG_TEST, e, 1, 2);
        for (int i = 0; i < 1 + (int)(e % 11); i++) {
            same_u &= rng_uniform(a) == gsl_rng_uniform(b);
            double mu = 0.5 + (double)i;
            same_e &= rng_exponential(a, mu) == gsl_ran_exponential(b, mu);
        }
    }
    CHECK(same_u, "rng_uniform differs from gsl_rng_uniform");
    CHECK(same_e, "rng_exponential differs from gsl_ran_exponential");
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    test_inline_draws();
    test_reproducible();
    test_uniform_across_streams();
    test_uncorrelated();
    test_distributions();
    return check_report("test_rng");
}
