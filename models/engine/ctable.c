/* ctable.c: reads the community table (ctable.h). */
#include "ctable.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const community_kind_names[N_KINDS] = {"", "old_neighbourhood", "commodity_housing",
                                                   "resettlement"};

enum column { COL_COMMUNITY, COL_STREET, COL_KIND, COL_GRIDS, COL_HOUSEHOLDS, COL_SHARE0, N_COLS = COL_SHARE0 + N_SHARES };
static const char *const column_names[N_COLS] = {
    "community", "street", "kind", "grids", "households",
    "share_resettled", "share_migrant", "share_elderly", "share_party"};
static const int column_required[N_COLS] = {1, 1, 0, 1, 1, 0, 0, 0, 0};

#define LINE_MAX_CHARS 4096
#define MAX_FIELDS 64

struct reader {
    const char *file;
    int line;
    int col[MAX_FIELDS];     /* enum column of each field of a row, by position */
    int nfields;
    struct gs_error *err;
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Splits line at commas into at most MAX_FIELDS trimmed fields; returns their number, or -1. */
static int split(struct reader *R, char *line, char **f)
{
    int n = 0;
    for (char *s = line;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (n == MAX_FIELDS)
            return gs_error_set(R->err, "%s:%d: more than %d columns", R->file, R->line, MAX_FIELDS);
        f[n++] = trim(s);
        if (!comma)
            return n;
        s = comma + 1;
    }
}

static int bad(struct reader *R, int col, const char *fmt, const char *text, const char *more)
{
    char what[256];
    snprintf(what, sizeof what, fmt, text, more);
    return gs_error_set(R->err, "%s:%d: column '%s': %s", R->file, R->line, column_names[col], what);
}

static int read_header(struct reader *R, char **f, int n)
{
    int seen[N_COLS] = {0};
    for (int i = 0; i < n; i++) {
        int c = 0;
        while (c < N_COLS && strcmp(f[i], column_names[c]) != 0)
            c++;
        if (c == N_COLS) {
            char known[400] = "";
            for (int k = 0; k < N_COLS; k++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", k ? ", " : "",
                         column_names[k]);
            return gs_error_set(R->err, "%s:%d: unknown column '%.80s' (known: %s)", R->file, R->line,
                                f[i], known);
        }
        if (seen[c])
            return gs_error_set(R->err, "%s:%d: column '%s' is given twice", R->file, R->line,
                                column_names[c]);
        seen[c] = 1;
        R->col[i] = c;
    }
    R->nfields = n;
    for (int c = 0; c < N_COLS; c++)
        if (column_required[c] && !seen[c])
            return gs_error_set(R->err, "%s:%d: required column '%s' is missing", R->file, R->line,
                                column_names[c]);
    return 0;
}

static int whole(struct reader *R, int col, const char *text, int64_t lo, int64_t hi, int64_t *v)
{
    if (!*text)
        return bad(R, col, "no value%s%s", "", "");
    char *end;
    errno = 0;
    long long x = strtoll(text, &end, 10);
    if (*end || errno)
        return bad(R, col, "expected a whole number, got '%.60s'%s", text, "");
    if (x < lo || x > hi) {
        char range[80];
        snprintf(range, sizeof range, " is out of range [%lld, %lld]", (long long)lo, (long long)hi);
        return bad(R, col, "value %.60s%s", text, range);
    }
    *v = x;
    return 0;
}

static int share(struct reader *R, int col, const char *text, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (*end || errno || end == text)
        return bad(R, col, "expected a number, got '%.60s'%s", text, "");
    if (!isfinite(x))
        return bad(R, col, "expected a finite number, got '%.60s'%s", text, "");
    if (x < 0 || x > 1)
        return bad(R, col, "share %.60s is out of range [0, 1]%s", text, "");
    *v = x;
    return 0;
}

static int read_row(struct reader *R, char **f, int n, const struct params *p,
                    struct community_row *row)
{
    if (n != R->nfields)
        return gs_error_set(R->err, "%s:%d: %d columns, the header has %d", R->file, R->line, n,
                            R->nfields);
    const double def[N_SHARES] = {p->share_resettled, p->share_migrant, p->share_elderly,
                                  p->share_party};
    memset(row, 0, sizeof *row);
    memcpy(row->share, def, sizeof def);
    for (int i = 0; i < n; i++) {
        int c = R->col[i];
        const char *t = f[i];
        switch (c) {
        case COL_COMMUNITY:
            if (!*t)
                return bad(R, c, "no value%s%s", "", "");
            if (strlen(t) >= sizeof row->id)
                return bad(R, c, "identifier '%.40s...' is longer than 63 characters%s", t, "");
            for (const char *s = t; *s; s++)
                if ((unsigned char)*s < 0x20 || *s == '"')
                    return bad(R, c, "identifier '%.60s' holds a control character or a quote%s", t, "");
            snprintf(row->id, sizeof row->id, "%s", t);
            break;
        case COL_STREET:
            if (whole(R, c, t, 1, p->streets, &row->street) != 0)
                return -1;
            row->street--;
            break;
        case COL_GRIDS:
            if (whole(R, c, t, 1, p->grids, &row->grids) != 0)
                return -1;
            break;
        case COL_HOUSEHOLDS:
            if (whole(R, c, t, 1, 4000000000LL, &row->households) != 0)
                return -1;
            break;
        case COL_KIND: {
            int k = 1;
            while (k < N_KINDS && strcmp(t, community_kind_names[k]) != 0)
                k++;
            if (k < N_KINDS)
                row->kind = (uint8_t)k;
            else if (*t)
                return bad(R, c, "unknown kind '%.60s' (known: %s)", t,
                           "old_neighbourhood, commodity_housing, resettlement");
            break;
        }
        default:
            if (*t && share(R, c, t, &row->share[c - COL_SHARE0]) != 0)
                return -1;
        }
    }
    if (row->households < row->grids)
        return gs_error_set(R->err, "%s:%d: column 'households': %lld households cannot fill %lld grids",
                              R->file, R->line, (long long)row->households, (long long)row->grids);
    if ((row->households + row->grids - 1) / row->grids > 100000)
        return gs_error_set(R->err, "%s:%d: column 'households': more than 100000 households per grid",
                            R->file, R->line);
    if (row->share[SH_RESETTLED] + row->share[SH_MIGRANT] > 1 + 1e-12)
        return gs_error_set(R->err, "%s:%d: column 'share_migrant': share_resettled + share_migrant is %g, more than 1",
                            R->file, R->line, row->share[SH_RESETTLED] + row->share[SH_MIGRANT]);
    return 0;
}

int ctable_load(const struct params *p, struct community_table *t, struct gs_error *err)
{
    memset(t, 0, sizeof *t);
    const char *path = p->community_table;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return gs_error_set(err, "%s: cannot read the community table (world.community_table): %s",
                            path, strerror(errno));
    struct reader R = {.file = path, .err = err};
    char buf[LINE_MAX_CHARS + 2], *f[MAX_FIELDS];
    int header = 0, rc = 0;
    int64_t cap = 0, grids = 0, households = 0;
    while (rc == 0 && fgets(buf, sizeof buf, fp)) {
        R.line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            rc = gs_error_set(err, "%s:%d: line longer than %d characters", path, R.line, LINE_MAX_CHARS);
            break;
        }
        if (len == 0 || (buf[len - 1] != '\n' && !feof(fp))) {   /* fgets stopped at a NUL */
            rc = gs_error_set(err, "%s:%d: a NUL byte in the line (not a text file?)", path, R.line);
            break;
        }
        char *s = trim(buf);
        if (*s == '\0' || *s == '#')
            continue;
        int n = split(&R, s, f);
        if (n < 0) {
            rc = -1;
        } else if (!header) {
            rc = read_header(&R, f, n);
            header = 1;
        } else if (t->n >= p->communities) {
            rc = gs_error_set(err, "%s:%d: more rows than world.communities (%lld)", path, R.line,
                              (long long)p->communities);
        } else {
            if (t->n == cap) {
                cap = cap ? 2 * cap : 64;
                t->rows = gs_realloc(t->rows, (size_t)cap * sizeof *t->rows);
            }
            struct community_row *row = &t->rows[t->n];
            rc = read_row(&R, f, n, p, row);
            for (int64_t i = 0; rc == 0 && i < t->n; i++)
                if (strcmp(t->rows[i].id, row->id) == 0)
                    rc = gs_error_set(err, "%s:%d: column 'community': '%s' is given twice", path,
                                      R.line, row->id);
            int64_t prev = t->n ? t->rows[t->n - 1].street : -1;
            if (rc == 0 && row->street != prev && row->street != prev + 1)
                rc = gs_error_set(err, "%s:%d: column 'street': street %lld follows street %lld; "
                                  "rows must be in street order, every street from 1 to "
                                  "world.streets having at least one community", path, R.line,
                                  (long long)row->street + 1, (long long)prev + 1);
            grids += row->grids;
            households += row->households;
            t->n += rc == 0;
        }
    }
    if (rc == 0 && ferror(fp))
        rc = gs_error_set(err, "%s: read error", path);
    fclose(fp);
    if (rc == 0 && !header)
        rc = gs_error_set(err, "%s:%d: the community table is empty; expected a header line "
                          "(community,street,grids,households,...) and a row per community", path, R.line);
    else if (rc == 0 && t->n != p->communities)
        rc = gs_error_set(err, "%s:%d: %lld rows, but world.communities is %lld", path, R.line,
                          (long long)t->n, (long long)p->communities);
    else if (rc == 0 && t->rows[t->n - 1].street + 1 != p->streets)
        rc = gs_error_set(err, "%s:%d: the rows use streets 1 to %lld, but world.streets is %lld", path,
                          R.line, (long long)t->rows[t->n - 1].street + 1, (long long)p->streets);
    else if (rc == 0 && grids != p->grids)
        rc = gs_error_set(err, "%s:%d: the rows have %lld grids in all, but world.grids is %lld", path,
                          R.line, (long long)grids, (long long)p->grids);
    else if (rc == 0 && households >= 4000000000LL)
        rc = gs_error_set(err, "%s:%d: the rows have %lld households in all; at most 4e9 fit", path,
                          R.line, (long long)households);
    if (rc != 0)
        ctable_free(t);
    return rc;
}

void ctable_free(struct community_table *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}
