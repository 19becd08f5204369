/* sweep_file.c: reads a sweep file (docs/sweeps.md) into a struct sweep.
 *
 * Every refusal names the file, the line and the key, like a scenario file's.
 * The canonical content (resolved base parameters, varied parameters, design,
 * replicates, seed, outputs) is hashed so a results file can be matched to it. */
#include "sweep.h"

#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamldoc.h"

const char *const sweep_design_names[] = {"factorial", "lhs", "sobol", "morris"};

static const char *const top_keys[] = {"name", "description", "scenario", "set", "vary", "design",
                                       "samples", "levels", "replicates", "seed", "outputs", NULL};

/* An optional whole number in [lo, hi]; *out keeps its value when the key is absent. */
static int read_count(const struct ydoc *doc, const char *key, int64_t lo, int64_t hi,
                      int64_t *out, struct gs_error *err)
{
    const struct ydoc_node *n = ydoc_get(doc->root, key);
    if (!n)
        return 0;
    if (ydoc_int(doc, n, out, err) != 0)
        return -1;
    if (*out < lo || *out > hi)
        return ydoc_fail(err, doc, n, "value %lld is out of range [%lld, %lld]", (long long)*out,
                         (long long)lo, (long long)hi);
    return 0;
}

static int read_choice(const struct ydoc *doc, const char *key, const char *const *names, int n,
                       int *out, struct gs_error *err)
{
    const struct ydoc_node *node = ydoc_get(doc->root, key);
    const char *v;
    if (!node)
        return 0;
    if (ydoc_string(doc, node, &v, err) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i])) {
            *out = i;
            return 0;
        }
    char list[200] = "";
    for (int i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    return ydoc_fail(err, doc, node, "unknown value '%s' (expected one of: %s)", v, list);
}

static int check_value(const struct ydoc *doc, const struct ydoc_node *n, const struct param_def *d,
                       double v, struct gs_error *err)
{
    if (v < d->min || v > d->max)
        return ydoc_fail(err, doc, n, "value %.10g is outside the allowed range [%.10g, %.10g] "
                         "(%s) of %s", v, d->min, d->max, d->unit, d->name);
    if (d->type != PT_DOUBLE && v != floor(v))
        return ydoc_fail(err, doc, n, "%s takes whole numbers, got %.10g", d->name, v);
    return 0;
}

/* Reads a list of numbers checked against the parameter's range. */
static int read_numbers(const struct ydoc *doc, const struct ydoc_node *n, const struct param_def *d,
                        size_t min_count, size_t max_count, double **out, size_t *count,
                        struct gs_error *err)
{
    if (ydoc_expect(doc, n, YDOC_SEQ, err) != 0)
        return -1;
    if (min_count == max_count && n->n != min_count)
        return ydoc_fail(err, doc, n, "expected %zu values, got %zu", min_count, n->n);
    if (n->n < min_count)
        return ydoc_fail(err, doc, n, "expected at least %zu values, got %zu", min_count, n->n);
    if (n->n > max_count)
        return ydoc_fail(err, doc, n, "expected at most %zu values, got %zu", max_count, n->n);
    *out = gs_calloc(n->n, sizeof **out);
    *count = n->n;
    for (size_t i = 0; i < n->n; i++)
        if (ydoc_double(doc, n->items[i], &(*out)[i], err) != 0 ||
            check_value(doc, n->items[i], d, (*out)[i], err) != 0)
            return -1;
    return 0;
}

