/* sweep_design.c: design points of a sweep, and the parameters of each run.
 *
 * Every design is first a set of points in the unit cube [0,1]^k (one coordinate
 * per varied parameter), then mapped to parameter values. The layouts (which
 * point is which) are documented in docs/sweeps.md; the Sobol/Saltelli and Morris
 * layouts are what analysis code relies on. Random choices (LHS, Morris, seeds)
 * come from Philox streams keyed by the sweep seed, so a design never depends on
 * threads or ranks. */
#include "sweep.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rng.h"
#include "summary.h"

#define SWEEP_MAX_RUNS 100000000.0
#define SOBOL_MAX_DIM 40   /* gsl_qrng_sobol supports up to 40 dimensions */

static void alloc_points(struct sweep *s, size_t npoints)
{
    s->npoints = npoints;
    s->unit = gs_calloc(npoints * s->nvary, sizeof *s->unit);
    s->x = gs_calloc(npoints * s->nvary, sizeof *s->x);
    s->group = gs_calloc(npoints, sizeof *s->group);
    s->step = gs_calloc(npoints, sizeof *s->step);
    s->moved = gs_calloc(npoints, sizeof *s->moved);
    s->delta = gs_calloc(npoints, sizeof *s->delta);
    for (size_t i = 0; i < npoints; i++) {
        s->group[i] = (int64_t)i;
        s->moved[i] = -1;
    }
}

/* Maps a unit coordinate to a value: ranges linearly (whole numbers for int parameters,
 * each equally likely), lists by equal slices of [0, 1]. */
static double map_unit(const struct sweep_param *v, double u)
{
    if (v->is_list) {
        size_t i = (size_t)floor(u * (double)v->nvalues);
        return v->values[i < v->nvalues ? i : v->nvalues - 1];
    }
    if (v->def->type == PT_DOUBLE)
        return v->lo + u * (v->hi - v->lo);
    double span = v->hi - v->lo, j = floor(u * (span + 1));
    return v->lo + (j < span ? j : span);
}

static int build_factorial(struct sweep *s, struct gs_error *err)
{
    double total = 1;
    for (size_t k = 0; k < s->nvary; k++) {
        if (!s->vary[k].is_list && s->levels == 0)
            return gs_error_set(err, "%s: key 'levels' is missing: a factorial design needs the "
                                "number of levels for '%s' (a range)", s->file, s->vary[k].def->name);
        total *= s->vary[k].is_list ? (double)s->vary[k].nvalues : (double)s->levels;
    }
    if (total > SWEEP_MAX_RUNS)
        return gs_error_set(err, "%s: the factorial design has %.0f points, more than %.0f",
                            s->file, total, SWEEP_MAX_RUNS);
    alloc_points(s, (size_t)total);
    for (size_t i = 0; i < s->npoints; i++) {
        size_t rest = i;   /* the last parameter varies fastest */
        for (size_t k = s->nvary; k-- > 0;) {
            const struct sweep_param *v = &s->vary[k];
            size_t m = v->is_list ? v->nvalues : (size_t)s->levels, j = rest % m;
            rest /= m;
            double *u = &s->unit[i * s->nvary + k], *x = &s->x[i * s->nvary + k];
            *u = m > 1 ? (double)j / (double)(m - 1) : 0;
            *x = v->is_list ? v->values[j] : v->lo + *u * (v->hi - v->lo);
            if (!v->is_list && v->def->type != PT_DOUBLE)
                *x = round(*x);
        }
    }
    return 0;
}

/* Latin hypercube: in each dimension, one point in each of the N strata [j/N, (j+1)/N). */
static void build_lhs(struct sweep *s)
{
    size_t N = (size_t)s->samples, k = s->nvary;
    alloc_points(s, N);
    gsl_rng *r = rng_new();
    size_t *perm = gs_malloc(N * sizeof *perm);
    for (size_t d = 0; d < k; d++) {
        rng_stream_set(r, s->seed, RNG_SWEEP, 0, d, 0);
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        gsl_ran_shuffle(r, perm, N, sizeof *perm);
        for (size_t i = 0; i < N; i++)
            s->unit[i * k + d] = ((double)perm[i] + gsl_rng_uniform(r)) / (double)N;
    }
    free(perm);
    gsl_rng_free(r);
}

/* Saltelli: base samples n = 0..N-1 of a 2k-dimensional Sobol sequence, A = first k
 * coordinates, B = last k. Block n holds k+2 points: A_n, AB^1_n .. AB^k_n, B_n. */
