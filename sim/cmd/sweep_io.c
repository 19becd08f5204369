/* sweep_io.c: the HDF5 file of a sweep (layout in docs/sweeps.md and docs/output.md).
 *
 * The file is created whole under a temporary name and renamed: every dataset
 * exists at its final size (contiguous, allocated and filled at creation), with
 * every run marked not done. Filling in a run then only overwrites raw data in
 * place, never the file's structure: the run's results are written and flushed,
 * then its done flag is written and flushed. A kill at any moment leaves a file
 * whose done runs are complete, and `--resume` runs the others. */
#include "sweep.h"

#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"
#include "digest.h"
#include "cmdutil.h"
#include "h5util.h"
#include "io.h"
#include "io_h5.h"
#include "safeout.h"
#include "summary.h"

#define SWEEP_SCHEMA_VERSION 3
#define SWEEP_FORMAT "govsim-sweep"

struct sweep_file {
    hid_t file;
    const struct sweep *s;
    int lock;   /* descriptor holding the flock while the file is open */
    hid_t summary[N_SUMMARY], level[N_LEVEL_FIELDS], cat[N_CATEGORY_FIELDS], series[N_SERIES], day, wall, done, complete;
    hid_t digest;   /* status/result_digest */
    char *path;
    struct digest_set *dset;   /* the datasets a run's digest covers, once needed */
};

/* A contiguous dataset of shape dims, allocated and filled at creation, with the
 * dimension scale scales[k] attached to axis k (scales may be NULL for rank 0). */
static hid_t make_dataset(hid_t loc, const char *name, int rank, const hsize_t *dims, hid_t type,
                          const char *units, const char *desc, const hid_t *scales)
{
    hid_t space = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), d = -1;
    double nan = NAN;
    int64_t zero = 0;
    TRY(space);
    TRY(H5Pset_layout(dcpl, H5D_CONTIGUOUS));
    TRY(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY));
    TRY(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC));
    if (H5Tequal(type, H5T_IEEE_F64LE) > 0)
        TRY(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan));
    else
        TRY(H5Pset_fill_value(dcpl, H5T_NATIVE_INT64, &zero));
    TRY(d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
    int bad = io_describe(d, units, desc) < 0;
    for (int k = 0; k < rank && !bad; k++)
        bad = H5DSattach_scale(d, scales[k], (unsigned)k) < 0;
    if (bad) {
        H5Dclose(d);
        d = -1;
    }
fail:
    H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return d;
}

/* A 1-d column of nruns values from doubles. */
static int write_column(hid_t loc, const char *name, size_t n, const double *v, int integer,
                        const char *units, const char *desc, hid_t scale)
{
    hsize_t dim = n;
    hid_t d = make_dataset(loc, name, 1, &dim, integer ? H5T_STD_I64LE : H5T_IEEE_F64LE, units, desc,
                           &scale);
    if (d < 0)
        return -1;
    int rc = H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ? -1 : 0;
    return H5Dclose(d) < 0 ? -1 : rc;
}

static int write_text(hid_t loc, const char *name, const char *text, const char *desc)
{
    hid_t d = io_write_text(loc, name, text, "", desc);
    return d < 0 || H5Dclose(d) < 0 ? -1 : 0;
}

