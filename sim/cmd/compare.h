/* compare.h: `govsim compare` — several scenarios run with the same seeds, and
 * what each differs from the first by, with 95% intervals (docs/compare.md).
 *
 * compare.c: the command (options, runs, --report); compare_print.c: the printed answer
 * and tables; compare_stats.c: means, intervals, differences, lever effects;
 * compare_io.c: the HDF5 file; compare_draw.c: the parameter draws of --uncertainty;
 * compare_levers.c: the levers of --decompose. */
#ifndef GOVSIM_COMPARE_H
#define GOVSIM_COMPARE_H

#include <stdint.h>

#include "param.h"
#include "summary.h"

/* One scenario and its replicates' results. Arrays are replicate-major. */
struct cmp_scenario {
    struct param_set *ps;
    char label[PARAM_STR_MAX + 16];   /* unique among the scenarios */
    const char *path;                 /* scenario file as given */
    char *text;                       /* its contents */
    int64_t *seed;                    /* [rep] */
    double *summary;                  /* [rep][N_SUMMARY] */
    double *levels;                   /* [rep][N_LEVEL_FIELDS][N_LEVELS] */
    double *cats;                     /* [rep][N_CATEGORY_FIELDS][N_CATEGORIES] */
    double *ttr_hist;                 /* [rep][TTR_BINS] */
    int64_t nrows;                    /* rows of the time series */
    double *day;                      /* [nrows] */
    double *series;                   /* [N_SERIES][rep][nrows]: district totals */
    double wall_seconds;              /* summed over its runs */
    unsigned char *fixed;             /* [param_count]: set by the file or --set (or the lever):
                                         kept under --uncertainty */
};

/* One lever of --decompose: parameters in which B differs from A, applied together. */
struct cmp_lever {
    char name[PARAM_STR_MAX];
    char keys[4096];      /* comma-separated parameter names */
    int nkeys;
    int *key;             /* param_table indices */
};

/* Outputs compared: the summary fields, then each level field at each level, then
 * each category field for each category. */
#define CMP_LEVEL0 N_SUMMARY
#define CMP_CAT0 (CMP_LEVEL0 + N_LEVEL_FIELDS * N_LEVELS)
#define CMP_OUTPUTS (CMP_CAT0 + N_CATEGORY_FIELDS * N_CATEGORIES)

struct cmp_output_info {
    char name[80];          /* e.g. "backlog_end", "utilisation_grid", "arisen_housing" */
    const char *units;
    char description[320];
    int main;               /* one of the outputs policy staff look at first */
    char label_en[160], label_zh[160];
    int better;             /* enum better (outmeta.h) */
    double negligible, negligible_rel;   /* out_negligible */
    int headline;
};

/* Mean with its 95% interval; n counts the finite values used. */
struct cmp_stat {
    double mean, lo, hi, sd;
    int n;
};

struct comparison {
    int nscen, nrep;           /* scenarios given; replicates (= draws with --uncertainty) */
    int nrun;                  /* scenarios run: the nscen, then one "A + lever" per lever */
    int64_t base_seed;
    int independent;           /* each scenario its own seeds; Welch intervals */
    struct cmp_scenario *sc;
    int order[CMP_OUTPUTS];    /* display order: main outputs first */
    struct cmp_stat *stat;     /* [output][scenario] */
    struct cmp_stat *diff;     /* [output][scenario], against scenario 0 */
    struct cmp_journal *journal;   /* finished runs for --resume, or NULL */
    /* --uncertainty: draw d sets parameter par[j] to draw[d * npar + j] in every scenario
     * that does not fix it; seeds as without it (CRN). ndraws 0: not used. */
    int ndraws, npar;
    int *par;                  /* param_table indices */
    double *draw;              /* [ndraws][npar] */
    char source[600];          /* the sample file, or "plausible ranges of the parameter table" */
    double *prob;              /* [output][scenario]: share of runs in which k is better than 0 */
    /* --decompose */
    int nlever;
    struct cmp_lever *lever;
    struct cmp_stat *effect;   /* [output][lever]: (A + lever) - A */
    struct cmp_stat *total;    /* [output]: B - A */
};

void cmp_output_info(int o, struct cmp_output_info *info);
double cmp_value(const struct comparison *c, int k, int r, int o);
/* The output's practical threshold against the reference's mean (outmeta.h). */
double cmp_negligible(const struct comparison *c, int o);
int64_t cmp_seed(const struct comparison *c, int k, int r);
/* Fills c->order, c->stat and c->diff from the replicates. */
void cmp_compute(struct comparison *c);

/* Prints the answer, the headline table and the other outputs (compare_print.c). */
void cmp_print(const struct comparison *c, int all, const char *path);

/* --uncertainty (compare_draw.c): draws ndraws parameter sets from the sample file (NULL:
 * the default sample if present, else the plausible ranges), checked against every
 * scenario run. Fills c->npar, c->par, c->draw, c->source. 0, or -1 with err set. */
int cmp_draw(struct comparison *c, const char *sample, struct gs_error *err);
/* Applies draw d to p where the scenario does not fix the value. */
void cmp_apply_draw(const struct comparison *c, int k, int d, struct params *p);
/* Marks in s->fixed what the scenario file and --set gave. */
void cmp_mark_fixed(struct cmp_scenario *s);

/* --decompose (compare_levers.c): finds the levers in which scenario 1 differs from 0
 * (grouped by the `levers:` of scenario 1's file) and appends a scenario "A + lever" for
 * each to c->sc. 0, or -1 with err set. */
int cmp_find_levers(struct comparison *c, struct gs_error *err);

struct io_provenance;
int cmp_write_hdf5(const char *path, const struct comparison *c, const struct io_provenance *prov,
                   struct gs_error *err);

/* The journal of finished runs behind `--resume` (compare_journal.c): opened (created,
 * or with resume an existing one read back into c, marking done[k * nrep + r]) before
 * the runs; a run appended when it finishes; removed once the file is written. */
struct cmp_journal;
struct cmp_journal *cmp_journal_open(struct comparison *c, const char *out, int resume,
                                     unsigned char *done, long *loaded, int *status,
                                     struct gs_error *err);   /* status: exit status on failure */
int cmp_journal_append(struct cmp_journal *j, struct comparison *c, int k, int r, double wall,
                       struct gs_error *err);
void cmp_journal_close(struct cmp_journal *j, int remove_file);

#endif