static int build_sobol(struct sweep *s, struct gs_error *err)
{
    size_t k = s->nvary, N = (size_t)s->samples, block = k + 2;
    if (2 * k > SOBOL_MAX_DIM)
        return gs_error_set(err, "%s: a Sobol design varies at most %d parameters (got %zu)",
                            s->file, SOBOL_MAX_DIM / 2, k);
    if ((double)N * (double)block > SWEEP_MAX_RUNS)
        return gs_error_set(err, "%s: too many Sobol points", s->file);
    alloc_points(s, N * block);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    double *ab = gs_malloc(2 * k * sizeof *ab);
    for (size_t n = 0; n < N; n++) {
        gsl_qrng_get(q, ab);
        for (size_t j = 0; j < block; j++) {
            size_t pt = n * block + j;
            s->group[pt] = (int64_t)n;
            s->step[pt] = (int64_t)j;
            s->moved[pt] = j >= 1 && j <= k ? (int64_t)(j - 1) : -1;
            for (size_t d = 0; d < k; d++) {
                int from_b = j == k + 1 || d + 1 == j;
                s->unit[pt * k + d] = ab[d + (from_b ? k : 0)];
            }
        }
    }
    free(ab);
    gsl_qrng_free(q);
    return 0;
}

/* Morris: r trajectories of k+1 points on a grid of p levels; each step moves one
 * parameter (in random order) by delta = p / (2 (p - 1)) up or down. */
static int build_morris(struct sweep *s, struct gs_error *err)
{
    size_t k = s->nvary, R = (size_t)s->samples;
    int64_t p = s->levels ? s->levels : 4, d = p / 2;
    if (p % 2)
        return gs_error_set(err, "%s: key 'levels': a Morris design needs an even number of "
                            "levels, got %lld", s->file, (long long)p);
    s->levels = p;
    alloc_points(s, R * (k + 1));
    gsl_rng *r = rng_new();
    int64_t *level = gs_malloc(k * sizeof *level), *dir = gs_malloc(k * sizeof *dir);
    size_t *order = gs_malloc(k * sizeof *order);
    for (size_t t = 0; t < R; t++) {
        rng_stream_set(r, s->seed, RNG_SWEEP, 0, t, 1);
        for (size_t j = 0; j < k; j++) {
            int64_t a = (int64_t)gsl_rng_uniform_int(r, (unsigned long)(p - d));
            dir[j] = gsl_rng_uniform(r) < 0.5 ? 1 : -1;
            level[j] = dir[j] > 0 ? a : a + d;
            order[j] = j;
        }
        gsl_ran_shuffle(r, order, k, sizeof *order);
        for (size_t m = 0; m <= k; m++) {
            size_t pt = t * (k + 1) + m;
            s->group[pt] = (int64_t)t;
            s->step[pt] = (int64_t)m;
            if (m > 0) {
                size_t j = order[m - 1];
                level[j] += dir[j] * d;
                s->moved[pt] = (int64_t)j;
                s->delta[pt] = (double)(dir[j] * d) / (double)(p - 1);
            }
            for (size_t j = 0; j < k; j++)
                s->unit[pt * k + j] = (double)level[j] / (double)(p - 1);
        }
    }
    free(level);
    free(dir);
    free(order);
    gsl_rng_free(r);
    return 0;
}

static void make_seeds(struct sweep *s)
{
    gsl_rng *r = rng_new();
    s->rep_seed = gs_malloc((size_t)s->replicates * sizeof *s->rep_seed);
    for (int64_t i = 0; i < s->replicates; i++) {
        rng_stream_set(r, s->seed, RNG_SWEEP, 1, (uint64_t)i, 0);
        s->rep_seed[i] = (int64_t)(gsl_rng_uniform(r) * 9007199254740992.0);
    }
    gsl_rng_free(r);
}

/* Every point must be a valid scenario; also sizes the time series. */
static int check_points(struct sweep *s, struct gs_error *err)
{
    struct param_set *ps = param_set_new();
    int rc = 0;
    for (size_t i = 0; i < s->npoints && rc == 0; i++) {
        memcpy(ps->source, s->base->source, param_count * sizeof *ps->source);
        sweep_run_params(s, i * (size_t)s->replicates, &ps->p);
        struct gs_error e;
        if (param_check(ps, &e) != 0) {
            rc = gs_error_set(err, "%s: design point %zu is not a valid scenario: %s", s->file, i,
                              e.msg);
            break;
        }
        if (!s->timeseries)
            continue;
        int64_t rows = (ps->p.days + ps->p.output_interval_days - 1) / ps->p.output_interval_days;
        s->ts_rows = rows > s->ts_rows ? rows : s->ts_rows;
        s->ts_cols = ps->p.communities > s->ts_cols ? ps->p.communities : s->ts_cols;
    }
    param_set_free(ps);
    return rc;
}

