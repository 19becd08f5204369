/* calibrate_file.c: reads a calibration file (format in docs/calibration.md).
 *
 * The file is read by yamldoc.c; every refusal names the file, the line and the
 * key. The base scenario path is taken relative to the calibration file. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "yamldoc.h"

struct cfile {
    const struct ydoc *doc;
    struct calib_spec *s;
    struct gs_error *err;
};

/* Wraps a message from the spec functions with the node's file, line and key. */
static int fail_at(struct cfile *F, const struct ydoc_node *n, const struct gs_error *e)
{
    return ydoc_fail(F->err, F->doc, n, "%s", e->msg);
}

static struct param_set *load_base(const struct ydoc *doc, const struct ydoc_node *n,
                                   struct gs_error *err)
{
    const char *rel;
    if (ydoc_string(doc, n, &rel, err) != 0)
        return NULL;
    char path[4096];
    if (rel[0] == '/') {
        snprintf(path, sizeof path, "%s", rel);
    } else {
        char *copy = gs_strdup(doc->file);
        snprintf(path, sizeof path, "%s/%s", dirname(copy), rel);
        free(copy);
    }
    struct param_set *ps = param_set_new();
    struct gs_error e;
    if (param_load_yaml(ps, path, &e) != 0) {
        param_set_free(ps);
        ydoc_fail(err, doc, n, "base scenario: %s", e.msg);
        return NULL;
    }
    return ps;
}

static int load_param(struct cfile *F, const char *name, const struct ydoc_node *v)
{
    static const char *const keys[] = {"min", "max", "scale", NULL};
    const struct ydoc_node *lo = ydoc_get(v, "min"), *hi = ydoc_get(v, "max"), *sc = ydoc_get(v, "scale");
    double a, b;
    const char *scale = "linear";
    if (ydoc_expect(F->doc, v, YDOC_MAP, F->err) || ydoc_check_keys(F->doc, v, keys, F->err))
        return -1;
    if (!lo != !hi)
        return ydoc_fail(F->err, F->doc, v, "give both 'min' and 'max' (the prior range), or neither "
                         "for the parameter's plausible range (govsim params)");
    if (!lo && !param_plausible(param_find(name), &a, &b))
        return ydoc_fail(F->err, F->doc, v, "'%s' has no plausible range in the parameter table "
                         "(not an assumed value): give 'min' and 'max'", name);
    if ((lo && (ydoc_double(F->doc, lo, &a, F->err) || ydoc_double(F->doc, hi, &b, F->err))) ||
        (sc && ydoc_string(F->doc, sc, &scale, F->err)))
        return -1;
    if (strcmp(scale, "linear") != 0 && strcmp(scale, "log") != 0)
        return ydoc_fail(F->err, F->doc, sc, "expected 'linear' or 'log', got '%s'", scale);
    struct gs_error e;
    if (calib_spec_add_param(F->s, name, a, b, scale[1] == 'o' ? CALIB_LOG : CALIB_LINEAR, &e))
        return fail_at(F, v, &e);
    return 0;
}

static int load_target(struct cfile *F, const char *name, const struct ydoc_node *v)
{
    static const char *const keys[] = {"value", "range", "tolerance", "weight", "pattern", NULL};
    const struct ydoc_node *val = ydoc_get(v, "value"), *tol = ydoc_get(v, "tolerance"),
                           *w = ydoc_get(v, "weight"), *range = ydoc_get(v, "range"),
                           *pat = ydoc_get(v, "pattern");
    double lo = 0, hi = 0, tolerance = 0, weight = 1;
    const char *pattern = "";
    if (ydoc_expect(F->doc, v, YDOC_MAP, F->err) || ydoc_check_keys(F->doc, v, keys, F->err))
        return -1;
    if (!val == !range)
        return ydoc_fail(F->err, F->doc, v, "a target needs either 'value' (with 'tolerance') or "
                         "'range: [low, high]' (a pattern's band)");
    if (val && !tol)
        return ydoc_fail(F->err, F->doc, v, "a target with 'value' needs 'tolerance'");
    if (val && ydoc_double(F->doc, val, &lo, F->err))
        return -1;
    if (val)
        hi = lo;
    if (range) {
        if (ydoc_expect(F->doc, range, YDOC_SEQ, F->err))
            return -1;
        if (range->n != 2)
            return ydoc_fail(F->err, F->doc, range, "expected [low, high]");
        if (ydoc_double(F->doc, range->items[0], &lo, F->err) ||
            ydoc_double(F->doc, range->items[1], &hi, F->err))
            return -1;
        tolerance = 0.5 * (hi - lo);   /* default: half the band's width */
    }
    if ((tol && ydoc_double(F->doc, tol, &tolerance, F->err)) ||
        (w && ydoc_double(F->doc, w, &weight, F->err)) ||
        (pat && ydoc_string(F->doc, pat, &pattern, F->err)))
        return -1;
    if (strlen(pattern) >= sizeof F->s->targets[0].pattern)
        return ydoc_fail(F->err, F->doc, pat, "pattern id longer than %zu characters",
                         sizeof F->s->targets[0].pattern - 1);
    struct gs_error e;
    if (calib_spec_add_band(F->s, name, lo, hi, tolerance, weight, range != NULL, &e))
        return fail_at(F, v, &e);
    snprintf(F->s->targets[F->s->ntargets - 1].pattern, sizeof F->s->targets[0].pattern, "%s",
             pattern);
    return 0;
}

