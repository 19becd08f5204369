/* world.c: building and freeing the district. */
#include "world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ctable.h"
#include "error.h"
#include "rng.h"
#include "summary.h"

void outcome_push(struct outcome_vec *v, const struct outcome *o)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 16;
        v->a = gs_realloc(v->a, v->cap * sizeof *v->a);
    }
    v->a[v->n++] = *o;
}

double world_window_overlap(const struct world *w, double a, double b)
{
    a = fmax(a, w->window_start);
    b = fmin(b, w->horizon);
    return b > a ? b - a : 0.0;
}

void world_note_departure(const struct world *w, struct unit *u, const struct request *q,
                          double left, double done, int abandoned)
{
    struct queue_stats *st = &u->qs;
    st->queue_area += world_window_overlap(w, q->entered, left);
    st->level_area += world_window_overlap(w, q->entered, done);
    if (q->entered < w->window_start)
        return;
    st->arrived++;
    st->left_queue++;
    st->wait_sum += left - q->entered;
    st->waited_long += left - q->entered > w->p->wait_threshold_hours;
    st->abandoned += abandoned;
    if (done <= w->horizon) {
        st->left_level++;
        st->time_sum += done - q->entered;
    }
}

const char *const event_kind_names[N_EVENT_KINDS] = {
    "arose", "known", "entered", "started", "passed_up", "resolved", "abandoned",
    "waiting", "requeued", "closed_unsolved", "reopened"};

void world_log(struct world *w, const struct request *q, enum event_kind kind, double t)
{
    if (!w->p->event_log)
        return;
    struct event_vec *v = &w->grids[q->grid].events;
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        v->a = gs_realloc(v->a, v->cap * sizeof *v->a);
    }
    v->a[v->n++] = (struct event){t, q->id, (uint8_t)kind, q->level, q->category};
}

static int64_t units_at(const struct params *p, int level)
{
    switch (level) {
    case LEVEL_GRID: return p->grids;
    case LEVEL_COMMUNITY: return p->communities;
    case LEVEL_STREET: return p->streets;
    default: return 1;
    }
}

/* Households of the world these parameters describe. */
static double total_households(const struct params *p)
{
    struct community_table t;
    if (p->community_table[0] && ctable_load(p, &t, NULL) == 0) {
        double n = 0;
        for (int64_t c = 0; c < t.n; c++)
            n += (double)t.rows[c].households;
        ctable_free(&t);
        return n;
    }
    if (p->households_total > 0)
        return (double)p->households_total;
    return (double)p->grids * (double)p->households_per_grid;
}

double world_estimate_bytes(const struct params *p, double part[N_MEM_PARTS])
{
    double hh = total_households(p);
    part[MEM_HOUSEHOLDS] = hh * sizeof(struct household) +
                           (double)p->grids * sizeof(struct grid_state) +
                           (double)p->communities * sizeof(struct community_state);
    part[MEM_STAFF] = 0;
    for (int l = 0; l < N_LEVELS; l++)
        part[MEM_STAFF] += (double)units_at(p, l) *
                           (sizeof(struct unit) + sizeof(struct workload) + 16.0 * sizeof(struct task) +
                            (double)p->staff[l] * sizeof(struct server) + 24.0);
    double rate = 0;
    for (int t = 0; t < N_HH_TYPES; t++)
        rate = fmax(rate, p->rate[t]);
    /* every request's time to close and category, and each one queued or pending at once
     * in the worst case (a pending case holds its request) */
    part[MEM_REQUESTS] = hh * rate * fmax(1.0, p->elderly_factor) * (double)p->days / 365.0 *
                         (sizeof(float) + sizeof(uint8_t) + sizeof(struct pending));
    part[MEM_SERIES] = (double)p->communities * (double)(p->days / p->output_interval_days + 1) *
                       N_SERIES * sizeof(double);
    /* The event log: about 6 events a request (measured: 6.1 in a default year), at most
     * 8; each held in a doubling vector (up to 2 x 24 bytes), copied into the writer's
     * columns (40 bytes) and the in-memory HDF5 image (8): 8 x 96 bytes a request. */
    part[MEM_EVENTS] = p->event_log ? hh * rate * fmax(1.0, p->elderly_factor) *
                                          (double)p->days / 365.0 * 8.0 * 96.0
                                    : 0.0;
    return part[MEM_HOUSEHOLDS] + part[MEM_STAFF] + part[MEM_REQUESTS] + part[MEM_SERIES] +
           part[MEM_EVENTS];
}

