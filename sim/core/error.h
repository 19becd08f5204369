/* error.h: error reporting, checked allocation and assertions.
 *
 * Functions that can fail return 0 on success and -1 on failure after filling a
 * struct gs_error with a message the caller can print. Allocation failure is not
 * an error a caller can handle: gs_malloc and friends abort with a message. */
#ifndef GOVSIM_ERROR_H
#define GOVSIM_ERROR_H

#include <stddef.h>

#define GS_ERRMSG_MAX 1024

struct gs_error {
    char msg[GS_ERRMSG_MAX];
};

/* Formats a message into err (which may be NULL); returns -1 so callers can
 * write `return gs_error_set(err, ...)`. */
int gs_error_set(struct gs_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Checked allocation: never returns NULL. Caller frees with free(). */
void *gs_malloc(size_t n);
void *gs_calloc(size_t count, size_t size);
/* Zeroed, on an `align`-byte boundary (a power of two, e.g. a cache line). */
void *gs_aligned_calloc(size_t align, size_t count, size_t size);
void *gs_realloc(void *p, size_t n);
char *gs_strdup(const char *s);
/* What the allocators above do when memory runs out: a message naming the size, abort.
 * For allocations they do not make (mmap in summary.c). */
void gs_out_of_memory(size_t n) __attribute__((noreturn));

void gs_assert_fail(const char *expr, const char *file, int line)
    __attribute__((noreturn));
#define GS_ASSERT(e) ((e) ? (void)0 : gs_assert_fail(#e, __FILE__, __LINE__))

#endif
