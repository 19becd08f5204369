/* run.c: `govsim run [SCENARIO.yaml] [options]`: one run into one HDF5 file, and the
 * printed run summary. */
#include "cmdutil.h"
#include "commands.h"

#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build_info.h"
#include "checkpoint.h"
#include "io.h"
#include "memcheck.h"
#include "param.h"
#include "progress.h"
#include "safeout.h"
#include "sched.h"
#include "summary.h"
#include "world.h"

static const char *usage_run =
    "Usage: govsim run [SCENARIO.yaml] [options]\n"
    "\n"
    "Runs one scenario and writes an HDF5 file (layout in docs/output.md).\n"
    "Values come from the built-in defaults, then SCENARIO.yaml, then the options\n"
    "below in the order given.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     HDF5 file to write (default: SCENARIO-NAME-sSEED.h5)\n"
    "      --scenario FILE   the scenario file (instead of the argument)\n"
    "      --seed N          random seed (same as --set run.seed=N)\n"
    "      --days N          simulated days (same as --set time.days=N)\n"
    "      --set KEY=VALUE   override one parameter; repeatable ('govsim params' lists keys)\n"
    "      --threads N       OpenMP threads (default: OMP_NUM_THREADS or all cores);\n"
    "                        results do not depend on it; threads share the streets,\n"
    "                        so more threads than streets do not help\n"
    "  -q, --quiet           print nothing but errors\n"
    "      --timing          print to stderr the seconds spent simulating and writing\n"
    "                        the HDF5 file (used by bench/)\n"
    "  -h, --help            this text\n";

static int check_memory(const struct params *p)
{
    struct gs_error err;
    if (memcheck_runs(p, 1, &err) == 0)
        return 0;
    fprintf(stderr, "govsim: %s\n", err.msg);
    return -1;
}

/* ---- the printed run summary ---- */

/* A value of the summary: a summary field (S_...) or, with LV, a per-level one. */
#define LV(field, level) (N_SUMMARY + (field) * N_LEVELS + (level))

/* One line of the printed summary: a label and a text in which each directive takes
 * the next value of `v`:
 *   %n  a count, with thousands separators     %h  a number with one decimal
 *   %p  a share as a percentage, one decimal   %P  a share as a whole percentage
 *   %s  a score with three decimals
 * A value that is NaN prints as "n/a"; a newline continues below the text's column.
 * Adding an output to the summary is one line. */
struct summary_line {
    const char *label, *text;
    int v[6];
};

enum { LABEL_WIDTH = 20 };

static const struct summary_line summary_lines[] = {
    {"requests arisen", "%n", {S_ARISEN}},
    {"resolved", "%n; %p within their deadline (of those resolved, abandoned or overdue)",
     {S_RESOLVED, S_ON_TIME_RATE}},
    {"time to resolution", "mean %h hours, median %h, 90th percentile %h",
     {S_TTR_MEAN, S_TTR_MEDIAN, S_TTR_P90}},
    {"resolved at", "grid %p, community %p, street %p, district %p",
     {S_SHARE_GRID, S_SHARE_COMMUNITY, S_SHARE_STREET, S_SHARE_DISTRICT}},
    {"abandoned", "%n (%p of those arisen): the residents gave up waiting",
     {S_ABANDONED, S_ABANDON_RATE}},
    {"satisfaction", "%s on a 0-1 scale (mean over households at the end)", {S_SAT_MEAN}},
    {"trust", "%s on a 0-1 scale (mean over households at the end)", {S_TRUST_MEAN}},
    {"staff utilisation", "grid %P, community %P, street %P, district %P (time serving / on duty)",
     {LV(L_UTILISATION, 0), LV(L_UTILISATION, 1), LV(L_UTILISATION, 2), LV(L_UTILISATION, 3)}},
    {"party members", "%n requests resolved; %n of %n volunteer hours used",
     {S_MEMBER_RESOLVED, S_VOL_USED, S_VOL_OFFERED}},
    {"micro-wish cards", "%n fulfilled of %n issued (%p)", {S_WISH_FULFILLED, S_WISH_ISSUED, S_WISH_RATE}},
    {"three-list items", "%n completed of %n agreed (%p)",
     {S_ITEMS_COMPLETED, S_ITEMS_AGREED, S_ITEMS_RATE}},
    {"joint meetings", "%n held, %n cases cleared", {S_MEETINGS_HELD, S_RESOLVED_BY_MEETINGS}},
    {"staff turnover", "%n quit; %h posts empty on average", {S_STAFF_QUITS, S_VACANT_POSTS_MEAN}},
    {"spending", "%n yuan in all; %n yuan per resolved request", {S_SPEND_TOTAL, S_COST_PER_RESOLVED}},
    {"open at the end", "%n requests known and not yet resolved;\n"
     "%n more had arisen but were not yet reported by residents or noticed by grid workers",
     {S_BACKLOG, S_UNKNOWN}},
};

