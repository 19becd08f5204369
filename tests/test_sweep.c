/* test_sweep.c: sweep files and designs, checked against each design's definition. */
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "progress.h"
#include "sweep.h"

static char tmpdir[] = "/tmp/govsim-test-sweep-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static struct sweep *load(const char *name, const char *text)
{
    struct sweep *s = NULL;
    struct gs_error err = {""};
    CHECK(sweep_load(write_file(name, text), &s, &err) == 0, "%s refused: %s", name, err.msg);
    return s;
}

#define BASE "set: {time.days: 3, world.streets: 1, world.communities: 2, world.grids: 4}\n"

static void test_factorial(void)
{
    struct sweep *s = load("f.yaml", BASE "vary:\n  grid.workers: {values: [1, 2, 5]}\n"
                           "  intake.report_prob_base: {range: [0.2, 0.8]}\n"
                           "  grid.patrol_hours: {range: [0, 3]}\n"
                           "design: factorial\nlevels: 4\nreplicates: 2\n");
    if (!s)
        return;
    const double workers[] = {1, 2, 5};
    CHECK(s->npoints == 3 * 4 * 4 && s->nruns == 2 * s->npoints, "%zu points", s->npoints);
    /* every combination of levels appears exactly once */
    int seen[3][4][4] = {{{0}}};
    for (size_t i = 0; i < s->npoints; i++) {
        const double *x = &s->x[i * 3];
        int a = -1, b = (int)lround((x[1] - 0.2) / 0.2), c = (int)lround(x[2]);
        for (int k = 0; k < 3; k++)
            if (x[0] == workers[k])
                a = k;
        CHECK(a >= 0 && b >= 0 && b < 4 && c >= 0 && c < 4 &&
              fabs(x[1] - (0.2 + b * 0.6 / 3)) < 1e-12 && fabs(x[2] - c) < 1e-12,
              "point %zu off the grid: %g %g %g", i, x[0], x[1], x[2]);
        if (a >= 0 && b >= 0 && b < 4 && c >= 0 && c < 4)
            seen[a][b][c]++;
    }
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++)
                CHECK(seen[a][b][c] == 1, "combination %d %d %d seen %d times", a, b, c, seen[a][b][c]);
    /* common random numbers: replicate r has the same seed at every point, replicates differ */
    struct params p0, p1, q0;
    sweep_run_params(s, 0, &p0);
    sweep_run_params(s, 1, &p1);
    sweep_run_params(s, 2 * 7, &q0);
    CHECK(p0.seed == q0.seed && p0.seed != p1.seed, "seeds %lld %lld %lld", (long long)p0.seed,
          (long long)p1.seed, (long long)q0.seed);
    CHECK(q0.staff[0] == (int64_t)s->x[7 * 3] && q0.days == 3, "run parameters not applied");
    sweep_free(s);
}

static void test_lhs(void)
{
    const size_t N = 37;
    struct sweep *s = load("l.yaml", BASE "vary:\n  intake.report_prob_base: {range: [0.2, 0.8]}\n"
                           "  resident.patience_hours: {range: [10, 100]}\n"
                           "  grid.workers: {range: [1, 10]}\n"
                           "design: lhs\nsamples: 37\nseed: 3\n");
    if (!s)
        return;
    CHECK(s->npoints == N && s->nruns == N, "%zu points", s->npoints);
    for (size_t d = 0; d < 3; d++) {
        int *count = calloc(N, sizeof *count);
        for (size_t i = 0; i < N; i++) {
            double u = s->unit[i * 3 + d];
            CHECK(u >= 0 && u < 1, "unit coordinate %g", u);
            count[(size_t)floor(u * (double)N)]++;
        }
        for (size_t j = 0; j < N; j++)
            CHECK(count[j] == 1, "dimension %zu stratum %zu has %d points", d, j, count[j]);
        free(count);
    }
    for (size_t i = 0; i < N; i++) {
        CHECK(fabs(s->x[i * 3] - (0.2 + 0.6 * s->unit[i * 3])) < 1e-12, "mapping");
        double w = s->x[i * 3 + 2];
        CHECK(w == floor(w) && w >= 1 && w <= 10 && w == 1 + floor(s->unit[i * 3 + 2] * 10),
              "int mapping %g", w);
    }
    sweep_free(s);
}

