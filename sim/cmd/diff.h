/* diff.h: compares the result datasets of two govsim files output by output. */
#ifndef GOVSIM_DIFF_H
#define GOVSIM_DIFF_H

#include <stdio.h>

#include "error.h"

/* What became of one output (a dataset, or an attribute of the root). */
enum diff_status { DIFF_SAME, DIFF_DIFFERS, DIFF_SHAPE, DIFF_ONLY_A, DIFF_ONLY_B };

/* One output as compared, handed to diff_opts.record (after its line, if any, is printed). */
struct diff_record {
    const char *path;          /* e.g. "/summary/requests_arisen" */
    enum diff_status status;
    size_t n, n_differ;        /* values compared, values beyond tolerance (0 unless the
                                  shapes agree) */
    double max_abs, max_rel;   /* largest |a - b| and |a - b| / |b| over the values: NaN
                                  when not numbers, +infinity for a NaN against a number
                                  or a change from b = 0 */
};

struct diff_opts {
    double rtol, atol;   /* values a, b agree when |a - b| <= atol + rtol * |b|; NaN == NaN */
    int verbose;         /* also list outputs that agree */
    /* When set, called for every output compared, agreeing or not (diff_report.c). */
    void (*record)(const struct diff_record *r, void *ctx);
    void *ctx;
};

/* Compares the root attributes and every dataset of every group of files a and b
 * (/provenance and a sweep's /status/wall_seconds are ignored) and prints one line per
 * output that differs, then what was compared. Returns the number of differing
 * outputs, or -1 with err filled when a file cannot be read or the two files are of
 * different kinds (run, sweep, compare, calibration) or schema versions. */
int diff_files(const char *a, const char *b, const struct diff_opts *o, FILE *out,
               struct gs_error *err);

#endif
