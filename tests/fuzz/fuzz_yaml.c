/* libFuzzer harness: the YAML scenario loader (param_load_yaml_string) and the
 * checks that follow it, on arbitrary bytes. Any crash, leak or undefined
 * behaviour is a bug; refusing the input with a message is the expected outcome. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "param.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct param_set *ps = param_set_new();
    struct gs_error err;
    if (param_load_yaml_string(ps, "fuzz.yaml", (const char *)data, size, &err) == 0)
        (void)param_check(ps, &err);
    else
        GS_ASSERT(strlen(err.msg) > 0);   /* every refusal says why */
    param_set_free(ps);
    return 0;
}
