/* param.h: the model's parameters, declared once in a table (param_table.c).
 *
 * Every parameter has a dotted name, a type, a unit, a default, an allowed range
 * and a one-line meaning. The YAML loader, `--set`, range checks, `govsim params`,
 * the HDF5 parameter dump and docs/parameters.md all read the same table. */
#ifndef GOVSIM_PARAM_H
#define GOVSIM_PARAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* Request categories: the duties moved down to grids in Changchun. */
enum category {
    CAT_UTILITIES, CAT_HOUSING, CAT_ENVIRONMENT, CAT_SAFETY, CAT_DISPUTES,
    CAT_ELDERLY_CARE, CAT_CHILDREN, CAT_EMPLOYMENT, CAT_ADMIN_SERVICES,
    N_CATEGORIES
};
extern const char *const category_names[N_CATEGORIES];

/* Levels of the hierarchy that serve requests, bottom to top. */
enum level { LEVEL_GRID, LEVEL_COMMUNITY, LEVEL_STREET, LEVEL_DISTRICT, N_LEVELS };
extern const char *const level_names[N_LEVELS];

/* Household types of the case reports. */
enum hh_type { HH_URBAN, HH_RESETTLED, HH_MIGRANT, N_HH_TYPES };
extern const char *const hh_type_names[N_HH_TYPES];

#define PARAM_STR_MAX 128

/* Working hours of the staff at one level. */
struct shift_params {
    double start_hour;    /* hour of day the shift starts */
    double hours;         /* length of the shift */
    int64_t work_days;    /* days on duty per week, counted from Monday */
    double stagger_hours; /* every second staff member starts this much later */
    int holiday_duty;     /* on duty on public holidays */
};

struct category_params {
    double weight;         /* relative share of requests */
    double service_hours;  /* mean service time at grid level */
    double deadline_hours; /* time limit for completion */
    double p_level[N_LEVELS]; /* [0] unused (remainder); P(needs community/street/district) */
    int docked;            /* skips the community when it needs a street or the district */
    double third_party_prob;  /* casework.c: P(a contact leaves it waiting on a third party) */
    double third_party_days;  /* median of that wait (lognormal) */
};

struct params {
    char scenario_name[PARAM_STR_MAX];
    char scenario_description[PARAM_STR_MAX * 4];
    int64_t seed;
    int64_t days;
    double step_hours;
    int64_t output_interval_days;
    int64_t warmup_days;            /* left out of the per-level queue statistics */
    double wait_threshold_hours;    /* for the share of waits longer than this */
    int event_log;

    int64_t streets, communities, grids;
    int64_t households_per_grid;
    int64_t households_total;       /* > 0: world.grids is derived from it (param_derive) */
    char community_table[512];      /* CSV with a row per community (ctable.h), or "" */
    double grid_households_cv;      /* > 0: households per grid vary (lognormal, mean grid.households) */
    double persons_per_household;
    double share_resettled, share_migrant, share_elderly, share_party;

    double rate[N_HH_TYPES];        /* requests per household per year */
    double elderly_factor, night_factor, weekend_factor;
    struct category_params cat[N_CATEGORIES];

    double service_cv;
    double level_service_factor[N_LEVELS]; /* [0] is 1 */

    double report_prob_base, report_prob_trust, report_delay_hours;
    double patrol_efficiency;

    int64_t staff[N_LEVELS];        /* servers per unit at each level */
    struct shift_params shift[N_LEVELS];
    double patrol_hours;            /* per grid worker per working day */

    int public_holidays, acceptance_24h;
    double triage_hours;
    int overdue_enabled, time_limit_enabled;
    double overdue_hours;

    double patience_hours;
    double satisfaction_init, trust_init, satisfaction_rate;
    double lateness_scale_hours, satisfaction_abandon;

    double staff_cost_year[N_LEVELS];
    int admission_control;
    int ab_posts;
    double specialist_factor;

    /* Top-down administrative tasks (models/tasks.c) at grid, community and street
     * level ([LEVEL_DISTRICT] unused, always 0). */
    struct task_params {
        double per_week[N_LEVELS];       /* general tasks per unit per week */
        double hours[N_LEVELS];          /* mean staff hours of one */
        double deadline_days[N_LEVELS];  /* mean time allowed */
        double quota_per_week[N_LEVELS]; /* investment-attraction quota tasks per unit per week */
        int quota_enabled;
        double quota_hours;
        double hours_cv;                 /* of the lognormal work content */
        double slack_hours;              /* safety margin at which a task presses */
        double burden_cut;               /* share of general tasks cancelled */
        double funded_share;             /* share of tasks that come with funding */
        double funded_hours_share;       /* share of a funded task's hours its money buys */
        double bought_hour_cost;         /* yuan per bought hour */
    } task;
    /* Proactive work (models/visits.c) with the staff time left over. */
    struct visit_params {
        double grid_per_household_year, community_per_household_year;
        double hours_per_visit;
        double data_hours_per_household_year;   /* grid: basic data collection */
        double detection_weight;                /* patrol-hour equivalents per visit hour */
        double carry_days;                      /* unmet target carried at most this long */
    } visit;

