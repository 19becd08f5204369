/* memguard.h: how much memory this process may use, from every limit that applies.
 *
 * The smallest of: 80% of physical memory; the process's address-space and data
 * limits (getrlimit RLIMIT_AS, RLIMIT_DATA: `ulimit -v`, `ulimit -d`, minus what the
 * process uses already); the cgroup's limit (cgroup v2 memory.max, or v1
 * memory.limit_in_bytes, of this process's cgroup; 80% of it). Commands compare their
 * memory estimate against it before any work and before any output exists. */
#ifndef GOVSIM_MEMGUARD_H
#define GOVSIM_MEMGUARD_H

#include <stddef.h>

/* Bytes this process may still allocate; `what` (n bytes) names the binding limit,
 * e.g. "physical memory (15.5 GiB)" or "the process limit (ulimit -v, 2.0 GiB)". */
double memguard_available(char *what, size_t n);

#endif
