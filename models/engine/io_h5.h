/* io_h5.h: the HDF5 building blocks of io.c, for commands that write their own
 * files (calibrate). Every dataset gets `units` and `description` attributes. */
#ifndef GOVSIM_IO_H5_H
#define GOVSIM_IO_H5_H

#include <hdf5.h>
#include <stdint.h>

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
/* Calls visit(file, dataset, path, ctx) for every dataset below the group root ("/"
 * for the whole file), in name order at every level, a group's datasets where the
 * group stands; path is the dataset's full path. Returns 0, or -1 if a group cannot be
 * read or a visit returned nonzero. */
typedef int (*io_dataset_visit)(hid_t file, hid_t d, const char *path, void *ctx);
int io_walk_datasets(hid_t file, const char *root, io_dataset_visit visit, void *ctx);
/* The result digest of an open file: 64-bit FNV-1a over every dataset outside
 * /provenance and /status/wall_seconds (what govsim diff compares), walked in name
 * order: each dataset's path with its NUL, then its values as stored (the bytes of
 * its file type; a variable-length string as its text with its NUL). Returns 0, or -1
 * if a dataset cannot be read. */
int io_result_digest(hid_t file, uint64_t *digest);
/* Checks the root attribute result_digest against the file's content: 1 if it agrees,
 * 0 if it does not (*stored, *computed filled), -1 if the file records none or a
 * dataset cannot be read. */
int io_check_digest(hid_t file, uint64_t *stored, uint64_t *computed);

/* Writes the root attribute result_digest, closes f and renames tmp to path when ok,
 * or removes tmp. Returns 0 or -1. */
int io_h5_finish(hid_t f, int ok, const char *tmp, const char *path, struct gs_error *err);

#endif
