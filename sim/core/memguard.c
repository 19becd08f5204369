/* memguard.c: the memory this process may use (see memguard.h). */
#define _GNU_SOURCE
#include "memguard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const double gib = 1073741824.0;

/* Pages of this process (total virtual size, data) from /proc/self/statm, in bytes. */
static void current_use(double *vsize, double *data)
{
    *vsize = *data = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return;
    unsigned long size, resident, shared, text, lib, dat;
    if (fscanf(f, "%lu %lu %lu %lu %lu %lu", &size, &resident, &shared, &text, &lib, &dat) == 6) {
        double page = (double)sysconf(_SC_PAGESIZE);
        *vsize = (double)size * page;
        *data = (double)dat * page;
    }
    fclose(f);
}

/* The memory limit of this process's cgroup, or 0 if none is found. */
static double cgroup_limit(void)
{
    char rel[1100] = "", path[1200], line[1100];
    FILE *f = fopen("/proc/self/cgroup", "r");
    int v2 = 0;
    while (f && fgets(line, sizeof line, f)) {   /* "0::/path" (v2) or "N:memory:/path" (v1) */
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "0::", 3) == 0 && !rel[0]) {
            snprintf(rel, sizeof rel, "%s", line + 3);
            v2 = 1;
        } else {
            char *c = strchr(line, ':');
            if (c && strncmp(c + 1, "memory:", 7) == 0) {
                snprintf(rel, sizeof rel, "%s", c + 8);
                v2 = 0;
                break;
            }
        }
    }
    if (f)
        fclose(f);
    const char *candidates[4];
    int n = 0;
    if (v2) {
        snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", rel);
        candidates[n++] = path;
        candidates[n++] = "/sys/fs/cgroup/memory.max";
    } else {
        snprintf(path, sizeof path, "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", rel);
        candidates[n++] = path;
        candidates[n++] = "/sys/fs/cgroup/memory/memory.limit_in_bytes";
    }
    for (int i = 0; i < n; i++) {
        FILE *g = fopen(candidates[i], "r");
        if (!g)
            continue;
        char buf[64] = "";
        int ok = fgets(buf, sizeof buf, g) != NULL;
        fclose(g);
        if (!ok || strncmp(buf, "max", 3) == 0)
            return 0;
        double v = strtod(buf, NULL);
        return v > 0 && v < 9.0e18 ? v : 0;   /* v1 says "no limit" with a huge number */
    }
    return 0;
}

double memguard_available(char *what, size_t n)
{
    double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    double best = 0.8 * phys;
    snprintf(what, n, "this machine's memory (%.1f GiB)", phys / gib);
    double cg = cgroup_limit();
    if (cg > 0 && 0.8 * cg < best) {
        best = 0.8 * cg;
        snprintf(what, n, "the cgroup's memory limit (memory.max, %.1f GiB)", cg / gib);
    }
    double vsize, data;
    current_use(&vsize, &data);
    struct rlimit r;
    if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY) {
        double left = (double)r.rlim_cur - vsize;
        if (left < best) {
            best = left > 0 ? left : 0;
            snprintf(what, n, "the process's address-space limit (ulimit -v, %.2f GiB, of which "
                     "%.2f GiB in use)", (double)r.rlim_cur / gib, vsize / gib);
        }
    }
    if (getrlimit(RLIMIT_DATA, &r) == 0 && r.rlim_cur != RLIM_INFINITY) {
        double left = (double)r.rlim_cur - data;
        if (left < best) {
            best = left > 0 ? left : 0;
            snprintf(what, n, "the process's data limit (ulimit -d, %.2f GiB, of which %.2f GiB "
                     "in use)", (double)r.rlim_cur / gib, data / gib);
        }
    }
    return best;
}
