/* yamldoc.c: builds a tree from libyaml's event stream, with line numbers and
 * key paths, refusing what the project does not accept (see yamldoc.h). */
#include "yamldoc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define YDOC_MAX_BYTES (64L << 20)

struct builder {
    yaml_parser_t parser;
    struct ydoc *doc;
    int max_depth;
    struct gs_error *err;
};

static int line_at_offset(const struct ydoc *doc, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < doc->len; i++)
        line += doc->text[i] == '\n';
    return line;
}

static int next_event(struct builder *B, yaml_event_t *ev)
{
    if (yaml_parser_parse(&B->parser, ev))
        return 0;
    const yaml_parser_t *p = &B->parser;
    const char *problem = p->problem ? p->problem : "malformed YAML";
    int line = p->error == YAML_READER_ERROR ? line_at_offset(B->doc, p->problem_offset)
                                             : (int)p->problem_mark.line + 1;
    if (p->error == YAML_READER_ERROR)
        return gs_error_set(B->err, "%s:%d: malformed YAML: %s (the file must be UTF-8 text)",
                            B->doc->file, line, problem);
    return gs_error_set(B->err, "%s:%d: malformed YAML: %s%s%s", B->doc->file, line, problem,
                        p->context ? " " : "", p->context ? p->context : "");
}

static char *child_path(const char *parent, const char *key, size_t index)
{
    size_t n = strlen(parent) + (key ? strlen(key) : 24) + 2;
    char *s = gs_malloc(n);
    if (key)
        snprintf(s, n, "%s%s%s", parent, *parent ? "." : "", key);
    else
        snprintf(s, n, "%s[%zu]", parent, index);
    return s;
}

static struct ydoc_node *new_node(enum ydoc_kind kind, const yaml_event_t *ev, char *path)
{
    struct ydoc_node *n = gs_calloc(1, sizeof *n);
    n->kind = kind;
    n->line = (int)ev->start_mark.line + 1;
    n->column = (int)ev->start_mark.column + 1;
    n->path = path;
    return n;
}

static void node_free(struct ydoc_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        node_free(n->items[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->key_line);
    free(n->text);
    free(n->path);
    free(n);
}

static void append(struct ydoc_node *n, struct ydoc_node *item, char *key, int key_line)
{
    n->items = gs_realloc(n->items, (n->n + 1) * sizeof *n->items);
    n->items[n->n] = item;
    if (n->kind == YDOC_MAP) {
        n->keys = gs_realloc(n->keys, (n->n + 1) * sizeof *n->keys);
        n->key_line = gs_realloc(n->key_line, (n->n + 1) * sizeof *n->key_line);
        n->keys[n->n] = key;
        n->key_line[n->n] = key_line;
    }
    n->n++;
}

static int build_node(struct builder *B, yaml_event_t *ev, char *path, int depth,
                      struct ydoc_node **out);

static int scalar_node(struct builder *B, yaml_event_t *ev, char *path, struct ydoc_node **out)
{
    const char *text = (const char *)ev->data.scalar.value;
    if (strlen(text) != ev->data.scalar.length) {
        struct ydoc_node tmp = {.line = (int)ev->start_mark.line + 1, .path = path};
        ydoc_fail(B->err, B->doc, &tmp, "value contains a NUL character");
        free(path);
        return -1;
    }
    *out = new_node(YDOC_SCALAR, ev, path);
    (*out)->text = gs_strdup(text);
    (*out)->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return 0;
}

/* Reads the next key of a map into *key; 1 at the end of the map, 0 for a key, -1 on error. */
static int next_key(struct builder *B, struct ydoc_node *map, char **key, int *line)
{
    yaml_event_t ev;
    if (next_event(B, &ev) != 0)
        return -1;
    int rc = 0;
    *line = (int)ev.start_mark.line + 1;
    if (ev.type == YAML_MAPPING_END_EVENT) {
        rc = 1;
    } else if (ev.type != YAML_SCALAR_EVENT ||
               strlen((const char *)ev.data.scalar.value) != ev.data.scalar.length) {
        struct ydoc_node tmp = {.line = *line, .path = map->path};
        rc = ydoc_fail(B->err, B->doc, &tmp, "expected a name (a plain key) here");
    } else {
        *key = gs_strdup((const char *)ev.data.scalar.value);
    }
    yaml_event_delete(&ev);
    return rc;
}

static int duplicate_key(struct builder *B, const struct ydoc_node *map, const char *key, int line)
{
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) {
            char *p = child_path(map->path, key, 0);
            gs_error_set(B->err, "%s:%d: key '%s' is given twice (first on line %d)", B->doc->file,
                         line, p, map->key_line[i]);
            free(p);
            return -1;
        }
    return 0;
}

