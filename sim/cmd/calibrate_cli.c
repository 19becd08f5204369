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
#include "memcheck.h"
#include "safeout.h"
#include "sched.h"

static const char *const calib_usage =
    "Usage: govsim calibrate CALIBRATION.yaml [-o OUT.h5] [--threads N] [--quiet]\n"
    "\n"
    "Fits parameters of a base scenario so that the mean over replicate runs of chosen\n"
    "summary outputs comes close to target values (format and method: docs/calibration.md).\n"
    "Methods: smm (Sobol design, then Nelder-Mead simplex), abc (rejection ABC) or\n"
    "abc-smc (ABC with sequential tolerances; writes a weighted sample to /posterior).\n"
    "Every candidate runs the same replicate seeds; the estimate is re-run on fresh seeds\n"
    "to report the fit of every target. Prints a table and writes an HDF5 file.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     HDF5 file to write (default: CALIBRATION-NAME.calib.h5)\n"
    "      --threads N       runs at once (default: OMP_NUM_THREADS or all cores);\n"
    "                        results do not depend on it\n"
    "      --resume          continue an interrupted calibration into the same -o: runs\n"
    "                        finished before are taken from its journal OUT.runs\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this text\n";

struct calib_cli {
    const char *file, *output;
    int threads, quiet, resume;
};

/* Returns -1 to go on, else an exit status. */
static int calib_parse(int argc, char **argv, struct calib_cli *c)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {"resume", no_argument, 0, 'R'},       {0, 0, 0, 0}};
    int ch, rc = -1;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (ch = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': c->output = optarg; break;
        case 'q': c->quiet = 1; break;
        case 'R': c->resume = 1; break;
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

/* The memory check at two corners of the prior box: every fitted parameter at its
 * minimum, then at its maximum (sizes grow with either). Returns 0 or -1 with err. */
static int check_memory(const struct calib_cli *c, const struct calib_spec *s,
                        struct gs_error *err)
{
    double runs = (double)(s->method == CALIB_ABC ? s->samples
                           : s->method == CALIB_ABC_SMC ? s->particles : s->design_points) *
                  (double)s->replicates * (double)s->nbases;
    int rc = 0;
    for (size_t corner = 0; corner < 2 * s->nbases && rc == 0; corner++) {
        const struct param_set *bp = s->bases[corner / 2];
        struct param_set tmp = *bp;
        tmp.source = gs_malloc(param_count * sizeof *tmp.source);
        memcpy(tmp.source, bp->source, param_count * sizeof *tmp.source);
        for (size_t k = 0; k < s->nparams; k++) {
            char text[64];
            struct gs_error ignored;
            snprintf(text, sizeof text, "%.17g", corner % 2 ? s->params[k].hi : s->params[k].lo);
            param_set_value(&tmp, s->params[k].def->name, text, "memory check", SRC_SET, &ignored);
        }
        rc = memcheck_runs(&tmp.p, memcheck_concurrent(c->threads, runs), err);
        free(tmp.source);
    }
    return rc;
}

static int calib_execute(const struct calib_cli *c, const struct calib_spec *s, int argc,
                         char **argv)
{
    char out[4096], cmd[4096], started[32];
    struct gs_error err;
    if (c->output && strlen(c->output) >= sizeof out) {
        fprintf(stderr, "govsim: output path of %zu bytes is too long (at most %zu)\n",
                strlen(c->output), sizeof out - 1);
        return EXIT_BAD_INPUT;
    }
    if (c->output)
        snprintf(out, sizeof out, "%s", c->output);
    else
        default_output(c->file, out, sizeof out);
    if (check_memory(c, s, &err) != 0) {
        fprintf(stderr, "govsim: %s: %s\n", c->file, err.msg);
        return EXIT_BAD_INPUT;
    }
    const char *inputs[CALIB_MAX_BASES + 1] = {c->file};
    for (size_t b = 0; b < s->nbases; b++)
        inputs[b + 1] = s->bases[b]->file;
    int status;
    if (safeout_check(out, inputs, s->nbases + 1, &status, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return status == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
    cli_start_time(started, sizeof started);
    cli_join_args(argc, argv, cmd, sizeof cmd);
    cli_catch_signals();
    size_t loaded = 0;
    int jstatus;
    struct calib_opts o = {c->threads, c->quiet,
                           calib_journal_open(s, out, c->resume, &loaded, &jstatus, &err)};
    if (!o.journal) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return jstatus == 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
    if (loaded > 0 && !c->quiet)
        fprintf(stderr, "govsim: resuming: %zu runs finished before are taken from '%s.runs'\n",
                loaded, out);
    struct calib_result r;
    /* the journal is kept when the calibration can go on: interrupted, or a disk that
     * failed; a calibration that failed on its own would fail again */
    int rc = calib_run(s, &o, &r, &err), keep = 0;
    if (rc != 0) {
        fprintf(stderr, "govsim: %s; no output written\n", err.msg);
        keep = sim_stop_requested || calib_journal_failed(o.journal);
        rc = cli_stop_status(EXIT_FAILED);
    } else if (calib_write_h5(out, s, &r, cmd, c->threads > 0 ? c->threads : omp_get_max_threads(),
                              started, &err) != 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        rc = EXIT_FAILED;
        keep = 1;
    } else {
        if (!c->quiet) {
            calib_print(s, &r);
            printf("wrote %s\n", out);
        }
    }
    if (keep)
        fprintf(stderr, "govsim: finished runs are kept in '%s.runs': continue with --resume\n", out);
    calib_journal_close(o.journal, !keep);
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
