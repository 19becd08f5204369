/* phases.h: the phases of one time step, in the order the scheduler runs them.
 * Each phase is a function of its own model module (models/NAME.c). Phases that
 * touch many entities run them in parallel; every entity draws from its own
 * random stream and cross-entity effects are merged in a fixed order. */
#ifndef GOVSIM_PHASES_H
#define GOVSIM_PHASES_H

#include "world.h"

/* requests.c: households generate requests during [t0, t1). */
void requests_arise(struct world *w, int64_t step, double t0, double t1);

/* intake.c: each new request becomes known by report or patrol, and joins its grid's queue. */
void intake(struct world *w);

/* escalation.c: requests passed up by level-1 units join the queues of their parents. */
void escalation_merge(struct world *w, int level);
/* escalation.c: a unit passes a request up at time t (used by service). */
void escalation_pass_up(struct world *w, struct unit *u, struct request *q, double t);

/* meetings.c: street or district joint meetings falling in [t0, t1) clear cases in a batch. */
void meetings_hold(struct world *w, int level, double t0, double t1);

/* service.c: staff of every unit at this level serve their queues during [t0, t1). */
void service_run_level(struct world *w, int level, double t0, double t1);

/* service.c: time at which a queued request leaves its queue (abandoned, or passed
 * up as overdue) unless service starts first. */
double service_expiry(const struct world *w, const struct request *q);

/* staff.c: empty the community posts the budget cannot pay for (once, at the start). */
void staff_init(struct world *w);
/* staff.c: every 30 days, staff quit with a probability set by pay; posts stay empty a while. */
void staff_turnover(struct world *w, double t0);
/* staff.c: monthly quit probability of staff at a level. */
double staff_quit_probability(const struct params *p, int level);

/* residents.c: outcomes of this step change the households' satisfaction, in time order. */
void residents_respond(struct world *w);

/* residents.c: records that request q ends (resolved or abandoned) at time t. */
void residents_record_outcome(struct world *w, const struct request *q, enum outcome_kind kind,
                              double t);

#endif
