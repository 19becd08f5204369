/* export.c: `govsim export FILE.h5 --format csv|netcdf [-o DIR]`: the tables of a
 * run, sweep, comparison or calibration file as tidy CSV files (one header line,
 * `name [unit]`), or all of them in one netCDF-4 file (HDF5 with dimension
 * scales, one group per table). Layout in docs/output.md, section "Export".
 *
 * Every output file is written under a temporary name and renamed only when every
 * table is written, so a failure leaves nothing behind. */
#include <errno.h>
#include <getopt.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmdutil.h"
#include "commands.h"
#include "io.h"
#include "io_h5.h"

static const char *usage_export =
    "Usage: govsim export FILE.h5 --format csv|netcdf [-o DIR]\n"
    "\n"
    "Writes the tables of a govsim result file (run, sweep, compare or calibrate)\n"
    "for tools that do not read HDF5 groups: R, polars, DuckDB, spreadsheets.\n"
    "  --format csv       one tidy CSV file per table, DIR/STEM-TABLE.csv (STEM = FILE\n"
    "                     without .h5); one header line, numeric columns named\n"
    "                     `name [unit]`; NaN written as an empty field\n"
    "  --format netcdf    every table in one netCDF-4 file DIR/STEM.nc, a group per table\n"
    "  -o, --output DIR   directory to write into (must exist; default: current directory)\n"
    "  -h, --help         this text\n"
    "Tables: run: summary, parameters, levels, categories, timeseries;\n"
    "sweep: runs (one row per run: design, parameters, outputs), timeseries;\n"
    "compare: comparison, replicates; calibrate: parameters, targets, candidates.\n"
    "Exit status: 0 written, 1 write failure, 2 bad usage, missing or unsupported file.\n";

/* ---- tables ---- */

enum col_kind { COL_REAL, COL_INT, COL_TEXT };

struct column {
    char *name, *unit, *desc;
    enum col_kind kind;
    double *v;   /* COL_REAL, COL_INT */
    char **s;    /* COL_TEXT */
};

struct table {
    const char *name;   /* file suffix and netCDF group */
    const char *dim;    /* netCDF dimension of the rows */
    const char *desc;
    size_t nrows, ncols;
    struct column *c;
};

#define MAX_COLUMNS 8192

struct export_set {
    struct table t[8];
    int n;
};

static struct table *new_table(struct export_set *es, const char *name, const char *dim,
                               size_t nrows, const char *desc)
{
    GS_ASSERT(es->n < 8);
    struct table *t = &es->t[es->n++];
    memset(t, 0, sizeof *t);
    t->name = name, t->dim = dim, t->nrows = nrows, t->desc = desc;
    t->c = gs_calloc(MAX_COLUMNS, sizeof *t->c);   /* never moved: column pointers stay valid */
    return t;
}

static struct column *add_col(struct table *t, const char *name, const char *unit,
                              const char *desc, enum col_kind kind)
{
    GS_ASSERT(t->ncols < MAX_COLUMNS);
    struct column *c = &t->c[t->ncols++];
    c->name = gs_strdup(name);
    c->unit = gs_strdup(unit ? unit : "");
    c->desc = gs_strdup(desc && *desc ? desc : name);
    c->kind = kind;
    c->v = kind == COL_TEXT ? NULL : gs_calloc(t->nrows ? t->nrows : 1, sizeof *c->v);
    c->s = kind == COL_TEXT ? gs_calloc(t->nrows ? t->nrows : 1, sizeof *c->s) : NULL;
    return c;
}

static void free_set(struct export_set *es)
{
    for (int i = 0; i < es->n; i++) {
        struct table *t = &es->t[i];
        for (size_t k = 0; k < t->ncols; k++) {
            struct column *c = &t->c[k];
            if (c->s)
                for (size_t r = 0; r < t->nrows; r++)
                    free(c->s[r]);
            free(c->s);
            free(c->v);
            free(c->name);
            free(c->unit);
            free(c->desc);
        }
        free(t->c);
    }
    es->n = 0;
}

/* ---- reading the HDF5 file ---- */

/* Set on the first failed read; the export then stops with "damaged or incomplete". */
static char read_failure[512];

static void failed(const char *what)
{
    if (!read_failure[0])
        snprintf(read_failure, sizeof read_failure, "%s", what);
}

static char *attr_text(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT), ft = a >= 0 ? H5Aget_type(a) : -1;
    char *out = NULL;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_cset(mt, H5Tget_cset(ft));
        if (H5Tis_variable_str(ft) > 0) {
            char *v = NULL;
            H5Tset_size(mt, H5T_VARIABLE);
            if (H5Aread(a, mt, &v) >= 0 && v) {
                out = gs_strdup(v);
                H5free_memory(v);
            }
        } else {
            size_t n = H5Tget_size(ft);
            out = gs_calloc(n + 1, 1);
            H5Tset_size(mt, n + 1);
            if (H5Aread(a, mt, out) < 0) {
                free(out);
                out = NULL;
            }
        }
        H5Tclose(mt);
    }
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return out;
}

/* units / description attribute of dataset `name` in loc ("" if absent). */
static char *ds_attr(hid_t loc, const char *name, const char *attr)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    char *v = d >= 0 ? attr_text(d, attr) : NULL;
    if (d >= 0)
        H5Dclose(d);
    return v ? v : gs_strdup("");
}

/* A numeric dataset as doubles; rank and dims (up to 3) returned. NULL if absent. */
static double *read_num(hid_t loc, const char *name, int *rank, hsize_t *dims, int *integer)
{
    hid_t d = H5Lexists(loc, name, H5P_DEFAULT) > 0 ? H5Dopen2(loc, name, H5P_DEFAULT) : -1;
    if (d < 0) {
        failed(name);
        return NULL;
    }
    hid_t space = H5Dget_space(d), type = H5Dget_type(d);
    double *v = NULL;
    int r = H5Sget_simple_extent_ndims(space);
    H5T_class_t cls = H5Tget_class(type);
    if (r >= 0 && r <= 3 && (cls == H5T_INTEGER || cls == H5T_FLOAT)) {
        hsize_t dd[3] = {1, 1, 1};
        H5Sget_simple_extent_dims(space, dd, NULL);
        size_t n = 1;
        for (int k = 0; k < r; k++)
            n *= dd[k];
        v = gs_malloc((n ? n : 1) * sizeof *v);
        if (n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            free(v);
            v = NULL;
        }
        if (rank) *rank = r;
        if (dims) memcpy(dims, dd, sizeof dd);
        if (integer) *integer = cls == H5T_INTEGER;
    }
    if (!v)
        failed(name);
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(d);
    return v;
}

