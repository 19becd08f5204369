/* compare_print.c: what `govsim compare` prints. First a plain-language answer (what B
 * changes against A in the headline outputs, in units and per cent, at what cost, how
 * sure), then the headline outputs as a table with a verdict each (better, worse,
 * negligible: by the output's direction and practical threshold, outmeta.h), then the
 * other summary outputs (--all: the per-level and per-category ones too), then with
 * --decompose the effect of each lever. Names and thresholds come from outmeta.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "outmeta.h"

/* How an output is shown: fractions in per cent (differences in points), durations
 * of requests in days, money in M yuan a year when it is a total over the run. */
struct shown {
    double scale;        /* multiply the value by this */
    const char *unit;    /* after a value */
    const char *dunit;   /* after a difference */
    int dp;
};

static int is_duration(const struct cmp_output_info *in)
{
    return !strcmp(in->units, "hours") && (strstr(in->name, "time") || strstr(in->name, "wait"));
}

static struct shown shown_of(const struct comparison *c, const struct cmp_output_info *in, double ref)
{
    struct shown s = {1, in->units, in->units, 2};
    double a = fabs(ref);
    if (!strcmp(in->units, "fraction") || !strcmp(in->units, "fraction of households"))
        return (struct shown){100, "%", " points", 1};
    if (is_duration(in))
        return (struct shown){1.0 / 24, " days", " days", 2};
    if (!strcmp(in->units, "yuan")) {
        double per_year = 365.0 / (double)c->sc[0].ps->p.days;
        return (struct shown){1e-6 * per_year, " M yuan a year", " M yuan a year", 1};
    }
    if (!strncmp(in->units, "score", 5) || !strncmp(in->units, "index", 5))
        return (struct shown){1, "", "", 3};
    s.dp = !isfinite(a) ? 2 : a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 4;
    static char u[2][96];
    snprintf(u[0], sizeof u[0], " %s", in->units);
    s.unit = s.dunit = u[0];
    return s;
}

static const struct cmp_stat *st_of(const struct comparison *c, int o, int k)
{
    return &c->stat[(size_t)o * c->nscen + k];
}

static const struct cmp_stat *df_of(const struct comparison *c, int o, int k)
{
    return &c->diff[(size_t)o * c->nscen + k];
}

/* "better", "worse", "negligible", "changed", or with an interval across zero
 * "better?" / "worse?" */
static const char *verdict(const struct comparison *c, int o, const struct cmp_stat *d, int better)
{
    if (!isfinite(d->mean))
        return "n/a";
    if (fabs(d->mean) < cmp_negligible(c, o))
        return "negligible";
    int sure = d->lo > 0 || d->hi < 0;
    if (!better)
        return sure ? "changed" : "changed?";
    int good = better * d->mean > 0;
    return good ? (sure ? "better" : "better?") : (sure ? "worse" : "worse?");
}

static void pct(char *buf, size_t n, double diff, double ref)
{
    if (isfinite(diff) && isfinite(ref) && fabs(ref) > 0)
        snprintf(buf, n, "%+.0f%%", 100 * diff / fabs(ref));
    else
        snprintf(buf, n, "-");
}

/* ---- the answer ---- */

/* One clause on output o for scenario k against A, e.g. "resolves 9.3 points (+16%) more
 * requests on time (59.6% -> 68.9%)". Returns 0 if nothing could be said. */
static int clause(const struct comparison *c, int o, int k, char *buf, size_t n)
{
    struct cmp_output_info in;
    cmp_output_info(o, &in);
    const struct cmp_stat *a = st_of(c, o, 0), *b = st_of(c, o, k), *d = df_of(c, o, k);
    if (!isfinite(d->mean))
        return 0;
    struct shown s = shown_of(c, &in, a->mean);
    char p[32];
    pct(p, sizeof p, d->mean, a->mean);
    double x = fabs(d->mean) * s.scale;
    int neg = fabs(d->mean) < cmp_negligible(c, o), up = d->mean > 0;
    if (o == S_ON_TIME_RATE)
        return neg ? snprintf(buf, n, "resolves about as many requests on time (%.1f%% -> %.1f%%, a "
                              "negligible %+.1f points)", a->mean * 100, b->mean * 100, d->mean * 100)
                   : snprintf(buf, n, "resolves %.1f points (%s) %s requests on time (%.1f%% -> %.1f%%)",
                              x, p, up ? "more" : "fewer", a->mean * 100, b->mean * 100);
    if (o == S_TTC_MEDIAN)
        return neg ? snprintf(buf, n, "closes them about as fast (median %.2f -> %.2f days)",
                              a->mean / 24, b->mean / 24)
                   : snprintf(buf, n, "closes them %.*f days %s (median %.2f -> %.2f days)", s.dp, x,
                              up ? "slower" : "faster", a->mean / 24, b->mean / 24);
    if (o == S_SPEND_TOTAL)
        return neg ? snprintf(buf, n, "at about the same cost (%.1f M yuan a year)", a->mean * s.scale)
                   : snprintf(buf, n, "at %.1f M yuan a year %s (%s)", x, up ? "more" : "less", p);
    if (neg)
        return snprintf(buf, n, "%s hardly changes", in.label_en);
    return snprintf(buf, n, "%s %s by %.*f%s (%s)", in.label_en, up ? "rises" : "falls", s.dp, x,
                    s.dunit, p);
}