    double app_share, app_report_delay_factor, app_patrol_factor, app_triage_factor;
    double app_escalation_factor;

    int64_t meeting_interval[N_LEVELS], meeting_capacity[N_LEVELS]; /* street and district */
    double meeting_hour;

    double trust_rate, trust_resettled_gap;
    /* Residents' satisfaction and trust (models/residents.c, docs/ODD.md 7.15). */
    struct resident_params {
        double memory_days, expectation_init, expectation_rate, performance_ref;
        double disconfirmation_weight, unsolved_score, reopen_factor, member_lift;
        double shared_days, problem_weight, problem_days, contact_weight, contact_scale;
        double contact_days, presence_ref, project_weight, project_days;
        double wish_lift, wish_trust_lift, trust_own_weight, trust_sat_weight;
        double trust_presence_weight, gap_days, gap_sat_scale, project_cut, project_cut_max;
        double member_visit_share, coproduction_slope;
        int meeting_settles_waits;
    } res;

    double budget_community, district_fund, centre_cost_hour, grid_subsidy;
    double local_income, pay_benchmark, turnover_floor, turnover_ceiling, vacancy_days;
    int64_t cut_day;     /* staff.cut_day: grid and community posts cut from then (0: never) */
    double cut_share;
    /* Party members, micro-wish campaigns, co-building units and the three lists
     * (models/members.c, models/microwish.c, models/cobuild.c). */
    struct member_params {
        int enabled;
        double resident_hours_month, resident_nonelderly_factor, resident_attendance;
        int64_t in_service_per_community;
        double in_service_hours_month, in_service_attendance;
        double trust_slope, vanguard_coverage, service_factor;
        int simple[N_CATEGORIES];    /* category eligible for members' first contact */
    } mem;
    struct microwish_params {
        int enabled;
        int64_t campaign_day, cards_per_community, campaign_days;
        double hours_per_card, cost_per_card, budget_per_community;
        double member_hours_share, unit_hours_share;
    } wish;
    struct cobuild_params {
        int enabled;
        int64_t units;
        double unit_staff_hours_year, unit_venue_hours_year, unit_money_year;
        double project_budget_per_community, special_fund_year;
        double needs_per_community_year, need_staff_hours, need_venue_hours, need_cost;
        double duration_weeks, duration_cv, stall_prob;
        int64_t need_lapse_days;
        double service_hours_week, service_factor;  /* units' professionals at the centre */
        int serves[N_CATEGORIES];    /* categories they take (cobuild.serves.*) */
    } cb;
    /* Case life cycle (models/casework.c): waiting that is not staff work, closing
     * unsolved, follow-up and reopening, pushing hard cases up. */
    struct casework_params {
        int enabled;
        double third_party_sigma;              /* shape of the lognormal third-party wait */
        double resident_wait_prob, resident_wait_days;
        double recontact_prob;                 /* after a wait: another contact needed */
        int64_t max_contacts;
        double unsolved_prob[N_LEVELS];        /* a level closes a case unsolved */
        double reopen_prob[N_LEVELS];          /* follow-up finds a resolved case unsolved */
        double reopen_unsolved_prob;           /* follow-up reopens a case closed unsolved */
        double rushed_factor, rush_queue_per_staff;
        double followup_days;
        double push_prob[N_LEVELS];            /* [3] unused: a level pushes a case it could solve up */
        int first_asked, full_agency;
        int64_t first_secretaries;
        double fs_push_factor, fs_wait_factor, fs_cobuild_factor;
    } cw;
    /* Staff dynamics (models/staff.c) and investment costs. */
    double burnout_threshold, burnout_slope;
    int career_path;
    double career_factor, new_hire_factor, ramp_weeks;
    double app_investment, app_lifetime_years, venue_investment, venue_lifetime_years;
};

enum param_type { PT_INT, PT_DOUBLE, PT_BOOL, PT_STRING };

/* Where a parameter's built-in value comes from (issue 19). Every row of the table has
 * one; a test fails on a row without. */
enum param_origin {
    PO_UNSET,      /* not classified (refused by tests/test_params.c) */
    PO_STRUCTURAL, /* structure, switch, run control or a scenario's policy lever: no range */
    PO_REPORT,     /* a case report's (or official statistic's) figure: basis cites it */
    PO_ASSUMED     /* assumed: a plausible range [plo, phi] and the reasoning in basis */
};