/* A string dataset (scalar or 1-d, variable length) as n strings. NULL if absent. */
static char **read_strings(hid_t loc, const char *name, size_t *n)
{
    hid_t d = H5Lexists(loc, name, H5P_DEFAULT) > 0 ? H5Dopen2(loc, name, H5P_DEFAULT) : -1;
    if (d < 0) {
        failed(name);
        return NULL;
    }
    hid_t space = H5Dget_space(d), type = H5Dget_type(d), mt = H5Tcopy(H5T_C_S1);
    char **out = NULL;
    hssize_t np = H5Sget_simple_extent_npoints(space);
    if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 && np >= 0) {
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(type));
        char **raw = gs_calloc((size_t)np + 1, sizeof *raw);
        if (np == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0) {
            out = gs_calloc((size_t)np + 1, sizeof *out);
            for (hssize_t i = 0; i < np; i++)
                out[i] = gs_strdup(raw[i] ? raw[i] : "");
            if (np > 0)
                H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
            *n = (size_t)np;
        }
        free(raw);
    }
    if (!out)
        failed(name);
    H5Tclose(mt);
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(d);
    return out;
}

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

/* Space-separated words of a text attribute (labels). */
static char **split_words(const char *text, size_t *n)
{
    char *copy = gs_strdup(text ? text : ""), *save = NULL;
    char **out = NULL;
    *n = 0;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        out = gs_realloc(out, (*n + 1) * sizeof *out);
        out[(*n)++] = gs_strdup(w);
    }
    free(copy);
    return out;
}

struct members {
    char **name;
    size_t n;
    int want;   /* H5O_TYPE_DATASET or H5O_TYPE_GROUP */
};

static herr_t collect(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    struct members *m = data;
    H5O_info_t oi;
    if (H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) < 0 || (int)oi.type != m->want)
        return 0;
    if (m->want == H5O_TYPE_DATASET) {   /* dimension scales are coordinates, not outputs */
        hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
        int scale = d >= 0 && H5DSis_scale(d) > 0;
        if (d >= 0)
            H5Dclose(d);
        if (scale)
            return 0;
    }
    m->name = gs_realloc(m->name, (m->n + 1) * sizeof *m->name);
    m->name[m->n++] = gs_strdup(name);
    return 0;
}

/* Datasets (not scales) or groups of group `path`, in name order. */
static struct members list(hid_t f, const char *path, int want)
{
    struct members m = {NULL, 0, want};
    hid_t g = H5Lexists(f, path, H5P_DEFAULT) > 0 ? H5Gopen2(f, path, H5P_DEFAULT) : -1;
    if (g < 0) {
        failed(path);
        return m;
    }
    hsize_t idx = 0;
    H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &m);
    H5Gclose(g);
    return m;
}

static void free_members(struct members *m)
{
    free_strings(m->name, m->n);
    m->name = NULL;
    m->n = 0;
}

/* Adds column `col` from the 1-d numeric dataset loc/name of t->nrows values, with its
 * units (unless `no_unit`) and description. */
static int col_from(struct table *t, hid_t loc, const char *name, const char *col, int no_unit)
{
    int rank, integer;
    hsize_t dims[3];
    double *v = read_num(loc, name, &rank, dims, &integer);
    if (!v || rank != 1 || dims[0] != t->nrows) {
        free(v);
        failed(name);
        return -1;
    }
    char *unit = no_unit ? gs_strdup("") : ds_attr(loc, name, "units"),
         *desc = ds_attr(loc, name, "description");
    struct column *c = add_col(t, col ? col : name, unit, desc, integer ? COL_INT : COL_REAL);
    memcpy(c->v, v, t->nrows * sizeof *v);
    free(v);
    free(unit);
    free(desc);
    return 0;
}

static int text_from(struct table *t, hid_t loc, const char *name, const char *col)
{
    size_t n = 0;
    char **s = read_strings(loc, name, &n);
    if (!s || n != t->nrows) {
        free_strings(s, n);
        failed(name);
        return -1;
    }
    char *desc = ds_attr(loc, name, "description");
    struct column *c = add_col(t, col ? col : name, "", desc, COL_TEXT);
    memcpy(c->s, s, n * sizeof *s);
    free(s);
    free(desc);
    return 0;
}

static struct column *index_col(struct table *t, const char *name, const char *desc)
{
    struct column *c = add_col(t, name, "", desc, COL_INT);
    for (size_t r = 0; r < t->nrows; r++)
        c->v[r] = (double)r;
    return c;
}

/* ---- run files ---- */

static void run_summary(struct export_set *es, hid_t f)
{
    struct members m = list(f, "summary", H5O_TYPE_DATASET);
    size_t n = 0;
    double *val = gs_malloc((m.n + 1) * sizeof *val);
    char **names = gs_malloc((m.n + 1) * sizeof *names);
    for (size_t i = 0; i < m.n; i++) {
        int rank = -1;
        char path[512];
        snprintf(path, sizeof path, "summary/%s", m.name[i]);
        double *v = read_num(f, path, &rank, NULL, NULL);
        if (v && rank == 0) {
            val[n] = v[0];
            names[n++] = m.name[i];
        }
        free(v);
    }
    struct table *t = new_table(es, "summary", "output", n,
                                "The scalar outputs of /summary, one row each");
    struct column *cn = add_col(t, "name", "", "Name of the output (dataset in /summary)", COL_TEXT),
                  *cv = add_col(t, "value", "", "Value, in the units of the row", COL_REAL),
                  *cu = add_col(t, "units", "", "Units of the value", COL_TEXT),
                  *cd = add_col(t, "description", "", "What the output means", COL_TEXT);
    for (size_t r = 0; r < n; r++) {
        char path[512];
        snprintf(path, sizeof path, "summary/%s", names[r]);
        cn->s[r] = gs_strdup(names[r]);
        cv->v[r] = val[r];
        cu->s[r] = ds_attr(f, path, "units");
        cd->s[r] = ds_attr(f, path, "description");
    }
    free(val);
    free(names);
    free_members(&m);
}