/* Calls fn for each entry of a non-empty map. */
static int each_entry(struct cfile *F, const struct ydoc_node *map, const char *what,
                      int (*fn)(struct cfile *, const char *, const struct ydoc_node *))
{
    if (ydoc_expect(F->doc, map, YDOC_MAP, F->err) != 0)
        return -1;
    if (map->n == 0)
        return ydoc_fail(F->err, F->doc, map, "no %s given", what);
    for (size_t i = 0; i < map->n; i++)
        if (fn(F, map->keys[i], map->items[i]) != 0)
            return -1;
    return 0;
}

/* An optional whole-number setting at least `min`. */
static int opt_int(struct cfile *F, const struct ydoc_node *map, const char *key, int64_t min,
                   int64_t *out)
{
    const struct ydoc_node *n = ydoc_get(map, key);
    if (!n)
        return 0;
    if (ydoc_int(F->doc, n, out, F->err) != 0)
        return -1;
    return *out < min ? ydoc_fail(F->err, F->doc, n, "must be at least %lld", (long long)min) : 0;
}

/* An optional number in (lo, hi]. */
static int opt_double(struct cfile *F, const struct ydoc_node *map, const char *key, double lo,
                      double hi, double *out)
{
    const struct ydoc_node *n = ydoc_get(map, key);
    if (!n)
        return 0;
    if (ydoc_double(F->doc, n, out, F->err) != 0)
        return -1;
    return (*out > lo && *out <= hi) ? 0
           : ydoc_fail(F->err, F->doc, n, "must be in (%g, %g]", lo, hi);
}

static int load_method(struct cfile *F, const struct ydoc_node *root)
{
    static const char *const smm_keys[] = {"design_points", "max_iterations", "initial_step",
                                           "simplex_tolerance", NULL};
    static const char *const abc_keys[] = {"samples", "accept_fraction", NULL};
    static const char *const smc_keys[] = {"particles", "generations", "quantile",
                                           "max_proposals", "kernel_scale", NULL};
    const struct ydoc_node *m = ydoc_get(root, "method"), *smm = ydoc_get(root, "smm"),
                           *abc = ydoc_get(root, "abc"), *smc = ydoc_get(root, "abc_smc");
    const char *name = "smm";
    if (m && ydoc_string(F->doc, m, &name, F->err) != 0)
        return -1;
    if (strcmp(name, "smm") != 0 && strcmp(name, "abc") != 0 && strcmp(name, "abc-smc") != 0)
        return ydoc_fail(F->err, F->doc, m, "expected 'smm', 'abc' or 'abc-smc', got '%s'", name);
    struct calib_spec *s = F->s;
    s->method = name[0] == 's' ? CALIB_SMM : name[3] == '-' ? CALIB_ABC_SMC : CALIB_ABC;
    double quantile = s->quantile;
    if (smm && (ydoc_expect(F->doc, smm, YDOC_MAP, F->err) ||
                ydoc_check_keys(F->doc, smm, smm_keys, F->err) ||
                opt_int(F, smm, "design_points", 1, &s->design_points) ||
                opt_int(F, smm, "max_iterations", 0, &s->max_iterations) ||
                opt_double(F, smm, "initial_step", 0, 100, &s->initial_step) ||
                opt_double(F, smm, "simplex_tolerance", 0, 100, &s->simplex_tol)))
        return -1;
    if (abc && (ydoc_expect(F->doc, abc, YDOC_MAP, F->err) ||
                ydoc_check_keys(F->doc, abc, abc_keys, F->err) ||
                opt_int(F, abc, "samples", 1, &s->samples) ||
                opt_double(F, abc, "accept_fraction", 0, 1, &s->accept_fraction)))
        return -1;
    if (smc && (ydoc_expect(F->doc, smc, YDOC_MAP, F->err) ||
                ydoc_check_keys(F->doc, smc, smc_keys, F->err) ||
                opt_int(F, smc, "particles", 2, &s->particles) ||
                opt_int(F, smc, "generations", 1, &s->generations) ||
                opt_double(F, smc, "quantile", 0, 1, &quantile) ||
                opt_double(F, smc, "max_proposals", 0.999999, 1e6, &s->max_proposals) ||
                opt_double(F, smc, "kernel_scale", 0, 100, &s->kernel_scale)))
        return -1;
    if (!(quantile < 1))
        return ydoc_fail(F->err, F->doc, ydoc_get(smc, "quantile"), "must be below 1");
    s->quantile = quantile;
    return 0;
}

