#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void apply_or_exit(struct param_set *ps, const char *a)
{
    struct gs_error err;
    if (param_apply_assignment(ps, a, &err) != 0)
        fprintf(stderr, "bad test assignment: %s\n", err.msg), exit(1);
}

static void check_or_exit(struct param_set *ps)
{
    struct gs_error err;
    if (param_check(ps, &err) != 0)
        fprintf(stderr, "bad test parameters: %s\n", err.msg), exit(1);
}

struct param_set *params_with(const char *first, ...)
{
    struct param_set *ps = param_set_new();
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        apply_or_exit(ps, a);
    va_end(ap);
    check_or_exit(ps);
    return ps;
}

struct param_set *params_from(const char *const *assignments, int n)
{
    struct param_set *ps = param_set_new();
    for (int i = 0; i < n; i++)
        apply_or_exit(ps, assignments[i]);
    check_or_exit(ps);
    return ps;
}

void run_model(const struct params *p, struct sim_output *out)
{
    struct gs_error err;
    memset(out, 0, sizeof *out);
    if (sim_run(p, out, NULL, NULL, &err) != 0)
        fprintf(stderr, "run failed: %s\n", err.msg), exit(1);
}

void replicate_field(const char *const *assignments, int n, int field, int reps, double *values)
{
    struct param_set *ps = params_from(assignments, n);
    for (int r = 0; r < reps; r++) {
        struct sim_output out;
        ps->p.seed = r + 1;
        run_model(&ps->p, &out);
        values[r] = out.summary.v[field];
        sim_output_free(&out);
    }
    param_set_free(ps);
}

int same_output(const struct sim_output *a, const struct sim_output *b)
{
    if (memcmp(&a->summary, &b->summary, sizeof a->summary) != 0 || a->series.row != b->series.row)
        return 0;
    size_t n = (size_t)(a->series.nrows * a->series.ncols) * sizeof(double);
    for (int f = 0; f < N_SERIES; f++)
        if (memcmp(a->series.data[f], b->series.data[f], n) != 0)
            return 0;
    return 1;
}
