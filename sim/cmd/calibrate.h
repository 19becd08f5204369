/* calibrate.h: fitting assumed parameters to target outputs (`govsim calibrate`).
 *
 * A calibration fits chosen numeric parameters, each within a prior range, so
 * that the mean over replicate runs of chosen summary outputs (models/engine/summary.h)
 * comes close to target values. Two methods from the field (docs/calibration.md):
 *   - smm: simulated method of moments. A Sobol design over the prior box picks a
 *     start; GSL's Nelder-Mead simplex (nmsimplex2) then minimises the objective
 *     in a transformed, unbounded space.
 *   - abc: rejection approximate Bayesian computation. Prior samples from a Sobol
 *     design; the closest fraction is accepted as the posterior sample.
 *   - abc-smc: ABC with sequential tolerances (population Monte Carlo, Beaumont et al.
 *     2009): populations of weighted particles, each tolerance a quantile of the
 *     previous population's distances; proposals from a Philox stream of the seed.
 * Every candidate runs the same replicate seeds (common random numbers); the
 * estimate is then re-run on fresh seeds to report the fit of every target. */
#ifndef GOVSIM_CALIBRATE_H
#define GOVSIM_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "param.h"

enum calib_method { CALIB_SMM, CALIB_ABC, CALIB_ABC_SMC };
enum calib_scale { CALIB_LINEAR, CALIB_LOG };

/* Objective value of a candidate that is invalid or whose outputs are NaN. */
#define CALIB_BAD_OBJECTIVE 1e12

struct calib_param {
    const struct param_def *def;  /* a PT_INT or PT_DOUBLE parameter */
    double lo, hi;                /* prior range, inside the parameter's own range */
    enum calib_scale scale;       /* uniform on the value or on its logarithm */
};

struct calib_target {
    int field;                    /* enum summary_field, or N_SUMMARY + a derived output */
    double value;                 /* target for the mean over replicates (a band's centre) */
    double tolerance;             /* acceptable distance; scales the objective */
    double weight;                /* relative weight in the objective */
    double lo, hi;                /* band (a pattern's range): distance 0 inside; lo = hi = value
                                     for a point target */
    int band;                     /* 1: given as range: [lo, hi] */
    char pattern[64];             /* id of the pattern (params/patterns.yaml) it stands for, or "" */
    int b, b2;                    /* base scenario of the output; b2 >= 0: the output is the
                                     difference b minus b2 on the same seeds (a reform) */
    char label[160];              /* as named in the file: OUTPUT, OUTPUT@BASE or OUTPUT@B-B2 */
};

/* Outputs a target can name: the summary fields, then these derived ones (the named
 * outputs of scripts/scenario_table.py that the pattern set uses). */
enum calib_derived {
    CD_UTIL_COMMUNITY, CD_TASK_SHARE_COMMUNITY, CD_UTIL_MAX, CD_ABANDON_UPPER_MAX,
    CD_REPORTED_PER_1000, CD_TTC_MEDIAN_DAYS, N_CALIB_DERIVED
};
struct summary;
struct params;
/* Name, units and value of an output (field < N_SUMMARY + N_CALIB_DERIVED) of a run. */
const char *calib_output_name(int field);
const char *calib_output_units(int field);
double calib_output_value(int field, const struct summary *sm, const struct params *p);

/* Upper bounds of a calibration's counts (calib_spec_check). */
#define CALIB_MAX_REPLICATES 100000
#define CALIB_MAX_CANDIDATES 10000000
#define CALIB_MAX_RUNS 1e9

#define CALIB_MAX_BASES 32

