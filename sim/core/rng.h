/* rng.h: counter-based random streams owned by entities.
 *
 * A stream is a function of (seed, purpose, entity, step): the Philox4x64-10
 * generator of Random123 with key (seed, purpose) and counter (entity, step,
 * substream, block). It is plugged into GSL as a gsl_rng type so all of GSL's
 * distributions draw from it. A gsl_rng object is only a container: before an
 * entity draws, rng_stream_set points it at that entity's stream, so the numbers
 * an entity gets never depend on which thread or process runs it. */
#ifndef GOVSIM_RNG_H
#define GOVSIM_RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

/* What a stream is for; part of the key so purposes never share numbers. */
enum rng_purpose {
    RNG_INIT = 1,     /* household attributes at start, entity = grid */
    RNG_ARISE = 2,    /* request arrivals, entity = grid, step = request number */
    RNG_INTAKE = 3,   /* reporting and patience, entity = request id */
    RNG_SERVICE = 4,  /* service times, entity = request id, step = level */
    RNG_SWEEP = 5,    /* sweep designs (entity 0) and replicate seeds (entity 1, step = replicate) */
    RNG_UNCERTAINTY = 50, /* compare --uncertainty: entity = draw, step = try, sub = 0 particle,
                             1 + j parameter j */
    RNG_STAFF = 20,   /* staff turnover, entity = unit index, step = month, sub = level */
    /* members.c, microwish.c, cobuild.c (numbered apart to leave room for others) */
    RNG_MEMBERS = 30,      /* entity = request id, step 0: member's service time;
                              entity = household, step 1: covered by a vanguard post */
    RNG_MEMBERS_DAY = 31,  /* members turning out, entity = community, step = day */
    RNG_MICROWISH = 32,    /* hours a card needs, entity = community, step = campaign, sub = card */
    RNG_COBUILD = 33,      /* needs, durations, stalls, entity = community, step = day */
    RNG_COBUILD_SERVICE = 34,  /* units' professionals' service time, entity = request id */
    RNG_TASKS = 40,        /* top-down tasks, entity = unit index, step = task number, sub = level
                              (sub = N_LEVELS + level, step 0: gap to the first task) */
    RNG_CASEWORK = 41,     /* casework.c: entity = request id, step = level, sub = contact (0: push-up,
                              100 + contact: patience after a re-queue) */
    RNG_CALIBRATE = 60,    /* calibrate abc-smc proposals: entity = generation, step = proposal number */
    RNG_TEST = 99
};

extern const gsl_rng_type *rng_philox;

/* The state of a Philox stream (the state of every gsl_rng that rng_new makes). */
struct philox_state {
    uint64_t key[2];
    uint64_t ctr[4];   /* ctr[3] counts blocks within the stream */
    uint64_t out[4];   /* the current block */
    unsigned next;     /* next unused word of out; 4 = block exhausted */
};

/* Computes the next block of s (out of line: the inline paths below stay small). */
void rng_refill(struct philox_state *s);

static inline uint64_t rng_next_word(struct philox_state *s)
{
    if (s->next == 4)
        rng_refill(s);
    return s->out[s->next++];
}

/* gsl_rng_uniform(r) and gsl_ran_exponential(r, mu) for a generator from rng_new,
 * inline: the same numbers (test_rng checks), without GSL's calls through pointers.
 * Uniform doubles in [0, 1) with 53 bits; the exponential is GSL's -mu log1p(-u). */
static inline double rng_word_to_double(uint64_t word)   /* the top 53 bits, in [0, 1) */
{
    return (double)(word >> 11) * 0x1.0p-53;
}

static inline double rng_uniform(gsl_rng *r)
{
    return rng_word_to_double(rng_next_word((struct philox_state *)r->state));
}

static inline double rng_exponential(gsl_rng *r, double mu)
{
    return -mu * log1p(-rng_uniform(r));
}

/* Allocates a container for streams. Free with gsl_rng_free. */
gsl_rng *rng_new(void);

/* Points r at the stream (seed, purpose, entity, step, sub) from its start. */
void rng_stream_set(gsl_rng *r, uint64_t seed, enum rng_purpose purpose, uint64_t entity,
                    uint64_t step, uint64_t sub);

/* The first uniform double in [0, 1) of the stream (seed, purpose, entity, step, sub):
 * the same number as rng_stream_set followed by gsl_rng_uniform, without a container. */
double rng_uniform_at(uint64_t seed, enum rng_purpose purpose, uint64_t entity, uint64_t step,
                      uint64_t sub);

#endif
