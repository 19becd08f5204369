/* sweep_mpi.c: a sweep over MPI ranks (built with GOVSIM_MPI).
 *
 * Rank 0 keeps the results file (serial HDF5) and runs nothing: it creates or
 * checks the file and finds the missing runs, then answers two kinds of message
 * until every worker is done: a request for work, answered with the next missing
 * run (or "none left"), and a finished run, written and flushed as it arrives.
 * Ranks 1..N-1 run over their OpenMP threads with batch_run_source; a thread that
 * comes free asks rank 0 for its next run, so a rank that drew slow runs (the
 * big-world corners of a design) does not leave the others idle at the end. A run's result depends only
 * on its parameters and seed, so the file is the same for any number of ranks and
 * threads, whichever rank ran what. With one rank the sweep runs as without MPI. */
#include "sweep.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "cmdutil.h"
#include "progress.h"

enum { TAG_RESULT = 1, TAG_DONE = 2, TAG_ASK = 3, TAG_WORK = 4 };

int sweep_mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

struct worker_ctx {
    const struct sweep *s;
    double *msg;   /* run index, then the record */
    size_t len;
};

static int worker_params(void *vctx, size_t i, struct params *p, struct gs_error *err)
{
    (void)err;
    const struct worker_ctx *c = vctx;
    sweep_run_params(c->s, i, p);
    return 0;
}

static int worker_result(void *vctx, size_t i, const struct params *p, const struct sim_output *out,
                         struct gs_error *err)
{
    (void)p;
    struct worker_ctx *c = vctx;
    c->msg[0] = (double)i;
    sweep_pack(c->s, out, c->msg + 1);
    if (MPI_Send(c->msg, (int)c->len, MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD) != MPI_SUCCESS)
        return gs_error_set(err, "sending run %zu to rank 0 failed", i);
    return 0;
}

/* The worker's source of runs: ask rank 0, which answers with a run index or -1.
 * batch_run_source never calls this at once with worker_result (MPI_THREAD_SERIALIZED). */
