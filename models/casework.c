/* casework.c: the life cycle of a case beyond staff work.
 *
 * After a contact (a job at the level able to resolve it) a case may
 *  - be closed unsolved (probability casework.<level>_unsolved_prob);
 *  - wait on a third party (property company, utility, department; probability
 *    category.<c>.third_party_prob, lognormal wait with median
 *    category.<c>.third_party_days) or, otherwise, on the resident
 *    (casework.resident_wait_prob, median casework.resident_wait_days), holding no
 *    server; at the end of the wait it is resolved, or with probability
 *    casework.recontact_prob needs another contact and is queued again at the same
 *    level (at most casework.max_contacts contacts);
 *  - be resolved at once.
 * A closed case is checked by a follow-up call (回访) casework.followup_days later;
 * with probability casework.<level>_reopen_prob (casework.reopen_unsolved_prob if it
 * was closed unsolved; times casework.rushed_factor, capped at 1, if it was closed
 * while its unit had more than casework.rush_queue_per_staff requests queued per
 * post) it is found unsolved and re-enters the queue where it was closed. Whether it
 * will be reopened is drawn at the close: a case the follow-up will reopen records no
 * outcome (residents know it is not solved) and stays open until then; one that
 * will not records its outcome at the close.
 * A level may push a case it could solve up ("遇到难题往上推"): decided when the
 * case enters the level (casework_on_entry), so it costs a triage there, unless
 * first-asked responsibility (grid) or full-process agency (grid and community)
 * holds it. A first secretary scales the push-ups of its community and grids and
 * their third-party waits.
 * casework.enabled = false switches all of this off: a contact resolves the case.
 * Waiting cases and cases due to be reopened sit in the unit's pending heap, by
 * (release time, id); service_run releases those due before the end of the step and
 * counts the earliest release in the unit's wake time. Every draw comes from the
 * request's own stream (RNG_CASEWORK, id, level, contact), so results do not depend
 * on threads or processing order. */
#include <math.h>
#include <stdlib.h>

#include "expiry.h"
#include "phases.h"
#include "rng.h"

static int before(const struct pending *a, const struct pending *b)
{
    return a->release < b->release || (a->release == b->release && a->q.id < b->q.id);
}

static void pend_push(struct pending_heap *h, const struct pending *x)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 8;
        h->a = gs_realloc(h->a, h->cap * sizeof *h->a);
    }
    size_t i = h->n++;
    while (i > 0 && before(x, &h->a[(i - 1) / 2])) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = *x;
    h->next = h->a[0].release;
}

static struct pending pend_pop(struct pending_heap *h)
{
    struct pending top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && before(&h->a[c + 1], &h->a[c]))
            c++;
        if (!before(&h->a[c], &last))
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n > 0)
        h->a[i] = last;
    h->next = h->n > 0 ? h->a[0].release : INFINITY;
    return top;
}

double casework_next_release(const struct unit *u)
{
    return u->pend.next;
}

static int first_secretary(const struct world *w, const struct request *q)
{
    return w->p->cw.first_secretaries > 0 && q->level <= LEVEL_COMMUNITY &&
           w->comm[world_grid_community(w, q->grid)].first_secretary;
}

void casework_init(struct world *w)
{
    int64_t n = w->nunits[LEVEL_COMMUNITY];
    double share = fmin(1.0, (double)w->p->cw.first_secretaries / (double)n);
    for (int64_t c = 0; c < n; c++)
        w->comm[c].first_secretary = share > 0 && world_grid_has_app(share, c);
}

void casework_on_entry(struct world *w, struct request *q)
{
    const struct casework_params *c = &w->p->cw;
    int l = q->level;
    if (!c->enabled || q->need != l || l >= LEVEL_DISTRICT || q->contacts > 0)
        return;
    double prob = c->push_prob[l];
    if ((l == LEVEL_GRID && (c->first_asked || c->full_agency)) ||
        (l == LEVEL_COMMUNITY && c->full_agency))
        prob = 0;
    if (!(prob > 0))
        return;
    if (first_secretary(w, q))
        prob *= c->fs_push_factor;
    /* substream 0: the contacts' draws use substreams 1, 2, ... (casework_after_job) */
    if (rng_uniform_at((uint64_t)w->p->seed, RNG_CASEWORK, q->id, (uint64_t)l, 0) < prob) {
        q->need++;
        w->grids[q->grid].total.pushed[l]++;
    }
}

/* Queues q again at its level at time t, with fresh patience. */
static void requeue(struct world *w, struct unit *u, struct request *q, double t, gsl_rng *r)
{
    const struct params *p = w->p;
    rng_stream_set(r, (uint64_t)p->seed, RNG_CASEWORK, q->id, q->level, 100u + q->contacts);
    q->entered = t;
    q->give_up = t + rng_exponential(r, p->patience_hours);
    world_log(w, q, EV_REQUEUED, t);
    reqheap_push(&u->queue, q);
    u->next_expiry = time_min(u->next_expiry, service_expiry(w, q));
}

/* 1 if more than `per_staff` requests per post had entered u's queue by t and wait
 * there (requests not yet known sit in a grid's queue with a later entry time). The
 * scan stops as soon as the answer is known. */
static int is_rushed(const struct unit *u, double per_staff, double t)
{
    if (u->nservers <= 0 || (double)u->queue.n <= per_staff * (double)u->nservers)
        return 0;
    double limit = per_staff * (double)u->nservers, n = 0;
    for (size_t i = 0; i < u->queue.n; i++)
        if (u->queue.a[i].entered <= t && ++n > limit)
            return 1;
    return 0;
}

