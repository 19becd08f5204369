/* testutil.h: building parameter sets and running the model in C tests. */
#ifndef GOVSIM_TESTUTIL_H
#define GOVSIM_TESTUTIL_H

#include "sched.h"

/* Defaults plus "key=value" assignments, ended by NULL; exits on a bad one. */
struct param_set *params_with(const char *first, ...);
/* Defaults plus n assignments from a list; exits on a bad one. */
struct param_set *params_from(const char *const *assignments, int n);
/* Runs the model into out (free with sim_output_free); exits if the run fails. */
void run_model(const struct params *p, struct sim_output *out);

/* Summary field f of runs with seeds 1..reps under the given assignments. */
void replicate_field(const char *const *assignments, int n, int field, int reps, double *values);
/* 1 if two runs gave identical summaries and time series, bit for bit. */
int same_output(const struct sim_output *a, const struct sim_output *b);

#endif
