/* cli.h: the govsim command line. main() only calls cli_main. */
#ifndef GOVSIM_CLI_H
#define GOVSIM_CLI_H

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_BAD_INPUT = 2 };

int cli_main(int argc, char **argv);

#endif
