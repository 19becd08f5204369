#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gs_error_set(struct gs_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void gs_out_of_memory(size_t n)
{
    fprintf(stderr, "govsim: out of memory (failed to allocate %zu bytes)\n", n);
    abort();
}

void *gs_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        gs_out_of_memory(n);
    return p;
}

void *gs_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        gs_out_of_memory(count * size);
    return p;
}

void *gs_aligned_calloc(size_t align, size_t count, size_t size)
{
    size_t n = (count ? count : 1) * (size ? size : 1);
    n = (n + align - 1) / align * align;   /* aligned_alloc wants a multiple of align */
    void *p = aligned_alloc(align, n);
    if (!p)
        gs_out_of_memory(n);
    memset(p, 0, n);
    return p;
}

void *gs_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        gs_out_of_memory(n);
    return q;
}

char *gs_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = gs_malloc(n);
    memcpy(d, s, n);
    return d;
}

void gs_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "govsim: internal error: assertion '%s' failed at %s:%d\n",
            expr, file, line);
    abort();
}
