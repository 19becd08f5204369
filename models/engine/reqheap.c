#include "reqheap.h"

#include <stdlib.h>

#include "error.h"

static void grow(struct request **a, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    *a = gs_realloc(*a, c * sizeof **a);
    *cap = c;
}

void reqvec_push(struct reqvec *v, const struct request *r)
{
    grow(&v->a, &v->cap, v->n + 1);
    v->a[v->n++] = *r;
}

void reqvec_free(struct reqvec *v)
{
    free(v->a);
    v->a = NULL;
    v->n = v->cap = v->head = 0;
}

static int before(const struct request *x, const struct request *y)
{
    return x->entered < y->entered || (x->entered == y->entered && x->id < y->id);
}

static void sift_up(struct request *a, size_t i)
{
    struct request x = a[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&x, &a[parent]))
            break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = x;
}

/* Restores heap order below i. A node already in order (the common case when the
 * whole heap is rebuilt) costs two comparisons and no copy. */
static void sift_down(struct request *a, size_t n, size_t i)
{
    size_t c = 2 * i + 1;
    if (c >= n)
        return;
    if (c + 1 < n && before(&a[c + 1], &a[c]))
        c++;
    if (!before(&a[c], &a[i]))
        return;
    struct request x = a[i];
    for (;;) {
        a[i] = a[c];
        i = c;
        c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&a[c + 1], &a[c]))
            c++;
        if (!before(&a[c], &x))
            break;
    }
    a[i] = x;
}

void reqheap_push(struct reqheap *h, const struct request *r)
{
    grow(&h->a, &h->cap, h->n + 1);
    h->a[h->n] = *r;
    sift_up(h->a, h->n++);
}

struct request reqheap_pop(struct reqheap *h)
{
    GS_ASSERT(h->n > 0);
    struct request top = h->a[0];
    h->a[0] = h->a[--h->n];
    if (h->n)
        sift_down(h->a, h->n, 0);
    return top;
}

void reqheap_rebuild(struct reqheap *h)
{
    for (size_t i = h->n / 2; i-- > 0;)
        sift_down(h->a, h->n, i);
}

void reqheap_free(struct reqheap *h)
{
    free(h->a);
    h->a = NULL;
    h->n = h->cap = 0;
}
