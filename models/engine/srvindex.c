/* srvindex.c: see srvindex.h. */
#include "srvindex.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

struct sx_entry {
    double ready, free_at;
    int32_t i;
    uint32_t version;   /* the server's version when the entry was made */
};

struct sx_heap {
    struct sx_entry *a;
    size_t n, cap;
};

/* Per shift of the unit: servers with ready >= from (`ahead`, by ready, free_at,
 * index) and with ready < from (`free`, by free_at, index). */
struct server_index {
    struct sx_heap ahead[2], free[2];
    double from;    /* of the last query; -INFINITY when built */
    size_t pushed;  /* entries made since the last build, to bound the stale ones */
};

static int ahead_before(const struct sx_entry *x, const struct sx_entry *y)
{
    if (x->ready != y->ready)
        return x->ready < y->ready;
    if (x->free_at != y->free_at)
        return x->free_at < y->free_at;
    return x->i < y->i;
}

static int free_before(const struct sx_entry *x, const struct sx_entry *y)
{
    if (x->free_at != y->free_at)
        return x->free_at < y->free_at;
    return x->i < y->i;
}

typedef int (*sx_less)(const struct sx_entry *, const struct sx_entry *);

static void sx_push(struct sx_heap *h, const struct sx_entry *e, sx_less less)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->a = gs_realloc(h->a, h->cap * sizeof *h->a);
    }
    size_t i = h->n++;
    while (i > 0 && less(e, &h->a[(i - 1) / 2])) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = *e;
}

static void sx_pop(struct sx_heap *h, sx_less less)
{
    struct sx_entry last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && less(&h->a[c + 1], &h->a[c]))
            c++;
        if (!less(&h->a[c], &last))
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n > 0)
        h->a[i] = last;
}

static int shift_of(const struct unit *u, const struct server *s)
{
    return s->shift != u->servers[0].shift;   /* a unit has at most two shifts */
}

static struct sx_entry entry(const struct unit *u, int i)
{
    const struct server *s = &u->servers[i];
    return (struct sx_entry){s->ready, s->free_at, i, s->version};
}

static void build(struct unit *u)
{
    struct server_index *x = u->six;
    for (int k = 0; k < 2; k++)
        x->ahead[k].n = x->free[k].n = 0;
    for (int i = 0; i < u->nservers; i++) {
        struct sx_entry e = entry(u, i);
        sx_push(&x->ahead[shift_of(u, &u->servers[i])], &e, ahead_before);
    }
    x->from = -INFINITY;
    x->pushed = 0;
}

void srvindex_note(struct unit *u, const struct server *s)
{
    struct server_index *x = u->six;
    if (++x->pushed > 2 * (size_t)u->nservers + 64) {   /* many stale entries: start again */
        build(u);
        return;
    }
    struct sx_entry e = entry(u, (int)(s - u->servers));
    sx_push(&x->ahead[shift_of(u, s)], &e, ahead_before);
}

void srvindex_free(struct unit *u)
{
    if (!u->six)
        return;
    for (int k = 0; k < 2; k++) {
        free(u->six->ahead[k].a);
        free(u->six->free[k].a);
    }
    free(u->six);
    u->six = NULL;
}

static int stale(const struct unit *u, const struct sx_entry *e)
{
    return u->servers[e->i].version != e->version;
}

/* Moves shift k's servers with ready < from to its free heap; drops stale tops. */
static void settle(struct unit *u, int k, double from)
{
    struct server_index *x = u->six;
    struct sx_heap *ahead = &x->ahead[k], *fr = &x->free[k];
    while (ahead->n > 0 && (stale(u, &ahead->a[0]) || ahead->a[0].ready < from)) {
        struct sx_entry e = ahead->a[0];
        sx_pop(ahead, ahead_before);
        if (!stale(u, &e))
            sx_push(fr, &e, free_before);
    }
    while (fr->n > 0 && stale(u, &fr->a[0]))
        sx_pop(fr, free_before);
}

/* 1 if (t, free_at, i) comes before the best so far. */
static int better(double t, const struct sx_entry *e, int best, double best_t,
                  const struct sx_entry *b)
{
    if (best < 0 || t != best_t)
        return best < 0 || t < best_t;
    return free_before(e, b);
}

struct server *srvindex_earliest(struct unit *u, double from, double *start)
{
    if (u->nservers <= 0)
        return NULL;
    if (!u->six) {
        u->six = gs_calloc(1, sizeof *u->six);
        build(u);
    }
    struct server_index *x = u->six;
    if (from < x->from)   /* never seen: `from` grows for a unit; kept exact all the same */
        build(u);
    x->from = from;
    int best = -1;
    double best_t = 0;
    struct sx_entry b = {0};
    for (int k = 0; k < 2; k++) {
        settle(u, k, from);
        if (x->free[k].n > 0) {
            const struct sx_entry *e = &x->free[k].a[0];
            double t = shift_next_on_duty(u->servers[e->i].shift, from);
            if (better(t, e, best, best_t, &b))
                best = e->i, best_t = t, b = *e;
        }
        if (x->ahead[k].n > 0) {
            const struct sx_entry *e = &x->ahead[k].a[0];
            if (better(e->ready, e, best, best_t, &b))
                best = e->i, best_t = e->ready, b = *e;
        }
    }
    *start = best_t;
    return &u->servers[best];
}
