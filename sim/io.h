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

#endif
