/* compare_levers.c: the levers of `govsim compare A.yaml B.yaml --decompose`.
 *
 * A lever is a parameter in which the resolved parameter sets of A and B differ
 * (scenario.name and scenario.description aside), or a group of such parameters named
 * in an optional top-level `levers:` mapping of B's file (lever name -> list of keys or
 * fnmatch patterns such as `category.*.docked`).
 * Keys of a group in which A and B do not differ are left out of it; a group with
 * none is dropped; a differing key in no group is a lever of its own. For each lever
 * one more scenario is run: A with the lever's keys at B's values ("A + lever"), with
 * the seeds (and --uncertainty draws) of A and B. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "yamldoc.h"

static int differs(const struct params *a, const struct params *b, size_t i)
{
    const struct param_def *d = &param_table[i];
    if (strncmp(d->name, "scenario.", 9) == 0)
        return 0;
    if (d->type == PT_STRING)
        return strcmp((const char *)a + d->offset, (const char *)b + d->offset) != 0;
    double x = param_get_number(a, d), y = param_get_number(b, d);
    return x != y;
}

static void add_key(struct cmp_lever *l, int i)
{
    l->key = gs_realloc(l->key, (size_t)(l->nkeys + 1) * sizeof *l->key);
    l->key[l->nkeys++] = i;
    size_t n = strlen(l->keys);
    snprintf(l->keys + n, sizeof l->keys - n, "%s%s", n ? "," : "", param_table[i].name);
}

static struct cmp_lever *new_lever(struct comparison *c, const char *name)
{
    c->lever = gs_realloc(c->lever, (size_t)(c->nlever + 1) * sizeof *c->lever);
    struct cmp_lever *l = &c->lever[c->nlever++];
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    return l;
}

/* The groups of B's `levers:`; marks the keys they take in `taken`. */
static int read_groups(struct comparison *c, const unsigned char *diff, unsigned char *taken,
                       struct gs_error *err)
{
    const struct cmp_scenario *b = &c->sc[1];
    struct ydoc *doc = ydoc_load_string(b->path, b->text, strlen(b->text), YDOC_DEFAULT_MAX_DEPTH, err);
    if (!doc)
        return -1;
    const struct ydoc_node *lv = doc->root && doc->root->kind == YDOC_MAP ? ydoc_get(doc->root, "levers") : NULL;
    for (size_t i = 0; lv && lv->kind == YDOC_MAP && i < lv->n; i++) {   /* checked by the loader */
        const struct ydoc_node *v = lv->items[i];
        struct cmp_lever *l = new_lever(c, lv->keys[i]);
        size_t n = v->kind == YDOC_SEQ ? v->n : 1;
        for (size_t j = 0; j < n; j++) {
            const struct ydoc_node *k = v->kind == YDOC_SEQ ? v->items[j] : v;
            for (size_t idx = 0; k->kind == YDOC_SCALAR && idx < param_count; idx++)
                if (diff[idx] && !taken[idx] && (strcmp(k->text, param_table[idx].name) == 0 ||
                                                 fnmatch(k->text, param_table[idx].name, 0) == 0)) {
                    add_key(l, (int)idx);
                    taken[idx] = 1;
                }
        }
        if (l->nkeys == 0)   /* nothing of it differs */
            c->nlever--;
    }
    ydoc_free(doc);
    return 0;
}

static int add_lever_scenario(struct comparison *c, const struct cmp_lever *l, struct gs_error *err)
{
    const struct cmp_scenario *a = &c->sc[0], *b = &c->sc[1];
    struct cmp_scenario *s = &c->sc[c->nrun++];
    memset(s, 0, sizeof *s);
    s->ps = param_set_new();
    s->ps->p = a->ps->p;
    memcpy(s->ps->source, a->ps->source, param_count * sizeof *s->ps->source);
    snprintf(s->ps->file, sizeof s->ps->file, "%s", a->ps->file);
    s->fixed = gs_malloc(param_count);
    memcpy(s->fixed, a->fixed, param_count);
    for (int j = 0; j < l->nkeys; j++) {
        const struct param_def *d = &param_table[l->key[j]];
        if (d->type == PT_STRING)
            memcpy((char *)&s->ps->p + d->offset, (const char *)&b->ps->p + d->offset, d->size);
        else
            param_set_number(&s->ps->p, d, param_get_number(&b->ps->p, d));
        s->ps->source[l->key[j]] = b->ps->source[l->key[j]];
        s->fixed[l->key[j]] = 1;
    }
    param_derive(&s->ps->p);
    char base[64];
    snprintf(base, sizeof base, "%.60s", a->label);
    snprintf(s->label, sizeof s->label, "%.60s + %.70s", base, l->name);
    s->path = a->path;
    if (param_check(s->ps, err) != 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return gs_error_set(err, "--decompose: the lever '%s' (%s) alone on top of '%s' breaks a "
                            "relation between parameters (%s); group it with the keys it needs "
                            "in a `levers:` mapping of '%s'", l->name, l->keys, a->path, why, b->path);
    }
    return 0;
}

int cmp_find_levers(struct comparison *c, struct gs_error *err)
{
    unsigned char *diff = gs_calloc(param_count, 1), *taken = gs_calloc(param_count, 1);
    int ndiff = 0, rc = 0;
    for (size_t i = 0; i < param_count; i++)
        ndiff += diff[i] = (unsigned char)differs(&c->sc[0].ps->p, &c->sc[1].ps->p, i);
    if (ndiff == 0)
        rc = gs_error_set(err, "--decompose: '%s' and '%s' do not differ in any parameter",
                          c->sc[0].path, c->sc[1].path);
    if (rc == 0)
        rc = read_groups(c, diff, taken, err);
    for (size_t i = 0; rc == 0 && i < param_count; i++)
        if (diff[i] && !taken[i])
            add_key(new_lever(c, param_table[i].name), (int)i);
    if (rc == 0) {
        c->sc = gs_realloc(c->sc, (size_t)(c->nscen + c->nlever) * sizeof *c->sc);
        for (int l = 0; l < c->nlever && rc == 0; l++)
            rc = add_lever_scenario(c, &c->lever[l], err);
    }
    free(diff);
    free(taken);
    return rc;
}
