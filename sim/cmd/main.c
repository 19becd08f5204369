/* main.c: the govsim executable. The command table below drives both dispatch and
 * `govsim help`; each command lives in its own file (commands.h). */
#include <stdio.h>
#include <string.h>

#include "build_info.h"
#include "cmdutil.h"
#include "commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis;   /* the arguments, as in the usage text */
    const char *help;       /* what it does; a '\n' continues on the next line */
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"run", cmd_run, "[SCENARIO.yaml] [options]",
     "run a scenario (built-in default without a file);\n"
     "--checkpoint-every DAYS, --restart FILE for long runs"},
    {"params", cmd_params, "[PATTERN] [SCENARIO.yaml] [--set KEY=VALUE]...",
     "the parameters (or those matching PATTERN)\n"
     "with their values, units and ranges"},
    {"diff", cmd_diff, "A.h5 B.h5 [--rtol R] [--atol A] [--format text|json|junit]",
     "which outputs of two result files differ, and by how\n"
     "much; JSON or a JUnit report for CI systems"},
    {"validate", cmd_validate, "[--quick] [--threads N] [--seed S]",
     "check the simulator against queueing theory"},
    {"calibrate", cmd_calibrate, "CALIBRATION.yaml [-o OUT.h5]",
     "fit parameters to target outputs or pattern bands\n"
     "(smm, abc, abc-smc: docs/calibration.md)"},
    {"compare", cmd_compare,
     "A.yaml B.yaml [C.yaml ...] [--replicates N] [-o OUT.h5] [--report OUT.html]",
     "scenarios run with the same seeds: means and differences\n"
     "with 95% intervals, for policy comparisons; --uncertainty N\n"
     "draws the assumed parameters too, --decompose shows each lever"},
    {"sweep", cmd_sweep, "SWEEP.yaml -o OUT.h5 [--threads N] [--resume]",
     "run a parameter sweep into one HDF5 file (docs/sweeps.md)"},
    {"export", cmd_export, "FILE.h5 --format csv|netcdf [-o DIR]",
     "tables for R, pandas, DuckDB (docs/output.md)"},
    {"help", cmd_help, "[COMMAND]", "this text, or a command's options"},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0], HELP_COLUMN = 41 };

static const struct command *find_command(const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *f)
{
    fprintf(f, "govsim " GOVSIM_VERSION
               " - simulator of party-building-led urban community governance\n\nUsage:\n");
    for (int i = 0; i < N_COMMANDS; i++) {
        int len = fprintf(f, "  govsim %s %s", commands[i].name, commands[i].synopsis);
        if (len + 3 > HELP_COLUMN)
            len = fprintf(f, "\n") - 1;
        fprintf(f, "%*s", HELP_COLUMN - len, "");
        for (const char *h = commands[i].help; *h; h++) {
            fputc(*h, f);
            if (*h == '\n')
                fprintf(f, "%*s", HELP_COLUMN, "");
        }
        fputc('\n', f);
    }
    fprintf(f, "  govsim --version\n"
               "\n"
               "Exit status: 0 success, 1 run or write failure, 2 bad input or usage,\n"
               "128+N when stopped by signal N. Documentation: README.md and docs/.\n");
}

/* `govsim help COMMAND` is `govsim COMMAND --help`; without (or with an unknown)
 * command, the overview. */
static int cmd_help(int argc, char **argv)
{
    const struct command *c = argc > 1 ? find_command(argv[1]) : NULL;
    if (c && c->run != cmd_help)
        return c->run(2, (char *[]){(char *)c->name, "--help", NULL});
    print_usage(stdout);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("govsim %s (revision %s)\n", GOVSIM_VERSION, GOVSIM_GIT_REVISION);
        return EXIT_OK;
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        name = "help";
    const struct command *c = find_command(name);
    if (c)
        return c->run(argc - 1, argv + 1);
    fprintf(stderr, "govsim: unknown command '%s'\n\n", name);
    print_usage(stderr);
    return EXIT_BAD_INPUT;
}
