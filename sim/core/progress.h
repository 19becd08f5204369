/* progress.h: progress with an estimated time left, on a terminal only. */
#ifndef GOVSIM_PROGRESS_H
#define GOVSIM_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct progress {
    int enabled;       /* stderr is a terminal and not --quiet */
    int rate;          /* also show <what>s per second (when what counts runs) */
    double start, last;
    int shown;         /* width of the line on screen, 0 when none */
    const char *what;  /* "day", "run", ... */
};

void progress_init(struct progress *pr, const char *what, int quiet);
/* progress_init for a count of runs: the line also shows runs per second. */
void progress_init_runs(struct progress *pr, const char *what, int quiet);
/* Matches sim_progress_fn. Prints only once the work has taken over a second. */
void progress_update(void *pr, int64_t done, int64_t total);
/* Clears the progress line, if one was shown. */
void progress_finish(struct progress *pr);
/* The line progress_update prints after `elapsed` seconds; returns its length. */
int progress_format(char *buf, size_t size, const struct progress *pr, int64_t done,
                    int64_t total, double elapsed);

#endif