static void run_parameters(struct export_set *es, hid_t f)
{
    struct members m = list(f, "parameters", H5O_TYPE_DATASET);
    struct table *t = new_table(es, "parameters", "parameter", m.n,
                                "Every parameter of the run, one row each");
    struct column *cn = add_col(t, "name", "", "Parameter key", COL_TEXT),
                  *cv = add_col(t, "value", "", "Value used (numbers in full precision)", COL_TEXT),
                  *cu = add_col(t, "units", "", "Units of the value", COL_TEXT),
                  *cs = add_col(t, "source", "", "default, file or --set", COL_TEXT);
    hid_t g = H5Gopen2(f, "parameters", H5P_DEFAULT);
    for (size_t r = 0; r < m.n && g >= 0; r++) {
        size_t ns = 0;
        hid_t d = H5Dopen2(g, m.name[r], H5P_DEFAULT), type = d >= 0 ? H5Dget_type(d) : -1;
        int text = type >= 0 && H5Tget_class(type) == H5T_STRING;
        if (type >= 0) H5Tclose(type);
        if (d >= 0) H5Dclose(d);
        cn->s[r] = gs_strdup(m.name[r]);
        if (text) {
            char **s = read_strings(g, m.name[r], &ns);
            cv->s[r] = gs_strdup(s && ns ? s[0] : "");
            free_strings(s, ns);
        } else {
            double *v = read_num(g, m.name[r], NULL, NULL, NULL);
            char buf[64] = "";
            if (v)
                snprintf(buf, sizeof buf, "%.17g", v[0]);
            cv->s[r] = gs_strdup(buf);
            free(v);
        }
        cu->s[r] = ds_attr(g, m.name[r], "units");
        cs->s[r] = ds_attr(g, m.name[r], "source");
    }
    if (g >= 0)
        H5Gclose(g);
    free_members(&m);
}

/* levels or categories of a run: one row per index, the label, every field. */
static void run_indexed(struct export_set *es, hid_t f, const char *group, const char *dim,
                        const char *desc)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", group, dim);
    hid_t d = H5Lexists(f, group, H5P_DEFAULT) > 0 && H5Lexists(f, path, H5P_DEFAULT) > 0
                  ? H5Dopen2(f, path, H5P_DEFAULT) : -1;
    char *labels = d >= 0 ? attr_text(d, "labels") : NULL;
    if (d >= 0)
        H5Dclose(d);
    if (!labels) {
        failed(path);
        return;
    }
    size_t n;
    char **words = split_words(labels, &n);
    free(labels);
    struct table *t = new_table(es, group, dim, n, desc);
    char label_col[64];
    snprintf(label_col, sizeof label_col, "%s_name", dim);
    index_col(t, dim, "Index along the dimension");
    struct column *cl = add_col(t, label_col, "", "Name of the row", COL_TEXT);
    for (size_t r = 0; r < n; r++)
        cl->s[r] = words[r];
    free(words);
    struct members m = list(f, group, H5O_TYPE_DATASET);
    hid_t g = H5Gopen2(f, group, H5P_DEFAULT);
    for (size_t i = 0; i < m.n; i++)
        col_from(t, g, m.name[i], NULL, 0);
    H5Gclose(g);
    free_members(&m);
}

static void run_series(struct export_set *es, hid_t f)
{
    int rank;
    hsize_t nd[3], nc[3];
    double *day = read_num(f, "timeseries/day", &rank, nd, NULL);
    double *comm = read_num(f, "timeseries/community", &rank, nc, NULL);
    double *street = H5Lexists(f, "timeseries/street", H5P_DEFAULT) > 0
                         ? read_num(f, "timeseries/street", NULL, NULL, NULL) : NULL;
    if (!day || !comm) {
        free(day), free(comm), free(street);
        return;
    }
    size_t rows = nd[0], cols = nc[0];
    struct table *t = new_table(es, "timeseries", "record", rows * cols,
                                "Per-community series of /timeseries, one row per (day, community)");
    struct column *cday = add_col(t, "day", "days", "Simulated day at the end of the interval", COL_REAL),
                  *cc = add_col(t, "community", "", "Community index", COL_INT),
                  *cs = street ? add_col(t, "street", "", "Street of the community", COL_INT) : NULL;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            cday->v[i * cols + j] = day[i];
            cc->v[i * cols + j] = comm[j];
            if (cs)
                cs->v[i * cols + j] = street[j];
        }
    free(day), free(comm), free(street);
    struct members m = list(f, "timeseries", H5O_TYPE_DATASET);
    hid_t g = H5Gopen2(f, "timeseries", H5P_DEFAULT);
    for (size_t i = 0; i < m.n; i++) {
        hsize_t dims[3];
        int integer;
        if (!strcmp(m.name[i], "street") || !strcmp(m.name[i], "district"))
            continue;   /* coordinates, exported above */
        double *v = read_num(g, m.name[i], &rank, dims, &integer);
        if (v && rank == 2 && dims[0] == rows && dims[1] == cols) {
            char *unit = ds_attr(g, m.name[i], "units"), *desc = ds_attr(g, m.name[i], "description");
            struct column *c = add_col(t, m.name[i], unit, desc, integer ? COL_INT : COL_REAL);
            memcpy(c->v, v, rows * cols * sizeof *v);
            free(unit), free(desc);
        }
        free(v);
    }
    H5Gclose(g);
    free_members(&m);
}

static void tables_run(struct export_set *es, hid_t f)
{
    run_summary(es, f);
    run_parameters(es, f);
    run_indexed(es, f, "levels", "level", "/levels: one row per level of the hierarchy");
    run_indexed(es, f, "categories", "category", "/categories: one row per request category");
    run_series(es, f);
}

/* ---- sweep files ---- */

/* Each [n, k] dataset of group as k columns <field>_<label>; the labels are an
 * attribute of the group or of its scale `dim`. */
