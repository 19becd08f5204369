/* check.h: a minimal test harness. CHECK records a failure with file and line and
 * goes on; a test program returns non-zero when any check failed. */
#ifndef GOVSIM_CHECK_H
#define GOVSIM_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures = 0, check_count = 0;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        check_count++;                                                          \
        if (!(cond)) {                                                          \
            check_failures++;                                                   \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fprintf(stderr, "\n");                                              \
        }                                                                       \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                        \
    CHECK(strstr((haystack), (needle)) != NULL, "'%s' does not contain '%s'", (haystack), (needle))

static int check_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
