/* summary.h: what a run reports, declared as lists of fields.
 *
 * Each field has a name, units and a one-line description; the HDF5 writer,
 * the printed summary and docs/output.md use these lists. */
#ifndef GOVSIM_SUMMARY_H
#define GOVSIM_SUMMARY_H

#include <stdint.h>

#include "param.h"

#ifndef N_GROUPS
#define N_GROUPS (2 * N_HH_TYPES)   /* as in world.h */
#endif

struct world;

struct field_def {
    const char *name;
    const char *units;
    const char *description;
    int integer;   /* stored as a 64-bit integer in HDF5 */
};

enum summary_field {
    S_ARISEN, S_RESOLVED, S_RESOLVED_ON_TIME, S_ON_TIME_RATE,
    S_TTR_MEAN, S_TTR_MEDIAN, S_TTR_P90,
    S_SHARE_GRID, S_SHARE_COMMUNITY, S_SHARE_STREET, S_SHARE_DISTRICT,
    S_ESCALATIONS, S_ABANDONED, S_ABANDON_RATE,
    S_BACKLOG, S_UNKNOWN, S_OPEN_PAST_DEADLINE,
    S_SAT_MEAN, S_SAT_SD, S_TRUST_MEAN,
    S_COST_TOTAL, S_COST_PER_RESOLVED,
    S_MEETINGS_HELD, S_RESOLVED_BY_MEETINGS, S_ESCALATED_BACKLOG_MEAN, S_DOCKED_SKIPS,
    S_SPEND_CENTRES, S_SPEND_SUBSIDIES, S_SPEND_TOTAL,
    S_STAFF_QUITS, S_VACANT_POSTS_MEAN, S_POSTS_UNFUNDED,
    S_EVENTS,
    /* party members, micro-wishes, co-building (models/members.c, microwish.c, cobuild.c) */
    S_VOL_OFFERED, S_VOL_USED, S_VOL_USED_REQUESTS, S_VOL_USED_WISHES, S_MEMBER_RESOLVED,
    S_WISH_ISSUED, S_WISH_FULFILLED, S_WISH_RATE, S_WISH_UNIT_HOURS, S_WISH_SPENT,
    S_NEEDS_RAISED, S_NEEDS_LAPSED, S_ITEMS_AGREED, S_ITEMS_COMPLETED, S_ITEMS_STALLED,
    S_ITEMS_RATE, S_PROJECTS_SPENT,
    /* top-down tasks and proactive work (models/tasks.c, visits.c) */
    S_TASK_HOURS_BOUGHT, S_SPEND_TASKS,
    /* case life cycle (models/casework.c) and full costs */
    S_UNSOLVED, S_REOPENED, S_PUSHED_UP, S_TTC_MEDIAN, S_TTC_P90, S_TTC_WITHIN_7D,
    S_WAITS, S_WAIT_MEAN, S_PENDING_END, S_SPEND_INVESTMENT, S_COST_PER_ON_TIME,
    /* residents (models/residents.c) */
    S_SAT_START, S_TRUST_START, S_TRUST_SD, S_SENSE_OF_GAIN, S_TRUST_GAP_END,
    S_CONTACT_VISITS_STAFF, S_CONTACT_VISITS_MEMBERS, S_VOL_USED_VISITS, S_CONTACT_WISH_HOUSEHOLDS,
    S_MEETING_SETTLED, S_REQUESTS_PREVENTED, S_PRESENCE_MEAN,
    /* co-building units' professionals at the service centres (models/cobuild.c) */
    S_UNIT_HOURS_OFFERED, S_UNIT_HOURS_USED, S_UNIT_RESOLVED,
    N_SUMMARY
};

