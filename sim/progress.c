#include "progress.h"

#include <omp.h>
#include <stdio.h>
#include <unistd.h>

void progress_init(struct progress *pr, const char *what, int quiet)
{
    pr->enabled = !quiet && isatty(STDERR_FILENO);
    pr->start = pr->last = omp_get_wtime();
    pr->shown = 0;
    pr->what = what;
}

void progress_update(void *vp, int64_t done, int64_t total)
{
    struct progress *pr = vp;
    if (!pr->enabled || total <= 0)
        return;
    double now = omp_get_wtime(), elapsed = now - pr->start;
    if (elapsed < 1.0 || (now - pr->last < 0.25 && done < total))
        return;
    pr->last = now;
    pr->shown = 1;
    double left = done > 0 ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\r  %s %lld/%lld (%3.0f%%), %.0f s elapsed, about %.0f s left   ", pr->what,
            (long long)done, (long long)total, 100.0 * (double)done / (double)total, elapsed, left);
    fflush(stderr);
}

void progress_finish(struct progress *pr)
{
    if (pr->shown)
        fprintf(stderr, "\r%72s\r", "");
    pr->shown = 0;
}