static void wide_indexed(struct table *t, hid_t f, const char *group, const char *dim,
                         const double *done)
{
    hid_t g = H5Lexists(f, group, H5P_DEFAULT) > 0 ? H5Gopen2(f, group, H5P_DEFAULT) : -1;
    char *labels = g >= 0 ? attr_text(g, "labels") : NULL;
    if (!labels && g >= 0 && H5Lexists(g, dim, H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(g, dim, H5P_DEFAULT);
        labels = d >= 0 ? attr_text(d, "labels") : NULL;
        if (d >= 0)
            H5Dclose(d);
    }
    if (!labels)
        failed(group);
    size_t nl;
    char **words = split_words(labels, &nl);
    struct members m = list(f, group, H5O_TYPE_DATASET);
    for (size_t i = 0; i < m.n && g >= 0; i++) {
        int rank, integer;
        hsize_t dims[3];
        double *v = read_num(g, m.name[i], &rank, dims, &integer);
        if (v && rank == 2 && dims[0] == t->nrows && dims[1] == nl) {
            char *unit = ds_attr(g, m.name[i], "units"), *desc = ds_attr(g, m.name[i], "description");
            for (size_t k = 0; k < nl; k++) {
                char name[256];
                snprintf(name, sizeof name, "%s_%s", m.name[i], words[k]);
                struct column *c = add_col(t, name, unit, desc, integer ? COL_INT : COL_REAL);
                for (size_t r = 0; r < t->nrows; r++)
                    c->v[r] = done && !done[r] ? NAN : v[r * nl + k];
            }
            free(unit), free(desc);
        } else {
            failed(m.name[i]);
        }
        free(v);
    }
    if (g >= 0)
        H5Gclose(g);
    free(labels);
    free_strings(words, nl);
    free_members(&m);
}

static void sweep_runs(struct export_set *es, hid_t f)
{
    int rank;
    hsize_t dims[3];
    double *id = read_num(f, "design/run_id", &rank, dims, NULL);
    if (!id)
        return;
    size_t n = dims[0];
    free(id);
    struct table *t = new_table(es, "runs", "run",  n,
                                "One row per run: design, varied parameters and every output");
    hid_t g = H5Gopen2(f, "design", H5P_DEFAULT);
    static const char *const fixed[] = {"run_id", "point_id", "replicate", "seed", "group", "step",
                                        "moved", "delta"};
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
        col_from(t, g, fixed[k], NULL, 0);
    char *params = attr_text(f, "parameters");
    size_t np;
    char **pn = split_words(params, &np);
    for (size_t k = 0; k < np; k++)
        col_from(t, g, pn[k], NULL, 0);
    free(params);
    free_strings(pn, np);
    H5Gclose(g);
    g = H5Gopen2(f, "results", H5P_DEFAULT);
    if (g < 0) {
        failed("results");
        return;
    }
    col_from(t, g, "done", NULL, 0);
    const double *done = t->c[t->ncols - 1].v;
    size_t done_col = t->ncols - 1;
    struct members m = list(f, "results", H5O_TYPE_DATASET);
    for (size_t i = 0; i < m.n; i++)
        if (strcmp(m.name[i], "done") != 0 && col_from(t, g, m.name[i], NULL, 0) == 0) {
            struct column *c = &t->c[t->ncols - 1];
            done = t->c[done_col].v;
            for (size_t r = 0; r < n; r++)
                if (!done[r])
                    c->v[r] = NAN;   /* not yet run: no value, not 0 */
        }
    free_members(&m);
    H5Gclose(g);
    double *done_copy = gs_malloc((n ? n : 1) * sizeof *done_copy);
    memcpy(done_copy, t->c[done_col].v, n * sizeof *done_copy);
    wide_indexed(t, f, "results/levels", "level", done_copy);
    wide_indexed(t, f, "results/categories", "category", done_copy);
    free(done_copy);
}

static void sweep_series(struct export_set *es, hid_t f)
{
    if (H5Lexists(f, "timeseries", H5P_DEFAULT) <= 0)
        return;
    int rank;
    hsize_t dd[3];
    double *day = read_num(f, "timeseries/day", &rank, dd, NULL);
    if (!day || rank != 2)
        return;
    struct members m = list(f, "timeseries", H5O_TYPE_DATASET);
    hid_t g = H5Gopen2(f, "timeseries", H5P_DEFAULT);
    size_t nf = 0, runs = dd[0], rows = dd[1], comms = 0;
    double **v = gs_calloc(m.n + 1, sizeof *v);
    char **fname = gs_calloc(m.n + 1, sizeof *fname);
    for (size_t i = 0; i < m.n; i++) {
        hsize_t dims[3];
        double *x = strcmp(m.name[i], "day") ? read_num(g, m.name[i], &rank, dims, NULL) : NULL;
        if (x && rank == 3 && dims[0] == runs && dims[1] == rows) {
            comms = dims[2];
            v[nf] = x;
            fname[nf++] = m.name[i];
        } else {
            free(x);
        }
    }
    /* rows that exist: day finite and some series finite (runs differ in length and size) */
    size_t count = 0, total = runs * rows * comms;
    unsigned char *keep = gs_calloc(total ? total : 1, 1);
    for (size_t r = 0; r < runs; r++)
        for (size_t w = 0; w < rows; w++)
            for (size_t c = 0; c < comms; c++) {
                size_t at = (r * rows + w) * comms + c;
                int any = 0;
                for (size_t k = 0; k < nf && !any; k++)
                    any = !isnan(v[k][at]);
                keep[at] = !isnan(day[r * rows + w]) && any;
                count += keep[at];
            }
    struct table *t = new_table(es, "timeseries", "record", count,
                                "Per-community series of every run, one row per (run, row, community)");
    struct column *cr = add_col(t, "run_id", "", "Run index", COL_INT),
                  *cw = add_col(t, "row", "", "Output row of the run", COL_INT),
                  *cd = add_col(t, "day", "days", "Simulated day at the end of the row's interval", COL_REAL),
                  *cc = add_col(t, "community", "", "Community index", COL_INT);
    struct column **cf = gs_calloc(nf + 1, sizeof *cf);
    for (size_t k = 0; k < nf; k++) {
        char *unit = ds_attr(g, fname[k], "units"), *desc = ds_attr(g, fname[k], "description");
        cf[k] = add_col(t, fname[k], unit, desc, COL_REAL);
        free(unit), free(desc);
    }
    size_t o = 0;
    for (size_t at = 0; at < total; at++) {
        if (!keep[at])
            continue;
        cr->v[o] = (double)(at / (rows * comms));
        cw->v[o] = (double)(at / comms % rows);
        cd->v[o] = day[at / comms];
        cc->v[o] = (double)(at % comms);
        for (size_t k = 0; k < nf; k++)
            cf[k]->v[o] = v[k][at];
        o++;
    }
    for (size_t k = 0; k < nf; k++)
        free(v[k]);
    free(v), free(fname), free(cf), free(keep), free(day);
    H5Gclose(g);
    free_members(&m);
}

static void tables_sweep(struct export_set *es, hid_t f)
{
    sweep_runs(es, f);
    sweep_series(es, f);
}

/* ---- comparison files ---- */

static const char *const cmp_stats[] = {"mean", "ci_low", "ci_high", "sd", "n", "diff",
                                        "diff_ci_low", "diff_ci_high", "diff_sd", "diff_n"};
#define N_CMP_STATS (sizeof cmp_stats / sizeof *cmp_stats)

struct ranked {
    char *name;
    long long rank;
};

static int by_rank(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static long long attr_int(hid_t obj, const char *name)
{
    long long v = 0;
    if (H5Aexists(obj, name) > 0) {
        hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
        if (a >= 0) {
            H5Aread(a, H5T_NATIVE_LLONG, &v);
            H5Aclose(a);
        }
    }
    return v;
}

static void cmp_table(struct export_set *es, hid_t f)
{
    size_t ns = 0;
    char **labels = read_strings(f, "comparison/label", &ns);
    if (!labels)
        return;
    struct members m = list(f, "comparison", H5O_TYPE_GROUP);
    struct ranked *o = gs_calloc(m.n + 1, sizeof *o);
    for (size_t i = 0; i < m.n; i++) {
        char path[512];
        snprintf(path, sizeof path, "comparison/%s", m.name[i]);
        hid_t g = H5Gopen2(f, path, H5P_DEFAULT);
        o[i].name = m.name[i];
        o[i].rank = g >= 0 ? attr_int(g, "rank") : 0;
        if (g >= 0)
            H5Gclose(g);
    }
    qsort(o, m.n, sizeof *o, by_rank);
    struct table *t = new_table(es, "comparison", "record", m.n * ns,
                                "One row per (output, scenario): mean, 95% interval, difference from the first scenario");
    struct column *co = add_col(t, "output", "", "Output compared", COL_TEXT),
                  *cs = add_col(t, "scenario", "", "Scenario label", COL_TEXT),
                  *ck = add_col(t, "scenario_index", "", "Scenario position on the command line (0 = reference)", COL_INT),
                  *cu = add_col(t, "units", "", "Units of every statistic of the row except n and diff_n", COL_TEXT),
                  *cm = add_col(t, "main", "", "1 for the outputs printed first", COL_INT);
    struct column *st[N_CMP_STATS];
    for (size_t k = 0; k < N_CMP_STATS; k++)
        st[k] = add_col(t, cmp_stats[k], !strcmp(cmp_stats[k], "n") || !strcmp(cmp_stats[k], "diff_n") ? "runs" : "",
                        cmp_stats[k], !strcmp(cmp_stats[k], "n") || !strcmp(cmp_stats[k], "diff_n") ? COL_INT : COL_REAL);
    for (size_t i = 0; i < m.n; i++) {
        char path[512];
        snprintf(path, sizeof path, "comparison/%s", o[i].name);
        hid_t g = H5Gopen2(f, path, H5P_DEFAULT);
        char *units = g >= 0 ? attr_text(g, "units") : NULL;
        long long main_ = g >= 0 ? attr_int(g, "main") : 0;
        double *v[N_CMP_STATS];
        for (size_t k = 0; k < N_CMP_STATS; k++) {
            int rank;
            hsize_t dims[3];
            v[k] = g >= 0 ? read_num(g, cmp_stats[k], &rank, dims, NULL) : NULL;
            if (v[k] && (rank != 1 || dims[0] != ns)) {
                free(v[k]);
                v[k] = NULL;
                failed(path);
            }
        }
        for (size_t s = 0; s < ns; s++) {
            size_t r = i * ns + s;
            co->s[r] = gs_strdup(o[i].name);
            cs->s[r] = gs_strdup(labels[s]);
            ck->v[r] = (double)s;
            cu->s[r] = gs_strdup(units ? units : "");
            cm->v[r] = (double)main_;
            for (size_t k = 0; k < N_CMP_STATS; k++)
                st[k]->v[r] = v[k] ? v[k][s] : NAN;
        }
        for (size_t k = 0; k < N_CMP_STATS; k++)
            free(v[k]);
        free(units);
        if (g >= 0)
            H5Gclose(g);
    }
    free(o);
    free_members(&m);
    free_strings(labels, ns);
}

/* Per-replicate summary, level and category outputs, one row per (scenario, replicate). */
static void cmp_replicates(struct export_set *es, hid_t f)
{
    size_t ns = 0;
    char **labels = read_strings(f, "comparison/label", &ns);
    if (!labels)
        return;
    size_t total = 0, *nrep = gs_calloc(ns + 1, sizeof *nrep);
    for (size_t k = 0; k < ns; k++) {
        char path[64];
        hsize_t dims[3];
        int rank;
        snprintf(path, sizeof path, "scenarios/%zu/seed", k);
        double *s = read_num(f, path, &rank, dims, NULL);
        nrep[k] = s && rank == 1 ? dims[0] : 0;
        total += nrep[k];
        free(s);
    }
    /* columns from scenario 0; every scenario has the same fields */
    struct table *t = new_table(es, "replicates", "record", total,
                                "One row per (scenario, replicate): every summary, level and category output");
    struct column *cs = add_col(t, "scenario", "", "Scenario label", COL_TEXT),
                  *ck = add_col(t, "scenario_index", "", "Scenario position on the command line", COL_INT),
                  *cr = add_col(t, "realization", "", "Replicate index 0 .. N-1", COL_INT),
                  *cseed = add_col(t, "seed", "", "run.seed of the replicate", COL_INT);
    size_t row0 = 0;
    for (size_t k = 0; k < ns; k++) {
        char base[64], path[512];
        snprintf(base, sizeof base, "scenarios/%zu", k);
        snprintf(path, sizeof path, "%s/seed", base);
        double *seed = read_num(f, path, NULL, NULL, NULL);
        /* a sub-table for scenario k, then copied into rows row0 .. */
        struct export_set tmp = {0};
        struct table *sub = new_table(&tmp, "sub", "record", nrep[k], "");
        snprintf(path, sizeof path, "%s/summary", base);
        struct members m = list(f, path, H5O_TYPE_DATASET);
        hid_t g = H5Gopen2(f, path, H5P_DEFAULT);
        for (size_t i = 0; i < m.n && g >= 0; i++) {
            int rank;
            hsize_t dims[3];
            double *v = read_num(g, m.name[i], &rank, dims, NULL);
            if (v && rank == 1 && dims[0] == nrep[k] && strcmp(m.name[i], "ttr_bin_upper") != 0)
                col_from(sub, g, m.name[i], NULL, 0);
            free(v);
        }
        if (g >= 0)
            H5Gclose(g);
        free_members(&m);
        for (int which = 0; which < 2; which++) {
            char gpath[512];
            snprintf(gpath, sizeof gpath, "%s/%s", base, which ? "categories" : "levels");
            if (H5Lexists(f, gpath, H5P_DEFAULT) > 0)
                wide_indexed(sub, f, gpath, which ? "category" : "level", NULL);
        }
        for (size_t c = 0; c < sub->ncols; c++) {
            struct column *src = &sub->c[c];
            struct column *dst = NULL;
            for (size_t j = 0; j < t->ncols && !dst; j++)
                if (!strcmp(t->c[j].name, src->name))
                    dst = &t->c[j];
            if (!dst) {
                dst = add_col(t, src->name, src->unit, src->desc, src->kind);
                for (size_t r = 0; r < total; r++)
                    dst->v[r] = NAN;
            }
            memcpy(dst->v + row0, src->v, nrep[k] * sizeof *src->v);
        }
        cs = &t->c[0], ck = &t->c[1], cr = &t->c[2], cseed = &t->c[3];
        for (size_t r = 0; r < nrep[k]; r++) {
            cs->s[row0 + r] = gs_strdup(labels[k]);
            ck->v[row0 + r] = (double)k;
            cr->v[row0 + r] = (double)r;
            cseed->v[row0 + r] = seed ? seed[r] : NAN;
        }
        free(seed);
        free_set(&tmp);
        row0 += nrep[k];
    }
    free(nrep);
    free_strings(labels, ns);
}

static void tables_compare(struct export_set *es, hid_t f)
{
    cmp_table(es, f);
    cmp_replicates(es, f);
}

/* ---- calibration files ---- */

/* A table of the 1-d datasets of group loc/name, one row per element (every dataset
 * of the group is a column: they share the row dimension). */
static void group_table(struct export_set *es, hid_t loc, const char *name, const char *table,
                        const char *dim, const char *desc)
{
    struct members m = list(loc, name, H5O_TYPE_DATASET);
    hid_t g = m.n > 0 ? H5Gopen2(loc, name, H5P_DEFAULT) : -1;
    int rank;
    hsize_t dims[3];
    double *first = g >= 0 ? read_num(g, m.name[0], &rank, dims, NULL) : NULL;
    if (first) {
        struct table *t = new_table(es, table, dim, dims[0], desc);
        index_col(t, dim, "Row index (the dimension scale of the group)");
        for (size_t k = 0; k < m.n; k++)
            col_from(t, g, m.name[k], NULL, 0);
    } else if (m.n > 0)
        failed(name);
    free(first);
    if (g >= 0)
        H5Gclose(g);
    free_members(&m);
}

/* abc and abc-smc: the posterior sample, a row a particle (weight, distance and the
 * parameter values), and abc-smc's generations. */
static void calibration_sample(struct export_set *es, hid_t f)
{
    if (H5Lexists(f, "posterior", H5P_DEFAULT) <= 0)
        return;   /* method smm: no sample */
    hid_t g = H5Gopen2(f, "posterior", H5P_DEFAULT);
    int rank;
    hsize_t dims[3];
    double *w = read_num(g, "weight", &rank, dims, NULL);
    if (!w || rank != 1) {
        failed("posterior/weight");
    } else {
        struct table *t = new_table(es, "posterior", "particle", dims[0],
                                    "The posterior sample: a row a particle, its weight, distance "
                                    "and parameter values (draw rows with probability weight)");
        index_col(t, "particle", "Particle index");
        col_from(t, g, "weight", NULL, 0);
        col_from(t, g, "distance", NULL, 0);
        struct members m = list(g, "parameters", H5O_TYPE_DATASET);
        hid_t pg = m.n > 0 ? H5Gopen2(g, "parameters", H5P_DEFAULT) : -1;
        for (size_t k = 0; pg >= 0 && k < m.n; k++)
            col_from(t, pg, m.name[k], NULL, 0);
        if (pg >= 0)
            H5Gclose(pg);
        free_members(&m);
    }
    free(w);
    H5Gclose(g);
    if (H5Lexists(f, "calibration/generations", H5P_DEFAULT) > 0)
        group_table(es, f, "calibration/generations", "generations", "generation",
                    "abc-smc's generations: tolerance, proposals, acceptances, effective sample size");
}

static void tables_calibration(struct export_set *es, hid_t f)
{
    hid_t g = H5Lexists(f, "calibration", H5P_DEFAULT) > 0 ? H5Gopen2(f, "calibration", H5P_DEFAULT) : -1;
    if (g < 0) {
        failed("calibration");
        return;
    }
    size_t np = 0, nt = 0;
    char **pnames = read_strings(g, "parameter_names", &np), **punits = read_strings(g, "parameter_units", &np);
    char **tnames = read_strings(g, "target_names", &nt), **tunits = read_strings(g, "target_units", &nt);
    if (!pnames || !punits || !tnames || !tunits)
        goto done;
    struct table *t = new_table(es, "parameters", "parameter", np,
                                "The fitted parameters: prior, estimate, posterior summary");
    text_from(t, g, "parameter_names", "name");
    text_from(t, g, "parameter_units", "units");
    text_from(t, g, "prior_scale", NULL);
    static const char *const pcols[] = {"prior_min", "prior_max", "estimate", "posterior_sd",
                                        "posterior_q025", "posterior_q975"};
    for (size_t k = 0; k < sizeof pcols / sizeof *pcols; k++)
        col_from(t, g, pcols[k], NULL, 1);
    t = new_table(es, "targets", "target", nt, "The targets and the fit at the estimate");
    text_from(t, g, "target_names", "name");
    text_from(t, g, "target_units", "units");
    static const char *const tcols[] = {"target_value", "target_tolerance", "target_weight",
                                        "fit_mean", "fit_sd", "fit_ci95_low", "fit_ci95_high",
                                        "fit_within_tolerance"};
    for (size_t k = 0; k < sizeof tcols / sizeof *tcols; k++)
        col_from(t, g, tcols[k], NULL, strcmp(tcols[k], "target_weight") != 0);
    hid_t c = H5Lexists(g, "candidates", H5P_DEFAULT) > 0 ? H5Gopen2(g, "candidates", H5P_DEFAULT) : -1;
    int rank;
    hsize_t dims[3];
    double *obj = c >= 0 ? read_num(c, "objective", &rank, dims, NULL) : NULL;
    if (obj) {
        size_t n = dims[0];
        t = new_table(es, "candidates", "candidate", n,
                      "Every candidate evaluated, in order: parameter values and target outputs");
        index_col(t, "candidate", "Candidate index, in evaluation order");
        col_from(t, c, "stage", NULL, 0);
        col_from(t, c, "accepted", NULL, 0);
        col_from(t, c, "objective", NULL, 0);
        hsize_t pd[3], od[3];
        double *x = read_num(c, "parameters", &rank, pd, NULL);
        double *mean = read_num(c, "output_mean", &rank, od, NULL);
        double *sd = read_num(c, "output_sd", &rank, od, NULL);
        for (size_t k = 0; x && k < np && pd[1] == np; k++) {
            struct column *col = add_col(t, pnames[k], punits[k], "Parameter value of the candidate", COL_REAL);
            for (size_t r = 0; r < n; r++)
                col->v[r] = x[r * np + k];
        }
        for (size_t k = 0; mean && sd && k < nt && od[1] == nt; k++) {
            char name[256];
            snprintf(name, sizeof name, "%s_mean", tnames[k]);
            struct column *cm = add_col(t, name, tunits[k], "Mean of the target output over the fitting replicates", COL_REAL);
            snprintf(name, sizeof name, "%s_sd", tnames[k]);
            struct column *cs = add_col(t, name, tunits[k], "Standard deviation of the target output over the fitting replicates", COL_REAL);
            for (size_t r = 0; r < n; r++) {
                cm->v[r] = mean[r * nt + k];
                cs->v[r] = sd[r * nt + k];
            }
        }
        free(x), free(mean), free(sd), free(obj);
    }
    if (c >= 0)
        H5Gclose(c);
    calibration_sample(es, f);
done:
    free_strings(pnames, np), free_strings(punits, np);
    free_strings(tnames, nt), free_strings(tunits, nt);
    H5Gclose(g);
}

/* ---- writing ---- */

static void csv_field(FILE *o, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, o);
        return;
    }
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', o);
        fputc(*s, o);
    }
    fputc('"', o);
}

