/* compare.c: `govsim compare A.yaml B.yaml ... --replicates N -o OUT.h5`.
 *
 * Every scenario is run with the same N seeds (common random numbers), so the
 * noise that the scenarios share cancels in their paired differences. The runs go
 * through batch_run; the statistics are in compare_stats.c, the file in compare_io.c. */
#include "compare.h"

#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "cmdutil.h"
#include "commands.h"
#include "memcheck.h"
#include "safeout.h"
#include "io.h"

static const char *usage_compare =
    "Usage: govsim compare A.yaml B.yaml [C.yaml ...] [options]\n"
    "       govsim compare A.yaml --uncertainty N [options]\n"
    "\n"
    "Runs every scenario with the same seeds (common random numbers) and reports, for\n"
    "every output, each scenario's mean with a 95% interval and its difference from\n"
    "the first scenario (A) as a paired mean difference with a 95% interval, with a\n"
    "plain-language answer first. Writes everything to an HDF5 file (layout in\n"
    "docs/output.md); docs/compare.md.\n"
    "\n"
    "Options:\n"
    "  -n, --replicates N    runs per scenario, seeds SEED .. SEED+N-1 (default 10; at least 2)\n"
    "  -o, --output FILE     HDF5 file to write (default compare.h5)\n"
    "      --report FILE     also render an HTML report with the Python package\n"
    "                        govsim_analysis (GOVSIM_PYTHON, GOVSIM_ANALYSIS_DIR: docs/compare.md)\n"
    "      --lang en|zh      language of the --report page (default en; zh: Chinese)\n"
    "      --seed S          first seed (default 1)\n"
    "      --days N          simulated days of every scenario (same as --set time.days=N)\n"
    "      --set KEY=VALUE   override a parameter in every scenario; repeatable\n"
    "      --independent     give each scenario its own seeds (no common random numbers;\n"
    "                        differences get Welch intervals) - to see what CRN buys\n"
    "      --uncertainty N   N draws, each one set of the assumed parameters and one seed,\n"
    "                        the same for every scenario; intervals then cover the assumed\n"
    "                        parameters as well as the seeds (2.5th-97.5th percentile over\n"
    "                        the draws), with the share of draws in which each scenario is\n"
    "                        better than A. One scenario is enough. Replaces --replicates.\n"
    "      --sample FILE     the calibrated sample to draw from (HDF5, /posterior/...);\n"
    "                        default calibration/patterns.posterior.h5 beside the first\n"
    "                        scenario file if it exists; 'ranges': the plausible ranges of\n"
    "                        the parameter table (also the fallback)\n"
    "      --decompose       (two scenarios) also run A with each lever of B alone: the\n"
    "                        parameters in which they differ, grouped by a levers: mapping\n"
    "                        in B's file; prints and writes each lever's effect\n"
    "      --all             print the per-level and per-category outputs too\n"
    "      --threads N       runs at once (default: OMP_NUM_THREADS or all cores)\n"
    "      --resume          continue an interrupted comparison into the same -o: runs\n"
    "                        finished before are read from its journal FILE.runs\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this text\n";

struct cmp_opts {
    char **files;
    int nfiles;
    long nrep;
    long long seed;
    const char *output, *report;
    const char *report_lang;   /* --lang, passed to the report generator */
    char **sets;
    int nsets;
    int threads, independent, all, quiet, resume;
    long ndraws;         /* --uncertainty */
    const char *sample;
    int decompose, nrep_given;
};

static int parse_long(const char *opt, const char *text, long long lo, long long hi, long long *out)
{
    char *end;
    *out = strtoll(text, &end, 10);
    if (*text && !*end && *out >= lo && *out <= hi)
        return 0;
    fprintf(stderr, "govsim: %s expects a whole number from %lld to %lld, got '%s'\n\n%s", opt,
            lo, hi, text, usage_compare);
    return -1;
}

