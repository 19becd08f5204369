/* batch.c: many runs, one per thread, results handed over one at a time. */
#include "batch.h"

#include <omp.h>
#include <string.h>

#include "progress.h"

struct batch_state {
    int failed;
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
#pragma omp critical(batch_result)
    if (!batch_failed(st)) {
        if (result(ctx, i, &p, &out, &e) != 0)
            batch_fail(st, &e);
        st->done++;
        progress_update(pr, (int64_t)st->done, (int64_t)n);
    }
    sim_output_free(&out);
}

int batch_run(size_t n, const size_t *todo, batch_params_fn params, batch_result_fn result,
              void *ctx, const struct batch_opts *opts, struct gs_error *err)
{
    struct batch_state st = {0};
    struct progress pr;
    progress_init_runs(&pr, opts && opts->what ? opts->what : "run", opts ? opts->quiet : 1);
    int threads = opts && opts->threads > 0 ? opts->threads : omp_get_max_threads();
    int levels = omp_get_max_active_levels();
    omp_set_max_active_levels(1); /* runs inside a batch are single-threaded */
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t k = 0; k < n; k++) {
        if (batch_failed(&st))
            continue;
        omp_set_num_threads(1); /* also with a team of one, which max_active_levels allows to nest */
        batch_one(todo ? todo[k] : k, params, result, ctx, &st, &pr, n);
    }
    omp_set_max_active_levels(levels);
    progress_finish(&pr);
    if (st.failed) {
        *err = st.err;
        return -1;
    }
    if (sim_stop_requested)
        return gs_error_set(err, "stopped after %zu of %zu runs", st.done, n);
    return 0;
}