static void csv_number(FILE *o, double v, int integer)
{
    if (isnan(v))
        return;   /* empty field: missing */
    if (isinf(v))
        fputs(v > 0 ? "inf" : "-inf", o);
    else if (integer)
        fprintf(o, "%.0f", v);
    else {   /* the shortest of %.15g .. %.17g that reads back exactly */
        char buf[40];
        for (int p = 15; p <= 17; p++) {
            snprintf(buf, sizeof buf, "%.*g", p, v);
            if (strtod(buf, NULL) == v)
                break;
        }
        fputs(buf, o);
    }
}

static int write_csv(const char *path, const struct table *t)
{
    FILE *o = fopen(path, "w");
    if (!o)
        return -1;
    for (size_t k = 0; k < t->ncols; k++) {
        const struct column *c = &t->c[k];
        char head[512];
        if (c->kind != COL_TEXT && c->unit[0])
            snprintf(head, sizeof head, "%s [%s]", c->name, c->unit);
        else
            snprintf(head, sizeof head, "%s", c->name);
        if (k)
            fputc(',', o);
        csv_field(o, head);
    }
    fputc('\n', o);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t k = 0; k < t->ncols; k++) {
            const struct column *c = &t->c[k];
            if (k)
                fputc(',', o);
            if (c->kind == COL_TEXT)
                csv_field(o, c->s[r] ? c->s[r] : "");
            else
                csv_number(o, c->v[r], c->kind == COL_INT);
        }
        fputc('\n', o);
    }
    int bad = ferror(o) != 0 || fflush(o) != 0 || fsync(fileno(o)) != 0;
    return fclose(o) != 0 || bad ? -1 : 0;
}

