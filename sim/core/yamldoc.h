/* yamldoc.h: a YAML document read into a tree (maps, sequences, scalars).
 *
 * Every node keeps the line and column where it starts and its key path
 * ("vary.grid.households", "values[2]"), so callers can report errors as
 * "FILE:LINE: key 'a.b': ...". The reader refuses, with such a message:
 * malformed YAML, input that is not UTF-8, NUL characters, duplicate keys in a
 * mapping, keys that are not scalars, aliases, nesting deeper than a limit, and
 * more than one document. Scenario files (param_yaml.c), sweep files and
 * calibration files are all read through it. */
#ifndef GOVSIM_YAMLDOC_H
#define GOVSIM_YAMLDOC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum ydoc_kind { YDOC_SCALAR, YDOC_MAP, YDOC_SEQ };

struct ydoc_node {
    enum ydoc_kind kind;
    int line, column;        /* 1-based, where the node starts */
    char *path;              /* key path from the root; "" for the root */
    /* YDOC_SCALAR */
    char *text;              /* NUL-terminated value */
    int plain;               /* written without quotes (so '' differs from an empty value) */
    /* YDOC_MAP and YDOC_SEQ */
    size_t n;                /* entries */
    struct ydoc_node **items;/* values of a map, elements of a sequence */
    char **keys;             /* YDOC_MAP: keys, in file order */
    int *key_line;           /* YDOC_MAP: line of each key */
};

struct ydoc {
    char *file;              /* as given, for messages */
    char *text;              /* the whole file, NUL-terminated */
    size_t len;
    struct ydoc_node *root;  /* NULL when the document is empty */
    int end_line;            /* last line of the file, for "empty file" messages */
};

#define YDOC_DEFAULT_MAX_DEPTH 8

/* Reads and parses a file; max_depth limits nested maps/sequences (<= 0: default).
 * `what` names the kind of file in messages ("scenario file"). Returns NULL with
 * a message in err on failure. Free with ydoc_free. */
struct ydoc *ydoc_load_file(const char *path, const char *what, int max_depth,
                            struct gs_error *err);
/* Parses text held in memory; `name` stands for the file in messages. */
struct ydoc *ydoc_load_string(const char *name, const char *text, size_t len, int max_depth,
                              struct gs_error *err);
void ydoc_free(struct ydoc *doc);

/* The value of `key` in a map, or NULL (also when node is NULL or not a map). */
const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key);

/* Formats "FILE:LINE: key 'PATH': MESSAGE" (or "FILE:LINE: MESSAGE" at the root)
 * into err; returns -1. */
int ydoc_fail(struct gs_error *err, const struct ydoc *doc, const struct ydoc_node *node,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Typed reads of one node, with messages through ydoc_fail. */
int ydoc_double(const struct ydoc *doc, const struct ydoc_node *node, double *out,
                struct gs_error *err);
int ydoc_int(const struct ydoc *doc, const struct ydoc_node *node, int64_t *out,
             struct gs_error *err);
int ydoc_string(const struct ydoc *doc, const struct ydoc_node *node, const char **out,
                struct gs_error *err);
/* Checks that a node has the given kind ("expected a mapping, got a list"). */
int ydoc_expect(const struct ydoc *doc, const struct ydoc_node *node, enum ydoc_kind kind,
                struct gs_error *err);
/* Refuses keys of a map not in the NULL-terminated list `allowed`. */
int ydoc_check_keys(const struct ydoc *doc, const struct ydoc_node *map,
                    const char *const *allowed, struct gs_error *err);

#endif
