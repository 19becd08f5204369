/* libFuzzer harness: `--set KEY=VALUE` (param_apply_assignment), one assignment
 * per line of the input, then the cross-checks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "param.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct param_set *ps = param_set_new();
    struct gs_error err;
    int rc = 0;
    for (char *line = text, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        rc = param_apply_assignment(ps, line, &err);
        GS_ASSERT(rc == 0 || strlen(err.msg) > 0);
    }
    if (rc == 0)
        (void)param_check(ps, &err);
    param_set_free(ps);
    free(text);
    return 0;
}
