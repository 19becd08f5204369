/* hostprobe.c: how fast this host is right now, in two numbers bench.py records with
 * every round of timings (not part of govsim, not a test).
 *
 *   compute: nanoseconds per Philox4x64-10 block, the generator govsim draws from
 *            (independent blocks: the core's arithmetic throughput and clock);
 *   memory:  nanoseconds per load in a chain of dependent loads through a random
 *            cycle of the cache lines of a 128 MiB block (larger than the last-level
 *            cache; ordinary 4 KiB pages, as govsim's data): the latency that govsim's
 *            scattered reads of households, grids and queues pay.
 *
 * On a shared virtual machine both move with what the other guests do; a year of
 * govsim that took longer while the memory latency was higher was slowed by the
 * host, not by the code. Prints one line: "compute_ns <x> memory_ns <y>". */
#define _POSIX_C_SOURCE 200809L
#include <Random123/philox.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LINES ((size_t)2 << 20)   /* 2 Mi lines of 64 bytes: 128 MiB */
#define BLOCKS 4000000L

static volatile uint64_t sink;   /* keeps the loops below from being optimised away */

struct line {
    uint64_t next;
    uint64_t pad[7];
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double compute_ns(void)
{
    philox4x64_ctr_t c = {{0, 0, 0, 0}};
    philox4x64_key_t k = {{1, 2}};
    uint64_t acc = 0;
    double t0 = now();
    for (long i = 0; i < BLOCKS; i++) {
        c.v[3] = (uint64_t)i;
        acc ^= philox4x64(c, k).v[0];
    }
    double t1 = now();
    sink = acc;
    return 1e9 * (t1 - t0) / (double)BLOCKS;
}

/* Sattolo's algorithm: a random permutation that is one cycle through every line. */
static void link_cycle(struct line *a)
{
    uint64_t *order = malloc(LINES * sizeof *order);
    if (!order) {
        fprintf(stderr, "hostprobe: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < LINES; i++)
        order[i] = i;
    philox4x64_key_t k = {{3, 4}};
    for (size_t i = LINES - 1; i > 0; i--) {
        philox4x64_ctr_t c = {{i, 0, 0, 0}};
        size_t j = (size_t)(philox4x64(c, k).v[0] % i);
        uint64_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < LINES; i++)
        a[order[i]].next = order[(i + 1) % LINES];
    free(order);
}

static double memory_ns(void)
{
    struct line *a = malloc(LINES * sizeof *a);
    if (!a) {
        fprintf(stderr, "hostprobe: out of memory\n");
        exit(1);
    }
    link_cycle(a);
    uint64_t j = 0;
    for (size_t i = 0; i < LINES / 4; i++)   /* warm the page tables a little */
        j = a[j].next;
    size_t n = LINES;
    double t0 = now();
    for (size_t i = 0; i < n; i++)
        j = a[j].next;
    double t1 = now();
    sink = j;
    free(a);
    return 1e9 * (t1 - t0) / (double)n;
}

int main(void)
{
    double c = compute_ns();
    double m = memory_ns();
    printf("compute_ns %.2f memory_ns %.1f\n", c, m);
    return 0;
}
