/* io.h: writes a run to HDF5 (layout documented in docs/output.md).
 *
 * The file is written under a temporary name in the target directory and renamed
 * only when complete, so a file with the final name is always whole. */
#ifndef GOVSIM_IO_H
#define GOVSIM_IO_H

#include "param.h"
#include "sched.h"

#define IO_SCHEMA_VERSION 7

struct io_provenance {
    const char *command_line;
    int threads;
    const char *start_time;   /* ISO 8601, UTC */
};

int io_write_run(const char *path, const struct param_set *ps, const struct sim_output *out,
                 const struct io_provenance *prov, struct gs_error *err);

/* Checks before a run that `path` can be created (directory exists, writable; not a
 * symbolic link, not too long): safeout_check without inputs. Commands call
 * safeout_check with their input files instead, so that an input is never replaced. */
int io_check_writable(const char *path, struct gs_error *err);

/* Helpers shared with other HDF5 writers (sweep_io.c, compare_io.c); hid_t is an int64_t. */
#include <hdf5.h>
int io_text_attr(hid_t obj, const char *name, const char *value);
int io_number_attr(hid_t obj, const char *name, hid_t type, const void *value);
/* `units` and `description` attributes; the description must not be empty. */
int io_describe(hid_t d, const char *units, const char *description);
/* CF-style global attributes on the root group of `file`: Conventions ("CF-1.8"),
 * title, source (govsim version and source revision) and history ("START: govsim
 * COMMAND LINE"). Every file kind carries them (docs/output.md). */
int io_cf_global(hid_t file, const char *title, const char *command_line, const char *start_time);
/* A 1-d int64 dimension scale `name` holding 0 .. n-1. Caller closes. */
hid_t io_index_scale(hid_t loc, const char *name, hsize_t n, const char *desc);
/* Program, build and library versions, command line and start time on group g. */
int io_common_provenance(hid_t g, const char *command_line, const char *start_time);
/* Dataset of rank 0 (dims NULL), 1 or 2 from doubles; `integer` stores int64. Caller closes. */
hid_t io_write_array(hid_t loc, const char *name, int rank, const hsize_t *dims,
                     const double *data, int integer, const char *units, const char *desc);
/* A scalar UTF-8 string dataset. Caller closes. */
hid_t io_write_text(hid_t loc, const char *name, const char *text, const char *units,
                    const char *desc);
/* A 1-d dimension scale named after its dimension. Caller closes. */
hid_t io_write_scale(hid_t loc, const char *name, hsize_t n, const double *values,
                     int integer, const char *units, const char *desc);
/* One array per field of a list, each with the given dimension scales attached. */
int io_write_fields(hid_t g, const struct field_def *fields, int n, int rank,
                    const hsize_t *dims, const double *const *data, const hid_t *scales);
/* Group `parameters` under loc: one scalar dataset per parameter, with its source. */
int io_write_parameters(hid_t loc, const struct param_set *ps);
/* The time-to-resolution bins in group g: scale `ttr_bin` (lower edges, returned
 * open in *scale) and `ttr_bin_upper`. */
int io_write_ttr_bins(hid_t g, hid_t *scale);

#endif
