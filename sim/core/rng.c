/* rng.c: Philox4x64-10 as a GSL generator, with directly settable streams. */
#include "rng.h"

#include <Random123/philox.h>

#include "error.h"

struct philox_state {
    philox4x64_key_t key;
    philox4x64_ctr_t ctr;   /* ctr.v[3] counts blocks within the stream */
    philox4x64_ctr_t out;
    unsigned next;          /* next unused word of out; 4 = block exhausted */
};

static uint64_t next_word(struct philox_state *s)
{
    if (s->next == 4) {
        s->out = philox4x64(s->ctr, s->key);
        s->ctr.v[3]++;
        s->next = 0;
    }
    return s->out.v[s->next++];
}

/* GSL's integer interface: 32 bits from the top of a 64-bit word. */
static unsigned long philox_get(void *vstate)
{
    return (unsigned long)(next_word(vstate) >> 32);
}

/* Doubles in [0, 1) with the full 53 bits of precision. */
static double philox_get_double(void *vstate)
{
    return (double)(next_word(vstate) >> 11) * 0x1.0p-53;
}

static void philox_set_state(struct philox_state *s, uint64_t k0, uint64_t k1, uint64_t c0,
                             uint64_t c1, uint64_t c2)
{
    /* (out is not cleared: next = 4 computes it before any word is read) */
    s->key.v[0] = k0;
    s->key.v[1] = k1;
    s->ctr.v[0] = c0;
    s->ctr.v[1] = c1;
    s->ctr.v[2] = c2;
    s->ctr.v[3] = 0;
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