static double summary_value(const struct summary *s, int k)
{
    return k < N_SUMMARY ? s->v[k] : s->level[(k - N_SUMMARY) / N_LEVELS][(k - N_SUMMARY) % N_LEVELS];
}

/* A count rounded to a whole number, with a comma every three digits: 38,114,324. */
static void format_count(double x, char *buf, size_t n)
{
    char digits[64];
    if (!isfinite(x)) {
        snprintf(buf, n, "n/a");
        return;
    }
    int len = snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t used = 0;
    if (x <= -0.5)
        buf[used++] = '-';
    for (int i = 0; i < len && used + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[used++] = ',';
        buf[used++] = digits[i];
    }
    buf[used] = '\0';
}

static void print_line(FILE *f, const struct summary *s, const struct summary_line *l)
{
    fprintf(f, "  %-*s ", LABEL_WIDTH, l->label);
    int next = 0;
    for (const char *t = l->text; *t; t++) {
        if (*t == '\n') {
            fprintf(f, "\n  %-*s ", LABEL_WIDTH, "");
            continue;
        }
        if (*t != '%' || !t[1]) {
            fputc(*t, f);
            continue;
        }
        double x = summary_value(s, l->v[next++]);
        char buf[64];
        t++;
        if (isnan(x))
            snprintf(buf, sizeof buf, "n/a");
        else if (*t == 'n')
            format_count(x, buf, sizeof buf);
        else if (*t == 'p')
            snprintf(buf, sizeof buf, "%.1f%%", 100 * x);
        else if (*t == 'P')
            snprintf(buf, sizeof buf, "%.0f%%", 100 * x);
        else if (*t == 's')
            snprintf(buf, sizeof buf, "%.3f", x);
        else
            snprintf(buf, sizeof buf, "%.1f", x);
        fputs(buf, f);
    }
    fputc('\n', f);
}

static double households(const struct params *p)
{
    return (double)p->grids * (double)p->households_per_grid;
}

static void print_summary(FILE *f, const struct params *p, const struct summary *s, int threads,
                          double wall, const char *path)
{
    char hh[32], res[32], grids[32], comms[32];
    fprintf(f, "govsim %s: scenario '%s', seed %lld, %lld days, %d thread%s, %.2f s\n", GOVSIM_VERSION,
            p->scenario_name, (long long)p->seed, (long long)p->days, threads,
            threads == 1 ? "" : "s", wall);
    format_count(households(p), hh, sizeof hh);
    format_count(households(p) * p->persons_per_household, res, sizeof res);
    format_count((double)p->grids, grids, sizeof grids);
    format_count((double)p->communities, comms, sizeof comms);
    fprintf(f, "  %-*s %lld street%s, %s communities, %s grids; %s households, about %s residents\n",
            LABEL_WIDTH, "district", (long long)p->streets, p->streets == 1 ? "" : "s", comms, grids, hh, res);
    for (size_t i = 0; i < sizeof summary_lines / sizeof *summary_lines; i++)
        print_line(f, s, &summary_lines[i]);
    fprintf(f, "wrote %s\n", path);
}

