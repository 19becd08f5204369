/* memcheck.c: the memory check shared by every command (see memcheck.h). */
#include "memcheck.h"

#include <omp.h>

#include "memguard.h"
#include "world.h"

int memcheck_concurrent(int threads, double runs)
{
    int t = threads > 0 ? threads : omp_get_max_threads();
    return runs < t ? (runs < 1 ? 1 : (int)runs) : t;
}

int memcheck_runs(const struct params *p, int concurrent, struct gs_error *err)
{
    double part[N_MEM_PARTS], gib = 1073741824.0;
    double one = world_estimate_bytes(p, part);
    double need = one * (concurrent > 0 ? concurrent : 1);
    char what[256];
    double have = memguard_available(what, sizeof what);
    double hh = (double)p->grids * (double)p->households_per_grid;
    if (need <= have && hh < 4.0e9)
        return 0;
    char lead[160];
    if (concurrent > 1)
        snprintf(lead, sizeof lead, "%d runs at once (one per thread; fewer with --threads) would "
                 "need about %.1f GiB of memory, each run about %.1f GiB", concurrent, need / gib,
                 one / gib);
    else
        snprintf(lead, sizeof lead, "this run would need about %.1f GiB of memory", need / gib);
    return gs_error_set(err, "%s (households %.1f, units and staff %.1f, requests %.1f, time "
                        "series %.1f, event log %.1f GiB) for %.3g households (world.grids x "
                        "grid.households); the limit is %s, %.1f GiB usable%s. Reduce the size.",
                        lead, part[MEM_HOUSEHOLDS] / gib, part[MEM_STAFF] / gib,
                        part[MEM_REQUESTS] / gib, part[MEM_SERIES] / gib, part[MEM_EVENTS] / gib,
                        hh, what, have / gib, hh < 4.0e9 ? "" : ", and at most 4e9 households fit");
}
