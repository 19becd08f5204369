/* reqheap.h: requests, and the two containers they live in.
 *
 * A queue is a binary min-heap ordered by (time entered the level, request id).
 * Ids are unique, so the order in which requests are served never depends on the
 * order in which they were pushed: escalations merged from many grids give the
 * same queue whatever thread produced them. */
#ifndef GOVSIM_REQHEAP_H
#define GOVSIM_REQHEAP_H

#include <stddef.h>
#include <stdint.h>

struct request {
    uint64_t id;        /* (grid << 32) | sequence number within the grid */
    double arose;       /* hour the need arose */
    double known;       /* hour it became known (report or patrol); INFINITY = never */
    double entered;     /* hour it entered the queue of its current level */
    double give_up;     /* hour the resident abandons it if not yet in service */
    uint32_t household; /* global household index */
    uint32_t grid;      /* home grid */
    uint8_t category;
    uint8_t need;       /* lowest level able to resolve it */
    uint8_t level;      /* level currently holding it */
    uint8_t flags;      /* REQ_* below */
    uint8_t contacts;   /* casework.c: jobs at the resolving level so far (reopenings too) */
};
#define REQ_RUSHED 1u   /* casework.c: its last close counted as rushed */
#define REQ_REOPENED 2u /* casework.c: reopened by the follow-up at least once */
#define REQ_MEMBER 4u   /* members.c: resolved by a party member */

struct reqvec {
    struct request *a;
    size_t n, cap;
    size_t head;   /* escalation.c, an outbox: a[0, head) are merged already */
};

struct reqheap {
    struct request *a;
    size_t n, cap;
};

void reqvec_push(struct reqvec *v, const struct request *r);
void reqvec_free(struct reqvec *v);

void reqheap_push(struct reqheap *h, const struct request *r);
struct request reqheap_pop(struct reqheap *h);
static inline const struct request *reqheap_top(const struct reqheap *h)
{
    return h->n ? &h->a[0] : NULL;
}
/* Restores heap order after the array was edited in place (e.g. compacted). */
void reqheap_rebuild(struct reqheap *h);
void reqheap_free(struct reqheap *h);

#endif
