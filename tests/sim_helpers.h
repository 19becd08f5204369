/* sim_helpers.h: helpers shared by the C tests that run the simulation: parameters
 * from assignments, a run that must succeed, conservation of requests, and exact
 * equality of two runs' outputs. Include after check.h. */
#ifndef GOVSIM_SIM_HELPERS_H
#define GOVSIM_SIM_HELPERS_H

#include <stdarg.h>
#include <stdlib.h>

#include "sched.h"

/* Parameters: defaults plus "key=value" assignments, ended by NULL. */
static struct param_set *params_with(const char *first, ...)
{
    struct param_set *ps = param_set_new();
    struct gs_error err;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        if (param_apply_assignment(ps, a, &err) != 0)
            fprintf(stderr, "bad test assignment: %s\n", err.msg), exit(1);
    va_end(ap);
    if (param_check(ps, &err) != 0)
        fprintf(stderr, "bad test parameters: %s\n", err.msg), exit(1);
    return ps;
}

static void run(const struct param_set *ps, struct sim_output *out)
{
    struct gs_error err;
    memset(out, 0, sizeof *out);
    if (sim_run(&ps->p, out, NULL, NULL, &err) != 0)
        fprintf(stderr, "run failed: %s\n", err.msg), exit(1);
}

static void check_conservation(const char *label, const struct summary *s)
{
    for (int l = 0; l < N_LEVELS; l++) {
        double in = s->level[L_ENTERED][l];
        double out = s->level[L_RESOLVED][l] + s->level[L_ABANDONED][l] + s->level[L_ESCALATED][l] +
                     s->level[L_OPEN][l];
        CHECK(in == out, "%s level %d: entered %g != resolved+abandoned+escalated+open %g", label, l, in, out);
        if (l > 0)
            CHECK(s->level[L_ENTERED][l] == s->level[L_ESCALATED][l - 1],
                  "%s: level %d entered %g, level below passed up %g", label, l,
                  s->level[L_ENTERED][l], s->level[L_ESCALATED][l - 1]);
    }
    CHECK(s->v[S_ARISEN] == s->v[S_RESOLVED] + s->v[S_ABANDONED] + s->v[S_BACKLOG] + s->v[S_UNKNOWN],
          "%s: arisen != resolved + abandoned + open", label);
    CHECK(s->v[S_ARISEN] > 0, "%s: nothing arose", label);
}

static int same_output(const struct sim_output *a, const struct sim_output *b)
{
    if (memcmp(&a->summary, &b->summary, sizeof a->summary) != 0 || a->series.row != b->series.row)
        return 0;
    size_t n = (size_t)(a->series.nrows * a->series.ncols) * sizeof(double);
    for (int f = 0; f < N_SERIES; f++)
        if (memcmp(a->series.data[f], b->series.data[f], n) != 0)
            return 0;
    return 1;
}

#endif
