/* compare_draw.c: the parameter sets of `govsim compare --uncertainty N`.
 *
 * Draw d (d = 0 .. N-1) is one set of values of the assumed parameters plus the seed
 * SEED + d. The values come either from a calibrated sample - an HDF5 file with
 * /posterior/parameters/<name> (particle) float64 and /posterior/weight (particle), as
 * written by the ABC calibration; a particle is drawn with probability proportional to
 * its weight - or, without a sample, from the plausible range of every parameter of the
 * table that has one (param_plausible): uniform in [lo, hi], log-uniform when lo > 0 and
 * hi > 10 lo, integers rounded. The numbers come from Philox streams (RNG_UNCERTAINTY,
 * entity = draw) keyed by the comparison's seed, so the draws do not depend on threads.
 *
 * Every scenario of a draw gets the same values (common random numbers), except the
 * parameters the scenario itself sets (in its file or with --set): those are its levers
 * or case figures and keep their value. A draw whose values break a relation between
 * parameters (param_check) for any scenario is drawn again (at most 100 times). */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "h5util.h"
#include "rng.h"

#define DEFAULT_SAMPLE "calibration/patterns.posterior.h5"   /* beside the first scenario file */
#define MAX_TRIES 100

void cmp_mark_fixed(struct cmp_scenario *s)
{
    s->fixed = gs_calloc(param_count, 1);
    for (size_t i = 0; i < param_count; i++)
        s->fixed[i] = s->ps->source[i] != SRC_DEFAULT;
}

void cmp_apply_draw(const struct comparison *c, int k, int d, struct params *p)
{
    if (!c->ndraws)
        return;
    for (int j = 0; j < c->npar; j++)
        if (!c->sc[k].fixed[c->par[j]])
            param_set_number(p, &param_table[c->par[j]], c->draw[(size_t)d * c->npar + j]);
}

/* ---- the calibrated sample ---- */

struct sample {
    int npar;
    hsize_t n;          /* particles */
    int *par;
    double **value;     /* [npar][n] */
    double *cum;        /* cumulative weights */
};

struct walk {
    struct sample *s;
    const char *file;
    hid_t g;
    struct gs_error *err;
    int rc;
};

static herr_t read_param(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
    (void)info;
    struct walk *w = ctx;
    struct sample *s = w->s;
    const struct param_def *def = param_find(name);
    if (!def || def->type == PT_STRING) {
        w->rc = gs_error_set(w->err, "%s: /posterior/parameters/%s: %s", w->file, name,
                             def ? "a text parameter cannot be drawn" : "not a parameter of this govsim");
        return 1;
    }
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT), sp = d < 0 ? -1 : H5Dget_space(d);
    hsize_t n = 0;
    if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, &n, NULL) < 0 ||
        n != s->n) {
        w->rc = gs_error_set(w->err, "%s: /posterior/parameters/%s: expected a 1-d dataset of %llu "
                             "values (one a particle, as /posterior/weight)", w->file, name,
                             (unsigned long long)s->n);
    } else {
        s->par = gs_realloc(s->par, (size_t)(s->npar + 1) * sizeof *s->par);
        s->value = gs_realloc(s->value, (size_t)(s->npar + 1) * sizeof *s->value);
        s->value[s->npar] = gs_malloc((size_t)n * sizeof(double));
        s->par[s->npar] = (int)(def - param_table);
        if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s->value[s->npar]) < 0)
            w->rc = gs_error_set(w->err, "%s: cannot read /posterior/parameters/%s", w->file, name);
        for (hsize_t i = 0; w->rc == 0 && i < n; i++)
            if (!isfinite(s->value[s->npar][i]) || s->value[s->npar][i] < def->min ||
                s->value[s->npar][i] > def->max)
                w->rc = gs_error_set(w->err, "%s: /posterior/parameters/%s[%llu] = %g is outside "
                                     "the parameter's range [%g, %g]", w->file, name,
                                     (unsigned long long)i, s->value[s->npar][i], def->min, def->max);
        s->npar++;
    }
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    return w->rc ? 1 : 0;
}

static void sample_free(struct sample *s)
{
    for (int j = 0; j < s->npar; j++)
        free(s->value[j]);
    free(s->value);
    free(s->par);
    free(s->cum);
}

static int read_sample(const char *path, struct sample *s, struct gs_error *err)
{
    memset(s, 0, sizeof *s);
    err->msg[0] = 0;
    hid_t f = -1, d = -1, sp = -1, g = -1;
    int rc = -1;
    H5E_BEGIN_TRY { f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT); } H5E_END_TRY;
    if (f < 0)
        return gs_error_set(err, "--sample %s: cannot open it as an HDF5 file", path);
    H5E_BEGIN_TRY {
        d = H5Dopen2(f, "/posterior/weight", H5P_DEFAULT);
        g = H5Gopen2(f, "/posterior/parameters", H5P_DEFAULT);
    } H5E_END_TRY;
    if (d < 0 || g < 0) {
        gs_error_set(err, "--sample %s: no /posterior/weight and /posterior/parameters/ (the "
                     "layout of a calibration sample, docs/compare.md)", path);
        goto fail;
    }
    TRY(sp = H5Dget_space(d));
    if (H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, &s->n, NULL) < 0 ||
        s->n == 0) {
        gs_error_set(err, "--sample %s: /posterior/weight must be a 1-d dataset, one a particle", path);
        goto fail;
    }
    s->cum = gs_malloc((size_t)s->n * sizeof *s->cum);
    TRY(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s->cum));
    double sum = 0;
    for (hsize_t i = 0; i < s->n; i++) {
        if (!(s->cum[i] >= 0) || !isfinite(s->cum[i])) {
            gs_error_set(err, "--sample %s: /posterior/weight[%llu] = %g is not a weight", path,
                         (unsigned long long)i, s->cum[i]);
            goto fail;
        }
        s->cum[i] = sum += s->cum[i];
    }
    if (!(sum > 0)) {
        gs_error_set(err, "--sample %s: the weights sum to 0", path);
        goto fail;
    }
    struct walk w = {s, path, g, err, 0};
    hsize_t idx = 0;
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, read_param, &w) < 0 || w.rc) {
        if (!w.rc)
            gs_error_set(err, "--sample %s: cannot read /posterior/parameters", path);
        goto fail;
    }
    if (s->npar == 0) {
        gs_error_set(err, "--sample %s: /posterior/parameters holds no parameter", path);
        goto fail;
    }
    rc = 0;
