/* io_h5.h: the HDF5 building blocks of io.c, for commands that write their own
 * files (calibrate). Every dataset gets `units` and `description` attributes. */
#ifndef GOVSIM_IO_H5_H
#define GOVSIM_IO_H5_H

#include <hdf5.h>

#include "io.h"

/* A dataset of rank 0 (dims NULL), 1 or 2 from doubles, stored as int64 when
 * `integer`; chunked and compressed. Returns the open dataset (caller closes) or -1. */
/* A 1-d dataset of n strings. Returns 0 or -1. */
int io_h5_strings(hid_t loc, const char *name, size_t n, const char *const *values,
                  const char *units, const char *desc);
/* The /provenance group (seed from ps) and the /parameters group (ps resolved). */
int io_h5_provenance(hid_t file, const struct param_set *ps, double wall_seconds,
                     const struct io_provenance *prov);

/* Creates the file under a temporary name beside path (written into tmp, of size
 * n); returns the file or -1 with a message. */
hid_t io_h5_create(const char *path, char *tmp, size_t n, struct gs_error *err);
/* Closes f and renames tmp to path when ok, or removes tmp. Returns 0 or -1. */
int io_h5_finish(hid_t f, int ok, const char *tmp, const char *path, struct gs_error *err);

#endif
