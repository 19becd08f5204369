/* world.h: the state of one simulated district.
 *
 * Hierarchy: district -> streets -> communities -> grids -> households. Every
 * level that serves requests is a `unit` with a queue and servers (staff); units
 * of one level are stored in one array and children are contiguous, so child k
 * of parent j is child_first[j] + k. Households are stored in grid order. */
#ifndef GOVSIM_WORLD_H
#define GOVSIM_WORLD_H

#include <gsl/gsl_randist.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h"
#include "reqheap.h"
#include "shift.h"

/* Times in a run are never NaN, so these return what fmin and fmax return (x86-64
 * libm: minsd/maxsd, the second argument when equal), without a library call: the
 * per-request paths take several. */
static inline double time_min(double a, double b)
{
    return a < b ? a : b;
}
static inline double time_max(double a, double b)
{
    return a > b ? a : b;
}

/* Households of one grid fall into these groups, in this order, as contiguous
 * index ranges: (type, elderly) with type-major order. */
#define N_GROUPS (2 * N_HH_TYPES)

/* The household groups of a grid: grids of equal size and composition share one
 * record (all grids do in a world of alike grids; a community table or
 * world.households_total gives each community at most two). */
struct hh_groups {
    uint32_t first[N_GROUPS], count[N_GROUPS];
    double cum[N_GROUPS];        /* cumulative request weight, last = 1 */
    double rate_per_hour;        /* mean requests of the grid per hour */
    double share_party;          /* probability that a household has a party member */
    uint32_t households;
};

/* residents.c: a household's satisfaction is its grid's shared level plus its own
 * deviation, and its trust its grid's trust (less the belonging gap if resettled) plus
 * its own deviation; own deviations decay in closed form from t_last (docs/ODD.md 7.15),
 * so a household nobody touches costs nothing. Read them with residents_satisfaction_at
 * and residents_trust_at. */
struct household {
    float sat_dev;       /* own satisfaction deviation at t_last */
    float trust_dev;     /* own trust deviation at t_last */
    float expect;        /* expected performance of a request, [0,1] */
    float t_last;        /* day of the last update of the deviations */
    uint8_t type;        /* enum hh_type */
    uint8_t flags;       /* HH_ELDERLY | HH_PARTY */
};
#define HH_ELDERLY 1u
#define HH_PARTY 2u

/* A unit's servers are scanned together (who can start a request soonest, whose job
 * ends in the step): what those scans read comes first, and a server takes two whole
 * cache lines (aligned), so a scan reads one line per server. */
struct server {
    _Alignas(64) const struct shift *shift; /* its working hours */
    double vacant_until;       /* the post is empty until then (INFINITY: not funded) */
    double free_at;      /* hour the current job ends (or ended) */
    double ready;        /* earliest hour it could begin a job on its shift; kept by server_set_ready */
    double job_start;
    double job_end;      /* the job in hand ends then (free_at is later if task work follows it) */
    double hired_at;     /* hour the current holder took the post (-INFINITY: experienced at start) */
    int busy;            /* a job is assigned and not yet completed */
    uint32_t version;    /* srvindex.c: counts the changes of ready and free_at */
    struct request job;
};

/* Queue statistics of one unit over the observation window [window_start, horizon]:
 * every request adds its wait and its time at the unit when it leaves the queue
 * (service starts, abandoned or passed up unserved), or at the end if still queued.
 * Times are clipped to the window for the areas; the means count requests that
 * entered the level inside the window. */
struct queue_stats {
    int64_t arrived;          /* entered in the window */
    int64_t left_queue, waited_long, abandoned;
    int64_t left_level;       /* of those, also left the level by the end */
    double wait_sum, time_sum;
    double queue_area, level_area;   /* integrals of number waiting / at the unit */
};

/* A case that holds no server (casework.c): waiting on a third party or on the
 * resident, or closed and due to be reopened by the follow-up call. */
