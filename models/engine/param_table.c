/* param_table.c: every parameter of govsim, declared once.
 *
 * Defaults describe the Yuzhou case (26 communities in 113 grids, 7-9 staff per
 * community) as far as the core model goes. Values not given by any case report
 * (population, request rates, service times, deadlines, costs) are assumed; their
 * reasoning is in docs/ODD.md. Adding a parameter is one row here plus its use. */
#include "param.h"

#include <stddef.h>

#define OFF(f) offsetof(struct params, f)
#define INT(n, u, d, lo, hi, f, m) { n, PT_INT, u, d, lo, hi, NULL, m, OFF(f), 0 }
#define DBL(n, u, d, lo, hi, f, m) { n, PT_DOUBLE, u, d, lo, hi, NULL, m, OFF(f), 0 }
#define BOOL(n, d, f, m) { n, PT_BOOL, "boolean", d, 0, 1, NULL, m, OFF(f), 0 }
#define STR(n, d, f, m) { n, PT_STRING, "text", 0, 0, 0, d, m, OFF(f), sizeof(((struct params *)0)->f) }

/* One request category: weight, mean service time at grid level, deadline, and
 * the probabilities that it needs the community, a street or the district. */
#define CATEGORY(key, i, w, sh, dl, pc, ps, pd)                                           \
    DBL("category." key ".weight", "relative weight", w, 0, 1e6, cat[i].weight,          \
        "Relative frequency of " key " requests (weights are normalised over categories)"), \
    DBL("category." key ".service_hours", "hours", sh, 0.001, 1000, cat[i].service_hours, \
        "Mean service time of a " key " request at grid level"),                           \
    DBL("category." key ".deadline_hours", "hours", dl, 0.1, 1e5, cat[i].deadline_hours,  \
        "Time limit for completing a " key " request, counted from when it became known"), \
    DBL("category." key ".p_community", "probability", pc, 0, 1, cat[i].p_level[1],       \
        "Probability that a " key " request needs the community to resolve it"),           \
    DBL("category." key ".p_street", "probability", ps, 0, 1, cat[i].p_level[2],          \
        "Probability that a " key " request needs a street or department"),                \
    DBL("category." key ".p_district", "probability", pd, 0, 1, cat[i].p_level[3],        \
        "Probability that a " key " request needs a district joint meeting"),               \
    BOOL("category." key ".docked", 0, cat[i].docked,                                      \
        "Department staff dock directly with grid leaders for " key " requests: those needing a street or the district skip the community")

/* Case life cycle of one category: probability that a contact leaves it waiting on a
 * third party, and the median wait. */
#define CASEWORK_CATEGORY(key, i, pr, days)                                                    \
    DBL("category." key ".third_party_prob", "probability", pr, 0, 1, cat[i].third_party_prob, \
        "Probability that a contact at the level resolving a " key " request leaves it waiting on a third party (property company, utility, department) (assumed)"), \
    DBL("category." key ".third_party_days", "days", days, 0, 3650, cat[i].third_party_days,  \
        "Median third-party wait of a " key " request (lognormal) (assumed)")

/* Staff count and working hours at one level. */
#define LEVEL_STAFF(key, i, who, n, start_, hours_, days_, cost, holiday)                   \
    INT(key "." who, "persons per " key, n, 0, 10000, staff[i],                            \
        "Staff serving requests at each " key),                                            \
    DBL(key ".shift_start_hour", "hour of day", start_, 0, 23.99, shift[i].start_hour,     \
        "Hour of day the " key " staff's shift starts"),                                   \
    DBL(key ".shift_hours", "hours", hours_, 0, 24, shift[i].hours,                         \
        "Length of the " key " staff's shift (24 with start 0 is round-the-clock duty)"),  \
    INT(key ".work_days", "days per week", days_, 0, 7, shift[i].work_days,                 \
        "Days on duty per week, counted from Monday (7 = every day)"),                     \
    DBL(key ".stagger_hours", "hours", 0, 0, 12, shift[i].stagger_hours,                   \
        "Staggered hours: every second " key " staff member starts this much later (0 = all together)"), \
    BOOL(key ".holiday_duty", holiday, shift[i].holiday_duty,                               \
        "The " key " staff keep duty on public holidays (otherwise they are off)"),        \
    DBL(key ".staff_cost_per_year", "yuan per person-year", cost, 0, 1e8, staff_cost_year[i], \
        "Cost of one " key " staff member for a year")

/* Top-down task stream at one level (models/tasks.c); reasoning in docs/ODD.md, "Workload". */
#define LEVEL_TASKS(key, i, rate, hours_, deadline, quota)                                  \
    DBL("tasks." key ".per_week", "tasks per unit per week", rate, 0, 1e4, task.per_week[i], \
        "Top-down administrative tasks (reports, statistics, inspections, meetings, campaigns) arriving at each " key " per week (assumed; 0 = none)"), \
    DBL("tasks." key ".hours", "hours", hours_, 0.01, 1e4, task.hours[i],                    \
        "Mean staff hours one top-down task at a " key " needs (assumed; lognormal, tasks.hours_cv)"), \
    DBL("tasks." key ".deadline_days", "days", deadline, 0.1, 3650, task.deadline_days[i],   \
        "Mean time a " key " is given to finish a top-down task (assumed; uniform from 0.5x to 1.5x)"), \
    DBL("tasks." key ".quota_per_week", "tasks per unit per week", quota, 0, 1e4,            \
        task.quota_per_week[i],                                                              \
        "Investment-attraction quota tasks arriving at each " key " per week while tasks.quota_enabled (assumed)")

/* Whether party members may take requests of one category (simple requests). */
#define MEMBER_CATEGORY(key, i, d)                                                           \
    BOOL("members.simple." key, d, mem.simple[i],                                            \
         "Members at a vanguard post may take grid-level " key " requests")

