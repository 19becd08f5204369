/* checkpoint.h: the complete state of a run between two days, in one file, so
 * that a run stopped at any point continues from its last checkpoint and writes
 * the same results as a run never stopped (`govsim run --checkpoint-every`,
 * `--restart`; format in docs/output.md).
 *
 * A checkpoint holds the identity of the build (version, source revision,
 * compiler, flags and a fingerprint of the state's memory layout), the resolved
 * parameters with their sources, the day it was taken, the world and the time
 * series so far. Random numbers need no saving: every draw comes from an entity's
 * counter-based stream, and the counters are part of the world. Pointers are not
 * saved: a restart builds the world afresh from the parameters (the constant parts:
 * hierarchy, household groups, shifts, tables) and then overwrites its state. The
 * file ends with a 64-bit FNV-1a checksum of everything before it and is written
 * through safeout_save (temporary, fsync, rename), so a kill mid-write leaves the
 * previous checkpoint whole. */
#ifndef GOVSIM_CHECKPOINT_H
#define GOVSIM_CHECKPOINT_H

#include <stdint.h>

#include "error.h"
#include "param.h"

struct world;
struct series;

/* A checkpoint read into memory and checked (magic, format, checksum, build). */
struct ckpt_file {
    unsigned char *buf;
    size_t n;
    size_t state;            /* offset of the world's state in buf */
    int64_t day;             /* days done when it was taken */
    struct param_set *ps;    /* its parameters */
};

/* Writes the state after `day` days to path. Returns 0, or -1 with err. */
int ckpt_save(const char *path, const struct param_set *ps, const struct world *w,
              const struct series *s, int64_t day, struct gs_error *err);

/* Reads and checks path. Returns 0, or -1 with err (not a checkpoint, damaged, or
 * from another build: the message says which). Free with ckpt_close. */
int ckpt_open(const char *path, struct ckpt_file *ck, struct gs_error *err);
void ckpt_close(struct ckpt_file *ck);

/* Overwrites the state of w and s, built afresh from ck->ps, with the checkpoint's.
 * Returns 0, or -1 with err if the checkpoint does not fit them. */
int ckpt_restore(const struct ckpt_file *ck, struct world *w, struct series *s,
                 struct gs_error *err);

#endif
