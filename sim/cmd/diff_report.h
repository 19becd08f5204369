/* diff_report.h: `govsim diff --format json|junit`: the outputs compared by diff_files,
 * collected through diff_opts.record and printed for CI systems (diff_report.c). */
#ifndef GOVSIM_DIFF_REPORT_H
#define GOVSIM_DIFF_REPORT_H

#include <stdio.h>

#include "diff.h"

enum diff_format { DIFF_TEXT, DIFF_JSON, DIFF_JUNIT };

struct diff_report;

/* A report that collects what diff_files finds: pass diff_report_stream as its `out`
 * (its lines become the messages) and set o->record = diff_report_record,
 * o->ctx = the report. */
struct diff_report *diff_report_new(void);
FILE *diff_report_stream(struct diff_report *rep);
void diff_report_record(const struct diff_record *r, void *ctx);
/* Prints the report in `format` (DIFF_JSON or DIFF_JUNIT) for files a and b. */
void diff_report_print(FILE *f, struct diff_report *rep, enum diff_format format, const char *a,
                       const char *b, const struct diff_opts *o);
void diff_report_free(struct diff_report *rep);

#endif
