/* summary.c: observation — the run summary and the per-community series. */
#define _DEFAULT_SOURCE   /* mmap flags: MAP_ANONYMOUS, MAP_POPULATE */
#include "summary.h"

#include <gsl/gsl_histogram.h>
#include <gsl/gsl_sort_float.h>
#include <gsl/gsl_statistics_float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"
#include "phases.h"
#include "world.h"

const struct field_def summary_fields[N_SUMMARY] = {
    [S_ARISEN] = {"requests_arisen", "requests", "Requests that arose during the run", 1},
    [S_RESOLVED] = {"requests_resolved", "requests", "Requests resolved at any level", 1},
    [S_RESOLVED_ON_TIME] = {"requests_resolved_on_time", "requests",
        "Requests resolved within their category's deadline, counted from when they became known", 1},
    [S_ON_TIME_RATE] = {"resolution_rate_on_time", "fraction",
        "Resolved on time / (resolved + abandoned + closed unsolved + open past their deadline at the end); NaN if none", 0},
    [S_TTR_MEAN] = {"time_to_resolution_mean", "hours",
        "Mean time from a request arising to its resolution; NaN if none resolved", 0},
    [S_TTR_MEDIAN] = {"time_to_resolution_median", "hours",
        "Median time from a request arising to its resolution; NaN if none resolved", 0},
    [S_TTR_P90] = {"time_to_resolution_p90", "hours",
        "90th percentile of time from a request arising to its resolution; NaN if none resolved", 0},
    [S_SHARE_GRID] = {"share_resolved_grid", "fraction", "Share of resolved requests resolved by the grid; NaN if none resolved", 0},
    [S_SHARE_COMMUNITY] = {"share_resolved_community", "fraction",
        "Share of resolved requests resolved by the community; NaN if none resolved", 0},
    [S_SHARE_STREET] = {"share_resolved_street", "fraction",
        "Share of resolved requests resolved by a street; NaN if none resolved", 0},
    [S_SHARE_DISTRICT] = {"share_resolved_district", "fraction",
        "Share of resolved requests resolved by the district; NaN if none resolved", 0},
    [S_ESCALATIONS] = {"escalations", "moves", "Moves of a request up one level (triaged or overdue)", 1},
    [S_ABANDONED] = {"requests_abandoned", "requests", "Requests abandoned by residents before service", 1},
    [S_ABANDON_RATE] = {"abandonment_rate", "fraction", "Abandoned / arisen; NaN if none arose", 0},
    [S_BACKLOG] = {"backlog_end", "requests",
        "Known requests still open (queued or in service) at the end", 1},
    [S_UNKNOWN] = {"unknown_end", "requests",
        "Requests that arose but were not yet reported or detected at the end", 1},
    [S_OPEN_PAST_DEADLINE] = {"open_past_deadline_end", "requests",
        "Open requests at the end whose deadline had passed (unknown ones counted from arising)", 1},
    [S_SAT_MEAN] = {"satisfaction_mean", "score in [0,1]", "Mean household satisfaction at the end", 0},
    [S_SAT_SD] = {"satisfaction_sd", "score in [0,1]",
        "Standard deviation of household satisfaction at the end", 0},
    [S_TRUST_MEAN] = {"trust_mean", "score in [0,1]", "Mean household trust at the end", 0},
    [S_SAT_START] = {"satisfaction_start", "score in [0,1]", "Mean household satisfaction at the start", 0},
    [S_TRUST_START] = {"trust_start", "score in [0,1]", "Mean household trust at the start", 0},
    [S_TRUST_SD] = {"trust_sd", "score in [0,1]", "Standard deviation of household trust at the end", 0},
    [S_SENSE_OF_GAIN] = {"sense_of_gain", "fraction of households",
        "Share of households whose satisfaction ended more than 0.005 above its start", 0},
    [S_TRUST_GAP_END] = {"trust_gap_resettled_end", "score difference",
        "Mean trust of urban households minus that of resettled households at the end (negative when the resettled trust more); NaN if either is absent", 0},
    [S_CONTACT_VISITS_STAFF] = {"contacts_visits_staff", "visits",
        "Home visits by grid workers and community staff over the run (visit-equivalents)", 0},
    [S_CONTACT_VISITS_MEMBERS] = {"contacts_visits_members", "visits",
        "Home visits by party members over the run (visit-equivalents)", 0},
    [S_VOL_USED_VISITS] = {"volunteer_hours_visits", "hours", "Members' hours used on home visits", 0},
    [S_CONTACT_WISH_HOUSEHOLDS] = {"contacts_wishes_fulfilled", "households",
        "Households whose micro-wish was fulfilled over the run", 1},
    [S_MEETING_SETTLED] = {"waits_settled_by_meetings", "requests",
        "Cases waiting on a department or utility settled by joint meetings (also in requests_resolved_by_meetings)", 1},
    [S_REQUESTS_PREVENTED] = {"requests_prevented_by_projects", "requests",
        "Requests that did not arise because a completed co-building project met the need", 1},
    [S_PRESENCE_MEAN] = {"presence_end", "index in [0,1]",
        "Mean presence index of grids at the end (smoothed contacts per household, 1 - exp(-x / resident.contact_scale))", 0},
    [S_UNIT_HOURS_OFFERED] = {"unit_service_hours_offered", "hours",
        "Hours co-building units' professionals offered at the community service centres over the run", 0},
    [S_UNIT_HOURS_USED] = {"unit_service_hours_used", "hours",
        "Hours co-building units' professionals spent on the community-level requests they took", 0},
    [S_UNIT_RESOLVED] = {"requests_resolved_by_units", "requests",
        "Community-level requests co-building units' professionals took and resolved at their contact (counted in the community level's resolved; taken cases closed unsolved, waiting or reopened later are not)", 1},
    [S_COST_TOTAL] = {"cost_staff_total", "yuan",
        "Pay of all levels' filled posts over the run (empty posts cost nothing)", 0},
    [S_COST_PER_RESOLVED] = {"cost_per_resolved", "yuan per request",
        "All spending over the run (spending_total) / requests resolved; NaN if none resolved", 0},
    [S_VOL_OFFERED] = {"volunteer_hours_offered", "hours",
        "Hours party members offered (turned out) over the run, resident and in-service", 0},
    [S_VOL_USED] = {"volunteer_hours_used", "hours",
        "Members' hours used on requests, home visits and micro-wishes", 0},
    [S_VOL_USED_REQUESTS] = {"volunteer_hours_requests", "hours",
        "Members' hours used on requests they took as first contact", 0},
    [S_VOL_USED_WISHES] = {"volunteer_hours_microwish", "hours",
        "Members' hours used on micro-wish cards", 0},
    [S_MEMBER_RESOLVED] = {"requests_resolved_by_members", "requests",
        "Requests members at vanguard posts took and resolved at their contact (counted in the grid level's resolved; taken cases closed unsolved, waiting or reopened later are not)", 1},
    [S_WISH_ISSUED] = {"wish_cards_issued", "cards", "Micro-wish cards issued", 1},
    [S_WISH_FULFILLED] = {"wish_cards_fulfilled", "cards", "Micro-wish cards fulfilled", 1},
    [S_WISH_RATE] = {"wish_fulfilment_rate", "fraction",
        "Cards fulfilled / cards issued (cards of a campaign still running count); NaN if none issued", 0},
    [S_WISH_UNIT_HOURS] = {"microwish_unit_hours", "hours",
        "Co-building units' staff hours used on micro-wish cards", 0},
    [S_WISH_SPENT] = {"microwish_spent", "yuan", "Money spent on micro-wish materials", 0},
    [S_NEEDS_RAISED] = {"needs_raised", "needs", "Needs put on communities' needs lists", 1},
    [S_NEEDS_LAPSED] = {"needs_lapsed", "needs",
        "Needs dropped from the needs list unmatched after cobuild.need_lapse_days", 1},
    [S_ITEMS_AGREED] = {"three_list_items_agreed", "items",
        "Needs matched to units' resources and agreed as projects", 1},
    [S_ITEMS_COMPLETED] = {"three_list_items_completed", "items", "Agreed projects completed", 1},
    [S_ITEMS_STALLED] = {"three_list_items_stalled", "items", "Agreed projects that stalled", 1},
    [S_ITEMS_RATE] = {"three_list_completion_rate", "fraction",
        "Projects completed / agreed (projects still running count); NaN if none agreed", 0},
    [S_PROJECTS_SPENT] = {"projects_spent", "yuan",
        "Money paid to three-list projects (units' money, project budgets, special fund)", 0},
    [S_TASK_HOURS_BOUGHT] = {"task_hours_bought", "hours",
        "Hours of top-down task work bought with the tasks' own funding under admission control (not staff hours)", 0},
    [S_SPEND_TASKS] = {"spending_tasks_bought", "yuan",
        "Cost of the bought task hours (tasks.bought_hour_cost each), part of spending_total", 0},
    [S_MEETINGS_HELD] = {"joint_meetings_held", "meetings",
        "Street and district joint meetings held (one per street or district per meeting day)", 1},
    [S_RESOLVED_BY_MEETINGS] = {"resolved_by_meetings", "requests",
        "Requests resolved by street or district joint meetings (also counted as resolved at that level)", 1},
    [S_ESCALATED_BACKLOG_MEAN] = {"escalated_backlog_mean", "requests",
        "Requests waiting in street and district queues at the end of a day, mean over days", 0},
    [S_DOCKED_SKIPS] = {"docked_skips", "requests",
        "Requests of docked categories passed straight through the community to a street", 1},
    [S_SPEND_CENTRES] = {"spending_centres", "yuan",
        "Running cost of the community service centres over the run (cost per hour x hours open)", 0},
    [S_SPEND_SUBSIDIES] = {"spending_grid_subsidies", "yuan", "Grid work subsidies over the run", 0},
    [S_SPEND_TOTAL] = {"spending_total", "yuan",
        "All spending over the run: staff, service centres, grid subsidies and mechanism spending", 0},
    [S_STAFF_QUITS] = {"staff_quits", "persons", "Grid workers and community staff who quit during the run", 1},
    [S_VACANT_POSTS_MEAN] = {"vacant_posts_mean", "posts",
        "Grid and community posts empty (vacant or unfunded), mean over the run", 0},
    [S_POSTS_UNFUNDED] = {"posts_unfunded", "posts",
        "Community posts the budget could not pay for, all communities together", 1},
    [S_EVENTS] = {"events_processed", "events",
        "Request events simulated: arrivals + jobs begun (service or triage) + resolutions + "
        "abandonments + escalations + closes unsolved + reopenings + third-party waits", 1},
    [S_UNSOLVED] = {"requests_closed_unsolved", "requests",
        "Requests a level closed without solving them and the follow-up did not reopen (residents treat them like abandoned ones)", 1},
    [S_REOPENED] = {"requests_reopened", "reopenings",
        "Closed cases the follow-up call (回访) found unsolved and put back in the queue of the level that closed them", 1},
    [S_PUSHED_UP] = {"requests_pushed_up", "moves",
        "Cases a level could have solved but pushed up (also counted in escalations)", 1},
    [S_TTC_MEDIAN] = {"time_to_close_median", "hours",
        "Median time from arising to the final close (resolved or closed unsolved); NaN if none closed", 0},
    [S_TTC_P90] = {"time_to_close_p90", "hours",
        "90th percentile of time from arising to the final close; NaN if none closed", 0},
    [S_TTC_WITHIN_7D] = {"closed_within_7_days_share", "fraction",
        "Share of closed requests (resolved or closed unsolved) closed within 7 days (168 hours) of arising; NaN if none closed", 0},
    [S_WAITS] = {"third_party_waits", "waits",
        "Waits on a third party (property company, utility, department) begun, holding no staff", 1},
    [S_WAIT_MEAN] = {"third_party_wait_mean", "hours",
        "Mean length of those waits (drawn at their start; some end after the run); NaN if none", 0},
    [S_PENDING_END] = {"waiting_end", "requests",
        "Open requests at the end holding no staff: waiting on a third party or the resident, or closed and due to be reopened (in backlog_end)", 1},
    [S_SPEND_INVESTMENT] = {"spending_investment", "yuan",
        "App and venue investment written off over the run (straight line over their lifetimes)", 0},
    [S_COST_PER_ON_TIME] = {"cost_per_resolved_on_time", "yuan per request",
        "All spending over the run (spending_total, idle staff included) / requests resolved on time; NaN if none", 0},
};