static int read_vary_one(const struct ydoc *doc, const char *name, const struct ydoc_node *spec,
                         struct sweep_param *sp, struct gs_error *err)
{
    sp->def = param_find(name);
    if (!sp->def) {
        const char *hint = param_suggest(name);
        return ydoc_fail(err, doc, spec, "unknown parameter%s%s%s", hint ? " (did you mean '" : "",
                         hint ? hint : "", hint ? "'?)" : " (run 'govsim params' for the list)");
    }
    if (sp->def->type == PT_STRING)
        return ydoc_fail(err, doc, spec, "%s is text; only numbers can be varied", name);
    if (strcmp(sp->def->name, "run.seed") == 0)   /* each run's seed comes from the sweep's */
        return ydoc_fail(err, doc, spec, "run.seed cannot be varied: every run's seed is drawn "
                         "from the sweep's 'seed:' (use 'replicates:' for more seeds)");
    if (ydoc_check_keys(doc, spec, (const char *const[]){"range", "values", NULL}, err) != 0)
        return -1;
    const struct ydoc_node *range = ydoc_get(spec, "range"), *values = ydoc_get(spec, "values");
    if (!range == !values)
        return ydoc_fail(err, doc, spec, "give either 'range: [lo, hi]' or 'values: [...]'");
    if (values) {
        sp->is_list = 1;
        return read_numbers(doc, values, sp->def, 1, 100000, &sp->values, &sp->nvalues, err);
    }
    double *lohi = NULL;
    size_t two = 0;
    int rc = read_numbers(doc, range, sp->def, 2, 2, &lohi, &two, err);
    if (rc == 0) {
        sp->lo = lohi[0];
        sp->hi = lohi[1];
        if (!(sp->lo < sp->hi))
            rc = ydoc_fail(err, doc, range, "the range's low end must be below its high end");
    }
    free(lohi);
    return rc;
}

static int read_vary(const struct ydoc *doc, struct sweep *s, struct gs_error *err)
{
    const struct ydoc_node *vary = ydoc_get(doc->root, "vary");
    if (!vary)
        return gs_error_set(err, "%s:%d: key 'vary' is missing: which parameters does the sweep "
                            "vary?", doc->file, doc->root->line);
    if (ydoc_expect(doc, vary, YDOC_MAP, err) != 0)
        return -1;
    if (vary->n == 0)
        return ydoc_fail(err, doc, vary, "no parameters to vary");
    s->vary = gs_calloc(vary->n, sizeof *s->vary);
    for (size_t i = 0; i < vary->n; i++) {
        s->nvary = i + 1;
        if (read_vary_one(doc, vary->keys[i], vary->items[i], &s->vary[i], err) != 0)
            return -1;
    }
    return 0;
}

static char *resolve_relative(const char *sweep_file, const char *path)
{
    if (path[0] == '/')
        return gs_strdup(path);
    char *copy = gs_strdup(sweep_file);
    const char *dir = dirname(copy);
    size_t n = strlen(dir) + strlen(path) + 2;
    char *out = gs_malloc(n);
    snprintf(out, n, "%s/%s", dir, path);
    free(copy);
    return out;
}

static int read_base(const struct ydoc *doc, struct sweep *s, struct gs_error *err)
{
    const struct ydoc_node *scen = ydoc_get(doc->root, "scenario"), *set = ydoc_get(doc->root, "set");
    const char *path;
    s->base = param_set_new();
    if (scen) {
        if (ydoc_string(doc, scen, &path, err) != 0)
            return -1;
        s->scenario = resolve_relative(doc->file, path);
        struct gs_error e;
        if (param_load_yaml(s->base, s->scenario, &e) != 0)
            return ydoc_fail(err, doc, scen, "%s", e.msg);
    }
    return set ? param_load_ydoc(s->base, doc, set, err) : 0;
}

static int read_design(const struct ydoc *doc, struct sweep *s, struct gs_error *err)
{
    int design = -1, outputs = 0;
    static const char *const output_names[] = {"summary", "timeseries"};
    s->replicates = 1;
    s->seed = (uint64_t)s->base->p.seed;
    int64_t seed = (int64_t)s->seed;
    if (read_choice(doc, "design", sweep_design_names, 4, &design, err) != 0 ||
        read_choice(doc, "outputs", output_names, 2, &outputs, err) != 0 ||
        read_count(doc, "samples", 1, 100000000, &s->samples, err) != 0 ||
        read_count(doc, "levels", 2, 1000000, &s->levels, err) != 0 ||
        read_count(doc, "replicates", 1, 1000000, &s->replicates, err) != 0 ||
        read_count(doc, "seed", 0, INT64_MAX, &seed, err) != 0)
        return -1;
    if (design < 0)
        return gs_error_set(err, "%s:%d: key 'design' is missing (factorial, lhs, sobol or morris)",
                            doc->file, doc->root->line);
    s->design = (enum sweep_design)design;
    s->timeseries = outputs;
    s->seed = (uint64_t)seed;
    const struct ydoc_node *samples = ydoc_get(doc->root, "samples");
    if (s->design == DESIGN_FACTORIAL && samples)
        return ydoc_fail(err, doc, samples, "a factorial design takes every combination; give "
                         "'levels' for ranges instead of 'samples'");
    if (s->design != DESIGN_FACTORIAL && !samples)
        return gs_error_set(err, "%s:%d: key 'samples' is missing (the %s design needs it)",
                            doc->file, doc->root->line, sweep_design_names[design]);
    return 0;
}