static int fill_map(struct builder *B, struct ydoc_node *map, int depth)
{
    for (;;) {
        char *key = NULL;
        int line, rc = next_key(B, map, &key, &line);
        if (rc != 0)
            return rc > 0 ? 0 : -1;
        if (duplicate_key(B, map, key, line) != 0) {
            free(key);
            return -1;
        }
        yaml_event_t ev;
        struct ydoc_node *child = NULL;
        if (next_event(B, &ev) != 0) {
            free(key);
            return -1;
        }
        rc = build_node(B, &ev, child_path(map->path, key, 0), depth + 1, &child);
        yaml_event_delete(&ev);
        if (rc != 0) {
            free(key);
            return -1;
        }
        append(map, child, key, line);
    }
}

static int fill_seq(struct builder *B, struct ydoc_node *seq, int depth)
{
    for (;;) {
        yaml_event_t ev;
        if (next_event(B, &ev) != 0)
            return -1;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        struct ydoc_node *child = NULL;
        int rc = build_node(B, &ev, child_path(seq->path, NULL, seq->n), depth + 1, &child);
        yaml_event_delete(&ev);
        if (rc != 0)
            return -1;
        append(seq, child, NULL, 0);
    }
}

/* Builds the node that starts with event ev; takes ownership of path. */
static int build_node(struct builder *B, yaml_event_t *ev, char *path, int depth,
                      struct ydoc_node **out)
{
    struct ydoc_node tmp = {.line = (int)ev->start_mark.line + 1, .path = path};
    int rc = -1, collection = ev->type == YAML_MAPPING_START_EVENT ||
                              ev->type == YAML_SEQUENCE_START_EVENT;
    if (ev->type == YAML_SCALAR_EVENT)
        return scalar_node(B, ev, path, out);
    if (ev->type == YAML_ALIAS_EVENT)
        ydoc_fail(B->err, B->doc, &tmp, "YAML aliases are not supported");
    else if (!collection)
        ydoc_fail(B->err, B->doc, &tmp, "unexpected YAML content");
    else if (depth > B->max_depth)
        ydoc_fail(B->err, B->doc, &tmp, "nesting deeper than %d levels", B->max_depth);
    else
        rc = 0;
    if (rc != 0) {
        free(path);
        return -1;
    }
    int map = ev->type == YAML_MAPPING_START_EVENT;
    *out = new_node(map ? YDOC_MAP : YDOC_SEQ, ev, path);
    rc = map ? fill_map(B, *out, depth) : fill_seq(B, *out, depth);
    if (rc != 0) {
        node_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Expects an event of the given type (stream/document framing). */
static int expect_event(struct builder *B, yaml_event_type_t type, const char *what)
{
    yaml_event_t ev;
    if (next_event(B, &ev) != 0)
        return -1;
    int ok = ev.type == type, line = (int)ev.start_mark.line + 1;
    yaml_event_delete(&ev);
    return ok ? 0 : gs_error_set(B->err, "%s:%d: %s", B->doc->file, line, what);
}

static int parse_stream(struct builder *B)
{
    yaml_event_t ev;
    if (expect_event(B, YAML_STREAM_START_EVENT, "expected the start of a YAML stream") != 0 ||
        next_event(B, &ev) != 0)
        return -1;
    B->doc->end_line = (int)ev.start_mark.line + 1;
    int empty = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
    if (empty)
        return 0;
    if (next_event(B, &ev) != 0)
        return -1;
    int rc = build_node(B, &ev, gs_strdup(""), 1, &B->doc->root);
    yaml_event_delete(&ev);
    if (rc != 0 ||
        expect_event(B, YAML_DOCUMENT_END_EVENT, "expected the end of the document") != 0 ||
        expect_event(B, YAML_STREAM_END_EVENT, "only one YAML document is allowed") != 0)
        return -1;
    struct ydoc_node *r = B->doc->root;
    if (r->kind == YDOC_SCALAR && r->plain && r->text[0] == '\0') {
        B->doc->end_line = r->line;
        node_free(r);
        B->doc->root = NULL;
    }
    return 0;
}

struct ydoc *ydoc_load_string(const char *name, const char *text, size_t len, int max_depth,
                              struct gs_error *err)
{
    struct ydoc *doc = gs_calloc(1, sizeof *doc);
    doc->file = gs_strdup(name);
    doc->text = gs_malloc(len + 1);
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    struct builder B = {.doc = doc, .max_depth = max_depth > 0 ? max_depth : YDOC_DEFAULT_MAX_DEPTH,
                        .err = err};
    yaml_parser_initialize(&B.parser);
    yaml_parser_set_input_string(&B.parser, (const unsigned char *)doc->text, len);
    int rc = parse_stream(&B);
    yaml_parser_delete(&B.parser);
    if (rc != 0) {
        ydoc_free(doc);
        return NULL;
    }
    return doc;
}

static char *read_file(const char *path, const char *what, size_t *len, struct gs_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        gs_error_set(err, "%s: cannot open %s: %s", path, what, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        gs_error_set(err, "%s: is a directory, not a %s", path, what);
        return NULL;
    }
    if (st.st_size > YDOC_MAX_BYTES) {
        gs_error_set(err, "%s: %s is larger than %ld bytes", path, what, YDOC_MAX_BYTES);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        gs_error_set(err, "%s: cannot open %s: %s", path, what, strerror(errno));
        return NULL;
    }
    char *buf = gs_malloc((size_t)st.st_size + 1);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        gs_error_set(err, "%s: cannot read %s", path, what);
        free(buf);
        return NULL;
    }
    return buf;
}

struct ydoc *ydoc_load_file(const char *path, const char *what, int max_depth,
                            struct gs_error *err)
{
    size_t len = 0;
    char *text = read_file(path, what ? what : "YAML file", &len, err);
    if (!text)
        return NULL;
    struct ydoc *doc = ydoc_load_string(path, text, len, max_depth, err);
    free(text);
    return doc;
}

void ydoc_free(struct ydoc *doc)
{
    if (!doc)
        return;
    node_free(doc->root);
    free(doc->file);
    free(doc->text);
    free(doc);
}

const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key)
{
    if (!map || map->kind != YDOC_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
}

int ydoc_fail(struct gs_error *err, const struct ydoc *doc, const struct ydoc_node *node,
              const char *fmt, ...)
{
    char msg[GS_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = node ? node->line : doc->end_line;
    if (node && node->path && *node->path)
        return gs_error_set(err, "%s:%d: key '%s': %s", doc->file, line, node->path, msg);
    return gs_error_set(err, "%s:%d: %s", doc->file, line, msg);
}

static const char *kind_name(enum ydoc_kind k)
{
    return k == YDOC_MAP ? "a mapping (key: value lines)" : k == YDOC_SEQ ? "a list" : "a single value";
}

int ydoc_expect(const struct ydoc *doc, const struct ydoc_node *node, enum ydoc_kind kind,
                struct gs_error *err)
{
    if (node->kind == kind)
        return 0;
    if (node->kind == YDOC_SCALAR && node->plain && !node->text[0])
        return ydoc_fail(err, doc, node, "has no value; expected %s", kind_name(kind));
    return ydoc_fail(err, doc, node, "expected %s, got %s", kind_name(kind), kind_name(node->kind));
}

int ydoc_string(const struct ydoc *doc, const struct ydoc_node *node, const char **out,
                struct gs_error *err)
{
    if (ydoc_expect(doc, node, YDOC_SCALAR, err) != 0)
        return -1;
    if (node->plain && !node->text[0])
        return ydoc_fail(err, doc, node, "has no value");
    *out = node->text;
    return 0;
}

/* Parses a scalar as a double (integer 0) or a whole number (integer 1). */
static int read_number(const struct ydoc *doc, const struct ydoc_node *node, int integer,
                       double *d, int64_t *i, struct gs_error *err)
{
    const char *s = NULL;
    if (ydoc_string(doc, node, &s, err) != 0)
        return -1;
    char *end;
    errno = 0;
    if (integer)
        *i = strtoll(s, &end, 10);
    else
        *d = strtod(s, &end);
    /* for doubles, ERANGE on overflow only: an underflow (1e-310) is a finite number */
    if (end == s || *end || (errno == ERANGE && (integer || fabs(*d) == HUGE_VAL)) ||
        (!integer && !isfinite(*d)))
        return ydoc_fail(err, doc, node, "expected %s, got '%s'",
                         integer ? "a whole number" : "a finite number", s);
    return 0;
}

int ydoc_double(const struct ydoc *doc, const struct ydoc_node *node, double *out,
                struct gs_error *err)
{
    return read_number(doc, node, 0, out, NULL, err);
}

int ydoc_int(const struct ydoc *doc, const struct ydoc_node *node, int64_t *out,
             struct gs_error *err)
{
    return read_number(doc, node, 1, NULL, out, err);
}

int ydoc_check_keys(const struct ydoc *doc, const struct ydoc_node *map,
                    const char *const *allowed, struct gs_error *err)
{
    if (ydoc_expect(doc, map, YDOC_MAP, err) != 0)
        return -1;
    for (size_t i = 0; i < map->n; i++) {
        size_t k = 0;
        while (allowed[k] && strcmp(allowed[k], map->keys[i]) != 0)
            k++;
        if (allowed[k])
            continue;
        char list[512] = "";
        for (k = 0; allowed[k]; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                     allowed[k]);
        struct ydoc_node at = {.line = map->key_line[i], .path = map->items[i]->path};
        return ydoc_fail(err, doc, &at, "unknown key (expected one of: %s)", list);
    }
    return 0;
}
