/* param_yaml.c: loads a YAML scenario file over a parameter set.
 *
 * Keys may be nested (`grid: {households: 350}`) or dotted (`grid.households: 350`),
 * or both; they are flattened to dotted names and set through param_set_value, so
 * a scenario file accepts exactly the keys of the parameter table. Every message
 * names the file, the line and the key. */
#include "param.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define YAML_MAX_DEPTH 8

struct loader {
    yaml_parser_t parser;
    struct param_set *ps;
    const char *path;
    struct gs_error *err;
    char **seen;      /* dotted keys already set in this file */
    int *seen_line;
    size_t nseen;
};

static int next_event(struct loader *L, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&L->parser, ev)) {
        const char *problem = L->parser.problem ? L->parser.problem : "malformed YAML";
        return gs_error_set(L->err, "%s:%zu: malformed YAML: %s%s%s", L->path,
                            L->parser.problem_mark.line + 1, problem,
                            L->parser.context ? " " : "",
                            L->parser.context ? L->parser.context : "");
    }
    return 0;
}

static unsigned long line_of(const yaml_event_t *ev)
{
    return (unsigned long)ev->start_mark.line + 1;
}

static int note_key(struct loader *L, const char *key, unsigned long line)
{
    for (size_t i = 0; i < L->nseen; i++)
        if (strcmp(L->seen[i], key) == 0)
            return gs_error_set(L->err, "%s:%lu: key '%s' is given twice (first on line %d)",
                                L->path, line, key, L->seen_line[i]);
    L->seen = gs_realloc(L->seen, (L->nseen + 1) * sizeof *L->seen);
    L->seen_line = gs_realloc(L->seen_line, (L->nseen + 1) * sizeof *L->seen_line);
    L->seen[L->nseen] = gs_strdup(key);
    L->seen_line[L->nseen] = (int)line;
    L->nseen++;
    return 0;
}

static int load_mapping(struct loader *L, const char *prefix, int depth);

static int load_value(struct loader *L, const char *key, unsigned long key_line, int depth)
{
    yaml_event_t ev;
    if (next_event(L, &ev) != 0)
        return -1;
    int rc = 0;
    char where[600];
    snprintf(where, sizeof where, "%s:%lu", L->path, line_of(&ev));
    switch (ev.type) {
    case YAML_SCALAR_EVENT: {
        const char *text = (const char *)ev.data.scalar.value;
        if (ev.data.scalar.length == 0 && ev.data.scalar.plain_implicit)
            rc = gs_error_set(L->err, "%s: key '%s' has no value", where, key);
        else if (strlen(text) != ev.data.scalar.length)
            rc = gs_error_set(L->err, "%s: key '%s': value contains a NUL character", where, key);
        else if ((rc = note_key(L, key, key_line)) == 0)
            rc = param_set_value(L->ps, key, text, where, SRC_FILE, L->err);
        break;
    }
    case YAML_MAPPING_START_EVENT:
        if (depth + 1 >= YAML_MAX_DEPTH)
            rc = gs_error_set(L->err, "%s: key '%s': nesting deeper than %d levels", where, key,
                              YAML_MAX_DEPTH);
        else
            rc = load_mapping(L, key, depth + 1);
        break;
    case YAML_SEQUENCE_START_EVENT:
        rc = gs_error_set(L->err, "%s: key '%s': expected a single value, got a list", where, key);
        break;
    case YAML_ALIAS_EVENT:
        rc = gs_error_set(L->err, "%s: key '%s': YAML aliases are not supported", where, key);
        break;
    default:
        rc = gs_error_set(L->err, "%s: key '%s': unexpected YAML content", where, key);
    }
    yaml_event_delete(&ev);
    return rc;
}