static void test_sobol(void)
{
    const size_t N = 16, k = 3;
    struct sweep *s = load("s.yaml", BASE "vary:\n  intake.report_prob_base: {range: [0, 1]}\n"
                           "  resident.patience_hours: {range: [10, 100]}\n"
                           "  grid.patrol_hours: {range: [0, 4]}\n"
                           "design: sobol\nsamples: 16\n");
    if (!s)
        return;
    CHECK(s->npoints == N * (k + 2), "%zu points", s->npoints);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 2 * k);
    double v[6];
    for (size_t n = 0; n < N && s->npoints == N * (k + 2); n++) {
        gsl_qrng_get(q, v);
        for (size_t j = 0; j < k + 2; j++) {
            const double *u = &s->unit[(n * (k + 2) + j) * k];
            for (size_t d = 0; d < k; d++) {
                /* A = v[0..k), B = v[k..2k); row j of the block: 0 A, 1..k AB^j, k+1 B */
                int from_b = j == k + 1 || j == d + 1;
                CHECK(u[d] == v[d + (from_b ? k : 0)], "sample %zu row %zu dim %zu", n, j, d);
            }
            CHECK(s->group[n * (k + 2) + j] == (int64_t)n && s->step[n * (k + 2) + j] == (int64_t)j,
                  "group/step");
        }
    }
    gsl_qrng_free(q);
    CHECK(fabs(s->x[1] - (10 + 90 * s->unit[1])) < 1e-12, "mapping");
    sweep_free(s);
}

static void test_morris(void)
{
    const size_t R = 10, k = 4;
    struct sweep *s = load("m.yaml", BASE "vary:\n  intake.report_prob_base: {range: [0, 1]}\n"
                           "  resident.patience_hours: {range: [10, 100]}\n"
                           "  grid.patrol_hours: {range: [0, 4]}\n"
                           "  intake.report_prob_trust: {range: [0, 0.5]}\n"
                           "design: morris\nsamples: 10\nlevels: 4\n");
    if (!s)
        return;
    CHECK(s->npoints == R * (k + 1), "%zu points", s->npoints);
    const double delta = 4.0 / (2 * 3);
    for (size_t t = 0; t < R; t++) {
        int moved[4] = {0};
        for (size_t m = 0; m <= k; m++) {
            const double *u = &s->unit[(t * (k + 1) + m) * k];
            for (size_t d = 0; d < k; d++)
                CHECK(fabs(u[d] * 3 - round(u[d] * 3)) < 1e-12 && u[d] >= 0 && u[d] <= 1,
                      "off the 4-level grid: %g", u[d]);
            if (m == 0)
                continue;
            size_t p = t * (k + 1) + m;
            int64_t j = s->moved[p];
            CHECK(j >= 0 && j < (int64_t)k, "moved %lld", (long long)j);
            if (j < 0 || j >= (int64_t)k)
                continue;
            moved[j]++;
            for (size_t d = 0; d < k; d++) {
                double change = u[d] - (u - k)[d];   /* previous point */
                CHECK(fabs(change - ((int64_t)d == j ? s->delta[p] : 0)) < 1e-12, "step change");
            }
            CHECK(fabs(fabs(s->delta[p]) - delta) < 1e-12, "delta %g", s->delta[p]);
        }
        for (size_t d = 0; d < k; d++)
            CHECK(moved[d] == 1, "trajectory %zu moved parameter %zu %d times", t, d, moved[d]);
    }
    sweep_free(s);
}

static void expect_refused(const char *name, const char *text, const char *n1, const char *n2)
{
    struct sweep *s = NULL;
    struct gs_error err = {""};
    CHECK(sweep_load(write_file(name, text), &s, &err) != 0, "%s accepted", name);
    CHECK_CONTAINS(err.msg, name);
    CHECK_CONTAINS(err.msg, n1);
    if (n2)
        CHECK_CONTAINS(err.msg, n2);
    sweep_free(s);
}