static int ask_rank0(void *vsrc, size_t *i, struct gs_error *err)
{
    (void)vsrc;
    long long next = -1;
    char ask = 1;
    if (MPI_Send(&ask, 1, MPI_CHAR, 0, TAG_ASK, MPI_COMM_WORLD) != MPI_SUCCESS ||
        MPI_Recv(&next, 1, MPI_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return gs_error_set(err, "asking rank 0 for work failed");
    if (next < 0)
        return 0;
    *i = (size_t)next;
    return 1;
}

/* Runs what rank 0 hands out and reports to rank 0 with a DONE message. */
static void worker(const struct sweep *s, const struct sweep_opts *o)
{
    struct worker_ctx c = {s, NULL, 1 + sweep_record_len(s)};
    c.msg = gs_malloc(c.len * sizeof *c.msg);
    struct batch_opts bo = {o->threads, 1, "run"};
    struct batch_source src = {ask_rank0, NULL, 0};   /* this rank's share is not known */
    struct gs_error err = {""};
    int rc = batch_run_source(&src, worker_params, worker_result, &c, &bo, &err);
    char done[GS_ERRMSG_MAX + 1];
    done[0] = rc == 0 ? 'y' : 'n';
    snprintf(done + 1, sizeof done - 1, "%s", rc == 0 ? "" : err.msg);
    MPI_Send(done, (int)strlen(done) + 1, MPI_CHAR, 0, TAG_DONE, MPI_COMM_WORLD);
    free(c.msg);
}

/* Rank 0's view of the sweep while workers run. */
struct writer {
    struct sweep_file *f;
    const size_t *todo;
    size_t n, handed, got;   /* runs missing, handed out, written */
    double *msg;             /* run index, then the record */
    size_t len;
    int workers_left, failed;
    struct progress pr;
};

/* A worker asks for work: the next missing run, or -1 when none is left or the
 * sweep is stopping (failed elsewhere, or a signal). */
static void writer_hand_out(struct writer *w, int source)
{
    char ask;
    MPI_Recv(&ask, 1, MPI_CHAR, source, TAG_ASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    long long next = -1;
    if (w->handed < w->n && !w->failed && !sim_stop_requested)
        next = (long long)w->todo[w->handed++];
    MPI_Send(&next, 1, MPI_LONG_LONG, source, TAG_WORK, MPI_COMM_WORLD);
}

static void writer_done(struct writer *w, int source)
{
    char done[GS_ERRMSG_MAX + 1];
    MPI_Recv(done, sizeof done, MPI_CHAR, source, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (done[0] != 'y') {
        fprintf(stderr, "govsim: rank %d: %s\n", source, done + 1);
        w->failed = 1;
    }
    w->workers_left--;
}

static void writer_result(struct writer *w, int source)
{
    MPI_Recv(w->msg, (int)w->len, MPI_DOUBLE, source, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    struct gs_error err;
    if (sweep_io_write(w->f, (size_t)w->msg[0], w->msg + 1, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        MPI_Abort(MPI_COMM_WORLD, EXIT_FAILED);
    }
    progress_update(&w->pr, (int64_t)++w->got, (int64_t)w->n);
}

/* Rank 0: hands out runs and writes results as they come until every worker is
 * done. Returns 0 or -1. */
static int writer(const struct sweep *s, struct sweep_file *f, const size_t *todo, size_t n,
                  int size, int quiet)
{
    struct writer w = {.f = f, .todo = todo, .n = n, .len = 1 + sweep_record_len(s),
                       .workers_left = size - 1};
    w.msg = gs_malloc(w.len * sizeof *w.msg);
    progress_init_runs(&w.pr, "run", quiet);
    while (w.workers_left > 0) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)   /* sleep rather than spin: rank 0 shares a core with a worker */
            nanosleep(&(struct timespec){0, 1000000}, NULL);
        else if (st.MPI_TAG == TAG_ASK)
            writer_hand_out(&w, st.MPI_SOURCE);
        else if (st.MPI_TAG == TAG_DONE)
            writer_done(&w, st.MPI_SOURCE);
        else
            writer_result(&w, st.MPI_SOURCE);
    }
    progress_finish(&w.pr);
    free(w.msg);
    return w.failed || w.got != n ? -1 : 0;
}

/* Rank 0 opens the file and finds the missing runs; every rank learns how many.
 * Returns -1 to go on, or the exit status every rank should return. */
static int share_todo(const struct sweep *s, const struct sweep_opts *o, int rank,
                      struct sweep_file **f, size_t **todo, size_t *n)
{
    long long hdr[2] = {-1, 0};   /* status (-1 = go on), number of runs */
    if (rank == 0) {
        struct gs_error err;
        int status = EXIT_FAILED;
        *f = sweep_open_output(s, o, &status, &err);
        *todo = *f ? sweep_io_missing(*f, n, &err) : NULL;
        if (!*todo) {
            fprintf(stderr, "govsim: %s\n", err.msg);
            hdr[0] = status;
        }
        hdr[1] = (long long)*n;
    }
    MPI_Bcast(hdr, 2, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (hdr[0] >= 0)
        return (int)hdr[0];
    *n = (size_t)hdr[1];
    return -1;
}

static int sweep_ranks(const struct sweep *s, const struct sweep_opts *o, int rank, int size)
{
    struct sweep_file *f = NULL;
    size_t *todo = NULL, n = 0;
    int status = share_todo(s, o, rank, &f, &todo, &n);
    if (status >= 0)
        return status;
    if (rank != 0) {
        worker(s, o);
        return EXIT_OK;
    }
    if (!o->quiet && n < s->nruns)
        fprintf(stderr, "govsim: resuming: %zu of %zu runs left\n", n, s->nruns);
    int rc = writer(s, f, todo, n, size, o->quiet);
    struct gs_error err;
    if (sweep_io_close(f, rc == 0, &err) != 0)
        rc = -1;
    free(todo);
    if (rc != 0)
        return cli_stop_status(EXIT_FAILED);
    if (!o->quiet)
        printf("govsim sweep: %zu runs (%zu points x %lld replicates) over %d MPI ranks in %s\n",
               s->nruns, s->npoints, (long long)s->replicates, size, o->output);
    return EXIT_OK;
}

int sweep_mpi_main(const struct sweep_opts *o)
{
    int provided, rank, size;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int status;
    if (size == 1) {
        status = sweep_serial(o);
    } else if (provided < MPI_THREAD_SERIALIZED) {
        if (rank == 0)
            fprintf(stderr, "govsim: the MPI library does not allow calls from several threads\n");
        status = EXIT_FAILED;
    } else {
        struct sweep *s;
        struct gs_error err;
        status = EXIT_BAD_INPUT;
        if (sweep_load(o->file, &s, &err) != 0) {
            if (rank == 0)
                fprintf(stderr, "govsim: %s\n", err.msg);
        } else {
            cli_catch_signals();
            status = sweep_ranks(s, o, rank, size);
            sweep_free(s);
        }
    }
    /* every rank exits with rank 0's status */
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return status;
}