/* Reads key/value pairs until the end of the current mapping. */
static int load_mapping(struct loader *L, const char *prefix, int depth)
{
    for (;;) {
        yaml_event_t ev;
        if (next_event(L, &ev) != 0)
            return -1;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        if (ev.type != YAML_SCALAR_EVENT) {
            unsigned long line = line_of(&ev);
            yaml_event_delete(&ev);
            return gs_error_set(L->err, "%s:%lu: expected a parameter name%s%s", L->path, line,
                                *prefix ? " under " : "", prefix);
        }
        char key[300];
        const char *name = (const char *)ev.data.scalar.value;
        if (*prefix)
            snprintf(key, sizeof key, "%s.%s", prefix, name);
        else
            snprintf(key, sizeof key, "%s", name);
        unsigned long line = line_of(&ev);
        yaml_event_delete(&ev);
        if (load_value(L, key, line, depth) != 0)
            return -1;
    }
}

static int expect(struct loader *L, yaml_event_type_t type, const char *what)
{
    yaml_event_t ev;
    if (next_event(L, &ev) != 0)
        return -1;
    int ok = ev.type == type;
    unsigned long line = line_of(&ev);
    int empty = ev.type == YAML_STREAM_END_EVENT ||
                (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0);
    yaml_event_delete(&ev);
    if (ok)
        return 0;
    if (empty)
        return gs_error_set(L->err, "%s:%lu: the file is empty; expected a mapping of parameters "
                            "(e.g. 'grid.households: 350')", L->path, line);
    return gs_error_set(L->err, "%s:%lu: expected %s", L->path, line, what);
}

static int parse_document(struct loader *L)
{
    if (expect(L, YAML_STREAM_START_EVENT, "the start of a YAML stream") != 0 ||
        expect(L, YAML_DOCUMENT_START_EVENT, "a YAML document") != 0 ||
        expect(L, YAML_MAPPING_START_EVENT, "a mapping of parameters at the top level") != 0 ||
        load_mapping(L, "", 0) != 0)
        return -1;
    yaml_event_t ev;
    if (next_event(L, &ev) != 0)
        return -1;
    int ok = ev.type == YAML_DOCUMENT_END_EVENT;
    unsigned long line = line_of(&ev);
    yaml_event_delete(&ev);
    if (!ok)
        return gs_error_set(L->err, "%s:%lu: expected the end of the document", L->path, line);
    if (next_event(L, &ev) != 0)
        return -1;
    ok = ev.type == YAML_STREAM_END_EVENT;
    line = line_of(&ev);
    yaml_event_delete(&ev);
    if (!ok)
        return gs_error_set(L->err, "%s:%lu: only one YAML document is allowed", L->path, line);
    return 0;
}

/* Parses from a file (f) or from memory (text, n). */
static int load(struct param_set *ps, const char *name, FILE *f, const char *text, size_t n,
                struct gs_error *err)
{
    struct loader L = {.ps = ps, .path = name, .err = err};
    snprintf(ps->file, sizeof ps->file, "%s", name);
    yaml_parser_initialize(&L.parser);
    if (f)
        yaml_parser_set_input_file(&L.parser, f);
    else
        yaml_parser_set_input_string(&L.parser, (const unsigned char *)text, n);
    int rc = parse_document(&L);
    yaml_parser_delete(&L.parser);
    for (size_t i = 0; i < L.nseen; i++)
        free(L.seen[i]);
    free(L.seen);
    free(L.seen_line);
    return rc;
}

int param_load_yaml(struct param_set *ps, const char *path, struct gs_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return gs_error_set(err, "%s: cannot open scenario file: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return gs_error_set(err, "%s: is a directory, not a scenario file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return gs_error_set(err, "%s: cannot open scenario file: %s", path, strerror(errno));
    int rc = load(ps, path, f, NULL, 0, err);
    fclose(f);
    return rc;
}

int param_load_yaml_string(struct param_set *ps, const char *name, const char *text, size_t n,
                           struct gs_error *err)
{
    return load(ps, name, NULL, text, n, err);
}
