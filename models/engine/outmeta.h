/* outmeta.h: what a reader needs to know of each reported output besides its
 * units: a human name in English and Chinese, which direction is better for
 * residents and the public purse, the smallest difference worth a word, and
 * whether it is one of the headline outputs. One table for the summary fields and
 * one each for the level and category fields (outmeta.c), indexed like the field
 * lists of summary.h. `govsim compare` writes them as attributes of every
 * /comparison/<output> and /decompose/<output> (docs/output.md) and uses them in its
 * printed answer; the Python report reads the attributes, never a copy. */
#ifndef GOVSIM_OUTMETA_H
#define GOVSIM_OUTMETA_H

#include "summary.h"

enum better { BETTER_NEITHER = 0, BETTER_HIGHER = 1, BETTER_LOWER = -1 };

struct out_meta {
    const char *label_en;   /* e.g. "Requests resolved on time" */
    const char *label_zh;   /* e.g. "按时办结率" */
    int better;             /* enum better */
    double negligible;      /* absolute threshold, in the field's units */
    double negligible_rel;  /* ... or this share of the reference's |mean|, whichever is larger */
    int headline;
};

extern const struct out_meta summary_meta[N_SUMMARY];
extern const struct out_meta level_meta[N_LEVEL_FIELDS];
extern const struct out_meta category_meta[N_CATEGORY_FIELDS];
/* Human names of the levels and categories (level_names, category_names in words). */
extern const char *const level_label_en[N_LEVELS], *const level_label_zh[N_LEVELS];
extern const char *const category_label_en[N_CATEGORIES], *const category_label_zh[N_CATEGORIES];

/* "higher", "lower" or "neither" */
const char *out_better_name(int better);
/* The threshold for a reference mean: max(negligible, negligible_rel * |ref|). */
double out_negligible(const struct out_meta *m, double ref);

#endif
