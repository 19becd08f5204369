/* progress.h: progress with an estimated time left, on a terminal only. */
#ifndef GOVSIM_PROGRESS_H
#define GOVSIM_PROGRESS_H

#include <stdint.h>

struct progress {
    int enabled;       /* stderr is a terminal and not --quiet */
    double start, last;
    int shown;
    const char *what;  /* "day", "run", ... */
};

void progress_init(struct progress *pr, const char *what, int quiet);
/* Matches sim_progress_fn. Prints only once the work has taken over a second. */
void progress_update(void *pr, int64_t done, int64_t total);
/* Clears the progress line, if one was shown. */
void progress_finish(struct progress *pr);

#endif
