/* libFuzzer harness: the sweep file reader and design builder (sweep_load) on
 * arbitrary bytes. sweep_load reads a path, so the bytes go to a scratch file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/govsim-fuzz-sweep-%ld.yaml", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    struct sweep *s = NULL;
    struct gs_error err;
    if (sweep_load(path, &s, &err) == 0)
        sweep_free(s);
    else
        GS_ASSERT(strlen(err.msg) > 0);
    return 0;
}
