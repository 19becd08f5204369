/* phases.h: the phases of one time step, in the order the scheduler runs them.
 * Each phase is a function of its own model module (models/NAME.c) that does the
 * work of ONE entity (a grid or a unit); models/engine/sched.c decides which thread runs it
 * (it runs them inside one OpenMP parallel region; phases themselves must not open
 * parallel regions). Every entity draws from its own random stream, passed in as
 * `r` (a per-thread generator that the phase points at the entity's stream with
 * rng_stream_set), and cross-entity effects are merged in a fixed order. */
#ifndef GOVSIM_PHASES_H
#define GOVSIM_PHASES_H

#include "world.h"

/* requests.c: households of grid g generate the requests that arise before hour t1
 * (those from earlier steps are already out) and append them to `fresh` (a buffer
 * of the calling thread, passed on to intake). Returns how many arose. */
int requests_arise(struct world *w, int64_t g, double t1, struct reqvec *fresh, gsl_rng *r);
/* requests.c: sets the time of grid g's first request (when the world is built). */
void requests_first_arrival(struct world *w, int64_t g, gsl_rng *r);

/* intake.c: each new request of grid g becomes known by report or patrol, and joins the
 * grid's queue. */
void intake(struct world *w, int64_t g, struct reqvec *fresh, gsl_rng *r);

/* escalation.c: requests passed up by the children of unit j (at `level`) before t1 join
 * its queue, child by child in index order (at a community, co-building units'
 * professionals may take one first: cobuild_first_contact). */
void escalation_merge(struct world *w, int level, int64_t j, double t1, gsl_rng *r);
/* escalation.c: a unit passes a request up at time t (used by service). */
void escalation_pass_up(struct world *w, struct unit *u, struct request *q, double t);

/* meetings.c: a joint meeting of street or district unit j falling in [t0, t1)
 * clears cases in a batch. */
void meetings_hold(struct world *w, int level, int64_t j, double t0, double t1);

/* service.c: staff of unit j at this level serve its queue during [t0, t1). Skipped
 * at no cost while the unit's wake time (w->wake) says nothing can happen. */
void service_run(struct world *w, int level, int64_t j, double t0, double t1, gsl_rng *r);

/* service.c: starts loading what service_run(w, level, j, ...) in a step ending at t1
 * will read (and, if requests arrive, where they will be queued); a hint that
 * changes nothing. */
void service_prefetch(const struct world *w, int level, int64_t j, int arrivals, double t1);

/* tasks.c: sets when the first top-down task of unit j at `level` arrives (world built). */
void tasks_init(struct world *w, int level, int64_t j, gsl_rng *r);
/* tasks.c: top-down tasks of unit j arriving before t1 join its backlog; servers without a
 * job take blocks of pressing tasks, before service_run serves requests in [t0, t1). */
void tasks_step(struct world *w, int level, int64_t j, double t0, double t1, gsl_rng *r);
/* tasks.c: at the end of the day ending at t, after the unit's last service of the day,
 * its idle duty hours of the day go to the task backlog (earliest due first); what is
 * left stays in the unit's workload credit for proactive work (visits_day). */
void tasks_day(struct world *w, int level, int64_t j, double t);
/* tasks.c: closes the day's accounting of unit j: idle hours left unused are dropped. */
void tasks_day_end(struct world *w, int level, int64_t j);
/* tasks.c: staff hours still needed by the tasks in unit j's backlog. */
double tasks_backlog_hours(const struct world *w, int level, int64_t j);

/* visits.c: sets every grid's detection hazard from the planned patrols (world built). */
void visits_init(struct world *w);
/* visits.c: at the end of the day ending at t, after tasks_day, community c's grids and
 * the community itself spend their idle hours left on visits, data collection and
 * patrol; each grid's detection hazard follows what was done. */
void visits_day(struct world *w, int64_t c, double t);

/* staff.c: empty the community posts the budget cannot pay for (once, at the start). */
void staff_init(struct world *w);
/* staff.c: 1 if staff may quit at the start of the step beginning at t0 (every 30 days). */
int staff_turnover_due(const struct world *w, double t0);
/* staff.c: at such a step, staff of unit j at `level` (grid or community) quit with a
 * probability set by pay; posts stay empty a while. */
void staff_turnover(struct world *w, int level, int64_t j, double t0, gsl_rng *r);
/* staff.c: monthly quit probability of staff at a level. */
double staff_quit_probability(const struct params *p, int level);
/* staff.c: duty hours of unit j's filled posts over the day ending at t (t >= 24), and
 * in *on_duty how many of them were on duty then. */