static void print_answer(const struct comparison *c)
{
    const char *how = c->ndraws ? "plausible worlds (draws of the assumed parameters and seeds)"
                                : "seeds (the assumed parameters are not varied: --uncertainty N)";
    printf("\n== Answer ==\n");
    if (c->nscen == 1) {
        int o = S_ON_TIME_RATE, t = S_TTC_MEDIAN;
        const struct cmp_stat *a = st_of(c, o, 0), *b = st_of(c, t, 0);
        printf("%s resolves %.1f%% of requests on time (95%% of %s: %.1f%% to %.1f%%) and closes "
               "them in a median %.2f days (%.2f to %.2f).\n", c->sc[0].label, a->mean * 100, how,
               a->lo * 100, a->hi * 100, b->mean / 24, b->lo / 24, b->hi / 24);
    }
    for (int k = 1; k < c->nscen; k++) {
        char on[256] = "", ttc[256] = "", cost[256] = "";
        clause(c, S_ON_TIME_RATE, k, on, sizeof on);
        clause(c, S_TTC_MEDIAN, k, ttc, sizeof ttc);
        clause(c, S_SPEND_TOTAL, k, cost, sizeof cost);
        printf("%s %s than %s, %s, %s", c->sc[k].label, on, c->sc[0].label, ttc, cost);
        double p = c->prob[(size_t)S_ON_TIME_RATE * c->nscen + k];
        if (isfinite(p))
            printf("; in %.0f%% of %d %s it resolves more on time.\n", 100 * p, c->nrep, how);
        else
            printf(".\n");
    }
    if (!c->ndraws)
        printf("The intervals below cover the luck of the draw only, not the assumed parameters.\n");
    else
        printf("The intervals below cover the assumed parameters and the seeds (%d draws from the %s%s).\n",
               c->ndraws, strncmp(c->source, "plausible ranges", 16) ? "sample " : "", c->source);
}

/* ---- the tables ---- */

static void print_headline(const struct comparison *c)
{
    printf("\n== Headline outputs ==\n");
    if (c->nscen == 1)
        printf("%s\n", c->ndraws ? "Mean over the draws [2.5th-97.5th percentile]"
                                  : "Mean over replicates [95% interval]");
    else
        printf("%s; then the difference from '%s' with %s, per cent change,%s verdict\n",
           c->ndraws ? "Mean over the draws [2.5th-97.5th percentile]" : "Mean over replicates [95% interval]",
           c->sc[0].label, c->ndraws ? "the same" : "its 95% interval",
           c->ndraws ? " share of draws better," : " share of seeds better,");
    static const int order[] = {S_ON_TIME_RATE, S_TTC_MEDIAN, S_TTC_WITHIN_7D, S_SHARE_GRID,
                                S_SAT_MEAN, S_TRUST_MEAN, S_COST_PER_RESOLVED, S_SPEND_TOTAL};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int o = order[i];
        struct cmp_output_info in;
        cmp_output_info(o, &in);
        const struct cmp_stat *a = st_of(c, o, 0);
        struct shown s = shown_of(c, &in, a->mean);
        printf("\n%s (%s)%s\n", in.label_en, in.label_zh,
               in.better ? (in.better > 0 ? "  - higher is better" : "  - lower is better") : "");
        for (int k = 0; k < c->nscen; k++) {
            const struct cmp_stat *st = st_of(c, o, k), *df = df_of(c, o, k);
            printf("  %-24.24s %10.*f%s [%.*f, %.*f]", c->sc[k].label, s.dp, st->mean * s.scale, s.unit,
                   s.dp, st->lo * s.scale, s.dp, st->hi * s.scale);
            if (k > 0) {
                char p[32];
                pct(p, sizeof p, df->mean, a->mean);
                double pb = c->prob[(size_t)o * c->nscen + k];
                printf("  %+.*f [%+.*f, %+.*f] %s", s.dp, df->mean * s.scale, s.dp, df->lo * s.scale,
                       s.dp, df->hi * s.scale, p);
                if (isfinite(pb))
                    printf("  %3.0f%%", 100 * pb);
                printf("  %s", verdict(c, o, df, in.better));
            }
            printf("\n");
        }
    }
}

