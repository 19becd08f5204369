/* expiry.h: when a queued request leaves its queue unless service starts first:
 * abandoned when its patience runs out, or passed up unserved when it is overdue or
 * past its category's deadline. Read by intake, escalation (to keep a unit's
 * next_expiry) and service; a header of its own so that none of them calls into
 * another for it. */
#ifndef GOVSIM_EXPIRY_H
#define GOVSIM_EXPIRY_H

#include "world.h"

static inline double service_expiry(const struct world *w, const struct request *q)
{
    const struct params *p = w->p;
    double t = q->give_up;   /* times are never NaN, so < does what fmin does, without a call */
    if (p->overdue_enabled && q->level < LEVEL_DISTRICT && q->entered + p->overdue_hours < t)
        t = q->entered + p->overdue_hours;
    if (p->time_limit_enabled && q->level < LEVEL_DISTRICT &&
        q->entered + p->cat[q->category].deadline_hours < t)
        t = q->entered + p->cat[q->category].deadline_hours;
    return t;
}

#endif