double staff_day_duty(const struct world *w, int level, int64_t j, double t, int *on_duty);

/* casework.c: the case life cycle (waits on third parties and residents, closing
 * unsolved, follow-up and reopening, push-ups). */
/* Marks the communities with a first secretary (when the world is built). */
void casework_init(struct world *w);
/* Request q enters a level that could resolve it: the level may decide to push it up
 * (raises q->need). Call before it joins the level's queue. */
void casework_on_entry(struct world *w, struct request *q);
/* A contact with q ended at t at unit u's level, which can resolve it (a job of u's staff,
 * or a member's or a co-building unit's professional's contact in u's grid or community):
 * resolve, close unsolved, or wait on a third party or the resident; waits, re-contacts
 * and reopenings then go to u. Returns 1 if q was resolved at t for good (no follow-up
 * will reopen it), 0 otherwise. */
int casework_after_job(struct world *w, struct unit *u, struct request *q, double t, gsl_rng *r);
/* Unit u's waiting cases due before t1 are resolved or queued again, and cases due to
 * be reopened re-enter the queue. */
void casework_release(struct world *w, struct unit *u, double t1, gsl_rng *r);
/* Earliest release time of unit u's pending cases (INFINITY if none). */
double casework_next_release(const struct unit *u);

/* staff.c: service-time multiplier of server s for a job starting at t (new hires are
 * slower; 1 for experienced staff). */
double staff_speed_factor(const struct world *w, const struct server *s, double t);

/* residents.c: outcomes recorded for grid g change its households' satisfaction, in
 * time order. */
void residents_respond(struct world *w, int64_t g);
/* residents.c: starts loading the households residents_respond(w, g) will update (a
 * hint to the processor; changes nothing). At city scale each is a cache miss, and
 * asking for those of all a community's grids at once overlaps them. */
void residents_prefetch(const struct world *w, int64_t g);

/* residents.c: satisfaction and trust of household i, of grid g, on day `day` (closed form, reads only). */
double residents_satisfaction_at(const struct world *w, int64_t g, int64_t i, double day);
double residents_trust_at(const struct world *w, int64_t g, int64_t i, double day);
/* residents.c: the grids' shared satisfaction and trust levels at the start (world built). */
void residents_init(struct world *w);
/* residents.c: at the end of day `day` (hours 24 x day), community c's grids' shared levels,
 * presence, belonging gap and projects' request cuts move one day (docs/ODD.md 7.15). */
void residents_day(struct world *w, int64_t c, int64_t day);
/* residents.c: a micro-wish card of community c is fulfilled on day `day`: a household
 * drawn from r gains satisfaction and trust. */
void residents_wish_fulfilled(struct world *w, int64_t c, int64_t day, gsl_rng *r);
/* casework.c: a joint meeting at t settles up to `max` cases of unit u waiting on a third
 * party, oldest first; returns how many (they are resolved at the unit's next release). */
int64_t casework_settle_waits(struct world *w, struct unit *u, double t, int64_t max);

/* residents.c: records that request q ends (resolved or abandoned) at time t. */
void residents_record_outcome(struct world *w, const struct request *q, enum outcome_kind kind,
                              double t);

/* Volunteers and co-building: once a day at 00:00, before the day's first step, for
 * community c, in this order (each touches only community c and its grids). */
/* cobuild.c: units' resources of the day, needs raised and matched, projects paid and ended. */
void cobuild_day(struct world *w, int64_t c, int64_t day, gsl_rng *r);
/* microwish.c: cards worked with the previous day's unused hours; campaigns issued and ended. */
void microwish_day(struct world *w, int64_t c, int64_t day, gsl_rng *r);
/* members.c: the community's grids' member hours for the day are drawn afresh. */
void members_refill(struct world *w, int64_t c, int64_t day, gsl_rng *r);

/* members.c: a member at a vanguard post takes and resolves request q (just known) if it
 * is simple, its household covered and the grid's member hours suffice; returns 1 if so. */
int members_first_contact(struct world *w, const struct request *q, gsl_rng *r);
/* cobuild.c: a professional of community c's co-building units takes and resolves request
 * q (just entered the community) if its category is served, the community can resolve it,
 * the units have hours in hand and are expected to finish it within its deadline; returns
 * 1 if so. */
int cobuild_first_contact(struct world *w, int64_t c, struct request *q, gsl_rng *r);

#endif