static int parse_option(int c, struct cmp_opts *o)
{
    long long v;
    switch (c) {
    case 'n': if (parse_long("--replicates", optarg, 2, 100000, &v)) return EXIT_BAD_INPUT;
              o->nrep = (long)v; o->nrep_given = 1; return -1;
    case 'U': if (parse_long("--uncertainty", optarg, 2, 100000, &v)) return EXIT_BAD_INPUT;
              o->ndraws = (long)v; return -1;
    case 'P': o->sample = optarg; return -1;
    case 'X': o->decompose = 1; return -1;
    case 'S': if (parse_long("--seed", optarg, 0, 9007199254740992LL, &v)) return EXIT_BAD_INPUT;
              o->seed = v; return -1;
    case 't': return cli_parse_threads(optarg, usage_compare, &o->threads);
    case 'o': o->output = optarg; return -1;
    case 'r': o->report = optarg; return -1;
    case 'L': o->report_lang = optarg; return -1;
    case 'D': cli_add_set(&o->sets, &o->nsets, "time.days=", optarg); return -1;
    case 's': return cli_set_option(&o->sets, &o->nsets, optarg, o->files[1], usage_compare);
    case 'i': o->independent = 1; return -1;
    case 'R': o->resume = 1; return -1;
    case 'a': o->all = 1; return -1;
    case 'q': o->quiet = 1; return -1;
    default: return cli_other_option(c, usage_compare, o->files[0]);
    }
}

/* Returns -1 when the options are good, else an exit status. */
static int parse_args(int argc, char **argv, struct cmp_opts *o)
{
    static const struct option longopts[] = {
        {"replicates", required_argument, 0, 'n'}, {"output", required_argument, 0, 'o'},
        {"report", required_argument, 0, 'r'},     {"seed", required_argument, 0, 'S'},
        {"lang", required_argument, 0, 'L'},
        {"days", required_argument, 0, 'D'},       {"set", required_argument, 0, 's'},
        {"independent", no_argument, 0, 'i'},      {"all", no_argument, 0, 'a'},
        {"threads", required_argument, 0, 't'},    {"quiet", no_argument, 0, 'q'},
        {"resume", no_argument, 0, 'R'},           {"uncertainty", required_argument, 0, 'U'},
        {"sample", required_argument, 0, 'P'},     {"decompose", no_argument, 0, 'X'},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    int c, rc = -1;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":n:o:qh", longopts, NULL)) != -1) {
        o->files = &argv[optind - 1];   /* the offending option, for messages */
        rc = parse_option(c, o);
    }
    o->files = argv + optind;
    o->nfiles = argc - optind;
    if (rc < 0 && o->nfiles < (o->ndraws ? 1 : 2))
        rc = cli_bad_usage(usage_compare, "%s", o->ndraws ? "expected a scenario file"
                           : "expected at least two scenario files (or one with --uncertainty N)");
    if (rc < 0 && o->ndraws && o->nrep_given)
        rc = cli_bad_usage(usage_compare, "%s", "--uncertainty N sets the number of runs of each "
                           "scenario (one a draw): leave out --replicates");
    if (rc < 0 && o->ndraws && o->independent)
        rc = cli_bad_usage(usage_compare, "%s", "--uncertainty and --independent do not go together: "
                           "the draws are shared by the scenarios (common random numbers)");
    if (rc < 0 && o->sample && !o->ndraws)
        rc = cli_bad_usage(usage_compare, "%s", "--sample needs --uncertainty N");
    if (rc < 0 && o->decompose && o->nfiles != 2)
        rc = cli_bad_usage(usage_compare, "%s", "--decompose needs exactly two scenario files, A and B");
    if (rc < 0 && o->decompose && o->independent)
        rc = cli_bad_usage(usage_compare, "%s", "--decompose needs common random numbers: leave out --independent");
    if (rc < 0 && o->ndraws)
        o->nrep = o->ndraws;
    if (rc < 0 && o->report && !strcmp(o->report, o->output))
        rc = cli_bad_usage(usage_compare, "%s", "--report and --output name the same file");
    if (rc < 0 && o->report_lang && (strcmp(o->report_lang, "en") && strcmp(o->report_lang, "zh")))
        rc = cli_bad_usage(usage_compare, "--lang expects en or zh, got '%s'", o->report_lang);
    if (rc < 0 && o->report_lang && !o->report)
        rc = cli_bad_usage(usage_compare, "%s", "--lang is the language of the --report page: give --report too");
    return rc;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 4096;
    char *buf = gs_malloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n - 1 == 0)
            buf = gs_realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Labels are the scenario names, made unique with the file's position if needed. */
static void make_labels(struct comparison *c)
{
    for (int k = 0; k < c->nscen; k++) {
        struct cmp_scenario *s = &c->sc[k];
        int clash = 0;
        for (int j = 0; j < c->nscen; j++)
            clash |= j != k && !strcmp(s->ps->p.scenario_name, c->sc[j].ps->p.scenario_name);
        if (clash)
            snprintf(s->label, sizeof s->label, "%s#%d", s->ps->p.scenario_name, k + 1);
        else
            snprintf(s->label, sizeof s->label, "%s", s->ps->p.scenario_name);
    }
}

