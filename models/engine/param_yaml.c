/* param_yaml.c: loads a YAML scenario file over a parameter set.
 *
 * Keys may be nested (`grid: {households: 350}`) or dotted (`grid.households: 350`),
 * or both; they are flattened to dotted names and set through param_set_value, so
 * a scenario file accepts exactly the keys of the parameter table, plus an optional
 * top-level `levers:` (for `govsim compare --decompose`; checked, not applied). The
 * file is read by yamldoc.c; every message names the file, the line and the key. */
#include "param.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "yamldoc.h"

struct loader {
    struct param_set *ps;
    const struct ydoc *doc;
    struct gs_error *err;
    const char **seen;  /* dotted keys already set in this file (paths owned by the tree) */
    int *seen_line;
    size_t nseen;
    size_t skip;        /* length of the prefix of node paths that is not part of the name */
};

static int note_key(struct loader *L, const char *key, int line)
{
    for (size_t i = 0; i < L->nseen; i++)
        if (strcmp(L->seen[i], key) == 0)
            return gs_error_set(L->err, "%s:%d: key '%s' is given twice (first on line %d)",
                                L->doc->file, line, key, L->seen_line[i]);
    L->seen = gs_realloc(L->seen, (L->nseen + 1) * sizeof *L->seen);
    L->seen_line = gs_realloc(L->seen_line, (L->nseen + 1) * sizeof *L->seen_line);
    L->seen[L->nseen] = key;
    L->seen_line[L->nseen] = line;
    L->nseen++;
    return 0;
}

static int load_map(struct loader *L, const struct ydoc_node *map);

/* A file named in a scenario file is relative to that file's folder (unless absolute). */
static int set_relative_path(struct loader *L, const char *name, const char *text, const char *where)
{
    const char *slash = strrchr(L->doc->file, '/');
    if (!*text || text[0] == '/' || !slash)
        return param_set_value(L->ps, name, text, where, SRC_FILE, L->err);
    size_t dir = (size_t)(slash - L->doc->file) + 1, n = dir + strlen(text) + 1;
    char *path = gs_malloc(n);
    memcpy(path, L->doc->file, dir);
    strcpy(path + dir, text);
    int rc = param_set_value(L->ps, name, path, where, SRC_FILE, L->err);
    free(path);
    return rc;
}

static int load_value(struct loader *L, const struct ydoc_node *v, int key_line)
{
    if (v->kind == YDOC_MAP)
        return load_map(L, v);
    if (v->kind == YDOC_SEQ)
        return ydoc_fail(L->err, L->doc, v, "expected a single value, got a list");
    const char *name = v->path + L->skip;
    if (v->plain && v->text[0] == '\0')
        return gs_error_set(L->err, "%s:%d: key '%s' has no value", L->doc->file, v->line, name);
    if (note_key(L, name, key_line) != 0)
        return -1;
    char where[600];
    snprintf(where, sizeof where, "%s:%d", L->doc->file, v->line);
    if (strcmp(name, "world.community_table") == 0)
        return set_relative_path(L, name, v->text, where);
    return param_set_value(L->ps, name, v->text, where, SRC_FILE, L->err);
}

static int load_map(struct loader *L, const struct ydoc_node *map)
{
    for (size_t i = 0; i < map->n; i++)
        if (load_value(L, map->items[i], map->key_line[i]) != 0)
            return -1;
    return 0;
}

int param_load_ydoc(struct param_set *ps, const struct ydoc *doc, const struct ydoc_node *map,
                    struct gs_error *err)
{
    if (ydoc_expect(doc, map, YDOC_MAP, err) != 0)
        return -1;
    struct loader L = {.ps = ps, .doc = doc, .err = err,
                       .skip = *map->path ? strlen(map->path) + 1 : 0};
    int rc = load_map(&L, map);
    free(L.seen);
    free(L.seen_line);
    return rc;
}