static int nc_table(hid_t file, const struct table *t)
{
    hid_t g = H5Gcreate2(file, t->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), scale = -1;
    if (g < 0)
        return -1;
    int rc = io_text_attr(g, "description", t->desc);
    hsize_t n = t->nrows;
    const struct column *dimcol = NULL;
    for (size_t k = 0; k < t->ncols; k++)
        if (!strcmp(t->c[k].name, t->dim) && t->c[k].kind != COL_TEXT)
            dimcol = &t->c[k];
    scale = dimcol ? io_write_scale(g, t->dim, n, dimcol->v, dimcol->kind == COL_INT, dimcol->unit, dimcol->desc)
                   : io_index_scale(g, t->dim, n, "Row of the table");
    rc |= scale < 0;
    for (size_t k = 0; k < t->ncols && rc == 0; k++) {
        const struct column *c = &t->c[k];
        if (c == dimcol)
            continue;
        hid_t d = -1;
        if (c->kind == COL_TEXT) {
            if (io_h5_strings(g, c->name, n, (const char *const *)c->s, "", c->desc) == 0)
                d = H5Dopen2(g, c->name, H5P_DEFAULT);
        } else {
            d = io_write_array(g, c->name, 1, &n, c->v, c->kind == COL_INT, c->unit, c->desc);
        }
        rc = d >= 0 && H5DSattach_scale(d, scale, 0) >= 0 ? 0 : -1;
        if (d >= 0)
            H5Dclose(d);
    }
    if (scale >= 0)
        H5Dclose(scale);
    H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_netcdf(const char *path, hid_t src, const char *src_path, const char *kind,
                        const struct export_set *es, const char *cmdline, struct gs_error *err)
{
    char tmp[4096], now[32], title[512];
    time_t clock = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&clock));
    hid_t f = io_h5_create(path, tmp, sizeof tmp, err);
    if (f < 0)
        return -1;
    char *src_title = attr_text(src, "title"), *src_hist = attr_text(src, "history");
    snprintf(title, sizeof title, "Tables exported from %s%s%s", src_path, src_title ? ": " : "",
             src_title ? src_title : "");
    int rc = io_cf_global(f, title, cmdline, now) | io_text_attr(f, "format", "govsim-export") |
             io_text_attr(f, "kind", kind) | io_text_attr(f, "source_file", src_path);
    if (src_hist) {   /* CF history: the source's lines, then this export */
        size_t n = strlen(src_hist) + strlen(cmdline) + 64;
        char *h = gs_malloc(n);
        snprintf(h, n, "%s\n%s: govsim %s", src_hist, now, cmdline);
        H5Adelete(f, "history");
        rc |= io_text_attr(f, "history", h);
        free(h);
    }
    free(src_title);
    free(src_hist);
    for (int i = 0; i < es->n && rc == 0; i++)
        rc |= nc_table(f, &es->t[i]);
    return io_h5_finish(f, rc == 0, tmp, path, err);
}