const struct field_def category_fields[N_CATEGORY_FIELDS] = {
    [C_ARISEN] = {"arisen", "requests", "Requests of the category that arose", 1},
    [C_RESOLVED] = {"resolved", "requests", "Requests of the category resolved at any level", 1},
    [C_RESOLVED_ON_TIME] = {"resolved_on_time", "requests",
        "Requests of the category resolved within its deadline", 1},
    [C_ABANDONED] = {"abandoned", "requests", "Requests of the category abandoned", 1},
    [C_TTR_MEAN] = {"time_to_resolution_mean", "hours",
        "Mean time from arising to resolution of the category's resolved requests; NaN if none", 0},
    [C_UNSOLVED] = {"closed_unsolved", "requests", "Requests of the category closed unsolved (final)", 1},
    [C_REOPENED] = {"reopened", "reopenings", "Closed cases of the category reopened by the follow-up", 1},
    [C_TTC_MEDIAN] = {"time_to_close_median", "hours",
        "Median time from arising to the final close (resolved or unsolved); NaN if none closed", 0},
    [C_TTC_P90] = {"time_to_close_p90", "hours",
        "90th percentile of time from arising to the final close; NaN if none closed", 0},
    [C_TTC_WITHIN_7D] = {"closed_within_7_days_share", "fraction",
        "Share of the category's closed requests closed within 7 days of arising; NaN if none", 0},
    [C_WAITS] = {"third_party_waits", "waits", "Third-party waits of the category's requests begun", 1},
    [C_WAIT_MEAN] = {"third_party_wait_mean", "hours", "Mean length of those waits; NaN if none", 0},
};

