/* h5util.h: plumbing shared by every HDF5 writer and reader (the run writer
 * models/engine/io.c, and the commands' files: sweep_io.c, compare_io.c). */
#ifndef GOVSIM_H5UTIL_H
#define GOVSIM_H5UTIL_H

/* Every HDF5 call returns a negative hid_t/herr_t on failure: TRY(x) jumps to the
 * function's `fail:` label then, where what was opened is closed. */
#define TRY(x)                       \
    do {                             \
        if ((x) < 0)                 \
            goto fail;               \
    } while (0)

#endif