struct calib_spec {
    struct param_set *base;       /* the first base scenario (defaults, file, overrides) */
    size_t nbases;                /* base scenarios sharing the fitted parameters */
    struct param_set *bases[CALIB_MAX_BASES]; /* bases[0] == base; owned */
    char *base_names[CALIB_MAX_BASES];        /* names targets use (OUTPUT@NAME); owned */
    size_t nparams, ntargets;
    struct calib_param *params;   /* owned */
    struct calib_target *targets; /* owned */
    enum calib_method method;
    int64_t replicates;           /* runs per candidate, seeds seed .. seed+replicates-1 */
    int64_t check_replicates;     /* runs at the estimate on fresh seeds */
    int64_t seed;
    /* smm */
    int64_t design_points;        /* Sobol points evaluated to choose the start */
    int64_t max_iterations;       /* Nelder-Mead iterations at most */
    double initial_step;          /* simplex step in transformed units */
    double simplex_tol;           /* stop when the simplex size falls below this */
    /* abc */
    int64_t samples;              /* prior samples */
    double accept_fraction;       /* share of samples accepted */
    /* abc-smc */
    int64_t particles;            /* population size */
    int64_t generations;          /* populations, the first from the prior */
    double quantile;              /* next tolerance: this quantile of the population's distances */
    double max_proposals;         /* per generation at most max_proposals * particles runs */
    double kernel_scale;          /* kernel variance = kernel_scale * weighted variance (u space) */
    char *file;                   /* calibration file as given, or NULL; owned */
    char *text;                   /* its text, or NULL; owned */
};

/* A calibration spec with the defaults of every setting, over the given base
 * parameters (ownership passes to the spec). Free with calib_spec_free. */
struct calib_spec *calib_spec_new(struct param_set *base);
void calib_spec_free(struct calib_spec *s);
/* Appends a parameter or a target; returns 0, or -1 with a message. */
int calib_spec_add_param(struct calib_spec *s, const char *name, double lo, double hi,
                         enum calib_scale scale, struct gs_error *err);
int calib_spec_add_target(struct calib_spec *s, const char *field, double value,
                          double tolerance, double weight, struct gs_error *err);
/* Adds a further base scenario (ownership passes); returns 0 or -1 with a message. */
int calib_spec_add_base(struct calib_spec *s, const char *name, struct param_set *ps,
                        struct gs_error *err);
/* Appends a band target: distance 0 for a mean in [lo, hi] (band = 1: given as a range).
 * `field` is OUTPUT, OUTPUT@BASE or OUTPUT@AFTER-BEFORE (base names of calib_spec_add_base;
 * without @, the first base). */
int calib_spec_add_band(struct calib_spec *s, const char *field, double lo, double hi,
                        double tolerance, double weight, int band, struct gs_error *err);
/* Checks settings against each other (ranges, counts); returns 0 or -1. */
int calib_spec_check(const struct calib_spec *s, struct gs_error *err);

/* Index of a summary field by name, or -1. */
int calib_summary_field(const char *name);

/* Reads a calibration file (calibrate_file.c). Messages are FILE:LINE: key 'K': ...
 * Returns NULL on failure. */
struct calib_spec *calib_spec_load(const char *path, struct gs_error *err);

/* Everything the calibration evaluated, and its estimate. Arrays are row-major:
 * one row per evaluated candidate, in evaluation order. */
struct calib_result {
    size_t n, cap;                /* candidates evaluated */
    size_t np, nt;                /* parameters, targets */
    double *x;                    /* n * np parameter values */
    double *mean, *sd;            /* n * nt target outputs over replicates */
    double *objective;            /* n */
    int *stage;                   /* n: 0 design or prior sample, 1 simplex */
    unsigned char *accepted;      /* n: abc acceptance (all 0 for smm) */
    size_t best;                  /* candidate with the smallest objective */
    double *estimate;             /* np: smm optimum or abc posterior mean */
    double *post_sd, *post_lo, *post_hi; /* np: abc sd and 2.5%, 97.5% quantiles */
    double *check_mean, *check_sd; /* nt: outputs at the estimate, fresh seeds */
    double check_objective;
    int64_t iterations;           /* Nelder-Mead iterations done */
    int converged;                /* simplex size fell below the tolerance */
    double simplex_size;
    int64_t runs;                 /* simulations run */
    double wall_seconds;
    /* the posterior sample (abc: the accepted candidates, equal weights; abc-smc: the
     * last complete population); npost = 0 for smm */
    size_t npost;
    double *post_x;               /* npost * np */
    double *post_w;               /* npost, sums to 1 */
    double *post_d;               /* npost: distance sqrt(objective) */
    /* abc-smc: one entry per generation run */
    size_t ngen;
    double *gen_tol;              /* tolerance (infinity for the prior generation) */
    int64_t *gen_accepted, *gen_proposed;
    double *gen_ess;              /* effective sample size of the population's weights */
    int stopped_early;            /* a generation could not fill within max_proposals */
};

