/* io.c: the HDF5 writer. Every dataset gets `units` and `description`
 * attributes; an empty description is refused. Arrays are chunked and compressed;
 * array dimensions are HDF5 dimension scales, so xarray sees named dimensions. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "build_info.h"
#include "digest.h"
#include "h5util.h"
#include "io_h5.h"
#include "safeout.h"
#include "world.h"

int io_text_attr(hid_t obj, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate(H5S_SCALAR), a = -1;
    int rc = -1;
    TRY(type);
    TRY(H5Tset_size(type, H5T_VARIABLE));
    TRY(H5Tset_cset(type, H5T_CSET_UTF8));
    TRY(a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
    TRY(H5Awrite(a, type, &value));
    rc = 0;
fail:
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return rc;
}

int io_number_attr(hid_t obj, const char *name, hid_t type, const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = (a >= 0 && H5Awrite(a, type, value) >= 0) ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    return rc;
}

int io_describe(hid_t d, const char *units, const char *description)
{
    GS_ASSERT(description && *description);
    return (io_text_attr(d, "units", units) == 0 && io_text_attr(d, "description", description) == 0)
               ? 0 : -1;
}

/* Writes a dataset of rank 0 (dims NULL), 1 or 2 from doubles; `integer` stores int64. */
hid_t io_write_array(hid_t loc, const char *name, int rank, const hsize_t *dims,
                         const double *data, int integer, const char *units, const char *desc)
{
    hid_t space = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), d = -1;
    TRY(space);
    if (rank > 0 && dims[0] > 0 && (rank == 1 || dims[1] > 0)) {
        hsize_t chunk[2] = {dims[0] < 512 ? dims[0] : 512, rank > 1 ? (dims[1] < 64 ? dims[1] : 64) : 1};
        TRY(H5Pset_chunk(dcpl, rank, chunk));
        TRY(H5Pset_shuffle(dcpl));
        TRY(H5Pset_deflate(dcpl, 1));
    }
    TRY(d = H5Dcreate2(loc, name, integer ? H5T_STD_I64LE : H5T_IEEE_F64LE, space,
                       H5P_DEFAULT, dcpl, H5P_DEFAULT));
    TRY(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data));
    TRY(io_describe(d, units, desc));
    H5Pclose(dcpl);
    H5Sclose(space);
    return d;
fail:
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    return -1;
}

int io_write_scalar(hid_t loc, const char *name, double v, int integer, const char *units,
                        const char *desc)
{
    hid_t d = io_write_array(loc, name, 0, NULL, &v, integer, units, desc);
    return d >= 0 && H5Dclose(d) >= 0 ? 0 : -1;
}