const struct field_def level_fields[N_LEVEL_FIELDS] = {
    [L_ENTERED] = {"entered", "requests", "Requests that entered the level (arisen, at grid level)", 1},
    [L_RESOLVED] = {"resolved", "requests", "Requests resolved at the level", 1},
    [L_ABANDONED] = {"abandoned", "requests", "Requests abandoned while at the level", 1},
    [L_ESCALATED] = {"escalated", "requests", "Requests passed up from the level", 1},
    [L_OPEN] = {"open", "requests", "Requests at the level at the end (queued, unknown or in service)", 1},
    [L_STAFF] = {"staff", "persons", "Staff serving requests at the level, all units together", 1},
    [L_UTILISATION] = {"utilisation", "fraction",
        "Staff hours busy (requests, top-down tasks, proactive work) / duty hours of funded and filled "
        "posts at the level; at most 1; NaN without duty hours", 0},
    [L_ARRIVAL_RATE] = {"arrival_rate", "requests per hour",
        "Requests entering the level's queues per hour after the warm-up (known requests only)", 0},
    [L_WAIT_MEAN] = {"wait_mean", "hours",
        "Mean wait in the level's queue of requests entering after the warm-up, until service "
        "starts, abandonment or an overdue pass-up; NaN if none left the queue", 0},
    [L_WAIT_LONG_SHARE] = {"wait_long_share", "fraction",
        "Share of those waits longer than output.wait_threshold_hours; NaN if none", 0},
    [L_ABANDON_SHARE] = {"abandon_share", "fraction",
        "Share of requests leaving the level's queue after the warm-up that were abandoned; NaN if none", 0},
    [L_TIME_MEAN] = {"time_at_level_mean", "hours",
        "Mean time from entering the level to leaving it (resolved, passed up or abandoned) "
        "of requests entering after the warm-up and leaving by the end; NaN if none", 0},
    [L_QUEUE_MEAN] = {"queue_length_mean", "requests",
        "Time-average number of known requests waiting at the level (all units) after the warm-up", 0},
    [L_NUMBER_MEAN] = {"number_at_level_mean", "requests",
        "Time-average number of known requests at the level, waiting or in service, after the warm-up", 0},
    [L_HOURS_DUTY] = {"hours_duty", "hours",
        "Duty hours of the level's funded and filled posts over the run (vacant and unfunded posts left out)", 0},
    [L_HOURS_REQUESTS] = {"hours_requests", "hours",
        "Staff duty hours spent serving and triaging residents' requests", 0},
    [L_HOURS_TASKS] = {"hours_tasks", "hours",
        "Staff duty hours spent on top-down administrative tasks (pressing blocks and backlog work)", 0},
    [L_HOURS_PROACTIVE] = {"hours_proactive", "hours",
        "Staff duty hours spent on proactive work: home visits, data collection, patrol", 0},
    [L_HOURS_IDLE] = {"hours_idle", "hours",
        "Duty hours of filled posts not used: hours_duty - requests - tasks - proactive", 0},
    [L_TASKS_ARRIVED] = {"tasks_arrived", "tasks", "Top-down tasks that arrived at the level's units", 1},
    [L_TASKS_REFUSED] = {"tasks_refused", "tasks",
        "Top-down tasks refused for lack of funding under admission control", 1},
    [L_TASKS_DONE] = {"tasks_done", "tasks", "Top-down tasks finished", 1},
    [L_TASKS_LATE] = {"tasks_late", "tasks", "Top-down tasks finished after their deadline", 1},
    [L_TASK_BACKLOG_HOURS] = {"task_backlog_hours", "hours",
        "Staff hours still needed by the tasks in the level's backlogs at the end", 0},
    [L_VISITS_TARGET] = {"visits_target", "visits",
        "Home visits the level's staff were to make over the run (target frequency x households)", 0},
    [L_VISITS_DONE] = {"visits_done", "visits", "Home visits made (aggregated, in visit-equivalents)", 0},
    [L_VISIT_COVERAGE] = {"visit_coverage", "fraction",
        "visits_done / visits_target; NaN without a target", 0},
    [L_UNSOLVED] = {"closed_unsolved", "requests", "Requests closed unsolved at the level (final)", 1},
    [L_REOPENED] = {"reopened", "reopenings",
        "Cases closed at the level that the follow-up reopened (they re-enter the level's queue)", 1},
    [L_PUSHED_UP] = {"pushed_up", "requests",
        "Cases the level could have solved but pushed up (in escalated too)", 1},
};

const struct field_def series_fields[N_SERIES] = {
    [TS_ARISEN] = {"arisen", "requests", "Requests that arose in the interval", 1},
    [TS_RESOLVED] = {"resolved", "requests", "Requests resolved in the interval, any level", 1},
    [TS_RESOLVED_GRID] = {"resolved_in_grid", "requests",
        "Requests resolved by the grid in the interval", 1},
    [TS_RESOLVED_ON_TIME] = {"resolved_on_time", "requests",
        "Requests resolved within their deadline in the interval", 1},
    [TS_ABANDONED] = {"abandoned", "requests", "Requests abandoned in the interval", 1},
    [TS_ESCALATED] = {"escalated_from_grid", "requests",
        "Requests passed up from grids to the community in the interval", 1},
    [TS_BACKLOG] = {"backlog", "requests",
        "Requests open at the end of the interval (known or not), any level", 1},
    [TS_SATISFACTION] = {"satisfaction_mean", "score in [0,1]",
        "Mean satisfaction of the community's households at the end of the interval", 0},
    [TS_MEMBER_RESOLVED] = {"resolved_by_members", "requests",
        "Requests members at vanguard posts took in the interval (at intake) and resolved at their contact", 1},
    [TS_WISH_FULFILLED] = {"wish_cards_fulfilled", "cards",
        "Micro-wish cards fulfilled in the interval", 1},
    [TS_ITEMS_COMPLETED] = {"three_list_items_completed", "items",
        "Three-list projects completed in the interval", 1},
    [TS_VISITS_DONE] = {"visits_done", "visits",
        "Home visits by the community's grid workers and staff in the interval (visit-equivalents)", 0},
    [TS_VISIT_COVERAGE] = {"visit_coverage", "ratio",
        "Home visits done / target in the interval, grids and community together; above 1 when "
        "visits owed from earlier intervals are caught up; NaN without a target", 0},
    [TS_TRUST] = {"trust_mean", "score in [0,1]",
        "Mean trust of the community's households in the community organisation at the end of the interval", 0},
    [TS_PRESENCE] = {"presence_mean", "index in [0,1]",
        "Mean presence index of the community's grids (smoothed contacts per household) at the end of the interval", 0},
};

const char *const group_names[N_GROUPS] = {"urban", "urban_elderly", "resettled", "resettled_elderly",
                                            "migrant", "migrant_elderly"};

const struct field_def group_fields[N_GROUP_FIELDS] = {
    [G_HOUSEHOLDS] = {"households", "households", "Households of the group", 0},
    [G_SAT_START] = {"satisfaction_start", "score in [0,1]", "Mean satisfaction at the start; NaN if none", 0},
    [G_SAT_END] = {"satisfaction_end", "score in [0,1]", "Mean satisfaction at the end; NaN if none", 0},
    [G_TRUST_START] = {"trust_start", "score in [0,1]", "Mean trust at the start; NaN if none", 0},
    [G_TRUST_END] = {"trust_end", "score in [0,1]", "Mean trust at the end; NaN if none", 0},
    [G_GAIN] = {"sense_of_gain", "fraction of households",
        "Share whose satisfaction ended more than 0.005 above its start (sense of gain); NaN if none", 0},
};