static void test_refusals(void)
{
    expect_refused("r1.yaml", BASE "vary:\n  grid.wrokers: {values: [1]}\ndesign: lhs\nsamples: 2\n",
                   "r1.yaml:3", "did you mean 'grid.workers'");
    expect_refused("r2.yaml", BASE "vary:\n  grid.workers: {range: [1, 20000]}\ndesign: lhs\nsamples: 2\n",
                   "r2.yaml:3", "key 'vary.grid.workers.range[1]'");
    expect_refused("r3.yaml", BASE "vary:\n  grid.workers: {values: []}\ndesign: factorial\n",
                   "r3.yaml:3", "at least 1");
    expect_refused("r4.yaml", BASE "vary:\n  grid.workers: {values: [1]}\ndesign: lhs\nsamples: 0\n",
                   "r4.yaml:5", "key 'samples'");
    expect_refused("r5.yaml", BASE "vary:\n  grid.workers: {values: [1]}\ndesign: factorial\nreplicates: 0\n",
                   "r5.yaml:5", "key 'replicates'");
    expect_refused("r6.yaml", BASE "vary: {}\ndesign: lhs\nsamples: 2\n", "r6.yaml:2", "no parameters");
    expect_refused("r7.yaml", BASE "vary:\n  grid.workers: {values: [1]}\ndesign: grid\n",
                   "r7.yaml:4", "key 'design'");
    expect_refused("r8.yaml", BASE "vary:\n  grid.workers: {values: [1.5]}\ndesign: factorial\n",
                   "r8.yaml:3", "whole numbers");
    expect_refused("r9.yaml", BASE "vary:\n  grid.workers: {range: [1, 3]}\ndesign: factorial\n",
                   "r9.yaml", "levels");
    expect_refused("r10.yaml", BASE "vary:\n  scenario.name: {values: [1]}\ndesign: factorial\n",
                   "r10.yaml:3", "text");
    expect_refused("r11.yaml", "set: {grid.households: -1}\nvary:\n  grid.workers: {values: [1]}\n"
                   "design: factorial\n", "r11.yaml:1", "out of range");
    expect_refused("r12.yaml", "scenario: missing.yaml\nvary:\n  grid.workers: {values: [1]}\n"
                   "design: factorial\n", "r12.yaml:1", "missing.yaml");
    expect_refused("r13.yaml", BASE "vary:\n  world.grids: {values: [1, 4]}\ndesign: factorial\n",
                   "r13.yaml", "design point 0");
    expect_refused("r14.yaml", BASE "vary:\n  grid.workers: {values: [1]}\ndesign: factorial\nsampels: 3\n",
                   "r14.yaml:5", "unknown key");
    expect_refused("r15.yaml", "", "empty", NULL);
}

static void test_hash(void)
{
    struct sweep *a = load("h1.yaml", BASE "vary:\n  grid.workers: {values: [1, 2]}\ndesign: factorial\n");
    struct sweep *b = load("h2.yaml", "# comment\n" BASE "vary:\n  grid.workers: {values: [1, 2]}\n"
                           "design: factorial\n");
    struct sweep *c = load("h3.yaml", BASE "vary:\n  grid.workers: {values: [1, 3]}\ndesign: factorial\n");
    if (a && b && c)
        CHECK(!strcmp(a->hash, b->hash) && strcmp(a->hash, c->hash), "hashes %s %s %s", a->hash,
              b->hash, c->hash);
    sweep_free(a);
    sweep_free(b);
    sweep_free(c);
}

/* The sweep's progress line: count, runs per second = done / elapsed, time left =
 * elapsed (total - done) / done; a count of days shows no rate. */
static void test_progress_line(void)
{
    struct progress runs, days;
    progress_init_runs(&runs, "run", 1);
    progress_init(&days, "day", 1);
    const struct { int64_t done, total; double elapsed; const char *fmt; } cases[] = {
        {412, 1000, 128.75, "%.1f"}, {3, 50, 1000.0, "%.2g"}, {950, 1000, 19.0, "%.0f"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char line[256], want[64], fmt[32];
        int64_t d = cases[i].done, t = cases[i].total;
        double e = cases[i].elapsed;
        int n = progress_format(line, sizeof line, &runs, d, t, e);
        CHECK(n == (int)strlen(line), "length %d of '%s'", n, line);
        snprintf(want, sizeof want, "run %lld/%lld", (long long)d, (long long)t);
        CHECK_CONTAINS(line, want);
        snprintf(fmt, sizeof fmt, ", %s runs/s,", cases[i].fmt);
        snprintf(want, sizeof want, fmt, (double)d / e);
        CHECK_CONTAINS(line, want);
        snprintf(want, sizeof want, "about %.0f s left", e * (double)(t - d) / (double)d);
        CHECK_CONTAINS(line, want);
        progress_format(line, sizeof line, &days, d, t, e);
        snprintf(want, sizeof want, "day %lld/%lld", (long long)d, (long long)t);
        CHECK_CONTAINS(line, want);
        CHECK(!strstr(line, "/s"), "a count of days shows a rate: '%s'", line);
    }
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    test_factorial();
    test_lhs();
    test_sobol();
    test_morris();
    test_refusals();
    test_hash();
    test_progress_line();
    return check_report("test_sweep");
}
