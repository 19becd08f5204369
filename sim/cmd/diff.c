/* diff.c: `govsim diff A.h5 B.h5`: which outputs changed, and by how much.
 *
 * Every dataset of every group of the two files is compared (any depth: /summary,
 * /levels, /categories, /events, /timeseries, /parameters of a run; /design, /results,
 * /status, /sweep of a sweep; /comparison, /scenarios of a comparison; /calibration of
 * a calibration), and so are the attributes of the root, which say what the file is.
 * Only what differs from run to run of the same computation is left out: /provenance
 * (times, host, command line) and a sweep's /status/wall_seconds. Two files of
 * different kinds (run, sweep, compare, calibration) or schema versions are refused. */
#include "diff.h"

#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "io_h5.h"
#include "sweep.h"

/* Not results: they differ between two runs of the same computation. */
/* Not results: provenance, and the CF attributes that repeat it (source: program and
 * revision; history: start time and command line). */
/* Not results; the digests are checked against the content instead (check_digest). */
static const char *const ignored[] = {"/provenance", "/status/wall_seconds", "/@source", "/@history",
                                      "/@result_digest", "/status/result_digest"};

enum vclass { V_NUM, V_STR, V_RAW };

struct values {
    int rank;
    hsize_t dims[H5S_MAX_RANK];
    size_t n;
    enum vclass cls;
    double *num;     /* V_NUM */
    char **str;      /* V_STR: n strings */
    unsigned char *raw;   /* V_RAW: n elements of `size` bytes */
    size_t size;
    hid_t rawtype;   /* V_RAW: its memory type (compared as well) */
};

static void values_free(struct values *v)
{
    free(v->num);
    if (v->str)
        for (size_t i = 0; i < v->n; i++)
            free(v->str[i]);
    free(v->str);
    free(v->raw);
    if (v->rawtype > 0)
        H5Tclose(v->rawtype);
    memset(v, 0, sizeof *v);
}

/* Reads dataset (is_attr 0) or attribute (1) `obj` into v; 0 or -1 on error. Numbers
 * of any integer or float type become doubles; strings (fixed or variable length,
 * any rank) become C strings; anything else (compounds, enums) is compared byte for
 * byte in its native memory form, unless it holds variable-length data. */
static int read_object(hid_t obj, int is_attr, struct values *v)
{
    memset(v, 0, sizeof *v);
    hid_t space = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    hid_t type = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    hid_t mt = -1;
    int rc = -1;
    if (space < 0 || type < 0)
        goto done;
    v->rank = H5Sget_simple_extent_ndims(space);
    if (v->rank < 0 || v->rank > H5S_MAX_RANK)
        goto done;
    H5Sget_simple_extent_dims(space, v->dims, NULL);
    v->n = 1;
    for (int k = 0; k < v->rank; k++)
        v->n *= (size_t)v->dims[k];
    if (H5Sget_simple_extent_type(space) == H5S_NULL)
        v->n = 0;
    H5T_class_t cls = H5Tget_class(type);
    if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
        v->cls = V_NUM;
        v->num = gs_malloc((v->n ? v->n : 1) * sizeof(double));
        if (v->n == 0)
            rc = 0;
        else
            rc = (is_attr ? H5Aread(obj, H5T_NATIVE_DOUBLE, v->num)
                          : H5Dread(obj, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->num)) < 0
                     ? -1 : 0;
    } else if (cls == H5T_STRING) {
        v->cls = V_STR;
        v->str = gs_calloc(v->n ? v->n : 1, sizeof(char *));
        htri_t var = H5Tis_variable_str(type);
        if (var < 0)
            goto done;
        mt = H5Tcopy(type);
        if (var) {
            char **p = gs_calloc(v->n ? v->n : 1, sizeof(char *));
            if (v->n == 0 || (is_attr ? H5Aread(obj, mt, p)
                                      : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, p)) >= 0) {
                for (size_t i = 0; i < v->n; i++)
                    v->str[i] = gs_strdup(p[i] ? p[i] : "");
                if (v->n)
                    H5Dvlen_reclaim(mt, space, H5P_DEFAULT, p);
                rc = 0;
            }
            free(p);
        } else {
            size_t len = H5Tget_size(type);
            char *buf = gs_calloc(v->n ? v->n : 1, len);
            if (v->n == 0 || (is_attr ? H5Aread(obj, mt, buf)
                                      : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf)) >= 0) {
                for (size_t i = 0; i < v->n; i++) {
                    v->str[i] = gs_calloc(len + 1, 1);
                    memcpy(v->str[i], buf + i * len, len);
                }
                rc = 0;
            }
            free(buf);
        }
    } else if (H5Tdetect_class(type, H5T_VLEN) <= 0 && H5Tdetect_class(type, H5T_STRING) <= 0 &&
               H5Tdetect_class(type, H5T_REFERENCE) <= 0) {
        v->cls = V_RAW;
        v->rawtype = H5Tget_native_type(type, H5T_DIR_ASCEND);
        v->size = v->rawtype > 0 ? H5Tget_size(v->rawtype) : 0;
        if (v->size > 0) {
            v->raw = gs_calloc(v->n ? v->n : 1, v->size);
            rc = v->n == 0 || (is_attr ? H5Aread(obj, v->rawtype, v->raw)
                                       : H5Dread(obj, v->rawtype, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                                 v->raw)) >= 0 ? 0 : -1;
        }
    }
