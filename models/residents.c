/* residents.c: households respond to what happened to their requests.
 *
 * Service records each ending (resolution or abandonment) in the home grid's
 * outcome list; this phase applies them in time order. A resolution within the
 * category's deadline (counted from when the request became known) scores 1, a
 * late one exp(-lateness / lateness_scale); an abandonment scores
 * satisfaction_abandon, and so does a case closed unsolved (casework.c). Satisfaction moves a fraction satisfaction_rate of the
 * way towards the score; trust then moves a fraction trust_rate of the way towards
 * satisfaction, so it follows satisfaction slowly and, through intake, raises the
 * household's propensity to report. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "phases.h"

void residents_record_outcome(struct world *w, const struct request *q, enum outcome_kind kind,
                              double t)
{
    struct outcome o = {.t = t, .id = q->id, .arose = q->arose, .known = q->known,
                        .household = q->household, .kind = (uint8_t)kind,
                        .level = q->level, .category = q->category};
    outcome_push(&w->grids[q->grid].outcomes, &o);
    w->has_outcomes[q->grid] = 1;
    world_log(w, q, kind == OUT_RESOLVED ? EV_RESOLVED : kind == OUT_ABANDONED ? EV_ABANDONED
                                                                               : EV_CLOSED_UNSOLVED, t);
}

static int by_time(const void *a, const void *b)
{
    const struct outcome *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Keeps the time to close of a resolved or unsolved request (the summary's time to
 * resolution reads the resolved ones). */
static void keep_close_time(struct grid_state *gs, float hours, uint8_t category)
{
    if (gs->nclose == gs->capclose) {
        gs->capclose = gs->capclose ? 2 * gs->capclose : 64;
        gs->close_hours = gs_realloc(gs->close_hours, gs->capclose * sizeof *gs->close_hours);
        gs->close_cat = gs_realloc(gs->close_cat, gs->capclose * sizeof *gs->close_cat);
    }
    gs->close_hours[gs->nclose] = hours;
    gs->close_cat[gs->nclose++] = category;
}

static double outcome_score(const struct params *p, const struct outcome *o, int *on_time)
{
    *on_time = 0;
    if (o->kind != OUT_RESOLVED)   /* abandoned, or closed unsolved (treated alike for now) */
        return p->satisfaction_abandon;
    double late = (o->t - o->known) - p->cat[o->category].deadline_hours;
    if (late <= 0) {
        *on_time = 1;
        return 1.0;
    }
    return exp(-late / p->lateness_scale_hours);
}

static void apply_outcome(struct world *w, struct grid_state *gs, const struct outcome *o)
{
    const struct params *p = w->p;
    struct household *h = &w->hh[o->household];
    int on_time;
    double score = outcome_score(p, o, &on_time);
    float before = h->satisfaction, trust_before = h->trust;
    h->satisfaction = (float)(before + p->satisfaction_rate * (score - before));
    gs->satisfaction_sum += (double)h->satisfaction - (double)before;
    h->trust = (float)(trust_before + p->trust_rate * ((double)h->satisfaction - trust_before));
    gs->trust_sum += (double)h->trust - (double)trust_before;
    struct category_count *cc = &gs->bycat[o->category];
    if (o->kind == OUT_RESOLVED) {
        gs->total.resolved[o->level]++;
        gs->total.on_time += on_time;
        cc->resolved++;
        cc->on_time += on_time;
        cc->hours_to_resolution += o->t - o->arose;
        keep_close_time(gs, (float)(o->t - o->arose), o->category);
    } else if (o->kind == OUT_UNSOLVED) {
        gs->total.unsolved[o->level]++;
        cc->unsolved++;
        keep_close_time(gs, (float)(o->t - o->arose), (uint8_t)(o->category | CLOSED_UNSOLVED));
    } else {
        gs->total.abandoned[o->level]++;
        cc->abandoned++;
    }
}

void residents_prefetch(const struct world *w, int64_t g)
{
    if (!w->has_outcomes[g])
        return;
    const struct outcome_vec *v = &w->grids[g].outcomes;
    for (size_t i = 0; i < v->n; i++)
        __builtin_prefetch(&w->hh[v->a[i].household], 1);
}

void residents_respond(struct world *w, int64_t g)
{
    if (!w->has_outcomes[g])   /* checked without touching the grid's state */
        return;
    w->has_outcomes[g] = 0;
    struct grid_state *gs = &w->grids[g];
    if (gs->outcomes.n > 1)
        qsort(gs->outcomes.a, gs->outcomes.n, sizeof *gs->outcomes.a, by_time);
    for (size_t i = 0; i < gs->outcomes.n; i++)
        apply_outcome(w, gs, &gs->outcomes.a[i]);
    gs->outcomes.n = 0;
}
