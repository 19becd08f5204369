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
    RNG_CASEWORK = 41,     /* casework.c: entity = request id, step = level, sub = contact (1: push-up,
                              100 + contact: patience after a re-queue) */
    RNG_CALIBRATE = 60,    /* calibrate abc-smc proposals: entity = generation, step = proposal number */
    RNG_TEST = 99
};

extern const gsl_rng_type *rng_philox;

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
