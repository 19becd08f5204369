/* diff.c: `govsim diff A.h5 B.h5`: which outputs changed, and by how much. */
#include "diff.h"

#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const result_groups[] = {"summary", "levels", "timeseries", "parameters"};

struct values {
    int rank;
    hsize_t dims[4];
    size_t n;
    double *num;   /* numeric data, or NULL */
    char *text;    /* scalar string data, or NULL */
};

static void values_free(struct values *v)
{
    free(v->num);
    free(v->text);
    memset(v, 0, sizeof *v);
}

/* Reads dataset `path` of file f; returns 0 if present, 1 if absent, -1 on error. */
static int read_values(hid_t f, const char *path, struct values *v)
{
    memset(v, 0, sizeof *v);
    if (H5Lexists(f, path, H5P_DEFAULT) <= 0)
        return 1;
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t space = H5Dget_space(d), type = H5Dget_type(d);
    int rc = -1;
    v->rank = H5Sget_simple_extent_ndims(space);
    if (v->rank >= 0 && v->rank <= 4) {
        H5Sget_simple_extent_dims(space, v->dims, NULL);
        v->n = 1;
        for (int k = 0; k < v->rank; k++)
            v->n *= v->dims[k];
        if (H5Tget_class(type) == H5T_STRING && v->rank == 0) {
            char *s = NULL;
            hid_t mt = H5Tcopy(H5T_C_S1);
            H5Tset_size(mt, H5T_VARIABLE);
            H5Tset_cset(mt, H5Tget_cset(type));
            if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s) >= 0 && s) {
                v->text = gs_strdup(s);
                H5free_memory(s);
                rc = 0;
            }
            H5Tclose(mt);
        } else if (H5Tget_class(type) == H5T_INTEGER || H5Tget_class(type) == H5T_FLOAT) {
            v->num = gs_malloc((v->n ? v->n : 1) * sizeof(double));
            rc = H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->num) < 0 ? -1 : 0;
        }
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(d);
    return rc;
}

static int same_shape(const struct values *a, const struct values *b)
{
    if (a->rank != b->rank || !a->num != !b->num)
        return 0;
    for (int k = 0; k < a->rank; k++)
        if (a->dims[k] != b->dims[k])
            return 0;
    return 1;
}

static int agree(double a, double b, const struct diff_opts *o)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b || fabs(a - b) <= o->atol + o->rtol * fabs(b);
}

/* Compares one output present in both files; prints a line if it differs. */
static int compare_output(const char *path, const struct values *a, const struct values *b,
                          const struct diff_opts *o, FILE *out)
{
    if (!same_shape(a, b)) {
        fprintf(out, "%s: shape or type differs\n", path);
        return 1;
    }
    if (a->text) {
        int same = strcmp(a->text, b->text) == 0;
        if (!same)
            fprintf(out, "%s: '%s' -> '%s'\n", path, a->text, b->text);
        return !same;
    }
    size_t bad = 0, worst = 0;
    double max_abs = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (agree(a->num[i], b->num[i], o))
            continue;
        double d = isnan(a->num[i]) || isnan(b->num[i]) ? INFINITY : fabs(a->num[i] - b->num[i]);
        if (bad++ == 0 || d > max_abs) {
            max_abs = d;
            worst = i;
        }
    }
    if (bad == 0) {
        if (o->verbose)
            fprintf(out, "%s: same\n", path);
        return 0;
    }
    double x = a->num[worst], y = b->num[worst];
    if (a->n == 1)
        fprintf(out, "%s: %.10g -> %.10g (change %+.6g, %+.3g%%)\n", path, x, y, y - x,
                x != 0 ? 100 * (y - x) / fabs(x) : INFINITY);
    else
    {
        size_t idx[4] = {0}, rest = worst;
        for (int k = a->rank - 1; k >= 0; k--) {   /* flat index -> [i, j, ...] */
            idx[k] = rest % a->dims[k];
            rest /= a->dims[k];
        }
        char at[96];
        int used = 0;
        for (int k = 0; k < a->rank; k++)
            used += snprintf(at + used, sizeof at - (size_t)used, "%s%zu", k ? ", " : "", idx[k]);
        fprintf(out, "%s: %zu of %zu values differ; largest change %.10g -> %.10g (%+.6g) at [%s]\n",
                path, bad, a->n, x, y, y - x, at);
    }
    return 1;
}

struct walk;
static void note(const struct walk *w, const char *path, enum diff_status st,
                 const struct values *a, const struct values *b);

struct walk {
    hid_t fa, fb;
    const char *group, *name_a, *name_b;
    const struct diff_opts *o;
    FILE *out;
    int differ, same, failed;
    int second_pass;   /* walking b for outputs missing from a */
};

