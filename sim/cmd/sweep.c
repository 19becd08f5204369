/* sweep.c: a sweep in this process (the command line is sweep_cli.c).
 *
 * Loads the sweep, creates (or, with --resume, checks and reopens) the results
 * file, and runs the runs not yet done through batch_run, writing each result
 * before accepting the next. Under an MPI launcher (when built with GOVSIM_MPI)
 * the runs are spread over ranks by sweep_mpi.c instead, which uses
 * sweep_open_output and, with one rank, sweep_serial from here. */
#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "cmdutil.h"
#include "io.h"
#include "memcheck.h"
#include "safeout.h"
#include "world.h"

struct local_ctx {
    const struct sweep *s;
    struct sweep_file *f;
    double *rec;
};

static int local_params(void *vctx, size_t i, struct params *p, struct gs_error *err)
{
    (void)err;
    const struct local_ctx *c = vctx;
    sweep_run_params(c->s, i, p);
    return 0;
}

static int local_result(void *vctx, size_t i, const struct params *p, const struct sim_output *out,
                        struct gs_error *err)
{
    (void)p;
    struct local_ctx *c = vctx;
    sweep_pack(c->s, out, c->rec);
    return sweep_io_write(c->f, i, c->rec, err);
}

int sweep_run_local(const struct sweep *s, struct sweep_file *f, const size_t *todo, size_t n,
                    const struct sweep_opts *o, struct gs_error *err)
{
    struct local_ctx c = {s, f, gs_malloc(sweep_record_len(s) * sizeof(double))};
    struct batch_opts bo = {o->threads, o->quiet, "run"};
    int rc = batch_run(n, todo, local_params, local_result, &c, &bo, err);
    free(c.rec);
    return rc;
}

struct sweep_file *sweep_open_output(const struct sweep *s, const struct sweep_opts *o,
                                     int *status, struct gs_error *err)
{
    struct stat st;
    struct params p;   /* the largest run, as many at once as threads: before any file exists */
    double most = -1;
    size_t big = 0;
    for (size_t i = 0; i < s->npoints; i++) {
        double part[N_MEM_PARTS];
        sweep_run_params(s, i * (size_t)s->replicates, &p);
        double b = world_estimate_bytes(&p, part);
        if (b > most) {
            most = b;
            big = i;
        }
    }
    sweep_run_params(s, big * (size_t)s->replicates, &p);
    *status = EXIT_BAD_INPUT;
    if (memcheck_runs(&p, memcheck_concurrent(o->threads, (double)s->nruns), err) != 0)
        return NULL;
    const char *inputs[] = {s->file, s->scenario};
    if (safeout_check(o->output, inputs, 2, status, err) != 0) {   /* fresh and --resume alike */
        *status = *status == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
        return NULL;
    }
    int exists = stat(o->output, &st) == 0;
    *status = EXIT_BAD_INPUT;
    if (exists && !o->resume) {
        gs_error_set(err, "'%s' exists; use --resume to continue it, or remove it", o->output);
        return NULL;
    }
    if (!exists) {
        int rc = sweep_io_create(o->output, s, o->cmdline, err);
        if (rc != 0) {   /* -2: another process created the file meanwhile */
            *status = rc == -2 ? EXIT_BAD_INPUT : EXIT_FAILED;
            return NULL;
        }
    }
    return sweep_io_open(o->output, s, err);
}

/* Runs the missing runs of an open file; returns an exit status. */
static int run_missing(const struct sweep *s, struct sweep_file *f, const struct sweep_opts *o)
{
    struct gs_error err;
    size_t n = 0;
    size_t *todo = sweep_io_missing(f, &n, &err);
    int rc = todo ? 0 : -1;
    if (todo && n > 0) {
        if (!o->quiet && n < s->nruns)
            fprintf(stderr, "govsim: resuming: %zu of %zu runs left\n", n, s->nruns);
        rc = sweep_run_local(s, f, todo, n, o, &err);
    }
    free(todo);
    struct gs_error cerr;
    if (sweep_io_close(f, rc == 0, &cerr) != 0 && rc == 0) {
        err = cerr;
        rc = -1;
    }
    if (rc != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return cli_stop_status(EXIT_FAILED);
    }
    if (!o->quiet)
        printf("govsim sweep: %zu runs (%zu points x %lld replicates) in %s\n", s->nruns,
               s->npoints, (long long)s->replicates, o->output);
    return EXIT_OK;
}

int sweep_serial(const struct sweep_opts *o)
{
    struct sweep *s;
    struct gs_error err;
    if (sweep_load(o->file, &s, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_BAD_INPUT;
    }
    int status;
    struct sweep_file *f = sweep_open_output(s, o, &status, &err);
    if (!f) {
        fprintf(stderr, "govsim: %s\n", err.msg);
    } else {
        cli_catch_signals();
        status = run_missing(s, f, o);
    }
    sweep_free(s);
    return status;
}
