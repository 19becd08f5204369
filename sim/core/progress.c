#include "progress.h"

#include <omp.h>
#include <stdio.h>
#include <unistd.h>

void progress_init(struct progress *pr, const char *what, int quiet)
{
    pr->enabled = !quiet && isatty(STDERR_FILENO);
    pr->rate = 0;
    pr->start = pr->last = omp_get_wtime();
    pr->shown = 0;
    pr->what = what;
}

void progress_init_runs(struct progress *pr, const char *what, int quiet)
{
    progress_init(pr, what, quiet);
    pr->rate = 1;
}

int progress_format(char *buf, size_t size, const struct progress *pr, int64_t done,
                    int64_t total, double elapsed)
{
    char rate[64] = "";
    if (pr->rate && elapsed > 0) {
        double r = (double)done / elapsed;
        /* whole numbers from 10/s, one decimal from 1/s, two significant digits below */
        snprintf(rate, sizeof rate, r >= 10 ? ", %.0f %ss/s" : r >= 1 ? ", %.1f %ss/s" : ", %.2g %ss/s",
                 r, pr->what);
    }
    double left = done > 0 ? elapsed * (double)(total - done) / (double)done : 0;
    return snprintf(buf, size, "  %s %lld/%lld (%3.0f%%)%s, %.0f s elapsed, about %.0f s left",
                    pr->what, (long long)done, (long long)total,
                    100.0 * (double)done / (double)total, rate, elapsed, left);
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
    char line[256];
    int n = progress_format(line, sizeof line, pr, done, total, elapsed);
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1;
    /* pad over a longer previous line */
    fprintf(stderr, "\r%s%*s", line, pr->shown > n ? pr->shown - n : 0, "");
    pr->shown = n > pr->shown ? n : pr->shown;
    fflush(stderr);
}

void progress_finish(struct progress *pr)
{
    if (pr->shown)
        fprintf(stderr, "\r%*s\r", pr->shown, "");
    pr->shown = 0;
}