done:
    if (mt >= 0)
        H5Tclose(mt);
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

static int same_shape(const struct values *a, const struct values *b)
{
    if (a->rank != b->rank || a->cls != b->cls || a->n != b->n)
        return 0;
    for (int k = 0; k < a->rank; k++)
        if (a->dims[k] != b->dims[k])
            return 0;
    if (a->cls == V_RAW && (a->size != b->size || H5Tequal(a->rawtype, b->rawtype) <= 0))
        return 0;
    return 1;
}

static int agree(double a, double b, const struct diff_opts *o)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b || fabs(a - b) <= o->atol + o->rtol * fabs(b);
}

static void index_text(const struct values *v, size_t flat, char *at, size_t n)
{
    size_t idx[H5S_MAX_RANK] = {0}, rest = flat;
    for (int k = v->rank - 1; k >= 0; k--) {   /* flat index -> [i, j, ...] */
        idx[k] = rest % v->dims[k];
        rest /= v->dims[k];
    }
    size_t used = 0;
    at[0] = '\0';
    for (int k = 0; k < v->rank && used < n; k++)
        used += (size_t)snprintf(at + used, n - used, "%s%zu", k ? ", " : "", idx[k]);
}

/* Compares one output present in both files; prints a line if it differs. */
static int compare_output(const char *path, const struct values *a, const struct values *b,
                          const struct diff_opts *o, FILE *out)
{
    if (!same_shape(a, b)) {
        fprintf(out, "%s: shape or type differs\n", path);
        return 1;
    }
    size_t bad = 0, worst = 0;
    double max_abs = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->cls == V_NUM) {
            if (agree(a->num[i], b->num[i], o))
                continue;
            double d = isnan(a->num[i]) || isnan(b->num[i]) ? INFINITY : fabs(a->num[i] - b->num[i]);
            if (bad++ == 0 || d > max_abs) {
                max_abs = d;
                worst = i;
            }
        } else if (a->cls == V_STR ? strcmp(a->str[i], b->str[i]) != 0
                                   : memcmp(a->raw + i * a->size, b->raw + i * b->size, a->size) != 0) {
            if (bad++ == 0)
                worst = i;
        }
    }
    if (bad == 0) {
        if (o->verbose)
            fprintf(out, "%s: same\n", path);
        return 0;
    }
    char at[256];
    index_text(a, worst, at, sizeof at);
    if (a->cls == V_STR) {
        if (a->n == 1)
            fprintf(out, "%s: '%s' -> '%s'\n", path, a->str[0], b->str[0]);
        else
            fprintf(out, "%s: %zu of %zu values differ; first at [%s]: '%s' -> '%s'\n", path, bad,
                    a->n, at, a->str[worst], b->str[worst]);
        return 1;
    }
    if (a->cls == V_RAW) {
        fprintf(out, "%s: %zu of %zu values differ; first at [%s]\n", path, bad, a->n, at);
        return 1;
    }
    double x = a->num[worst], y = b->num[worst];
    if (a->n == 1)
        fprintf(out, "%s: %.10g -> %.10g (change %+.6g, %+.3g%%)\n", path, x, y, y - x,
                x != 0 ? 100 * (y - x) / fabs(x) : INFINITY);
    else
        fprintf(out, "%s: %zu of %zu values differ; largest change %.10g -> %.10g (%+.6g) at [%s]\n",
                path, bad, a->n, x, y, y - x, at);
    return 1;
}

struct walk {
    hid_t fa, fb;
    const char *name_a, *name_b;
    const struct diff_opts *o;
    FILE *out;
    int differ, same, failed;
    int second_pass;   /* walking b for outputs missing from a */
    char path[1024];   /* the group being walked, "" for the root */
    char groups[512];  /* the top-level groups compared, for the report */
};

static int is_ignored(const char *path)
{
    for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++)
        if (strcmp(path, ignored[i]) == 0)
            return 1;
    return 0;
}

/* Hands one output to o->record, when set: its status and the size of its differences
 * (diff_report.c formats them as JSON or JUnit). */
