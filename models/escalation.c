/* escalation.c: requests move up grid -> community -> street -> district.
 *
 * A unit passes a request up into its own outbox; after the level's service
 * phase, each parent takes its children's outboxes in child order: in the step
 * ending at t1, what was passed up before t1. (A street's outbox holds a whole day
 * when the district merges it, step by step: sched.c.) Queues order
 * requests by (time entered, id), so the result does not depend on threads.
 * Direct docking: a request of a docked category that needs a street or the
 * district passes through the community at once (department staff take it
 * straight from the grid leader). At a community, a professional of its co-building
 * units may take a request as it enters (cobuild.c). */
#include <math.h>

#include "expiry.h"
#include "phases.h"

void escalation_pass_up(struct world *w, struct unit *u, struct request *q, double t)
{
    GS_ASSERT(q->level + 1 < N_LEVELS);
    struct grid_state *gs = &w->grids[q->grid];
    gs->total.escalated[q->level]++;
    world_log(w, q, EV_PASSED_UP, t);
    q->level++;
    q->entered = t;
    world_log(w, q, EV_ENTERED, t);
    gs->total.entered[q->level]++;
    reqvec_push(&u->outbox, q);
    w->passed_up[u->level][u - w->units[u->level]] = 1;
}

void escalation_merge(struct world *w, int level, int64_t j, double t1, gsl_rng *r)
{
    const int64_t *first = w->child_first[level];
    struct unit *parent = &w->units[level][j];
    for (int64_t c = first[j]; c < first[j + 1]; c++) {
        if (!w->passed_up[level - 1][c])   /* checked without touching the child unit */
            continue;
        struct reqvec *out = &w->units[level - 1][c].outbox;
        size_t i = out->head;
        for (; i < out->n && out->a[i].entered < t1; i++) {
            struct request *q = &out->a[i];
            if (level == LEVEL_COMMUNITY && q->need > LEVEL_COMMUNITY &&
                w->p->cat[q->category].docked) {
                w->grids[q->grid].total.docked_skips++;
                escalation_pass_up(w, parent, q, q->entered);
                continue;
            }
            if (level == LEVEL_COMMUNITY && cobuild_first_contact(w, j, q, r))
                continue;
            casework_on_entry(w, q);
            reqheap_push(&parent->queue, q);
            parent->next_expiry = time_min(parent->next_expiry, service_expiry(w, q));
        }
        /* below the district a parent merges in the same step as its children pass up */
        GS_ASSERT(level == LEVEL_DISTRICT || i == out->n);
        if (i == out->head)
            continue;   /* all passed up in a later step */
        out->head = i;
        if (i == out->n) {
            out->n = out->head = 0;
            w->passed_up[level - 1][c] = 0;
        }
        w->wake[level][j] = -INFINITY;
    }
}