enum pending_kind { PEND_WAIT, PEND_REOPEN };
struct pending {
    double release;      /* hour it comes back */
    double since;        /* hour the wait began */
    struct request q;
    uint8_t kind;        /* enum pending_kind */
    uint8_t then_close;  /* PEND_WAIT: 1 = resolved at release (else another contact); 2 = closed unsolved */
    uint8_t reopen;      /* PEND_WAIT closing: the follow-up will reopen it */
    uint8_t third;       /* PEND_WAIT: on a third party (a joint meeting can settle it) */
};

struct pending_heap {    /* min-heap by (release, request id) */
    struct pending *a;
    size_t n, cap;
    double next;         /* a[0].release, INFINITY if empty: read without touching a */
};

struct server_index;

struct unit {
    /* What every visit of service_run reads comes first, in two cache lines (the
     * units are aligned): the first for the queue and the servers, the second for the
     * waiting cases, the next end of a job and the duty-hour memo. */
    _Alignas(64) uint8_t level;
    int nservers;
    int npools;             /* 1: pooled staff; else server k serves categories c with c % npools == k % npools */
    struct reqheap queue;
    struct server *servers;
    double next_expiry;     /* no queued request abandons or is overdue before this */
    /* service.c, earliest_start: the first duty hour from duty_from of the unit's (at
     * most two) shifts, remembered across calls (the same `from` recurs: the step's
     * start, the queue's head); a NULL shift is an empty slot */
    double duty_from;
    struct pending_heap pend;   /* casework.c: cases waiting or due to be reopened */
    double next_job_end;    /* service.c: the earliest job_end of its busy servers, INFINITY if none */
    const struct shift *duty_shift[2];

    double duty_at[2];
    struct server_index *six;   /* srvindex.c: large pooled units, built on first use */
    double busy_hours;      /* staff hours busy, all uses: requests + tasks + proactive (below) */
    double hours_requests;  /* of which serving and triaging requests (duty hours) */
    int64_t jobs;           /* jobs begun (service or triage) */
    struct reqvec outbox;   /* passed up; merged by the parent in child order */
    double busy_mark;       /* staff.c: busy_hours at the last turnover check */
    struct queue_stats qs;
    double vacant_hours;    /* post-hours left empty within the run */
    double vacant_duty_hours; /* duty hours of posts left empty (vacant or unfunded) within the run */
    int64_t quits;
    /* staff.c: posts closed for good (vacant_until INFINITY: unfunded or cut), and the
     * latest finite vacant_until any post has had, so that a day's duty hours need not
     * read every server while no post has been vacant that day */
    int nclosed;
    double vacancy_max;
};
_Static_assert(offsetof(struct unit, pend) == 64 && offsetof(struct unit, duty_at) == 120,
               "struct unit: the fields service_run reads fill its first two cache lines");

/* srvindex.c: a server of u changed (its entry is renewed); the index is freed. */
void srvindex_note(struct unit *u, const struct server *s);
void srvindex_free(struct unit *u);

/* Call whenever a server's free_at or vacant_until changes: ready is
 * shift_next_on_duty(shift, max(free_at, vacant_until)), so that finding when it can
 * next start a job costs a comparison rather than a walk through the calendar. */
static inline void server_set_ready(struct unit *u, struct server *s)
{
    double from = s->free_at > s->vacant_until ? s->free_at : s->vacant_until;
    s->ready = shift_next_on_duty(s->shift, from);
    s->version++;
    if (u->six)
        srvindex_note(u, s);
}

/* A top-down administrative task waiting at a unit (models/tasks.c). */
struct task {
    double arrived, due;
    double hours_left;     /* staff hours still to do */
    double press_at;       /* from then on it is served before residents' requests */
};

/* Staff time of a unit beyond its requests (models/tasks.c, models/visits.c): the task
 * backlog, the day's idle hours and run totals by use. Kept apart from struct unit,
 * which the service loop reads every step. */
