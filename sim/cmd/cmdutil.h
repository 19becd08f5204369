/* cmdutil.h: the command-line plumbing every command shares (cmdutil.c): exit
 * statuses, the usage error, the --threads parser, SIGINT/SIGTERM, the command line
 * and start time recorded as provenance, scenario + --set resolution, and the
 * options of run and params. The commands themselves are listed in commands.h. */
#ifndef GOVSIM_CMDUTIL_H
#define GOVSIM_CMDUTIL_H

#include <stddef.h>
#include <stdio.h>

#include "param.h"

/* Exit statuses (and 128+N when stopped by signal N). */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_BAD_INPUT = 2 };

/* Prints "govsim: " + fmt (with arg), a blank line and the usage text to stderr;
 * returns EXIT_BAD_INPUT. */
int cli_bad_usage(const char *usage, const char *fmt, const char *arg);
/* An option every command treats alike: -h/--help prints the usage to stdout and
 * returns EXIT_OK; a missing value (':') or an unknown option ('?') is a usage
 * error naming `arg`, the option as given. */
int cli_other_option(int c, const char *usage, const char *arg);
/* The value of --threads: a whole number from 1 to 4096 into *threads, returning -1;
 * else a usage error (returns EXIT_BAD_INPUT). */
int cli_parse_threads(const char *text, const char *usage, int *threads);

/* From now on SIGINT and SIGTERM set sim_stop_requested: runs stop at their next
 * step and the command writes no output. */
void cli_catch_signals(void);
/* 128 + the signal that stopped the runs, or `otherwise` when none did. */
int cli_stop_status(int otherwise);

/* Provenance: the arguments after the program name joined with spaces (argv[0] is
 * the command's name), and the current time in UTC, ISO 8601 (n >= 21). */
void cli_join_args(int argc, char **argv, char *buf, size_t n);
/* Writes t as a JSON string literal (quotes, backslashes and control characters escaped). */
void cli_json_string(FILE *f, const char *t);
void cli_start_time(char *buf, size_t n);

/* Appends prefix + value (a "KEY=VALUE" assignment) to a list kept in command-line order. */
void cli_add_set(char ***sets, int *nsets, const char *prefix, const char *value);
/* The value of a --set option: a KEY=VALUE assignment is good (returns -1); without '='
 * a usage error, suggesting --set KEY=NEXT when the next argument `next` (may be NULL)
 * looks like the value given after a space (returns EXIT_BAD_INPUT). */
int cli_check_set(const char *value, const char *next, const char *usage);
/* cli_check_set, then the assignment added to the list. */
int cli_set_option(char ***sets, int *nsets, const char *value, const char *next, const char *usage);
void cli_free_sets(char **sets, int nsets);
/* Defaults, then the scenario file (or none), then the KEY=VALUE assignments in order;
 * then cross-checks. Prints the error (file:line: key ...; for a scenario file that does
 * not exist, the scenario files with near names) and returns NULL on bad input. */
struct param_set *cli_resolve_params(const char *scenario, char *const *sets, int nsets);

/* The options of `govsim run` and `govsim params`. */
struct run_opts {
    const char *scenario;   /* the argument, or --scenario FILE */
    const char *pattern;    /* params: an argument not ending in .yaml/.yml */
    int patterns;           /* set by the caller: arguments may be patterns */
    const char *output;
    int threads;
    int quiet;
    int markdown;
    int ranges;      /* params: tab-separated origins and plausible ranges */
    int timing;
    int json;        /* run: the summary as JSON on stdout */
    int checkpoints;      /* set by the caller (run): the checkpoint options are accepted */
    long long checkpoint_every;  /* --checkpoint-every DAYS (0: none) */
    const char *checkpoint;      /* --checkpoint FILE */
    const char *restart;         /* --restart FILE */
    char **sets;     /* "KEY=VALUE" in command-line order */
    int nsets;
};
/* Returns -1 to go on, else an exit status (after --help, or a usage error). */
int cli_parse_run_opts(int argc, char **argv, const char *usage, struct run_opts *o);
void cli_free_run_opts(struct run_opts *o);

#endif
