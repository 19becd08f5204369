/* cli.c: govsim run | params | diff | help (compare: compare.c), and the printed run summary. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"
#include "calibrate.h"
#include "diff.h"
#include "memcheck.h"
#include "safeout.h"
#include "io.h"
#include "param.h"
#include "progress.h"
#include "sched.h"
#include "validate.h"
#include "sweep.h"
#include "world.h"

static const char *usage_main =
    "govsim " GOVSIM_VERSION " - simulator of party-building-led urban community governance\n"
    "\n"
    "Usage:\n"
    "  govsim run [SCENARIO.yaml] [options]   run a scenario (built-in default without a file)\n"
    "  govsim params [SCENARIO.yaml] [--set KEY=VALUE]... [--markdown]\n"
    "                                         print every parameter with its value, unit and range\n"
    "  govsim diff A.h5 B.h5 [--rtol R] [--atol A]\n"
    "                                         which outputs of two result files differ, and by how much\n"
    "  govsim validate [--quick] [--threads N] [--seed S]\n"
    "                                         check the simulator against queueing theory\n"
    "  govsim calibrate CALIBRATION.yaml [-o OUT.h5]\n"
    "                                         fit parameters to target outputs (docs/calibration.md)\n"
    "  govsim compare A.yaml B.yaml [C.yaml ...] [--replicates N] [-o OUT.h5] [--report OUT.html]\n"
    "                                         scenarios run with the same seeds: means and differences\n"
    "                                         with 95% intervals, for policy comparisons\n"
    "  govsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume]\n"
    "                                         run a parameter sweep into one HDF5 file (docs/sweeps.md)\n"
    "  govsim help [COMMAND]                  this text, or a command's options\n"
    "  govsim --version\n"
    "\n"
    "Exit status: 0 success, 1 run or write failure, 2 bad input or usage,\n"
    "128+N when stopped by signal N. Documentation: README.md and docs/.\n";

static const char *usage_run =
    "Usage: govsim run [SCENARIO.yaml] [options]\n"
    "\n"
    "Runs one scenario and writes an HDF5 file (layout in docs/output.md).\n"
    "Values come from the built-in defaults, then SCENARIO.yaml, then the options\n"
    "below in the order given.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     HDF5 file to write (default: SCENARIO-NAME-sSEED.h5)\n"
    "      --seed N          random seed (same as --set run.seed=N)\n"
    "      --days N          simulated days (same as --set time.days=N)\n"
    "      --set KEY=VALUE   override one parameter; repeatable ('govsim params' lists keys)\n"
    "      --threads N       OpenMP threads (default: OMP_NUM_THREADS or all cores);\n"
    "                        results do not depend on it\n"
    "  -q, --quiet           print nothing but errors\n"
    "      --timing          print to stderr the seconds spent simulating and writing\n"
    "                        the HDF5 file (used by bench/)\n"
    "  -h, --help            this text\n";

static const char *usage_params =
    "Usage: govsim params [SCENARIO.yaml] [--set KEY=VALUE]... [--markdown]\n"
    "\n"
    "Prints every parameter: name, type, value, allowed range, unit and meaning.\n"
    "With a scenario file or --set, shows the resolved values; --markdown prints the\n"
    "reference table of defaults kept in docs/parameters.md.\n";

static const char *usage_diff =
    "Usage: govsim diff A.h5 B.h5 [--rtol R] [--atol A] [--verbose]\n"
    "\n"
    "Compares two govsim files of the same kind (run, sweep, compare, calibration)\n"
    "and schema output by output: the root attributes and every dataset of every group\n"
    "(/provenance and a sweep's /status/wall_seconds are ignored), and prints each\n"
    "output that differs with the size of the change, then what it compared. Values a\n"
    "(in A) and b (in B) agree when |a - b| <= atol + rtol * |b|; NaN agrees only with\n"
    "NaN; strings and other values must be equal. Defaults: rtol 0, atol 0.\n"
    "\n"
    "Exit status: 0 all outputs agree, 1 some differ, 2 bad usage, unreadable file, or\n"
    "files of different kinds or schemas.\n";

static void on_signal(int sig)
{
    sim_stop_requested = sig;
}

int cli_bad_usage(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "govsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return EXIT_BAD_INPUT;
}

struct run_opts {
    const char *scenario;
    const char *output;
    int threads;
    int quiet;
    int markdown;
    int timing;
    char **sets;     /* "KEY=VALUE" in command-line order */
    int nsets;
};