enum level_field {
    L_ENTERED, L_RESOLVED, L_ABANDONED, L_ESCALATED, L_OPEN, L_STAFF, L_UTILISATION,
    L_ARRIVAL_RATE, L_WAIT_MEAN, L_WAIT_LONG_SHARE, L_ABANDON_SHARE, L_TIME_MEAN,
    L_QUEUE_MEAN, L_NUMBER_MEAN,
    L_HOURS_DUTY, L_HOURS_REQUESTS, L_HOURS_TASKS, L_HOURS_PROACTIVE, L_HOURS_IDLE,
    L_TASKS_ARRIVED, L_TASKS_REFUSED, L_TASKS_DONE, L_TASKS_LATE, L_TASK_BACKLOG_HOURS,
    L_VISITS_TARGET, L_VISITS_DONE, L_VISIT_COVERAGE,
    L_UNSOLVED, L_REOPENED, L_PUSHED_UP,
    N_LEVEL_FIELDS
};

enum category_field {
    C_ARISEN, C_RESOLVED, C_RESOLVED_ON_TIME, C_ABANDONED, C_TTR_MEAN,
    C_UNSOLVED, C_REOPENED, C_TTC_MEDIAN, C_TTC_P90, C_TTC_WITHIN_7D, C_WAITS, C_WAIT_MEAN,
    N_CATEGORY_FIELDS
};

enum series_field {
    TS_ARISEN, TS_RESOLVED, TS_RESOLVED_GRID, TS_RESOLVED_ON_TIME, TS_ABANDONED,
    TS_ESCALATED, TS_BACKLOG, TS_SATISFACTION,
    TS_MEMBER_RESOLVED, TS_WISH_FULFILLED, TS_ITEMS_COMPLETED,
    TS_VISITS_DONE, TS_VISIT_COVERAGE, TS_TRUST, TS_PRESENCE,
    N_SERIES
};

enum group_field {
    G_HOUSEHOLDS, G_SAT_START, G_SAT_END, G_TRUST_START, G_TRUST_END, G_GAIN,
    N_GROUP_FIELDS
};
extern const struct field_def group_fields[N_GROUP_FIELDS];
extern const char *const group_names[N_GROUPS];

#define HIST_BINS 10
#define TTR_BINS 16

/* Edges of the time-to-resolution histogram bins, hours; the last is +infinity. */
extern const double ttr_bin_edges[TTR_BINS + 1];

extern const struct field_def summary_fields[N_SUMMARY];
extern const struct field_def level_fields[N_LEVEL_FIELDS];
extern const struct field_def series_fields[N_SERIES];
extern const struct field_def category_fields[N_CATEGORY_FIELDS];

struct summary {
    double v[N_SUMMARY];
    double level[N_LEVEL_FIELDS][N_LEVELS];
    double cat[N_CATEGORY_FIELDS][N_CATEGORIES];
    double satisfaction_hist[HIST_BINS];  /* share of households per score bin */
    double trust_hist[HIST_BINS];
    double ttr_hist[TTR_BINS];            /* share of resolved requests per bin; NaN if none */
    /* by household group (type-major, [2k]: without, [2k+1]: with an elderly member) */
    double group_households[N_GROUPS];
    double group_sat_start[N_GROUPS], group_sat_end[N_GROUPS];
    double group_trust_start[N_GROUPS], group_trust_end[N_GROUPS];
    double group_gain[N_GROUPS];          /* share whose satisfaction rose */
};

/* Per-community time series: rows are output intervals, columns communities. */
struct series {
    int64_t nrows, ncols, row;   /* row = rows recorded so far */
    double *day;                 /* simulated day at the end of each row */
    double *data[N_SERIES];      /* nrows * ncols, row-major */
    double *last;                /* ncols * N_SERIES: run totals at the previous row, for counts */
    double *street;              /* ncols: street of each community (a community table sets it) */
};

void series_init(struct series *s, const struct params *p);
void series_free(struct series *s);
/* Fills community c's entries of the next row, for the interval ending now: counts
 * are the change in the run totals since the previous row. Communities may be
 * recorded in any order and by different threads; then series_end_row. */
void series_record(struct series *s, const struct world *w, int64_t c);
/* Closes the row filled by series_record: the interval ended at `day`. */
void series_end_row(struct series *s, double day);

/* Records end-of-day observations that the summary averages over days. */
void summary_observe_day(struct world *w);

/* Computes the run summary from the final state. */
void summary_compute(struct summary *s, const struct world *w);

#endif