struct param_def {
    const char *name;     /* dotted name, e.g. "grid.households" */
    enum param_type type;
    const char *unit;
    double def, min, max; /* numeric default and inclusive range */
    const char *sdef;     /* default of a string parameter */
    const char *meaning;  /* one line */
    size_t offset;        /* where the value lives in struct params */
    size_t size;          /* capacity of a string parameter */
    enum param_origin origin;
    double plo, phi;      /* plausible range of an assumed parameter (within [min, max]) */
    const char *basis;    /* why: the reasoning or source of the value or range (may be NULL) */
};

extern const struct param_def param_table[];
extern const size_t param_count;

/* Where a parameter's value came from, for provenance. */
enum param_source { SRC_DEFAULT, SRC_FILE, SRC_SET };
extern const char *const param_source_names[];

/* A parameter set plus where each value came from. */
struct param_set {
    struct params p;
    enum param_source *source;   /* param_count entries */
    char file[512];              /* scenario file, or "" */
};

/* Returns a parameter set holding the built-in defaults. Free with param_set_free. */
struct param_set *param_set_new(void);
void param_set_free(struct param_set *ps);

const struct param_def *param_find(const char *name);

/* Plausible range of an assumed parameter: returns 1 and sets *lo, *hi (either pointer
 * may be NULL) if d is assumed and has a range (lo < hi, or lo == hi for a value held
 * fixed), else 0 and leaves them alone. Drawing uncertain parameter sets
 * (`compare --uncertainty`) and the sensitivity analysis use it. */
int param_plausible(const struct param_def *d, double *lo, double *hi);
/* What is wrong with a row's provenance, or NULL: unclassified; an assumed number
 * without a plausible range (lo < hi), a range outside [min, max] or not holding the
 * built-in default, or without a basis; a report value without its source. */
const char *param_origin_problem(const struct param_def *d);
/* "structural", "report", "assumed" (or "unset"). */
const char *param_origin_name(enum param_origin o);
/* Nearest known name for an unknown one (for "did you mean"), or NULL. */
const char *param_suggest(const char *name);

/* Parses text as the value of a parameter and stores it. `where` names the
 * origin ("file.yaml:12" or "--set") for messages. */
int param_set_value(struct param_set *ps, const char *name, const char *text,
                    const char *where, enum param_source src, struct gs_error *err);

/* Checks relations between parameters that single ranges cannot express. */
int param_check(const struct param_set *ps, struct gs_error *err);

/* Applies "key=value" from the command line. */
int param_apply_assignment(struct param_set *ps, const char *assignment, struct gs_error *err);

/* Loads a YAML scenario file over the current values (param_yaml.c). */
int param_load_yaml(struct param_set *ps, const char *path, struct gs_error *err);
/* The same from n bytes in memory (need not end in NUL); `name` stands for the file in
 * messages. */
int param_load_yaml_string(struct param_set *ps, const char *name, const char *text, size_t n,
                           struct gs_error *err);

/* Loads the parameters of one mapping of a YAML document read by yamldoc.h (names
 * are the keys below that mapping), e.g. the `set:` of a sweep file. */
struct ydoc;
struct ydoc_node;
int param_load_ydoc(struct param_set *ps, const struct ydoc *doc, const struct ydoc_node *map,
                    struct gs_error *err);

/* Stores a numeric value (int, double or bool parameter) without range checks, then
 * param_derive. */
void param_set_number(struct params *p, const struct param_def *d, double v);
/* Derived values: with world.households_total > 0, world.grids is
 * max(world.communities, round(households_total / grid.households)). Called whenever a
 * value is set. */
void param_derive(struct params *p);

/* Formats the current value of a parameter into buf. */
void param_format(const struct params *p, const struct param_def *d, char *buf, size_t n);
double param_get_number(const struct params *p, const struct param_def *d);
/* The first parameter whose value differs between a and b, or NULL if none does. */
const struct param_def *param_first_difference(const struct params *a, const struct params *b);

/* `govsim params`: the table as text (only the entries i with keep[i] nonzero, unless
 * keep is NULL), or the whole table as Markdown for docs/parameters.md. */
void param_print_table(FILE *f, const struct params *p, const unsigned char *keep);
void param_print_markdown(FILE *f);
/* `govsim params --ranges`: one tab-separated line per parameter (entries with keep[i]
 * nonzero, unless keep is NULL): name, type, origin, value, min, max, plausible_lo,
 * plausible_hi (empty unless assumed), basis. Doubles with 17 significant digits. */
void param_print_ranges(FILE *f, const struct params *p, const unsigned char *keep);

#endif
