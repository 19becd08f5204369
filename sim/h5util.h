/* h5util.h: the HDF5 writing helpers of io.c, shared by the writers of other
 * commands (compare). Each returns a negative value on failure. Every dataset
 * written here gets `units` and `description` attributes. */
#ifndef GOVSIM_H5UTIL_H
#define GOVSIM_H5UTIL_H

#include <hdf5.h>

#include "param.h"
#include "summary.h"

int h5_text_attr(hid_t obj, const char *name, const char *value);
int h5_number_attr(hid_t obj, const char *name, hid_t type, const void *value);
/* Dataset of rank 0 (dims NULL), 1 or 2 from doubles; `integer` stores int64. Caller closes. */
hid_t h5_write_array(hid_t loc, const char *name, int rank, const hsize_t *dims,
                     const double *data, int integer, const char *units, const char *desc);
int h5_write_scalar(hid_t loc, const char *name, double v, int integer, const char *units,
                    const char *desc);
/* A scalar UTF-8 string dataset. Caller closes. */
hid_t h5_write_text(hid_t loc, const char *name, const char *text, const char *units,
                    const char *desc);
/* A 1-d dimension scale named after its dimension. Caller closes. */
hid_t h5_write_scale(hid_t loc, const char *name, hsize_t n, const double *values,
                     int integer, const char *units, const char *desc);
/* One array per field of a list, each with the given dimension scales attached. */
int h5_write_fields(hid_t g, const struct field_def *fields, int n, int rank,
                    const hsize_t *dims, const double *const *data, const hid_t *scales);
/* Group `parameters` under loc: one scalar dataset per parameter, with its source. */
int h5_write_parameters(hid_t loc, const struct param_set *ps);
/* The time-to-resolution bins: scale `ttr_bin` (lower edges, returned open in *scale)
 * and `ttr_bin_upper` in group g. */
int h5_write_ttr_bins(hid_t g, hid_t *scale);
/* Attributes describing the program build (version, revision, compiler, libraries). */
int h5_build_attrs(hid_t g);

#endif