static void alloc_results(struct cmp_scenario *s, int nrep)
{
    const struct params *p = &s->ps->p;
    s->nrows = (p->days + p->output_interval_days - 1) / p->output_interval_days;
    s->seed = gs_calloc((size_t)nrep, sizeof *s->seed);
    s->summary = gs_calloc((size_t)nrep * N_SUMMARY, sizeof(double));
    s->levels = gs_calloc((size_t)nrep * N_LEVEL_FIELDS * N_LEVELS, sizeof(double));
    s->cats = gs_calloc((size_t)nrep * N_CATEGORY_FIELDS * N_CATEGORIES, sizeof(double));
    s->ttr_hist = gs_calloc((size_t)nrep * TTR_BINS, sizeof(double));
    s->day = gs_calloc((size_t)s->nrows, sizeof(double));
    s->series = gs_calloc((size_t)N_SERIES * nrep * s->nrows, sizeof(double));
}

/* Every scenario is read and checked before anything runs. */
static int load_scenarios(const struct cmp_opts *o, struct comparison *c)
{
    c->nscen = o->nfiles;
    c->nrep = (int)o->nrep;
    c->base_seed = o->seed;
    c->independent = o->independent;
    c->ndraws = (int)o->ndraws;
    c->sc = gs_calloc((size_t)c->nscen, sizeof *c->sc);
    c->nrun = c->nscen;
    for (int k = 0; k < c->nscen; k++) {
        struct cmp_scenario *s = &c->sc[k];
        s->path = o->files[k];
        s->ps = cli_resolve_params(s->path, o->sets, o->nsets);
        if (!s->ps)
            return -1;
        s->text = read_text(s->path);
        if (!s->text) {
            fprintf(stderr, "govsim: cannot read '%s'\n", s->path);
            return -1;
        }
        cmp_mark_fixed(s);
    }
    if (cmp_seed(c, c->nscen - 1, c->nrep - 1) > 9007199254740992LL) {
        fprintf(stderr, "govsim: --seed %lld leaves no room for the replicates' seeds\n", o->seed);
        return -1;
    }
    make_labels(c);
    struct gs_error err;
    if ((o->decompose && cmp_find_levers(c, &err) != 0) ||
        (c->ndraws && cmp_draw(c, o->sample, &err) != 0)) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return -1;
    }
    for (int k = 0; k < c->nrun; k++)
        alloc_results(&c->sc[k], c->nrep);
    return 0;
}

static void free_comparison(struct comparison *c)
{
    for (int k = 0; c->sc && k < c->nrun; k++) {
        struct cmp_scenario *s = &c->sc[k];
        param_set_free(s->ps);
        free(s->fixed);
        free(s->text);
        free(s->seed);
        free(s->summary);
        free(s->levels);
        free(s->cats);
        free(s->ttr_hist);
        free(s->day);
        free(s->series);
    }
    for (int l = 0; l < c->nlever; l++)
        free(c->lever[l].key);
    free(c->lever);
    free(c->sc);
    free(c->stat);
    free(c->diff);
    free(c->prob);
    free(c->effect);
    free(c->total);
    free(c->par);
    free(c->draw);
}

/* ---- the runs ---- */

static int run_params(void *ctx, size_t i, struct params *p, struct gs_error *err)
{
    (void)err;
    const struct comparison *c = ctx;
    int k = (int)(i / (size_t)c->nrep), r = (int)(i % (size_t)c->nrep);
    *p = c->sc[k].ps->p;
    cmp_apply_draw(c, k, r, p);
    p->seed = cmp_seed(c, k, r);
    return 0;
}

/* District totals of the per-community series (counts summed; satisfaction averaged). */
static void keep_series(struct cmp_scenario *s, int nrep, int r, const struct series *ts)
{
    GS_ASSERT(ts->row == s->nrows);
    memcpy(s->day, ts->day, (size_t)s->nrows * sizeof *s->day);
    for (int f = 0; f < N_SERIES; f++)
        for (int64_t t = 0; t < s->nrows; t++) {
            double sum = 0;
            for (int64_t j = 0; j < ts->ncols; j++)
                sum += ts->data[f][t * ts->ncols + j];
            if (!series_fields[f].integer)
                sum /= (double)ts->ncols;
            s->series[((size_t)f * nrep + r) * s->nrows + t] = sum;
        }
}