/* Whether co-building units' professionals take community-level requests of one category. */
#define COBUILD_CATEGORY(key, i, d)                                                          \
    BOOL("cobuild.serves." key, d, cb.serves[i],                                             \
         "Co-building units' volunteer professionals take community-level " key " requests (assumed)")

const struct param_def param_table[] = {
    STR("scenario.name", "default", scenario_name,
        "Short name of the scenario, used in output file names"),
    STR("scenario.description", "Built-in default: Yuzhou-like city, core model",
        scenario_description, "One-line description of the scenario"),

    INT("run.seed", "", 1, 0, 9007199254740992.0, seed,
        "Seed from which every random stream of the run is derived"),
    INT("time.days", "days", 365, 1, 36500, days, "Length of the simulated period"),
    DBL("time.step_hours", "hours", 1, 0.05, 24, step_hours,
        "Length of one time step (must divide 24 hours)"),
    INT("output.interval_days", "days", 1, 1, 3650, output_interval_days,
        "Interval between rows of the per-community time series"),
    INT("output.warmup_days", "days", 0, 0, 36500, warmup_days,
        "Days at the start left out of the per-level waiting and queue statistics (steady-state estimates)"),
    DBL("output.wait_threshold_hours", "hours", 24, 0, 1e5, wait_threshold_hours,
        "Wait at a level beyond which a request counts in the per-level share of long waits"),
    BOOL("output.event_log", 0, event_log,
        "Write a per-request event log (arose, known, entered each level, service start, passed up, resolved or abandoned)"),

    INT("world.streets", "streets", 4, 1, 100000, streets, "Streets in the district"),
    INT("world.communities", "communities", 26, 1, 1000000, communities,
        "Communities, spread evenly over the streets"),
    INT("world.grids", "grids", 113, 1, 10000000, grids,
        "Grids, spread evenly over the communities"),
    INT("grid.households", "households per grid", 400, 1, 100000, households_per_grid,
        "Households in each grid (assumed; national practice is 300-500)"),
    INT("world.households_total", "households", 0, 0, 3999999999.0, households_total,
        "Households in the district (0 = world.grids x grid.households). When set, world.grids is derived as round(households_total / grid.households) (at least world.communities) and the households are split as evenly as possible over the grids, so a sweep of grid.households keeps the population fixed; do not set world.grids with it"),
    DBL("world.grid_households_cv", "coefficient of variation", 0, 0, 2, grid_households_cv,
        "Households per grid vary from grid to grid: lognormal with mean grid.households and this coefficient of variation, drawn once per grid from its own stream (assumed; 0 = alike grids, plausible 0.1-0.5 for grids drawn by area, buildings and population)"),
    STR("world.community_table", "", community_table,
        "CSV file with a row per community (community, street, grids, households; optional kind and share_resettled, share_migrant, share_elderly, share_party), relative to the scenario file; \"\" = all communities and grids alike. Format: docs/ODD.md, Initialisation"),
    DBL("household.persons", "persons per household", 2.7, 1, 20, persons_per_household,
        "Mean residents per household (assumed; national figure 2.6-2.8), for per-resident outputs"),
    DBL("household.share_resettled", "share of households", 0.2, 0, 1, share_resettled,
        "Share of households that are resettled villagers"),
    DBL("household.share_migrant", "share of households", 0.15, 0, 1, share_migrant,
        "Share of households that are migrant renters (the rest are long-time urban)"),
    DBL("household.share_elderly", "share of households", 0.3, 0, 1, share_elderly,
        "Share of households with an elderly member, within each type"),
    DBL("household.share_party", "share of households", 0.08, 0, 1, share_party,
        "Probability that a household has a party member"),

    DBL("requests.rate_urban", "requests per household per year", 1.0, 0, 1000, rate[HH_URBAN],
        "Request rate of a long-time urban household without elderly member"),
    DBL("requests.rate_resettled", "requests per household per year", 1.3, 0, 1000,
        rate[HH_RESETTLED], "Request rate of a resettled villager household without elderly member"),
    DBL("requests.rate_migrant", "requests per household per year", 0.7, 0, 1000,
        rate[HH_MIGRANT], "Request rate of a migrant renter household without elderly member"),
    DBL("requests.elderly_factor", "multiplier", 1.5, 0, 100, elderly_factor,
        "Request rate multiplier for households with an elderly member"),
    DBL("requests.night_factor", "multiplier", 0.2, 0, 10, night_factor,
        "Relative request rate from 22:00 to 07:00 (the weekly mean rate is kept)"),
    DBL("requests.weekend_factor", "multiplier", 0.7, 0, 10, weekend_factor,
        "Relative request rate on Saturday and Sunday (the weekly mean rate is kept)"),

    CATEGORY("utilities", CAT_UTILITIES, 0.14, 1.5, 24, 0.20, 0.25, 0.05),
    CATEGORY("housing", CAT_HOUSING, 0.18, 2.0, 72, 0.25, 0.10, 0.03),
    CATEGORY("environment", CAT_ENVIRONMENT, 0.16, 1.0, 48, 0.10, 0.10, 0.02),
    CATEGORY("safety", CAT_SAFETY, 0.08, 1.0, 24, 0.15, 0.15, 0.05),
    CATEGORY("disputes", CAT_DISPUTES, 0.10, 3.0, 120, 0.30, 0.10, 0.03),
    CATEGORY("elderly_care", CAT_ELDERLY_CARE, 0.12, 2.0, 72, 0.20, 0.05, 0.02),
    CATEGORY("children", CAT_CHILDREN, 0.06, 1.5, 120, 0.20, 0.05, 0.02),
    CATEGORY("employment", CAT_EMPLOYMENT, 0.06, 2.0, 168, 0.30, 0.15, 0.03),
    CATEGORY("admin_services", CAT_ADMIN_SERVICES, 0.10, 1.0, 120, 0.40, 0.10, 0.02),

    /* ---- Case life cycle (models/casework.c). Every value below is *assumed*; reasoning
     * and plausible ranges: docs/ODD.md, section "Case life cycle and staff dynamics". ---- */
    CASEWORK_CATEGORY("utilities", CAT_UTILITIES, 0.45, 2),
    CASEWORK_CATEGORY("housing", CAT_HOUSING, 0.5, 3),
    CASEWORK_CATEGORY("environment", CAT_ENVIRONMENT, 0.35, 2),
    CASEWORK_CATEGORY("safety", CAT_SAFETY, 0.2, 1),
    CASEWORK_CATEGORY("disputes", CAT_DISPUTES, 0.3, 3),
    CASEWORK_CATEGORY("elderly_care", CAT_ELDERLY_CARE, 0.2, 3),
    CASEWORK_CATEGORY("children", CAT_CHILDREN, 0.15, 3),
    CASEWORK_CATEGORY("employment", CAT_EMPLOYMENT, 0.35, 5),
    CASEWORK_CATEGORY("admin_services", CAT_ADMIN_SERVICES, 0.4, 4),
    BOOL("casework.enabled", 1, cw.enabled,
        "Case life cycle: waits on third parties and residents, closing unsolved, follow-up and reopening, push-ups (false: every contact at the resolving level resolves the case)"),
    DBL("casework.third_party_sigma", "log-scale sd", 1.0, 0, 5, cw.third_party_sigma,
        "Shape of third-party and resident waits: sd of the log of the wait (lognormal; 1 puts the 90th percentile at 3.6 x the median) (assumed)"),
    DBL("casework.resident_wait_prob", "probability", 0.1, 0, 1, cw.resident_wait_prob,
        "Probability that a contact not waiting on a third party leaves the case waiting on the resident (documents, access, availability) (assumed)"),
    DBL("casework.resident_wait_days", "days", 1, 0, 365, cw.resident_wait_days,
        "Median wait on the resident (lognormal, shape casework.third_party_sigma) (assumed)"),
    DBL("casework.recontact_prob", "probability", 0.3, 0, 1, cw.recontact_prob,
        "Probability that after a wait the case needs another contact (re-queued at the same level for another job) rather than being resolved (assumed)"),
    INT("casework.max_contacts", "contacts", 4, 1, 100, cw.max_contacts,
        "Most contacts (jobs at the resolving level, reopenings included) before a wait always ends the case as resolved (assumed)"),
    DBL("casework.grid_unsolved_prob", "probability", 0.03, 0, 1, cw.unsolved_prob[LEVEL_GRID],
        "Probability that the grid closes a case it should resolve without solving it (assumed)"),
    DBL("casework.community_unsolved_prob", "probability", 0.03, 0, 1, cw.unsolved_prob[LEVEL_COMMUNITY],
        "Probability that the community closes a case without solving it (assumed)"),
    DBL("casework.street_unsolved_prob", "probability", 0.02, 0, 1, cw.unsolved_prob[LEVEL_STREET],
        "Probability that a street closes a case without solving it (assumed)"),
    DBL("casework.district_unsolved_prob", "probability", 0.02, 0, 1, cw.unsolved_prob[LEVEL_DISTRICT],
        "Probability that the district closes a case without solving it (assumed)"),
    DBL("casework.grid_reopen_prob", "probability", 0.08, 0, 1, cw.reopen_prob[LEVEL_GRID],
        "Probability that the follow-up call finds a case the grid resolved unsolved and reopens it (assumed)"),
    DBL("casework.community_reopen_prob", "probability", 0.06, 0, 1, cw.reopen_prob[LEVEL_COMMUNITY],
        "Probability that the follow-up reopens a case the community resolved (assumed)"),
    DBL("casework.street_reopen_prob", "probability", 0.05, 0, 1, cw.reopen_prob[LEVEL_STREET],
        "Probability that the follow-up reopens a case a street resolved (assumed)"),
    DBL("casework.district_reopen_prob", "probability", 0.04, 0, 1, cw.reopen_prob[LEVEL_DISTRICT],
        "Probability that the follow-up reopens a case the district resolved (assumed)"),
    DBL("casework.reopen_unsolved_prob", "probability", 0.5, 0, 1, cw.reopen_unsolved_prob,
        "Probability that the follow-up reopens a case closed unsolved (assumed)"),
    DBL("casework.rushed_factor", "multiplier", 2, 1, 100, cw.rushed_factor,
        "Reopen probability of a rushed case (closed while its unit's queue was long) relative to others, capped at 1 (assumed)"),
    DBL("casework.rush_queue_per_staff", "requests per post", 3, 0, 1e6, cw.rush_queue_per_staff,
        "A case closed while its unit has more than this many requests queued per post counts as rushed (assumed)"),
    DBL("casework.followup_days", "days", 3, 0, 365, cw.followup_days,
        "Days after closing at which the follow-up call (回访) reopens a case found unsolved (assumed)"),
    DBL("casework.grid_push_prob", "probability", 0.1, 0, 1, cw.push_prob[LEVEL_GRID],
        "Probability that the grid pushes a case it could solve up to the community (遇到难题往上推) (assumed)"),
    DBL("casework.community_push_prob", "probability", 0.1, 0, 1, cw.push_prob[LEVEL_COMMUNITY],
        "Probability that the community pushes a case it could solve up to the street (assumed)"),
    DBL("casework.street_push_prob", "probability", 0.05, 0, 1, cw.push_prob[LEVEL_STREET],
        "Probability that a street pushes a case it could solve up to the district (assumed)"),
    BOOL("casework.first_asked", 0, cw.first_asked,
        "First-asked responsibility (首问负责): the grid, where a resident first asks, never pushes up a case it can solve"),
    BOOL("casework.full_agency", 0, cw.full_agency,
        "Full-process agency (全程代理): grid and community carry a resident's matter through; neither pushes up a case it can solve"),
    INT("community.first_secretaries", "persons", 0, 0, 1e7, cw.first_secretaries,
        "Communities with a first secretary sent from a city department or a street (spread evenly; at most one per community)"),
    DBL("first_secretary.push_factor", "multiplier", 0.5, 0, 1, cw.fs_push_factor,
        "Push-up probability of a community with a first secretary (and of its grids) relative to without (assumed)"),
    DBL("first_secretary.cobuild_factor", "multiplier", 1.2, 1, 10, cw.fs_cobuild_factor,
        "Staff and venue hours co-building units offer a community with a first secretary relative to without: the secretary's ties bring units in (assumed)"),
    DBL("first_secretary.wait_factor", "multiplier", 0.8, 0.01, 1, cw.fs_wait_factor,
        "Third-party waits of cases handled in a community with a first secretary (and its grids) relative to without: the secretary's department ties (assumed)"),

    DBL("service.cv", "ratio", 1.0, 0.05, 5, service_cv,
        "Coefficient of variation of service times (gamma distributed; 1 = exponential)"),
    DBL("service.community_factor", "multiplier", 1.5, 0.01, 100,
        level_service_factor[LEVEL_COMMUNITY], "Service time at community level relative to grid level"),
    DBL("service.street_factor", "multiplier", 3.0, 0.01, 100,
        level_service_factor[LEVEL_STREET], "Service time at street level relative to grid level"),
    DBL("service.district_factor", "multiplier", 4.0, 0.01, 100,
        level_service_factor[LEVEL_DISTRICT], "Service time at district level relative to grid level"),

    DBL("intake.report_prob_base", "probability", 0.6, 0, 1, report_prob_base,
        "Probability that a resident with zero trust reports a request"),
    DBL("intake.report_prob_trust", "probability per unit trust", 0.3, 0, 1, report_prob_trust,
        "Increase of the reporting probability per unit of trust (capped at 1)"),
    DBL("intake.report_delay_hours", "hours", 12, 0, 10000, report_delay_hours,
        "Mean delay between a request arising and the resident reporting it"),
    DBL("intake.patrol_efficiency", "per hour per (patrol hour/household/day)", 2.0, 0, 1e6,
        patrol_efficiency,
        "Detection hazard of an unreported request per unit of patrol hours per household per day"),

    LEVEL_STAFF("grid", LEVEL_GRID, "workers", 2, 8.5, 8, 6, 60000, 1),
    DBL("grid.patrol_hours", "hours per worker per working day", 2, 0, 24, patrol_hours,
        "Target patrol hours of each grid worker per working day, done with the time left over after requests and tasks (models/visits.c)"),
    LEVEL_STAFF("community", LEVEL_COMMUNITY, "staff", 8, 8.5, 8, 5, 80000, 0),
    LEVEL_STAFF("street", LEVEL_STREET, "caseworkers", 6, 8.5, 8, 5, 100000, 0),
    LEVEL_STAFF("district", LEVEL_DISTRICT, "caseworkers", 10, 8.5, 8, 5, 120000, 0),

    BOOL("admin.admission_control", 0, admission_control,
        "Admission control of work entering communities (Dai county): grids and communities refuse top-down tasks that come without funding (tasks.funded_share)"),

    /* ---- Top-down tasks (models/tasks.c) and proactive work (models/visits.c); every
     * value assumed, reasoning and ranges in docs/ODD.md, section "Workload". ---- */
    LEVEL_TASKS("grid", LEVEL_GRID, 0, 3, 7, 0),
    LEVEL_TASKS("community", LEVEL_COMMUNITY, 0, 6, 10, 0),
    LEVEL_TASKS("street", LEVEL_STREET, 0, 8, 14, 0),
    BOOL("tasks.quota_enabled", 1, task.quota_enabled,
         "Investment-attraction quota tasks (tasks.<level>.quota_per_week) are assigned (Yuzhou cancelled them; false: none)"),
    DBL("tasks.quota_hours", "hours", 16, 0.01, 1e4, task.quota_hours,
        "Mean staff hours of one investment-attraction quota task (assumed; lognormal)"),
    DBL("tasks.hours_cv", "ratio", 1.5, 0, 10, task.hours_cv,
        "Coefficient of variation of a task's hours (lognormal: a few tasks take far longer; assumed)"),
    DBL("tasks.slack_hours", "hours", 8, 0, 1000, task.slack_hours,
        "A task presses (is served before residents' requests) when the time left to its deadline, in one staff member's duty hours, falls below its remaining hours plus this margin (assumed)"),
    DBL("tasks.burden_cut", "share of tasks", 0, 0, 1, task.burden_cut,
        "Share of general top-down tasks cancelled by a burden cut (Yuzhou: powers granted, 赋权扩能减负; assumed size)"),
    DBL("tasks.funded_share", "share of tasks", 0.5, 0, 1, task.funded_share,
        "Share of top-down tasks that arrive with funding (费随事转); under admission control the others are refused at grid and community (assumed)"),
    DBL("tasks.funded_hours_share", "share of hours", 0.3, 0, 1, task.funded_hours_share,
        "Under admission control, share of a funded task's hours bought with its money (outside help), so not taken from staff (assumed)"),
    DBL("tasks.bought_hour_cost", "yuan per hour", 50, 0, 1e6, task.bought_hour_cost,
        "Cost of one bought hour of task work (paid by the task's funding; counted in spending; assumed, a part-time helper)"),
    DBL("visits.grid_per_household_year", "visits per household per year", 0, 0, 365,
        visit.grid_per_household_year,
        "Target home visits (入户走访) by grid workers per household per year, done with time left over (assumed; 0 = none)"),
    DBL("visits.community_per_household_year", "visits per household per year", 0, 0, 365,
        visit.community_per_household_year,
        "Target home visits by community staff per household per year, done with time left over (assumed; 0 = none)"),
    DBL("visits.hours_per_visit", "hours", 0.5, 0.01, 100, visit.hours_per_visit,
        "Staff hours one home visit takes, walking included (assumed)"),
    DBL("visits.data_hours_per_household_year", "hours per household per year", 0, 0, 1000,
        visit.data_hours_per_household_year,
        "Target grid hours of basic data collection (采集基础数据) per household per year (assumed; 0 = none)"),
    DBL("visits.detection_weight", "patrol-hour equivalents", 1, 0, 100, visit.detection_weight,
        "Detection of unreported needs by an hour of home visits, relative to an hour of patrol (assumed)"),
    DBL("visits.carry_days", "days", 7, 0, 365, visit.carry_days,
        "Proactive work not done is carried at most this long (targets of older days are dropped; assumed)"),

    BOOL("community.ab_posts", 1, ab_posts,
        "AB posts: community staff are pooled and multi-skilled; otherwise each serves only its own categories"),
    DBL("service.specialist_factor", "multiplier", 0.8, 0.01, 10, specialist_factor,
        "Service time of specialised community staff (without AB posts) relative to multi-skilled staff"),

    DBL("app.share_grids", "share of grids", 1.0, 0, 1, app_share,
        "Share of grids whose leader uses the digital app (0 switches the app off)"),
    DBL("app.report_delay_factor", "multiplier", 0.5, 0, 1, app_report_delay_factor,
        "Mean report delay in app grids relative to other grids (residents report through the app)"),
    DBL("app.patrol_factor", "multiplier", 1.5, 1, 100, app_patrol_factor,
        "Patrol detection hazard in app grids relative to other grids"),
    DBL("app.triage_factor", "multiplier", 0.5, 0, 1, app_triage_factor,
        "Triage time at grid level in app grids relative to other grids (faster routing)"),
    DBL("app.escalation_factor", "multiplier", 0.8, 0, 1, app_escalation_factor,
        "Probability that a request needs a level above the grid, in app grids, relative to other grids"),

    INT("meetings.street_interval_days", "days", 14, 0, 3650, meeting_interval[LEVEL_STREET],
        "Days between joint meetings at each street (0 = no street meetings)"),
    INT("meetings.street_capacity", "cases per meeting", 10, 0, 100000, meeting_capacity[LEVEL_STREET],
        "Most cases one street joint meeting resolves"),
    INT("meetings.district_interval_days", "days", 30, 0, 3650, meeting_interval[LEVEL_DISTRICT],
        "Days between district joint meetings (0 = no district meetings)"),
    INT("meetings.district_capacity", "cases per meeting", 20, 0, 100000,
        meeting_capacity[LEVEL_DISTRICT], "Most cases one district joint meeting resolves"),
    DBL("meetings.hour", "hour of day", 9, 0, 23.99, meeting_hour, "Hour of day joint meetings are held"),

    BOOL("calendar.public_holidays", 1, public_holidays,
        "Observe the 11 statutory public holidays (fixed days of the year; staff without holiday duty are off)"),
    BOOL("intake.acceptance_24h", 1, acceptance_24h,
        "Requests are accepted round the clock; otherwise one reported off duty is registered when the grid's duty starts"),

    DBL("escalation.triage_hours", "hours", 0.25, 0, 100, triage_hours,
        "Mean time a level spends on a request beyond its competence before passing it up"),
    BOOL("escalation.overdue_enabled", 1, overdue_enabled,
        "Pass a request up when it has waited too long at one level"),
    DBL("escalation.overdue_hours", "hours", 72, 0.1, 1e5, overdue_hours,
        "Wait at one level after which an unserved request is passed up"),
    BOOL("escalation.time_limit", 0, time_limit_enabled,
        "Time-limited completion: pass a request up when it has waited at one level longer than its category's deadline"),

    DBL("budget.community_per_year", "yuan per community per year", 0, 0, 1e10, budget_community,
        "Budget of each community for its staff, service centre and grid subsidies (0 = not limiting: every community.staff position is funded)"),
    DBL("budget.district_fund_per_year", "yuan per year", 0, 0, 1e12, district_fund,
        "District special fund, shared equally by the communities and added to their budgets"),
    DBL("centre.cost_per_open_hour", "yuan per hour", 60, 0, 1e6, centre_cost_hour,
        "Running cost of a community service centre per hour open (it is open while community staff are on duty)"),
    DBL("grid.subsidy_per_year", "yuan per grid per year", 300, 0, 1e8, grid_subsidy,
        "Work subsidy paid per grid (to its party branch secretary)"),
    DBL("staff.local_income_per_year", "yuan per person-year", 50000, 1, 1e8, local_income,
        "Local urban per-capita disposable income, the base of the pay benchmark"),
    DBL("staff.pay_benchmark_ratio", "multiplier", 1.5, 0.01, 100, pay_benchmark,
        "Pay / local income at and above which grid and community staff turnover is at its floor"),
    INT("staff.cut_day", "day", 0, 0, 36500, cut_day,
        "A collapse of service: from the first monthly staff check on or after this day, a share staff.cut_share of every grid's and community's posts is emptied for the rest of the run (0: never)"),
    DBL("staff.cut_share", "share of posts", 0.5, 0, 1, cut_share,
        "Share of grid and community posts emptied at staff.cut_day (the last posts of each unit)"),
    DBL("staff.turnover_floor", "probability per month", 0.005, 0, 1, turnover_floor,
        "Monthly probability that a grid worker or community staff member paid at the benchmark quits"),
    DBL("staff.turnover_ceiling", "probability per month", 0.05, 0, 1, turnover_ceiling,
        "Monthly quit probability at zero pay; it falls linearly to the floor as pay reaches the benchmark"),
    DBL("staff.vacancy_days", "days", 60, 0, 3650, vacancy_days,
        "Mean time (exponential) to fill a vacancy left by a member of staff who quit"),

    DBL("staff.burnout_threshold", "share of duty hours", 0.85, 0, 10, burnout_threshold,
        "Busy share of the duty hours of a unit's filled posts over the last 30 days above which staff burn out (assumed)"),
    DBL("staff.burnout_slope", "probability per month per unit overload", 0.2, 0, 10, burnout_slope,
        "Extra monthly quit probability per unit of busy share above staff.burnout_threshold (0 = no burnout) (assumed)"),
    BOOL("staff.career_path", 0, career_path,
        "A career system for community workers (Yuzhou 职业体系; Changchun reserved exams) lowers grid and community quits"),
    DBL("staff.career_factor", "multiplier", 0.6, 0, 1, career_factor,
        "Quit probability with a career path relative to without (assumed)"),
    DBL("staff.new_hire_factor", "multiplier", 1.5, 1, 10, new_hire_factor,
        "Service time of a newly hired grid worker or community staff member relative to an experienced one; the excess decays (1 = no learning) (assumed)"),
    DBL("staff.ramp_weeks", "weeks", 4, 0.01, 520, ramp_weeks,
        "Time constant of a new hire's learning: the excess service time falls by 1/e every this many weeks (assumed)"),
    DBL("cost.app_investment", "yuan", 0, 0, 1e12, app_investment,
        "Investment in the digital app, annualised over cost.app_lifetime_years and counted in spending"),
    DBL("cost.app_lifetime_years", "years", 5, 0.1, 100, app_lifetime_years,
        "Lifetime over which the app investment is written off (straight line) (assumed)"),
    DBL("cost.venue_investment", "yuan", 0, 0, 1e12, venue_investment,
        "Investment in venues (community service centres, settlement buildings), annualised over cost.venue_lifetime_years"),
    DBL("cost.venue_lifetime_years", "years", 20, 0.1, 100, venue_lifetime_years,
        "Lifetime over which the venue investment is written off (straight line) (assumed)"),
    DBL("resident.patience_hours", "hours", 336, 0.01, 1e6, patience_hours,
        "Mean patience (exponential) before a resident abandons an unserved request"),
    DBL("resident.satisfaction_init", "score in [0,1]", 0.6, 0, 1, satisfaction_init,
        "Initial satisfaction of every household"),
    DBL("resident.trust_init", "score in [0,1]", 0.5, 0, 1, trust_init,
        "Initial trust of every household in the community organisation"),
    DBL("resident.trust_rate", "per year", 1.0, 0, 2, trust_rate,
        "Rate at which trust approaches its target: it closes 1 - exp(-rate) of the distance in a year (0 = trust never changes) (assumed)"),
    DBL("resident.trust_resettled_gap", "score in [0,1]", 0.15, 0, 1, trust_resettled_gap,
        "How much lower resettled households' initial trust (belonging) is"),
    DBL("resident.satisfaction_rate", "fraction per outcome", 0.5, 0, 1, satisfaction_rate,
        "How far a household's own satisfaction deviation moves towards the judgement of each outcome (assumed)"),
    DBL("resident.lateness_scale_hours", "hours", 72, 0.01, 1e6, lateness_scale_hours,
        "Lateness past the deadline at which an outcome's score falls to 1/e"),
    DBL("resident.satisfaction_abandon", "score in [0,1]", 0.0, 0, 1, satisfaction_abandon,
        "Outcome score of an abandoned request"),
    /* ---- Residents' satisfaction and trust (models/residents.c); reasoning and ranges
     * of every value: docs/ODD.md 7.15. ---- */
    DBL("resident.memory_days", "days", 180, 30, 1e5, res.memory_days,
        "Time constant over which a household's own satisfaction deviation fades (assumed)"),
    DBL("resident.expectation_init", "score in [0,1]", 0.85, 0, 1, res.expectation_init,
        "Initial expected performance of a request (assumed)"),
    DBL("resident.expectation_rate", "fraction per outcome", 0.3, 0, 1, res.expectation_rate,
        "How far a household's expectation moves towards the performance of each outcome (assumed)"),
    DBL("resident.performance_ref", "score in [0,1]", 0.85, 0, 1, res.performance_ref,
        "Performance at which an outcome leaves satisfaction where the shared level puts it (assumed)"),
    DBL("resident.disconfirmation_weight", "multiplier", 0.5, 0, 10, res.disconfirmation_weight,
        "Weight of disconfirmation (performance minus expectation) beside performance in an outcome's judgement (assumed)"),
    DBL("resident.unsolved_score", "score in [0,1]", 0.1, 0, 1, res.unsolved_score,
        "Performance of a request closed unsolved (assumed)"),
    DBL("resident.reopen_factor", "multiplier", 0.6, 0, 1, res.reopen_factor,
        "Performance multiplier of a request that had to be reopened (assumed)"),
    DBL("resident.member_lift", "score", 0.05, 0, 1, res.member_lift,
        "Added to the judgement of a request a party member resolved in person (assumed)"),
    DBL("resident.shared_days", "days", 30, 1, 1e5, res.shared_days,
        "Time constant of a grid's shared satisfaction level towards its target (assumed)"),
    DBL("resident.problem_weight", "score per problem per 100 households", 0.03, 0, 10,
        res.problem_weight,
        "Fall of the shared satisfaction level per unsolved environment or safety problem per 100 households (assumed)"),
    DBL("resident.problem_days", "days", 90, 1, 1e5, res.problem_days,
        "Time constant over which an abandoned or unsolved environment or safety problem stops weighing (assumed)"),
    DBL("resident.contact_weight", "score", 0.1, 0, 1, res.contact_weight,
        "Lift of the shared satisfaction level per unit of the presence index above resident.presence_ref (assumed)"),
    DBL("resident.contact_scale", "contacts per household per year", 6.0, 0.001, 1000, res.contact_scale,
        "Contacts per household per year at which the presence index reaches 1 - 1/e (assumed)"),
    DBL("resident.contact_days", "days", 30, 1, 1e5, res.contact_days,
        "Time constant over which the contact rate is smoothed (assumed)"),
    DBL("resident.presence_ref", "index in [0,1]", 0.5, 0, 1, res.presence_ref,
        "Presence index at which contacts neither lift nor lower satisfaction and trust (assumed)"),
    DBL("resident.project_weight", "score per project per 1000 households", 0.02, 0, 10,
        res.project_weight,
        "Lift of the shared satisfaction level per completed co-building project still serving, per 1000 households (assumed)"),
    DBL("resident.project_days", "days", 730, 1, 1e5, res.project_days,
        "Time constant over which a completed project stops serving (assumed)"),
    DBL("resident.project_cut", "share per project per 1000 households", 0.03, 0, 1, res.project_cut,
        "Share of new requests of its category a completed project prevents, per 1000 households of the community (assumed)"),
    DBL("resident.project_cut_max", "share", 0.5, 0, 1, res.project_cut_max,
        "Largest share of a category's requests completed projects can prevent (assumed)"),
    DBL("resident.wish_lift", "score", 0.2, 0, 1, res.wish_lift,
        "Lift of the own satisfaction deviation of a household whose micro-wish is fulfilled (assumed)"),
    DBL("resident.wish_trust_lift", "score", 0.1, 0, 1, res.wish_trust_lift,
        "Lift of the own trust deviation of a household whose micro-wish is fulfilled (assumed)"),
    DBL("resident.trust_own_weight", "multiplier", 0.5, 0, 10, res.trust_own_weight,
        "Change of own trust deviation per unit change of own satisfaction deviation (assumed)"),
    DBL("resident.trust_sat_weight", "multiplier", 1.0, 0, 10, res.trust_sat_weight,
        "Change of the grid trust target per unit of mean satisfaction above its initial value (assumed)"),
    DBL("resident.trust_presence_weight", "score", 0.2, 0, 1, res.trust_presence_weight,
        "Change of the grid trust target per unit of the presence index above resident.presence_ref (assumed)"),
    DBL("resident.gap_days", "days", 730, 1, 1e6, res.gap_days,
        "Time constant of the resettled belonging gap towards its target (assumed)"),
    DBL("resident.gap_sat_scale", "score", 0.1, 0.001, 1, res.gap_sat_scale,
        "Mean satisfaction below its initial value at which presence no longer narrows the gap (assumed)"),
    DBL("members.visit_share", "share of hours", 0.3, 0, 1, res.member_visit_share,
        "Share of members' hours of a day that go to home visits (the rest to simple requests, then micro-wishes) (assumed)"),
    DBL("cobuild.coproduction_slope", "per unit trust", 1.0, 0, 100, res.coproduction_slope,
        "Units' staff hours scale by 1 + slope x (community mean trust - initial trust), at least 0 (assumed)"),
    BOOL("meetings.settle_waits", 1, res.meeting_settles_waits,
         "Joint meetings also settle cases waiting on a department or utility below them, within their capacity"),
    /* ---- Party members (models/members.c), micro-wish campaigns (models/microwish.c),
     * co-building units and the three lists (models/cobuild.c). Reasoning for every
     * value: docs/ODD.md, sections 7.10-7.12. ---- */
    BOOL("members.enabled", 1, mem.enabled,
         "Party members give volunteer hours and take simple requests (false: no member service)"),
    DBL("members.resident_hours_month", "hours per member per month", 4, 0, 744,
        mem.resident_hours_month,
        "Hours a resident party member from a household with an elderly member pledges per month"),
    DBL("members.resident_nonelderly_factor", "multiplier", 0.5, 0, 100,
        mem.resident_nonelderly_factor,
        "Pledged hours of a resident member from a household without elderly member, relative"),
    DBL("members.resident_attendance", "probability", 0.5, 0, 1, mem.resident_attendance,
        "Probability that a resident member turns out on a given day"),
    INT("members.in_service_per_community", "persons per community", 369, 0, 1e7,
        mem.in_service_per_community,
        "In-service party members registered with each residential community"),
    DBL("members.in_service_hours_month", "hours per member per month", 2, 0, 744,
        mem.in_service_hours_month, "Hours an in-service member pledges per month"),
    DBL("members.in_service_attendance", "probability", 0.5, 0, 1, mem.in_service_attendance,
        "Probability that an in-service member turns out on a given day"),
    DBL("members.trust_slope", "per unit trust", 1.0, 0, 100, mem.trust_slope,
        "Willingness to volunteer is 1 + slope x (grid mean trust - initial trust), at least 0"),
    DBL("members.vanguard_coverage", "share of households", 0.5, 0, 1, mem.vanguard_coverage,
        "Share of households whose building has a vanguard post (a member as first contact)"),
    DBL("members.service_factor", "multiplier", 1.5, 0.01, 100, mem.service_factor,
        "Time a member takes for a simple request relative to a grid worker's service time"),
    MEMBER_CATEGORY("utilities", CAT_UTILITIES, 0),
    MEMBER_CATEGORY("housing", CAT_HOUSING, 0),
    MEMBER_CATEGORY("environment", CAT_ENVIRONMENT, 1),
    MEMBER_CATEGORY("safety", CAT_SAFETY, 0),
    MEMBER_CATEGORY("disputes", CAT_DISPUTES, 1),
    MEMBER_CATEGORY("elderly_care", CAT_ELDERLY_CARE, 1),
    MEMBER_CATEGORY("children", CAT_CHILDREN, 1),
    MEMBER_CATEGORY("employment", CAT_EMPLOYMENT, 0),
    MEMBER_CATEGORY("admin_services", CAT_ADMIN_SERVICES, 0),

    BOOL("microwish.enabled", 1, wish.enabled,
         "Micro-wish campaigns issue wish cards that members and units fulfil (false: none)"),
    INT("microwish.campaign_day", "day of year", 182, 0, 364, wish.campaign_day,
        "Day of the simulated year (day 0 = first day of the run) on which cards are issued"),
    INT("microwish.cards_per_community", "cards per community", 10, 0, 1e6,
        wish.cards_per_community, "Wish cards issued in each community per campaign"),
    INT("microwish.campaign_days", "days", 30, 1, 365, wish.campaign_days,
        "Length of a campaign; cards not fulfilled by then lapse"),
    DBL("microwish.hours_per_card", "hours", 6, 0, 10000, wish.hours_per_card,
        "Mean volunteer hours needed to fulfil a card (exponential)"),
    DBL("microwish.cost_per_card", "yuan", 200, 0, 1e7, wish.cost_per_card,
        "Material cost of a card, paid from the community's micro-wish budget when work starts"),
    DBL("microwish.budget_per_community", "yuan per community per campaign", 2000, 0, 1e10,
        wish.budget_per_community, "Micro-wish materials budget of each community per campaign"),
    DBL("microwish.member_hours_share", "fraction", 0.02, 0, 1, wish.member_hours_share,
        "Share of members' unused daily hours that go to the campaign while it runs"),
    DBL("microwish.unit_hours_share", "fraction", 0.2, 0, 1, wish.unit_hours_share,
        "Share of co-building units' staff hours that go to the campaign while it runs"),

    BOOL("cobuild.enabled", 1, cb.enabled,
         "Co-building units and the three lists (needs, resources, projects) (false: none)"),
    INT("cobuild.units", "units", 134, 0, 1e7, cb.units,
        "Co-building units in the district, each with an agreement with one community"),
    DBL("cobuild.unit_staff_hours_year", "hours per unit per year", 200, 0, 1e7,
        cb.unit_staff_hours_year, "Staff hours a unit puts on the resource list per year"),
    DBL("cobuild.unit_venue_hours_year", "hours per unit per year", 100, 0, 1e7,
        cb.unit_venue_hours_year, "Venue hours a unit puts on the resource list per year"),
    DBL("cobuild.unit_money_year", "yuan per unit per year", 10000, 0, 1e10, cb.unit_money_year,
        "Money a unit puts on the resource list at the start of each year"),
    DBL("cobuild.project_budget_per_community", "yuan per community per year", 50000, 0, 1e10,
        cb.project_budget_per_community, "Community's own project budget, granted at the start of each year"),
    DBL("cobuild.special_fund_year", "yuan per year", 0, 0, 1e12, cb.special_fund_year,
        "District special fund for projects, shared evenly by communities at the start of each year"),
    DBL("cobuild.needs_per_community_year", "needs per community per year", 6, 0, 1e6,
        cb.needs_per_community_year, "Rate at which a community raises needs (Poisson)"),
    DBL("cobuild.need_staff_hours", "hours", 40, 0, 1e6, cb.need_staff_hours,
        "Mean unit staff hours a project needs (exponential)"),
    DBL("cobuild.need_venue_hours", "hours", 10, 0, 1e6, cb.need_venue_hours,
        "Mean unit venue hours a project needs (exponential)"),
    DBL("cobuild.need_cost", "yuan", 15000, 0, 1e10, cb.need_cost,
        "Mean money a project needs (exponential), paid evenly over its duration"),
    DBL("cobuild.duration_weeks", "weeks", 6, 0.1, 520, cb.duration_weeks,
        "Mean duration of a project (gamma distributed)"),
    DBL("cobuild.duration_cv", "ratio", 0.5, 0.05, 5, cb.duration_cv,
        "Coefficient of variation of project durations"),
    DBL("cobuild.stall_prob", "probability", 0.05, 0, 1, cb.stall_prob,
        "Probability that a fully paid project stalls; the unpaid share of its cost adds to it"),
    INT("cobuild.need_lapse_days", "days", 180, 1, 36500, cb.need_lapse_days,
        "A need not matched to resources within this time is dropped from the needs list"),
    DBL("cobuild.service_hours_week", "hours per unit per week", 2, 0, 168, cb.service_hours_week,
        "Hours a unit's professionals (lawyers, doctors, employment advisers) serve at the community service centre per week, taking requests of the categories cobuild.serves (assumed; plausible 0.5-6)"),
    DBL("cobuild.service_factor", "multiplier", 1.0, 0.01, 100, cb.service_factor,
        "Time a unit's professional takes for a request relative to community staff (assumed; plausible 0.5-2)"),
    COBUILD_CATEGORY("utilities", CAT_UTILITIES, 0),
    COBUILD_CATEGORY("housing", CAT_HOUSING, 0),
    COBUILD_CATEGORY("environment", CAT_ENVIRONMENT, 0),
    COBUILD_CATEGORY("safety", CAT_SAFETY, 0),
    COBUILD_CATEGORY("disputes", CAT_DISPUTES, 1),
    COBUILD_CATEGORY("elderly_care", CAT_ELDERLY_CARE, 1),
    COBUILD_CATEGORY("children", CAT_CHILDREN, 0),
    COBUILD_CATEGORY("employment", CAT_EMPLOYMENT, 1),
    COBUILD_CATEGORY("admin_services", CAT_ADMIN_SERVICES, 0),
};

const size_t param_count = sizeof param_table / sizeof param_table[0];