const double ttr_bin_edges[TTR_BINS + 1] = {0, 2, 4, 8, 12, 18, 24, 36, 48, 72, 96, 120,
                                             168, 240, 336, 720, INFINITY};

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

void series_init(struct series *s, const struct params *p)
{
    memset(s, 0, sizeof *s);
    s->nrows = (p->days + p->output_interval_days - 1) / p->output_interval_days;
    s->ncols = p->communities;
    s->day = gs_calloc((size_t)s->nrows, sizeof *s->day);
    for (int f = 0; f < N_SERIES; f++)
        s->data[f] = gs_calloc((size_t)(s->nrows * s->ncols), sizeof(double));
    s->last = gs_calloc((size_t)s->ncols * N_SERIES, sizeof(double));
    s->street = gs_calloc((size_t)s->ncols, sizeof(double));
}

void series_free(struct series *s)
{
    free(s->day);
    for (int f = 0; f < N_SERIES; f++)
        free(s->data[f]);
    free(s->last);
    free(s->street);
    memset(s, 0, sizeof *s);
}

static int64_t sum4(const int64_t *a)
{
    return a[0] + a[1] + a[2] + a[3];
}

void series_record(struct series *s, const struct world *w, int64_t c)
{
    GS_ASSERT(s->row < s->nrows && c < s->ncols);
    double v[N_SERIES] = {0};
    s->street[c] = (double)world_parent(w, LEVEL_COMMUNITY, c);
    int64_t g0 = w->child_first[LEVEL_COMMUNITY][c], g1 = w->child_first[LEVEL_COMMUNITY][c + 1];
    for (int64_t g = g0; g < g1; g++) {   /* run totals first (exact: integers in doubles) */
        const struct grid_state *gs = &w->grids[g];
        v[TS_ARISEN] += (double)gs->total.entered[LEVEL_GRID];
        v[TS_RESOLVED] += (double)sum4(gs->total.resolved);
        v[TS_RESOLVED_GRID] += (double)gs->total.resolved[LEVEL_GRID];
        v[TS_RESOLVED_ON_TIME] += (double)gs->total.on_time;
        v[TS_ABANDONED] += (double)sum4(gs->total.abandoned);
        v[TS_ESCALATED] += (double)gs->total.escalated[LEVEL_GRID];
        v[TS_BACKLOG] += (double)(gs->total.entered[LEVEL_GRID] - sum4(gs->total.resolved) -
                                  sum4(gs->total.abandoned) - sum4(gs->total.unsolved));
        v[TS_SATISFACTION] += gs->satisfaction_sum;
        v[TS_TRUST] += gs->trust_sum;
        v[TS_PRESENCE] += gs->res_presence;
        v[TS_MEMBER_RESOLVED] += (double)gs->member_resolved;
        v[TS_VISITS_DONE] += w->work[LEVEL_GRID][g].visits_done;
        v[TS_VISIT_COVERAGE] += w->work[LEVEL_GRID][g].visit_target;   /* run total target, for now */
    }
    v[TS_VISITS_DONE] += w->work[LEVEL_COMMUNITY][c].visits_done;
    v[TS_VISIT_COVERAGE] += w->work[LEVEL_COMMUNITY][c].visit_target;
    v[TS_WISH_FULFILLED] = (double)w->comm[c].wish_fulfilled;
    v[TS_ITEMS_COMPLETED] = (double)w->comm[c].items_completed;
    static const int counts[] = {TS_ARISEN, TS_RESOLVED, TS_RESOLVED_GRID, TS_RESOLVED_ON_TIME,
                                 TS_ABANDONED, TS_ESCALATED, TS_MEMBER_RESOLVED, TS_VISITS_DONE,
                                 TS_VISIT_COVERAGE, TS_WISH_FULFILLED, TS_ITEMS_COMPLETED};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {   /* totals -> interval */
        double *last = &s->last[c * N_SERIES + counts[k]];
        double total = v[counts[k]];
        v[counts[k]] -= *last;
        *last = total;
    }
    v[TS_SATISFACTION] /= (double)w->comm[c].households;
    v[TS_TRUST] /= (double)w->comm[c].households;
    v[TS_PRESENCE] /= (double)(g1 - g0);
    v[TS_VISIT_COVERAGE] = ratio(v[TS_VISITS_DONE], v[TS_VISIT_COVERAGE]);   /* target -> coverage */
    for (int f = 0; f < N_SERIES; f++)
        s->data[f][s->row * s->ncols + c] = v[f];
}

void series_end_row(struct series *s, double day)
{
    GS_ASSERT(s->row < s->nrows);
    s->day[s->row++] = day;
}

void summary_observe_day(struct world *w)
{
    for (int l = LEVEL_STREET; l < N_LEVELS; l++)
        for (int64_t j = 0; j < w->nunits[l]; j++)
            w->escalated_backlog_sum += (double)w->units[l][j].queue.n;
    w->backlog_days++;
}

/* ---- run summary ---- */

static void sum_tallies(const struct world *w, struct tally *t)
{
    memset(t, 0, sizeof *t);
    for (int64_t g = 0; g < w->p->grids; g++) {
        const struct tally *x = &w->grids[g].total;
        for (int l = 0; l < N_LEVELS; l++) {
            t->entered[l] += x->entered[l];
            t->resolved[l] += x->resolved[l];
            t->abandoned[l] += x->abandoned[l];
            t->escalated[l] += x->escalated[l];
            t->unsolved[l] += x->unsolved[l];
            t->reopened[l] += x->reopened[l];
            t->pushed[l] += x->pushed[l];
        }
        t->waits += x->waits;
        t->wait_hours += x->wait_hours;
        t->on_time += x->on_time;
        t->by_meeting += x->by_meeting;
        t->docked_skips += x->docked_skips;
    }
}

static void by_category(const struct world *w, struct summary *s)
{
    double hours[N_CATEGORIES] = {0}, wait[N_CATEGORIES] = {0};
    for (int64_t g = 0; g < w->p->grids; g++) {
        for (int c = 0; c < N_CATEGORIES; c++) {
            const struct category_count *x = &w->grids[g].bycat[c];
            s->cat[C_UNSOLVED][c] += (double)x->unsolved;
            s->cat[C_REOPENED][c] += (double)x->reopened;
            s->cat[C_WAITS][c] += (double)x->waits;
            wait[c] += x->wait_hours;
            s->cat[C_ARISEN][c] += (double)x->arisen;
            s->cat[C_RESOLVED][c] += (double)x->resolved;
            s->cat[C_RESOLVED_ON_TIME][c] += (double)x->on_time;
            s->cat[C_ABANDONED][c] += (double)x->abandoned;
            hours[c] += x->hours_to_resolution;
        }
    }
    for (int c = 0; c < N_CATEGORIES; c++) {
        s->cat[C_TTR_MEAN][c] = ratio(hours[c], s->cat[C_RESOLVED][c]);
        s->cat[C_WAIT_MEAN][c] = ratio(wait[c], s->cat[C_WAITS][c]);
    }
}

