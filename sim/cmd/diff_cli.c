/* diff_cli.c: `govsim diff A.h5 B.h5 [--rtol R] [--atol A] [--verbose] [--format F]`: the
 * command line; the comparison of the files is diff.c, the JSON and JUnit reports
 * diff_report.c. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "commands.h"
#include "diff.h"
#include "diff_report.h"

static const char *usage_diff =
    "Usage: govsim diff A.h5 B.h5 [--rtol R] [--atol A] [--verbose] [--format text|json|junit]\n"
    "\n"
    "Compares two govsim files of the same kind (run, sweep, compare, calibration)\n"
    "and schema output by output: the root attributes and every dataset of every group\n"
    "(/provenance and a sweep's /status/wall_seconds are ignored), and prints each\n"
    "output that differs with the size of the change, then what it compared. Values a\n"
    "(in A) and b (in B) agree when |a - b| <= atol + rtol * |b|; NaN agrees only with\n"
    "NaN; strings and other values must be equal. Defaults: rtol 0, atol 0.\n"
    "\n"
    "--format json prints every output compared with its status and largest absolute\n"
    "and relative difference; --format junit a JUnit XML report with one test case\n"
    "per output, failed when it differs (for CI systems; docs/output.md).\n"
    "\n"
    "Exit status: 0 all outputs agree, 1 some differ, 2 bad usage, unreadable file, or\n"
    "files of different kinds or schemas.\n";

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

int cmd_diff(int argc, char **argv)
{
    static const struct option longopts[] = {{"rtol", required_argument, 0, 'r'},
        {"atol", required_argument, 0, 'a'}, {"verbose", no_argument, 0, 'v'},
        {"format", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    struct diff_opts o = {0};
    enum diff_format format = DIFF_TEXT;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        if (c == 'r' || c == 'a') {
            if (parse_tolerance(c == 'r' ? "--rtol" : "--atol", optarg, c == 'r' ? &o.rtol : &o.atol))
                return EXIT_BAD_INPUT;
        } else if (c == 'v') {
            o.verbose = 1;
        } else if (c == 'f') {
            if (!strcmp(optarg, "text") || !strcmp(optarg, "json") || !strcmp(optarg, "junit"))
                format = optarg[0] == 't' ? DIFF_TEXT : optarg[1] == 's' ? DIFF_JSON : DIFF_JUNIT;
            else
                return cli_bad_usage(usage_diff, "--format expects text, json or junit, got '%s'", optarg);
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
    struct diff_report *rep = format == DIFF_TEXT ? NULL : diff_report_new();
    if (rep) {
        o.record = diff_report_record;
        o.ctx = rep;
    }
    int n = diff_files(argv[optind], argv[optind + 1], &o, rep ? diff_report_stream(rep) : stdout, &err);
    if (n >= 0 && rep)
        diff_report_print(stdout, rep, format, argv[optind], argv[optind + 1], &o);
    diff_report_free(rep);
    if (n < 0) {
        fprintf(stderr, "govsim: %s\n", err.msg);
        return EXIT_BAD_INPUT;
    }
    return n > 0 ? EXIT_FAILED : EXIT_OK;
}