/* Points the design will have, known before it is built (a factorial design checks
 * its own size). */
static double planned_points(const struct sweep *s)
{
    double k = (double)s->nvary, n = (double)s->samples;
    switch (s->design) {
    case DESIGN_LHS: return n;
    case DESIGN_SOBOL: return n * (k + 2);
    case DESIGN_MORRIS: return n * (k + 1);
    default: return 0;
    }
}

/* Refuses a design too large to build before allocating it, with the memory it needs. */
static int check_planned_size(const struct sweep *s, struct gs_error *err)
{
    double points = planned_points(s);
    double bytes = points * (double)(2 * s->nvary + 4) * 8.0;
    double have = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    if (points * (double)s->replicates > SWEEP_MAX_RUNS)
        return gs_error_set(err, "%s: %.0f points x %lld replicates is more than %.0f runs", s->file,
                            points, (long long)s->replicates, SWEEP_MAX_RUNS);
    if (bytes > 0.5 * have)
        return gs_error_set(err, "%s: the design's %.0f points would need about %.1f GiB of "
                            "memory; this machine has %.1f GiB", s->file, points,
                            bytes / 1073741824.0, have / 1073741824.0);
    return 0;
}

int sweep_build_design(struct sweep *s, struct gs_error *err)
{
    int rc = check_planned_size(s, err);
    if (rc != 0)
        return -1;
    switch (s->design) {
    case DESIGN_FACTORIAL: rc = build_factorial(s, err); break;
    case DESIGN_LHS: build_lhs(s); break;
    case DESIGN_SOBOL: rc = build_sobol(s, err); break;
    case DESIGN_MORRIS: rc = build_morris(s, err); break;
    }
    if (rc != 0)
        return -1;
    if (s->design != DESIGN_FACTORIAL)
        for (size_t i = 0; i < s->npoints * s->nvary; i++)
            s->x[i] = map_unit(&s->vary[i % s->nvary], s->unit[i]);
    if ((double)s->npoints * (double)s->replicates > SWEEP_MAX_RUNS)
        return gs_error_set(err, "%s: %zu points x %lld replicates is more than %.0f runs", s->file,
                            s->npoints, (long long)s->replicates, SWEEP_MAX_RUNS);
    s->nruns = s->npoints * (size_t)s->replicates;
    if (s->nruns == 0)
        return gs_error_set(err, "%s: the sweep has no runs", s->file);
    make_seeds(s);
    return check_points(s, err);
}

size_t sweep_run_point(const struct sweep *s, size_t run)
{
    return run / (size_t)s->replicates;
}

size_t sweep_run_replicate(const struct sweep *s, size_t run)
{
    return run % (size_t)s->replicates;
}

void sweep_run_params(const struct sweep *s, size_t run, struct params *p)
{
    size_t point = sweep_run_point(s, run);
    *p = s->base->p;
    for (size_t k = 0; k < s->nvary; k++)
        param_set_number(p, s->vary[k].def, s->x[point * s->nvary + k]);
    p->seed = s->rep_seed[sweep_run_replicate(s, run)];
}

size_t sweep_record_len(const struct sweep *s)
{
    size_t n = N_SUMMARY + N_LEVEL_FIELDS * N_LEVELS + N_CATEGORY_FIELDS * N_CATEGORIES + 1;
    if (s->timeseries)
        n += (size_t)s->ts_rows * (1 + N_SERIES * (size_t)s->ts_cols);
    return n;
}

void sweep_pack(const struct sweep *s, const struct sim_output *out, double *rec)
{
    size_t n = 0;
    for (int f = 0; f < N_SUMMARY; f++)
        rec[n++] = out->summary.v[f];
    for (int f = 0; f < N_LEVEL_FIELDS; f++)
        for (int l = 0; l < N_LEVELS; l++)
            rec[n++] = out->summary.level[f][l];
    for (int f = 0; f < N_CATEGORY_FIELDS; f++)
        for (int c = 0; c < N_CATEGORIES; c++)
            rec[n++] = out->summary.cat[f][c];
    if (s->timeseries) {
        const struct series *ts = &out->series;
        for (int64_t r = 0; r < s->ts_rows; r++)
            rec[n++] = r < ts->row ? ts->day[r] : NAN;
        for (int f = 0; f < N_SERIES; f++)
            for (int64_t r = 0; r < s->ts_rows; r++)
                for (int64_t c = 0; c < s->ts_cols; c++)
                    rec[n++] = r < ts->row && c < ts->ncols ? ts->data[f][r * ts->ncols + c] : NAN;
    }
    rec[n] = out->wall_seconds;
}