struct workload {
    struct task *tasks;    /* by due time */
    size_t ntasks, cap;
    double next_task;      /* time of the next task arrival */
    int64_t ntasks_drawn;  /* numbers the tasks' random streams */
    double busy_mark;      /* unit's busy_hours when the day's idle hours were last taken */
    double credit;         /* idle duty hours not yet used; negative: work already committed ahead */
    double hours_tasks, hours_proactive, hours_visits;   /* run totals, also in the unit's busy_hours */
    double hours_bought;   /* task hours bought with task funding (not staff hours) */
    int64_t tasks_arrived, tasks_refused, tasks_done, tasks_late;
    double proactive_owed;   /* target hours not yet done (capped by visits.carry_days) */
    double visits_owed;      /* of which visits */
    double visit_target, visits_done;   /* run totals, visits */
    double patrol_done_day;  /* grid: smoothed patrol-equivalent hours per day (detection) */
};

/* OUT_UNSOLVED: closed without solving it (residents treat it like an abandonment). */
enum outcome_kind { OUT_RESOLVED, OUT_ABANDONED, OUT_UNSOLVED };

struct outcome {
    double t;
    uint64_t id;
    double arose, known;
    uint32_t household;
    uint8_t kind, level, category, flags;   /* flags: the request's REQ_* */
};

struct outcome_vec {
    struct outcome *a;
    size_t n, cap;
};

/* Counts of request events. entered[0] counts arrivals. The fields an outcome
 * updates (resolved, on_time, abandoned) come first, next to each other. */
struct tally {
    int64_t resolved[N_LEVELS], on_time, abandoned[N_LEVELS];
    int64_t entered[N_LEVELS], escalated[N_LEVELS];
    int64_t unsolved[N_LEVELS];  /* closed unsolved (casework.c) */
    int64_t reopened[N_LEVELS];  /* reopened by the follow-up, at the level that closed it */
    int64_t pushed[N_LEVELS];    /* pushed up although the level could solve it */
    int64_t waits;               /* third-party waits begun */
    double wait_hours;           /* their total length */
    int64_t by_meeting;        /* resolved by a joint meeting (also in resolved[]) */
    int64_t docked_skips;      /* passed straight through the community by direct docking */
};

/* One entry of the optional per-request event log. */
enum event_kind { EV_AROSE, EV_KNOWN, EV_ENTERED, EV_STARTED, EV_PASSED_UP, EV_RESOLVED, EV_ABANDONED,
                  EV_WAITING, EV_REQUEUED, EV_CLOSED_UNSOLVED, EV_REOPENED, N_EVENT_KINDS };
extern const char *const event_kind_names[N_EVENT_KINDS];

struct event {
    double t;
    uint64_t request;
    uint8_t kind, level, category;
};

struct event_vec {
    struct event *a;
    size_t n, cap;
};

/* Counts of one request category in one grid, for the run summary: what an
 * outcome updates is one record. */
struct category_count {
    int64_t arisen, resolved, on_time, abandoned;
    int64_t unsolved, reopened, waits;
    double wait_hours;           /* third-party waits */
    double hours_to_resolution;  /* sum over resolved requests */
};

/* A grid's state beyond its service unit. The fields a request reads or writes as
 * it arises, is taken in and ends come first, so that they share few cache lines:
 * at city scale every request finds its grid's record out of cache. Counts are run
 * totals; the time series takes differences of them. */
#define CLOSED_UNSOLVED 0x80u

