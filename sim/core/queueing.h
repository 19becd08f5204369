/* queueing.h: closed-form and birth-death results of queueing theory, used by
 * `govsim validate` to check the simulator (formulas and references in
 * docs/validation.md). Rates are per hour; a = lambda / mu is the offered load. */
#ifndef GOVSIM_QUEUEING_H
#define GOVSIM_QUEUEING_H

/* M/M/c (Erlang 1917; Gross & Harris): probability that an arrival waits.
 * Requires a < c. */
double queueing_erlang_c(int c, double a);
/* M/M/c: mean wait in queue, P(wait > t), mean number waiting. */
double queueing_mmc_wait_mean(int c, double lambda, double mu);
double queueing_mmc_wait_tail(int c, double lambda, double mu, double t);
double queueing_mmc_queue_mean(int c, double lambda, double mu);

/* M/M/c+M, Erlang A (Palm 1943; Garnett, Mandelbaum & Reiman 2002): abandonment
 * at rate theta per waiting customer. Stationary birth-death solution. */
struct erlang_a {
    double p_wait;      /* P(an arrival finds all servers busy) */
    double queue_mean;  /* mean number waiting */
    double p_abandon;   /* theta * queue_mean / lambda */
    double wait_mean;   /* mean time in queue, all arrivals: queue_mean / lambda */
};
void queueing_erlang_a(int c, double lambda, double mu, double theta, struct erlang_a *out);

#endif