static void add_set(struct run_opts *o, const char *key, const char *value)
{
    o->sets = gs_realloc(o->sets, (size_t)(o->nsets + 1) * sizeof *o->sets);
    size_t n = strlen(key) + strlen(value) + 2;
    o->sets[o->nsets] = gs_malloc(n);
    snprintf(o->sets[o->nsets++], n, "%s%s", key, value);
}

static void free_opts(struct run_opts *o)
{
    for (int i = 0; i < o->nsets; i++)
        free(o->sets[i]);
    free(o->sets);
}

/* Parses options shared by run and params. Returns -1 on success, else an exit status. */
static int parse_opts(int argc, char **argv, const char *usage, struct run_opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, 'S'},
        {"days", required_argument, 0, 'D'},   {"set", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'}, {"quiet", no_argument, 0, 'q'},
        {"markdown", no_argument, 0, 'm'},      {"help", no_argument, 0, 'h'},
        {"timing", no_argument, 0, 'T'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'S': add_set(o, "run.seed=", optarg); break;
        case 'D': add_set(o, "time.days=", optarg); break;
        case 's': add_set(o, "", optarg); break;
        case 'q': o->quiet = 1; break;
        case 'm': o->markdown = 1; break;
        case 'T': o->timing = 1; break;
        case 't': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 4096)
                return cli_bad_usage(usage, "--threads expects a whole number from 1 to 4096, got '%s'", optarg);
            o->threads = (int)n;
            break;
        }
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case ':': return cli_bad_usage(usage, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_bad_usage(usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc)
        return cli_bad_usage(usage, "unexpected argument '%s' (one scenario file at most)", argv[optind]);
    return -1;
}

struct param_set *cli_resolve_params(const char *scenario, char *const *sets, int nsets)
{
    struct param_set *ps = param_set_new();
    struct gs_error err;
    int rc = 0;
    if (scenario)
        rc = param_load_yaml(ps, scenario, &err);
    for (int i = 0; rc == 0 && i < nsets; i++)
        rc = param_apply_assignment(ps, sets[i], &err);
    if (rc == 0)
        rc = param_check(ps, &err);
    if (rc != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        param_set_free(ps);
        return NULL;
    }
    return ps;
}

static int check_memory(const struct params *p)
{
    struct gs_error err;
    if (memcheck_runs(p, 1, &err) == 0)
        return 0;
    fprintf(stderr, "govsim: %s\n", err.msg);
    return -1;
}

