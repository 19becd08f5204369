/* param.c: parsing, checking and printing of the parameter table. */
#include "param.h"

#include "ctable.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const category_names[N_CATEGORIES] = {
    "utilities", "housing", "environment", "safety", "disputes",
    "elderly_care", "children", "employment", "admin_services"};
const char *const level_names[N_LEVELS] = {"grid", "community", "street", "district"};
const char *const hh_type_names[N_HH_TYPES] = {"urban", "resettled", "migrant"};
const char *const param_source_names[] = {"default", "file", "--set"};

static void *field(struct params *p, const struct param_def *d)
{
    return (char *)p + d->offset;
}

static const void *cfield(const struct params *p, const struct param_def *d)
{
    return (const char *)p + d->offset;
}

static void set_default(struct params *p, const struct param_def *d)
{
    switch (d->type) {
    case PT_INT: *(int64_t *)field(p, d) = (int64_t)d->def; break;
    case PT_DOUBLE: *(double *)field(p, d) = d->def; break;
    case PT_BOOL: *(int *)field(p, d) = d->def != 0; break;
    case PT_STRING: snprintf(field(p, d), d->size, "%s", d->sdef); break;
    }
}

struct param_set *param_set_new(void)
{
    struct param_set *ps = gs_calloc(1, sizeof *ps);
    ps->source = gs_calloc(param_count, sizeof *ps->source);
    for (size_t i = 0; i < param_count; i++)
        set_default(&ps->p, &param_table[i]);
    ps->p.level_service_factor[LEVEL_GRID] = 1.0;
    return ps;
}

void param_set_free(struct param_set *ps)
{
    if (!ps)
        return;
    free(ps->source);
    free(ps);
}

const struct param_def *param_find(const char *name)
{
    for (size_t i = 0; i < param_count; i++)
        if (strcmp(param_table[i].name, name) == 0)
            return &param_table[i];
    return NULL;
}

int param_plausible(const struct param_def *d, double *lo, double *hi)
{
    if (!d || d->origin != PO_ASSUMED || d->type == PT_STRING || d->type == PT_BOOL ||
        !(d->plo <= d->phi))
        return 0;
    if (lo)
        *lo = d->plo;
    if (hi)
        *hi = d->phi;
    return 1;
}

const char *param_origin_problem(const struct param_def *d)
{
    switch (d->origin) {
    case PO_STRUCTURAL:
        return NULL;
    case PO_REPORT:
        return d->basis && *d->basis ? NULL : "a report value without its source";
    case PO_ASSUMED:
        if (d->type == PT_STRING || d->type == PT_BOOL)
            return "an assumed switch or text (only numbers have plausible ranges)";
        if (!(d->plo < d->phi))
            return "assumed without a plausible range (lo < hi)";
        if (d->plo < d->min || d->phi > d->max)
            return "plausible range outside the allowed range [min, max]";
        if (d->def < d->plo || d->def > d->phi)
            return "built-in default outside its plausible range";
        if (!d->basis || !*d->basis)
            return "assumed without a basis";
        return NULL;
    default:
        return "not classified as structural, report or assumed";
    }
}

const char *param_origin_name(enum param_origin o)
{
    switch (o) {
    case PO_STRUCTURAL: return "structural";
    case PO_REPORT: return "report";
    case PO_ASSUMED: return "assumed";
    default: return "unset";
    }
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = gs_malloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

static const char *last_component(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

const char *param_suggest(const char *name)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < param_count; i++) {
        const char *cand = param_table[i].name;
        size_t d = edit_distance(name, cand);
        /* "households" alone, or under the wrong section, still finds grid.households */
        if (strcmp(last_component(name), last_component(cand)) == 0 && d > 1)
            d = d / 2 > 1 ? d / 2 : 1;
        if (d < best_d) {
            best_d = d;
            best = cand;
        }
    }
    size_t limit = strlen(name) / 3;
    if (limit < 3)
        limit = 3;
    return best_d <= limit ? best : NULL;
}

