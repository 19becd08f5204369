/* calibrate_cli.c: `govsim calibrate FILE.yaml -o OUT.h5 [--threads N] [--quiet]`. */
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "cmdutil.h"
#include "commands.h"
#include "io.h"
#include "sched.h"

static const char *const calib_usage =
    "Usage: govsim calibrate CALIBRATION.yaml [-o OUT.h5] [--threads N] [--quiet]\n"
    "\n"
    "Fits parameters of a base scenario so that the mean over replicate runs of chosen\n"
    "summary outputs comes close to target values (format and method: docs/calibration.md).\n"
    "Methods: smm (Sobol design, then Nelder-Mead simplex) or abc (rejection ABC).\n"
    "Every candidate runs the same replicate seeds; the estimate is re-run on fresh seeds\n"
    "to report the fit of every target. Prints a table and writes an HDF5 file.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     HDF5 file to write (default: CALIBRATION-NAME.calib.h5)\n"
    "      --threads N       runs at once (default: OMP_NUM_THREADS or all cores);\n"
    "                        results do not depend on it\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this text\n";

struct calib_cli {
    const char *file, *output;
    int threads, quiet;
};

/* Returns -1 to go on, else an exit status. */
static int calib_parse(int argc, char **argv, struct calib_cli *c)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int ch, rc = -1;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (ch = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': c->output = optarg; break;
        case 'q': c->quiet = 1; break;
        case 't': rc = cli_parse_threads(optarg, calib_usage, &c->threads); break;
        default: return cli_other_option(ch, calib_usage, argv[optind - 1]);
        }
    }
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return cli_bad_usage(calib_usage, "%s", "expected one calibration file");
    c->file = argv[optind];
    return -1;
}

static void default_output(const char *file, char *buf, size_t n)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strcspn(base, ".");
    snprintf(buf, n, "%.*s.calib.h5", (int)len, base);
}

static int calib_execute(const struct calib_cli *c, const struct calib_spec *s, int argc,
                         char **argv)
{
    char out[4096], cmd[4096], started[32];
    struct gs_error err;
    if (c->output)
        snprintf(out, sizeof out, "%s", c->output);
    else
        default_output(c->file, out, sizeof out);
    if (io_check_writable(out, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_FAILED;
    }
    cli_start_time(started, sizeof started);
    cli_join_args(argc, argv, cmd, sizeof cmd);
    cli_catch_signals();
    struct calib_opts o = {c->threads, c->quiet};
    struct calib_result r;
    int rc = calib_run(s, &o, &r, &err);
    if (rc != 0) {
        fprintf(stderr, "govsim: %s; no output written\n", err.msg);
        rc = cli_stop_status(EXIT_FAILED);
    } else if (calib_write_h5(out, s, &r, cmd, c->threads > 0 ? c->threads : omp_get_max_threads(),
                              started, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        rc = EXIT_FAILED;
    } else if (!c->quiet) {
        calib_print(s, &r);
        printf("wrote %s\n", out);
    }
    calib_result_free(&r);
    return rc;
}

int cmd_calibrate(int argc, char **argv)
{
    struct calib_cli c = {0};
    int rc = calib_parse(argc, argv, &c);
    if (rc >= 0)
        return rc;
    struct gs_error err;
    struct calib_spec *s = calib_spec_load(c.file, &err);
    if (!s) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_BAD_INPUT;
    }
    if (calib_spec_check(s, &err) != 0) {
        fprintf(stderr, "govsim: %s: %s\n", c.file, err.msg);
        calib_spec_free(s);
        return EXIT_BAD_INPUT;
    }
    rc = calib_execute(&c, s, argc, argv);
    calib_spec_free(s);
    return rc;
}