static void print_summary(const struct params *p, const struct summary *s, int threads,
                          double wall, const char *path)
{
    const double *v = s->v;
    printf("govsim %s: scenario '%s', seed %lld, %lld days, %d thread%s, %.2f s\n", GOVSIM_VERSION,
           p->scenario_name, (long long)p->seed, (long long)p->days, threads,
           threads == 1 ? "" : "s", wall);
    printf("  requests arisen              %12.0f\n", v[S_ARISEN]);
    printf("  resolved                     %12.0f  (%.1f%% within deadline)\n", v[S_RESOLVED],
           100 * v[S_ON_TIME_RATE]);
    printf("  time to resolution (hours)   mean %.1f, median %.1f, 90th percentile %.1f\n",
           v[S_TTR_MEAN], v[S_TTR_MEDIAN], v[S_TTR_P90]);
    printf("  resolved at grid/community/street/district   %.1f%% / %.1f%% / %.1f%% / %.1f%%\n",
           100 * v[S_SHARE_GRID], 100 * v[S_SHARE_COMMUNITY], 100 * v[S_SHARE_STREET],
           100 * v[S_SHARE_DISTRICT]);
    printf("  abandoned                    %12.0f  (%.1f%%)\n", v[S_ABANDONED], 100 * v[S_ABANDON_RATE]);
    printf("  open at end                  %12.0f  known, %.0f not yet known\n", v[S_BACKLOG],
           v[S_UNKNOWN]);
    printf("  satisfaction / trust (mean)  %12.3f  / %.3f\n", v[S_SAT_MEAN], v[S_TRUST_MEAN]);
    printf("  staff utilisation            grid %.0f%%, community %.0f%%, street %.0f%%, district %.0f%%\n",
           100 * s->level[L_UTILISATION][0], 100 * s->level[L_UTILISATION][1],
           100 * s->level[L_UTILISATION][2], 100 * s->level[L_UTILISATION][3]);
    printf("  party members                %12.0f  requests resolved; %.0f of %.0f volunteer hours used\n",
           v[S_MEMBER_RESOLVED], v[S_VOL_USED], v[S_VOL_OFFERED]);
    printf("  micro-wish cards fulfilled   %12.0f  of %.0f (%.1f%%)\n", v[S_WISH_FULFILLED],
           v[S_WISH_ISSUED], 100 * v[S_WISH_RATE]);
    printf("  three-list items completed   %12.0f  of %.0f agreed (%.1f%%)\n", v[S_ITEMS_COMPLETED],
           v[S_ITEMS_AGREED], 100 * v[S_ITEMS_RATE]);
    printf("  joint meetings               %12.0f  held, %.0f cases cleared\n", v[S_MEETINGS_HELD],
           v[S_RESOLVED_BY_MEETINGS]);
    printf("  staff quits / vacant posts   %12.0f  / %.1f on average\n", v[S_STAFF_QUITS],
           v[S_VACANT_POSTS_MEAN]);
    printf("  spending per resolved        %12.0f  yuan (all spending %.0f yuan)\n",
           v[S_COST_PER_RESOLVED], v[S_SPEND_TOTAL]);
    printf("wrote %s\n", path);
}

void cli_join_args(int argc, char **argv, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < argc; i++) {
        strncat(buf, argv[i], n - strlen(buf) - 1);
        if (i + 1 < argc)
            strncat(buf, " ", n - strlen(buf) - 1);
    }
}