static int run_result(void *ctx, size_t i, const struct params *p, const struct sim_output *out,
                      struct gs_error *err)
{
    struct comparison *c = ctx;
    int k = (int)(i / (size_t)c->nrep), r = (int)(i % (size_t)c->nrep);
    struct cmp_scenario *s = &c->sc[k];
    s->seed[r] = p->seed;
    memcpy(&s->summary[(size_t)r * N_SUMMARY], out->summary.v, sizeof out->summary.v);
    memcpy(&s->levels[(size_t)r * N_LEVEL_FIELDS * N_LEVELS], out->summary.level,
           sizeof out->summary.level);
    memcpy(&s->cats[(size_t)r * N_CATEGORY_FIELDS * N_CATEGORIES], out->summary.cat,
           sizeof out->summary.cat);
    memcpy(&s->ttr_hist[(size_t)r * TTR_BINS], out->summary.ttr_hist, sizeof out->summary.ttr_hist);
    keep_series(s, c->nrep, r, &out->series);
    s->wall_seconds += out->wall_seconds;
    return c->journal ? cmp_journal_append(c->journal, c, k, r, out->wall_seconds, err) : 0;
}

/* ---- the report ---- */

/* The report is `PYTHON -m govsim_analysis.report`, with PYTHON from the environment
 * variable GOVSIM_PYTHON (default /usr/bin/python3). The package is found, in this
 * order: in the directory GOVSIM_ANALYSIS_DIR names; installed, where PYTHON imports
 * it as it is; in share/govsim/analysis or analysis beside the binary's directory
 * (an installed tree, or a build directory inside the source tree). docs/compare.md */

static const char *report_python(void)
{
    const char *py = getenv("GOVSIM_PYTHON");
    return py && *py ? py : "/usr/bin/python3";
}

static int has_report_module(const char *dir)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/govsim_analysis/report.py", dir);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* 0 if PY imports govsim_analysis without help, 1 if not, 127 if PY does not run. */
static int python_finds_package(const char *py)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execlp(py, py, "-c",
              "import importlib.util, sys; sys.exit(importlib.util.find_spec('govsim_analysis') is None)",
              (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return 127;
    return WEXITSTATUS(status) == 0 ? 0 : WEXITSTATUS(status) == 1 ? 1 : 127;
}

/* Sets DIR to the directory to put on PYTHONPATH, or to "" when the package is
 * installed; -1 with a message naming what to set when there is none. */
static int report_locate(char *dir, size_t size)
{
    const char *env = getenv("GOVSIM_ANALYSIS_DIR");
    if (env && *env) {
        if (!has_report_module(env) || (size_t)snprintf(dir, size, "%s", env) >= size) {
            fprintf(stderr, "govsim: GOVSIM_ANALYSIS_DIR=%s: no govsim_analysis/report.py there "
                            "(it must name the directory that holds govsim_analysis/)\n", env);
            return -1;
        }
        return 0;
    }
    const char *py = report_python();
    int found = python_finds_package(py);
    if (found == 127) {
        fprintf(stderr, "govsim: cannot run the Python '%s' for the report: set GOVSIM_PYTHON to a "
                        "python3 with h5py, pandas and matplotlib\n", py);
        return -1;
    }
    if (found == 0) {
        dir[0] = 0;
        return 0;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = 0, strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = 0;
        static const char *beside[] = {"../share/govsim/analysis", "../analysis"};
        for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
            int k = snprintf(dir, size, "%s/%s", exe, beside[i]);
            if (k > 0 && (size_t)k < size && has_report_module(dir))
                return 0;
        }
    }
    fprintf(stderr, "govsim: --report needs the Python package govsim_analysis, which %s cannot "
                    "import: install it (pip install ./analysis, see analysis/README.md), or set "
                    "GOVSIM_ANALYSIS_DIR to the directory that holds govsim_analysis/ (the "
                    "analysis directory of the source tree)\n", py);
    return -1;
}

