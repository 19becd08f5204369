/* rng.c: Philox4x64-10 as a GSL generator, with directly settable streams. */
#include "rng.h"

#include <Random123/philox.h>

#include "error.h"

/* struct philox_state is in rng.h (rng_uniform reads it inline); it mirrors Random123's
 * types, checked here. */
_Static_assert(sizeof(philox4x64_key_t) == 2 * sizeof(uint64_t), "key layout");
_Static_assert(sizeof(philox4x64_ctr_t) == 4 * sizeof(uint64_t), "counter layout");

void rng_refill(struct philox_state *s)
{
    philox4x64_ctr_t c = {{s->ctr[0], s->ctr[1], s->ctr[2], s->ctr[3]}};
    philox4x64_key_t k = {{s->key[0], s->key[1]}};
    philox4x64_ctr_t o = philox4x64(c, k);
    for (int i = 0; i < 4; i++)
        s->out[i] = o.v[i];
    s->ctr[3]++;
    s->next = 0;
}

static uint64_t next_word(struct philox_state *s)
{
    return rng_next_word(s);
}

/* GSL's integer interface: 32 bits from the top of a 64-bit word. */
static unsigned long philox_get(void *vstate)
{
    return (unsigned long)(next_word(vstate) >> 32);
}

/* Doubles in [0, 1) with the full 53 bits of precision. */
static double philox_get_double(void *vstate)
{
    return rng_word_to_double(next_word(vstate));
}

static void philox_set_state(struct philox_state *s, uint64_t k0, uint64_t k1, uint64_t c0,
                             uint64_t c1, uint64_t c2)
{
    /* (out is not cleared: next = 4 computes it before any word is read) */
    s->key[0] = k0;
    s->key[1] = k1;
    s->ctr[0] = c0;
    s->ctr[1] = c1;
    s->ctr[2] = c2;
    s->ctr[3] = 0;
    s->next = 4;
}

/* gsl_rng_set(r, seed): the stream (seed, 0, 0, 0, 0), for GSL compatibility. */
static void philox_set(void *vstate, unsigned long seed)
{
    philox_set_state(vstate, seed, 0, 0, 0, 0);
}

static const gsl_rng_type philox_type = {
    "philox4x64-10", 0xffffffffUL, 0, sizeof(struct philox_state),
    philox_set, philox_get, philox_get_double};

const gsl_rng_type *rng_philox = &philox_type;

gsl_rng *rng_new(void)
{
    gsl_rng *r = gsl_rng_alloc(rng_philox);
    if (!r) {
        gs_assert_fail("gsl_rng_alloc", __FILE__, __LINE__);
    }
    return r;
}

void rng_stream_set(gsl_rng *r, uint64_t seed, enum rng_purpose purpose, uint64_t entity,
                    uint64_t step, uint64_t sub)
{
    philox_set_state(r->state, seed, (uint64_t)purpose, entity, step, sub);
}

double rng_uniform_at(uint64_t seed, enum rng_purpose purpose, uint64_t entity, uint64_t step,
                      uint64_t sub)
{
    struct philox_state s;
    philox_set_state(&s, seed, (uint64_t)purpose, entity, step, sub);
    return philox_get_double(&s);
}