static void print_output(const struct comparison *c, int o)
{
    struct cmp_output_info info;
    cmp_output_info(o, &info);
    const struct cmp_stat *st = &c->stat[(size_t)o * c->nscen], *df = &c->diff[(size_t)o * c->nscen];
    struct shown s = shown_of(c, &info, st[0].mean);
    printf("\n%s [%s]\n", info.label_en, info.name);
    for (int k = 0; k < c->nscen; k++) {
        printf("  %-24.24s %12.*f%s [%.*f, %.*f]", c->sc[k].label, s.dp, st[k].mean * s.scale, s.unit,
               s.dp, st[k].lo * s.scale, s.dp, st[k].hi * s.scale);
        if (k > 0) {
            char p[32];
            pct(p, sizeof p, df[k].mean, st[0].mean);
            printf("   %+.*f [%+.*f, %+.*f] %s  %s", s.dp, df[k].mean * s.scale, s.dp,
                   df[k].lo * s.scale, s.dp, df[k].hi * s.scale, p, verdict(c, o, &df[k], info.better));
        }
        if (st[k].n < c->nrep)
            printf("   (%d of %d runs defined)", st[k].n, c->nrep);
        printf("\n");
    }
}

/* The levers' effects on the headline outputs: a row a lever. */
static void print_levers(const struct comparison *c)
{
    static const int cols[] = {S_ON_TIME_RATE, S_TTC_MEDIAN, S_SAT_MEAN, S_TRUST_MEAN, S_SPEND_TOTAL};
    const int nc = (int)(sizeof cols / sizeof cols[0]);
    printf("\n== Effect of each lever ==\n");
    printf("Each lever alone on top of '%s' (same seeds%s); mean difference from '%s'.\n",
           c->sc[0].label, c->ndraws ? " and draws" : "", c->sc[0].label);
    printf("%-34s", "");
    static const char *const head[] = {"on time (pt)", "close (days)", "satisfaction", "trust",
                                       "M yuan/year"};
    for (int j = 0; j < nc; j++)
        printf(" %14s", head[j]);
    printf("\n");
    for (int l = 0; l <= c->nlever + 1; l++) {
        char name[64];
        snprintf(name, sizeof name, "%.33s", l < c->nlever ? c->lever[l].name
                 : l == c->nlever ? "interaction (together - sum)" : "all together (B)");
        printf("%-34s", name);
        for (int j = 0; j < nc; j++) {
            int o = cols[j];
            struct cmp_output_info in;
            cmp_output_info(o, &in);
            struct shown s = shown_of(c, &in, st_of(c, o, 0)->mean);
            double v, sum = 0;
            for (int m = 0; m < c->nlever; m++)
                sum += c->effect[(size_t)o * c->nlever + m].mean;
            v = l < c->nlever ? c->effect[(size_t)o * c->nlever + l].mean
                : l == c->nlever ? c->total[o].mean - sum : c->total[o].mean;
            int dp = s.dp < 3 ? s.dp + 1 : s.dp;
            const char *mark = fabs(v) < cmp_negligible(c, o) ? "~" : " ";
            printf(" %13.*f%s", dp, v * s.scale, mark);
        }
        printf("\n");
    }
    printf("(~ = below the output's practical threshold: negligible)\n");
    for (int l = 0; l < c->nlever; l++)
        if (strcmp(c->lever[l].name, c->lever[l].keys))
            printf("  %s: %.160s%s\n", c->lever[l].name, c->lever[l].keys,
                   strlen(c->lever[l].keys) > 160 ? "..." : "");
}

void cmp_print(const struct comparison *c, int all, const char *path)
{
    printf("govsim compare: %d scenario%s x %d %s%s\n", c->nscen, c->nscen > 1 ? "s" : "", c->nrep,
           c->ndraws ? "draws (assumed parameters and seed)" : "replicates",
           c->nscen == 1 ? ""
           : c->independent ? ", independent seeds per scenario (Welch intervals)"
           : c->ndraws ? ", the same draws for every scenario (paired differences)"
                       : ", the same seeds for every scenario (paired differences)");
    print_answer(c);
    print_headline(c);
    printf("\n== Other outputs ==\n");
    for (int i = 0; i < CMP_OUTPUTS; i++) {
        struct cmp_output_info info;
        cmp_output_info(c->order[i], &info);
        if (!info.headline && (c->order[i] < N_SUMMARY || all))
            print_output(c, c->order[i]);
    }
    if (!all)
        printf("\n(per-level and per-category outputs: --all, or in the file)\n");
    if (c->nlever)
        print_levers(c);
    printf("wrote %s\n", path);
}