/* Per-run design columns: ids, seed, the design's group/step/moved/delta, each parameter. */
static int write_design(hid_t file, const struct sweep *s)
{
    hid_t g = H5Gcreate2(file, "design", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    size_t n = s->nruns;
    double *c = gs_malloc(8 * n * sizeof *c);
    for (size_t r = 0; r < n; r++) {
        size_t pt = sweep_run_point(s, r), rep = sweep_run_replicate(s, r);
        double row[8] = {(double)r, (double)pt, (double)rep, (double)s->rep_seed[rep],
                         (double)s->group[pt], (double)s->step[pt], (double)s->moved[pt], s->delta[pt]};
        for (int k = 0; k < 8; k++)
            c[k * n + r] = row[k];
    }
    hid_t run = io_index_scale(g, "run", n, "Run index, the same as run_id (dimension of every table)");
    int rc = run < 0;
    rc |= write_column(g, "run_id", n, c, 1, "", "Run index: point_id * replicates + replicate", run) |
        write_column(g, "point_id", n, c + n, 1, "", "Design point of the run", run) |
        write_column(g, "replicate", n, c + 2 * n, 1, "", "Replicate of the design point", run) |
        write_column(g, "seed", n, c + 3 * n, 1, "", "run.seed of the run (the same for a replicate at every point)", run) |
        write_column(g, "group", n, c + 4 * n, 1, "", "Sobol: base sample; Morris: trajectory; else the point", run) |
        write_column(g, "step", n, c + 5 * n, 1, "", "Sobol: 0 A, i AB^i, k+1 B; Morris: step along the trajectory; else 0", run) |
        write_column(g, "moved", n, c + 6 * n, 1, "", "Index (in /design order) of the parameter that differs from step 0 (Sobol AB^i) or from the previous step (Morris); -1 none", run) |
        write_column(g, "delta", n, c + 7 * n, 0, "unit scale", "Morris: change of the moved parameter in [0,1] scale; else 0", run);
    for (size_t k = 0; k < s->nvary && rc == 0; k++) {
        const struct param_def *d = s->vary[k].def;
        for (size_t r = 0; r < n; r++)
            c[r] = s->x[sweep_run_point(s, r) * s->nvary + k];
        rc = write_column(g, d->name, n, c, d->type != PT_DOUBLE, d->unit, d->meaning, run);
    }
    free(c);
    if (rc == 0) {   /* the replicate column is the CF realization coordinate */
        hid_t d = H5Dopen2(g, "replicate", H5P_DEFAULT);
        rc = d < 0 || io_text_attr(d, "standard_name", "realization") < 0;
        if (d >= 0)
            H5Dclose(d);
    }
    if (run >= 0)
        H5Dclose(run);
    H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_sweep_info(hid_t file, const struct sweep *s, const char *cmdline)
{
    char started[32];
    cli_start_time(started, sizeof started);
    /* every varied name, however many (a screening varies hundreds) */
    size_t len = 1;
    for (size_t k = 0; k < s->nvary; k++)
        len += strlen(s->vary[k].def->name) + 1;
    char *params = gs_malloc(len);
    params[0] = '\0';
    for (size_t k = 0, at = 0; k < s->nvary; k++)
        at += (size_t)snprintf(params + at, len - at, "%s%s", k ? " " : "", s->vary[k].def->name);
    long long schema = SWEEP_SCHEMA_VERSION, runs = (long long)s->nruns, points = (long long)s->npoints,
              reps = (long long)s->replicates;
    hid_t g = H5Gcreate2(file, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = g < 0 || io_common_provenance(g, cmdline, started) < 0 ||
             io_text_attr(g, "sweep_file", s->file) < 0 ||
             io_text_attr(g, "scenario_file", s->scenario ? s->scenario : "(built-in defaults)") < 0;
    if (g >= 0)
        H5Gclose(g);
    char title[512];
    snprintf(title, sizeof title, "govsim sweep %s: %s design, %zu runs", s->file,
             sweep_design_names[s->design], s->nruns);
    rc |= io_cf_global(file, title, cmdline, started);
    rc |= io_text_attr(file, "program", "govsim") | io_text_attr(file, "format", SWEEP_FORMAT) |
          io_number_attr(file, "schema_version", H5T_NATIVE_LLONG, &schema) |
          io_text_attr(file, "sweep_hash", s->hash) |
          io_text_attr(file, "design", sweep_design_names[s->design]) |
          io_text_attr(file, "parameters", params) |
          io_number_attr(file, "runs", H5T_NATIVE_LLONG, &runs) |
          io_number_attr(file, "points", H5T_NATIVE_LLONG, &points) |
          io_number_attr(file, "replicates", H5T_NATIVE_LLONG, &reps);
    free(params);
    g = H5Gcreate2(file, "sweep", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    rc |= g < 0 || write_text(g, "file_text", s->text, "The sweep file as given") < 0 ||
          write_text(g, "canonical", s->canonical,
                     "What the results depend on, in a fixed form; sweep_hash is its FNV-1a 64 hash") < 0;
    if (g >= 0)
        H5Gclose(g);
    return rc ? -1 : 0;
}

/* A group of [run, index] datasets, one per field, with the index labels as an
 * attribute of the group and of its dimension scale `dim` (run is the parent's scale). */
static int make_indexed(hid_t parent, const char *name, const char *dim, const char *dim_desc,
                        const struct field_def *fields, int nfields, int width,
                        const char *const *labels, size_t nruns, hid_t run)
{
    hsize_t dims[2] = {nruns, (hsize_t)width};
    char text[1024] = "";
    for (int i = 0; i < width; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", i ? " " : "", labels[i]);
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), d, scales[2] = {run, -1};
    int rc = -1;
    TRY(g);
    TRY(io_text_attr(g, "labels", text));
    TRY(scales[1] = io_index_scale(g, dim, (hsize_t)width, dim_desc));
    TRY(io_text_attr(scales[1], "labels", text));
    for (int f = 0; f < nfields; f++) {
        TRY(d = make_dataset(g, fields[f].name, 2, dims,
                             fields[f].integer ? H5T_STD_I64LE : H5T_IEEE_F64LE, fields[f].units,
                             fields[f].description, scales));
        H5Dclose(d);
    }
    rc = 0;
fail:
    if (scales[1] >= 0) H5Dclose(scales[1]);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int make_results(hid_t file, const struct sweep *s)
{
    hid_t g = H5Gcreate2(file, "results", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), d, run = -1;
    hsize_t dims[3] = {s->nruns, N_LEVELS, 0};
    int rc = -1;
    TRY(g);
    TRY(run = io_index_scale(g, "run", s->nruns, "Run index, as /design/run_id"));
    TRY(d = make_dataset(g, "done", 1, dims, H5T_STD_I64LE, "", "1 once the run's results are written, else 0", &run));
    H5Dclose(d);
    for (int f = 0; f < N_SUMMARY; f++) {
        const struct field_def *fd = &summary_fields[f];
        TRY(d = make_dataset(g, fd->name, 1, dims, fd->integer ? H5T_STD_I64LE : H5T_IEEE_F64LE,
                             fd->units, fd->description, &run));
        H5Dclose(d);
    }
    TRY(make_indexed(g, "levels", "level", "Level of the hierarchy: 0 grid, 1 community, 2 street, 3 district",
                     level_fields, N_LEVEL_FIELDS, N_LEVELS, level_names, s->nruns, run));
    TRY(make_indexed(g, "categories", "category", "Request category, in the order of the labels attribute",
                     category_fields, N_CATEGORY_FIELDS, N_CATEGORIES, category_names, s->nruns, run));
    rc = 0;
fail:
    if (run >= 0) H5Dclose(run);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int make_timing(hid_t file, const struct sweep *s)
{
    hsize_t n = s->nruns;
    hid_t g = H5Gcreate2(file, "status", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), d, run = -1;
    int rc = -1;
    TRY(g);
    TRY(run = io_index_scale(g, "run", n, "Run index, as /design/run_id"));
    TRY(d = make_dataset(g, "wall_seconds", 1, &n, H5T_IEEE_F64LE, "s",
                         "Wall-clock time of the run (varies between machines; not a result)", &run));
    H5Dclose(d);
    TRY(d = make_dataset(g, "complete", 0, NULL, H5T_STD_I64LE, "",
                         "1 once every run is done, else 0", NULL));
    H5Dclose(d);
    TRY(d = make_dataset(g, "result_digest", 1, &n, H5T_STD_U64LE, "",
                         "64-bit FNV-1a digest of the run's results as stored (docs/output.md), "
                         "written before the run is marked done; 0 while not done", &run));
    H5Dclose(d);
    rc = 0;
fail:
    if (run >= 0) H5Dclose(run);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int make_series(hid_t file, const struct sweep *s)
{
    if (!s->timeseries)
        return 0;
    hsize_t dims[3] = {s->nruns, (hsize_t)s->ts_rows, (hsize_t)s->ts_cols};
    hid_t g = H5Gcreate2(file, "timeseries", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), d;
    hid_t sc[3] = {-1, -1, -1};
    int rc = -1;
    TRY(g);
    TRY(sc[0] = io_index_scale(g, "run", dims[0], "Run index, as /design/run_id"));
    TRY(sc[1] = io_index_scale(g, "row", dims[1], "Output row: interval of output.interval_days; its end day is `day`"));
    TRY(sc[2] = io_index_scale(g, "community", dims[2], "Community index (communities are numbered street by street)"));
    TRY(d = make_dataset(g, "day", 2, dims, H5T_IEEE_F64LE, "days",
                         "Simulated day at the end of each row's interval (NaN past the run's rows)", sc));
    H5Dclose(d);
    for (int f = 0; f < N_SERIES; f++) {
        char desc[512];
        snprintf(desc, sizeof desc, "%s; [run, row, community], NaN past the run's rows or "
                 "communities", series_fields[f].description);
        TRY(d = make_dataset(g, series_fields[f].name, 3, dims, H5T_IEEE_F64LE,
                             series_fields[f].units, desc, sc));
        TRY(io_text_attr(d, "coordinates", "day"));
        H5Dclose(d);
    }
    rc = 0;
fail:
    for (int k = 0; k < 3; k++)
        if (sc[k] >= 0) H5Dclose(sc[k]);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* An upper bound of the file's size: every dataset is allocated at creation. */
static long long file_bytes(const struct sweep *s)
{
    double per_run = (double)sweep_record_len(s) + (double)s->nvary + 16;   /* + design, status */
    return (long long)(8 * per_run * (double)s->nruns) + (long long)strlen(s->text) +
           (long long)strlen(s->canonical) + (4LL << 20);   /* + metadata, attributes */
}

int sweep_io_create(const char *path, const struct sweep *s, const char *cmdline,
                    struct gs_error *err)
{
    char tmp[SAFEOUT_PATH_MAX + 64];
    if (safeout_tmpname(path, tmp, sizeof tmp, err) != 0)
        return -1;
    /* HDF5 1.10 crashes at exit after failing to write a file (a full disk): the space
     * is checked first, and the temporary is created exclusively. */
    if (safeout_reserve(tmp, path, file_bytes(s), err) != 0)
        return -1;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fcreate(tmp, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return gs_error_set(err, "cannot create '%s' (check the directory exists and is writable)",
                            tmp);
    int rc = write_sweep_info(f, s, cmdline) | write_design(f, s) | make_results(f, s) |
             make_timing(f, s) | make_series(f, s);
    if (H5Fclose(f) < 0)
        rc = -1;
    if (rc != 0) {
        remove(tmp);
        return gs_error_set(err, "creating '%s' failed (disk full or not writable?); nothing kept", path);
    }
    int exists = 0;
    if (safeout_commit(tmp, path, 1, &exists, err) != 0)   /* link: never replaces a file */
        return exists ? -2 : -1;
    return 0;
}

static char *read_text_attr(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT), type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char *v = NULL, *out = NULL;
    if (a >= 0 && H5Aread(a, type, &v) >= 0 && v) {
        out = gs_strdup(v);
        H5free_memory(v);
    }
    if (a >= 0) H5Aclose(a);
    H5Tclose(type);
    return out;
}

/* Opens a dataset and checks its leading dimension (and, with rank 3, the others). */
static hid_t open_checked(hid_t loc, const char *name, const hsize_t *want, int rank)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t space = H5Dget_space(d);
    hsize_t dims[3] = {0, 0, 0};
    int ok = H5Sget_simple_extent_ndims(space) == rank &&
             H5Sget_simple_extent_dims(space, dims, NULL) == rank;
    for (int k = 0; k < rank && ok; k++)
        ok = dims[k] == want[k];
    H5Sclose(space);
    if (!ok) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int open_datasets(struct sweep_file *sf)
{
    const struct sweep *s = sf->s;
    hsize_t runs[3] = {s->nruns, N_LEVELS, 0}, cats[2] = {s->nruns, N_CATEGORIES}, ts[3] = {s->nruns, (hsize_t)s->ts_rows,
                                                                   (hsize_t)s->ts_cols};
    char name[256];
    TRY(sf->done = open_checked(sf->file, "results/done", runs, 1));
    TRY(sf->wall = open_checked(sf->file, "status/wall_seconds", runs, 1));
    TRY(sf->complete = open_checked(sf->file, "status/complete", NULL, 0));
    TRY(sf->digest = open_checked(sf->file, "status/result_digest", runs, 1));
    for (int f = 0; f < N_SUMMARY; f++) {
        snprintf(name, sizeof name, "results/%s", summary_fields[f].name);
        TRY(sf->summary[f] = open_checked(sf->file, name, runs, 1));
    }
    for (int f = 0; f < N_LEVEL_FIELDS; f++) {
        snprintf(name, sizeof name, "results/levels/%s", level_fields[f].name);
        TRY(sf->level[f] = open_checked(sf->file, name, runs, 2));
    }
    for (int f = 0; f < N_CATEGORY_FIELDS; f++) {
        snprintf(name, sizeof name, "results/categories/%s", category_fields[f].name);
        TRY(sf->cat[f] = open_checked(sf->file, name, cats, 2));
    }
    if (!s->timeseries)
        return 0;
    TRY(sf->day = open_checked(sf->file, "timeseries/day", ts, 2));
    for (int f = 0; f < N_SERIES; f++) {
        snprintf(name, sizeof name, "timeseries/%s", series_fields[f].name);
        TRY(sf->series[f] = open_checked(sf->file, name, ts, 3));
    }
    return 0;
fail:
    return -1;
}

static void close_datasets(struct sweep_file *sf)
{
    hid_t *all[] = {&sf->done, &sf->wall, &sf->complete, &sf->day, &sf->digest};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (*all[i] >= 0) H5Dclose(*all[i]);
    for (int f = 0; f < N_SUMMARY; f++)
        if (sf->summary[f] >= 0) H5Dclose(sf->summary[f]);
    for (int f = 0; f < N_LEVEL_FIELDS; f++)
        if (sf->level[f] >= 0) H5Dclose(sf->level[f]);
    for (int f = 0; f < N_CATEGORY_FIELDS; f++)
        if (sf->cat[f] >= 0) H5Dclose(sf->cat[f]);
    for (int f = 0; f < N_SERIES; f++)
        if (sf->series[f] >= 0) H5Dclose(sf->series[f]);
}

static struct sweep_file *new_handle(const struct sweep *s)
{
    struct sweep_file *sf = gs_calloc(1, sizeof *sf);
    sf->s = s;
    sf->file = sf->done = sf->wall = sf->complete = sf->day = sf->digest = -1;
    for (int f = 0; f < N_SUMMARY; f++) sf->summary[f] = -1;
    for (int f = 0; f < N_LEVEL_FIELDS; f++) sf->level[f] = -1;
    for (int f = 0; f < N_CATEGORY_FIELDS; f++) sf->cat[f] = -1;
    for (int f = 0; f < N_SERIES; f++) sf->series[f] = -1;
    return sf;
}

/* Checks that the file was written by this build of govsim: same version, source
 * revision, compiler (id and version) and compiler flags (results of two builds must
 * not be mixed: another compiler or flags may round differently); returns 0 or -1. */
static int check_version(hid_t file, const char *path, struct gs_error *err)
{
    hid_t g = H5Lexists(file, "provenance", H5P_DEFAULT) > 0
                  ? H5Gopen2(file, "provenance", H5P_DEFAULT) : -1;
    char *version = g >= 0 ? read_text_attr(g, "program_version") : NULL;
    char *revision = g >= 0 ? read_text_attr(g, "source_revision") : NULL;
    char *compiler = g >= 0 ? read_text_attr(g, "compiler") : NULL;
    char *flags = g >= 0 ? read_text_attr(g, "c_flags") : NULL;
    int rc = 0;
    if (!version || !revision)
        rc = gs_error_set(err, "'%s' does not record the govsim version and source revision that "
                          "wrote it (this is govsim %s, source revision %s); refusing to resume "
                          "it: run the sweep again without --resume, into a new file (another -o)",
                          path, GOVSIM_VERSION, GOVSIM_GIT_REVISION);
    else if (strcmp(version, GOVSIM_VERSION) != 0 || strcmp(revision, GOVSIM_GIT_REVISION) != 0)
        rc = gs_error_set(err, "'%s' was written by govsim %s, source revision %s; this is govsim "
                          "%s, source revision %s; refusing to mix their results: run the sweep "
                          "again without --resume, into a new file (another -o)",
                          path, version, revision, GOVSIM_VERSION, GOVSIM_GIT_REVISION);
    else if (!compiler || !flags || strcmp(compiler, GOVSIM_C_COMPILER) != 0 ||
             strcmp(flags, GOVSIM_C_FLAGS) != 0)
        rc = gs_error_set(err, "'%s' was written by a govsim built with %s, flags '%s'; this one "
                          "was built with %s, flags '%s'; refusing to mix their results (another "
                          "compiler or flags may round differently): run the sweep again without "
                          "--resume, into a new file (another -o), or resume with the same build",
                          path, compiler ? compiler : "an unrecorded compiler",
                          flags ? flags : "unrecorded", GOVSIM_C_COMPILER, GOVSIM_C_FLAGS);
    if (g >= 0)
        H5Gclose(g);
    free(version);
    free(revision);
    free(compiler);
    free(flags);
    return rc;
}

/* Checks that the open file is this sweep's; returns 0 or -1 with a message. */
static int check_identity(struct sweep_file *sf, const char *path, struct gs_error *err)
{
    char *format = read_text_attr(sf->file, "format"), *hash = read_text_attr(sf->file, "sweep_hash");
    int rc = 0;
    if (!format || strcmp(format, SWEEP_FORMAT) != 0)
        rc = gs_error_set(err, "'%s' is not a govsim sweep file; refusing to touch it", path);
    else if (check_version(sf->file, path, err) != 0)
        rc = -1;
    else if (!hash || strcmp(hash, sf->s->hash) != 0)
        rc = gs_error_set(err, "'%s' holds a different sweep (sweep_hash %s; %s gives %s); refusing "
                          "to touch it: choose another -o or remove the file", path,
                          hash ? hash : "missing", sf->s->file, sf->s->hash);
    else if (open_datasets(sf) != 0)
        rc = gs_error_set(err, "'%s' is damaged or incomplete (datasets missing or of the wrong "
                          "size); refusing to touch it", path);
    free(format);
    free(hash);
    return rc;
}

struct sweep_file *sweep_io_open(const char *path, const struct sweep *s, struct gs_error *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct sweep_file *sf = new_handle(s);
    /* Our own lock, held until the file is closed: a second writer is told so. HDF5's
     * lock (on another descriptor) would conflict with it, so it is turned off. */
    sf->lock = safeout_lock(path, err);
    if (sf->lock < 0) {
        free(sf);
        return NULL;
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0)
        H5Pset_file_locking(fapl, 0, 1);
    sf->file = H5Fopen(path, H5F_ACC_RDWR, fapl >= 0 ? fapl : H5P_DEFAULT);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (sf->file < 0) {
        gs_error_set(err, "'%s' cannot be opened as an HDF5 file (damaged, or not a sweep "
                     "file); refusing to touch it", path);
    } else if (check_identity(sf, path, err) == 0) {
        sf->path = gs_strdup(path);
        return sf;
    }
    close_datasets(sf);
    if (sf->file >= 0)
        H5Fclose(sf->file);
    close(sf->lock);
    free(sf);
    return NULL;
}

static int read_status(hid_t file, hsize_t *nruns, int64_t **done, uint64_t **digest);
struct digest_set;
static struct digest_set *digest_set_new(hid_t file, hsize_t nruns);
static void digest_set_free(struct digest_set *ds);
static int run_digest(const struct digest_set *ds, hsize_t run, uint64_t *h);

/* The datasets of a run's digest, listed on first use; NULL if they cannot be. */
static const struct digest_set *digest_datasets(struct sweep_file *sf)
{
    if (!sf->dset)
        sf->dset = digest_set_new(sf->file, sf->s->nruns);
    return sf->dset;
}

/* Runs not yet done, in run order; a done run whose stored results do not match its
 * digest is an error (the file is corrupted: resuming would keep a wrong result). */
size_t *sweep_io_missing(struct sweep_file *sf, size_t *n, struct gs_error *err)
{
    hsize_t nruns;
    int64_t *done;
    uint64_t *stored, h;
    *n = 0;
    if (read_status(sf->file, &nruns, &done, &stored) != 0 || nruns != sf->s->nruns) {
        free(done);
        free(stored);
        gs_error_set(err, "cannot read the done flags of the sweep file");
        return NULL;
    }
    size_t *todo = gs_malloc((nruns ? nruns : 1) * sizeof *todo);
    for (size_t r = 0; r < nruns && todo; r++) {
        if (done[r] != 1)
            todo[(*n)++] = r;
        else if (!digest_datasets(sf) || run_digest(sf->dset, r, &h) != 0 || h != stored[r]) {
            gs_error_set(err, "sweep file '%s' is corrupted: the stored results of run %zu do not "
                         "match their digest (/status/result_digest); refusing to resume it: run "
                         "the sweep again into a new file (another -o)", sf->path, r);
            free(todo);
            todo = NULL;
        }
    }
    free(done);
    free(stored);
    return todo;
}

/* Writes count values at [run, ...] of a dataset of rank 1-3. */
static int write_slab(hid_t d, size_t run, const double *v, hsize_t n1, hsize_t n2, int rank)
{
    hsize_t start[3] = {run, 0, 0}, count[3] = {1, n1, n2};
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(rank, count, NULL);
    int rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dwrite(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v) >= 0 ? 0 : -1;
    H5Sclose(ms);
    H5Sclose(fs);
    return rc;
}

static int durable(struct sweep_file *sf)
{
    return fsync(sf->lock) != 0 && errno != EINVAL ? -1 : 0;
}

/* The digest of the run's results as written (read back), into status/result_digest. */
static int write_digest(struct sweep_file *sf, size_t run)
{
    uint64_t h;
    hsize_t start = run, count = 1;
    if (!digest_datasets(sf) || run_digest(sf->dset, run, &h) != 0)
        return -1;
    hid_t fs = H5Dget_space(sf->digest), ms = H5Screate_simple(1, &count, NULL);
    int rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0 &&
             H5Dwrite(sf->digest, H5T_NATIVE_UINT64, ms, fs, H5P_DEFAULT, &h) >= 0 ? 0 : -1;
    H5Sclose(ms);
    H5Sclose(fs);
    return rc;
}

int sweep_io_write(struct sweep_file *sf, size_t run, const double *rec, struct gs_error *err)
{
    const struct sweep *s = sf->s;
    int rc = 0;
    size_t n = 0;
    for (int f = 0; f < N_SUMMARY; f++)
        rc |= write_slab(sf->summary[f], run, rec + n++, 1, 1, 1);
    for (int f = 0; f < N_LEVEL_FIELDS; f++, n += N_LEVELS)
        rc |= write_slab(sf->level[f], run, rec + n, N_LEVELS, 1, 2);
    for (int f = 0; f < N_CATEGORY_FIELDS; f++, n += N_CATEGORIES)
        rc |= write_slab(sf->cat[f], run, rec + n, N_CATEGORIES, 1, 2);
    if (s->timeseries) {
        hsize_t rows = (hsize_t)s->ts_rows, cols = (hsize_t)s->ts_cols;
        rc |= write_slab(sf->day, run, rec + n, rows, 1, 2);
        n += rows;
        for (int f = 0; f < N_SERIES; f++, n += rows * cols)
            rc |= write_slab(sf->series[f], run, rec + n, rows, cols, 3);
    }
    rc |= write_slab(sf->wall, run, rec + n, 1, 1, 1);
    rc |= write_digest(sf, run);
    /* the results reach the disk (fsync) before the run is marked done */
    if (rc != 0 || H5Fflush(sf->file, H5F_SCOPE_GLOBAL) < 0 || durable(sf) != 0 ||
        write_slab(sf->done, run, &(double){1}, 1, 1, 1) != 0 ||
        H5Fflush(sf->file, H5F_SCOPE_GLOBAL) < 0 || durable(sf) != 0)
        return gs_error_set(err, "writing run %zu to the sweep file failed (disk full?); the runs "
                            "written so far are kept, use --resume", run);
    return 0;
}

int sweep_io_close(struct sweep_file *sf, int complete, struct gs_error *err)
{
    int rc = 0;
    if (complete)
        rc = H5Dwrite(sf->complete, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                      &(double){1}) < 0 ? -1 : 0;
    close_datasets(sf);
    digest_set_free(sf->dset);
    if (H5Fclose(sf->file) < 0)
        rc = -1;
    if (durable(sf) != 0)
        rc = -1;
    close(sf->lock);   /* releases the lock */
    free(sf->path);
    free(sf);
    return rc ? gs_error_set(err, "closing the sweep file failed") : 0;
}

/* ---- per-run result digests ---- */

/* The datasets a run's digest covers: every dataset under /results and /timeseries
 * whose leading dimension is the run (not the done flags, not dimension scales), in
 * name order, found once per open file. A run's digest hashes, for each, its path
 * with its NUL, then the run's slab of it as stored. */
struct digest_set {
    hid_t *d;
    char **path;
    size_t n, cap;
    hsize_t nruns;
    int failed;
};

static int collect_dataset(hid_t file, hid_t obj, const char *at, void *ctx)
{
    struct digest_set *ds = ctx;
    hid_t fs = H5Dget_space(obj);
    hsize_t dims[H5S_MAX_RANK];
    int rank = fs >= 0 ? H5Sget_simple_extent_dims(fs, dims, NULL) : -1;
    if (fs >= 0)
        H5Sclose(fs);
    if (rank < 1 || dims[0] != ds->nruns || H5DSis_scale(obj) > 0 || strcmp(at, "/results/done") == 0)
        return 0;
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? 2 * ds->cap : 64;
        ds->d = gs_realloc(ds->d, ds->cap * sizeof *ds->d);
        ds->path = gs_realloc(ds->path, ds->cap * sizeof *ds->path);
    }
    ds->path[ds->n] = gs_strdup(at);
    ds->d[ds->n++] = H5Dopen2(file, at, H5P_DEFAULT);
    return 0;
}

static void digest_set_free(struct digest_set *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->d[i] >= 0) H5Dclose(ds->d[i]);
        free(ds->path[i]);
    }
    free(ds->d);
    free(ds->path);
    free(ds);
}

/* The datasets of an open sweep file of nruns runs; NULL if they cannot be listed. */
static struct digest_set *digest_set_new(hid_t file, hsize_t nruns)
{
    struct digest_set *ds = gs_calloc(1, sizeof *ds);
    ds->nruns = nruns;
    const char *roots[] = {"/results", "/timeseries"};
    for (int k = 0; k < 2 && !ds->failed; k++) {
        if (H5Lexists(file, roots[k], H5P_DEFAULT) <= 0)
            continue;
        ds->failed |= io_walk_datasets(file, roots[k], collect_dataset, ds) != 0;
    }
    for (size_t i = 0; i < ds->n; i++)
        ds->failed |= ds->d[i] < 0;
    if (ds->failed) {
        digest_set_free(ds);
        return NULL;
    }
    return ds;
}

/* Hashes the run's slab of dataset d, as stored. */
static int digest_slab(hid_t d, hsize_t run, uint64_t *h)
{
    hid_t fs = H5Dget_space(d), type = H5Dget_type(d), ms = -1;
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = {0};
    int rank = fs >= 0 ? H5Sget_simple_extent_dims(fs, dims, NULL) : -1, rc = -1;
    if (rank >= 1 && type >= 0) {
        size_t n = H5Tget_size(type);
        start[0] = run;
        dims[0] = 1;
        for (int k = 1; k < rank; k++)
            n *= dims[k];
        unsigned char *buf = gs_malloc(n ? n : 1);
        ms = H5Screate_simple(rank, dims, NULL);
        if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, dims, NULL) >= 0 &&
            H5Dread(d, type, ms, fs, H5P_DEFAULT, buf) >= 0) {
            *h = digest_update(*h, buf, n);
            rc = 0;
        }
        free(buf);
    }
    if (ms >= 0) H5Sclose(ms);
    if (type >= 0) H5Tclose(type);
    if (fs >= 0) H5Sclose(fs);
    return rc;
}

/* The digest of run `run`'s results as stored; -1 if they cannot be read. */
static int run_digest(const struct digest_set *ds, hsize_t run, uint64_t *h)
{
    *h = DIGEST_INIT;
    for (size_t i = 0; i < ds->n; i++) {
        *h = digest_update(*h, ds->path[i], strlen(ds->path[i]) + 1);
        if (digest_slab(ds->d[i], run, h) != 0)
            return -1;
    }
    return 0;
}

/* The done flags and stored digests of every run, read whole. */
static int read_status(hid_t file, hsize_t *nruns, int64_t **done, uint64_t **digest)
{
    hid_t dd = H5Dopen2(file, "results/done", H5P_DEFAULT), dg = H5Dopen2(file, "status/result_digest", H5P_DEFAULT);
    hid_t space = dg >= 0 ? H5Dget_space(dg) : -1;
    int rc = space >= 0 && H5Sget_simple_extent_dims(space, nruns, NULL) == 1 ? 0 : -1;
    *done = NULL;
    *digest = NULL;
    if (rc == 0) {
        *done = gs_malloc((*nruns ? *nruns : 1) * sizeof **done);
        *digest = gs_malloc((*nruns ? *nruns : 1) * sizeof **digest);
        rc = H5Dread(dd, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, *done) < 0 ||
             H5Dread(dg, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, *digest) < 0 ? -1 : 0;
    }
    if (space >= 0) H5Sclose(space);
    if (dd >= 0) H5Dclose(dd);
    if (dg >= 0) H5Dclose(dg);
    return rc;
}

long long sweep_io_check_digests(int64_t file)
{
    if (H5Lexists(file, "status", H5P_DEFAULT) <= 0 ||
        H5Lexists(file, "status/result_digest", H5P_DEFAULT) <= 0)
        return -1;
    hsize_t nruns;
    int64_t *done;
    uint64_t *stored, h;
    long long bad = -1;
    struct digest_set *ds = NULL;
    if (read_status(file, &nruns, &done, &stored) != 0 || !(ds = digest_set_new(file, nruns)))
        bad = 0;
    for (hsize_t r = 0; bad < 0 && r < nruns; r++)
        if (done[r] == 1 && (run_digest(ds, r, &h) != 0 || h != stored[r]))
            bad = (long long)r;
    digest_set_free(ds);
    free(done);
    free(stored);
    return bad;
}