/* The optional top-level `levers:` of a scenario file: a mapping of lever names to lists
 * of parameter names or patterns (`category.*.docked`, fnmatch), read by `govsim compare
 * --decompose` (docs/compare.md) and otherwise ignored; checked here so that a mistake
 * is found by every command. */
static int names_a_parameter(const char *key)
{
    if (!strpbrk(key, "*?["))
        return param_find(key) != NULL;
    for (size_t i = 0; i < param_count; i++)
        if (fnmatch(key, param_table[i].name, 0) == 0)
            return 1;
    return 0;
}

static int check_levers(const struct ydoc *doc, const struct ydoc_node *lv, struct gs_error *err)
{
    if (ydoc_expect(doc, lv, YDOC_MAP, err) != 0)
        return -1;
    const char **used = gs_malloc((size_t)256 * sizeof *used);
    size_t nused = 0;
    int rc = 0;
    for (size_t i = 0; i < lv->n && rc == 0; i++) {
        const struct ydoc_node *v = lv->items[i];
        size_t n = v->kind == YDOC_SEQ ? v->n : 1;
        if (v->kind == YDOC_MAP || n == 0)
            rc = gs_error_set(err, "%s:%d: levers: '%s' must be a list of parameter names",
                              doc->file, lv->key_line[i], lv->keys[i]);
        for (size_t j = 0; j < n && rc == 0; j++) {
            const struct ydoc_node *k = v->kind == YDOC_SEQ ? v->items[j] : v;
            const char *near = k->kind == YDOC_SCALAR ? param_suggest(k->text) : NULL;
            if (k->kind != YDOC_SCALAR || !names_a_parameter(k->text)) {
                rc = gs_error_set(err, "%s:%d: levers: %s: '%s' names no parameter%s%s%s", doc->file,
                                  k->line, lv->keys[i], k->kind == YDOC_SCALAR ? k->text : "(a list)",
                                  near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
                break;
            }
            for (size_t u = 0; u < nused; u++)
                if (strcmp(used[u], k->text) == 0)
                    rc = gs_error_set(err, "%s:%d: levers: '%s' is in more than one lever", doc->file,
                                      k->line, k->text);
            if (rc == 0 && nused < 256)
                used[nused++] = k->text;
        }
    }
    free(used);
    return rc;
}

/* Loads a parsed scenario (NULL: refused with the message in err) and frees it. */
static int load_doc(struct param_set *ps, struct ydoc *doc, const char *name, struct gs_error *err)
{
    if (!doc)
        return -1;
    snprintf(ps->file, sizeof ps->file, "%s", name);
    int rc;
    if (!doc->root)
        rc = gs_error_set(err, "%s:%d: the file is empty; expected a mapping of parameters "
                          "(e.g. 'grid.households: 350')", name, doc->end_line);
    else if (doc->root->kind != YDOC_MAP)
        rc = gs_error_set(err, "%s:%d: expected a mapping of parameters at the top level", name,
                          doc->root->line);
    else {
        struct loader L = {.ps = ps, .doc = doc, .err = err};
        const struct ydoc_node *root = doc->root;
        rc = 0;
        for (size_t i = 0; i < root->n && rc == 0; i++)
            rc = strcmp(root->keys[i], "levers") == 0 ? check_levers(doc, root->items[i], err)
                 : load_value(&L, root->items[i], root->key_line[i]);
        free(L.seen);
        free(L.seen_line);
    }
    ydoc_free(doc);
    return rc;
}

int param_load_yaml(struct param_set *ps, const char *path, struct gs_error *err)
{
    return load_doc(ps, ydoc_load_file(path, "scenario file", YDOC_DEFAULT_MAX_DEPTH, err), path,
                    err);
}

int param_load_yaml_string(struct param_set *ps, const char *name, const char *text, size_t n,
                           struct gs_error *err)
{
    return load_doc(ps, ydoc_load_string(name, text, n, YDOC_DEFAULT_MAX_DEPTH, err), name, err);
}
