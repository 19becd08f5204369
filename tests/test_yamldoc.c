/* test_yamldoc.c: the YAML document reader (tree, lines, key paths, refusals). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "yamldoc.h"

static struct ydoc *parse(const char *text, struct gs_error *err)
{
    return ydoc_load_string("t.yaml", text, strlen(text), 0, err);
}

static void expect_refused(const char *text, const char *needle1, const char *needle2)
{
    struct gs_error err = {""};
    struct ydoc *doc = parse(text, &err);
    CHECK(doc == NULL, "accepted: %s", text);
    ydoc_free(doc);
    CHECK_CONTAINS(err.msg, needle1);
    if (needle2)
        CHECK_CONTAINS(err.msg, needle2);
}

static void test_tree(void)
{
    struct gs_error err = {""};
    struct ydoc *doc = parse("# comment\nbase: a.yaml\nvary:\n  grid.workers:\n    range: [1, 5]\n"
                             "  list:\n    - 'x'\n    - \n", &err);
    CHECK(doc != NULL, "refused: %s", err.msg);
    if (!doc)
        return;
    const struct ydoc_node *r = doc->root, *base = ydoc_get(r, "base");
    CHECK(r->kind == YDOC_MAP && r->n == 2, "root not a map of 2");
    CHECK(base && base->line == 2 && base->column == 7 && !strcmp(base->text, "a.yaml"), "base");
    const struct ydoc_node *range = ydoc_get(ydoc_get(ydoc_get(r, "vary"), "grid.workers"), "range");
    CHECK(range && range->kind == YDOC_SEQ && range->n == 2 && range->line == 5, "range");
    if (range)
        CHECK(!strcmp(range->items[1]->path, "vary.grid.workers.range[1]"), "path %s",
              range->items[1]->path);
    double d = 0;
    int64_t i = 0;
    CHECK(range && ydoc_double(doc, range->items[1], &d, &err) == 0 && d == 5, "double");
    CHECK(range && ydoc_int(doc, range->items[0], &i, &err) == 0 && i == 1, "int");
    const struct ydoc_node *list = ydoc_get(ydoc_get(r, "vary"), "list");
    CHECK(list && list->n == 2 && !list->items[0]->plain && list->items[1]->plain, "quoting");
    CHECK(ydoc_string(doc, list->items[1], &(const char *){0}, &err) != 0, "empty value read");
    CHECK_CONTAINS(err.msg, "t.yaml:8: key 'vary.list[1]': has no value");
    CHECK(ydoc_double(doc, list->items[0], &d, &err) != 0, "'x' read as number");
    CHECK_CONTAINS(err.msg, "t.yaml:7");
    CHECK(ydoc_check_keys(doc, r, (const char *const[]){"base", NULL}, &err) != 0, "unknown key");
    CHECK_CONTAINS(err.msg, "t.yaml:3: key 'vary': unknown key");
    CHECK(ydoc_expect(doc, base, YDOC_SEQ, &err) != 0, "scalar taken for a list");
    CHECK_CONTAINS(err.msg, "expected a list");
    ydoc_free(doc);

    doc = parse("# nothing\n", &err);
    CHECK(doc && doc->root == NULL, "empty document has a root");
    ydoc_free(doc);
}

int main(void)
{
    test_tree();
    expect_refused("a: 1\nb:\n  c: 2\n  c: 3\n", "t.yaml:4", "key 'b.c' is given twice (first on line 3)");
    expect_refused("a: &x 1\nb: *x\n", "t.yaml:2", "aliases");
    expect_refused("a: [[[[[[[[1]]]]]]]]\n", "nesting deeper than 8", "t.yaml:1");
    expect_refused("a: 1\nb: \xff\n", "t.yaml:2", "UTF-8");
    expect_refused("a: \"x\\0y\"\n", "NUL", "key 'a'");
    expect_refused("a: 1\n---\nb: 2\n", "one YAML document", "t.yaml:2");
    expect_refused("a: 1\n  b: 2\n", "malformed YAML", "t.yaml:2");
    expect_refused("? [1, 2]\n: 3\n", "t.yaml:1", "expected a name");
    struct gs_error err;
    CHECK(ydoc_load_file("/nonexistent/x.yaml", "sweep file", 0, &err) == NULL, "missing file");
    CHECK_CONTAINS(err.msg, "cannot open sweep file");
    return check_report("test_yamldoc");
}