static int past_deadline(const struct world *w, const struct request *q)
{
    double from = q->known < w->horizon ? q->known : q->arose;   /* unknown: from arising */
    return from + w->p->cat[q->category].deadline_hours < w->horizon;
}

/* Adds the level's queue statistics; requests still queued at the end count
 * their time up to the end. */
static void add_queue_stats(const struct world *w, const struct unit *u, struct queue_stats *t)
{
    const struct queue_stats *x = &u->qs;
    t->arrived += x->arrived;
    t->left_queue += x->left_queue;
    t->waited_long += x->waited_long;
    t->abandoned += x->abandoned;
    t->left_level += x->left_level;
    t->wait_sum += x->wait_sum;
    t->time_sum += x->time_sum;
    t->queue_area += x->queue_area;
    t->level_area += x->level_area;
    for (size_t i = 0; i < u->queue.n; i++) {
        const struct request *q = &u->queue.a[i];
        double stay = world_window_overlap(w, q->entered, w->horizon);
        t->queue_area += stay;
        t->level_area += stay;
        t->arrived += q->entered >= w->window_start && q->entered < w->horizon;
    }
}

static void queue_summary(const struct world *w, int l, const struct queue_stats *t,
                          struct summary *s)
{
    double span = w->horizon - w->window_start;
    s->level[L_ARRIVAL_RATE][l] = (double)t->arrived / span;
    s->level[L_WAIT_MEAN][l] = ratio(t->wait_sum, (double)t->left_queue);
    s->level[L_WAIT_LONG_SHARE][l] = ratio((double)t->waited_long, (double)t->left_queue);
    s->level[L_ABANDON_SHARE][l] = ratio((double)t->abandoned, (double)t->left_queue);
    s->level[L_TIME_MEAN][l] = ratio(t->time_sum, (double)t->left_level);
    s->level[L_QUEUE_MEAN][l] = t->queue_area / span;
    s->level[L_NUMBER_MEAN][l] = t->level_area / span;
}

/* Open requests per level, unknown ones and those past their deadline. */
static void count_open(const struct world *w, struct summary *s)
{
    for (int l = 0; l < N_LEVELS; l++) {
        double open = 0;
        struct queue_stats qs = {0};
        for (int64_t j = 0; j < w->nunits[l]; j++) {
            const struct unit *u = &w->units[l][j];
            GS_ASSERT(u->outbox.n == 0);
            open += (double)u->queue.n;
            add_queue_stats(w, u, &qs);
            for (size_t i = 0; i < u->queue.n; i++) {
                const struct request *q = &u->queue.a[i];
                s->v[S_UNKNOWN] += q->known >= w->horizon;
                s->v[S_OPEN_PAST_DEADLINE] += past_deadline(w, q);
            }
            open += (double)u->pend.n;
            s->v[S_PENDING_END] += (double)u->pend.n;
            for (size_t i = 0; i < u->pend.n; i++)
                s->v[S_OPEN_PAST_DEADLINE] += past_deadline(w, &u->pend.a[i].q);
            for (int k = 0; k < u->nservers; k++)
                if (u->servers[k].busy) {
                    open += 1;
                    s->v[S_OPEN_PAST_DEADLINE] += past_deadline(w, &u->servers[k].job);
                }
        }
        s->level[L_OPEN][l] = open;
        queue_summary(w, l, &qs, s);
    }
}

/* Scratch arrays of the end-of-run statistics (tens of MB at city scale), mapped with
 * their pages in place (MAP_POPULATE): a first touch page by page costs a page fault
 * each, about 10 us in a virtual machine (docs/performance.md, Session 9), and these
 * arrays are filled once and dropped. Falls back to malloc where the flag is missing. */
static float *scratch_new(size_t n)
{
#ifdef MAP_POPULATE
    void *p = mmap(NULL, (n ? n : 1) * sizeof(float), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED)
        gs_out_of_memory((n ? n : 1) * sizeof(float));
    return p;
#else
    return gs_malloc((n ? n : 1) * sizeof(float));
#endif
}

static void scratch_free(float *a, size_t n)
{
#ifdef MAP_POPULATE
    munmap(a, (n ? n : 1) * sizeof(float));
#else
    (void)n;
    free(a);
#endif
}

/* Sorts a[0, n) into ascending order, using tmp[0, n) as scratch; returns a or tmp,
 * whichever holds the sorted values. An LSD radix sort on the bit patterns, which
 * order like the values for floats >= 0 (resolution times are); anything else falls
 * back to a comparison sort (in a). Same result as gsl_sort_float, in linear time. */
static float *sort_floats(float *a, float *tmp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] >= 0.0f) || signbit(a[i])) {
            gsl_sort_float(a, 1, n);
            return a;
        }
    _Static_assert(sizeof(float) == sizeof(uint32_t), "floats sorted as 32-bit keys");
    float *src = a, *dst = tmp;
    for (int shift = 0; shift < 32; shift += 11) {
        size_t count[2048] = {0};
        uint32_t k;
        for (size_t i = 0; i < n; i++) {
            memcpy(&k, &src[i], sizeof k);
            count[(k >> shift) & 2047]++;
        }
        size_t pos = 0;
        for (int b = 0; b < 2048; b++) {
            size_t c = count[b];
            count[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++) {
            memcpy(&k, &src[i], sizeof k);
            dst[count[(k >> shift) & 2047]++] = src[i];
        }
        float *t = src;
        src = dst;
        dst = t;
    }
    return src;   /* 3 passes: the result is in tmp */
}

static void resolution_times(const struct world *w, struct summary *s)
{
    size_t n = 0;
    for (int64_t g = 0; g < w->p->grids; g++)
        for (size_t i = 0; i < w->grids[g].nclose; i++)
            n += !(w->grids[g].close_cat[i] & CLOSED_UNSOLVED);
    s->v[S_TTR_MEAN] = s->v[S_TTR_MEDIAN] = s->v[S_TTR_P90] = NAN;
    for (int b = 0; b < TTR_BINS; b++)
        s->ttr_hist[b] = n ? 0.0 : NAN;
    if (n == 0)
        return;
    float *buf = scratch_new(2 * n), *tmp = buf + n;
    size_t k = 0;
    for (int64_t g = 0; g < w->p->grids; g++)
        for (size_t i = 0; i < w->grids[g].nclose; i++)
            if (!(w->grids[g].close_cat[i] & CLOSED_UNSOLVED))
                buf[k++] = w->grids[g].close_hours[i];
    const float *all = sort_floats(buf, tmp, n);
    double sum = 0;   /* in double, in sorted order: GSL's running mean divides at every step */
    for (size_t i = 0; i < n; i++)
        sum += all[i];
    s->v[S_TTR_MEAN] = sum / (double)n;
    s->v[S_TTR_MEDIAN] = gsl_stats_float_quantile_from_sorted_data(all, 1, n, 0.5);
    s->v[S_TTR_P90] = gsl_stats_float_quantile_from_sorted_data(all, 1, n, 0.9);
    int b = 0;
    for (size_t i = 0; i < n; i++) {   /* sorted: the bin only moves up */
        while (b < TTR_BINS - 1 && all[i] >= ttr_bin_edges[b + 1])
            b++;
        s->ttr_hist[b] += 1.0 / (double)n;
    }
    scratch_free(buf, 2 * n);
}