/* ---- the run summary as JSON (--json) ---- */

/* A number; JSON has no NaN or infinity: null. */
static void json_number(FILE *f, double x, int integer)
{
    if (!isfinite(x))
        fputs("null", f);
    else if (integer && fabs(x) < 9.0e15)
        fprintf(f, "%.0f", x);
    else
        fprintf(f, "%.17g", x);
}

static void print_json(FILE *f, const struct params *p, const struct summary *s, int threads,
                       double wall, const char *path)
{
    fprintf(f, "{\n  \"govsim_version\": ");
    cli_json_string(f, GOVSIM_VERSION);
    fprintf(f, ",\n  \"schema_version\": %d", IO_SCHEMA_VERSION);
    fprintf(f, ",\n  \"scenario\": ");
    cli_json_string(f, p->scenario_name);
    fprintf(f, ",\n  \"seed\": %lld,\n  \"days\": %lld,\n  \"threads\": %d,\n  \"wall_seconds\": ",
            (long long)p->seed, (long long)p->days, threads);
    json_number(f, wall, 0);
    fprintf(f, ",\n  \"output\": ");
    cli_json_string(f, path);
    fprintf(f, ",\n  \"district\": {\"streets\": %lld, \"communities\": %lld, \"grids\": %lld, "
            "\"households\": ", (long long)p->streets, (long long)p->communities, (long long)p->grids);
    json_number(f, households(p), 1);
    fprintf(f, ", \"residents\": ");
    json_number(f, round(households(p) * p->persons_per_household), 1);
    fprintf(f, "},\n  \"summary\": {");
    for (int k = 0; k < N_SUMMARY; k++) {
        fprintf(f, "%s\n    \"%s\": ", k ? "," : "", summary_fields[k].name);
        json_number(f, s->v[k], summary_fields[k].integer);
    }
    fprintf(f, "\n  },\n  \"levels\": {");
    for (int k = 0; k < N_LEVEL_FIELDS; k++) {
        fprintf(f, "%s\n    \"%s\": {", k ? "," : "", level_fields[k].name);
        for (int l = 0; l < N_LEVELS; l++) {
            fprintf(f, "%s\"%s\": ", l ? ", " : "", level_names[l]);
            json_number(f, s->level[k][l], level_fields[k].integer);
        }
        fputc('}', f);
    }
    fprintf(f, "\n  },\n  \"units\": {\n    \"summary\": {");
    for (int k = 0; k < N_SUMMARY; k++) {
        fprintf(f, "%s\"%s\": ", k ? ", " : "", summary_fields[k].name);
        cli_json_string(f, summary_fields[k].units);
    }
    fprintf(f, "},\n    \"levels\": {");
    for (int k = 0; k < N_LEVEL_FIELDS; k++) {
        fprintf(f, "%s\"%s\": ", k ? ", " : "", level_fields[k].name);
        cli_json_string(f, level_fields[k].units);
    }
    fprintf(f, "}\n  }\n}\n");
}

