/* digest.c: 64-bit FNV-1a (see digest.h). */
#include "digest.h"

#include <stdio.h>

uint64_t digest_update(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void digest_format(uint64_t h, char *buf)
{
    snprintf(buf, 17, "%016llx", (unsigned long long)h);
}