/* Puts the k-th smallest of a[0, n) at a[k], smaller or equal ones before it and larger
 * or equal ones after it (quickselect, middle pivot); values are not NaN. */
static void select_kth(float *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = a[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {   /* Hoare partition */
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                float t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;   /* a[j+1, i) equal the pivot, k among them */
    }
}

/* GSL's quantile f of a[0, n) as if a were sorted: gsl_stats_float_quantile_from_sorted_data
 * reads only the order statistics lhs = (int)(f (n - 1)) and lhs + 1, which selection
 * puts in place (the same number as after a full sort, in linear time). */
static double quantile_unsorted(float *a, size_t n, double f)
{
    size_t lhs = (size_t)(int)(f * (double)(n - 1));
    select_kth(a, n, lhs);
    if (lhs + 1 < n) {   /* the next order statistic: the least of what follows */
        size_t m = lhs + 1;
        for (size_t i = lhs + 2; i < n; i++)
            if (a[i] < a[m])
                m = i;
        float t = a[lhs + 1];
        a[lhs + 1] = a[m];
        a[m] = t;
    }
    return gsl_stats_float_quantile_from_sorted_data(a, 1, n, f);
}

/* Median, 90th percentile and share within 7 days of a list of close times (>= 0, the
 * order of the list is changed). */
static void close_stats(float *a, size_t n, double *median, double *p90, double *week)
{
    *median = *p90 = *week = NAN;
    if (n == 0)
        return;
    size_t within = 0, nan = 0;
    for (size_t i = 0; i < n; i++) {
        within += a[i] <= 168.0f;
        nan += a[i] != a[i];
    }
    GS_ASSERT(nan == 0);   /* close times are differences of finite times */
    *week = (double)within / (double)n;
    *p90 = quantile_unsorted(a, n, 0.9);
    *median = quantile_unsorted(a, n, 0.5);
}

/* Time to close (resolved or closed unsolved), overall and by category. The lists
 * of the categories are independent (tasks of the team summary_compute started);
 * the overall statistics come after them from the same array, whose order does not
 * matter to them. */
static void close_times(const struct world *w, struct summary *s)
{
    size_t n = 0, nc[N_CATEGORIES] = {0};
    for (int64_t g = 0; g < w->p->grids; g++)
        for (size_t i = 0; i < w->grids[g].nclose; i++)
            nc[w->grids[g].close_cat[i] & ~CLOSED_UNSOLVED]++;
    size_t first[N_CATEGORIES + 1];
    for (int c = 0; c < N_CATEGORIES; c++) {
        first[c] = n;
        n += nc[c];
    }
    first[N_CATEGORIES] = n;
    float *bycat = scratch_new(n);
    size_t at[N_CATEGORIES];
    for (int c = 0; c < N_CATEGORIES; c++)
        at[c] = first[c];
    for (int64_t g = 0; g < w->p->grids; g++)
        for (size_t i = 0; i < w->grids[g].nclose; i++)
            bycat[at[w->grids[g].close_cat[i] & ~CLOSED_UNSOLVED]++] = w->grids[g].close_hours[i];
    /* quantiles by selection, not sorting */
    for (int c = 0; c < N_CATEGORIES; c++) {
#pragma omp task default(shared) firstprivate(c)
        close_stats(bycat + first[c], nc[c], &s->cat[C_TTC_MEDIAN][c], &s->cat[C_TTC_P90][c],
                    &s->cat[C_TTC_WITHIN_7D][c]);
    }
#pragma omp taskwait
    close_stats(bycat, n, &s->v[S_TTC_MEDIAN], &s->v[S_TTC_P90], &s->v[S_TTC_WITHIN_7D]);
    scratch_free(bycat, n);
}

/* Satisfaction and trust of one grid's households at the end: sums, the sums of
 * squared deviations from the grid's means, bin counts, and by household group. */
struct grid_scores {
    double sat_sum, trust_sum, sat_m2, trust_m2;
    double grp_sat[N_GROUPS], grp_trust[N_GROUPS], grp_n[N_GROUPS], grp_gain[N_GROUPS];
    uint32_t sat_bins[HIST_BINS], trust_bins[HIST_BINS];
};

static size_t score_bin(const gsl_histogram *h, double x)
{
    size_t b = 0;
    gsl_histogram_find(h, fmin(x, 1.0 - 1e-12), &b);   /* a score of exactly 1 belongs to the top bin */
    return b;
}

/* A household's satisfaction "rose" (sense of gain) if it ends this much above its start. */
#define GAIN_MARGIN 0.005

static void grid_scores(const struct world *w, int64_t g, const gsl_histogram *bins,
                        struct grid_scores *sc)
{
    int64_t H = world_grid_households(w, g);
    int64_t first = w->grids[g].hh_first;
    double day = w->horizon / 24.0;
    memset(sc, 0, sizeof *sc);
    double *sat = gs_malloc((size_t)H * 2 * sizeof *sat), *tr = sat + H;
    for (int64_t i = 0; i < H; i++) {
        const struct household *h = &w->hh[first + i];
        sat[i] = residents_satisfaction_at(w, g, first + i, day);
        tr[i] = residents_trust_at(w, g, first + i, day);
        int grp = 2 * h->type + ((h->flags & HH_ELDERLY) ? 1 : 0);
        sc->sat_sum += sat[i];
        sc->trust_sum += tr[i];
        sc->grp_sat[grp] += sat[i];
        sc->grp_trust[grp] += tr[i];
        sc->grp_n[grp] += 1;
        sc->grp_gain[grp] += sat[i] > w->p->satisfaction_init + GAIN_MARGIN;
        sc->sat_bins[score_bin(bins, sat[i])]++;
        sc->trust_bins[score_bin(bins, tr[i])]++;
    }
    double mean = sc->sat_sum / (double)H, tmean = sc->trust_sum / (double)H;
    for (int64_t i = 0; i < H; i++) {
        sc->sat_m2 += (sat[i] - mean) * (sat[i] - mean);
        sc->trust_m2 += (tr[i] - tmean) * (tr[i] - tmean);
    }
    free(sat);
}

/* Mean and standard deviation of satisfaction and trust, the histograms and the
 * scores by household group over all households, at the end and at the start.
 * Grids are done in parallel and combined in grid order (the pairwise formula for
 * the squared deviations), so the result does not depend on the number of threads. */
static void household_scores(const struct world *w, struct summary *s)
{
    const struct params *p = w->p;
    int64_t G = p->grids;
    double n = (double)w->nhh;
    struct grid_scores *part = gs_malloc((size_t)G * sizeof *part);
    gsl_histogram *bins = gsl_histogram_alloc(HIST_BINS);
    gsl_histogram_set_ranges_uniform(bins, 0.0, 1.0);
#pragma omp parallel for schedule(static)
    for (int64_t g = 0; g < G; g++)
        grid_scores(w, g, bins, &part[g]);
    gsl_histogram_free(bins);
    double sat = 0, trust = 0, m2 = 0, tm2 = 0, sat_bins[HIST_BINS] = {0}, trust_bins[HIST_BINS] = {0};
    double gain = 0;
    for (int64_t g = 0; g < G; g++) {
        sat += part[g].sat_sum;
        trust += part[g].trust_sum;
        for (int b = 0; b < HIST_BINS; b++) {
            sat_bins[b] += part[g].sat_bins[b];
            trust_bins[b] += part[g].trust_bins[b];
        }
        for (int k = 0; k < N_GROUPS; k++) {
            s->group_households[k] += part[g].grp_n[k];
            s->group_sat_end[k] += part[g].grp_sat[k];
            s->group_trust_end[k] += part[g].grp_trust[k];
            s->group_gain[k] += part[g].grp_gain[k];
            gain += part[g].grp_gain[k];
        }
    }
    double mean = sat / n, tmean = trust / n;
    for (int64_t g = 0; g < G; g++) {
        double H = (double)world_grid_households(w, g);
        double d = part[g].sat_sum / H - mean, e = part[g].trust_sum / H - tmean;
        m2 += part[g].sat_m2 + H * d * d;
        tm2 += part[g].trust_m2 + H * e * e;
    }
    s->v[S_SAT_MEAN] = mean;
    s->v[S_SAT_SD] = n > 1 ? sqrt(m2 / (n - 1)) : 0.0;
    s->v[S_TRUST_MEAN] = tmean;
    s->v[S_TRUST_SD] = n > 1 ? sqrt(tm2 / (n - 1)) : 0.0;
    s->v[S_SENSE_OF_GAIN] = gain / n;
    double start_trust = 0;
    for (int k = 0; k < N_GROUPS; k++) {
        double nk = s->group_households[k];
        s->group_sat_start[k] = nk > 0 ? p->satisfaction_init : NAN;
        s->group_trust_start[k] = nk > 0 ? fmax(0.0, p->trust_init - (k / 2 == HH_RESETTLED ? p->trust_resettled_gap : 0.0)) : NAN;
        start_trust += nk > 0 ? nk * s->group_trust_start[k] : 0.0;
        s->group_sat_end[k] = ratio(s->group_sat_end[k], nk);
        s->group_trust_end[k] = ratio(s->group_trust_end[k], nk);
        s->group_gain[k] = ratio(s->group_gain[k], nk);
    }
    s->v[S_SAT_START] = p->satisfaction_init;
    s->v[S_TRUST_START] = start_trust / n;
    /* trust gap at the end: urban minus resettled, all ages */
    double u = s->group_households[2 * HH_URBAN] + s->group_households[2 * HH_URBAN + 1];
    double r = s->group_households[2 * HH_RESETTLED] + s->group_households[2 * HH_RESETTLED + 1];
    double ut = 0, rt = 0;
    for (int e = 0; e < 2; e++) {
        if (s->group_households[2 * HH_URBAN + e] > 0)
            ut += s->group_trust_end[2 * HH_URBAN + e] * s->group_households[2 * HH_URBAN + e];
        if (s->group_households[2 * HH_RESETTLED + e] > 0)
            rt += s->group_trust_end[2 * HH_RESETTLED + e] * s->group_households[2 * HH_RESETTLED + e];
    }
    s->v[S_TRUST_GAP_END] = u > 0 && r > 0 ? ut / u - rt / r : NAN;
    for (int b = 0; b < HIST_BINS; b++) {
        s->satisfaction_hist[b] = sat_bins[b] / n;
        s->trust_hist[b] = trust_bins[b] / n;
    }
    free(part);
}

static void staff_and_cost(const struct world *w, struct summary *s)
{
    const struct params *p = w->p;
    double cost = 0, vacant = 0, years = (double)p->days / 365.0;
    for (int l = 0; l < N_LEVELS; l++) {
        double staff = (double)w->nunits[l] * (double)p->staff[l];
        double busy = 0, empty = 0, empty_duty = 0;
        for (int64_t j = 0; j < w->nunits[l]; j++) {
            const struct unit *u = &w->units[l][j];
            const struct workload *k = &w->work[l][j];
            busy += u->busy_hours;
            empty += u->vacant_hours;
            empty_duty += u->vacant_duty_hours;
            s->v[S_STAFF_QUITS] += (double)u->quits;
            s->level[L_HOURS_REQUESTS][l] += u->hours_requests;
            s->level[L_HOURS_TASKS][l] += k->hours_tasks;
            s->level[L_HOURS_PROACTIVE][l] += k->hours_proactive;
            s->level[L_TASKS_ARRIVED][l] += (double)k->tasks_arrived;
            s->level[L_TASKS_REFUSED][l] += (double)k->tasks_refused;
            s->level[L_TASKS_DONE][l] += (double)k->tasks_done;
            s->level[L_TASKS_LATE][l] += (double)k->tasks_late;
            s->level[L_TASK_BACKLOG_HOURS][l] += tasks_backlog_hours(w, l, j);
            s->level[L_VISITS_TARGET][l] += k->visit_target;
            s->level[L_VISITS_DONE][l] += k->visits_done;
            s->v[S_TASK_HOURS_BOUGHT] += k->hours_bought;
        }
        vacant += empty;
        s->level[L_STAFF][l] = staff;
        double late = floor((double)p->staff[l] / 2) * (p->shift[l].stagger_hours > 0);
        double duty = ((double)p->staff[l] - late) * shift_duty_hours(&w->shift[l][0], 0, w->horizon) +
                      late * shift_duty_hours(&w->shift[l][1], 0, w->horizon);
        double filled = fmax(0.0, (double)w->nunits[l] * duty - empty_duty);
        s->level[L_HOURS_DUTY][l] = filled;
        s->level[L_HOURS_IDLE][l] = filled > 0 ? fmax(0.0, filled - busy) : 0.0;
        s->level[L_UTILISATION][l] = ratio(busy, filled);
        s->level[L_VISIT_COVERAGE][l] = ratio(s->level[L_VISITS_DONE][l], s->level[L_VISITS_TARGET][l]);
        cost += (staff * years - empty / 8760.0) * p->staff_cost_year[l];
    }
    int64_t jobs = 0;
    for (int l = 0; l < N_LEVELS; l++)
        for (int64_t j = 0; j < w->nunits[l]; j++)
            jobs += w->units[l][j].jobs;
    s->v[S_EVENTS] = s->v[S_ARISEN] + (double)jobs + s->v[S_RESOLVED] + s->v[S_ABANDONED] +
                     s->v[S_ESCALATIONS] + s->v[S_UNSOLVED] + s->v[S_REOPENED] + s->v[S_WAITS];
    s->v[S_COST_TOTAL] = cost;
    s->v[S_VACANT_POSTS_MEAN] = vacant / w->horizon;
    s->v[S_POSTS_UNFUNDED] = (double)(w->nunits[LEVEL_COMMUNITY] *
                                      (p->staff[LEVEL_COMMUNITY] - w->funded[LEVEL_COMMUNITY]));
    s->v[S_SPEND_CENTRES] = (double)w->nunits[LEVEL_COMMUNITY] * p->centre_cost_hour *
                            shift_duty_hours(&w->shift[LEVEL_COMMUNITY][0], 0, w->horizon);
    s->v[S_SPEND_SUBSIDIES] = (double)p->grids * p->grid_subsidy * years;
    s->v[S_SPEND_TASKS] = s->v[S_TASK_HOURS_BOUGHT] * p->task.bought_hour_cost;
    s->v[S_SPEND_INVESTMENT] = (p->app_investment / p->app_lifetime_years +
                                p->venue_investment / p->venue_lifetime_years) * years;
}

/* All spending by use, after staff_and_cost and mechanisms. */
static void spending(struct summary *s)
{
    double *v = s->v;
    v[S_SPEND_TOTAL] = v[S_COST_TOTAL] + v[S_SPEND_CENTRES] + v[S_SPEND_SUBSIDIES] + v[S_WISH_SPENT] +
                       v[S_PROJECTS_SPENT] + v[S_SPEND_TASKS] + v[S_SPEND_INVESTMENT];
    v[S_COST_PER_RESOLVED] = ratio(v[S_SPEND_TOTAL], v[S_RESOLVED]);
    v[S_COST_PER_ON_TIME] = ratio(v[S_SPEND_TOTAL], v[S_RESOLVED_ON_TIME]);
}

/* Party members, micro-wishes and co-building, summed in community order. */
static void mechanisms(const struct world *w, struct summary *s)
{
    double *v = s->v;
    for (int64_t g = 0; g < w->p->grids; g++) {
        v[S_VOL_OFFERED] += w->grids[g].member_hours_offered;
        v[S_VOL_USED_REQUESTS] += w->grids[g].member_hours_requests;
        v[S_MEMBER_RESOLVED] += (double)w->grids[g].member_resolved;
        v[S_CONTACT_VISITS_STAFF] += w->work[LEVEL_GRID][g].visits_done;
        v[S_CONTACT_VISITS_MEMBERS] += w->grids[g].member_visits;
        v[S_VOL_USED_VISITS] += w->grids[g].member_hours_visits;
        v[S_PRESENCE_MEAN] += w->grids[g].res_presence / (double)w->p->grids;
    }
    for (int64_t c = 0; c < w->nunits[LEVEL_COMMUNITY]; c++) {
        const struct community_state *cs = &w->comm[c];
        v[S_VOL_USED_WISHES] += cs->wish_hours_members;
        v[S_WISH_ISSUED] += (double)cs->wish_issued;
        v[S_WISH_FULFILLED] += (double)cs->wish_fulfilled;
        v[S_WISH_UNIT_HOURS] += cs->wish_hours_units;
        v[S_WISH_SPENT] += cs->spent_microwish;
        v[S_NEEDS_RAISED] += (double)cs->needs_raised;
        v[S_NEEDS_LAPSED] += (double)cs->needs_lapsed;
        v[S_ITEMS_AGREED] += (double)cs->items_agreed;
        v[S_ITEMS_COMPLETED] += (double)cs->items_completed;
        v[S_ITEMS_STALLED] += (double)cs->items_stalled;
        v[S_PROJECTS_SPENT] += cs->spent_projects;
        v[S_CONTACT_VISITS_STAFF] += w->work[LEVEL_COMMUNITY][c].visits_done;
        v[S_CONTACT_WISH_HOUSEHOLDS] += (double)cs->wish_households;
        v[S_MEETING_SETTLED] += (double)cs->meeting_settled;
        v[S_REQUESTS_PREVENTED] += (double)cs->prevented;
        v[S_UNIT_HOURS_OFFERED] += cs->cb_service_offered;
        v[S_UNIT_HOURS_USED] += cs->cb_service_used;
        v[S_UNIT_RESOLVED] += (double)cs->cb_resolved;
    }
    v[S_VOL_USED] = v[S_VOL_USED_REQUESTS] + v[S_VOL_USED_WISHES] + v[S_VOL_USED_VISITS];
    v[S_WISH_RATE] = ratio(v[S_WISH_FULFILLED], v[S_WISH_ISSUED]);
    v[S_ITEMS_RATE] = ratio(v[S_ITEMS_COMPLETED], v[S_ITEMS_AGREED]);
}

void summary_compute(struct summary *s, const struct world *w)
{
    memset(s, 0, sizeof *s);
    struct tally t;
    sum_tallies(w, &t);
    for (int l = 0; l < N_LEVELS; l++) {
        s->level[L_ENTERED][l] = (double)t.entered[l];
        s->level[L_RESOLVED][l] = (double)t.resolved[l];
        s->level[L_ABANDONED][l] = (double)t.abandoned[l];
        s->level[L_ESCALATED][l] = (double)t.escalated[l];
        s->level[L_UNSOLVED][l] = (double)t.unsolved[l];
        s->level[L_REOPENED][l] = (double)t.reopened[l];
        s->level[L_PUSHED_UP][l] = (double)t.pushed[l];
        s->v[S_ESCALATIONS] += (double)t.escalated[l];
    }
    double resolved = (double)sum4(t.resolved), abandoned = (double)sum4(t.abandoned);
    double unsolved = (double)sum4(t.unsolved);
    s->v[S_UNSOLVED] = unsolved;
    s->v[S_REOPENED] = (double)sum4(t.reopened);
    s->v[S_PUSHED_UP] = (double)sum4(t.pushed);
    s->v[S_WAITS] = (double)t.waits;
    s->v[S_WAIT_MEAN] = ratio(t.wait_hours, (double)t.waits);
    s->v[S_ARISEN] = (double)t.entered[LEVEL_GRID];
    s->v[S_RESOLVED] = resolved;
    s->v[S_RESOLVED_ON_TIME] = (double)t.on_time;
    s->v[S_ABANDONED] = abandoned;
    s->v[S_ABANDON_RATE] = ratio(abandoned, s->v[S_ARISEN]);
    for (int l = 0; l < N_LEVELS; l++)
        s->v[S_SHARE_GRID + l] = ratio((double)t.resolved[l], resolved);
    count_open(w, s);
    s->v[S_BACKLOG] = s->level[L_OPEN][0] + s->level[L_OPEN][1] + s->level[L_OPEN][2] +
                      s->level[L_OPEN][3] - s->v[S_UNKNOWN];
    s->v[S_ON_TIME_RATE] = ratio(s->v[S_RESOLVED_ON_TIME],
                                 resolved + abandoned + unsolved + s->v[S_OPEN_PAST_DEADLINE]);
    /* the two sorts of close times (3.9 M at the Changchun scale) run side by side */
#pragma omp parallel
#pragma omp single
    {
#pragma omp task
        resolution_times(w, s);
#pragma omp task
        close_times(w, s);
    }
    household_scores(w, s);
    staff_and_cost(w, s);
    mechanisms(w, s);
    spending(s);
    by_category(w, s);
    s->v[S_MEETINGS_HELD] = (double)(w->meetings_held[LEVEL_STREET] + w->meetings_held[LEVEL_DISTRICT]);
    s->v[S_RESOLVED_BY_MEETINGS] = (double)t.by_meeting;
    s->v[S_DOCKED_SKIPS] = (double)t.docked_skips;
    s->v[S_ESCALATED_BACKLOG_MEAN] = ratio(w->escalated_backlog_sum, (double)w->backlog_days);
}