/* Offsets of the children of each unit at levels community and street: from the
 * community table, else an even, contiguous split. */
static void child_offsets(const struct world *w, int l, const struct community_table *t, int64_t *first)
{
    int64_t n = w->nunits[l], nc = w->nunits[l - 1];
    if (t->n && l == LEVEL_COMMUNITY) {
        first[0] = 0;
        for (int64_t c = 0; c < n; c++)
            first[c + 1] = first[c] + t->rows[c].grids;
    } else if (t->n && l == LEVEL_STREET) {
        int64_t c = 0;
        for (int64_t j = 0; j <= n; j++) {
            while (c < t->n && t->rows[c].street < j)
                c++;
            first[j] = c;
        }
    } else {
        for (int64_t j = 0; j <= n; j++)
            first[j] = j * nc / n;   /* even, contiguous split */
    }
}

static void build_hierarchy(struct world *w, const struct community_table *t)
{
    const struct params *p = w->p;
    for (int l = 0; l < N_LEVELS; l++) {
        w->nunits[l] = units_at(p, l);
        w->units[l] = gs_aligned_calloc(_Alignof(struct unit), (size_t)w->nunits[l], sizeof(struct unit));
        w->wake[l] = gs_malloc((size_t)w->nunits[l] * sizeof(double));
        w->passed_up[l] = gs_calloc((size_t)w->nunits[l], 1);
        for (int64_t j = 0; j < w->nunits[l]; j++) {
            struct unit *u = &w->units[l][j];
            u->level = (uint8_t)l;
            u->nservers = (int)p->staff[l];
            u->npools = 1;
            if (l == LEVEL_COMMUNITY && !p->ab_posts && u->nservers > 1)   /* specialised queues */
                u->npools = u->nservers < N_CATEGORIES ? u->nservers : N_CATEGORIES;
            u->servers = gs_aligned_calloc(_Alignof(struct server), (size_t)u->nservers,
                                           sizeof(struct server));
            for (int k = 0; k < u->nservers; k++) {   /* every second one on the staggered shift */
                u->servers[k].shift = &w->shift[l][k % 2 && p->shift[l].stagger_hours > 0];
                u->servers[k].hired_at = -INFINITY;
            }
            u->next_expiry = INFINITY;
            u->pend.next = INFINITY;
            u->next_job_end = INFINITY;
            u->vacancy_max = 0.0;   /* the servers' vacant_until, as allocated */
            w->wake[l][j] = -INFINITY;
        }
        if (l > 0) {
            w->child_first[l] = gs_malloc((size_t)(w->nunits[l] + 1) * sizeof(int64_t));
            child_offsets(w, l, t, w->child_first[l]);
        }
        for (int k = 0; k < 2; k++) {
            struct shift *s = &w->shift[l][k];
            s->start = p->shift[l].start_hour + (k ? p->shift[l].stagger_hours : 0.0);
            s->len = p->shift[l].hours;   /* patrol is proactive work in the time left (visits.c) */
            s->days = (int)p->shift[l].work_days;
            s->off_on_holidays = p->public_holidays && !p->shift[l].holiday_duty;
        }
        for (int64_t j = 0; j < w->nunits[l]; j++)
            for (int k = 0; k < w->units[l][j].nservers; k++)
                server_set_ready(&w->units[l][j], &w->units[l][j].servers[k]);
    }
}