static int parse_bool(const char *s, int *out)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) { *out = 1; return 0; }
        if (strcasecmp(s, no[i]) == 0) { *out = 0; return 0; }
    }
    return -1;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    /* ERANGE on overflow only: an underflow (1e-310) gives a subnormal or 0, a finite number */
    return (end == s || *end != '\0' || (errno == ERANGE && fabs(*out) == HUGE_VAL)) ? -1 : 0;
}

static void format_number(double v, enum param_type t, char *buf, size_t n)
{
    if (t == PT_INT)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.10g", v);
}

static int parse_number(const struct param_def *d, const char *text, double *v,
                        const char *where, struct gs_error *err)
{
    if (d->type == PT_BOOL) {
        int b;
        if (parse_bool(text, &b) != 0)
            return gs_error_set(err, "%s: key '%s': expected true or false, got '%s'",
                                where, d->name, text);
        *v = b;
        return 0;
    }
    const char *what = d->type == PT_INT ? "a whole number" : "a number";
    if (parse_double(text, v) != 0)
        return gs_error_set(err, "%s: key '%s': expected %s, got '%s'", where, d->name, what, text);
    if (!isfinite(*v))
        return gs_error_set(err, "%s: key '%s': expected a finite number, got '%s'",
                            where, d->name, text);
    if (d->type == PT_INT && *v != floor(*v))
        return gs_error_set(err, "%s: key '%s': expected a whole number, got '%s'",
                            where, d->name, text);
    if (*v < d->min || *v > d->max) {
        char lo[40], hi[40];
        format_number(d->min, d->type, lo, sizeof lo);
        format_number(d->max, d->type, hi, sizeof hi);
        return gs_error_set(err, "%s: key '%s': value %s is out of range [%s, %s] (%s)",
                            where, d->name, text, lo, hi, d->unit);
    }
    if (d->type == PT_INT) {   /* a whole number written out must be held exactly (2^53) */
        char *end;
        errno = 0;
        long long exact = strtoll(text, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (end != text && *end == '\0' && (errno == ERANGE || (double)exact != *v ||
                                             (long long)*v != exact))
            return gs_error_set(err, "%s: key '%s': %s cannot be held exactly (whole numbers "
                                "up to 2^53 = 9007199254740992 can)", where, d->name, text);
    }
    return 0;
}

int param_set_value(struct param_set *ps, const char *name, const char *text,
                    const char *where, enum param_source src, struct gs_error *err)
{
    const struct param_def *d = param_find(name);
    if (!d) {
        const char *hint = param_suggest(name);
        if (hint)
            return gs_error_set(err, "%s: unknown key '%s' (did you mean '%s'?)", where, name, hint);
        return gs_error_set(err, "%s: unknown key '%s' (run 'govsim params' for the list)",
                            where, name);
    }
    if (d->type == PT_STRING) {
        if (strlen(text) >= d->size)
            return gs_error_set(err, "%s: key '%s': text longer than %zu characters",
                                where, name, d->size - 1);
        snprintf(field(&ps->p, d), d->size, "%s", text);
    } else {
        double v = 0;
        if (parse_number(d, text, &v, where, err) != 0)
            return -1;
        if (d->type == PT_INT)
            *(int64_t *)field(&ps->p, d) = (int64_t)v;
        else if (d->type == PT_BOOL)
            *(int *)field(&ps->p, d) = v != 0;
        else
            *(double *)field(&ps->p, d) = v;
    }
    ps->source[d - param_table] = src;
    param_derive(&ps->p);
    return 0;
}

int param_apply_assignment(struct param_set *ps, const char *assignment, struct gs_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return gs_error_set(err, "--set '%s': expected KEY=VALUE, e.g. --set grid.households=350",
                            assignment);
    char key[256];
    size_t n = (size_t)(eq - assignment);
    if (n >= sizeof key)
        return gs_error_set(err, "--set: key too long");
    memcpy(key, assignment, n);
    key[n] = '\0';
    return param_set_value(ps, key, eq + 1, "--set", SRC_SET, err) == 0 ? 0 : -1;
}

double param_get_number(const struct params *p, const struct param_def *d)
{
    switch (d->type) {
    case PT_INT: return (double)*(const int64_t *)cfield(p, d);
    case PT_DOUBLE: return *(const double *)cfield(p, d);
    case PT_BOOL: return *(const int *)cfield(p, d);
    case PT_STRING: break;
    }
    return NAN;
}

void param_set_number(struct params *p, const struct param_def *d, double v)
{
    switch (d->type) {
    case PT_INT: *(int64_t *)field(p, d) = (int64_t)v; break;
    case PT_DOUBLE: *(double *)field(p, d) = v; break;
    case PT_BOOL: *(int *)field(p, d) = v != 0; break;
    case PT_STRING: GS_ASSERT(!"numeric value for a string parameter"); break;
    }
    param_derive(p);
}

void param_format(const struct params *p, const struct param_def *d, char *buf, size_t n)
{
    if (d->type == PT_STRING)
        snprintf(buf, n, "%s", (const char *)cfield(p, d));
    else if (d->type == PT_BOOL)
        snprintf(buf, n, "%s", *(const int *)cfield(p, d) ? "true" : "false");
    else
        format_number(param_get_number(p, d), d->type, buf, n);
}

/* Value of d in p, exactly (doubles to 17 digits). */
static void format_exact(const struct params *p, const struct param_def *d, char *buf, size_t n)
{
    if (d->type == PT_DOUBLE)
        snprintf(buf, n, "%.17g", param_get_number(p, d));
    else
        param_format(p, d, buf, n);
}

const struct param_def *param_first_difference(const struct params *a, const struct params *b)
{
    for (size_t i = 0; i < param_count; i++) {
        char va[PARAM_STR_MAX * 4], vb[PARAM_STR_MAX * 4];
        format_exact(a, &param_table[i], va, sizeof va);
        format_exact(b, &param_table[i], vb, sizeof vb);
        if (strcmp(va, vb) != 0)
            return &param_table[i];
    }
    return NULL;
}

/* ---- relations between parameters ---- */

static const char *origin(const struct param_set *ps, const char *key)
{
    const struct param_def *d = param_find(key);
    enum param_source s = d ? ps->source[d - param_table] : SRC_DEFAULT;
    if (s == SRC_FILE)
        return ps->file[0] ? ps->file : "the file";
    return s == SRC_SET ? "--set" : "defaults";
}

/* A relation between two keys: both are named with where their values came from. */
#define CHECK2(cond, key, other, ...)                                                \
    do {                                                                             \
        if (!(cond)) {                                                               \
            char m_[600];                                                            \
            snprintf(m_, sizeof m_, __VA_ARGS__);                                    \
            return gs_error_set(err, "%s: key '%s': %s ('%s' from %s)", origin(ps, key), \
                                key, m_, other, origin(ps, other));                  \
        }                                                                            \
    } while (0)

#define CHECK(cond, key, ...)                                                        \
    do {                                                                             \
        if (!(cond)) {                                                               \
            char m_[600];                                                            \
            snprintf(m_, sizeof m_, __VA_ARGS__);                                    \
            return gs_error_set(err, "%s: key '%s': %s", origin(ps, key), key, m_);  \
        }                                                                            \
    } while (0)

static int check_categories(const struct param_set *ps, struct gs_error *err)
{
    const struct params *p = &ps->p;
    double wsum = 0;
    char key[96];
    for (int c = 0; c < N_CATEGORIES; c++) {
        wsum += p->cat[c].weight;
        double up = p->cat[c].p_level[1] + p->cat[c].p_level[2] + p->cat[c].p_level[3];
        /* name the probability the user set, so the message points at their line */
        static const char *const which[] = {"p_community", "p_street", "p_district"};
        for (int k = 0; k < 3; k++) {
            snprintf(key, sizeof key, "category.%s.%s", category_names[c], which[k]);
            if (ps->source[param_find(key) - param_table] != SRC_DEFAULT)
                break;
        }
        CHECK(up <= 1 + 1e-12, key,
              "p_community + p_street + p_district of '%s' is %g, more than 1",
              category_names[c], up);
    }
    CHECK(wsum > 0, "category.utilities.weight", "all category weights are zero");
    return 0;
}

static int check_shifts(const struct param_set *ps, struct gs_error *err)
{
    const struct params *p = &ps->p;
    char key[96];
    for (int l = 0; l < N_LEVELS; l++) {
        /* name the one the user set, so the message points at their line */
        snprintf(key, sizeof key, "%s.shift_start_hour", level_names[l]);
        if (ps->source[param_find(key) - param_table] == SRC_DEFAULT)
            snprintf(key, sizeof key, "%s.shift_hours", level_names[l]);
        CHECK(p->shift[l].start_hour + p->shift[l].hours <= 24 + 1e-12, key,
              "shift_start_hour + shift_hours is %g, past midnight (use start 0 and 24 hours "
              "for round-the-clock duty)", p->shift[l].start_hour + p->shift[l].hours);
        snprintf(key, sizeof key, "%s.stagger_hours", level_names[l]);
        CHECK(p->shift[l].stagger_hours == 0 ||
                  p->shift[l].start_hour + p->shift[l].stagger_hours + p->shift[l].hours <= 24 + 1e-12,
              key, "the staggered shift (start %g + stagger %g + %g hours) runs past midnight",
              p->shift[l].start_hour, p->shift[l].stagger_hours, p->shift[l].hours);
    }
    CHECK(p->patrol_hours <= p->shift[LEVEL_GRID].hours, "grid.patrol_hours",
          "patrol hours (%g) exceed the grid shift (%g hours)", p->patrol_hours,
          p->shift[LEVEL_GRID].hours);
    return 0;
}

void param_derive(struct params *p)
{
    if (p->households_total <= 0 || p->households_per_grid <= 0)
        return;
    int64_t g = llround((double)p->households_total / (double)p->households_per_grid);
    p->grids = g > p->communities ? g : p->communities;
}

/* World-building inputs: world.households_total, world.community_table (read and checked). */
static int check_world(const struct param_set *ps, struct gs_error *err)
{
    const struct params *p = &ps->p;
    if (p->households_total > 0) {
        CHECK(ps->source[param_find("world.grids") - param_table] == SRC_DEFAULT,
              "world.households_total", "world.grids is set too; give one of them (with "
              "world.households_total, world.grids is derived from grid.households)");
        CHECK(p->households_total >= p->grids, "world.households_total",
              "%lld households cannot fill %lld grids", (long long)p->households_total,
              (long long)p->grids);
        CHECK(!p->community_table[0], "world.households_total",
              "a community table (world.community_table) gives the households itself; "
              "do not set world.households_total with it");
    }
    if (p->grid_households_cv > 0)
        CHECK(p->households_total == 0 && !p->community_table[0], "world.grid_households_cv",
              "varied grid sizes cannot be combined with %s (which fixes the households)",
              p->households_total ? "world.households_total" : "world.community_table");
    if (p->community_table[0]) {
        struct community_table t;
        if (ctable_load(p, &t, err) != 0)
            return -1;
        ctable_free(&t);
    }
    return 0;
}

int param_check(const struct param_set *ps, struct gs_error *err)
{
    const struct params *p = &ps->p;
    double per_day = 24.0 / p->step_hours;
    CHECK(fabs(per_day - nearbyint(per_day)) < 1e-9, "time.step_hours",
          "%g hours does not divide a day into whole steps", p->step_hours);
    CHECK(strchr(p->scenario_name, '/') == NULL && strcmp(p->scenario_name, "..") != 0 &&
              strcmp(p->scenario_name, ".") != 0,
          "scenario.name", "'%s' is not a plain name: it becomes the default output file "
          "NAME-sSEED.h5 in the working directory, so it may not contain '/'", p->scenario_name);
    CHECK2(p->output_interval_days <= p->days, "output.interval_days", "time.days",
           "interval (%lld days) is longer than the run (%lld days)",
           (long long)p->output_interval_days, (long long)p->days);
    CHECK2(p->warmup_days < p->days, "output.warmup_days", "time.days",
           "warm-up (%lld days) leaves nothing of the run (%lld days)",
           (long long)p->warmup_days, (long long)p->days);
    CHECK2(p->communities >= p->streets, "world.communities", "world.streets",
           "%lld communities cannot fill %lld streets", (long long)p->communities,
           (long long)p->streets);
    CHECK2(p->grids >= p->communities, "world.grids", "world.communities",
           "%lld grids cannot fill %lld communities",
           (long long)p->grids, (long long)p->communities);
    CHECK(p->share_resettled + p->share_migrant <= 1 + 1e-12, "household.share_migrant",
          "share_resettled + share_migrant is %g, more than 1",
          p->share_resettled + p->share_migrant);
    if (check_categories(ps, err) != 0 || check_shifts(ps, err) != 0 || check_world(ps, err) != 0)
        return -1;
    return 0;
}

/* ---- printing ---- */

static void range_text(const struct param_def *d, char *buf, size_t n)
{
    if (d->type == PT_STRING || d->type == PT_BOOL) {
        snprintf(buf, n, "%s", d->type == PT_BOOL ? "true/false" : "text");
        return;
    }
    char lo[32], hi[32];
    format_number(d->min, d->type, lo, sizeof lo);
    format_number(d->max, d->type, hi, sizeof hi);
    snprintf(buf, n, "[%.24s, %.24s]", lo, hi);
}

static const char *type_name(enum param_type t)
{
    static const char *names[] = {"int", "real", "bool", "string"};
    return names[t];
}

/* "assumed [lo, hi]", "report", "structural" into buf. */
static void origin_text(const struct param_def *d, char *buf, size_t n)
{
    double lo, hi;
    if (param_plausible(d, &lo, &hi)) {
        char a[32], b[32];
        format_number(lo, d->type, a, sizeof a);
        format_number(hi, d->type, b, sizeof b);
        snprintf(buf, n, "%.24s-%.24s", a, b);
    } else {
        snprintf(buf, n, "%s", param_origin_name(d->origin));
    }
}

void param_print_table(FILE *f, const struct params *p, const unsigned char *keep)
{
    fprintf(f, "%-40s %-6s %-14s %-24s %-18s %s\n", "NAME", "TYPE", "VALUE", "RANGE", "PLAUSIBLE",
            "UNIT");
    for (size_t i = 0; i < param_count; i++) {
        const struct param_def *d = &param_table[i];
        if (keep && !keep[i])
            continue;
        char val[PARAM_STR_MAX * 4], range[64], plaus[64];
        param_format(p, d, val, sizeof val);
        range_text(d, range, sizeof range);
        origin_text(d, plaus, sizeof plaus);
        fprintf(f, "%-40s %-6s %-14s %-24s %-18s %s\n      %s\n", d->name, type_name(d->type), val,
                range, plaus, d->unit, d->meaning);
        if (d->basis && d->origin != PO_STRUCTURAL)
            fprintf(f, "      %s: %s\n", d->origin == PO_REPORT ? "source" : "basis", d->basis);
    }
}

/* Writes text with '|' and newlines made safe for a Markdown table cell. */
static void md_cell(FILE *f, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '|')
            fputs("\\|", f);
        else
            fputc(*t == '\n' ? ' ' : *t, f);
    }
}