static herr_t visit(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    struct walk *w = data;
    char path[512];
    snprintf(path, sizeof path, "/%s/%s", w->group, name);
    if (w->second_pass) {   /* walking b: only report what a lacks */
        if (H5Lexists(w->fa, path, H5P_DEFAULT) <= 0) {
            fprintf(w->out, "%s: only in %s\n", path, w->name_b);
            w->differ++;
            note(w, path, DIFF_ONLY_B, NULL, NULL);
        }
        return 0;
    }
    struct values a, b;
    int ra = read_values(w->fa, path, &a), rb = read_values(w->fb, path, &b);
    if (ra < 0 || rb < 0) {
        fprintf(stderr, "govsim: cannot read %s\n", path);
        w->failed = 1;
    } else if (rb == 1) {
        fprintf(w->out, "%s: only in %s\n", path, w->name_a);
        w->differ++;
        note(w, path, DIFF_ONLY_A, NULL, NULL);
    } else if (compare_output(path, &a, &b, w->o, w->out)) {
        w->differ++;
        note(w, path, same_shape(&a, &b) ? DIFF_DIFFERS : DIFF_SHAPE, &a, &b);
    } else {
        w->same++;
        note(w, path, DIFF_SAME, &a, &b);
    }
    values_free(&a);
    values_free(&b);
    return w->failed ? -1 : 0;
}

/* Hands one output to o->record, when set: its status and the size of its differences. */
static void note(const struct walk *w, const char *path, enum diff_status st,
                 const struct values *a, const struct values *b)
{
    if (!w->o->record)
        return;
    struct diff_record r = {path, st, 0, 0, NAN, NAN};
    if (st == DIFF_SAME || st == DIFF_DIFFERS) {
        r.n = a->n;
        if (a->text)
            r.n_differ = strcmp(a->text, b->text) != 0;
        else
            r.max_abs = r.max_rel = 0;
        for (size_t i = 0; a->num && i < a->n; i++) {
            double x = a->num[i], y = b->num[i];
            double d = isnan(x) && isnan(y) ? 0 : isnan(x) || isnan(y) ? INFINITY : fabs(x - y);
            double rel = d == 0 ? 0 : y != 0 ? d / fabs(y) : INFINITY;
            r.n_differ += !agree(x, y, w->o);
            r.max_abs = d > r.max_abs ? d : r.max_abs;
            r.max_rel = rel > r.max_rel ? rel : r.max_rel;
        }
    }
    w->o->record(&r, w->o->ctx);
}

static int walk_group(struct walk *w, hid_t file, const char *group)
{
    w->group = group;
    if (H5Lexists(file, group, H5P_DEFAULT) <= 0)
        return 0;
    hid_t g = H5Gopen2(file, group, H5P_DEFAULT);
    if (g < 0)
        return -1;
    hsize_t idx = 0;
    herr_t rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, visit, w);
    H5Gclose(g);
    return rc < 0 ? -1 : 0;
}

static hid_t open_result(const char *path, struct gs_error *err)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        gs_error_set(err, "%s: cannot open as HDF5 (missing, unreadable or not an HDF5 file)", path);
        return -1;
    }
    if (H5Aexists(f, "schema_version") <= 0) {
        H5Fclose(f);
        gs_error_set(err, "%s: not a govsim result file (no schema_version attribute)", path);
        return -1;
    }
    return f;
}

int diff_files(const char *a, const char *b, const struct diff_opts *o, FILE *out,
               struct gs_error *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fa = open_result(a, err);
    if (fa < 0)
        return -1;
    hid_t fb = open_result(b, err);
    if (fb < 0) {
        H5Fclose(fa);
        return -1;
    }
    struct walk w = {.fa = fa, .fb = fb, .name_a = a, .name_b = b, .o = o, .out = out};
    int rc = 0;
    for (size_t i = 0; i < sizeof result_groups / sizeof *result_groups && rc == 0; i++) {
        w.second_pass = 0;
        rc = walk_group(&w, fa, result_groups[i]);
        w.second_pass = 1;
        if (rc == 0)
            rc = walk_group(&w, fb, result_groups[i]);
    }
    H5Fclose(fa);
    H5Fclose(fb);
    if (rc != 0 || w.failed)
        return gs_error_set(err, "reading '%s' or '%s' failed", a, b);
    fprintf(out, "%d output%s differ%s beyond tolerance (rtol %g, atol %g), %d agree\n", w.differ,
            w.differ == 1 ? "" : "s", w.differ == 1 ? "s" : "", o->rtol, o->atol, w.same);
    return w.differ;
}
