/* diff.h: compares the result datasets of two govsim files output by output. */
#ifndef GOVSIM_DIFF_H
#define GOVSIM_DIFF_H

#include <stdio.h>

#include "error.h"

struct diff_opts {
    double rtol, atol;   /* values a, b agree when |a - b| <= atol + rtol * |b|; NaN == NaN */
    int verbose;         /* also list outputs that agree */
};

/* Compares the root attributes and every dataset of every group of files a and b
 * (/provenance and a sweep's /status/wall_seconds are ignored) and prints one line per
 * output that differs, then what was compared. Returns the number of differing
 * outputs, or -1 with err filled when a file cannot be read or the two files are of
 * different kinds (run, sweep, compare, calibration) or schema versions. */
int diff_files(const char *a, const char *b, const struct diff_opts *o, FILE *out,
               struct gs_error *err);

#endif
