/* sweep.c: `govsim sweep FILE -o OUT.h5 [--threads N] [--resume] [--quiet]`.
 *
 * Loads the sweep, creates (or, with --resume, checks and reopens) the results
 * file, and runs the runs not yet done through batch_run, writing each result
 * before accepting the next. Under an MPI launcher (when built with GOVSIM_MPI)
 * the runs are spread over ranks by sweep_mpi.c. */
#include "sweep.h"

#include <getopt.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "cli.h"
#include "io.h"
#include "memcheck.h"
#include "safeout.h"
#include "world.h"

static const char *usage_sweep =
    "Usage: govsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume] [--quiet]\n"
    "\n"
    "Runs every design point of a sweep file (docs/sweeps.md) times its replicates\n"
    "and writes one HDF5 file (layout in docs/sweeps.md). Each run is written and\n"
    "flushed as it finishes; after an interruption (even kill -9), --resume runs\n"
    "only the runs missing from OUT.h5. Results do not depend on --threads or on\n"
    "the number of MPI ranks (mpirun -np N govsim sweep ...).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   HDF5 file to write (required)\n"
    "      --threads N     runs at once (default: OMP_NUM_THREADS or all cores)\n"
    "      --resume        continue OUT.h5 if it exists (it must be this sweep's)\n"
    "  -q, --quiet         no progress line\n"
    "  -h, --help          this text\n";

static void on_signal(int sig)
{
    sim_stop_requested = sig;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "govsim: ");
    fprintf(stderr, msg, arg);
    fprintf(stderr, "\n\n%s", usage_sweep);
    return EXIT_BAD_INPUT;
}

/* Returns -1 to go on, else an exit status. */
static int parse_sweep_opts(int argc, char **argv, struct sweep_opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
        {"resume", no_argument, 0, 'r'},       {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'r': o->resume = 1; break;
        case 'q': o->quiet = 1; break;
        case 't':
            o->threads = (int)strtol(optarg, &end, 10);
            if (*end || o->threads < 1 || o->threads > 4096)
                return usage_error("--threads expects a whole number from 1 to 4096, got '%s'", optarg);
            break;
        case 'h': fputs(usage_sweep, stdout); return EXIT_OK;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return usage_error("%s", "expected one sweep file");
    o->file = argv[optind];
    if (!o->output)
        return usage_error("%s", "-o OUT.h5 is required");
    for (int i = 0; i < argc; i++)
        snprintf(o->cmdline + strlen(o->cmdline), sizeof o->cmdline - strlen(o->cmdline), "%s%s",
                 i ? " " : "govsim ", argv[i]);
    return -1;
}

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
        return sim_stop_requested ? 128 + (int)sim_stop_requested : EXIT_FAILED;
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
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        status = run_missing(s, f, o);
    }
    sweep_free(s);
    return status;
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep_opts o = {0};
    int rc = parse_sweep_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
#ifdef GOVSIM_HAVE_MPI
    if (sweep_mpi_launched())
        return sweep_mpi_main(&o);
#endif
    return sweep_serial(&o);
}