void param_print_ranges(FILE *f, const struct params *p, const unsigned char *keep)
{
    fprintf(f, "name\ttype\torigin\tvalue\tmin\tmax\tplausible_lo\tplausible_hi\tbasis\n");
    for (size_t i = 0; i < param_count; i++) {
        const struct param_def *d = &param_table[i];
        if (keep && !keep[i])
            continue;
        char val[PARAM_STR_MAX * 4], lo[32] = "", hi[32] = "", mn[32] = "", mx[32] = "";
        if (d->type == PT_DOUBLE)
            snprintf(val, sizeof val, "%.17g", param_get_number(p, d));
        else
            param_format(p, d, val, sizeof val);
        for (char *c = val; *c; c++)
            if (*c == '\t' || *c == '\n')
                *c = ' ';
        if (d->type != PT_STRING) {
            snprintf(mn, sizeof mn, "%.17g", d->min);
            snprintf(mx, sizeof mx, "%.17g", d->max);
        }
        double a, b;
        if (param_plausible(d, &a, &b)) {
            snprintf(lo, sizeof lo, "%.17g", a);
            snprintf(hi, sizeof hi, "%.17g", b);
        }
        fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d->name, type_name(d->type),
                param_origin_name(d->origin), val, mn, mx, lo, hi, d->basis ? d->basis : "");
    }
}