struct grid_state {
    uint32_t hh_first;         /* first household index */
    uint32_t next_seq;         /* request sequence number */
    uint8_t app;               /* the grid leader uses the digital app */
    uint8_t party_counted;
    uint32_t party_elderly, party_other; /* party-member households (members.c) */
    uint32_t groups;           /* its household groups: w->groups[groups] */
    uint32_t community;        /* its home community (a request looks it up as it arises) */
    double satisfaction_sum;   /* over the grid's households, as of the last residents_day */
    double trust_sum;          /* over the grid's households, as of the last residents_day */
    double member_hours_left;  /* members.c: refilled at 00:00, used by requests, rest to micro-wishes */
    struct outcome_vec outcomes; /* resolved or abandoned this step */
    float *close_hours;        /* time from arising to the final close, per closed request */
    uint8_t *close_cat;        /* its category, | CLOSED_UNSOLVED if closed unsolved */
    size_t nclose, capclose;
    struct tally total;
    struct category_count bycat[N_CATEGORIES];
    struct event_vec events;   /* per-request event log, when output.event_log is on */
    /* members.c: run totals */
    double member_hours_offered, member_hours_requests, member_hours_visits;
    int64_t member_resolved;
    double member_visits;
    /* residents.c: shared (grid-level) components, updated once a day (docs/ODD.md 7.15) */
    double res_shared;         /* shared satisfaction level of the grid's households */
    double res_trust;          /* grid trust level (before own deviations and the gap) */
    double res_gap;            /* belonging gap of its resettled households */
    double res_problems;       /* stock of unsolved environment and safety problems */
    double res_contacts;       /* smoothed contacts per household per year */
    double res_presence;       /* presence index in [0,1] */
    double sat_acc, trust_acc; /* sums of own deviations, as dev x exp(t_last / tau) */
    double seen_visits, seen_member_visits;   /* run totals at the last residents_day */
    int64_t seen_member_resolved, seen_problems;
    int64_t n_resettled;
};

/* A three-lists item (cobuild.c): a need raised by a community and, once agreed, its project. */
struct cb_item {
    double staff_hours, venue_hours, cost;   /* what it needs */
    int category;                            /* the request category it meets */
    double paid;                             /* money paid so far */
    int64_t raised_day, end_day;             /* end_day: scheduled completion, once agreed */
};

struct cb_list {
    struct cb_item *a;
    size_t n, cap;
};

/* State of one community beyond its service unit (units[LEVEL_COMMUNITY][c]).
 * Mechanism modules keep their per-community state here. */
struct community_state {
    int64_t first_grid, ngrids;   /* its grids are first_grid .. first_grid+ngrids-1 */
    int64_t households;
    uint8_t kind;                 /* enum community_kind (ctable.h) */
    int first_secretary;          /* casework.c: has a first secretary */

    /* microwish.c: the current campaign and run totals */
    int wish_active;              /* a campaign is running */
    int wish_started;             /* materials of the card in progress are bought */
    int64_t wish_end_day, wish_campaign, wish_card;  /* lapse day, campaign no., card no. */
    int64_t wish_open;            /* cards of the running campaign not yet fulfilled */
    double wish_need_left;        /* hours the card in progress still needs */
    double wish_budget_left;      /* materials budget left in the running campaign */
    double wish_unit_hours;       /* units' staff hours for the campaign today (cobuild.c) */
    int64_t wish_issued, wish_fulfilled;
    double wish_hours_members, wish_hours_units, spent_microwish;

    /* cobuild.c: the three lists and run totals */
    int64_t cb_units;             /* co-building units with an agreement with this community */
    double cb_staff_hours, cb_venue_hours, cb_money;  /* resource list: uncommitted balances */
    struct cb_list needs, projects;
    int64_t needs_raised, needs_lapsed, items_agreed, items_completed, items_stalled;
    double spent_projects;
    /* cobuild.c: units' professionals serving community-level requests */
    double cb_service_rate;        /* their new hours a day */
    double cb_service_left;        /* their balance of hours (negative: owed to a case in hand) */
    double cb_service_offered, cb_service_used;   /* run totals, hours */
    int64_t cb_resolved;           /* requests they resolved (run total) */
    /* residents.c / cobuild.c: completed projects still serving the community, by category */
    double proj_stock[N_CATEGORIES];
    double rate_cut[N_CATEGORIES];  /* share of new requests of the category the projects prevent */
    int64_t seen_wish, seen_meeting;
    int64_t wish_households;        /* households whose micro-wish was fulfilled (run total) */
    int64_t meeting_settled;        /* meetings.c: waits settled by joint meetings (run total) */
    int64_t prevented;              /* requests prevented by completed projects (run total) */
};

