/* run.c: `govsim run [SCENARIO.yaml] [options]`: one run into one HDF5 file, and the
 * printed run summary. */
#include "cmdutil.h"
#include "commands.h"

#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build_info.h"
#include "io.h"
#include "param.h"
#include "progress.h"
#include "sched.h"
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
    "      --seed N          random seed (same as --set run.seed=N)\n"
    "      --days N          simulated days (same as --set time.days=N)\n"
    "      --set KEY=VALUE   override one parameter; repeatable ('govsim params' lists keys)\n"
    "      --threads N       OpenMP threads (default: OMP_NUM_THREADS or all cores);\n"
    "                        results do not depend on it\n"
    "  -q, --quiet           print nothing but errors\n"
    "      --timing          print to stderr the seconds spent simulating and writing\n"
    "                        the HDF5 file (used by bench/)\n"
    "  -h, --help            this text\n";

static int check_memory(const struct params *p)
{
    double part[N_MEM_PARTS], gib = 1073741824.0;
    double need = world_estimate_bytes(p, part);
    double have = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    double hh = (double)p->grids * (double)p->households_per_grid;
    if (need <= 0.8 * have && hh < 4.0e9)
        return 0;
    fprintf(stderr, "govsim: this run would need about %.1f GiB of memory (households %.1f, units "
            "and staff %.1f, requests %.1f, time series %.1f GiB) for %.3g households "
            "(world.grids x grid.households); this machine has %.1f GiB%s. Reduce the size.\n",
            need / gib, part[MEM_HOUSEHOLDS] / gib, part[MEM_STAFF] / gib, part[MEM_REQUESTS] / gib,
            part[MEM_SERIES] / gib, hh, have / gib, hh < 4.0e9 ? "" : " and at most 4e9 households fit");
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

static int execute_run(const struct run_opts *o, struct param_set *ps, int argc, char **argv)
{
    char outpath[1024], cmdline[4096], started[32];
    if (o->output)
        snprintf(outpath, sizeof outpath, "%s", o->output);
    else
        snprintf(outpath, sizeof outpath, "%s-s%lld.h5", ps->p.scenario_name, (long long)ps->p.seed);
    struct gs_error err;
    if (check_memory(&ps->p) != 0)
        return EXIT_BAD_INPUT;
    if (io_check_writable(outpath, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_FAILED;
    }
    if (o->threads > 0)
        omp_set_num_threads(o->threads);
    int threads = omp_get_max_threads();
    cli_start_time(started, sizeof started);
    cli_join_args(argc, argv, cmdline, sizeof cmdline);

    cli_catch_signals();
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

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    int rc = cli_parse_run_opts(argc, argv, usage_run, &o);
    if (rc < 0) {
        struct param_set *ps = cli_resolve_params(o.scenario, o.sets, o.nsets);
        rc = ps ? execute_run(&o, ps, argc, argv) : EXIT_BAD_INPUT;
        param_set_free(ps);
    }
    cli_free_run_opts(&o);
    return rc;
}