/* The groups of a grid of H households with these shares (ctable.h order). */
static void make_groups(const struct params *p, int64_t H, const double share[N_SHARES],
                        struct hh_groups *gr)
{
    int64_t n[N_HH_TYPES];
    n[HH_RESETTLED] = llround((double)H * share[SH_RESETTLED]);
    n[HH_MIGRANT] = llround((double)H * share[SH_MIGRANT]);
    if (n[HH_RESETTLED] + n[HH_MIGRANT] > H)
        n[HH_MIGRANT] = H - n[HH_RESETTLED];
    n[HH_URBAN] = H - n[HH_RESETTLED] - n[HH_MIGRANT];
    uint32_t first = 0;
    double cum = 0, weight[N_GROUPS];
    for (int t = 0; t < N_HH_TYPES; t++) {
        int64_t elderly = llround((double)n[t] * share[SH_ELDERLY]);
        for (int e = 0; e < 2; e++) {
            int g = 2 * t + e;
            gr->first[g] = first;
            gr->count[g] = (uint32_t)(e ? elderly : n[t] - elderly);
            first += gr->count[g];
            weight[g] = gr->count[g] * p->rate[t] * (e ? p->elderly_factor : 1.0) / 8760.0;
            cum += weight[g];
        }
    }
    gr->rate_per_hour = cum;
    double run = 0;
    for (int g = 0; g < N_GROUPS; g++) {
        run += weight[g];
        gr->cum[g] = cum > 0 ? run / cum : (double)(g + 1) / N_GROUPS;
    }
    gr->cum[N_GROUPS - 1] = 1.0;
    gr->share_party = share[SH_PARTY];
    gr->households = (uint32_t)H;
}

/* Households of the k-th of n grids sharing `total` as evenly as possible (the
 * larger ones spread out): total / n or one more. */
static int64_t even_share(int64_t total, int64_t n, int64_t k)
{
    return total * (k + 1) / n - total * k / n;
}

/* Group records: one per community and grid size (two per community at most) with a
 * community table, two (total / grids and one more) with world.households_total, else
 * one for every grid. Each grid is given its record and its first household. */