void param_print_markdown(FILE *f)
{
    struct param_set *ps = param_set_new();
    size_t count[4] = {0};
    for (size_t i = 0; i < param_count; i++)
        count[param_table[i].origin < 4 ? param_table[i].origin : 0]++;
    fprintf(f, "# Parameters\n\n"
               "Generated by `govsim params --markdown` from the parameter table in "
               "`models/engine/param_table.c`; do not edit by hand (a test fails when this file is stale).\n\n"
               "A scenario file (YAML) overrides these defaults, either nested "
               "(`grid: {households: 350}`) or with dotted keys (`grid.households: 350`); "
               "`govsim run --set KEY=VALUE` overrides both. The defaults describe the Yuzhou "
               "case as far as the core model goes; see docs/ODD.md for the reasoning behind "
               "each assumed value.\n\n"
               "The column *plausible* says where a default comes from: a range lo-hi for an "
               "**assumed** value (its plausible range, with the reasoning or source in *basis*), "
               "`report` for a case report's figure (the source, case/key of the case-figures "
               "table, in *basis*; a scenario file may set another case's figure), `structural` "
               "for structure, switches, run control and scenario levers. Of %zu parameters, %zu "
               "are assumed, %zu from a report and %zu structural. `govsim params --ranges` "
               "prints the same as a tab-separated table; docs/uncertainty.md shows which "
               "assumed values matter.\n",
            param_count, count[PO_ASSUMED], count[PO_REPORT], count[PO_STRUCTURAL]);
    char section[64] = "";
    for (size_t i = 0; i < param_count; i++) {
        const struct param_def *d = &param_table[i];
        size_t n = strcspn(d->name, ".");
        if (strncmp(section, d->name, n) != 0 || section[n] != '\0') {
            snprintf(section, sizeof section, "%.*s", (int)n, d->name);
            fprintf(f, "\n## %s\n\n| name | type | default | unit | range | meaning | plausible | basis |\n"
                       "|---|---|---|---|---|---|---|---|\n", section);
        }
        char val[PARAM_STR_MAX * 4], range[64], plaus[64];
        param_format(&ps->p, d, val, sizeof val);
        range_text(d, range, sizeof range);
        origin_text(d, plaus, sizeof plaus);
        fprintf(f, "| `%s` | %s | %s | %s | %s | %s | %s | ", d->name, type_name(d->type), val,
                d->unit, range, d->meaning, plaus);
        md_cell(f, d->basis);
        fprintf(f, " |\n");
    }
    param_set_free(ps);
}