static void note(const struct walk *w, const char *path, enum diff_status st,
                 const struct values *a, const struct values *b)
{
    if (!w->o->record)
        return;
    struct diff_record r = {path, st, 0, 0, NAN, NAN};
    if ((st == DIFF_SAME || st == DIFF_DIFFERS) && same_shape(a, b)) {
        r.n = a->n;
        if (a->cls == V_NUM)
            r.max_abs = r.max_rel = 0;
        for (size_t i = 0; i < a->n; i++) {
            if (a->cls == V_STR) {
                r.n_differ += strcmp(a->str[i], b->str[i]) != 0;
                continue;
            }
            if (a->cls == V_RAW) {
                r.n_differ += memcmp(a->raw + i * a->size, b->raw + i * a->size, a->size) != 0;
                continue;
            }
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

static int walk_group(struct walk *w);

/* 1 if path names a group in f, 0 if a dataset (or other object), -1 if absent. */
static int object_kind(hid_t f, const char *path)
{
    if (H5Lexists(f, path, H5P_DEFAULT) <= 0)
        return -1;
    hid_t obj = H5Oopen(f, path, H5P_DEFAULT);
    if (obj < 0)
        return -1;
    int g = H5Iget_type(obj) == H5I_GROUP;
    H5Oclose(obj);
    return g;
}

/* Compares the values read from object oa (in A) and ob (in B), datasets or root
 * attributes (is_attr), counts the output and hands it to note(). */
static void compare_objects(struct walk *w, const char *path, hid_t oa, hid_t ob, int is_attr)
{
    struct values a, b;
    int ra = oa < 0 ? -1 : read_object(oa, is_attr, &a);
    int rb = ob < 0 ? -1 : read_object(ob, is_attr, &b);
    if (ra < 0 || rb < 0) {
        fprintf(stderr, "govsim: cannot read or compare %s of %s\n", path,
                ra < 0 ? w->name_a : w->name_b);
        w->failed = 1;
    } else if (compare_output(path, &a, &b, w->o, w->out)) {
        w->differ++;
        note(w, path, same_shape(&a, &b) ? DIFF_DIFFERS : DIFF_SHAPE, &a, &b);
    } else {
        w->same++;
        note(w, path, DIFF_SAME, &a, &b);
    }
    if (ra == 0)
        values_free(&a);
    if (rb == 0)
        values_free(&b);
}

static void compare_dataset(struct walk *w, const char *path)
{
    hid_t da = H5Dopen2(w->fa, path, H5P_DEFAULT), db = H5Dopen2(w->fb, path, H5P_DEFAULT);
    compare_objects(w, path, da, db, 0);
    if (da >= 0)
        H5Dclose(da);
    if (db >= 0)
        H5Dclose(db);
}

static herr_t visit(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    struct walk *w = data;
    size_t len = strlen(w->path);
    if (len + 1 + strlen(name) + 1 > sizeof w->path) {
        fprintf(stderr, "govsim: object path too long: %s/%s\n", w->path, name);
        w->failed = 1;
        return -1;
    }
    snprintf(w->path + len, sizeof w->path - len, "/%s", name);
    int rc = 0;
    hid_t self = w->second_pass ? w->fb : w->fa, other = w->second_pass ? w->fa : w->fb;
    int kind = object_kind(self, w->path), other_kind = object_kind(other, w->path);
    if (is_ignored(w->path)) {
        /* not a result */
    } else if (other_kind < 0) {
        fprintf(w->out, "%s: only in %s\n", w->path, w->second_pass ? w->name_b : w->name_a);
        w->differ++;
        note(w, w->path, w->second_pass ? DIFF_ONLY_B : DIFF_ONLY_A, NULL, NULL);
    } else if (kind != other_kind) {
        if (!w->second_pass) {
            fprintf(w->out, "%s: a group in one file, a dataset in the other\n", w->path);
            w->differ++;
            note(w, w->path, DIFF_SHAPE, NULL, NULL);
        }
    } else if (kind == 1) {
        if (len == 0 && !w->second_pass) {
            size_t used = strlen(w->groups);
            snprintf(w->groups + used, sizeof w->groups - used, "%s%s", used ? " " : "", w->path);
        }
        rc = walk_group(w);
    } else if (!w->second_pass) {
        compare_dataset(w, w->path);
    }
    w->path[len] = '\0';
    return rc < 0 || w->failed ? -1 : 0;
}

static int walk_group(struct walk *w)
{
    hid_t g = H5Gopen2(w->second_pass ? w->fb : w->fa, w->path[0] ? w->path : "/", H5P_DEFAULT);
    if (g < 0)
        return -1;
    hsize_t idx = 0;
    herr_t rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, visit, w);
    H5Gclose(g);
    return rc < 0 ? -1 : 0;
}

/* The attributes of the root group: what the file is (kind, schema, sweep hash...). */
static herr_t visit_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    struct walk *w = data;
    char path[300];
    snprintf(path, sizeof path, "/@%s", name);
    if (is_ignored(path))
        return 0;
    hid_t other = loc == w->fa ? w->fb : w->fa;   /* loc is the root of the file walked */
    if (H5Aexists(other, name) <= 0) {
        fprintf(w->out, "%s: only in %s\n", path, w->second_pass ? w->name_b : w->name_a);
        w->differ++;
        note(w, path, w->second_pass ? DIFF_ONLY_B : DIFF_ONLY_A, NULL, NULL);
        return 0;
    }
    if (w->second_pass)
        return 0;
    hid_t aa = H5Aopen(w->fa, name, H5P_DEFAULT), ab = H5Aopen(w->fb, name, H5P_DEFAULT);
    compare_objects(w, path, aa, ab, 1);
    if (aa >= 0)
        H5Aclose(aa);
    if (ab >= 0)
        H5Aclose(ab);
    return w->failed ? -1 : 0;
}

static int walk_attrs(struct walk *w)
{
    hsize_t idx = 0;
    return H5Aiterate2(w->second_pass ? w->fb : w->fa, H5_INDEX_NAME, H5_ITER_INC, &idx,
                       visit_attr, w) < 0 ? -1 : 0;
}

/* What a govsim file is: "run", "sweep", "compare" or "calibration", and its schema. */
static int file_kind(hid_t f, char *kind, size_t n, long long *schema)
{
    *schema = -1;
    if (H5Aexists(f, "schema_version") > 0) {
        hid_t a = H5Aopen(f, "schema_version", H5P_DEFAULT);
        if (a < 0 || H5Aread(a, H5T_NATIVE_LLONG, schema) < 0)
            *schema = -1;
        if (a >= 0)
            H5Aclose(a);
    }
    snprintf(kind, n, "run");
    if (H5Aexists(f, "kind") > 0) {
        hid_t a = H5Aopen(f, "kind", H5P_DEFAULT);
        struct values v;
        if (a >= 0 && read_object(a, 1, &v) == 0) {
            if (v.cls == V_STR && v.n == 1)
                snprintf(kind, n, "%s", v.str[0]);
            values_free(&v);
        }
        if (a >= 0)
            H5Aclose(a);
    } else if (H5Aexists(f, "format") > 0) {
        snprintf(kind, n, "sweep");
    }
    return 0;
}

/* A file whose stored result digest does not match its content is corrupted
 * (io_check_digest; a sweep file: sweep_io_check_digests); files that record no
 * digest (older schemas) pass. Returns 0, or -1 with err. */
static int check_digest(hid_t f, const char *path, struct gs_error *err)
{
    uint64_t stored, computed;
    char a[17], b[17];
    if (io_check_digest(f, &stored, &computed) == 0) {
        digest_format(stored, a);
        digest_format(computed, b);
        return gs_error_set(err, "file %s is corrupted: digest mismatch (result_digest %s records "
                            "results whose digest is %s now)", path, a, b);
    }
    long long run = sweep_io_check_digests(f);
    if (run >= 0)
        return gs_error_set(err, "file %s is corrupted: digest mismatch in the results of run %lld",
                            path, run);
    return 0;
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
    if (check_digest(f, path, err) != 0) {
        H5Fclose(f);
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
    char ka[32], kb[32];
    long long sa, sb;
    file_kind(fa, ka, sizeof ka, &sa);
    file_kind(fb, kb, sizeof kb, &sb);
    if (strcmp(ka, kb) != 0 || sa != sb) {
        H5Fclose(fa);
        H5Fclose(fb);
        return gs_error_set(err, "cannot compare a %s file (schema %lld), '%s', with a %s file "
                            "(schema %lld), '%s': both must be of the same kind and schema",
                            ka, sa, a, kb, sb, b);
    }
    struct walk w = {.fa = fa, .fb = fb, .name_a = a, .name_b = b, .o = o, .out = out};
    int rc = 0;
    for (w.second_pass = 0; w.second_pass < 2 && rc == 0 && !w.failed; w.second_pass++) {
        rc = walk_attrs(&w);
        w.path[0] = '\0';
        if (rc == 0 && !w.failed)
            rc = walk_group(&w);
    }
    H5Fclose(fa);
    H5Fclose(fb);
    if (rc != 0 || w.failed)
        return gs_error_set(err, "reading '%s' or '%s' failed", a, b);
    fprintf(out, "compared %s files (schema %lld): %d outputs, the root attributes and every "
            "dataset of %s (ignored: /provenance, /status/wall_seconds, the attributes source and history)\n",
            ka, sa, w.differ + w.same, w.groups[0] ? w.groups : "(no group)");
    fprintf(out, "%d output%s differ%s beyond tolerance (rtol %g, atol %g), %d agree\n", w.differ,
            w.differ == 1 ? "" : "s", w.differ == 1 ? "s" : "", o->rtol, o->atol, w.same);
    return w.differ;
}