/* Closes q at t as `kind`; if the follow-up will reopen it, it waits for that instead. */
static void close_case(struct world *w, struct unit *u, struct request *q, enum outcome_kind kind,
                       double t, int reopen)
{
    if (reopen) {
        struct pending x = {.release = t + w->p->cw.followup_days * 24.0, .since = t, .q = *q,
                            .kind = PEND_REOPEN};
        pend_push(&u->pend, &x);
        return;
    }
    residents_record_outcome(w, q, kind, t);
}

int casework_after_job(struct world *w, struct unit *u, struct request *q, double t, gsl_rng *r)
{
    const struct params *p = w->p;
    const struct casework_params *c = &p->cw;
    int l = q->level;
    if (!c->enabled) {
        residents_record_outcome(w, q, OUT_RESOLVED, t);
        return 1;
    }
    q->contacts++;
    rng_stream_set(r, (uint64_t)p->seed, RNG_CASEWORK, q->id, (uint64_t)l, q->contacts);
    double u_unsolved = rng_uniform(r), u_third = rng_uniform(r),
           u_resident = rng_uniform(r), u_again = rng_uniform(r),
           u_reopen = rng_uniform(r);   /* the wait's normal deviate comes next, if needed */
    int rushed = is_rushed(u, c->rush_queue_per_staff, t);
    int last = q->contacts >= c->max_contacts;
    double pr_resolved = c->reopen_prob[l], pr_unsolved = c->reopen_unsolved_prob;
    if (rushed) {
        pr_resolved = fmin(1.0, pr_resolved * c->rushed_factor);
        pr_unsolved = fmin(1.0, pr_unsolved * c->rushed_factor);
    }
    if (u_unsolved < c->unsolved_prob[l]) {
        close_case(w, u, q, OUT_UNSOLVED, t, !last && u_reopen < pr_unsolved);
        return 0;
    }
    double median = 0;
    int third = u_third < p->cat[q->category].third_party_prob;
    if (third)
        median = p->cat[q->category].third_party_days * 24.0 *
                 (first_secretary(w, q) ? c->fs_wait_factor : 1.0);
    else if (u_resident < c->resident_wait_prob)
        median = c->resident_wait_days * 24.0;
    if (!(median > 0)) {
        int reopen = !last && u_reopen < pr_resolved;
        close_case(w, u, q, OUT_RESOLVED, t, reopen);
        return !reopen;
    }
    double wait = median * exp(c->third_party_sigma * gsl_ran_ugaussian(r));
    struct pending x = {.release = t + wait, .since = t, .q = *q, .kind = PEND_WAIT,
                        .third = (uint8_t)third};
    x.then_close = last || !(u_again < c->recontact_prob);
    x.reopen = x.then_close && !last && u_reopen < pr_resolved;
    if (third) {
        struct grid_state *gs = &w->grids[q->grid];
        gs->total.waits++;
        gs->total.wait_hours += wait;
        gs->bycat[q->category].waits++;
        gs->bycat[q->category].wait_hours += wait;
    }
    world_log(w, q, EV_WAITING, t);
    pend_push(&u->pend, &x);
    return 0;
}

void casework_release(struct world *w, struct unit *u, double t1, gsl_rng *r)
{
    while (u->pend.next < t1) {
        struct pending x = pend_pop(&u->pend);
        struct request *q = &x.q;
        if (x.kind == PEND_REOPEN) {
            struct grid_state *gs = &w->grids[q->grid];
            gs->total.reopened[q->level]++;
            gs->bycat[q->category].reopened++;
            world_log(w, q, EV_REOPENED, x.release);
            q->flags |= REQ_REOPENED;
            requeue(w, u, q, x.release, r);
        } else if (x.then_close) {
            close_case(w, u, q, OUT_RESOLVED, x.release, x.reopen);
        } else {
            requeue(w, u, q, x.release, r);
        }
    }
}

static int by_since(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->since != y->since)
        return x->since < y->since ? -1 : 1;
    return x->q.id < y->q.id ? -1 : x->q.id > y->q.id;
}

/* A joint meeting brings the departments and utilities to the table: the oldest
 * third-party waits of u are settled at t (released then, resolved). */
int64_t casework_settle_waits(struct world *w, struct unit *u, double t, int64_t max)
{
    struct pending_heap *h = &u->pend;
    if (max <= 0 || h->n == 0)
        return 0;
    size_t n = 0;   /* candidates to the front */
    for (size_t i = 0; i < h->n; i++)
        if (h->a[i].kind == PEND_WAIT && h->a[i].third && h->a[i].release > t) {
            struct pending tmp = h->a[n];
            h->a[n++] = h->a[i];
            h->a[i] = tmp;
        }
    if (n == 0)
        return 0;
    qsort(h->a, n, sizeof *h->a, by_since);
    size_t take = n < (size_t)max ? n : (size_t)max;
    for (size_t i = 0; i < take; i++) {
        h->a[i].release = t;
        h->a[i].then_close = 1;
        w->grids[h->a[i].q.grid].total.by_meeting++;
        w->comm[world_grid_community(w, h->a[i].q.grid)].meeting_settled++;
    }
    /* rebuild the heap */
    size_t all = h->n;
    struct pending *a = h->a;
    h->a = NULL, h->n = 0, h->cap = 0;
    for (size_t i = 0; i < all; i++)
        pend_push(h, &a[i]);
    free(a);
    return (int64_t)take;
}
