/* safeout.h: the one way govsim writes an output file (run -o, sweep -o, compare -o,
 * calibrate -o; compare --report is checked here and written by the analysis package
 * the same way).
 *
 * - Before any work, safeout_check refuses (exit 2) a path that is too long, a
 *   symbolic link (neither written through nor replaced: give the target's path; the
 *   same for a fresh sweep and --resume), or the same file (inode) as an input; and
 *   fails (exit 1) when the directory is missing or not writable or the path is a
 *   directory.
 * - A file is written whole under a temporary name PATH.tmp.PID created exclusively
 *   (O_EXCL) in the same directory, fsynced, renamed over PATH (or linked to it when
 *   PATH must not exist yet, so of two concurrent creators the second fails), and the
 *   directory fsynced. On every failure the temporary is removed.
 * - A file written in place over a long time (a sweep) is locked (flock, exclusive)
 *   for the whole time it is open, so a second writer is refused with a clear message. */
#ifndef GOVSIM_SAFEOUT_H
#define GOVSIM_SAFEOUT_H

#include <stddef.h>

#include "error.h"

/* Longest output path accepted, in bytes (the temporary adds ".tmp.PID"). */
#define SAFEOUT_PATH_MAX 4000

/* Checks output path `path` against the inputs (files that must not be overwritten;
 * NULL or "" entries are skipped). Returns 0, or -1 with err filled and *status set to
 * 2 (refused: too long, symbolic link, an input) or 1 (directory missing or not
 * writable, or a directory). */
int safeout_check(const char *path, const char *const *inputs, size_t ninputs, int *status,
                  struct gs_error *err);

/* PATH.tmp.PID into tmp (n bytes); -1 with err if it does not fit. */
int safeout_tmpname(const char *path, char *tmp, size_t n, struct gs_error *err);

/* Writes n bytes to PATH whole: exclusive temporary, write, fsync, rename, fsync of
 * the directory. Nothing of either name is left on failure. */
int safeout_save(const char *path, const void *buf, size_t n, struct gs_error *err);

/* Checks that a file of `bytes` fits: under the file-size limit (ulimit -f) and in
 * the free space of path's file system (statvfs; nothing is written, so it is fast on
 * any file system): a full disk is reported before a library writes into it (HDF5
 * 1.10 crashes at exit after failing to write). tmp is unused. Returns 0 or -1. */
int safeout_reserve(const char *tmp, const char *path, long long bytes, struct gs_error *err);

/* Makes the finished file tmp durable and gives it its name: fsync, then link (when
 * exclusive: fails if path exists) or rename, then fsync of the directory. tmp is
 * removed in every case. Returns 0, or -1 with err (*exists set when path appeared). */
int safeout_commit(const char *tmp, const char *path, int exclusive, int *exists,
                   struct gs_error *err);

/* Opens path read-write and locks it exclusively without waiting. Returns the file
 * descriptor (keep it open while writing; fsync it to make writes durable; close it
 * to release), or -1 with err (another process holds it: "in use"). */
int safeout_lock(const char *path, struct gs_error *err);

/* fsync of the directory holding path; 0 or -1. */
int safeout_sync_dir(const char *path);

#endif