static int execute_run(const struct run_opts *o, struct param_set *ps, int argc, char **argv)
{
    char outpath[SAFEOUT_PATH_MAX + 1], cmdline[4096], started[32];
    int n = o->output ? snprintf(outpath, sizeof outpath, "%s", o->output)
                      : snprintf(outpath, sizeof outpath, "%s-s%lld.h5", ps->p.scenario_name,
                                 (long long)ps->p.seed);
    struct gs_error err;
    if (n < 0 || (size_t)n >= sizeof outpath) {
        fprintf(stderr, "govsim: output path of %d bytes is too long (at most %d)\n", n,
                SAFEOUT_PATH_MAX);
        return EXIT_BAD_INPUT;
    }
    if (check_memory(&ps->p) != 0)
        return EXIT_BAD_INPUT;
    const char *inputs[] = {o->scenario, ps->file};
    int status;
    if (safeout_check(outpath, inputs, 2, &status, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return status == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
    if (o->threads > 0)
        omp_set_num_threads(o->threads);
    int threads = omp_get_max_threads();
    time_t now = time(NULL);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    cli_join_args(argc, argv, cmdline, sizeof cmdline);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct progress pr;
    progress_init(&pr, "day", o->quiet);
    struct sim_output out;
    memset(&out, 0, sizeof out);
    int rc = sim_run(&ps->p, &out, progress_update, &pr, &err);
    progress_finish(&pr);
    if (rc != 0) {
        fprintf(stderr, "govsim: %s by %s; no output written\n", err.msg,
                sim_stop_requested == SIGTERM ? "SIGTERM" : "SIGINT");
        int sig = (int)sim_stop_requested;
        sim_output_free(&out);
        return 128 + sig;
    }
    struct io_provenance prov = {cmdline, threads, started};
    double write_start = omp_get_wtime();
    rc = io_write_run(outpath, ps, &out, &prov, &err);
    if (o->timing)
        fprintf(stderr, "timing: simulate %.6f s, write_hdf5 %.6f s, threads %d\n",
                out.wall_seconds, omp_get_wtime() - write_start, threads);
    if (rc != 0)
        fprintf(stderr, "govsim: %s\n", err.msg);
    else if (!o->quiet)
        print_summary(&ps->p, &out.summary, threads, out.wall_seconds, outpath);
    sim_output_free(&out);
    return rc ? EXIT_FAILED : EXIT_OK;
}

static int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    int rc = parse_opts(argc, argv, usage_run, &o);
    if (rc < 0) {
        struct param_set *ps = cli_resolve_params(o.scenario, o.sets, o.nsets);
        rc = ps ? execute_run(&o, ps, argc, argv) : EXIT_BAD_INPUT;
        param_set_free(ps);
    }
    free_opts(&o);
    return rc;
}

static int cmd_params(int argc, char **argv)
{
    struct run_opts o = {0};
    int rc = parse_opts(argc, argv, usage_params, &o);
    if (rc < 0) {
        if (o.markdown && (o.scenario || o.nsets)) {
            rc = cli_bad_usage(usage_params, "%s", "--markdown prints the defaults; drop the scenario and --set");
        } else if (o.markdown) {
            param_print_markdown(stdout);
            rc = EXIT_OK;
        } else {
            struct param_set *ps = cli_resolve_params(o.scenario, o.sets, o.nsets);
            if (ps)
                param_print_table(stdout, &ps->p);
            rc = ps ? EXIT_OK : EXIT_BAD_INPUT;
            param_set_free(ps);
        }
    }
    free_opts(&o);
    return rc;
}

static int parse_tolerance(const char *opt, const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (*end || !(*out >= 0) || isinf(*out)) {
        fprintf(stderr, "govsim: %s expects a finite number >= 0, got '%s'\n", opt, text);
        return -1;
    }
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    static const struct option longopts[] = {{"rtol", required_argument, 0, 'r'},
        {"atol", required_argument, 0, 'a'}, {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    struct diff_opts o = {0, 0, 0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        if (c == 'r' || c == 'a') {
            if (parse_tolerance(c == 'r' ? "--rtol" : "--atol", optarg, c == 'r' ? &o.rtol : &o.atol))
                return EXIT_BAD_INPUT;
        } else if (c == 'v') {
            o.verbose = 1;
        } else if (c == 'h') {
            fputs(usage_diff, stdout);
            return EXIT_OK;
        } else {
            return cli_bad_usage(usage_diff, "bad option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_bad_usage(usage_diff, "%s", "expected two result files");
    struct gs_error err;
    int n = diff_files(argv[optind], argv[optind + 1], &o, stdout, &err);
    if (n < 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_BAD_INPUT;
    }
    return n > 0 ? EXIT_FAILED : EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "params"))
        return cmd_params(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "calibrate"))
        return cmd_calibrate(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("govsim %s (revision %s)\n", GOVSIM_VERSION, GOVSIM_GIT_REVISION);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        const char *topic = argc > 2 ? argv[2] : "";
        if (!strcmp(topic, "compare"))
            return cmd_compare(2, (char *[]){"compare", "--help", NULL});
        if (!strcmp(topic, "validate"))
            return cmd_validate(2, (char *[]){"validate", "--help", NULL});
        if (!strcmp(topic, "sweep"))
            return cmd_sweep(2, (char *[]){"sweep", "--help", NULL});
        fputs(!strcmp(topic, "run") ? usage_run : !strcmp(topic, "params") ? usage_params
              : !strcmp(topic, "diff") ? usage_diff : !strcmp(topic, "calibrate") ? calib_usage
              : usage_main, stdout);
        return EXIT_OK;
    }
    fprintf(stderr, "govsim: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_BAD_INPUT;
}