static void build_groups(struct world *w, const struct community_table *t)
{
    const struct params *p = w->p;
    const double world_share[N_SHARES] = {p->share_resettled, p->share_migrant, p->share_elderly,
                                          p->share_party};
    const int64_t *first = w->child_first[LEVEL_COMMUNITY];
    int64_t C = w->nunits[LEVEL_COMMUNITY];
    w->grids = gs_calloc((size_t)p->grids, sizeof *w->grids);
    w->comm = gs_calloc((size_t)C, sizeof *w->comm);
    if (t->n) {
        w->ngroups = 2 * C;
        w->groups = gs_calloc((size_t)w->ngroups, sizeof *w->groups);
        for (int64_t c = 0; c < C; c++)
            for (int k = 0; k < 2; k++)
                make_groups(p, t->rows[c].households / t->rows[c].grids + k, t->rows[c].share,
                            &w->groups[2 * c + k]);
    } else if (p->households_total > 0) {
        w->ngroups = 2;
        w->groups = gs_calloc(2, sizeof *w->groups);
        for (int k = 0; k < 2; k++)
            make_groups(p, p->households_total / p->grids + k, world_share, &w->groups[k]);
    } else if (p->grid_households_cv > 0) {   /* a record per grid */
        w->ngroups = p->grids;
        w->groups = gs_calloc((size_t)p->grids, sizeof *w->groups);
        double sigma = sqrt(log1p(p->grid_households_cv * p->grid_households_cv));
        gsl_rng *r = rng_new();
        for (int64_t g = 0; g < p->grids; g++) {
            rng_stream_set(r, (uint64_t)p->seed, RNG_INIT, (uint64_t)g, 0, 1);
            double h = (double)p->households_per_grid * gsl_ran_lognormal(r, -0.5 * sigma * sigma, sigma);
            make_groups(p, llround(fmin(fmax(h, 1.0), 100000.0)), world_share, &w->groups[g]);
        }
        gsl_rng_free(r);
    } else {
        w->ngroups = 1;
        w->groups = gs_calloc(1, sizeof *w->groups);
        make_groups(p, p->households_per_grid, world_share, &w->groups[0]);
    }
    int64_t hh = 0;
    for (int64_t c = 0; c < C; c++) {
        struct community_state *cs = &w->comm[c];
        cs->first_grid = first[c];
        cs->ngrids = first[c + 1] - first[c];
        cs->kind = t->n ? t->rows[c].kind : 0;
        for (int64_t g = first[c]; g < first[c + 1]; g++) {
            uint32_t rec = 0;
            if (t->n) {
                int64_t h = even_share(t->rows[c].households, cs->ngrids, g - first[c]);
                rec = (uint32_t)(2 * c + (h > w->groups[2 * c].households));
            } else if (p->households_total > 0) {
                rec = even_share(p->households_total, p->grids, g) > w->groups[0].households;
            } else if (p->grid_households_cv > 0) {
                rec = (uint32_t)g;
            }
            w->grids[g].groups = rec;
            w->grids[g].community = (uint32_t)c;
            GS_ASSERT(hh + (int64_t)w->groups[rec].households <= (int64_t)UINT32_MAX);  /* household indices are 32-bit */
            w->grids[g].hh_first = (uint32_t)hh;
            hh += w->groups[rec].households;
            cs->households += w->groups[rec].households;
        }
    }
    w->nhh = hh;
}

static void build_rates(struct world *w)
{
    const struct params *p = w->p;
    double sum = 0;
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++) {
            double f = (h >= 22 || h < 7) ? p->night_factor : 1.0;
            f *= d >= 5 ? p->weekend_factor : 1.0;
            w->week_profile[24 * d + h] = f;
            sum += f;
        }
    w->week_cum[0] = 0;
    for (int i = 0; i < 7 * 24; i++) {
        w->week_profile[i] *= sum > 0 ? 7 * 24 / sum : 0;
        w->week_cum[i + 1] = w->week_cum[i] + w->week_profile[i];
    }

    double weights[N_CATEGORIES];
    for (int c = 0; c < N_CATEGORIES; c++) {
        weights[c] = p->cat[c].weight;
        for (int app = 0; app < 2; app++) {
            double f = app ? p->app_escalation_factor : 1.0;
            double *cum = w->p_need_cum[app][c];
            cum[0] = 1.0 - f * (p->cat[c].p_level[1] + p->cat[c].p_level[2] + p->cat[c].p_level[3]);
            for (int l = 1; l < N_LEVELS; l++)
                cum[l] = cum[l - 1] + f * p->cat[c].p_level[l];
            cum[N_LEVELS - 1] = 1.0;
        }
    }
    w->category_table = gsl_ran_discrete_preproc(N_CATEGORIES, weights);
}

/* Workload records (tasks.c, visits.c); the scheduler sets their first task
 * arrivals and detection hazards. */
static void build_workload(struct world *w)
{
    for (int l = 0; l < N_LEVELS; l++) {
        w->work[l] = gs_calloc((size_t)w->nunits[l], sizeof *w->work[l]);
        w->task_wake[l] = gs_malloc((size_t)w->nunits[l] * sizeof(double));
    }
    w->patrol_hazard = gs_malloc((size_t)w->p->grids * sizeof *w->patrol_hazard);
}