static void canon_add(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void canon_add(char **buf, size_t *len, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1;
    *buf = gs_realloc(*buf, *len + (size_t)n + 1);
    memcpy(*buf + *len, line, (size_t)n + 1);
    *len += (size_t)n;
}

/* The sweep's content in a fixed form: what the results depend on, nothing else. */
static void make_canonical(struct sweep *s)
{
    char *c = NULL;
    size_t n = 0;
    canon_add(&c, &n, "govsim-sweep 1\ndesign %s\nsamples %lld\nlevels %lld\nreplicates %lld\n"
              "seed %llu\noutputs %s\n", sweep_design_names[s->design], (long long)s->samples,
              (long long)s->levels, (long long)s->replicates, (unsigned long long)s->seed,
              s->timeseries ? "timeseries" : "summary");
    for (size_t k = 0; k < s->nvary; k++) {
        const struct sweep_param *v = &s->vary[k];
        canon_add(&c, &n, "vary %s %s", v->def->name, v->is_list ? "values" : "range");
        if (v->is_list)
            for (size_t i = 0; i < v->nvalues; i++)
                canon_add(&c, &n, " %.17g", v->values[i]);
        else
            canon_add(&c, &n, " %.17g %.17g", v->lo, v->hi);
        canon_add(&c, &n, "\n");
    }
    for (size_t i = 0; i < param_count; i++) {
        char value[PARAM_STR_MAX * 4];
        param_format(&s->base->p, &param_table[i], value, sizeof value);
        if (param_table[i].type == PT_DOUBLE)
            snprintf(value, sizeof value, "%.17g", param_get_number(&s->base->p, &param_table[i]));
        canon_add(&c, &n, "base %s %s\n", param_table[i].name, value);
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)c[i]) * 1099511628211ULL;
    snprintf(s->hash, sizeof s->hash, "%016llx", (unsigned long long)h);
    s->canonical = c;
}

static int sweep_parse(struct sweep *s, const struct ydoc *doc, struct gs_error *err)
{
    if (!doc->root)
        return gs_error_set(err, "%s:%d: the file is empty; expected a sweep (see docs/sweeps.md)",
                            doc->file, doc->end_line);
    if (ydoc_expect(doc, doc->root, YDOC_MAP, err) != 0 ||
        ydoc_check_keys(doc, doc->root, top_keys, err) != 0 || read_base(doc, s, err) != 0 ||
        read_vary(doc, s, err) != 0 || read_design(doc, s, err) != 0)
        return -1;
    struct gs_error e;
    if (param_check(s->base, &e) != 0)   /* the sweep file's scenario: + set: */
        return gs_error_set(err, "%s: the base scenario (%s, with this file's 'set:') is not valid: "
                            "%s", doc->file, s->scenario ? s->scenario : "the defaults", e.msg);
    make_canonical(s);
    return sweep_build_design(s, err);
}

int sweep_load(const char *path, struct sweep **out, struct gs_error *err)
{
    *out = NULL;
    struct ydoc *doc = ydoc_load_file(path, "sweep file", 0, err);
    if (!doc)
        return -1;
    struct sweep *s = gs_calloc(1, sizeof *s);
    s->file = gs_strdup(path);
    s->text = gs_strdup(doc->text);
    s->text_len = doc->len;
    int rc = sweep_parse(s, doc, err);
    ydoc_free(doc);
    if (rc != 0) {
        sweep_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void sweep_free(struct sweep *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->nvary; k++)
        free(s->vary[k].values);
    free(s->vary);
    param_set_free(s->base);
    free(s->file);
    free(s->text);
    free(s->scenario);
    free(s->unit);
    free(s->x);
    free(s->group);
    free(s->step);
    free(s->moved);
    free(s->delta);
    free(s->rep_seed);
    free(s->canonical);
    free(s);
}