/* checkpoint.c saves this record whole and restores it keeping the rebuilt world's
 * pointers: a pointer added here needs a line in its get_world_record, and the data
 * it points to lines in its save and restore. */
struct world {
    const struct params *p;
    int64_t nunits[N_LEVELS];
    struct unit *units[N_LEVELS];
    double *wake[N_LEVELS];           /* per unit: nothing happens in it before this hour */
    uint8_t *passed_up[N_LEVELS];     /* per unit: its outbox holds requests */
    int64_t *child_first[N_LEVELS];   /* for level >= 1: nunits+1 offsets into level-1 */
    struct shift shift[N_LEVELS][2];  /* [1]: the staggered half of the staff */

    struct grid_state *grids;
    struct community_state *comm;     /* one per community */
    struct household *hh;
    int64_t nhh;

    struct hh_groups *groups;         /* distinct household groups; grid g has grids[g].groups */
    int64_t ngroups;
    double week_profile[7 * 24];      /* relative rate by hour of week, mean 1 */
    double week_cum[7 * 24 + 1];      /* sum of week_profile over the hours before each */
    double *next_arrival;             /* per grid: hour of its next request */
    uint8_t *has_outcomes;            /* per grid: outcomes wait to be applied */
    double *patrol_hazard;            /* per grid, per hour, for an unreported request (visits.c) */
    struct workload *work[N_LEVELS];  /* per unit (tasks.c, visits.c) */
    double *task_wake[N_LEVELS];      /* per unit: no task arrives or presses before this hour */
    gsl_ran_discrete_t *category_table;
    double p_need_cum[2][N_CATEGORIES][N_LEVELS];  /* [1]: grids with the app */
    int64_t meetings_held[N_LEVELS];
    double escalated_backlog_sum;     /* queued at street + district, summed over days */
    int64_t backlog_days;
    int64_t funded[N_LEVELS];         /* funded posts per unit */

    double horizon;                   /* hours simulated */
    double window_start;              /* hour the queue statistics start (after warm-up) */
};

/* Bytes the world needs for these parameters, in total and by part: households,
 * units and staff, requests (all of them open at once, the worst case) and the
 * time series. */
enum world_mem_part {
    MEM_HOUSEHOLDS, MEM_STAFF, MEM_REQUESTS, MEM_SERIES, MEM_EVENTS, N_MEM_PARTS
};
double world_estimate_bytes(const struct params *p, double part[N_MEM_PARTS]);

/* Builds the initial state; NULL with the message in err if the community table
 * cannot be read. Free with world_free. */
struct world *world_new(const struct params *p, struct gs_error *err);
void world_free(struct world *w);

/* Index of the level-(l+1) parent of unit j at level l. */
int64_t world_parent(const struct world *w, int level, int64_t j);
/* 1 if grid g's leader uses the app: grids are chosen evenly, g = 0 first. */
int world_grid_has_app(double share, int64_t g);
/* Home community of grid g. */
static inline int64_t world_grid_community(const struct world *w, int64_t g)
{
    return w->grids[g].community;
}

/* Household groups and households of grid g. */
static inline const struct hh_groups *world_grid_groups(const struct world *w, int64_t g)
{
    return &w->groups[w->grids[g].groups];
}
static inline int64_t world_grid_households(const struct world *w, int64_t g)
{
    return w->groups[w->grids[g].groups].households;
}

/* Length of [a, b] inside the observation window. */
double world_window_overlap(const struct world *w, double a, double b);
/* Records in u's statistics that q, which entered at q->entered, left the queue at
 * `left` and leaves the level at `done` (abandoned or not). */
void world_note_departure(const struct world *w, struct unit *u, const struct request *q,
                          double left, double done, int abandoned);

void outcome_push(struct outcome_vec *v, const struct outcome *o);

/* Appends an event of request q to its grid's log, if the log is on. Safe in any
 * phase: a request's grid is touched only by the thread serving its unit. */
void world_log(struct world *w, const struct request *q, enum event_kind kind, double t);

#endif
