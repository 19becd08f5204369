/* digest.h: 64-bit FNV-1a, the one small hash govsim uses to check that stored
 * bytes are the bytes written (checkpoint checksums, result digests). Not a
 * cryptographic hash: it detects corruption, not tampering. */
#ifndef GOVSIM_DIGEST_H
#define GOVSIM_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_INIT 1469598103934665603ULL

/* h updated with n bytes at p; start from DIGEST_INIT. */
uint64_t digest_update(uint64_t h, const void *p, size_t n);

/* The digest as 16 lower-case hex digits (buf: at least 17 bytes). */
void digest_format(uint64_t h, char *buf);

#endif