static int render_report(const char *h5, const char *html, const char *lang, int quiet)
{
    char dir[4096];
    if (report_locate(dir, sizeof dir) != 0) {
        fprintf(stderr, "govsim: the report '%s' was not written (the results are in '%s')\n",
                html, h5);
        return -1;
    }
    const char *py = report_python();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (*dir) {
            const char *old = getenv("PYTHONPATH");
            char *path = gs_malloc(strlen(dir) + (old ? strlen(old) : 0) + 2);
            sprintf(path, "%s%s%s", dir, old && *old ? ":" : "", old && *old ? old : "");
            setenv("PYTHONPATH", path, 1);
        }
        execlp(py, py, "-m", "govsim_analysis.report", h5, "-o", html, "--lang", lang ? lang : "en",
               quiet ? "-q" : NULL, (char *)NULL);
        fprintf(stderr, "govsim: cannot start %s for the report (set GOVSIM_PYTHON)\n", py);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "govsim: the report '%s' was not written (the results are in '%s')\n",
                html, h5);
        return -1;
    }
    return 0;
}

/* Returns 0, or the exit status (2 refused: an input, a symbolic link; 1 not writable). */
static int check_outputs(const struct cmp_opts *o, const struct comparison *c)
{
    struct gs_error err;
    int status = 0;
    for (int k = 0; k < c->nrun; k++)   /* one run of each scenario, as many at once as threads */
        if (memcheck_runs(&c->sc[k].ps->p,
                          memcheck_concurrent(o->threads, (double)c->nrun * (double)c->nrep),
                          &err) != 0) {
            fprintf(stderr, "govsim: %s: %s\n", c->sc[k].path ? c->sc[k].path : c->sc[k].label,
                    err.msg);
            return EXIT_BAD_INPUT;
        }
    if (safeout_check(o->output, (const char *const *)o->files, (size_t)o->nfiles, &status,
                      &err) == 0 &&
        (!o->report || safeout_check(o->report, (const char *const *)o->files, (size_t)o->nfiles,
                                     &status, &err) == 0))
    {
        char dir[4096];   /* the report generator is found before any run */
        return o->report && report_locate(dir, sizeof dir) != 0 ? EXIT_FAILED : 0;
    }
    fprintf(stderr, "govsim: %s\n", err.msg);
    return status == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
}

static int execute(const struct cmp_opts *o, struct comparison *c, int argc, char **argv)
{
    char cmdline[4096], started[32];
    cli_start_time(started, sizeof started);
    cli_join_args(argc, argv, cmdline, sizeof cmdline);
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    cli_catch_signals();
    struct batch_opts bo = {threads, o->quiet, "run"};
    struct gs_error err;
    size_t total = (size_t)c->nrun * (size_t)c->nrep, n = 0;
    unsigned char *done = gs_calloc(total, 1);
    long loaded = 0;
    int status;
    c->journal = cmp_journal_open(c, o->output, o->resume, done, &loaded, &status, &err);
    if (!c->journal) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        free(done);
        return status == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
    size_t *todo = gs_malloc(total * sizeof *todo);
    for (size_t i = 0; i < total; i++)
        if (!done[i])
            todo[n++] = i;
    free(done);
    if (loaded > 0 && !o->quiet)
        fprintf(stderr, "govsim: resuming: %zu of %zu runs left\n", n, total);
    int rc = n > 0 ? batch_run(n, todo, run_params, run_result, c, &bo, &err) : 0;
    free(todo);
    if (rc != 0) {
        fprintf(stderr, "govsim: %s; no output written (finished runs are kept in '%s.runs': "
                "use --resume)\n", err.msg, o->output);
        cmp_journal_close(c->journal, 0);
        c->journal = NULL;
        return cli_stop_status(EXIT_FAILED);
    }
    cmp_compute(c);
    struct io_provenance prov = {cmdline, threads, started};
    if (cmp_write_hdf5(o->output, c, &prov, &err) != 0) {
        fprintf(stderr, "govsim: %s (finished runs are kept in '%s.runs': use --resume)\n",
                err.msg, o->output);
        cmp_journal_close(c->journal, 0);
        c->journal = NULL;
        return EXIT_FAILED;
    }
    cmp_journal_close(c->journal, 1);
    c->journal = NULL;
    if (!o->quiet)
        cmp_print(c, o->all, o->output);
    if (o->report && render_report(o->output, o->report, o->report_lang, o->quiet) != 0)   /* says "wrote" */
        return EXIT_FAILED;
    return EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
    struct cmp_opts o = {.nrep = 10, .seed = 1, .output = "compare.h5"};
    struct comparison c = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        rc = load_scenarios(&o, &c) != 0 ? EXIT_BAD_INPUT
             : (rc = check_outputs(&o, &c)) != 0 ? rc
                                             : execute(&o, &c, argc, argv);
    free_comparison(&c);
    cli_free_sets(o.sets, o.nsets);
    return rc;
}
