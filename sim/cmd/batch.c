/* batch.c: many runs, one per thread, taken from a source as threads come free;
 * results handed over one at a time. */
#include "batch.h"

#include <omp.h>
#include <string.h>

#include "progress.h"

struct batch_state {
    int failed;
    int exhausted;   /* the source said no more (only touched under critical(batch_call)) */
    struct gs_error err;
    size_t done;
};

static void batch_fail(struct batch_state *st, const struct gs_error *e)
{
#pragma omp critical(batch_state)
    if (!st->failed) {
        st->failed = 1;
        st->err = *e;
    }
}

static int batch_failed(struct batch_state *st)
{
    int f;
#pragma omp atomic read
    f = st->failed;
    return f || sim_stop_requested;
}

/* The next run for a free thread: 1 with *i set, or 0 when the batch is over.
 * The source is called under the same critical section as the result callback,
 * so no two of the caller's callbacks ever run at once, in any thread. */
static int batch_take(const struct batch_source *src, struct batch_state *st, size_t *i)
{
    int got = 0;
    struct gs_error e;
#pragma omp critical(batch_call)
    if (!st->exhausted && !batch_failed(st)) {
        int rc = src->next(src->ctx, i, &e);
        if (rc < 0)
            batch_fail(st, &e);
        st->exhausted = rc <= 0;
        got = rc > 0;
    }
    return got;
}

static void batch_one(size_t i, batch_params_fn params, batch_result_fn result, void *ctx,
                      struct batch_state *st, struct progress *pr, size_t n)
{
    struct params p;
    struct sim_output out;
    struct gs_error e;
    memset(&out, 0, sizeof out);
    if (params(ctx, i, &p, &e) != 0) {
        batch_fail(st, &e);
        return;
    }
    if (sim_run(&p, &out, NULL, NULL, &e) != 0) {
        batch_fail(st, &e);
        sim_output_free(&out);
        return;
    }
#pragma omp critical(batch_call)
    if (!batch_failed(st)) {
        if (result(ctx, i, &p, &out, &e) != 0)
            batch_fail(st, &e);
        st->done++;
        progress_update(pr, (int64_t)st->done, (int64_t)n);
    }
    sim_output_free(&out);
}

int batch_run_source(const struct batch_source *src, batch_params_fn params,
                     batch_result_fn result, void *ctx, const struct batch_opts *opts,
                     struct gs_error *err)
{
    struct batch_state st = {0};
    struct progress pr;
    progress_init_runs(&pr, opts && opts->what ? opts->what : "run", opts ? opts->quiet : 1);
    int threads = opts && opts->threads > 0 ? opts->threads : omp_get_max_threads();
    int levels = omp_get_max_active_levels();
    omp_set_max_active_levels(1); /* runs inside a batch are single-threaded */
#pragma omp parallel num_threads(threads)
    {
        omp_set_num_threads(1); /* also with a team of one, which max_active_levels allows to nest */
        size_t i;
        while (batch_take(src, &st, &i))
            batch_one(i, params, result, ctx, &st, &pr, src->total);
    }
    omp_set_max_active_levels(levels);
    progress_finish(&pr);
    if (st.failed) {
        *err = st.err;
        return -1;
    }
    if (sim_stop_requested)
        return src->total ? gs_error_set(err, "stopped after %zu of %zu runs", st.done, src->total)
                          : gs_error_set(err, "stopped after %zu runs", st.done);
    return 0;
}

/* A list of runs as a source: handed out in list order. */
struct batch_list {
    const size_t *todo;   /* NULL: 0..n-1 */
    size_t n, next;
};

static int list_next(void *vsrc, size_t *i, struct gs_error *err)
{
    (void)err;
    struct batch_list *l = vsrc;
    if (l->next >= l->n)
        return 0;
    *i = l->todo ? l->todo[l->next] : l->next;
    l->next++;
    return 1;
}

int batch_run(size_t n, const size_t *todo, batch_params_fn params, batch_result_fn result,
              void *ctx, const struct batch_opts *opts, struct gs_error *err)
{
    struct batch_list list = {todo, n, 0};
    struct batch_source src = {list_next, &list, n};
    return batch_run_source(&src, params, result, ctx, opts, err);
}
