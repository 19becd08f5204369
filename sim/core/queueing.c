/* queueing.c: queueing formulas for the validation checks. */
#include "queueing.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "error.h"

/* Erlang B from the Poisson distribution, B = P(N = c) / P(N <= c) with N ~ Poisson(a),
 * then Erlang C = c B / (c - a (1 - B)). Stable for large c. */
double queueing_erlang_c(int c, double a)
{
    GS_ASSERT(c >= 1 && a >= 0 && a < c);
    double b = gsl_ran_poisson_pdf((unsigned)c, a) / gsl_cdf_poisson_P((unsigned)c, a);
    return c * b / (c - a * (1.0 - b));
}

double queueing_mmc_wait_mean(int c, double lambda, double mu)
{
    return queueing_erlang_c(c, lambda / mu) / (c * mu - lambda);
}

double queueing_mmc_wait_tail(int c, double lambda, double mu, double t)
{
    return queueing_erlang_c(c, lambda / mu) * exp(-(c * mu - lambda) * t);
}

double queueing_mmc_queue_mean(int c, double lambda, double mu)
{
    return lambda * queueing_mmc_wait_mean(c, lambda, mu);
}

/* pi_n is proportional to prod_{k=1..n} lambda / (min(k,c) mu + max(k-c,0) theta);
 * the sum runs until the terms are negligible (they fall geometrically for k > c). */
void queueing_erlang_a(int c, double lambda, double mu, double theta, struct erlang_a *out)
{
    GS_ASSERT(c >= 1 && lambda > 0 && mu > 0 && theta > 0);
    double term = 1.0, total = 1.0, waiting = 0.0, busy = 0.0;
    for (int n = 1; n < 10000000; n++) {
        double death = (n < c ? n : c) * mu + (n > c ? n - c : 0) * theta;
        term *= lambda / death;
        total += term;
        if (n >= c)
            busy += term;
        if (n > c)
            waiting += (n - c) * term;
        if (n > c && term < 1e-17 * total && lambda < death)
            break;
    }
    out->p_wait = busy / total;
    out->queue_mean = waiting / total;
    out->p_abandon = theta * out->queue_mean / lambda;
    out->wait_mean = out->queue_mean / lambda;
}