fail:
    if (rc && !err->msg[0])
        gs_error_set(err, "--sample %s: cannot read it", path);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (g >= 0) H5Gclose(g);
    H5Fclose(f);
    return rc;
}

/* ---- the draws ---- */

static double rounded(int j, const struct comparison *c, double v)
{
    return param_table[c->par[j]].type == PT_INT ? nearbyint(v) : v;
}

/* Fills draw d (try t) from the sample or the ranges. */
static void draw_one(struct comparison *c, const struct sample *s, const double *lo,
                     const double *hi, int d, int t)
{
    double *v = &c->draw[(size_t)d * c->npar];
    uint64_t seed = (uint64_t)c->base_seed;
    if (s) {
        double u = rng_uniform_at(seed, RNG_UNCERTAINTY, (uint64_t)d, (uint64_t)t, 0) *
                   s->cum[s->n - 1];
        hsize_t i = 0;
        while (i + 1 < s->n && s->cum[i] <= u)
            i++;
        for (int j = 0; j < c->npar; j++)
            v[j] = rounded(j, c, s->value[j][i]);
        return;
    }
    for (int j = 0; j < c->npar; j++) {
        double u = rng_uniform_at(seed, RNG_UNCERTAINTY, (uint64_t)d, (uint64_t)t, (uint64_t)j + 1);
        double x = lo[j] > 0 && hi[j] > 10 * lo[j] ? lo[j] * pow(hi[j] / lo[j], u)
                                                    : lo[j] + u * (hi[j] - lo[j]);
        v[j] = rounded(j, c, fmin(hi[j], fmax(lo[j], x)));
    }
}

/* 0 if draw d suits every scenario run, else -1 with the reason in err. */
static int check_draw(const struct comparison *c, int d, struct gs_error *err)
{
    for (int k = 0; k < c->nrun; k++) {
        struct param_set tmp = *c->sc[k].ps;
        cmp_apply_draw(c, k, d, &tmp.p);
        if (param_check(&tmp, err) != 0)
            return -1;
    }
    return 0;
}

/* Whether every scenario sets parameter i itself: then no draw would reach a run. */
static int fixed_everywhere(const struct comparison *c, size_t i)
{
    for (int k = 0; k < c->nscen; k++)
        if (!c->sc[k].fixed || !c->sc[k].fixed[i])
            return 0;
    return 1;
}

static const char *default_sample(const struct comparison *c, char *buf, size_t n)
{
    const char *first = c->sc[0].path, *slash = strrchr(first, '/');
    int len = slash ? snprintf(buf, n, "%.*s/%s", (int)(slash - first), first, DEFAULT_SAMPLE)
                    : snprintf(buf, n, "%s", DEFAULT_SAMPLE);
    return len > 0 && (size_t)len < n && access(buf, R_OK) == 0 ? buf : NULL;
}

int cmp_draw(struct comparison *c, const char *sample, struct gs_error *err)
{
    char path[4096];
    struct sample s;
    int use_sample = 0;
    if (!sample)
        sample = default_sample(c, path, sizeof path);
    else if (strcmp(sample, "ranges") == 0)
        sample = NULL;
    double *lo = NULL, *hi = NULL;
    if (sample) {
        if (read_sample(sample, &s, err) != 0)
            return -1;
        use_sample = 1;
        c->npar = s.npar;
        c->par = gs_malloc((size_t)s.npar * sizeof *c->par);
        memcpy(c->par, s.par, (size_t)s.npar * sizeof *c->par);
        snprintf(c->source, sizeof c->source, "%.590s", sample);
    } else {
        c->par = gs_malloc(param_count * sizeof *c->par);
        lo = gs_malloc(param_count * sizeof *lo);
        hi = gs_malloc(param_count * sizeof *hi);
        for (size_t i = 0; i < param_count; i++)
            if (!fixed_everywhere(c, i) && param_plausible(&param_table[i], &lo[c->npar], &hi[c->npar]) &&
                hi[c->npar] > lo[c->npar])
                c->par[c->npar++] = (int)i;
        snprintf(c->source, sizeof c->source, "plausible ranges of the parameter table");
        if (c->npar == 0) {
            free(lo);
            free(hi);
            return gs_error_set(err, "--uncertainty: no sample and no parameter with a plausible range");
        }
    }
    c->draw = gs_calloc((size_t)c->ndraws * c->npar, sizeof *c->draw);
    int rc = 0;
    for (int d = 0; d < c->ndraws && rc == 0; d++) {
        int t = 0;
        do
            draw_one(c, use_sample ? &s : NULL, lo, hi, d, t);
        while (check_draw(c, d, err) != 0 && ++t < MAX_TRIES);
        if (t == MAX_TRIES) {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            rc = gs_error_set(err, "--uncertainty: draw %d broke a relation between parameters "
                              "%d times (%s); the %s does not suit these scenarios", d, MAX_TRIES,
                              why, use_sample ? "sample" : "set of plausible ranges");
        }
    }
    if (use_sample)
        sample_free(&s);
    free(lo);
    free(hi);
    return rc;
}