/* The output path: -o, or SCENARIO-NAME-sSEED.h5. Returns 0, or an exit status. */
static int output_path(const struct run_opts *o, const struct param_set *ps, char *outpath, size_t size)
{
    int n = o->output ? snprintf(outpath, size, "%s", o->output)
                      : snprintf(outpath, size, "%s-s%lld.h5", ps->p.scenario_name,
                                 (long long)ps->p.seed);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "govsim: output path of %d bytes is too long (at most %d)\n", n,
                SAFEOUT_PATH_MAX);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* Checks that path may be written: not an input (the scenario files, the checkpoint
 * a run restarts from, or `other`, the run's other output). A checkpoint may replace
 * the one its run restarted from. Returns 0 or an exit status. */
static int check_output(const char *path, const char *scenario, const struct param_set *ps,
                        const char *restart, const char *other)
{
    const char *inputs[] = {scenario, ps->file, restart, other};
    struct gs_error err;
    int status;
    if (other && strcmp(path, other) == 0) {
        fprintf(stderr, "govsim: the checkpoint and the output are both %s\n", path);
        return EXIT_BAD_INPUT;
    }
    if (safeout_check(path, inputs, 4, &status, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return status == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
    return 0;
}

/* Told of each checkpoint. GOVSIM_TEST_KILL_AT_CHECKPOINT=DAY makes the run kill
 * itself (SIGKILL) right after the checkpoint of that day: a test hook for a run
 * that dies at a known point. */
static void checkpoint_written(void *ctx, int64_t day, const char *path, const struct gs_error *err)
{
    int64_t *last = ctx;
    if (!err)
        *last = day;
    if (err) {
        fprintf(stderr, "\ngovsim: warning: checkpoint after day %lld not written (%s); the run goes "
                "on, an earlier checkpoint stays valid\n", (long long)day, err->msg);
        return;
    }
    const char *kill_at = getenv("GOVSIM_TEST_KILL_AT_CHECKPOINT");
    if (kill_at && atoll(kill_at) == day) {
        fprintf(stderr, "\ngovsim: test hook: killed after the checkpoint of day %lld in %s\n",
                (long long)day, path);
        raise(SIGKILL);
    }
}

/* Runs the model; *saved: the day of the last checkpoint written (-1: none). */
static int simulate(const struct run_opts *o, const struct param_set *ps, const struct ckpt_file *ck,
                    const char *ckpath, struct sim_output *out, int64_t *saved, struct gs_error *err)
{
    *saved = -1;
    struct sim_checkpoints c = {o->checkpoint_every, ckpath, ps, ck, checkpoint_written, saved};
    struct progress pr;
    progress_init(&pr, "day", o->quiet);
    int rc = sim_run_checkpointed(&ps->p, &c, out, progress_update, &pr, err);
    progress_finish(&pr);
    return rc;
}

static int execute_run(const struct run_opts *o, const struct param_set *ps, const struct ckpt_file *ck,
                       int argc, char **argv)
{
    char outpath[SAFEOUT_PATH_MAX + 1], ckpath[SAFEOUT_PATH_MAX + 1], cmdline[4096], started[32];
    struct gs_error err;
    int rc = output_path(o, ps, outpath, sizeof outpath);
    if (rc != 0)
        return rc;
    if (check_memory(&ps->p) != 0)
        return EXIT_BAD_INPUT;
    if ((rc = check_output(outpath, o->scenario, ps, o->restart, NULL)) != 0)
        return rc;
    if (o->checkpoint_every > 0) {
        int n = snprintf(ckpath, sizeof ckpath, o->checkpoint ? "%s" : "%s.ckpt",
                         o->checkpoint ? o->checkpoint : outpath);
        if (n < 0 || (size_t)n >= sizeof ckpath) {
            fprintf(stderr, "govsim: checkpoint path too long (at most %d bytes)\n", SAFEOUT_PATH_MAX);
            return EXIT_BAD_INPUT;
        }
        if ((rc = check_output(ckpath, o->scenario, ps, NULL, outpath)) != 0)
            return rc;
    }
    if (o->threads > 0)
        omp_set_num_threads(o->threads);
    int threads = omp_get_max_threads();
    cli_start_time(started, sizeof started);
    cli_join_args(argc, argv, cmdline, sizeof cmdline);

    cli_catch_signals();
    struct sim_output out;
    memset(&out, 0, sizeof out);
    int64_t saved;
    rc = simulate(o, ps, ck, ckpath, &out, &saved, &err);
    if (rc != 0) {
        int sig = (int)sim_stop_requested;
        fprintf(stderr, "govsim: %s%s; no output written\n", err.msg,
                sig == SIGTERM ? " by SIGTERM" : sig ? " by SIGINT" : "");
        if (saved >= 0)
            fprintf(stderr, "govsim: the checkpoint after day %lld is in %s: continue with "
                    "govsim run --restart %s\n", (long long)saved, ckpath, ckpath);
        sim_output_free(&out);
        return sig ? 128 + sig : EXIT_BAD_INPUT;
    }
    struct io_provenance prov = {cmdline, threads, started};
    double write_start = omp_get_wtime();
    rc = io_write_run(outpath, ps, &out, &prov, &err);
    if (o->timing)
        fprintf(stderr, "timing: simulate %.6f s, write_hdf5 %.6f s, threads %d\n",
                out.wall_seconds, omp_get_wtime() - write_start, threads);
    if (rc != 0)
        fprintf(stderr, "govsim: %s\n", err.msg);
    else {
        if (o->json)
            print_json(stdout, &ps->p, &out.summary, threads, out.wall_seconds, outpath);
        if (!o->quiet)
            print_summary(o->json ? stderr : stdout, &ps->p, &out.summary, threads,
                          out.wall_seconds, outpath);
    }
    sim_output_free(&out);
    return rc ? EXIT_FAILED : EXIT_OK;
}

/* The parameters of ps with the --set assignments applied over them; NULL (after a
 * message) if one is bad. */
static struct param_set *sets_over(const struct param_set *ps, char *const *sets, int nsets)
{
    struct param_set *given = param_set_new();
    struct gs_error err;
    int rc = 0;
    given->p = ps->p;
    for (int i = 0; rc == 0 && i < nsets; i++)
        rc = param_apply_assignment(given, sets[i], &err);
    if (rc == 0)
        rc = param_check(given, &err);
    if (rc != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        param_set_free(given);
        return NULL;
    }
    return given;
}

/* --restart: the checkpoint, and its parameters, which a scenario or --set given as
 * well must not change. Returns 0 or an exit status. */
static int open_restart(const struct run_opts *o, struct ckpt_file *ck)
{
    struct gs_error err;
    if (ckpt_open(o->restart, ck, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_BAD_INPUT;
    }
    if (!o->scenario && o->nsets == 0)
        return 0;
    struct param_set *given = o->scenario ? cli_resolve_params(o->scenario, o->sets, o->nsets)
                                          : sets_over(ck->ps, o->sets, o->nsets);
    const struct param_def *d = given ? param_first_difference(&given->p, &ck->ps->p) : NULL;
    if (d) {
        char here[PARAM_STR_MAX * 4], there[PARAM_STR_MAX * 4];
        param_format(&given->p, d, here, sizeof here);
        param_format(&ck->ps->p, d, there, sizeof there);
        fprintf(stderr, "govsim: checkpoint %s was written with other parameters: %s is %s there and "
                "%s here (a restart continues the same run; leave out the scenario and --set, or "
                "start a new run)\n", o->restart, d->name, there, here);
    }
    param_set_free(given);
    return given && !d ? 0 : EXIT_BAD_INPUT;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {.checkpoints = 1};
    int rc = cli_parse_run_opts(argc, argv, usage_run, &o);
    if (rc < 0 && (o.markdown || o.ranges))   /* options of `govsim params` only */
        rc = cli_bad_usage(usage_run, "%s is an option of 'govsim params', not of run",
                           o.markdown ? "--markdown" : "--ranges");
    if (rc < 0 && o.checkpoint && o.checkpoint_every == 0)
        rc = cli_bad_usage(usage_run, "--checkpoint %s needs --checkpoint-every DAYS", o.checkpoint);
    if (rc < 0 && o.restart) {
        struct ckpt_file ck;
        rc = open_restart(&o, &ck);
        if (rc == 0)
            rc = execute_run(&o, ck.ps, &ck, argc, argv);
        ckpt_close(&ck);
    } else if (rc < 0) {
        struct param_set *ps = cli_resolve_params(o.scenario, o.sets, o.nsets);
        rc = ps ? execute_run(&o, ps, NULL, argc, argv) : EXIT_BAD_INPUT;
        param_set_free(ps);
    }
    cli_free_run_opts(&o);
    return rc;
}