static int load_root(struct cfile *F, const struct ydoc_node *root)
{
    static const char *const keys[] = {"base", "bases", "set", "seed", "replicates", "check_replicates",
                                       "method", "parameters", "targets", "smm", "abc", "abc_smc",
                                       NULL};
    const struct ydoc_node *set = ydoc_get(root, "set"), *params = ydoc_get(root, "parameters"),
                           *targets = ydoc_get(root, "targets");
    if (ydoc_check_keys(F->doc, root, keys, F->err) != 0)
        return -1;
    if (!params || !targets)
        return ydoc_fail(F->err, F->doc, root, "a calibration file needs 'parameters' and 'targets'");
    for (size_t b = 0; set && b < F->s->nbases; b++)
        if (param_load_ydoc(F->s->bases[b], F->doc, set, F->err) != 0)
            return -1;
    if (opt_int(F, root, "seed", 0, &F->s->seed) ||
        opt_int(F, root, "replicates", 1, &F->s->replicates) ||
        opt_int(F, root, "check_replicates", 1, &F->s->check_replicates) || load_method(F, root))
        return -1;
    if (each_entry(F, params, "parameters", load_param) ||
        each_entry(F, targets, "targets", load_target))
        return -1;
    struct gs_error e;
    for (size_t b = 0; b < F->s->nbases; b++) {
        if (param_check(F->s->bases[b], &e) != 0)
            return ydoc_fail(F->err, F->doc, set ? set : root, "base scenario %s: %s",
                             F->s->base_names[b], e.msg);
        F->s->bases[b]->p.seed = F->s->seed;
    }
    return 0;
}

struct calib_spec *calib_spec_load(const char *path, struct gs_error *err)
{
    struct ydoc *doc = ydoc_load_file(path, "calibration file", YDOC_DEFAULT_MAX_DEPTH, err);
    if (!doc)
        return NULL;
    if (!doc->root || doc->root->kind != YDOC_MAP) {
        gs_error_set(err, "%s:%d: expected a mapping with 'parameters' and 'targets'", path,
                     doc->root ? doc->root->line : doc->end_line);
        ydoc_free(doc);
        return NULL;
    }
    const struct ydoc_node *base = ydoc_get(doc->root, "base"), *bases = ydoc_get(doc->root, "bases");
    struct param_set *ps = NULL;
    if (base && bases)
        ydoc_fail(err, doc, bases, "give either 'base' (one scenario) or 'bases' (several), not both");
    else if (bases && (ydoc_expect(doc, bases, YDOC_MAP, err) == 0) && bases->n == 0)
        ydoc_fail(err, doc, bases, "no base scenarios given");
    else if (bases && bases->kind == YDOC_MAP)
        ps = load_base(doc, bases->items[0], err);
    else if (!bases)
        ps = base ? load_base(doc, base, err) : param_set_new();
    struct calib_spec *s = ps ? calib_spec_new(ps) : NULL;
    if (s && bases) {   /* the names the targets use: the keys of 'bases' */
        free(s->base_names[0]);
        s->base_names[0] = gs_strdup(bases->keys[0]);
        for (size_t b = 1; b < bases->n; b++) {
            struct param_set *more = load_base(doc, bases->items[b], err);
            struct gs_error e;
            if (!more || calib_spec_add_base(s, bases->keys[b], more, &e) != 0) {
                if (more)
                    ydoc_fail(err, doc, bases->items[b], "%s", e.msg);
                calib_spec_free(s);
                s = NULL;
                break;
            }
        }
    }
    struct cfile F = {doc, s, err};
    if (s && load_root(&F, doc->root) == 0) {
        s->file = gs_strdup(path);
        s->text = gs_strdup(doc->text);
    } else {
        calib_spec_free(s);
        s = NULL;
    }
    ydoc_free(doc);
    return s;
}
