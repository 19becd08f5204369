/* compare_io.c: the HDF5 file of `govsim compare` (layout in docs/output.md,
 * "Comparison files"). Written under a temporary name and renamed when complete. */
#include <errno.h>
#include <stddef.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "h5util.h"
#include "io.h"
#include "io_h5.h"

static hid_t new_group(hid_t loc, const char *name)
{
    return H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

/* Per-replicate summary: each field's values over replicates, plus the TTR histograms. */
static int write_rep_summary(hid_t sg, const struct cmp_scenario *s, int nrep, hid_t rep)
{
    hid_t g = new_group(sg, "summary"), bins = -1, d = -1;
    int rc = -1;
    double *buf = gs_malloc((size_t)N_SUMMARY * nrep * sizeof *buf);
    const double *data[N_SUMMARY];
    for (int f = 0; f < N_SUMMARY; f++) {
        for (int r = 0; r < nrep; r++)
            buf[(size_t)f * nrep + r] = s->summary[(size_t)r * N_SUMMARY + f];
        data[f] = &buf[(size_t)f * nrep];
    }
    hsize_t dims[2] = {(hsize_t)nrep, TTR_BINS};
    TRY(g);
    TRY(io_write_fields(g, summary_fields, N_SUMMARY, 1, dims, data, &rep));
    TRY(io_write_ttr_bins(g, &bins));
    TRY(d = io_write_array(g, "time_to_resolution_histogram", 2, dims, s->ttr_hist, 0,
                           "fraction of resolved requests",
                           "Each replicate's distribution of time from arising to resolution over the bins ttr_bin; NaN if none resolved"));
    TRY(H5DSattach_scale(d, rep, 0));
    TRY(H5DSattach_scale(d, bins, 1));
    rc = 0;
fail:
    free(buf);
    if (d >= 0) H5Dclose(d);
    if (bins >= 0) H5Dclose(bins);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* A per-replicate group over one index (level or category): field f of replicate r
 * at index i is data[(r * nfields + f) * n + i]. */
struct rep_indexed {
    const char *group, *dim, *dim_description;
    const char *const *labels;
    int n;
    const struct field_def *fields;
    int nfields;
};

static int write_rep_indexed(hid_t sg, const struct rep_indexed *ix, const double *src, int nrep,
                             hid_t rep)
{
    hid_t g = new_group(sg, ix->group), scale = -1;
    int rc = -1;
    size_t per = (size_t)nrep * ix->n;
    double *buf = gs_malloc(ix->nfields * per * sizeof *buf);
    const double **data = gs_malloc((size_t)ix->nfields * sizeof *data);
    char labels[1024] = "";
    for (int i = 0; i < ix->n; i++)
        snprintf(labels + strlen(labels), sizeof labels - strlen(labels), "%s%s", i ? " " : "",
                 ix->labels[i]);
    for (int f = 0; f < ix->nfields; f++) {
        for (int r = 0; r < nrep; r++)
            for (int i = 0; i < ix->n; i++)
                buf[f * per + (size_t)r * ix->n + i] = src[((size_t)r * ix->nfields + f) * ix->n + i];
        data[f] = &buf[f * per];
    }
    hsize_t dims[2] = {(hsize_t)nrep, (hsize_t)ix->n};
    TRY(g);
    TRY(scale = io_index_scale(g, ix->dim, (hsize_t)ix->n, ix->dim_description));
    TRY(io_text_attr(scale, "labels", labels));
    hid_t scales[2] = {rep, scale};
    TRY(io_write_fields(g, ix->fields, ix->nfields, 2, dims, data, scales));
    rc = 0;
fail:
    free(buf);
    free(data);
    if (scale >= 0) H5Dclose(scale);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int write_rep_levels(hid_t sg, const struct cmp_scenario *s, int nrep, hid_t rep)
{
    static const struct rep_indexed lv = {"levels", "level",
        "Level of the hierarchy: 0 grid, 1 community, 2 street, 3 district", level_names,
        N_LEVELS, level_fields, N_LEVEL_FIELDS};
    static const struct rep_indexed ct = {"categories", "category",
        "Request category, in the order of the labels attribute", category_names,
        N_CATEGORIES, category_fields, N_CATEGORY_FIELDS};
    return write_rep_indexed(sg, &lv, s->levels, nrep, rep) |
           write_rep_indexed(sg, &ct, s->cats, nrep, rep);
}

/* District totals over time: the series fields with district-wide descriptions. */
static int write_rep_series(hid_t sg, const struct cmp_scenario *s, int nrep, hid_t rep)
{
    hid_t g = new_group(sg, "timeseries"), day = -1;
    int rc = -1;
    struct field_def f[N_SERIES];
    char desc[N_SERIES][320];
    const double *data[N_SERIES];
    for (int i = 0; i < N_SERIES; i++) {
        f[i] = series_fields[i];
        snprintf(desc[i], sizeof desc[i], "%s; %s", series_fields[i].description,
                 series_fields[i].integer ? "district total (sum over communities)"
                                          : "mean over communities");
        f[i].description = desc[i];
        data[i] = &s->series[(size_t)i * nrep * s->nrows];
    }
    hsize_t dims[2] = {(hsize_t)nrep, (hsize_t)s->nrows};
    TRY(g);
    TRY(day = io_write_scale(g, "day", dims[1], s->day, 0, "days",
                             "Simulated day at the end of the interval the row covers"));
    hid_t scales[2] = {rep, day};
    TRY(io_write_fields(g, f, N_SERIES, 2, dims, data, scales));
    rc = 0;
fail:
    if (day >= 0) H5Dclose(day);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int write_scenario(hid_t parent, const struct comparison *c, int k)
{
    const struct cmp_scenario *s = &c->sc[k];
    char name[16];
    snprintf(name, sizeof name, "%d", k);
    hid_t g = new_group(parent, name), rep = -1, d = -1;
    int rc = -1;
    double *seeds = gs_malloc((size_t)c->nrep * sizeof *seeds);
    for (int r = 0; r < c->nrep; r++)
        seeds[r] = (double)s->seed[r];
    hsize_t n = (hsize_t)c->nrep;
    TRY(g);
    TRY(io_text_attr(g, "label", s->label) | io_text_attr(g, "scenario_file", s->path));
    TRY(d = io_write_text(g, "scenario_file_text", s->text, "text",
                          "The scenario file's text as read when the comparison ran"));
    TRY(io_write_parameters(g, s->ps));
    TRY(rep = io_index_scale(g, "realization", n, c->ndraws
        ? "Draw index 0 .. N-1 (--uncertainty: parameter set /uncertainty/parameters[draw] with the seed below; CF realization)"
        : "Replicate index 0 .. N-1 (CF realization: member of the ensemble of runs)"));
    TRY(io_text_attr(rep, "standard_name", "realization") | io_text_attr(rep, "long_name", "replicate"));
    H5Dclose(d);
    TRY(d = io_write_array(g, "seed", 1, &n, seeds, 1, "", "Seed (run.seed) of each replicate"));
    TRY(H5DSattach_scale(d, rep, 0));
    TRY(write_rep_summary(g, s, c->nrep, rep) | write_rep_levels(g, s, c->nrep, rep) |
        write_rep_series(g, s, c->nrep, rep));
    rc = 0;
fail:
    free(seeds);
    if (d >= 0) H5Dclose(d);
    if (rep >= 0) H5Dclose(rep);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* ---- /comparison ---- */

static int write_labels(hid_t g, const struct comparison *c, hid_t scale)
{
    const char **labels = gs_malloc((size_t)c->nscen * sizeof *labels);
    for (int k = 0; k < c->nscen; k++)
        labels[k] = c->sc[k].label;
    hsize_t n = (hsize_t)c->nscen;
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &n, NULL), d = -1;
    int rc = -1;
    TRY(H5Tset_size(type, H5T_VARIABLE));
    TRY(H5Tset_cset(type, H5T_CSET_UTF8));
    TRY(d = H5Dcreate2(g, "label", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    TRY(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, labels));
    TRY(io_text_attr(d, "units", "text") | io_text_attr(d, "description",
        "Label of each scenario: its scenario.name (made unique with #position if needed)"));
    TRY(H5DSattach_scale(d, scale, 0));
    rc = 0;
fail:
    free(labels);
    if (d >= 0) H5Dclose(d);
    H5Sclose(space);
    H5Tclose(type);
    return rc;
}

static int write_stat(hid_t g, const char *name, const struct cmp_stat *st, int nscen, size_t off,
                      int integer, const char *units, const char *desc, hid_t scale)
{
    double v[nscen];
    for (int k = 0; k < nscen; k++)
        v[k] = *(const double *)((const char *)&st[k] + off);
    if (integer)
        for (int k = 0; k < nscen; k++)
            v[k] = st[k].n;
    hsize_t n = (hsize_t)nscen;
    hid_t d = io_write_array(g, name, 1, &n, v, integer, units, desc);
    int rc = d >= 0 && H5DSattach_scale(d, scale, 0) >= 0 ? 0 : -1;
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* The attributes of an output's group: units, description, and what a reader needs
 * (outmeta.h): label_en, label_zh, better, negligible, headline. */
static int output_attrs(hid_t g, const struct comparison *c, int o, const struct cmp_output_info *in)
{
    double neg = cmp_negligible(c, o);
    long long head = in->headline;
    return io_text_attr(g, "units", in->units) | io_text_attr(g, "description", in->description) |
           io_text_attr(g, "label_en", in->label_en) | io_text_attr(g, "label_zh", in->label_zh) |
           io_text_attr(g, "better", in->better > 0 ? "higher" : in->better < 0 ? "lower" : "neither") |
           io_number_attr(g, "negligible", H5T_NATIVE_DOUBLE, &neg) |
           io_number_attr(g, "headline", H5T_NATIVE_LLONG, &head);
}

static int write_output(hid_t parent, const struct comparison *c, int o, int rank, hid_t scale)
{
    struct cmp_output_info in;
    cmp_output_info(o, &in);
    const struct cmp_stat *st = &c->stat[(size_t)o * c->nscen], *df = &c->diff[(size_t)o * c->nscen];
    const char *dsd = c->independent ? "Standard error of the difference (Welch)"
                                     : "Standard deviation of the paired differences over replicates";
    const int u = c->ndraws > 0;
    hid_t g = new_group(parent, in.name), d = -1;
    long long r = rank, m = in.main;
    hsize_t ns = (hsize_t)c->nscen;
    int n = c->nscen, rc = g < 0 ||
        output_attrs(g, c, o, &in) |
        io_number_attr(g, "main", H5T_NATIVE_LLONG, &m) | io_number_attr(g, "rank", H5T_NATIVE_LLONG, &r) |
        write_stat(g, "mean", st, n, offsetof(struct cmp_stat, mean), 0, in.units, u ? "Mean over the draws (parameter set and seed) with a finite value" : "Mean over the replicates with a finite value", scale) |
        write_stat(g, "ci_low", st, n, offsetof(struct cmp_stat, lo), 0, in.units, u ? "2.5th percentile over the draws (parameter set and seed)" : "Lower end of the 95% t-interval of the mean", scale) |
        write_stat(g, "ci_high", st, n, offsetof(struct cmp_stat, hi), 0, in.units, u ? "97.5th percentile over the draws (parameter set and seed)" : "Upper end of the 95% t-interval of the mean", scale) |
        write_stat(g, "sd", st, n, offsetof(struct cmp_stat, sd), 0, in.units, "Standard deviation over replicates", scale) |
        write_stat(g, "n", st, n, 0, 1, "runs", "Replicates with a finite value (NaN ones are left out)", scale) |
        write_stat(g, "diff", df, n, offsetof(struct cmp_stat, mean), 0, in.units, "Mean difference from the first scenario (0 for the first)", scale) |
        write_stat(g, "diff_ci_low", df, n, offsetof(struct cmp_stat, lo), 0, in.units, u ? "2.5th percentile of the paired difference over the draws" : "Lower end of the 95% interval of the difference", scale) |
        write_stat(g, "diff_ci_high", df, n, offsetof(struct cmp_stat, hi), 0, in.units, u ? "97.5th percentile of the paired difference over the draws" : "Upper end of the 95% interval of the difference", scale) |
        write_stat(g, "diff_sd", df, n, offsetof(struct cmp_stat, sd), 0, in.units, dsd, scale) |
        write_stat(g, "diff_n", df, n, 0, 1, "runs", "Replicates (pairs, if paired) used for the difference", scale);
    if (!rc) {
        d = io_write_array(g, "prob_better", 1, &ns, &c->prob[(size_t)o * c->nscen], 0, "fraction",
                           u ? "Share of the draws (parameter set and seed) in which the scenario is better than the reference (by the attribute better); NaN for the reference and when better is neither"
                             : "Share of the replicates (seeds) in which the scenario is better than the reference (by the attribute better); NaN for the reference and when better is neither");
        rc = d < 0 || H5DSattach_scale(d, scale, 0) < 0;
    }
    if (d >= 0)
        H5Dclose(d);
    if (g >= 0)
        H5Gclose(g);
    return rc ? -1 : 0;
}

/* ---- /uncertainty and /decompose ---- */

static int write_uncertainty(hid_t file, const struct comparison *c)
{
    hid_t g = new_group(file, "uncertainty"), p = -1, draw = -1, d = -1;
    int rc = -1;
    hsize_t n = (hsize_t)c->ndraws;
    double *v = gs_malloc((size_t)c->ndraws * sizeof *v);
    TRY(g);
    TRY(io_text_attr(g, "source", c->source));
    TRY(draw = io_index_scale(g, "draw", n, "Draw index 0 .. N-1: one parameter set with the seed of the replicate of the same index (realization)"));
    TRY(p = new_group(g, "parameters"));
    for (int j = 0; j < c->npar; j++) {
        const struct param_def *def = &param_table[c->par[j]];
        char desc[600];
        snprintf(desc, sizeof desc, "Value of %s in each draw, applied to every scenario that does "
                 "not set it itself (%s)", def->name, def->meaning);
        for (int r = 0; r < c->ndraws; r++)
            v[r] = c->draw[(size_t)r * c->npar + j];
        TRY(d = io_write_array(p, def->name, 1, &n, v, 0, def->unit, desc));
        TRY(H5DSattach_scale(d, draw, 0));
        H5Dclose(d);
        d = -1;
    }
    rc = 0;
fail:
    free(v);
    if (d >= 0) H5Dclose(d);
    if (draw >= 0) H5Dclose(draw);
    if (p >= 0) H5Gclose(p);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static hid_t write_strings(hid_t g, const char *name, const char **v, hsize_t n, const char *desc,
                           hid_t scale)
{
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &n, NULL), d = -1;
    int rc = -1;
    TRY(H5Tset_size(type, H5T_VARIABLE));
    TRY(H5Tset_cset(type, H5T_CSET_UTF8));
    TRY(d = H5Dcreate2(g, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    TRY(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v));
    TRY(io_text_attr(d, "units", "text") | io_text_attr(d, "description", desc));
    TRY(H5DSattach_scale(d, scale, 0));
    rc = 0;
fail:
    if (d >= 0) H5Dclose(d);
    H5Sclose(space);
    H5Tclose(type);
    return rc;
}

static int write_decompose_output(hid_t parent, const struct comparison *c, int o, hid_t scale)
{
    struct cmp_output_info in;
    cmp_output_info(o, &in);
    const struct cmp_stat *ef = &c->effect[(size_t)o * c->nlever];
    double sum = 0, total = c->total[o].mean;
    for (int l = 0; l < c->nlever; l++)
        sum += ef[l].mean;
    double inter = total - sum;
    const int u = c->ndraws > 0;
    hid_t g = new_group(parent, in.name), d = -1;
    int n = c->nlever, rc = g < 0 || output_attrs(g, c, o, &in) |
        write_stat(g, "effect", ef, n, offsetof(struct cmp_stat, mean), 0, in.units, "Mean paired difference (A + the lever alone) - A", scale) |
        write_stat(g, "effect_ci_low", ef, n, offsetof(struct cmp_stat, lo), 0, in.units, u ? "2.5th percentile of the paired difference over the draws" : "Lower end of the 95% t-interval of the effect", scale) |
        write_stat(g, "effect_ci_high", ef, n, offsetof(struct cmp_stat, hi), 0, in.units, u ? "97.5th percentile of the paired difference over the draws" : "Upper end of the 95% t-interval of the effect", scale);
    if (!rc) {
        rc = (d = io_write_array(g, "total", 0, NULL, &total, 0, in.units, "Mean paired difference B - A (all levers together; = /comparison diff of scenario 1)")) < 0;
        if (d >= 0) H5Dclose(d);
    }
    if (!rc) {
        rc = (d = io_write_array(g, "interaction", 0, NULL, &inter, 0, in.units, "total - the sum of the levers' effects: what the levers do together beyond (positive) or short of (negative) their separate effects")) < 0;
        if (d >= 0) H5Dclose(d);
    }
    if (g >= 0)
        H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_decompose(hid_t file, const struct comparison *c)
{
    hid_t g = new_group(file, "decompose"), scale = -1;
    int rc = -1;
    hsize_t n = (hsize_t)c->nlever;
    const char **names = gs_malloc((size_t)c->nlever * sizeof *names),
               **keys = gs_malloc((size_t)c->nlever * sizeof *keys);
    for (int l = 0; l < c->nlever; l++) {
        names[l] = c->lever[l].name;
        keys[l] = c->lever[l].keys;
    }
    TRY(g);
    TRY(io_text_attr(g, "reference", c->sc[0].label) | io_text_attr(g, "alternative", c->sc[1].label));
    TRY(scale = io_index_scale(g, "lever", n, "Lever index: a parameter, or a group of them from the levers: mapping of the second scenario's file, in which the two scenarios differ"));
    TRY(write_strings(g, "lever_name", names, n, "Name of each lever (its group name, or its parameter)", scale));
    TRY(write_strings(g, "lever_keys", keys, n, "Parameters of each lever, comma-separated, set to the second scenario's values on top of the first", scale));
    for (int i = 0; i < CMP_OUTPUTS; i++)
        TRY(write_decompose_output(g, c, c->order[i], scale));
    rc = 0;
fail:
    free(names);
    free(keys);
    if (scale >= 0) H5Dclose(scale);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int write_comparison(hid_t file, const struct comparison *c)
{
    hid_t g = new_group(file, "comparison"), scale = -1;
    int rc = -1;
    TRY(g);
    TRY(io_text_attr(g, "method", c->independent ? "welch" : "paired") |
        io_text_attr(g, "reference", c->sc[0].label) |
        io_number_attr(g, "confidence", H5T_NATIVE_DOUBLE, &(double){0.95}) |
        io_text_attr(g, "interval_covers", c->ndraws ? "seeds and assumed parameters" : "seeds") |
        io_text_attr(g, "interval_kind", c->ndraws ? "2.5th to 97.5th percentile over the draws"
                                                   : c->independent ? "95% Welch interval of the mean difference"
                                                                    : "95% t-interval of the mean"));
    TRY(scale = io_index_scale(g, "scenario", (hsize_t)c->nscen,
                            "Scenario index, in the order of the command line (0 is the reference)"));
    TRY(write_labels(g, c, scale));
    for (int i = 0; i < CMP_OUTPUTS; i++)
        TRY(write_output(g, c, c->order[i], i, scale));
    rc = 0;
fail:
    if (scale >= 0) H5Dclose(scale);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int write_root(hid_t f, const struct comparison *c, const struct io_provenance *prov)
{
    long long ns = c->nscen, nr = c->nrep, crn = !c->independent;
    long long seed = (long long)c->base_seed, threads = prov->threads, draws = c->ndraws;
    long long levers = c->nlever;
    double wall = 0;
    for (int k = 0; k < c->nrun; k++)
        wall += c->sc[k].wall_seconds;
    char title[256];
    snprintf(title, sizeof title, "govsim comparison of %d scenarios, %d replicates each",
             c->nscen, c->nrep);
    hid_t g = new_group(f, "provenance");
    int rc = g < 0 ||
        io_cf_global(f, title, prov->command_line, prov->start_time) |
        io_text_attr(f, "kind", "compare") |
        io_number_attr(f, "scenarios", H5T_NATIVE_LLONG, &ns) |
        io_number_attr(f, "replicates", H5T_NATIVE_LLONG, &nr) |
        io_number_attr(f, "common_random_numbers", H5T_NATIVE_LLONG, &crn) |
        io_number_attr(f, "uncertainty_draws", H5T_NATIVE_LLONG, &draws) |
        io_text_attr(f, "uncertainty_source", c->ndraws ? c->source : "") |
        io_number_attr(f, "levers", H5T_NATIVE_LLONG, &levers) |
        io_common_provenance(g, prov->command_line, prov->start_time) |
        io_number_attr(g, "seed", H5T_NATIVE_LLONG, &seed) |
        io_number_attr(g, "threads", H5T_NATIVE_LLONG, &threads) |
        io_number_attr(g, "processes", H5T_NATIVE_LLONG, &(long long){1}) |
        io_number_attr(g, "wall_seconds", H5T_NATIVE_DOUBLE, &wall);
    if (g >= 0)
        H5Gclose(g);
    return rc ? -1 : 0;
}

int cmp_write_hdf5(const char *path, const struct comparison *c, const struct io_provenance *prov,
                   struct gs_error *err)
{
    char tmp[4096];
    hid_t f = io_h5_create(path, tmp, sizeof tmp, err);
    if (f < 0)
        return -1;
    int rc = write_root(f, c, prov);
    hid_t g = new_group(f, "scenarios");
    rc |= g < 0;
    for (int k = 0; k < c->nscen && !rc; k++)
        rc |= write_scenario(g, c, k);
    if (g >= 0)
        H5Gclose(g);
    rc |= rc ? 0 : write_comparison(f, c);
    rc |= rc || !c->ndraws ? 0 : write_uncertainty(f, c);
    rc |= rc || !c->nlever ? 0 : write_decompose(f, c);
    return io_h5_finish(f, rc == 0, tmp, path, err);
}
