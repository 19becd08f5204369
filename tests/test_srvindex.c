/* The server index of large pools (models/engine/srvindex.c) against the scan it
 * replaces: for random servers on two shifts (vacancies, jobs ending at any time,
 * ties of free_at), random changes and a growing `from`, the index must name the same
 * server at the same start every time, including after a rebuild and when `from`
 * goes back. No timing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "rng.h"
#include "srvindex.h"

/* The scan of service.c's earliest_start for a pooled unit: least (t, free_at, index). */
static struct server *scan(struct unit *u, double from, double *start)
{
    struct server *best = NULL;
    for (int i = 0; i < u->nservers; i++) {
        struct server *s = &u->servers[i];
        double t = s->ready < from ? shift_next_on_duty(s->shift, from) : s->ready;
        if (!best || t < *start || (t == *start && s->free_at < best->free_at)) {
            best = s;
            *start = t;
        }
    }
    return best;
}

/* A random new state for server s: free at a time near `from` (often on the hour, so
 * that free_at ties), sometimes vacant for a while or for good. */
static void change(struct unit *u, struct server *s, double from, gsl_rng *r)
{
    double u1 = gsl_rng_uniform(r);
    s->free_at = from + (u1 < 0.5 ? floor(gsl_rng_uniform(r) * 48) - 12 : gsl_rng_uniform(r) * 60 - 12);
    double u2 = gsl_rng_uniform(r);
    s->vacant_until = u2 < 0.05 ? INFINITY : u2 < 0.15 ? from + gsl_rng_uniform(r) * 500 : -INFINITY;
    server_set_ready(u, s);
}

static int trial(int nservers, int stagger, uint64_t seed)
{
    struct shift sh[2] = {{8.5, 8, 5, 1}, {8.5 + stagger, 8, 5, 1}};
    struct unit u = {0};
    u.nservers = nservers;
    u.npools = 1;
    u.servers = calloc((size_t)nservers, sizeof *u.servers);
    gsl_rng *r = rng_new();
    rng_stream_set(r, seed, RNG_TEST, 17, 0, 0);
    double from = 100.0;
    for (int i = 0; i < nservers; i++) {
        u.servers[i].shift = &sh[i % 2 && stagger];
        change(&u, &u.servers[i], from, r);
    }
    int bad = 0;
    for (int q = 0; q < 20000 && !bad; q++) {
        from += gsl_rng_uniform(r) < 0.3 ? 0.0 : gsl_rng_uniform(r) * 0.7;
        if (q == 10000)
            from -= 30.0;   /* never seen in a run: the index rebuilds */
        double t_scan = 0, t_index = 0;
        struct server *a = scan(&u, from, &t_scan), *b = srvindex_earliest(&u, from, &t_index);
        if (a != b || t_scan != t_index) {
            printf("  n=%d stagger=%d query %d: scan server %td at %.17g, index %td at %.17g\n",
                   nservers, stagger, q, a - u.servers, t_scan, b ? b - u.servers : -1, t_index);
            bad = 1;
        }
        change(&u, a, from, r);   /* the chosen one starts a job; others change now and then */
        if (gsl_rng_uniform(r) < 0.3)
            change(&u, &u.servers[gsl_rng_uniform_int(r, (unsigned long)nservers)], from, r);
    }
    srvindex_free(&u);
    gsl_rng_free(r);
    free(u.servers);
    return !bad;
}

int main(void)
{
    int sizes[] = {32, 33, 100, 720};
    for (int k = 0; k < 4; k++)
        for (int stagger = 0; stagger < 2; stagger++)
            CHECK(trial(sizes[k], stagger * 3, 1000u + (uint64_t)k),
                  "index and scan agree: %d servers, %s", sizes[k], stagger ? "two shifts" : "one shift");
    return check_report("test_srvindex");
}
