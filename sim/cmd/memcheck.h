/* memcheck.h: one memory estimate for every command that runs simulations (run,
 * sweep, compare, calibrate, validate), checked before any work and before any output
 * file exists. A run's estimate is world_estimate_bytes (households, units and staff,
 * requests, time series, and the event log when output.event_log is on); a command
 * running several simulations at once (one per thread) needs that many times the
 * largest. It is compared against memguard_available: physical memory, the process's
 * limits (ulimit -v, -d) and the cgroup's memory.max. */
#ifndef GOVSIM_MEMCHECK_H
#define GOVSIM_MEMCHECK_H

#include "error.h"
#include "param.h"

/* Checks that `concurrent` simulations of p at once fit; returns 0, or -1 with a
 * message giving the estimate by part and the limit that binds. */
int memcheck_runs(const struct params *p, int concurrent, struct gs_error *err);

/* Simulations at once of a batch of `runs` runs on `threads` threads (0: all). */
int memcheck_concurrent(int threads, double runs);

#endif
