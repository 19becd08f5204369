/* io.h: writes a run to HDF5 (layout documented in docs/output.md).
 *
 * The file is written under a temporary name in the target directory and renamed
 * only when complete, so a file with the final name is always whole. */
#ifndef GOVSIM_IO_H
#define GOVSIM_IO_H

#include "param.h"
#include "sched.h"

#define IO_SCHEMA_VERSION 3

struct io_provenance {
    const char *command_line;
    int threads;
    const char *start_time;   /* ISO 8601, UTC */
};

int io_write_run(const char *path, const struct param_set *ps, const struct sim_output *out,
                 const struct io_provenance *prov, struct gs_error *err);

/* Checks before a run that `path` can be created (directory exists, writable). */
int io_check_writable(const char *path, struct gs_error *err);

/* Helpers shared with other HDF5 writers (sweep_io.c); hid_t is an int64_t. */
#include <hdf5.h>
int io_text_attr(hid_t obj, const char *name, const char *value);
int io_number_attr(hid_t obj, const char *name, hid_t type, const void *value);
/* `units` and `description` attributes; the description must not be empty. */
int io_describe(hid_t d, const char *units, const char *description);
/* Program, build and library versions, command line and start time on group g. */
int io_common_provenance(hid_t g, const char *command_line, const char *start_time);

#endif