struct calib_journal;

struct calib_opts {
    int threads;                  /* <= 0: omp_get_max_threads() */
    int quiet;                    /* no progress */
    struct calib_journal *journal; /* finished runs for --resume, or NULL */
};

/* The journal behind `calibrate --resume` (calibrate_journal.c): every finished run
 * keyed by (candidate values, seed); runs found there are taken instead of run. */
struct calib_journal *calib_journal_open(const struct calib_spec *s, const char *out, int resume,
                                         size_t *loaded, int *status, struct gs_error *err);
uint64_t calib_journal_key(const double *x, size_t np, int64_t seed);
int calib_journal_get(const struct calib_journal *j, uint64_t key, double *v);
int calib_journal_append(struct calib_journal *j, uint64_t key, const double *v,
                         struct gs_error *err);
/* 1 if appending a run failed (the disk): the journal is then worth keeping. */
int calib_journal_failed(const struct calib_journal *j);
void calib_journal_close(struct calib_journal *j, int remove_file);

/* Runs the calibration. Fills r (free with calib_result_free). Returns 0, or -1
 * with a message when a run failed or the calibration was stopped. */
int calib_run(const struct calib_spec *s, const struct calib_opts *o, struct calib_result *r,
              struct gs_error *err);
void calib_result_free(struct calib_result *r);

/* calibrate_eval.c, shared by the methods. A request to evaluate ncand candidates (rows
 * of x) on seeds seed0 .. seed0+nrep-1 in every base: calib_evaluate fills mean, sd
 * (ncand * ntargets) and obj (ncand) and adds the runs made to *runs; invalid candidates
 * get CALIB_BAD_OBJECTIVE and NaN outputs without running. */
struct calib_eval_req {
    const double *x;              /* ncand * np */
    size_t ncand;
    int64_t nrep, seed0;
    const char *what;             /* progress label, or NULL for none */
};
int calib_evaluate(const struct calib_spec *s, const struct calib_opts *o,
                   const struct calib_eval_req *q, double *mean, double *sd, double *obj,
                   int64_t *runs, struct gs_error *err);
void calib_result_init(struct calib_result *r, const struct calib_spec *s);
/* Evaluates n candidates (rows of x) on the fitting seeds and appends them to r with the
 * given stage (progress label `what`, or NULL for none). calibrate_smc.c: the abc-smc
 * method. */
int calib_evaluate_record(const struct calib_spec *s, const struct calib_opts *o, const double *x,
                          size_t n, int stage, const char *what, struct calib_result *r,
                          struct gs_error *err);
int calib_run_abc_smc(const struct calib_spec *s, const struct calib_opts *o,
                      struct calib_result *r, struct gs_error *err);

/* Maps a parameter value to the unbounded space the simplex works in and back. */
double calib_to_z(const struct calib_param *cp, double x);
double calib_from_z(const struct calib_param *cp, double z);
/* The value at position u in [0,1] of the prior (uniform on the value or its log). */
double calib_prior_point(const struct calib_param *cp, double u);

/* Output (calibrate_io.c): the printed table and the HDF5 file. */
void calib_print(const struct calib_spec *s, const struct calib_result *r);
int calib_write_h5(const char *path, const struct calib_spec *s, const struct calib_result *r,
                   const char *command_line, int threads, const char *start_time,
                   struct gs_error *err);

#endif