static int write_csvs(const char *dir, const char *stem, const struct export_set *es,
                      struct gs_error *err)
{
    char path[8][4096], tmp[8][4200];
    int i, rc = 0;
    for (i = 0; i < es->n && rc == 0; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s-%s.csv", dir, stem, es->t[i].name);
        snprintf(tmp[i], sizeof tmp[i], "%.4000s.tmp.%ld", path[i], (long)getpid());
        if (write_csv(tmp[i], &es->t[i]) != 0)
            rc = gs_error_set(err, "writing '%s' failed: %s; nothing was kept", path[i], strerror(errno));
    }
    for (int k = 0; k < i; k++) {
        if (rc == 0 && rename(tmp[k], path[k]) != 0)
            rc = gs_error_set(err, "cannot rename '%s' to '%s': %s", tmp[k], path[k], strerror(errno));
        if (rc != 0)
            unlink(tmp[k]);
    }
    for (int k = 0; rc == 0 && k < es->n; k++)
        printf("wrote %s\n", path[k]);
    return rc;
}

/* run | sweep | compare | calibration, or NULL. */
static const char *file_kind(hid_t f)
{
    char *format = attr_text(f, "format"), *kind = attr_text(f, "kind");
    const char *k = NULL;
    if (format && !strcmp(format, "govsim-sweep"))
        k = "sweep";
    else if (kind && !strcmp(kind, "compare"))
        k = "compare";
    else if (kind && !strcmp(kind, "calibration"))
        k = "calibration";
    else if (!kind && !format && H5Aexists(f, "schema_version") > 0 &&
             H5Lexists(f, "summary", H5P_DEFAULT) > 0)
        k = "run";
    free(format);
    free(kind);
    return k;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *format = NULL, *dir = ".";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': dir = optarg; break;
        default: return cli_other_option(c, usage_export, argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_bad_usage(usage_export, "%s", "expected one result file (FILE.h5)");
    if (!format)
        return cli_bad_usage(usage_export, "%s", "--format is required: csv or netcdf");
    int netcdf = !strcmp(format, "netcdf") || !strcmp(format, "nc");
    if (!netcdf && strcmp(format, "csv") != 0)
        return cli_bad_usage(usage_export, "unknown format '%s' (choose csv or netcdf)", format);
    const char *in = argv[optind];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "govsim: export: output directory '%s' does not exist (create it first)\n", dir);
        return EXIT_BAD_INPUT;
    }
    if (stat(in, &st) != 0) {
        fprintf(stderr, "govsim: export: cannot open '%s': %s\n", in, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(in, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        fprintf(stderr, "govsim: export: '%s' is not an HDF5 file\n", in);
        return EXIT_BAD_INPUT;
    }
    const char *kind = file_kind(f);
    if (!kind) {
        H5Fclose(f);
        fprintf(stderr, "govsim: export: '%s' is not a govsim run, sweep, compare or calibration "
                "file (no matching format, kind or schema_version attribute)\n", in);
        return EXIT_BAD_INPUT;
    }
    struct export_set es = {0};
    read_failure[0] = 0;
    if (!strcmp(kind, "run"))
        tables_run(&es, f);
    else if (!strcmp(kind, "sweep"))
        tables_sweep(&es, f);
    else if (!strcmp(kind, "compare"))
        tables_compare(&es, f);
    else
        tables_calibration(&es, f);
    int rc = EXIT_OK;
    if (read_failure[0] || es.n == 0) {
        fprintf(stderr, "govsim: export: '%s' (a %s file) is damaged or incomplete: cannot read "
                "'%s'; nothing was written\n", in, kind, read_failure[0] ? read_failure : "its tables");
        rc = EXIT_BAD_INPUT;
    } else {
        /* STEM: the file name without directory and .h5 */
        const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
        char stem[1024], cmdline[8192], out[4096];
        snprintf(stem, sizeof stem, "%s", base);
        size_t ls = strlen(stem);
        if (ls > 3 && !strcmp(stem + ls - 3, ".h5"))
            stem[ls - 3] = 0;
        else if (ls > 5 && !strcmp(stem + ls - 5, ".hdf5"))
            stem[ls - 5] = 0;
        cli_join_args(argc, argv, cmdline, sizeof cmdline);
        struct gs_error err = {{0}};
        int wrc;
        if (netcdf) {
            snprintf(out, sizeof out, "%s/%s.nc", dir, stem);
            wrc = write_netcdf(out, f, in, kind, &es, cmdline, &err);
            if (wrc == 0)
                printf("wrote %s\n", out);
        } else {
            wrc = write_csvs(dir, stem, &es, &err);
        }
        if (wrc != 0) {
            fprintf(stderr, "govsim: export: %s\n", err.msg);
            rc = EXIT_FAILED;
        }
    }
    free_set(&es);
    H5Fclose(f);
    return rc;
}
