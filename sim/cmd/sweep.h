/* sweep.h: parameter sweeps — a sweep file, its design, and one HDF5 file of results.
 *
 * sweep_file.c reads the sweep file (docs/sweeps.md) and resolves the base
 * scenario; sweep_design.c builds the design points (factorial, Latin hypercube,
 * Sobol/Saltelli, Morris); sweep_io.c keeps the results file (created whole, then
 * filled one run at a time, flushed after each); sweep.c is `govsim sweep`;
 * sweep_mpi.c spreads runs over MPI ranks when built with GOVSIM_MPI. */
#ifndef GOVSIM_SWEEP_H
#define GOVSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "param.h"
#include "sched.h"

enum sweep_design { DESIGN_FACTORIAL, DESIGN_LHS, DESIGN_SOBOL, DESIGN_MORRIS };
extern const char *const sweep_design_names[];

/* One varied parameter: a range [lo, hi] or a list of values. */
struct sweep_param {
    const struct param_def *def;
    int is_list;
    double lo, hi;
    double *values;
    size_t nvalues;
};

struct sweep {
    char *file;                 /* the sweep file as given */
    char *text;                 /* its text, stored in the results file */
    size_t text_len;
    char *scenario;             /* base scenario path (resolved), or NULL for defaults */
    struct param_set *base;     /* base scenario with the inline `set:` applied */
    struct sweep_param *vary;
    size_t nvary;
    enum sweep_design design;
    int64_t samples, levels, replicates;
    uint64_t seed;
    int timeseries;             /* keep per-community time series too */

    size_t npoints, nruns;      /* run id = point * replicates + replicate */
    double *unit;               /* npoints x nvary design coordinates in [0, 1] */
    double *x;                  /* npoints x nvary parameter values */
    int64_t *group, *step, *moved; /* per point; meaning depends on the design (docs/sweeps.md) */
    double *delta;              /* per point: Morris step in unit scale, else 0 */
    int64_t *rep_seed;          /* per replicate: run.seed of every run of that replicate */
    int64_t ts_rows, ts_cols;   /* largest time series over the points (0 without) */
    char *canonical;            /* canonical content; its hash identifies the sweep */
    char hash[17];              /* FNV-1a 64 of canonical, hex */
};

/* Reads a sweep file and builds its design. Bad input: -1 with "FILE:LINE: key ..." */
int sweep_load(const char *path, struct sweep **out, struct gs_error *err);
void sweep_free(struct sweep *s);

/* sweep_design.c */
int sweep_build_design(struct sweep *s, struct gs_error *err);
/* Parameters of run `run` (any thread). */
void sweep_run_params(const struct sweep *s, size_t run, struct params *p);
size_t sweep_run_point(const struct sweep *s, size_t run);
size_t sweep_run_replicate(const struct sweep *s, size_t run);

/* A finished run flattened into doubles (the same in memory, over MPI and on disk):
 * summary fields, then level fields (field-major, N_LEVELS each), then category
 * fields (field-major, N_CATEGORIES each), then, with time
 * series, the day of each row and every series field padded with NaN to
 * ts_rows x ts_cols, then the run's wall-clock seconds. */
size_t sweep_record_len(const struct sweep *s);
void sweep_pack(const struct sweep *s, const struct sim_output *out, double *rec);

/* sweep_io.c: the results file. */
struct sweep_file;
/* Creates the file whole (exclusive temporary, fsync, link to its name) with every
 * run marked not done. Returns 0, -1 with err, or -2 when the file appeared meanwhile
 * (another process created it). */
int sweep_io_create(const char *path, const struct sweep *s, const char *cmdline,
                    struct gs_error *err);
/* Opens an existing file for resuming; refuses a damaged file or another sweep's. */
struct sweep_file *sweep_io_open(const char *path, const struct sweep *s, struct gs_error *err);
/* Runs not yet done, in run order. */
size_t *sweep_io_missing(struct sweep_file *f, size_t *n, struct gs_error *err);
/* Writes one run and flushes, then marks it done and flushes again. */
int sweep_io_write(struct sweep_file *f, size_t run, const double *rec, struct gs_error *err);
/* The first done run of an open sweep file whose results do not match the digest
 * stored for it in /status/result_digest (the file is corrupted), or -1 if none (or
 * the file records no digests). file is an HDF5 hid_t (an int64_t; no hdf5.h here, so
 * the fuzzers build without HDF5). */
long long sweep_io_check_digests(int64_t file);
/* Marks the sweep complete (all runs done) and closes. */
int sweep_io_close(struct sweep_file *f, int complete, struct gs_error *err);

/* sweep.c (one process) and sweep_mpi.c (MPI ranks); options from sweep_cli.c */
struct sweep_opts {
    const char *file, *output;
    int threads, resume, quiet;
    char cmdline[4096];
};

/* Runs the runs todo[0..n) locally, writing each to f. Returns 0 or -1. */
int sweep_run_local(const struct sweep *s, struct sweep_file *f, const size_t *todo, size_t n,
                    const struct sweep_opts *o, struct gs_error *err);

/* Creates the output file, or with --resume reopens it. NULL with a message on
 * failure; *status is the exit status to use then. */
struct sweep_file *sweep_open_output(const struct sweep *s, const struct sweep_opts *o,
                                     int *status, struct gs_error *err);
/* The whole sweep in this process; returns an exit status. */
int sweep_serial(const struct sweep_opts *o);

#ifdef GOVSIM_HAVE_MPI
/* Whether the program was started by an MPI launcher (mpirun, srun). */
int sweep_mpi_launched(void);
/* The whole sweep over MPI ranks: rank 0 keeps the file, the others run. */
int sweep_mpi_main(const struct sweep_opts *o);
#endif

#endif
