/* diff_cli.c: `govsim diff A.h5 B.h5 [--rtol R] [--atol A] [--verbose]`: the command
 * line; the comparison of the files is diff.c. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmdutil.h"
#include "commands.h"
#include "diff.h"

static const char *usage_diff =
    "Usage: govsim diff A.h5 B.h5 [--rtol R] [--atol A] [--verbose]\n"
    "\n"
    "Compares the results of two govsim files output by output (/summary, /levels,\n"
    "/timeseries, /parameters; provenance is ignored) and prints each output that\n"
    "differs with the size of the change. Values a (in A) and b (in B) agree when\n"
    "|a - b| <= atol + rtol * |b|; NaN agrees only with NaN. Defaults: rtol 0, atol 0.\n"
    "\n"
    "Exit status: 0 all outputs agree, 1 some differ, 2 bad usage or unreadable file.\n";

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
