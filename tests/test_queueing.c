/* The queueing formulas used by `govsim validate`, against independent results:
 * M/M/1 (C = rho), Erlang C from its textbook sum, Erlang A with theta = mu (the
 * number present is then Poisson, as in M/M/infinity), Erlang A as theta -> 0
 * (Erlang C) and the identity P(abandon) = theta E[Q] / lambda. */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "check.h"
#include "queueing.h"

/* Erlang C from its defining sum, for comparison. */
static double erlang_c_sum(int c, double a)
{
    double term = 1, sum = 1;
    for (int k = 1; k < c; k++)
        sum += term *= a / k;
    double top = term * a / c * c / (c - a);
    return top / (sum + top);
}

static void test_erlang_c(void)
{
    CHECK(fabs(queueing_erlang_c(1, 0.7) - 0.7) < 1e-12, "M/M/1: C = rho");
    CHECK(fabs(queueing_mmc_wait_mean(1, 0.7, 1.0) - 0.7 / 0.3) < 1e-12, "M/M/1: Wq = rho/(mu-lambda)");
    int cs[] = {2, 5, 8, 40};
    double loads[] = {0.3, 0.75, 0.95};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) {
            double a = loads[j] * cs[i], x = queueing_erlang_c(cs[i], a), y = erlang_c_sum(cs[i], a);
            CHECK(fabs(x - y) < 1e-10 * y, "c %d load %g: %g vs sum %g", cs[i], a, x, y);
        }
    double lq = queueing_mmc_queue_mean(2, 1.5, 1.0);
    CHECK(fabs(lq - 1.5 * queueing_mmc_wait_mean(2, 1.5, 1.0)) < 1e-12, "Little: Lq = lambda Wq");
    CHECK(fabs(queueing_mmc_wait_tail(3, 2.0, 1.0, 0.0) - queueing_erlang_c(3, 2.0)) < 1e-15,
          "P(W > 0) = C");
}

static void test_erlang_a(void)
{
    /* theta = mu: birth-death rates are those of M/M/infinity, N ~ Poisson(a) */
    int c = 3;
    double lambda = 4.0, mu = 1.0;
    struct erlang_a ea;
    queueing_erlang_a(c, lambda, mu, mu, &ea);
    double eq = 0, pw = 0;
    for (unsigned n = 0; n < 200; n++) {
        double p = gsl_ran_poisson_pdf(n, lambda / mu);
        eq += (n > (unsigned)c ? n - c : 0) * p;
        pw += n >= (unsigned)c ? p : 0;
    }
    CHECK(fabs(ea.queue_mean - eq) < 1e-10, "theta = mu: E[Q] %g vs Poisson %g", ea.queue_mean, eq);
    CHECK(fabs(ea.p_wait - pw) < 1e-10, "theta = mu: P(wait) %g vs Poisson %g", ea.p_wait, pw);
    CHECK(fabs(ea.p_abandon - mu * eq / lambda) < 1e-12, "P(abandon) = theta E[Q] / lambda");
    /* theta -> 0 below capacity: Erlang C */
    queueing_erlang_a(2, 1.5, 1.0, 1e-7, &ea);
    CHECK(fabs(ea.queue_mean - queueing_mmc_queue_mean(2, 1.5, 1.0)) < 1e-4,
          "theta -> 0: E[Q] %g vs Erlang C %g", ea.queue_mean, queueing_mmc_queue_mean(2, 1.5, 1.0));
    CHECK(fabs(ea.p_wait - queueing_erlang_c(2, 1.5)) < 1e-5, "theta -> 0: P(wait) vs Erlang C");
    /* heavily overloaded: almost all excess load abandons, P(ab) -> 1 - c mu / lambda */
    queueing_erlang_a(2, 200.0, 1.0, 1.0, &ea);
    CHECK(fabs(ea.p_abandon - (1 - 2.0 / 200.0)) < 1e-3, "overload: P(abandon) %g", ea.p_abandon);
}

int main(void)
{
    test_erlang_c();
    test_erlang_a();
    return check_report("test_queueing");
}