/* A 1-d dimension scale named after its dimension. Caller closes. */
hid_t io_write_scale(hid_t loc, const char *name, hsize_t n, const double *values,
                         int integer, const char *units, const char *desc)
{
    hid_t d = io_write_array(loc, name, 1, &n, values, integer, units, desc);
    if (d >= 0 && H5DSset_scale(d, name) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

hid_t io_index_scale(hid_t loc, const char *name, hsize_t n, const char *desc)
{
    double *idx = gs_malloc((n ? n : 1) * sizeof *idx);
    for (hsize_t i = 0; i < n; i++)
        idx[i] = (double)i;
    hid_t d = io_write_scale(loc, name, n, idx, 1, "", desc);
    free(idx);
    return d;
}

int io_cf_global(hid_t file, const char *title, const char *command_line, const char *start_time)
{
    char source[256];
    snprintf(source, sizeof source, "govsim %s (source revision %s)", GOVSIM_VERSION,
             GOVSIM_GIT_REVISION);
    size_t n = strlen(start_time) + strlen(command_line) + 16;
    char *history = gs_malloc(n);
    snprintf(history, n, "%s: govsim %s", start_time, command_line);
    int rc = io_text_attr(file, "Conventions", "CF-1.8") | io_text_attr(file, "title", title) |
             io_text_attr(file, "source", source) | io_text_attr(file, "history", history);
    free(history);
    return rc ? -1 : 0;
}

int io_common_provenance(hid_t g, const char *command_line, const char *start_time)
{
    char gsl[32], hdf5[32];
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    snprintf(hdf5, sizeof hdf5, "%u.%u.%u", maj, min, rel);
    snprintf(gsl, sizeof gsl, "%s", gsl_version);
    int rc = io_text_attr(g, "program_version", GOVSIM_VERSION) | io_text_attr(g, "source_revision", GOVSIM_GIT_REVISION) |
             io_text_attr(g, "compiler", GOVSIM_C_COMPILER) | io_text_attr(g, "c_flags", GOVSIM_C_FLAGS) |
             io_text_attr(g, "build_type", GOVSIM_BUILD_TYPE) | io_text_attr(g, "gsl_version", gsl) |
             io_text_attr(g, "hdf5_version", hdf5) | io_text_attr(g, "yaml_version", yaml_get_version_string()) |
             io_text_attr(g, "random_generator", "Random123 philox4x64-10, key (seed, purpose), counter (entity, step, substream, block)") |
             io_text_attr(g, "command_line", command_line) |
             io_text_attr(g, "start_time", start_time);
    return rc ? -1 : 0;
}

static int write_provenance(hid_t file, const struct param_set *ps, double wall_seconds,
                            const struct io_provenance *prov)
{
    hid_t g = H5Gcreate2(file, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    long long seed = (long long)ps->p.seed, threads = prov->threads;
    int rc = io_common_provenance(g, prov->command_line, prov->start_time) |
             io_text_attr(g, "scenario_file", ps->file[0] ? ps->file : "(built-in defaults)") |
             io_number_attr(g, "seed", H5T_NATIVE_LLONG, &seed) |
             io_number_attr(g, "threads", H5T_NATIVE_LLONG, &threads) |
             io_number_attr(g, "processes", H5T_NATIVE_LLONG, &(long long){1}) |
             io_number_attr(g, "wall_seconds", H5T_NATIVE_DOUBLE, &wall_seconds);
    H5Gclose(g);
    return rc ? -1 : 0;
}

hid_t io_write_text(hid_t loc, const char *name, const char *text, const char *units,
                    const char *desc)
{
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate(H5S_SCALAR), ds = -1;
    if (type >= 0 && space >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 &&
        H5Tset_cset(type, H5T_CSET_UTF8) >= 0)
        ds = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ds >= 0 && (H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0 ||
                    io_describe(ds, units, desc) < 0)) {
        H5Dclose(ds);
        ds = -1;
    }
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return ds;
}

int io_write_parameters(hid_t file, const struct param_set *ps)
{
    hid_t g = H5Gcreate2(file, "parameters", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < param_count && rc == 0; i++) {
        const struct param_def *d = &param_table[i];
        hid_t ds;
        if (d->type == PT_STRING) {
            ds = io_write_text(g, d->name, (const char *)&ps->p + d->offset, d->unit, d->meaning);
        } else {
            ds = io_write_array(g, d->name, 0, NULL, &(double){param_get_number(&ps->p, d)},
                             d->type != PT_DOUBLE, d->unit, d->meaning);
        }
        rc = ds < 0 || io_text_attr(ds, "source", param_source_names[ps->source[i]]) < 0;
        if (ds >= 0)
            H5Dclose(ds);
    }
    H5Gclose(g);
    return rc ? -1 : 0;
}

int io_write_ttr_bins(hid_t g, hid_t *scale)
{
    hsize_t n = TTR_BINS;
    hid_t upper = io_write_array(g, "ttr_bin_upper", 1, &n, ttr_bin_edges + 1, 0, "hours",
                                 "Upper edge of a time-to-resolution bin (exclusive; the last is infinite)");
    if (upper < 0)
        return -1;
    *scale = io_write_scale(g, "ttr_bin", n, ttr_bin_edges, 0, "hours",
                            "Lower edge of a time-to-resolution bin (inclusive)");
    int rc = *scale >= 0 && H5DSattach_scale(upper, *scale, 0) >= 0 ? 0 : -1;
    H5Dclose(upper);
    return rc;
}

static int write_ttr_histogram(hid_t g, const struct summary *s)
{
    hsize_t n = TTR_BINS;
    hid_t scale = -1, d = -1;
    int rc = -1;
    TRY(io_write_ttr_bins(g, &scale));
    TRY(d = io_write_array(g, "time_to_resolution_histogram", 1, &n, s->ttr_hist, 0,
                           "fraction of resolved requests",
                           "Distribution of time from arising to resolution over the bins ttr_bin; NaN if none resolved"));
    TRY(H5DSattach_scale(d, scale, 0));
    rc = 0;
fail:
    if (d >= 0) H5Dclose(d);
    if (scale >= 0) H5Dclose(scale);
    return rc;
}

static int write_summary(hid_t file, const struct summary *s)
{
    hid_t g = H5Gcreate2(file, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), bin = -1, d = -1;
    if (g < 0)
        return -1;
    int rc = -1;
    for (int f = 0; f < N_SUMMARY; f++)
        TRY(io_write_scalar(g, summary_fields[f].name, s->v[f], summary_fields[f].integer,
                         summary_fields[f].units, summary_fields[f].description));
    double centres[HIST_BINS];
    for (int b = 0; b < HIST_BINS; b++)
        centres[b] = (b + 0.5) / HIST_BINS;
    hsize_t nb = HIST_BINS;
    TRY(bin = io_write_scale(g, "score_bin", nb, centres, 0, "score in [0,1]",
                          "Centre of a score bin of width 0.1 (the top bin includes 1)"));
    TRY(d = io_write_array(g, "satisfaction_histogram", 1, &nb, s->satisfaction_hist, 0,
                        "fraction of households", "Distribution of household satisfaction at the end"));
    TRY(H5DSattach_scale(d, bin, 0));
    H5Dclose(d);
    TRY(d = io_write_array(g, "trust_histogram", 1, &nb, s->trust_hist, 0, "fraction of households",
                        "Distribution of household trust at the end"));
    TRY(H5DSattach_scale(d, bin, 0));
    TRY(write_ttr_histogram(g, s));
    rc = 0;
fail:
    if (d >= 0) H5Dclose(d);
    if (bin >= 0) H5Dclose(bin);
    H5Gclose(g);
    return rc;
}

/* Writes one array per field of a list, each with the given dimension scales. */
int io_write_fields(hid_t g, const struct field_def *fields, int n, int rank,
                        const hsize_t *dims, const double *const *data, const hid_t *scales)
{
    for (int f = 0; f < n; f++) {
        hid_t d = io_write_array(g, fields[f].name, rank, dims, data[f], fields[f].integer,
                              fields[f].units, fields[f].description);
        if (d < 0)
            return -1;
        for (int k = 0; k < rank; k++)
            if (H5DSattach_scale(d, scales[k], (unsigned)k) < 0) {
                H5Dclose(d);
                return -1;
            }
        H5Dclose(d);
    }
    return 0;
}

/* A group of 1-d fields over one indexed dimension whose scale carries labels. */
struct indexed_group {
    const char *group, *dim, *dim_description;
    const char *const *labels;
    int n;
    const struct field_def *fields;
    int nfields;
};

static int write_indexed(hid_t file, const struct indexed_group *ig, const double *const *data)
{
    hid_t g = H5Gcreate2(file, ig->group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), scale = -1;
    if (g < 0)
        return -1;
    int rc = -1;
    hsize_t n = (hsize_t)ig->n;
    double idx[64];
    char labels[1024] = "";
    GS_ASSERT(ig->n <= 64);
    for (int i = 0; i < ig->n; i++) {
        idx[i] = i;
        strncat(labels, ig->labels[i], sizeof labels - strlen(labels) - 2);
        strcat(labels, i + 1 < ig->n ? " " : "");
    }
    TRY(scale = io_write_scale(g, ig->dim, n, idx, 1, "", ig->dim_description));
    TRY(io_text_attr(scale, "labels", labels));
    TRY(io_write_fields(g, ig->fields, ig->nfields, 1, &n, data, &scale));
    rc = 0;
fail:
    if (scale >= 0) H5Dclose(scale);
    H5Gclose(g);
    return rc;
}

static int write_levels(hid_t file, const struct summary *s)
{
    static const struct indexed_group ig = {"levels", "level",
        "Level of the hierarchy: 0 grid, 1 community, 2 street, 3 district (labels attribute)",
        level_names, N_LEVELS, level_fields, N_LEVEL_FIELDS};
    const double *data[N_LEVEL_FIELDS];
    for (int f = 0; f < N_LEVEL_FIELDS; f++)
        data[f] = s->level[f];
    return write_indexed(file, &ig, data);
}

static int write_categories(hid_t file, const struct summary *s)
{
    static const struct indexed_group ig = {"categories", "category",
        "Request category, in the order of the labels attribute", category_names, N_CATEGORIES,
        category_fields, N_CATEGORY_FIELDS};
    const double *data[N_CATEGORY_FIELDS];
    for (int f = 0; f < N_CATEGORY_FIELDS; f++)
        data[f] = s->cat[f];
    return write_indexed(file, &ig, data);
}

static int write_groups(hid_t file, const struct summary *s)
{
    static const struct indexed_group ig = {"households", "group",
        "Household group: type (urban, resettled, migrant) without and with an elderly member (labels attribute)",
        group_names, N_GROUPS, group_fields, N_GROUP_FIELDS};
    const double *data[N_GROUP_FIELDS] = {s->group_households, s->group_sat_start, s->group_sat_end,
                                          s->group_trust_start, s->group_trust_end, s->group_gain};
    return write_indexed(file, &ig, data);
}

/* Coordinates of the community dimension of g (scale comm): `street`, the street
 * of each community (as the series recorded it from the world: an even, contiguous
 * split, or the community table's), and the scalar `district`; every dataset of
 * g named in fields lists them in its CF `coordinates` attribute. */
static int write_hierarchy_coords(hid_t g, const struct params *p, const double *recorded,
                                  hid_t comm, hsize_t ncomm, const struct field_def *fields, int nfields)
{
    double *street = gs_malloc((ncomm ? ncomm : 1) * sizeof *street);
    int64_t ns = p->streets;
    for (int64_t j = 0; j < ns; j++)
        for (int64_t c = j * (int64_t)ncomm / ns; c < (j + 1) * (int64_t)ncomm / ns; c++)
            street[c] = recorded ? recorded[c] : (double)j;
    hid_t d = io_write_array(g, "street", 1, &ncomm, street, 1, "index",
                             "Street index of each community (streets are numbered 0 .. world.streets-1)");
    free(street);
    int rc = d >= 0 && H5DSattach_scale(d, comm, 0) >= 0 ? 0 : -1;
    if (d >= 0)
        H5Dclose(d);
    d = io_write_text(g, "district", p->scenario_name, "text",
                      "The district simulated: the scenario's scenario.name");
    rc |= d >= 0 ? H5Dclose(d) : -1;
    for (int f = 0; f < nfields && rc == 0; f++) {
        d = H5Dopen2(g, fields[f].name, H5P_DEFAULT);
        rc = d >= 0 && io_text_attr(d, "coordinates", "street district") >= 0 ? 0 : -1;
        if (d >= 0)
            H5Dclose(d);
    }
    return rc ? -1 : 0;
}

static int write_series(hid_t file, const struct params *p, const struct series *ts)
{
    hid_t g = H5Gcreate2(file, "timeseries", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t day = -1, comm = -1;
    if (g < 0)
        return -1;
    int rc = -1;
    hsize_t dims[2] = {(hsize_t)ts->row, (hsize_t)ts->ncols};
    double *ids = gs_malloc((size_t)ts->ncols * sizeof *ids);
    for (int64_t c = 0; c < ts->ncols; c++)
        ids[c] = (double)c;
    TRY(day = io_write_scale(g, "day", dims[0], ts->day, 0, "days",
                          "Simulated day at the end of the interval the row covers"));
    TRY(comm = io_write_scale(g, "community", dims[1], ids, 1, "",
                           "Community index (communities are numbered street by street)"));
    hid_t scales[2] = {day, comm};
    TRY(io_write_fields(g, series_fields, N_SERIES, 2, dims, (const double *const *)ts->data, scales));
    TRY(write_hierarchy_coords(g, p, ts->row > 0 ? ts->street : NULL, comm, dims[1], series_fields, N_SERIES));
    rc = 0;
fail:
    free(ids);
    if (day >= 0) H5Dclose(day);
    if (comm >= 0) H5Dclose(comm);
    H5Gclose(g);
    return rc;
}

/* The per-request event log as columns; int64 columns are written natively. */
static int write_int_column(hid_t g, const char *name, const int64_t *v, hsize_t n, const char *units,
                            const char *desc)
{
    hid_t space = H5Screate_simple(1, &n, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), d = -1;
    hsize_t chunk = n < 65536 ? (n ? n : 1) : 65536;
    int rc = -1;
    TRY(H5Pset_chunk(dcpl, 1, &chunk));
    TRY(H5Pset_deflate(dcpl, 1));
    TRY(d = H5Dcreate2(g, name, H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
    TRY(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v));
    TRY(io_describe(d, units, desc));
    rc = 0;
fail:
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    return rc;
}

static int write_events(hid_t file, const struct sim_output *out)
{
    hid_t g = H5Gcreate2(file, "events", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    size_t n = out->nevents;
    double *t = gs_malloc((n ? n : 1) * sizeof *t);
    int64_t *col[4];
    for (int c = 0; c < 4; c++)
        col[c] = gs_malloc((n ? n : 1) * sizeof(int64_t));
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &out->events[i];
        t[i] = e->t;
        col[0][i] = (int64_t)e->request;
        col[1][i] = e->kind;
        col[2][i] = e->level;
        col[3][i] = e->category;
    }
    char kinds[256] = "";
    for (int k = 0; k < N_EVENT_KINDS; k++)
        strcat(strcat(kinds, event_kind_names[k]), k + 1 < N_EVENT_KINDS ? " " : "");
    hsize_t hn = n;
    hid_t d = io_write_array(g, "time", 1, &hn, t, 0, "hours", "Time of the event, hours from the start of the run");
    int rc = d < 0 ? -1 : H5Dclose(d) < 0;
    rc |= write_int_column(g, "request", col[0], hn, "request id",
        "Request id: home grid x 2^32 + sequence number within the grid");
    rc |= write_int_column(g, "kind", col[1], hn, "index",
        "Event kind, index into the attribute kind_labels of this group");
    rc |= write_int_column(g, "level", col[2], hn, "index",
        "Level holding the request at the event: 0 grid, 1 community, 2 street, 3 district");
    rc |= write_int_column(g, "category", col[3], hn, "index",
        "Request category, index into /categories/category labels");
    rc |= io_text_attr(g, "kind_labels", kinds);
    free(t);
    for (int c = 0; c < 4; c++)
        free(col[c]);
    H5Gclose(g);
    return rc ? -1 : 0;
}

int io_check_writable(const char *path, struct gs_error *err)
{
    return safeout_check(path, NULL, 0, NULL, err);
}

/* Writes n bytes to path whole (safeout_save: exclusive temporary, fsync, rename,
 * fsync of the directory); on any failure (disk full, file-size limit, permissions)
 * nothing with either name is left. */
static int save_file(const char *tmp, const char *path, const void *buf, size_t n,
                     struct gs_error *err)
{
    (void)tmp;   /* safeout_save names the same temporary itself */
    return safeout_save(path, buf, n, err);
}

/* The file is built in memory (HDF5 core driver, no backing store) and saved in one
 * piece by io_h5_finish, so a failing disk never leaves HDF5 with a half-written
 * open file (HDF5 1.10 crashed at exit on one). */
hid_t io_h5_create(const char *path, char *tmp, size_t n, struct gs_error *err)
{
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1;
    if (fapl >= 0 && H5Pset_fapl_core(fapl, 1 << 20, 0) >= 0)
        f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f < 0)
        return gs_error_set(err, "cannot create the HDF5 image of '%s'", path);
    long long schema = IO_SCHEMA_VERSION;
    if (io_number_attr(f, "schema_version", H5T_NATIVE_LLONG, &schema) != 0 ||
        io_text_attr(f, "program", "govsim") != 0) {
        H5Fclose(f);
        return gs_error_set(err, "building the HDF5 image of '%s' failed", path);
    }
    return f;
}

/* ---- the result digest ---- */

/* Hashes a dataset's values as stored. */
static int digest_values(hid_t d, uint64_t *h)
{
    hid_t type = H5Dget_type(d), space = H5Dget_space(d);
    hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    int rc = type >= 0 && n >= 0 ? 0 : -1;
    if (rc == 0 && n > 0 && H5Tis_variable_str(type) > 0) {
        char **v = gs_calloc((size_t)n, sizeof *v);
        rc = H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ? -1 : 0;
        for (hssize_t i = 0; rc == 0 && i < n; i++)
            *h = v[i] ? digest_update(*h, v[i], strlen(v[i]) + 1) : digest_update(*h, "", 1);
        if (rc == 0)
            H5Dvlen_reclaim(type, space, H5P_DEFAULT, v);
        free(v);
    } else if (rc == 0 && n > 0) {
        size_t bytes = (size_t)n * H5Tget_size(type);
        unsigned char *buf = gs_malloc(bytes);
        rc = H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ? -1 : 0;
        if (rc == 0)
            *h = digest_update(*h, buf, bytes);
        free(buf);
    }
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    return rc;
}

/* ---- a walk over every dataset of a file (io.h) ---- */

struct h5walk {
    io_dataset_visit visit;
    void *ctx;
    int failed;
    char path[1024];   /* the walk's current path */
};

static int walk_group(hid_t file, struct h5walk *w);

static herr_t walk_link(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    struct h5walk *w = data;
    size_t len = strlen(w->path);
    if (len + strlen(name) + 2 > sizeof w->path)
        return w->failed = 1, -1;
    snprintf(w->path + len, sizeof w->path - len, "/%s", name);
    hid_t file = H5Iget_file_id(g), obj = H5Oopen(file, w->path, H5P_DEFAULT);
    if (obj < 0)
        w->failed = 1;
    else if (H5Iget_type(obj) == H5I_GROUP)
        w->failed |= walk_group(file, w) != 0;
    else if (H5Iget_type(obj) == H5I_DATASET)
        w->failed |= w->visit(file, obj, w->path, w->ctx) != 0;
    if (obj >= 0) H5Oclose(obj);
    H5Fclose(file);
    w->path[len] = '\0';
    return w->failed ? -1 : 0;
}

static int walk_group(hid_t file, struct h5walk *w)
{
    hid_t g = H5Gopen2(file, w->path[0] ? w->path : "/", H5P_DEFAULT);
    if (g < 0)
        return -1;
    hsize_t idx = 0;
    herr_t rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, walk_link, w);
    H5Gclose(g);
    return rc < 0 ? -1 : 0;
}

int io_walk_datasets(hid_t file, const char *root, io_dataset_visit visit, void *ctx)
{
    struct h5walk w = {visit, ctx, 0, ""};
    if (strcmp(root, "/") != 0)
        snprintf(w.path, sizeof w.path, "%s", root);
    int rc = walk_group(file, &w);
    return rc != 0 || w.failed ? -1 : 0;
}

/* A dataset's path with its NUL, then its values; /provenance and the sweep's
 * /status/wall_seconds are not results. */
static int digest_visit(hid_t file, hid_t d, const char *path, void *ctx)
{
    (void)file;
    uint64_t *h = ctx;
    if (strncmp(path, "/provenance/", 12) == 0 || strcmp(path, "/status/wall_seconds") == 0)
        return 0;
    *h = digest_update(*h, path, strlen(path) + 1);
    return digest_values(d, h);
}

int io_result_digest(hid_t file, uint64_t *digest)
{
    *digest = DIGEST_INIT;
    return io_walk_datasets(file, "/", digest_visit, digest);
}

int io_check_digest(hid_t file, uint64_t *stored, uint64_t *computed)
{
    if (H5Aexists(file, "result_digest") <= 0)
        return -1;
    char *text = NULL, *end = NULL;
    hid_t a = H5Aopen(file, "result_digest", H5P_DEFAULT), t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    int rc = a >= 0 && H5Aread(a, t, &text) >= 0 && text ? 0 : -1;
    H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    *stored = rc == 0 ? strtoull(text, &end, 16) : 0;
    if (rc == 0 && (end == text || *end))
        rc = -1;
    if (text)
        H5free_memory(text);
    if (rc != 0 || io_result_digest(file, computed) != 0)
        return -1;
    return *stored == *computed;
}

/* The root attribute result_digest: 16 hexadecimal digits. */
static int write_digest(hid_t f)
{
    uint64_t h;
    char text[17];
    if (io_result_digest(f, &h) != 0)
        return -1;
    digest_format(h, text);
    return io_text_attr(f, "result_digest", text);
}

int io_h5_finish(hid_t f, int ok, const char *tmp, const char *path, struct gs_error *err)
{
    ok = ok && write_digest(f) == 0;
    void *image = NULL;
    ssize_t n = ok && H5Fflush(f, H5F_SCOPE_GLOBAL) >= 0 ? H5Fget_file_image(f, NULL, 0) : -1;
    if (n > 0) {
        image = gs_malloc((size_t)n);
        if (H5Fget_file_image(f, image, (size_t)n) != n)
            n = -1;
    }
    if (H5Fclose(f) < 0)
        n = -1;
    int rc = n > 0 ? save_file(tmp, path, image, (size_t)n, err)
                   : gs_error_set(err, "building the HDF5 image of '%s' failed; nothing was "
                                  "written", path);
    free(image);
    return rc;
}

int io_write_run(const char *path, const struct param_set *ps, const struct sim_output *out,
                 const struct io_provenance *prov, struct gs_error *err)
{
    char tmp[4096];
    hid_t f = io_h5_create(path, tmp, sizeof tmp, err);
    if (f < 0)
        return -1;
    char title[512];
    snprintf(title, sizeof title, "govsim run of scenario %s, seed %lld", ps->p.scenario_name,
             (long long)ps->p.seed);
    int rc = io_text_attr(f, "scenario", ps->p.scenario_name) |
             io_cf_global(f, title, prov->command_line, prov->start_time) |
             write_provenance(f, ps, out->wall_seconds, prov) | io_write_parameters(f, ps) |
             write_summary(f, &out->summary) | write_levels(f, &out->summary) |
             write_categories(f, &out->summary) | write_groups(f, &out->summary) |
             (ps->p.event_log ? write_events(f, out) : 0) | write_series(f, &ps->p, &out->series);
    return io_h5_finish(f, rc == 0, tmp, path, err);
}

/* ---- building blocks for other writers (io_h5.h) ---- */

int io_h5_strings(hid_t loc, const char *name, size_t n, const char *const *values,
                  const char *units, const char *desc)
{
    hsize_t dim = n;
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &dim, NULL), d = -1;
    int rc = -1;
    TRY(H5Tset_size(type, H5T_VARIABLE));
    TRY(H5Tset_cset(type, H5T_CSET_UTF8));
    TRY(d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (n > 0)
        TRY(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values));
    TRY(io_describe(d, units, desc));
    rc = 0;
fail:
    if (d >= 0) H5Dclose(d);
    H5Sclose(space);
    H5Tclose(type);
    return rc;
}

int io_h5_provenance(hid_t file, const struct param_set *ps, double wall_seconds,
                     const struct io_provenance *prov)
{
    return write_provenance(file, ps, wall_seconds, prov);
}