static void build_households(struct world *w)
{
    const struct params *p = w->p;
    w->hh = gs_malloc((size_t)w->nhh * sizeof *w->hh);
    w->next_arrival = gs_malloc((size_t)p->grids * sizeof *w->next_arrival);
    w->has_outcomes = gs_calloc((size_t)p->grids, sizeof *w->has_outcomes);
#pragma omp parallel
    {
        gsl_rng *r = rng_new();
#pragma omp for schedule(static)
        for (int64_t g = 0; g < p->grids; g++) {
            struct grid_state *gs = &w->grids[g];
            const struct hh_groups *gr = &w->groups[gs->groups];
            gs->app = (uint8_t)world_grid_has_app(p->app_share, g);
            rng_stream_set(r, (uint64_t)p->seed, RNG_INIT, (uint64_t)g, 0, 0);
            for (int grp = 0; grp < N_GROUPS; grp++)
                for (uint32_t k = 0; k < gr->count[grp]; k++) {
                    struct household *h = &w->hh[gs->hh_first + gr->first[grp] + k];
                    h->sat_dev = 0.0f;   /* the shared levels are set by residents_init */
                    h->trust_dev = 0.0f;
                    h->expect = (float)p->res.expectation_init;
                    h->t_last = 0.0f;
                    h->type = (uint8_t)(grp / 2);
                    h->flags = (grp % 2 ? HH_ELDERLY : 0) |
                               (rng_uniform(r) < gr->share_party ? HH_PARTY : 0);
                }
        }
        gsl_rng_free(r);
    }
}

struct world *world_new(const struct params *p, struct gs_error *err)
{
    struct community_table t = {0};
    if (p->community_table[0] && ctable_load(p, &t, err) != 0)
        return NULL;
    struct world *w = gs_calloc(1, sizeof *w);
    w->p = p;
    w->horizon = (double)p->days * 24.0;
    w->window_start = (double)p->warmup_days * 24.0;
    build_hierarchy(w, &t);
    build_groups(w, &t);
    build_rates(w);
    build_workload(w);
    build_households(w);
    ctable_free(&t);
    return w;
}

void world_free(struct world *w)
{
    if (!w)
        return;
    for (int l = 0; l < N_LEVELS; l++) {
        for (int64_t j = 0; j < w->nunits[l]; j++) {
            reqheap_free(&w->units[l][j].queue);
            reqvec_free(&w->units[l][j].outbox);
            free(w->units[l][j].pend.a);   /* casework.c's waiting cases */
            free(w->units[l][j].servers);
            srvindex_free(&w->units[l][j]);
        }
        free(w->units[l]);
        free(w->wake[l]);
        free(w->passed_up[l]);
        free(w->child_first[l]);
        for (int64_t j = 0; w->work[l] && j < w->nunits[l]; j++)
            free(w->work[l][j].tasks);
        free(w->work[l]);
        free(w->task_wake[l]);
    }
    free(w->patrol_hazard);
    for (int64_t g = 0; w->grids && g < w->p->grids; g++) {
        free(w->grids[g].outcomes.a);
        free(w->grids[g].close_hours);
        free(w->grids[g].close_cat);
        free(w->grids[g].events.a);
    }
    free(w->grids);
    free(w->next_arrival);
    free(w->has_outcomes);
    for (int64_t c = 0; w->comm && c < w->nunits[LEVEL_COMMUNITY]; c++) {
        free(w->comm[c].needs.a);
        free(w->comm[c].projects.a);
    }
    free(w->comm);
    free(w->groups);
    free(w->hh);
    if (w->category_table)
        gsl_ran_discrete_free(w->category_table);
    free(w);
}

int64_t world_parent(const struct world *w, int level, int64_t j)
{
    const int64_t *first = w->child_first[level + 1];
    int64_t lo = 0, hi = w->nunits[level + 1] - 1;
    while (lo < hi) {   /* last parent whose first child <= j */
        int64_t mid = (lo + hi + 1) / 2;
        if (first[mid] <= j)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

int world_grid_has_app(double share, int64_t g)
{
    return floor((double)(g + 1) * share) > floor((double)g * share);
}

