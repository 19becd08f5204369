/* diff_report.c: the outputs of `govsim diff` as JSON or as a JUnit XML report, for CI
 * systems (see diff_report.h; the formats are described in docs/output.md). */
#include "diff_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "error.h"

struct item {
    char *path, *message;
    enum diff_status status;
    size_t n, n_differ;
    double max_abs, max_rel;
};

struct diff_report {
    FILE *mem;        /* diff_files prints its lines here */
    char *buf;
    size_t size, seen;
    struct item *items;
    size_t nitems;
};

static const char *const status_names[] = {
    [DIFF_SAME] = "same", [DIFF_DIFFERS] = "differs", [DIFF_SHAPE] = "shape_differs",
    [DIFF_ONLY_A] = "only_in_a", [DIFF_ONLY_B] = "only_in_b"};

struct diff_report *diff_report_new(void)
{
    struct diff_report *rep = gs_calloc(1, sizeof *rep);
    rep->mem = open_memstream(&rep->buf, &rep->size);
    if (!rep->mem) {   /* fails only when out of memory, as gs_malloc would */
        fprintf(stderr, "govsim: out of memory\n");
        abort();
    }
    return rep;
}

FILE *diff_report_stream(struct diff_report *rep)
{
    return rep->mem;
}

void diff_report_record(const struct diff_record *r, void *ctx)
{
    struct diff_report *rep = ctx;
    fflush(rep->mem);
    /* the line diff_files printed for this output, without "PATH: " and the newline */
    size_t len = rep->size - rep->seen, skip = strlen(r->path) + 2;
    const char *line = rep->buf + rep->seen;
    if (len >= skip && !strncmp(line, r->path, skip - 2) && !strncmp(line + skip - 2, ": ", 2)) {
        line += skip;
        len -= skip;
    }
    while (len > 0 && line[len - 1] == '\n')
        len--;
    rep->items = gs_realloc(rep->items, (rep->nitems + 1) * sizeof *rep->items);
    struct item *it = &rep->items[rep->nitems++];
    it->path = gs_strdup(r->path);
    it->message = gs_malloc(len + 1);
    memcpy(it->message, line, len);
    it->message[len] = '\0';
    it->status = r->status;
    it->n = r->n;
    it->n_differ = r->n_differ;
    it->max_abs = r->max_abs;
    it->max_rel = r->max_rel;
    rep->seen = rep->size;
}

static void json_number(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fputs("null", f);
}

/* Text for XML, in an attribute value or an element. */
static void xml_text(FILE *f, const char *t)
{
    for (; *t; t++) {
        unsigned char c = (unsigned char)*t;
        if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '&')
            fputs("&amp;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c == '\n' || c == '\t')
            fprintf(f, "&#%d;", c);
        else if (c >= 0x20)
            fputc(c, f);   /* other control characters are not allowed in XML 1.0 */
    }
}

static size_t count_differing(const struct diff_report *rep)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nitems; i++)
        n += rep->items[i].status != DIFF_SAME;
    return n;
}

static void print_json(FILE *f, const struct diff_report *rep, const char *a, const char *b,
                       const struct diff_opts *o)
{
    size_t differ = count_differing(rep);
    fprintf(f, "{\n  \"a\": ");
    cli_json_string(f, a);
    fprintf(f, ",\n  \"b\": ");
    cli_json_string(f, b);
    fprintf(f, ",\n  \"rtol\": ");
    json_number(f, o->rtol);
    fprintf(f, ",\n  \"atol\": ");
    json_number(f, o->atol);
    fprintf(f, ",\n  \"outputs_compared\": %zu,\n  \"outputs_differing\": %zu,\n  \"outputs\": [",
            rep->nitems, differ);
    for (size_t i = 0; i < rep->nitems; i++) {
        const struct item *it = &rep->items[i];
        fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
        cli_json_string(f, it->path);
        fprintf(f, ", \"status\": \"%s\", \"values\": %zu, \"values_differing\": %zu, "
                "\"max_abs_diff\": ", status_names[it->status], it->n, it->n_differ);
        json_number(f, it->max_abs);
        fprintf(f, ", \"max_rel_diff\": ");
        json_number(f, it->max_rel);
        if (it->status != DIFF_SAME) {
            fprintf(f, ", \"message\": ");
            cli_json_string(f, it->message);
        }
        fputc('}', f);
    }
    fprintf(f, "%s]\n}\n", rep->nitems ? "\n  " : "");
}

/* The first component of a path, "summary" of "/summary/x"; "attributes" for the root's. */
static void group_of(const char *path, char *buf, size_t n)
{
    const char *p = path[0] == '/' ? path + 1 : path;
    size_t len = strcspn(p, "/");
    if (p[0] == '@' || !p[len])
        snprintf(buf, n, "%s", p[0] == '@' ? "attributes" : "root");
    else
        snprintf(buf, n, "%.*s", (int)len, p);
}

static void print_junit(FILE *f, const struct diff_report *rep, const char *a, const char *b,
                        const struct diff_opts *o)
{
    size_t differ = count_differing(rep);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"govsim diff\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n"
               "  <testsuite name=\"govsim diff ", rep->nitems, differ);
    xml_text(f, a);
    fputc(' ', f);
    xml_text(f, b);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", rep->nitems, differ);
    fprintf(f, "    <properties>\n      <property name=\"a\" value=\"");
    xml_text(f, a);
    fprintf(f, "\"/>\n      <property name=\"b\" value=\"");
    xml_text(f, b);
    fprintf(f, "\"/>\n      <property name=\"rtol\" value=\"%g\"/>\n"
               "      <property name=\"atol\" value=\"%g\"/>\n    </properties>\n", o->rtol, o->atol);
    for (size_t i = 0; i < rep->nitems; i++) {
        const struct item *it = &rep->items[i];
        char group[256];
        group_of(it->path, group, sizeof group);
        fprintf(f, "    <testcase classname=\"");
        xml_text(f, group);
        fprintf(f, "\" name=\"");
        xml_text(f, it->path);
        if (it->status == DIFF_SAME) {
            fprintf(f, "\"/>\n");
            continue;
        }
        fprintf(f, "\">\n      <failure type=\"%s\" message=\"", status_names[it->status]);
        xml_text(f, it->message);
        fprintf(f, "\">");
        xml_text(f, it->path);
        fprintf(f, ": ");
        xml_text(f, it->message);
        if (it->status == DIFF_DIFFERS) {
            fprintf(f, "\n%zu of %zu values beyond tolerance (rtol %g, atol %g)", it->n_differ,
                    it->n, o->rtol, o->atol);
            if (!isnan(it->max_abs))
                fprintf(f, "; largest absolute difference %.6g, relative %.6g", it->max_abs, it->max_rel);
        }
        fprintf(f, "</failure>\n    </testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
}

void diff_report_print(FILE *f, struct diff_report *rep, enum diff_format format, const char *a,
                       const char *b, const struct diff_opts *o)
{
    fflush(rep->mem);
    if (format == DIFF_JSON)
        print_json(f, rep, a, b, o);
    else if (format == DIFF_JUNIT)
        print_junit(f, rep, a, b, o);
}

void diff_report_free(struct diff_report *rep)
{
    if (!rep)
        return;
    fclose(rep->mem);
    free(rep->buf);
    for (size_t i = 0; i < rep->nitems; i++) {
        free(rep->items[i].path);
        free(rep->items[i].message);
    }
    free(rep->items);
    free(rep);
}
