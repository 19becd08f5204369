/* cli.h: the govsim command line. main() only calls cli_main. */
#ifndef GOVSIM_CLI_H
#define GOVSIM_CLI_H

#include <stddef.h>

#include "param.h"

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_BAD_INPUT = 2 };

int cli_main(int argc, char **argv);

/* Shared by the commands (cli.c, compare.c). */
/* Prints "govsim: " + fmt (with arg), then the usage text; returns EXIT_BAD_INPUT. */
int cli_bad_usage(const char *usage, const char *fmt, const char *arg);
/* Defaults, then the scenario file (or none), then the KEY=VALUE assignments in order;
 * then cross-checks. Prints the error (file:line: key ...) and returns NULL on bad input. */
struct param_set *cli_resolve_params(const char *scenario, char *const *sets, int nsets);
/* The arguments joined with spaces, for provenance. */
void cli_join_args(int argc, char **argv, char *buf, size_t n);
/* `govsim compare` (compare.c). */
int cmd_compare(int argc, char **argv);
/* `govsim export` (export.c). */
int cmd_export(int argc, char **argv);

#endif
